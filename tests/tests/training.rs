//! Security training end to end: with a cadence of 0 set by policy, reading
//! a lesson in the training window makes a quiz pop up; answering shows the
//! explanation; the answer is in the store after a kill -9 and a restart and in the CSV
//! report. Driven through WebDriver on the real app. A recording on the
//! PulseAudio test server (a call) holds the quiz back and "Later" (Escape)
//! postpones it for as long as policy says, then no more. The organization's
//! folder is reloaded live; a file that breaks keeps its last good version.

use std::time::{Duration, Instant};

use veil_e2e::{pulse, wait_until, Home, Session};

const SOON: Duration = Duration::from_secs(10);

fn mouse_wiggle() {
    let _ = std::process::Command::new("xdotool")
        .args(["mousemove_relative", "--", "1", "1"])
        .status();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_quiz_pops_up_is_answered_and_the_answer_survives_kill_9_and_a_restart() {
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
    s.open_training().await;
    assert_eq!(
        s.text("#training-summary").await,
        "0 of 12 modules completed"
    );
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

    // The answer is durable: after a kill -9 and a restart it is still in
    // the report.
    assert!(home.running_pid().is_some(), "Veil found");
    home.kill_running_hard();
    wait_until(SOON, "Veil stopped", || home.status().is_none());
    s.end().await;
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

/// A quiz pop-up is on screen (any process: the app under WebDriver is a
/// child of tauri-driver).
fn quiz_on_screen() -> bool {
    std::process::Command::new("xdotool")
        .args(["search", "--onlyvisible", "--name", "^Veil security quiz$"])
        .output()
        .is_ok_and(|o| !o.stdout.is_empty())
}

fn training_field(home: &Home, key: &str) -> serde_json::Value {
    home.status()
        .map(|s| s["training"][key].clone())
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_call_holds_the_quiz_and_later_postpones_it_as_policy_allows() {
    let home = Home::new();
    home.write_settings("appearance = \"light\"\n");
    home.write_policy(
        "[training]\nquiz_every_minutes = 0\nsnooze_minutes = 1\nmax_snoozes = 1\n[shield]\nidle_seconds = 3600\n",
    );
    mouse_wiggle();
    let s = Session::start(&home).await;

    // A call is under way: something records from the headset.
    let mut call = home.pulse().record_from(pulse::HEADSET);
    wait_until(SOON, "the call is seen", || {
        home.status()
            .is_some_and(|s| s["microphone"]["recording"] == true)
    });

    // The lesson is read during the call: a quiz is due, but held.
    s.open_training().await;
    s.click("[data-module=screen-lock]").await;
    wait_until(SOON, "the quiz is held for the call", || {
        mouse_wiggle();
        training_field(&home, "quiz_held") == "call"
    });
    let held_since = Instant::now();
    while held_since.elapsed() < Duration::from_secs(4) {
        mouse_wiggle();
        assert!(!quiz_on_screen(), "a quiz popped up during a call");
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    let text = home.cli(&["status"]);
    let text = String::from_utf8_lossy(&text.stdout).into_owned();
    assert!(text.contains("next quiz after the call"), "{text}");

    // The call ends: the quiz pops up, offering "Later".
    let _ = call.kill();
    let _ = call.wait();
    mouse_wiggle();
    s.switch_to("quiz").await;
    s.eventually(SOON, "a question is asked", || async {
        s.text("#quiz-progress").await == "Question 1 of 3"
    })
    .await;
    assert_eq!(s.text("#quiz-later").await, "Later");

    // Escape is "Later": the pop-up goes and stays away for the snooze.
    let ok = std::process::Command::new("xdotool")
        .args(["key", "--clearmodifiers", "Escape"])
        .status()
        .is_ok_and(|st| st.success());
    assert!(ok, "xdotool key");
    wait_until(SOON, "the quiz closed", || !quiz_on_screen());
    let snoozed = Instant::now();
    wait_until(SOON, "the quiz is postponed", || {
        training_field(&home, "quiz_held") == "snoozed"
    });
    let left = training_field(&home, "next_quiz_in_seconds")
        .as_u64()
        .unwrap_or(0);
    assert!(
        (50..=60).contains(&left),
        "a minute's snooze, {left} s left"
    );
    while snoozed.elapsed() < Duration::from_secs(50) {
        mouse_wiggle();
        assert!(
            !quiz_on_screen(),
            "the quiz came back before the snooze ran out"
        );
        tokio::time::sleep(Duration::from_millis(500)).await;
    }

    // After it, the quiz is back without "Later": policy allows one in a row.
    wait_until(Duration::from_secs(30), "the quiz is back", || {
        mouse_wiggle();
        quiz_on_screen()
    });
    s.switch_to("quiz").await;
    s.eventually(SOON, "a question is asked again", || async {
        s.text("#quiz-progress").await == "Question 1 of 3"
    })
    .await;
    let later = s
        .client
        .find_all(fantoccini::Locator::Css("#quiz-later"))
        .await
        .unwrap_or_default();
    assert!(later.is_empty(), "no second Later");
    // On the record: each pop-up shown, and the one put off with Later.
    assert_eq!(home.audit_of("quiz_shown").len(), 2, "{:?}", home.audit());
    let missed = home.audit_of("quiz_missed");
    assert_eq!(missed.len(), 1, "{:?}", home.audit());
    assert!(
        missed[0]["details"]
            .as_str()
            .unwrap()
            .contains("postponed with Later"),
        "{missed:?}"
    );
    s.end().await;
}

fn org_module(id: &str, title: &str) -> String {
    let mut t = format!(
        "id = \"{id}\"\ntitle = \"{title}\"\norder = 500\nlesson = \"\"\"\nOur own rules.\n\"\"\"\n"
    );
    for i in 1..=6 {
        t.push_str(&format!(
            "\n[[question]]\nid = \"{id}-{i}\"\nkind = \"true_false\"\nprompt = \"Rule {i} applies at home.\"\n\
             [[question.option]]\ntext = \"True\"\ncorrect = true\nexplain = \"It does.\"\n\
             [[question.option]]\ntext = \"False\"\nexplain = \"It does apply.\"\n"
        ));
    }
    t
}

#[test]
fn the_organizations_folder_is_reloaded_live_and_a_broken_file_keeps_its_last_version() {
    let home = Home::new();
    let org = home.path().join("org-training");
    std::fs::create_dir_all(&org).unwrap();
    std::fs::write(
        org.join("badges.toml"),
        org_module("badges", "Visitor badges"),
    )
    .unwrap();
    home.write_policy(&format!(
        "[training]\nextra_folder = \"{}\"\n",
        org.display()
    ));
    let _app = home.launch(&[]);
    let modules = || training_field(&home, "modules");
    let errors = || {
        training_field(&home, "errors")
            .as_array()
            .cloned()
            .unwrap_or_default()
    };
    wait_until(SOON, "12 shipped modules plus the organization's", || {
        modules() == 13
    });

    // A module added to the folder appears without a restart.
    std::fs::write(
        org.join("printing.toml"),
        org_module("printing", "Printing at home"),
    )
    .unwrap();
    wait_until(SOON, "the new module is loaded", || modules() == 14);
    let report = home.cli(&["training", "report", "--format", "csv"]);
    assert!(
        String::from_utf8_lossy(&report.stdout).contains(",printing,Printing at home,"),
        "{report:?}"
    );

    // A half-saved edit: the error names the file and line, the module stays.
    std::fs::write(org.join("badges.toml"), "id = \"badges\"\ntitle = ").unwrap();
    wait_until(SOON, "the broken file is reported", || {
        errors().iter().any(|e| {
            let e = e.as_str().unwrap_or("");
            e.contains("badges.toml:2:") && e.ends_with("(the version loaded before is kept)")
        })
    });
    assert_eq!(modules(), 14, "{:?}", errors());

    // Fixed again: the error goes. Deleted: the module goes.
    std::fs::write(
        org.join("badges.toml"),
        org_module("badges", "Visitor badges"),
    )
    .unwrap();
    wait_until(SOON, "the error is gone", || errors().is_empty());
    std::fs::remove_file(org.join("printing.toml")).unwrap();
    wait_until(SOON, "the deleted module is gone", || modules() == 13);

    // Policy names a folder that does not exist: said, the shipped ones stay.
    home.write_policy("[training]\nextra_folder = \"/nonexistent/veil-org\"\n");
    wait_until(SOON, "the missing folder is reported", || {
        modules() == 12
            && errors().iter().any(|e| {
                e.as_str().is_some_and(|e| {
                    e.starts_with("/nonexistent/veil-org:1: cannot read the folder")
                })
            })
    });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_store_the_training_window_says_progress_cannot_be_saved() {
    let home = Home::new();
    home.without_credential_store();
    home.write_policy(
        "store.key_fallback = \"refuse\"\n[training]\nquiz_every_minutes = 0\n[shield]\nidle_seconds = 3600\n",
    );
    mouse_wiggle();
    let s = Session::start(&home).await;
    s.open_training().await;
    s.eventually(SOON, "the notice shows", || async {
        s.text("#store-notice")
            .await
            .starts_with("Your training progress cannot be saved right now (")
    })
    .await;
    // A lesson read: with nowhere to keep answers, no quiz is scheduled.
    s.click("[data-module=phishing]").await;
    let since = Instant::now();
    while since.elapsed() < Duration::from_secs(5) {
        mouse_wiggle();
        assert!(!quiz_on_screen(), "a quiz whose answers cannot be kept");
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    assert!(!home.store_path().exists(), "nothing written in plain text");
    s.end().await;
}

/// A module with a question of each kind; the scenarios are long, as real
/// ones are, so that fitting them matters.
fn kinds_module() -> String {
    let scenario = "You are on a call with a customer who is disputing a card payment. Your partner walks into the room behind you to ask about dinner, the customer's card number and address are on your screen, and the headset's cable is tangled in the chair. The customer is reading out the last four digits of another card while your child starts a video call on the laptop's speakers in the next room.";
    let mut t = String::from(
        "id = \"kinds\"\ntitle = \"Every kind of question\"\norder = 1\nlesson = \"\"\"\nOne of each kind.\n\"\"\"\n",
    );
    // A quiz asks three: the first practice asks the first three kinds,
    // the second starts with `single`.
    for (i, kind) in [
        "scenario",
        "multiple",
        "true_false",
        "single",
        "scenario",
        "multiple",
    ]
    .iter()
    .enumerate()
    {
        t.push_str(&format!(
            "\n[[question]]\nid = \"kinds-{i}\"\nkind = \"{kind}\"\n"
        ));
        match *kind {
            "scenario" => t.push_str(&format!(
                "scenario = \"{scenario}\"\nprompt = \"What do you do first?\"\n\
                 [[question.option]]\ntext = \"Put the customer on hold and lock the screen before turning round.\"\ncorrect = true\nexplain = \"The screen is covered before anyone can read it, and the customer hears nothing of the room.\"\n\
                 [[question.option]]\ntext = \"Turn round and answer your partner quickly; the customer will wait.\"\nexplain = \"The card number stays readable on the screen while you talk.\"\n\
                 [[question.option]]\ntext = \"Mute the headset and keep talking to the customer.\"\nexplain = \"Muting hides the room's sound, not the screen.\"\n"
            )),
            "single" => t.push_str(
                "prompt = \"A courier rings while you are on a call with a customer. What do you do?\"\n\
                 [[question.option]]\ntext = \"Put the call on hold, lock the screen, then go to the door.\"\ncorrect = true\nexplain = \"Nothing is left readable or audible while you are away.\"\n\
                 [[question.option]]\ntext = \"Take the headset with you and keep talking.\"\nexplain = \"The courier hears the customer's details, and the screen stays open behind you.\"\n\
                 [[question.option]]\ntext = \"Leave the call running; you will be back in a minute.\"\nexplain = \"The screen and the open line are unattended for that minute.\"\n",
            ),
            "multiple" => t.push_str(
                "prompt = \"Which of these must stay out of sight during a call?\"\n\
                 [[question.option]]\ntext = \"The customer's card number on the screen.\"\ncorrect = true\nexplain = \"Anyone in the room could read and remember it.\"\n\
                 [[question.option]]\ntext = \"A printed list of customers' addresses.\"\ncorrect = true\nexplain = \"Paper leaves the desk more easily than a screen.\"\n\
                 [[question.option]]\ntext = \"The company's public website.\"\nexplain = \"Public pages hold nothing a customer trusted you with.\"\n",
            ),
            _ => t.push_str(
                "prompt = \"A locked screen is enough when you step away for a minute.\"\n\
                 [[question.option]]\ntext = \"True\"\ncorrect = true\nexplain = \"Locking hides everything; a minute is long enough for someone to read a card number.\"\n\
                 [[question.option]]\ntext = \"False\"\nexplain = \"A locked screen is exactly what the rules ask for.\"\n",
            ),
        }
    }
    t
}

/// Where the question and the buttons are in the pop-up: (the progress
/// line's top, the primary button's bottom, the viewport's height, the
/// page scrolled by, the content fits).
async fn quiz_layout(s: &Session) -> (f64, f64, f64, f64, bool) {
    let v = s
        .client
        .execute(
            "const p = document.getElementById('quiz-progress').getBoundingClientRect();\
             const b = document.querySelector('.quiz-actions .primary').getBoundingClientRect();\
             return [p.top, b.bottom, window.innerHeight, window.scrollY, document.body.dataset.fits === 'true'];",
            vec![],
        )
        .await
        .expect("layout");
    let n = |i: usize| v[i].as_f64().unwrap_or(f64::NAN);
    (n(0), n(1), n(2), n(3), v[4].as_bool().unwrap_or(false))
}

/// The page's own click. Under scaled text WebKitWebDriver's pointer lands
/// beside the element (its coordinates do not follow GDK_DPI_SCALE), so
/// these tests click the way the page's keyboard handling would.
async fn js_click(s: &Session, css: &str) {
    let script = format!(
        "const e = document.querySelector({css:?}); if (!e) return false; e.click(); return true;"
    );
    s.eventually(SOON, &format!("{css} to click"), || async {
        s.client
            .execute(&script, vec![])
            .await
            .ok()
            .and_then(|v| v.as_bool())
            == Some(true)
    })
    .await;
}

async fn the_quiz_fits_at(scale: &str) {
    let home = Home::new();
    let org = home.path().join("org-training");
    std::fs::create_dir_all(&org).unwrap();
    std::fs::write(org.join("kinds.toml"), kinds_module()).unwrap();
    home.write_settings("appearance = \"light\"\n");
    home.write_policy(&format!(
        "[training]\nextra_folder = \"{}\"\n",
        org.display()
    ));
    // Text scaling as the desktop's 125 % / 150 % setting gives it.
    home.set_env("GDK_DPI_SCALE", scale);
    let s = Session::start(&home).await;
    s.eventually(SOON, "the dashboard's training card", || async {
        s.text("#training-summary")
            .await
            .contains("modules completed")
    })
    .await;
    js_click(&s, "#open-training").await;
    s.switch_to("training").await;
    js_click(&s, "[data-module=kinds]").await;
    s.eventually(SOON, "the lesson shows", || async {
        s.text("#lesson-title").await.starts_with("Every kind")
    })
    .await;
    let mut kinds = vec![];
    for (round, asked) in [(1, 3), (2, 1)] {
        if round == 2 {
            s.switch_to("training").await;
        }
        js_click(&s, "#practice").await;
        s.switch_to("quiz").await;
        for n in 1..=asked {
            ask_one(&s, scale, n, &mut kinds).await;
        }
    }
    kinds.sort();
    assert_eq!(
        kinds,
        ["multiple", "scenario", "single", "true_false"],
        "one of each kind"
    );
    s.end().await;
}

/// Question `n` of the open quiz: laid out whole before and after its
/// answer; a screenshot of each kind at 100 %.
async fn ask_one(s: &Session, scale: &str, n: usize, kinds: &mut Vec<String>) {
    s.eventually(SOON, "a question is asked", || async {
        s.text("#quiz-progress").await == format!("Question {n} of 3")
    })
    .await;
    // Let the window take its size.
    tokio::time::sleep(Duration::from_millis(400)).await;
    let (top, bottom, height, scrolled, fits) = quiz_layout(s).await;
    let kind = s
        .attr(".quiz-question", "data-kind")
        .await
        .unwrap_or_default();
    assert_eq!(scrolled, 0.0, "{kind} at {scale}: opened scrolled");
    assert!(
        top >= 0.0,
        "{kind} at {scale}: the question's top is cut ({top})"
    );
    assert!(
        bottom <= height + 0.5,
        "{kind} at {scale}: the buttons are cut ({bottom} > {height})"
    );
    if scale == "1" {
        assert!(fits, "{kind}: the window did not grow to its question");
        s.screenshot(&format!("quiz-{}", kind.replace('_', "-")))
            .await;
    }
    js_click(s, "#opt-a").await;
    js_click(s, "#quiz-submit").await;
    s.eventually(SOON, "the explanation shows", || async {
        !s.text("#explain-a").await.is_empty()
    })
    .await;
    tokio::time::sleep(Duration::from_millis(400)).await;
    let (top, bottom, height, _, _) = quiz_layout(s).await;
    assert!(
        top >= 0.0,
        "{kind} at {scale}: the explanation pushed the question out ({top})"
    );
    assert!(
        bottom <= height + 0.5,
        "{kind} at {scale}: the buttons went out of view ({bottom} > {height})"
    );
    if scale == "1" && n == 1 {
        s.screenshot(&format!("quiz-{}-explained", kind.replace('_', "-")))
            .await;
    }
    kinds.push(kind);
    js_click(s, "#quiz-next").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_quiz_fits_each_kind_of_question_at_100_percent() {
    the_quiz_fits_at("1").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_quiz_fits_at_125_and_150_percent() {
    the_quiz_fits_at("1.25").await;
    the_quiz_fits_at("1.5").await;
}
