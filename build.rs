//! Rebuilds the binary when a built-in theme changes: the themes are embedded
//! with `include_dir!`, which Cargo does not track on its own.

fn main() {
    println!("cargo:rerun-if-changed=themes");
}
