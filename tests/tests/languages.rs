//! Veil in the agent's language: with a Spanish OS locale (and no
//! `language` setting) the dashboard, the training window, the quiz and the
//! CLI's words for agents are Spanish, while JSON stays English; the
//! agent's own `language = "en"` switches the open window back live, and
//! the answers given in Spanish are the same answers in English.

use std::time::Duration;

use veil_e2e::{wait_until, Home, Session};

const SOON: Duration = Duration::from_secs(15);

fn stdout(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn phishing_answers(home: &Home) -> u64 {
    let o = home.cli(&["training", "report", "--format", "json"]);
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap_or_default();
    report["modules"]
        .as_array()
        .and_then(|m| m.iter().find(|m| m["module"] == "phishing"))
        .and_then(|m| m["answers"].as_u64())
        .unwrap_or(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_spanish_locale_gives_spanish_windows_quiz_and_cli_and_progress_carries_across() {
    let home = Home::new();
    home.set_env("LC_ALL", "es_MX.UTF-8");
    home.write_policy("[training]\nquiz_every_minutes = 0\n");
    let s = Session::start(&home).await;
    s.eventually(SOON, "the dashboard in Spanish", || async {
        s.text("#state-title").await == "Estás protegido"
    })
    .await;
    assert_eq!(s.text("#tab-dashboard").await, "Panel");
    assert_eq!(s.attr("html", "lang").await.as_deref(), Some("es"));
    s.screenshot("dashboard-es").await;
    s.click("#tab-settings").await;
    s.eventually(SOON, "the settings in Spanish", || async {
        s.text("#page-title").await == "Ajustes"
    })
    .await;
    s.screenshot("settings-es").await;
    s.click("#tab-dashboard").await;

    // The CLI speaks Spanish to the agent; `--json` stays English.
    let o = home.cli(&["privacy", "off"]);
    assert!(o.status.success());
    assert_eq!(stdout(&o).trim(), "El modo privado está desactivado.");
    let status: serde_json::Value =
        serde_json::from_slice(&home.cli(&["status", "--json"]).stdout).expect("json");
    assert_eq!(status["state"], "off", "{status}");
    s.eventually(SOON, "the state follows", || async {
        s.text("#state-title").await.contains("desactivado")
    })
    .await;
    assert!(home.cli(&["privacy", "on"]).status.success());
    // Settled before the next click (a re-render replaces the card's button).
    s.eventually(SOON, "protected again", || async {
        s.text("#state-title").await == "Estás protegido"
    })
    .await;

    // Training: the module's lesson and a question from the Spanish file.
    s.open_training().await;
    s.click("[data-module=phishing]").await;
    s.eventually(SOON, "the Spanish lesson", || async {
        s.text("#lesson-title")
            .await
            .starts_with("Phishing e ingeniería social")
    })
    .await;
    s.click("#practice").await;
    s.switch_to("quiz").await;
    s.eventually(SOON, "a question in Spanish", || async {
        s.text("#quiz-progress").await == "Pregunta 1 de 3"
    })
    .await;
    s.screenshot("quiz-es").await;
    s.click("#opt-a").await;
    s.click("#quiz-submit").await;
    s.eventually(SOON, "the answer's result", || async {
        !s.text("#quiz-result").await.is_empty()
    })
    .await;
    wait_until(SOON, "the Spanish answer recorded", || {
        phishing_answers(&home) >= 1
    });
    let answered = phishing_answers(&home);

    // The agent picks English: the open windows follow, and the answer
    // given in Spanish counts in English (same question ids).
    home.write_settings("language = \"en\"\n");
    s.switch_to("main").await;
    s.eventually(SOON, "the dashboard in English", || async {
        s.text("#tab-dashboard").await == "Dashboard"
    })
    .await;
    assert_eq!(phishing_answers(&home), answered);
    let o = home.cli(&["privacy", "on"]);
    assert_eq!(stdout(&o).trim(), "Privacy mode is on.");
    s.end().await;
}
