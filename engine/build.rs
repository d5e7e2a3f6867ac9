fn main() {
    println!("cargo:rerun-if-changed=src/vm/unwind.c");
    cc::Build::new().file("src/vm/unwind.c").opt_level(2).compile("engine_unwind");
}
