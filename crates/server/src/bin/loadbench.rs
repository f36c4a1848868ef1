//! Load benchmark.
fn main() {}
