//! The windows' capability files, read by the tray app too: a window call
//! is answered only when the calling window's capability grants it, so a
//! window process made to call what its window may not (or anything
//! speaking for it) is refused where the decision is made, not only by the
//! web engine's IPC checks in the window process.

use std::sync::OnceLock;

use serde::Deserialize;
use veil_core::control::WindowName;

#[derive(Deserialize)]
struct Capability {
    windows: Vec<String>,
    permissions: Vec<String>,
}

const FILES: &[(&str, &str)] = &[
    ("main.json", include_str!("../capabilities/main.json")),
    ("quiz.json", include_str!("../capabilities/quiz.json")),
    ("shield.json", include_str!("../capabilities/shield.json")),
    (
        "training.json",
        include_str!("../capabilities/training.json"),
    ),
];

fn all() -> &'static [Capability] {
    static CAPS: OnceLock<Vec<Capability>> = OnceLock::new();
    CAPS.get_or_init(|| {
        FILES
            .iter()
            .filter_map(|(name, text)| match serde_json::from_str(text) {
                Ok(c) => Some(c),
                Err(e) => {
                    // A build whose capability file does not parse grants
                    // nothing from it (and its test fails).
                    tracing::error!("capabilities/{name}: {e}");
                    None
                }
            })
            .collect()
    })
}

/// Whether `window`'s capability grants the window call `call`.
pub fn allows(window: WindowName, call: &str) -> bool {
    let grant = format!("allow-{}", call.replace('_', "-"));
    all()
        .iter()
        .any(|c| c.windows.iter().any(|w| w == window.label()) && c.permissions.contains(&grant))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_window_may_make_only_its_own_calls() {
        assert_eq!(all().len(), FILES.len(), "a capability file does not parse");
        assert!(allows(WindowName::Quiz, "answer_question"));
        assert!(!allows(WindowName::Quiz, "set_privacy_mode"));
        assert!(!allows(WindowName::Quiz, "set_setting"));
        assert!(allows(WindowName::Main, "set_privacy_mode"));
        assert!(!allows(WindowName::Main, "answer_question"));
        assert!(allows(WindowName::Training, "practice"));
        assert!(!allows(WindowName::Training, "shield_now"));
    }
}
