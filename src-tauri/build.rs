fn main() {
    // Every command the front end may call is listed here so that each
    // window's capability file must grant it by name (see capabilities/).
    let manifest = tauri_build::AppManifest::new().commands(&[
        "get_snapshot",
        "get_about",
        "set_privacy_mode",
        "set_setting",
        "start_mic_check",
        "stop_mic_check",
    ]);
    let attributes = tauri_build::Attributes::new()
        .app_manifest(manifest)
        .config_path("tauri.conf.json");
    if let Err(e) = tauri_build::try_build(attributes) {
        println!("cargo:warning=tauri build step failed: {e:#}");
        std::process::exit(1);
    }
}
