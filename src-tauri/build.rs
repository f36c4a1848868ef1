fn main() {
    // The config sits at the workspace root (so tauri-cli finds it beside the
    // root manifest); the capabilities stay with the app's code.
    let attributes =
        tauri_build::Attributes::new().capabilities_path_pattern("./src-tauri/capabilities/**/*");
    if let Err(error) = tauri_build::try_build(attributes) {
        panic!("tauri build step failed: {error:#}");
    }
}
