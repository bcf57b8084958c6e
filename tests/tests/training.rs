//! Security training end to end: with a cadence of 0 set by policy, reading
//! a lesson in the training window makes a quiz pop up; answering shows the
//! explanation; the answer is in the store after a restart and in the CSV
//! report. Driven through WebDriver on the real app.

use std::time::Duration;

use veil_e2e::{wait_until, Home, Session};

const SOON: Duration = Duration::from_secs(10);

fn mouse_wiggle() {
    let _ = std::process::Command::new("xdotool")
        .args(["mousemove_relative", "--", "1", "1"])
        .status();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_quiz_pops_up_is_answered_and_the_answer_survives_a_restart() {
    let home = Home::new();
    home.write_settings("appearance = \"light\"\n");
    home.write_policy(
        "[training]\nquiz_every_minutes = 0\nmandatory = [\"phishing@2026-12-31\"]\n",
    );
    mouse_wiggle();
    let s = Session::start(&home).await;
    let status = home.status().unwrap();
    assert_eq!(status["training"]["modules"], 12, "{}", status["training"]);
    assert_eq!(status["training"]["completed"], 0);
    assert_eq!(status["training"]["due"], 1, "the mandatory module");
    assert!(
        status["training"]["next_quiz_in_seconds"].is_null(),
        "nothing to ask before a lesson"
    );

    // The dashboard opens the training window; the lesson marks itself read.
    s.eventually(SOON, "the dashboard's training card", || async {
        s.text("#training-summary")
            .await
            .starts_with("0 of 12 modules completed")
    })
    .await;
    s.click("#open-training").await;
    s.switch_to("training").await;
    s.eventually(SOON, "modules listed", || async {
        s.text("#training-summary").await == "0 of 12 modules completed"
    })
    .await;
    s.click("[data-module=phishing]").await;
    s.eventually(SOON, "the lesson shows", || async {
        s.text("#lesson-title").await.starts_with("Phishing")
    })
    .await;
    s.screenshot("training-window").await;

    // Cadence 0: a quiz pops up at the next good moment.
    mouse_wiggle();
    s.switch_to("quiz").await;
    s.eventually(SOON, "a question is asked", || async {
        s.text("#quiz-progress").await == "Question 1 of 3"
    })
    .await;
    let prompt = s.text("#quiz-prompt").await;
    assert!(!prompt.is_empty());
    s.click("#opt-a").await;
    s.click("#quiz-submit").await;
    s.eventually(SOON, "the explanation shows", || async {
        !s.text("#quiz-result").await.is_empty() && !s.text("#explain-a").await.is_empty()
    })
    .await;
    s.screenshot("quiz-popup").await;
    s.end().await;

    // The answer is durable: after a restart it is still in the report.
    wait_until(SOON, "Veil stopped", || home.status().is_none());
    let _app = home.launch(&[]);
    let out = home.cli(&["training", "report", "--format", "csv"]);
    assert!(out.status.success(), "{out:?}");
    let csv = String::from_utf8_lossy(&out.stdout).into_owned();
    let row = csv
        .lines()
        .find(|l| l.contains(",phishing,"))
        .unwrap_or_else(|| panic!("{csv}"));
    let cols: Vec<&str> = row.split(',').collect();
    assert_eq!(cols[3], "true", "lesson read: {row}");
    assert_eq!(cols[8], "1", "one answer: {row}");
    let json = home.cli(&["training", "report", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(v["modules"].as_array().unwrap().len(), 12);
    let status = home.status().unwrap();
    assert_eq!(status["training"]["modules"], 12);
}
