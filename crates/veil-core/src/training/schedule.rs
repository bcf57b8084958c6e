//! Which question comes next: SM-2 spaced repetition per question. A right
//! answer pushes the question out (1 day, 6 days, then by its ease); a wrong
//! one brings it back in 10 minutes and makes it harder. A module's
//! questions start once its lesson is read. The state is rebuilt from the
//! stored answers, so it survives anything the store survives.

use std::collections::HashMap;
use std::time::Duration;
use ts_rs::TS;

use serde::Serialize;

use super::content::{Module, Question};
use crate::clock::Millis;

const DAY_MS: i64 = 24 * 3600 * 1000;
/// A wrong answer comes back this soon.
pub const RELEARN: Duration = Duration::from_secs(10 * 60);
/// Ease factors in thousandths (SM-2's 2.5 and floor 1.3).
const START_EASE: i64 = 2500;
const MIN_EASE: i64 = 1300;
/// Right answers in a row at which a question counts as mastered.
const MASTERED_REPS: u32 = 3;

/// One stored answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Answer {
    pub question: String,
    pub module: String,
    /// Option ids chosen.
    pub chosen: Vec<String>,
    pub correct: bool,
    pub took_ms: i64,
    pub at: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Card {
    reps: u32,
    interval_ms: i64,
    ease: i64,
    due: i64,
    ever_right: bool,
}

#[derive(Debug, Clone, Default)]
pub struct Progress {
    cards: HashMap<String, Card>,
    lessons_read: HashMap<String, i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ModuleProgress {
    pub id: String,
    pub lesson_read: bool,
    /// Questions answered right at least once.
    pub answered: usize,
    pub total: usize,
    /// 0-100: how firmly the module's questions are learned (right answers
    /// in a row, up to three, averaged).
    pub mastery: u32,
    /// Lesson read and every question answered right once.
    pub completed: bool,
    /// Questions due for review now.
    pub due_questions: usize,
}

impl Progress {
    pub fn replay(lessons: &[(String, i64)], answers: &[Answer]) -> Self {
        let mut p = Progress::default();
        for (m, at) in lessons {
            p.lesson_read(m, Millis(*at));
        }
        let mut sorted: Vec<&Answer> = answers.iter().collect();
        sorted.sort_by_key(|a| a.at);
        for a in sorted {
            p.record(a);
        }
        p
    }

    pub fn lesson_read(&mut self, module: &str, at: Millis) {
        self.lessons_read.entry(module.to_string()).or_insert(at.0);
    }

    pub fn has_read(&self, module: &str) -> bool {
        self.lessons_read.contains_key(module)
    }

    pub fn record(&mut self, a: &Answer) {
        let card = self.cards.entry(a.question.clone()).or_insert(Card {
            reps: 0,
            interval_ms: 0,
            ease: START_EASE,
            due: a.at,
            ever_right: false,
        });
        if a.correct {
            card.reps += 1;
            card.interval_ms = match card.reps {
                1 => DAY_MS,
                2 => 6 * DAY_MS,
                _ => card.interval_ms * card.ease / 1000,
            };
            card.ever_right = true;
        } else {
            card.reps = 0;
            card.interval_ms = RELEARN.as_millis() as i64;
            card.ease = (card.ease - 200).max(MIN_EASE);
        }
        card.due = a.at + card.interval_ms;
    }

    /// When a question is next due; None if never answered.
    pub fn due_at(&self, question: &str) -> Option<Millis> {
        self.cards.get(question).map(|c| Millis(c.due))
    }

    /// Up to `max` questions for a quiz: due reviews first (most overdue
    /// first), then new questions, mandatory modules before the others, in
    /// module order. Only modules whose lesson is read.
    pub fn next_questions<'a>(
        &self,
        modules: &'a [Module],
        mandatory: &[String],
        now: Millis,
        max: usize,
    ) -> Vec<&'a Question> {
        let rank = |m: &Module| if mandatory.contains(&m.id) { 0 } else { 1 };
        let mut order: Vec<&Module> = modules.iter().filter(|m| self.has_read(&m.id)).collect();
        order.sort_by_key(|m| rank(m));
        let mut due: Vec<(i64, usize, &Question)> = Vec::new();
        let mut new: Vec<&Question> = Vec::new();
        for (i, m) in order.iter().enumerate() {
            for q in &m.questions {
                match self.cards.get(&q.id) {
                    Some(c) if c.due <= now.0 => due.push((c.due, i, q)),
                    Some(_) => {}
                    None => new.push(q),
                }
            }
        }
        due.sort_by_key(|(at, i, _)| (*i, *at));
        due.into_iter()
            .map(|(_, _, q)| q)
            .chain(new)
            .take(max)
            .collect()
    }

    pub fn module(&self, m: &Module, now: Millis) -> ModuleProgress {
        let cards: Vec<Option<&Card>> = m.questions.iter().map(|q| self.cards.get(&q.id)).collect();
        let answered = cards
            .iter()
            .filter(|c| c.is_some_and(|c| c.ever_right))
            .count();
        let total = m.questions.len();
        let mastery = if total == 0 {
            0
        } else {
            let sum: u32 = cards
                .iter()
                .map(|c| c.map(|c| c.reps.min(MASTERED_REPS)).unwrap_or(0))
                .sum();
            sum * 100 / (MASTERED_REPS * total as u32)
        };
        let lesson_read = self.has_read(&m.id);
        ModuleProgress {
            id: m.id.clone(),
            lesson_read,
            answered,
            total,
            mastery,
            completed: lesson_read && answered == total,
            due_questions: if lesson_read {
                cards
                    .iter()
                    .filter(|c| c.is_some_and(|c| c.due <= now.0))
                    .count()
            } else {
                0
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::training::content::{Choice, QuestionKind};

    fn module(id: &str, n: usize) -> Module {
        Module {
            id: id.into(),
            title: id.into(),
            order: 0,
            lesson: "read me".into(),
            file: format!("{id}.toml"),
            questions: (1..=n)
                .map(|i| Question {
                    id: format!("{id}-{i}"),
                    module: id.into(),
                    kind: QuestionKind::Single,
                    scenario: None,
                    prompt: "?".into(),
                    options: vec![
                        Choice {
                            id: "a".into(),
                            text: "x".into(),
                            correct: true,
                            explain: "e".into(),
                        },
                        Choice {
                            id: "b".into(),
                            text: "y".into(),
                            correct: false,
                            explain: "e".into(),
                        },
                    ],
                })
                .collect(),
        }
    }

    fn answer(q: &str, correct: bool, at: i64) -> Answer {
        Answer {
            question: q.into(),
            module: q.split('-').next().unwrap_or("").into(),
            chosen: vec![if correct { "a" } else { "b" }.into()],
            correct,
            took_ms: 4000,
            at,
        }
    }

    fn ids(qs: &[&Question]) -> Vec<String> {
        qs.iter().map(|q| q.id.clone()).collect()
    }

    #[test]
    fn intervals_follow_sm2_and_wrong_answers_come_back_sooner() {
        // (answers so far as (correct, at ms), due after the last, ms)
        let min = 60_000;
        let rows: &[(&[(bool, i64)], i64)] = &[
            (&[(true, 0)], DAY_MS),
            (&[(true, 0), (true, DAY_MS)], DAY_MS + 6 * DAY_MS),
            // third right answer: 6 days x 2.5
            (
                &[(true, 0), (true, DAY_MS), (true, 7 * DAY_MS)],
                7 * DAY_MS + 15 * DAY_MS,
            ),
            (&[(false, 0)], 10 * min),
            // wrong after two right: back in 10 minutes, ease down to 2.3
            (
                &[(true, 0), (true, DAY_MS), (false, 7 * DAY_MS)],
                7 * DAY_MS + 10 * min,
            ),
            // then right twice: 1 day, 6 days, then x2.3
            (
                &[
                    (true, 0),
                    (true, DAY_MS),
                    (false, 7 * DAY_MS),
                    (true, 8 * DAY_MS),
                    (true, 9 * DAY_MS),
                    (true, 15 * DAY_MS),
                ],
                15 * DAY_MS + 6 * DAY_MS * 2300 / 1000,
            ),
        ];
        for (history, due) in rows {
            let answers: Vec<Answer> = history
                .iter()
                .map(|(c, at)| answer("m-1", *c, *at))
                .collect();
            let p = Progress::replay(&[], &answers);
            assert_eq!(p.due_at("m-1"), Some(Millis(*due)), "{history:?}");
        }
    }

    #[test]
    fn questions_start_after_the_lesson_due_first_mandatory_first() {
        let modules = vec![module("a", 3), module("b", 2)];
        let mut p = Progress::default();
        // (event, now, expected next 3)
        assert!(
            p.next_questions(&modules, &[], Millis(0), 3).is_empty(),
            "no lesson read"
        );
        p.lesson_read("a", Millis(0));
        assert_eq!(
            ids(&p.next_questions(&modules, &[], Millis(0), 3)),
            ["a-1", "a-2", "a-3"]
        );
        p.record(&answer("a-1", true, 1000));
        p.record(&answer("a-2", false, 2000));
        // a-2 is due again in 10 minutes; before that only new ones.
        assert_eq!(
            ids(&p.next_questions(&modules, &[], Millis(3000), 3)),
            ["a-3"]
        );
        let later = 2000 + RELEARN.as_millis() as i64;
        assert_eq!(
            ids(&p.next_questions(&modules, &[], Millis(later), 3)),
            ["a-2", "a-3"]
        );
        // b read and mandatory: its new questions come before a's new ones.
        p.lesson_read("b", Millis(0));
        assert_eq!(
            ids(&p.next_questions(&modules, &["b".into()], Millis(later), 3)),
            ["a-2", "b-1", "b-2"]
        );
        // The day after, a-1 is due too; reviews come before new questions,
        // the most overdue first.
        assert_eq!(
            ids(&p.next_questions(&modules, &[], Millis(DAY_MS + 1000), 2)),
            ["a-2", "a-1"]
        );
    }

    #[test]
    fn module_progress_and_mastery() {
        let m = module("a", 2);
        let mut p = Progress::default();
        let got = p.module(&m, Millis(0));
        assert_eq!((got.answered, got.mastery, got.completed), (0, 0, false));
        p.lesson_read("a", Millis(0));
        p.record(&answer("a-1", true, 0));
        p.record(&answer("a-2", false, 0));
        let got = p.module(&m, Millis(1));
        assert_eq!((got.answered, got.mastery, got.completed), (1, 16, false));
        p.record(&answer("a-2", true, 1));
        let got = p.module(&m, Millis(2));
        assert_eq!((got.answered, got.mastery, got.completed), (2, 33, true));
        assert_eq!(p.module(&m, Millis(DAY_MS + 2)).due_questions, 2);
    }
}
