//! The training content Veil ships loads without a single error and meets
//! the content rules: at least 10 modules covering the required topics,
//! lessons readable in 3 minutes, at least 15 questions each (so spaced
//! repetition does not run out) with every kind used, and an explanation
//! for every option.

use std::path::Path;

use veil_core::training::content::{load, translate, QuestionKind, MIN_QUESTIONS};

/// Veil's own modules carry more than the minimum an organization's must.
const SHIPPED_QUESTIONS: usize = 15;

fn shipped() -> Vec<(String, String)> {
    toml_in(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/training/modules"))
}

fn toml_in(dir: &Path) -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = std::fs::read_dir(dir)
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

/// Every shipped module has a Spanish translation that matches it (same
/// questions and right answers, so progress carries over), changes its
/// words, and still reads in 3 minutes.
#[test]
fn every_shipped_module_is_translated_into_spanish() {
    let (english, _) = load(&shipped());
    let mut spanish = english.clone();
    let files =
        toml_in(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/training/modules/es"));
    assert_eq!(files.len(), english.len(), "one Spanish file per module");
    let errors = translate(&mut spanish, &files);
    assert!(errors.is_empty(), "{errors:#?}");
    for (en, es) in english.iter().zip(&spanish) {
        assert_ne!(en.title, es.title, "{}: title not translated", en.id);
        assert_ne!(en.lesson, es.lesson, "{}: lesson not translated", en.id);
        assert!(
            es.reading_minutes() <= 3,
            "{}: {} min",
            es.id,
            es.reading_minutes()
        );
        for (q, tq) in en.questions.iter().zip(&es.questions) {
            assert_eq!(q.id, tq.id);
            assert_ne!(q.prompt, tq.prompt, "{}: prompt not translated", q.id);
            for (o, to) in q.options.iter().zip(&tq.options) {
                assert_eq!((&o.id, o.correct), (&to.id, to.correct), "{}", q.id);
                assert!(!to.explain.is_empty(), "{}", q.id);
            }
        }
    }
}
