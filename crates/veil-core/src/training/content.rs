//! Training modules as the security team writes them: one TOML file per
//! module (format in assets/training/README.md). Loading validates every
//! rule and names the file and line of each problem; a module with a
//! problem is skipped and the others load.

use std::collections::HashSet;
use std::path::Path;
use ts_rs::TS;

use serde::Serialize;
use toml_edit::{Document, Item, Table, Value};

/// Reading speed the "3 minutes or less" rule assumes (words per minute).
pub const READING_WPM: usize = 200;
pub const MAX_LESSON_MINUTES: usize = 3;
pub const MIN_QUESTIONS: usize = 6;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum QuestionKind {
    /// One right answer.
    Single,
    /// Every right answer must be chosen, and no wrong one.
    Multiple,
    TrueFalse,
    /// A short situation, then one right answer.
    Scenario,
}

impl QuestionKind {
    fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "single" => Self::Single,
            "multiple" => Self::Multiple,
            "true_false" => Self::TrueFalse,
            "scenario" => Self::Scenario,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Choice {
    /// "a", "b", ... in file order.
    pub id: String,
    pub text: String,
    pub correct: bool,
    /// Why this option is right or wrong; shown after the answer.
    pub explain: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Question {
    pub id: String,
    pub module: String,
    pub kind: QuestionKind,
    /// The situation, for scenario questions.
    pub scenario: Option<String>,
    pub prompt: String,
    pub options: Vec<Choice>,
}

impl Question {
    /// Whether `chosen` (option ids) is exactly the set of right answers.
    pub fn is_correct(&self, chosen: &[String]) -> bool {
        let right: HashSet<&str> = self
            .options
            .iter()
            .filter(|o| o.correct)
            .map(|o| o.id.as_str())
            .collect();
        let picked: HashSet<&str> = chosen.iter().map(String::as_str).collect();
        !picked.is_empty() && right == picked
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Module {
    pub id: String,
    pub title: String,
    /// Where the module sorts in the list.
    pub order: i64,
    pub lesson: String,
    pub questions: Vec<Question>,
    /// The file it came from.
    pub file: String,
}

impl Module {
    pub fn reading_minutes(&self) -> usize {
        words(&self.lesson).div_ceil(READING_WPM).max(1)
    }
}

fn words(text: &str) -> usize {
    text.split_whitespace().count()
}

/// A problem in a training file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ContentError {
    pub file: String,
    pub line: usize,
    pub message: String,
}

impl std::fmt::Display for ContentError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}: {}", self.file, self.line, self.message)
    }
}

fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        + 1
}

struct Reader<'a> {
    file: &'a str,
    text: &'a str,
    errors: Vec<ContentError>,
}

impl Reader<'_> {
    fn error(&mut self, offset: usize, message: String) {
        self.errors.push(ContentError {
            file: self.file.to_string(),
            line: line_of(self.text, offset),
            message,
        });
    }

    fn offset(table: &Table, key: &str) -> Option<usize> {
        table
            .key(key)
            .and_then(|k| k.span())
            .or_else(|| table.get(key).and_then(Item::span))
            .map(|s| s.start)
    }

    fn table_offset(table: &Table) -> usize {
        table.span().map(|s| s.start).unwrap_or(0)
    }

    /// Unknown keys are errors: a typo must not silently drop content.
    fn only(&mut self, table: &Table, allowed: &[&str], what: &str) {
        for (k, _) in table.iter() {
            if !allowed.contains(&k) {
                let at = Self::offset(table, k).unwrap_or(0);
                self.error(
                    at,
                    format!(
                        "unknown key `{k}` in {what} (expected one of: {})",
                        allowed.join(", ")
                    ),
                );
            }
        }
    }

    fn text(&mut self, table: &Table, key: &str, what: &str) -> Option<String> {
        match table.get(key) {
            Some(Item::Value(Value::String(s))) => {
                let v = s.value().trim().to_string();
                if v.is_empty() {
                    let at = Self::offset(table, key).unwrap_or(0);
                    self.error(at, format!("`{key}` of {what} is empty"));
                    None
                } else {
                    Some(v)
                }
            }
            Some(_) => {
                let at = Self::offset(table, key).unwrap_or(0);
                self.error(at, format!("`{key}` of {what} must be text"));
                None
            }
            None => {
                self.error(Self::table_offset(table), format!("{what} has no `{key}`"));
                None
            }
        }
    }
}

/// Parses one module file. Errors name the file and line.
pub fn parse_module(file: &str, text: &str) -> Result<Module, Vec<ContentError>> {
    let doc = match Document::parse(text) {
        Ok(d) => d,
        Err(e) => {
            let line = e.span().map(|s| line_of(text, s.start)).unwrap_or(1);
            return Err(vec![ContentError {
                file: file.into(),
                line,
                message: format!(
                    "not valid TOML: {}",
                    e.message().lines().next().unwrap_or("")
                ),
            }]);
        }
    };
    let mut r = Reader {
        file,
        text,
        errors: vec![],
    };
    let top = doc.as_table();
    r.only(
        top,
        &["id", "title", "order", "lesson", "question"],
        "the module",
    );
    let id = r.text(top, "id", "the module");
    let title = r.text(top, "title", "the module");
    let lesson = r.text(top, "lesson", "the module");
    let order = match top.get("order") {
        None => 1000,
        Some(Item::Value(Value::Integer(i))) => *i.value(),
        Some(_) => {
            r.error(
                Reader::offset(top, "order").unwrap_or(0),
                "`order` must be a whole number".into(),
            );
            0
        }
    };
    if let Some(l) = &lesson {
        let limit = READING_WPM * MAX_LESSON_MINUTES;
        if words(l) > limit {
            r.error(
                Reader::offset(top, "lesson").unwrap_or(0),
                format!(
                    "the lesson has {} words; at most {limit} (3 minutes of reading)",
                    words(l)
                ),
            );
        }
    }
    let module_id = id.clone().unwrap_or_default();
    let mut questions = Vec::new();
    match top.get("question") {
        Some(Item::ArrayOfTables(list)) => {
            let mut seen = HashSet::new();
            for t in list.iter() {
                let at = Reader::offset(t, "id").unwrap_or_else(|| Reader::table_offset(t));
                if let Some(q) = read_question(&mut r, t, &module_id) {
                    if !seen.insert(q.id.clone()) {
                        r.error(at, format!("question id `{}` is used twice", q.id));
                    } else {
                        questions.push(q);
                    }
                }
            }
        }
        Some(_) => r.error(
            Reader::offset(top, "question").unwrap_or(0),
            "`question` must be written as [[question]] tables".into(),
        ),
        None => {}
    }
    if r.errors.is_empty() && questions.len() < MIN_QUESTIONS {
        r.error(
            text.len(),
            format!(
                "the module has {} questions; at least {MIN_QUESTIONS} are needed",
                questions.len()
            ),
        );
    }
    match (id, title, lesson) {
        (Some(id), Some(title), Some(lesson)) if r.errors.is_empty() => Ok(Module {
            id,
            title,
            order,
            lesson,
            questions,
            file: file.into(),
        }),
        _ => Err(r.errors),
    }
}

fn read_question(r: &mut Reader, q: &Table, module: &str) -> Option<Question> {
    r.only(
        q,
        &["id", "kind", "scenario", "prompt", "option"],
        "a question",
    );
    let id = r.text(q, "id", "a question")?;
    let what = format!("question `{id}`");
    let kind_text = r.text(q, "kind", &what)?;
    let Some(kind) = QuestionKind::parse(&kind_text) else {
        r.error(
            Reader::offset(q, "kind").unwrap_or(0),
            format!(
                "{what}: unknown kind `{kind_text}` (single, multiple, true_false or scenario)"
            ),
        );
        return None;
    };
    let prompt = r.text(q, "prompt", &what)?;
    let scenario = match kind {
        QuestionKind::Scenario => Some(r.text(q, "scenario", &what)?),
        _ => {
            if q.contains_key("scenario") {
                r.error(
                    Reader::offset(q, "scenario").unwrap_or(0),
                    format!("{what}: only scenario questions have a `scenario`"),
                );
            }
            None
        }
    };
    let mut options = Vec::new();
    let start = Reader::table_offset(q);
    match q.get("option") {
        Some(Item::ArrayOfTables(list)) => {
            for (i, o) in list.iter().enumerate() {
                r.only(
                    o,
                    &["text", "correct", "explain"],
                    &format!("an option of {what}"),
                );
                let text = r.text(o, "text", &format!("option {} of {what}", i + 1));
                let explain = match o.get("explain") {
                    None => {
                        r.error(
                            Reader::table_offset(o),
                            format!("option {} of {what} has no `explain`: every option needs an explanation", i + 1),
                        );
                        None
                    }
                    Some(_) => r.text(o, "explain", &format!("option {} of {what}", i + 1)),
                };
                let correct = match o.get("correct") {
                    None => false,
                    Some(Item::Value(Value::Boolean(b))) => *b.value(),
                    Some(_) => {
                        r.error(
                            Reader::offset(o, "correct").unwrap_or(0),
                            format!(
                                "`correct` of option {} of {what} must be true or false",
                                i + 1
                            ),
                        );
                        false
                    }
                };
                if let (Some(text), Some(explain)) = (text, explain) {
                    options.push(Choice {
                        id: ((b'a' + i as u8) as char).to_string(),
                        text,
                        correct,
                        explain,
                    });
                }
            }
        }
        _ => {
            r.error(start, format!("{what} has no [[question.option]] entries"));
            return None;
        }
    }
    let right = options.iter().filter(|o| o.correct).count();
    let problem = match kind {
        _ if options.len() < 2 => Some("needs at least 2 options".to_string()),
        _ if options.len() > 26 => Some("has more than 26 options".to_string()),
        _ if right == 0 => Some("has no correct answer".to_string()),
        QuestionKind::TrueFalse if options.len() != 2 || right != 1 => {
            Some("a true/false question has exactly 2 options, one of them correct".to_string())
        }
        QuestionKind::Single | QuestionKind::Scenario if right != 1 => Some(format!(
            "has {right} correct answers; a {kind_text} question has exactly one"
        )),
        _ => None,
    };
    if let Some(p) = problem {
        r.error(
            Reader::offset(q, "id").unwrap_or(start),
            format!("{what} {p}"),
        );
        return None;
    }
    Some(Question {
        id,
        module: module.to_string(),
        kind,
        scenario,
        prompt,
        options,
    })
}

/// Loads every module; a module with errors is skipped (its errors are
/// returned), and a module or question id already loaded is an error in the
/// later file.
pub fn load(files: &[(String, String)]) -> (Vec<Module>, Vec<ContentError>) {
    let mut modules: Vec<Module> = Vec::new();
    let mut errors = Vec::new();
    let mut question_ids: HashSet<String> = HashSet::new();
    for (file, text) in files {
        match parse_module(file, text) {
            Ok(m) => {
                if let Some(other) = modules.iter().find(|o| o.id == m.id) {
                    errors.push(ContentError {
                        file: file.clone(),
                        line: 1,
                        message: format!("module id `{}` is already used by {}", m.id, other.file),
                    });
                    continue;
                }
                if let Some(q) = m.questions.iter().find(|q| question_ids.contains(&q.id)) {
                    errors.push(ContentError {
                        file: file.clone(),
                        line: text
                            .find(&format!("\"{}\"", q.id))
                            .map(|o| line_of(text, o))
                            .unwrap_or(1),
                        message: format!(
                            "question id `{}` is already used by another module",
                            q.id
                        ),
                    });
                    continue;
                }
                question_ids.extend(m.questions.iter().map(|q| q.id.clone()));
                modules.push(m);
            }
            Err(mut e) => errors.append(&mut e),
        }
    }
    modules.sort_by(|a, b| (a.order, &a.id).cmp(&(b.order, &b.id)));
    (modules, errors)
}

/// Puts translations' words on loaded modules (`files`: a language's
/// `modules/<lang>/*.toml`). A translation names its module by id and must
/// have the same questions (ids and kinds, in order) with the same options
/// (as many, the same ones right): then answers and progress, which are
/// kept by question and option id, carry over when the agent switches
/// language. A translation that does not match is an error in its file,
/// and its module stays in the language it was written in.
pub fn translate(modules: &mut [Module], files: &[(String, String)]) -> Vec<ContentError> {
    let mut errors = Vec::new();
    for (file, text) in files {
        let t = match parse_module(file, text) {
            Ok(t) => t,
            Err(mut e) => {
                errors.append(&mut e);
                continue;
            }
        };
        let error = |message: String| ContentError {
            file: file.clone(),
            line: 1,
            message,
        };
        let Some(m) = modules.iter_mut().find(|m| m.id == t.id) else {
            errors.push(error(format!(
                "translates module `{}`, which is not loaded",
                t.id
            )));
            continue;
        };
        if let Some(why) = mismatch(m, &t) {
            errors.push(error(format!(
                "does not match module `{}` ({}): {why}",
                m.id, m.file
            )));
            continue;
        }
        m.title = t.title;
        m.lesson = t.lesson;
        for (q, tq) in m.questions.iter_mut().zip(t.questions) {
            q.prompt = tq.prompt;
            q.scenario = tq.scenario;
            for (o, to) in q.options.iter_mut().zip(tq.options) {
                o.text = to.text;
                o.explain = to.explain;
            }
        }
    }
    errors
}

/// Why a translation cannot stand in for a module, if it cannot.
fn mismatch(m: &Module, t: &Module) -> Option<String> {
    if m.questions.len() != t.questions.len() {
        return Some(format!(
            "{} questions, the module has {}",
            t.questions.len(),
            m.questions.len()
        ));
    }
    for (q, tq) in m.questions.iter().zip(&t.questions) {
        if q.id != tq.id || q.kind != tq.kind {
            return Some(format!(
                "question `{}` where the module has `{}`",
                tq.id, q.id
            ));
        }
        let right = |q: &Question| q.options.iter().map(|o| o.correct).collect::<Vec<_>>();
        if right(q) != right(tq) {
            return Some(format!(
                "question `{}`: its options are not the module's (their number or which are right)",
                q.id
            ));
        }
    }
    None
}

/// After a reload: a module that loaded before but whose file (or folder)
/// now has an error is kept as it was, so a half-saved edit or an unreachable
/// share does not take the organization's training away. Its error says so.
/// A file that is gone without an error (deleted on purpose) drops its module.
pub fn keep_last_good(
    previous: &[Module],
    mut modules: Vec<Module>,
    mut errors: Vec<ContentError>,
) -> (Vec<Module>, Vec<ContentError>) {
    let broken = |m: &Module| {
        errors.iter().position(|e| {
            m.file == e.file || Path::new(&m.file).parent() == Some(Path::new(&e.file))
        })
    };
    let mut kept = Vec::new();
    for old in previous {
        let Some(at) = broken(old) else { continue };
        let clashes = modules.iter().any(|m| {
            m.id == old.id
                || m.questions
                    .iter()
                    .any(|q| old.questions.iter().any(|o| o.id == q.id))
        });
        if !clashes {
            kept.push((at, old.clone()));
        }
    }
    for (at, old) in kept {
        let e = &mut errors[at];
        if !e.message.ends_with(KEPT) {
            e.message.push_str(KEPT);
        }
        modules.push(old);
    }
    modules.sort_by(|a, b| (a.order, &a.id).cmp(&(b.order, &b.id)));
    (modules, errors)
}

const KEPT: &str = " (the version loaded before is kept)";

#[cfg(test)]
mod tests {
    use super::*;

    fn good_question(id: &str) -> String {
        format!(
            r#"
[[question]]
id = "{id}"
kind = "single"
prompt = "Pick one"
[[question.option]]
text = "right"
correct = true
explain = "because"
[[question.option]]
text = "wrong"
explain = "because not"
"#
        )
    }

    fn module_text(id: &str, questions: usize) -> String {
        let mut t =
            format!("id = \"{id}\"\ntitle = \"T\"\nlesson = \"\"\"\nShort lesson.\n\"\"\"\n");
        for i in 1..=questions {
            t.push_str(&good_question(&format!("{id}-{i}")));
        }
        t
    }

    #[test]
    fn a_matching_translation_changes_the_words_and_keeps_ids_and_answers() {
        let (mut modules, errors) = load(&[("m.toml".into(), module_text("m", 6))]);
        assert!(errors.is_empty());
        let spanish = module_text("m", 6)
            .replace("title = \"T\"", "title = \"Título\"")
            .replace("Pick one", "Elige una")
            .replace("text = \"right\"", "text = \"correcta\"");
        let errors = translate(&mut modules, &[("es/m.toml".into(), spanish)]);
        assert!(errors.is_empty(), "{errors:?}");
        let m = &modules[0];
        assert_eq!((m.title.as_str(), m.file.as_str()), ("Título", "m.toml"));
        assert_eq!(m.questions[0].id, "m-1");
        assert_eq!(m.questions[0].prompt, "Elige una");
        assert_eq!(m.questions[0].options[0].text, "correcta");
        assert!(m.questions[0].is_correct(&["a".into()]));
    }

    #[test]
    fn a_translation_that_does_not_match_is_named_and_leaves_the_module_as_it_was() {
        // (what the translation changes, what the error says)
        let rows: &[(&str, &str)] = &[
            ("id = \"m-2\"", "question `x-2` where the module has `m-2`"),
            (
                "kind = \"single\"",
                "question `m-1` where the module has `m-1`",
            ),
            ("correct = true", "options are not the module's"),
        ];
        let replacements = [
            ("id = \"m-2\"", "id = \"x-2\""),
            ("kind = \"single\"", "kind = \"scenario\"\nscenario = \"S\""),
            ("correct = true\nexplain = \"because\"\n[[question.option]]\ntext = \"wrong\"\nexplain = \"because not\"", "explain = \"because\"\n[[question.option]]\ntext = \"wrong\"\ncorrect = true\nexplain = \"because not\""),
        ];
        for ((from, want), (a, b)) in rows.iter().zip(replacements) {
            let (mut modules, _) = load(&[("m.toml".into(), module_text("m", 6))]);
            let before = modules.clone();
            let text = module_text("m", 6)
                .replacen(a, b, 1)
                .replace("Pick one", "Elige");
            let errors = translate(&mut modules, &[("es/m.toml".into(), text)]);
            assert_eq!(errors.len(), 1, "{from}: {errors:?}");
            assert_eq!(errors[0].file, "es/m.toml");
            assert!(
                errors[0].message.contains(want),
                "{from}: {}",
                errors[0].message
            );
            assert_eq!(modules, before, "{from}");
        }
        let (mut modules, _) = load(&[("m.toml".into(), module_text("m", 6))]);
        let errors = translate(&mut modules, &[("es/n.toml".into(), module_text("n", 6))]);
        assert!(errors[0]
            .message
            .contains("translates module `n`, which is not loaded"));
    }

    #[test]
    fn a_good_module_loads() {
        let m = parse_module("m.toml", &module_text("m", 6)).unwrap();
        assert_eq!(m.questions.len(), 6);
        assert_eq!(m.questions[0].options[1].id, "b");
        assert!(m.questions[0].is_correct(&["a".into()]));
        assert!(!m.questions[0].is_correct(&["a".into(), "b".into()]));
        assert!(!m.questions[0].is_correct(&[]));
    }

    #[test]
    fn broken_modules_name_file_line_and_problem() {
        let base = module_text("m", 6);
        // (change, line, message part)
        let rows: &[(&str, &str, usize, &str)] = &[
            (
                "correct = true",
                "correct = false",
                8,
                "has no correct answer",
            ),
            ("explain = \"because not\"", "", 15, "has no `explain`"),
            (
                "id = \"m-2\"",
                "id = \"m-1\"",
                20,
                "question id `m-1` is used twice",
            ),
            (
                "kind = \"single\"",
                "kind = \"essay\"",
                9,
                "unknown kind `essay`",
            ),
            ("title = \"T\"", "", 1, "has no `title`"),
            (
                "prompt = \"Pick one\"",
                "prompt = \"Pick one\"\nhint = \"x\"",
                11,
                "unknown key `hint`",
            ),
            ("title = \"T\"", "title = \"T\"\n[oops", 3, "not valid TOML"),
        ];
        for (from, to, line, part) in rows {
            let text = base.replacen(from, to, 1);
            let errs = parse_module("broken.toml", &text).unwrap_err();
            assert!(
                errs.iter().any(|e| e.file == "broken.toml"
                    && e.line == *line
                    && e.message.contains(part)),
                "{from} -> {to}: {errs:?}"
            );
        }
        let errs = parse_module("few.toml", &module_text("few", 5)).unwrap_err();
        assert!(errs[0].message.contains("at least 6"), "{errs:?}");
        let two_right = base.replacen("text = \"wrong\"", "text = \"wrong\"\ncorrect = true", 1);
        let errs = parse_module("x.toml", &two_right).unwrap_err();
        assert!(errs[0].message.contains("exactly one"), "{errs:?}");
        let long = base.replacen("Short lesson.", &"word ".repeat(601), 1);
        let errs = parse_module("long.toml", &long).unwrap_err();
        assert!(errs[0].message.contains("601 words"), "{errs:?}");
    }

    #[test]
    fn a_bad_module_is_skipped_and_the_others_load() {
        let files = vec![
            ("a.toml".to_string(), module_text("a", 6)),
            (
                "b.toml".to_string(),
                module_text("b", 6).replacen("correct = true", "correct = false", 1),
            ),
            ("c.toml".to_string(), module_text("a", 6)),
            (
                "d.toml".to_string(),
                module_text("d", 6).replace("id = \"d-1\"", "id = \"a-1\""),
            ),
            ("e.toml".to_string(), module_text("e", 6)),
        ];
        let (modules, errors) = load(&files);
        let ids: Vec<&str> = modules.iter().map(|m| m.id.as_str()).collect();
        assert_eq!(ids, ["a", "e"]);
        let files_with_errors: Vec<&str> = errors.iter().map(|e| e.file.as_str()).collect();
        assert_eq!(files_with_errors, ["b.toml", "c.toml", "d.toml"]);
        assert!(errors[1].message.contains("already used by a.toml"));
        assert!(errors[2].message.contains("`a-1`"));
    }

    #[test]
    fn a_reload_keeps_the_last_good_version_of_a_broken_file() {
        let org = |name: &str, text: String| (format!("/org/{name}"), text);
        let before = load(&[
            org("a.toml", module_text("a", 6)),
            org("b.toml", module_text("b", 6)),
            org("c.toml", module_text("c", 6)),
        ])
        .0;
        let broken = |t: String| t.replacen("correct = true", "correct = false", 1);
        let folder_error = ContentError {
            file: "/org".into(),
            line: 1,
            message: "cannot read the folder: gone".into(),
        };
        // (files now, extra errors, module ids after, files whose error says "kept")
        type Row = (
            Vec<(String, String)>,
            Vec<ContentError>,
            Vec<&'static str>,
            Vec<&'static str>,
        );
        let rows: Vec<Row> = vec![
            // a is half-saved: its old version stays; b and c load as they are.
            (
                vec![
                    org("a.toml", broken(module_text("a", 6))),
                    org("b.toml", module_text("b", 6)),
                    org("c.toml", module_text("c", 6)),
                ],
                vec![],
                vec!["a", "b", "c"],
                vec!["/org/a.toml"],
            ),
            // c deleted on purpose: gone.
            (
                vec![
                    org("a.toml", module_text("a", 6)),
                    org("b.toml", module_text("b", 6)),
                ],
                vec![],
                vec!["a", "b"],
                vec![],
            ),
            // The share is unreachable: everything from it stays.
            (
                vec![],
                vec![folder_error.clone()],
                vec!["a", "b", "c"],
                vec!["/org"],
            ),
            // b's file now holds module a: the duplicate is refused and b's
            // old version stays, but not a second copy of a.
            (
                vec![
                    org("a.toml", module_text("a", 6)),
                    org("b.toml", module_text("a", 6)),
                ],
                vec![],
                vec!["a", "b"],
                vec!["/org/b.toml"],
            ),
        ];
        for (i, (files, extra, want, kept)) in rows.into_iter().enumerate() {
            let (modules, mut errors) = load(&files);
            errors.extend(extra);
            let (modules, errors) = keep_last_good(&before, modules, errors);
            let ids: Vec<&str> = modules.iter().map(|m| m.id.as_str()).collect();
            assert_eq!(ids, want, "row {i}");
            let said: Vec<&str> = errors
                .iter()
                .filter(|e| e.message.ends_with(KEPT))
                .map(|e| e.file.as_str())
                .collect();
            assert_eq!(said, kept, "row {i}: {errors:?}");
        }
    }
}
