fn main() {
    println!("cargo:rerun-if-changed=src/unwind.c");
    cc::Build::new().file("src/unwind.c").opt_level(2).compile("engine_unwind");
}
