/// Embeds Veil's own training modules (assets/training/modules/*.toml), so
/// every install has them; the organization adds its own through policy.
fn embed_training() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../assets/training/modules");
    let toml_files = |dir: &std::path::Path| {
        // A folder that does not exist would count as changed on every
        // build, and rebuild the app each time.
        if dir.is_dir() {
            println!("cargo:rerun-if-changed={}", dir.display());
        }
        let mut files: Vec<std::path::PathBuf> = std::fs::read_dir(dir)
            .map(|d| d.flatten().map(|e| e.path()).collect())
            .unwrap_or_default();
        files.retain(|p| p.extension().is_some_and(|x| x == "toml"));
        files.sort();
        files
    };
    let entry = |f: &std::path::PathBuf, shown: &str| {
        format!(
            "    (\"{shown}\", include_str!({:?})),\n",
            f.canonicalize().unwrap_or(f.clone())
        )
    };
    let name = |f: &std::path::PathBuf| {
        f.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    };
    let mut out = String::from("pub static SHIPPED: &[(&str, &str)] = &[\n");
    for f in toml_files(&root) {
        out.push_str(&entry(&f, &format!("assets/training/modules/{}", name(&f))));
    }
    out.push_str("];\n");
    // Translations: modules/<lang>/*.toml, one folder per language.
    out.push_str("pub static TRANSLATIONS: &[(&str, &str, &str)] = &[\n");
    // English is the modules themselves.
    for lang in veil_core::i18n::Language::CODES
        .iter()
        .filter(|l| **l != "en")
    {
        for f in toml_files(&root.join(lang)) {
            let e = entry(&f, &format!("assets/training/modules/{lang}/{}", name(&f)));
            out.push_str(&e.replacen("(\"", &format!("(\"{lang}\", \""), 1));
        }
    }
    out.push_str("];\n");
    let dest = std::path::Path::new(&std::env::var("OUT_DIR").unwrap_or_default())
        .join("training_modules.rs");
    if let Err(e) = std::fs::write(&dest, out) {
        println!("cargo:warning=cannot embed the training modules: {e}");
        std::process::exit(1);
    }
}

fn main() {
    embed_training();
    // Every window call (veil-core's call table) is a command here, so
    // that each window's capability file must grant it by name.
    let manifest = tauri_build::AppManifest::new().commands(veil_core::control::WindowCall::NAMES);
    let attributes = tauri_build::Attributes::new()
        .app_manifest(manifest)
        .config_path("../tauri.conf.json");
    if let Err(e) = tauri_build::try_build(attributes) {
        println!("cargo:warning=tauri build step failed: {e:#}");
        std::process::exit(1);
    }
}
