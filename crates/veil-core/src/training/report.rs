//! The supervisor's training report: one row per module, as
//! `veil training report` prints it and the training window exports it.

use serde::Serialize;

use super::content::Module;
use super::schedule::{Answer, Progress};
use crate::clock::Millis;
use crate::timefmt::rfc3339;

/// One row per module.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReportRow {
    pub module: String,
    pub title: String,
    pub lesson_read: bool,
    pub questions: usize,
    pub answered_right: usize,
    pub mastery_percent: u32,
    pub completed: bool,
    pub answers: usize,
    pub correct_answers: usize,
    /// Unix ms of the last answer.
    pub last_answer_at: Option<i64>,
}

/// The rows, from the modules and the agent's stored history.
pub fn rows(
    modules: &[Module],
    lessons: &[(String, i64)],
    answers: &[Answer],
    now: Millis,
) -> Vec<ReportRow> {
    let progress = Progress::replay(lessons, answers);
    modules
        .iter()
        .map(|m| {
            let p = progress.module(m, now);
            let mine: Vec<&Answer> = answers.iter().filter(|a| a.module == m.id).collect();
            ReportRow {
                module: m.id.clone(),
                title: m.title.clone(),
                lesson_read: p.lesson_read,
                questions: p.total,
                answered_right: p.answered,
                mastery_percent: p.mastery,
                completed: p.completed,
                answers: mine.len(),
                correct_answers: mine.iter().filter(|a| a.correct).count(),
                last_answer_at: mine.iter().map(|a| a.at).max(),
            }
        })
        .collect()
}

/// The report's formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportFormat {
    Csv,
    Json,
}

/// The report as a file's text, for `user`, made at `now`.
pub fn render(rows: &[ReportRow], user: &str, now: Millis, format: ReportFormat) -> String {
    match format {
        ReportFormat::Csv => csv(rows, user),
        ReportFormat::Json => {
            let doc = serde_json::json!({
                "user": user,
                "generated_at": rfc3339(now.0),
                "modules": rows,
            });
            // A value of plain strings, numbers and booleans always serializes.
            serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n"
        }
    }
}

fn csv(rows: &[ReportRow], user: &str) -> String {
    let mut out = String::from(
        "user,module,title,lesson_read,questions,answered_right,mastery_percent,completed,answers,correct_answers,last_answer_at\n",
    );
    for r in rows {
        out.push_str(&crate::csv::row(&[
            user.to_string(),
            r.module.clone(),
            r.title.clone(),
            r.lesson_read.to_string(),
            r.questions.to_string(),
            r.answered_right.to_string(),
            r.mastery_percent.to_string(),
            r.completed.to_string(),
            r.answers.to_string(),
            r.correct_answers.to_string(),
            r.last_answer_at.map(rfc3339).unwrap_or_default(),
        ]));
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::training::content::load;

    fn module() -> Vec<Module> {
        let mut text =
            String::from("id = \"m\"\ntitle = \"Module, one\"\nlesson = \"Read this.\"\n");
        for i in 1..=6 {
            text.push_str(&format!(
                "[[question]]\nid = \"m-{i}\"\nkind = \"true_false\"\nprompt = \"P\"\n\
                 [[question.option]]\ntext = \"True\"\ncorrect = true\nexplain = \"e\"\n\
                 [[question.option]]\ntext = \"False\"\nexplain = \"e\"\n"
            ));
        }
        let (modules, errors) = load(&[("m.toml".into(), text)]);
        assert!(errors.is_empty(), "{errors:?}");
        modules
    }

    fn answer(q: &str, correct: bool, at: i64) -> Answer {
        Answer {
            question: q.into(),
            module: "m".into(),
            chosen: vec!["a".into()],
            correct,
            took_ms: 1000,
            at,
        }
    }

    #[test]
    fn rows_count_answers_and_progress() {
        let modules = module();
        let answers = [
            answer("m-1", false, 10),
            answer("m-1", true, 20),
            answer("m-2", true, 30),
        ];
        let rows = rows(&modules, &[("m".into(), 5)], &answers, Millis(40));
        assert_eq!(rows.len(), 1);
        let r = &rows[0];
        assert!(r.lesson_read);
        assert_eq!((r.questions, r.answered_right), (6, 2));
        assert_eq!((r.answers, r.correct_answers), (3, 2));
        assert_eq!(r.last_answer_at, Some(30));
        assert!(!r.completed);
    }

    #[test]
    fn csv_quotes_titles_and_json_names_the_user() {
        let rows = rows(&module(), &[], &[], Millis(0));
        let csv = render(&rows, "agent", Millis(0), ReportFormat::Csv);
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines.len(), 2);
        assert!(lines[0].starts_with("user,module,title,"));
        assert_eq!(lines[1], "agent,m,\"Module, one\",false,6,0,0,false,0,0,");
        let json: serde_json::Value =
            serde_json::from_str(&render(&rows, "agent", Millis(0), ReportFormat::Json)).unwrap();
        assert_eq!(json["user"], "agent");
        assert_eq!(json["generated_at"], "1970-01-01T00:00:00.000Z");
        assert_eq!(json["modules"][0]["module"], "m");
    }
}
