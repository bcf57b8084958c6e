//! The training content Veil ships loads without a single error and meets
//! the content rules: at least 10 modules covering the required topics,
//! lessons readable in 3 minutes, at least 15 questions each (so spaced
//! repetition does not run out) with every kind used, and an explanation
//! for every option.

use std::path::Path;

use veil_core::training::content::{load, QuestionKind, MIN_QUESTIONS};

/// Veil's own modules carry more than the minimum an organization's must.
const SHIPPED_QUESTIONS: usize = 15;

fn shipped() -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/training/modules");
    let mut files: Vec<(String, String)> = std::fs::read_dir(&dir)
        .expect("assets/training/modules")
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "toml"))
        .map(|e| {
            (
                e.path().display().to_string(),
                std::fs::read_to_string(e.path()).expect("read"),
            )
        })
        .collect();
    files.sort();
    files
}

#[test]
fn every_shipped_module_loads_and_follows_the_rules() {
    let (modules, errors) = load(&shipped());
    assert!(errors.is_empty(), "{errors:#?}");
    assert!(modules.len() >= 10, "{} modules", modules.len());
    for topic in [
        "devices",
        "screen-lock",
        "disk-encryption",
        "home-network",
        "vpn",
        "identity",
        "camera-mic",
        "recordings",
        "customer-data",
        "physical-space",
        "phishing",
        "incidents",
    ] {
        assert!(modules.iter().any(|m| m.id == topic), "no module {topic}");
    }
    for m in &modules {
        assert!(
            m.reading_minutes() <= 3,
            "{}: {} min",
            m.id,
            m.reading_minutes()
        );
        assert!(
            m.questions.len() >= MIN_QUESTIONS.max(SHIPPED_QUESTIONS),
            "{}: {} questions",
            m.id,
            m.questions.len()
        );
        let kinds = |k: QuestionKind| m.questions.iter().filter(|q| q.kind == k).count();
        assert!(
            kinds(QuestionKind::TrueFalse) >= 1,
            "{}: no true/false",
            m.id
        );
        assert!(
            kinds(QuestionKind::Multiple) >= 1,
            "{}: no multiple choice",
            m.id
        );
        assert!(kinds(QuestionKind::Scenario) >= 1, "{}: no scenario", m.id);
        assert!(
            kinds(QuestionKind::Single) >= 1,
            "{}: no single choice",
            m.id
        );
        for q in &m.questions {
            assert!(q.options.iter().all(|o| !o.explain.is_empty()), "{}", q.id);
        }
    }
}
