dnl The wasm extension built the phpize way (what PIE runs):
dnl   cd php-ext/phpize && phpize && ./configure && make && make install
dnl The library is a Rust crate: cargo builds it (in the workspace target directory, or in
dnl $CARGO_TARGET_DIR), and the Makefile fragment copies it to modules/wasm.so, where
dnl `make install` takes it from like any other shared extension.

PHP_ARG_ENABLE([wasm],
  [whether to enable the wasm extension],
  [AS_HELP_STRING([--enable-wasm], [Enable WebAssembly support (needs cargo, https://rustup.rs)])],
  [yes], [no])

if test "$PHP_WASM" != "no"; then
  AC_PATH_PROG([CARGO], [cargo], [no], [$PATH$PATH_SEPARATOR$HOME/.cargo/bin])
  if test "x$CARGO" = "xno"; then
    AC_MSG_ERROR([cargo (Rust 1.80 or later) is needed to build the wasm extension: see https://rustup.rs])
  fi
  WASM_CRATE_DIR=`cd "$srcdir/.." && pwd`
  if test ! -f "$WASM_CRATE_DIR/Cargo.toml"; then
    AC_MSG_ERROR([the wasm-php crate is not in $WASM_CRATE_DIR])
  fi
  AC_MSG_CHECKING([for the cargo target directory])
  if test -n "$CARGO_TARGET_DIR"; then
    WASM_TARGET_DIR="$CARGO_TARGET_DIR"
  else
    WASM_TARGET_DIR=`cd "$WASM_CRATE_DIR" && "$CARGO" metadata --format-version 1 --no-deps 2>/dev/null | sed -n 's/.*"target_directory":"\([[^"]]*\)".*/\1/p'`
    test -n "$WASM_TARGET_DIR" || WASM_TARGET_DIR="$WASM_CRATE_DIR/../target"
  fi
  AC_MSG_RESULT([$WASM_TARGET_DIR])

  dnl No C sources: the module is the cargo build, described by a libtool-style wasm.la
  dnl (make test reads its dlname).
  PHP_MODULES='$(phplibdir)/wasm.la'
  PHP_ADD_BUILD_DIR([modules])
  PHP_SUBST(CARGO)
  PHP_SUBST(WASM_CRATE_DIR)
  PHP_SUBST(WASM_TARGET_DIR)
  wasm_srcdir=`cd "$srcdir" && pwd`
  PHP_ADD_MAKEFILE_FRAGMENT([$wasm_srcdir/Makefile.frag], [$wasm_srcdir], [`pwd`])
fi
