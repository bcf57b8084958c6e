//! The message catalogs (locales/<lang>/*.ftl) are complete and all in use:
//! every language has exactly English's messages with the same arguments,
//! every message is used by the code (Rust or the windows), and every
//! message the code asks for exists. A string added to the UI without a
//! Spanish translation, or a message left behind, fails here.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use regex::Regex;
use veil_core::i18n::{message_ids, parse_errors, Language};
use veil_core::settings::schema::{Kind, SETTINGS};

const CATALOGS: [&str; 4] = ["app.ftl", "problems.ftl", "posture.ftl", "ui.ftl"];

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn catalog(lang: Language, name: &str) -> String {
    read(&root().join("locales").join(lang.code()).join(name))
}

/// Every file under `dir` (recursively) whose name ends with one of `ends`.
fn sources(dir: &Path, ends: &[&str], skip: &[&str]) -> Vec<(PathBuf, String)> {
    let mut out = vec![];
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if p.is_dir() {
                if !["node_modules", "dist", "target"].contains(&name) {
                    stack.push(p);
                }
            } else if ends.iter().any(|x| name.ends_with(x))
                && !skip.iter().any(|x| name.ends_with(x))
            {
                out.push((p.clone(), read(&p)));
            }
        }
    }
    out
}

fn rust_sources() -> Vec<(PathBuf, String)> {
    let mut all = sources(&root().join("src-tauri/src"), &[".rs"], &[]);
    for c in ["veil-core", "veil-os", "veil-store"] {
        all.extend(sources(
            &root().join("crates").join(c).join("src"),
            &[".rs"],
            &[],
        ));
    }
    all
}

/// Without the unit tests at the end of a file (they name messages that do
/// not exist on purpose).
fn without_tests(files: Vec<(PathBuf, String)>) -> Vec<(PathBuf, String)> {
    files
        .into_iter()
        .map(|(p, t)| {
            let cut = t.find("#[cfg(test)]\nmod tests").unwrap_or(t.len());
            (p, t[..cut].to_string())
        })
        .collect()
}

fn ui_sources() -> Vec<(PathBuf, String)> {
    let mut all = sources(
        &root().join("ui/src"),
        &[".ts"],
        &[".test.ts", "bindings.ts"],
    );
    for e in std::fs::read_dir(root().join("ui")).unwrap().flatten() {
        let p = e.path();
        if p.extension().is_some_and(|x| x == "html") {
            all.push((p.clone(), read(&p)));
        }
    }
    all
}

/// The string literals in the code that can name a message: plain ones,
/// and templates (`format!("problem-{}-summary")`, `` `setting-${k}-title` ``)
/// as patterns.
struct Names {
    exact: BTreeSet<String>,
    patterns: Vec<Regex>,
}

impl Names {
    fn of(files: &[(PathBuf, String)]) -> Names {
        // A part of an id may be a template's hole.
        let literal = Regex::new(
            r#"["'`]((?:[a-z0-9_]+|\$?\{[^}"'`]*\})(?:-(?:[a-z0-9_]+|\$?\{[^}"'`]*\}))*)["'`]"#,
        )
        .unwrap();
        let hole = Regex::new(r"\$?\{[^}]*\}").unwrap();
        let mut exact = BTreeSet::new();
        let mut patterns = vec![];
        for (_, text) in files {
            for c in literal.captures_iter(text) {
                let s = &c[1];
                if hole.is_match(s) {
                    // A template must say something of its own, or it would
                    // count every message as used.
                    let fixed: usize = hole.split(s).map(|p| p.trim_matches('-').len()).sum();
                    if fixed < 4 {
                        continue;
                    }
                    let parts: Vec<String> = hole.split(s).map(regex::escape).collect();
                    patterns.push(Regex::new(&format!("^{}$", parts.join("[a-z0-9_-]+"))).unwrap());
                } else {
                    exact.insert(s.to_string());
                }
            }
        }
        Names { exact, patterns }
    }

    fn uses(&self, id: &str) -> bool {
        self.exact.contains(id) || self.patterns.iter().any(|p| p.is_match(id))
    }
}

fn ids(lang: Language, name: &str) -> BTreeSet<String> {
    message_ids(&catalog(lang, name)).into_iter().collect()
}

/// `setting-shield-idle-seconds` for `shield.idle_seconds`.
fn setting_id(key: &str) -> String {
    format!("setting-{}", key.replace(['.', '_'], "-"))
}

#[test]
fn every_catalog_parses_and_every_language_has_englishs_messages_and_arguments() {
    let var = Regex::new(r"\$([a-z_]+)").unwrap();
    for name in CATALOGS {
        let en = catalog(Language::En, name);
        for lang in Language::ALL {
            let text = catalog(lang, name);
            let errors = parse_errors(&text);
            assert!(
                errors.is_empty(),
                "locales/{}/{name}: {errors:?}",
                lang.code()
            );
            let (have, want) = (ids(lang, name), ids(Language::En, name));
            let missing: Vec<_> = want.difference(&have).collect();
            let extra: Vec<_> = have.difference(&want).collect();
            assert!(
                missing.is_empty() && extra.is_empty(),
                "locales/{}/{name}: missing {missing:?}, not in English {extra:?}",
                lang.code()
            );
            let message = |source: &str, id: &str| -> BTreeSet<String> {
                // A message runs from its id to the next line that starts
                // another entry.
                let start = source
                    .find(&format!("\n{id} ="))
                    .map(|i| i + 1)
                    .or_else(|| source.starts_with(&format!("{id} =")).then_some(0))
                    .unwrap_or(0);
                let body: String = source[start..]
                    .lines()
                    .enumerate()
                    .take_while(|(i, l)| *i == 0 || l.starts_with(' ') || l.is_empty())
                    .map(|(_, l)| l)
                    .collect::<Vec<_>>()
                    .join("\n");
                var.captures_iter(&body).map(|c| c[1].to_string()).collect()
            };
            for id in &want {
                assert_eq!(
                    message(&text, id),
                    message(&en, id),
                    "locales/{}/{name}: `{id}` takes other arguments than in English",
                    lang.code()
                );
            }
        }
    }
}

#[test]
fn no_message_is_in_two_catalogs() {
    // The windows and the Rust side each load several catalogs into one
    // bundle, where a second message of the same id would be dropped.
    let mut seen: BTreeSet<String> = BTreeSet::new();
    for name in CATALOGS {
        for id in ids(Language::En, name) {
            assert!(
                seen.insert(id.clone()),
                "{name}: `{id}` is in another catalog too"
            );
        }
    }
}

#[test]
fn every_message_is_used_by_the_code() {
    let rust = Names::of(&rust_sources());
    let ui = Names::of(&ui_sources());
    let unused = |name: &str, names: &Names, skip: &dyn Fn(&str) -> bool| -> Vec<String> {
        ids(Language::En, name)
            .into_iter()
            .filter(|id| !skip(id) && !names.uses(id))
            .collect()
    };
    for name in ["app.ftl", "posture.ftl"] {
        let unused = unused(name, &rust, &|_| false);
        assert!(
            unused.is_empty(),
            "{name}: not used by the Rust code: {unused:?}"
        );
    }
    // A problem's messages are used when the code reports its code.
    let codes = |id: &str| -> String {
        id.trim_start_matches("problem-")
            .trim_end_matches("-summary")
            .trim_end_matches("-message")
            .to_string()
    };
    let problems: Vec<String> = ids(Language::En, "problems.ftl")
        .into_iter()
        .filter(|id| !rust.uses(&codes(id)))
        .collect();
    assert!(
        problems.is_empty(),
        "problems.ftl: no problem has these codes: {problems:?}"
    );
    // Settings' words are looked up by key: one title and help each (and
    // a label per option), for exactly the settings there are.
    let mut settings = BTreeSet::new();
    for s in SETTINGS {
        let id = setting_id(s.key);
        settings.insert(format!("{id}-title"));
        settings.insert(format!("{id}-help"));
        if let Kind::Choice { options } = s.kind {
            for o in options {
                settings.insert(format!("{id}-option-{o}"));
            }
        }
    }
    let ui_ids = ids(Language::En, "ui.ftl");
    let stray: Vec<_> = ui_ids
        .iter()
        .filter(|id| id.starts_with("setting-") && !settings.contains(*id))
        .filter(|id| !ui.exact.contains(*id))
        .collect();
    assert!(
        stray.is_empty(),
        "ui.ftl: settings that do not exist: {stray:?}"
    );
    for s in SETTINGS {
        for part in ["title", "help"] {
            let id = format!("{}-{part}", setting_id(s.key));
            assert!(
                ui_ids.contains(&id),
                "ui.ftl: no `{id}` for the setting {}",
                s.key
            );
        }
    }
    let unused_ui = unused("ui.ftl", &ui, &|id| settings.contains(id));
    assert!(
        unused_ui.is_empty(),
        "ui.ftl: not used by the windows: {unused_ui:?}"
    );
}

#[test]
fn every_message_the_code_asks_for_exists() {
    let all: BTreeSet<String> = CATALOGS.iter().flat_map(|n| ids(Language::En, n)).collect();
    let asks = [
        // Rust: tr(lang, "id", ...), Message::new("id"), the tray's item(ID, "id").
        (
            without_tests(rust_sources()),
            Regex::new(r#"(?:\btr\([^,()]+,\s*|Message::new\(\s*|\bitem\([A-Z_]+,\s*)"([^"{}]+)""#)
                .unwrap(),
        ),
        // Windows: t("id"), data-i18n="id", data-i18n-label="id".
        (
            ui_sources(),
            Regex::new(r#"(?:\bt\(\s*|data-i18n(?:-label)?=)["'`]([^"'`$]+)["'`]"#).unwrap(),
        ),
    ];
    for (files, ask) in asks {
        for (path, text) in files {
            for c in ask.captures_iter(&text) {
                assert!(
                    all.contains(&c[1]),
                    "{}: asks for `{}`, which no catalog has",
                    path.display(),
                    &c[1]
                );
            }
        }
    }
    // Every problem code the Rust side reports has its summary.
    let code = Regex::new(r#"Problem::new\(\s*"[a-z]+",\s*"([^"]+)""#).unwrap();
    for (path, text) in rust_sources() {
        for c in code.captures_iter(&text) {
            let id = format!("problem-{}-summary", &c[1]);
            assert!(
                all.contains(&id),
                "{}: no `{id}` for its problem",
                path.display()
            );
        }
    }
}
