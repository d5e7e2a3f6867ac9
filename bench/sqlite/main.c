/* A small SQLite shell for the benchmarks of module compilation and caching (make bench):
 * SQLite's amalgamation compiled to wasm32-wasi is a sizeable real program (about 1 MB of
 * wasm, 1,317 functions). Runs the SQL given as its argument on an in-memory database and
 * prints the rows, columns separated by |. Built by build.sh.
 */
#include <stdio.h>
#include "sqlite3.h"
static int row(void *u, int n, char **v, char **c) { for (int i = 0; i < n; i++) printf("%s%s", i ? "|" : "", v[i] ? v[i] : "NULL"); printf("\n"); return 0; }
int main(int argc, char **argv) {
    sqlite3 *db; char *err = 0;
    if (sqlite3_open(":memory:", &db) != SQLITE_OK) return 1;
    const char *sql = argc > 1 ? argv[1] :
        "create table t(x integer, y text); insert into t values (1,'one'),(2,'two'),(3,'three');"
        "select count(*), sum(x), group_concat(y) from t;";
    if (sqlite3_exec(db, sql, row, 0, &err) != SQLITE_OK) { fprintf(stderr, "error: %s\n", err); return 2; }
    sqlite3_close(db);
    return 0;
}
