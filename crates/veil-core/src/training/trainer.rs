//! The training desk: the loaded modules, the agent's progress, the quiz
//! clock and the quiz on screen. VeilState owns one and asks it what to do.

use serde::Serialize;
use ts_rs::TS;

use super::content::{ContentError, Module, Question};
use super::delivery::{Held, Moment, QuizClock, Verdict};
use super::schedule::{Answer, ModuleProgress, Progress};
use super::{TrainingPolicy, TrainingStatus};
use crate::clock::Millis;

/// A quiz holds at most this many questions.
pub const QUIZ_QUESTIONS: usize = 3;
/// And runs at most this long (the pop-up closes itself).
pub const QUIZ_SECONDS: u64 = 90;
/// How long past its limit a quiz may still be open before it is dropped.
const QUIZ_GRACE_SECONDS: u64 = 30;

/// The quiz on screen, with its answer key (kept in the tray app).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quiz {
    pub questions: Vec<Question>,
    /// Unix ms when it was shown.
    pub shown_at: i64,
    pub seconds: u64,
    /// "Later" is still offered.
    pub can_snooze: bool,
    /// A practice round the agent asked for (no cadence, no "Later").
    pub practice: bool,
    /// The questions answered so far, in order, with their key.
    pub answered: Vec<AnswerOutcome>,
    /// When the last answer was given (the next question's clock starts).
    last_answer_at: i64,
}

/// The quiz as the pop-up sees it: no answer key until a question has been
/// answered (a window that had the key could answer every question right
/// without reading it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct QuizView {
    pub questions: Vec<QuestionView>,
    pub shown_at: i64,
    pub seconds: u64,
    pub can_snooze: bool,
    pub practice: bool,
    /// Each answered question's result and explanations.
    pub answered: Vec<AnswerOutcome>,
}

/// One question before it is answered: the situation, the prompt and the
/// options' text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct QuestionView {
    pub id: String,
    pub module: String,
    pub kind: super::QuestionKind,
    pub scenario: Option<String>,
    pub prompt: String,
    pub options: Vec<OptionView>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct OptionView {
    pub id: String,
    pub text: String,
}

/// A recorded answer's result: what was chosen, whether it was right, and
/// every option's key and explanation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct AnswerOutcome {
    pub question: String,
    pub chosen: Vec<String>,
    pub correct: bool,
    pub options: Vec<OptionResult>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct OptionResult {
    pub id: String,
    pub correct: bool,
    pub explain: String,
}

impl Quiz {
    fn new(questions: Vec<Question>, now: Millis, can_snooze: bool, practice: bool) -> Quiz {
        Quiz {
            questions,
            shown_at: now.0,
            seconds: QUIZ_SECONDS,
            can_snooze,
            practice,
            answered: vec![],
            last_answer_at: now.0,
        }
    }

    pub fn view(&self) -> QuizView {
        QuizView {
            questions: self
                .questions
                .iter()
                .map(|q| QuestionView {
                    id: q.id.clone(),
                    module: q.module.clone(),
                    kind: q.kind,
                    scenario: q.scenario.clone(),
                    prompt: q.prompt.clone(),
                    options: q
                        .options
                        .iter()
                        .map(|o| OptionView {
                            id: o.id.clone(),
                            text: o.text.clone(),
                        })
                        .collect(),
                })
                .collect(),
            shown_at: self.shown_at,
            seconds: self.seconds,
            can_snooze: self.can_snooze,
            practice: self.practice,
            answered: self.answered.clone(),
        }
    }

    /// What to record about it when it pops up.
    fn shown_details(&self) -> String {
        let ids: Vec<&str> = self.questions.iter().map(|q| q.id.as_str()).collect();
        format!(
            "{}{} questions: {}",
            if self.practice { "practice, " } else { "" },
            ids.len(),
            ids.join(", ")
        )
    }
}

/// One module as the training window lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ModuleView {
    pub id: String,
    pub title: String,
    pub lesson: String,
    pub reading_minutes: usize,
    pub mandatory: bool,
    pub due_date: Option<String>,
    pub progress: ModuleProgress,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct TrainingOverview {
    pub modules: Vec<ModuleView>,
    pub errors: Vec<String>,
}

/// Everything that happens to training: one event group, handled by the
/// trainer.
#[derive(Debug, Clone, PartialEq)]
pub enum TrainingEvent {
    /// The modules were loaded (at start, and again when the
    /// organization's folder changes).
    Content {
        modules: Vec<Module>,
        errors: Vec<ContentError>,
    },
    /// The agent's stored history (once the store is open).
    History {
        lessons: Vec<(String, i64)>,
        answers: Vec<Answer>,
    },
    /// Once a second: may a quiz pop up?
    Tick(Moment),
    LessonRead {
        module: String,
        at: Millis,
    },
    /// An answer from the quiz pop-up. How long it took is measured here,
    /// from the question's showing to `at`; a window's own count is not
    /// trusted.
    QuizAnswer {
        question: String,
        chosen: Vec<String>,
        at: Millis,
    },
    /// The quiz pop-up closed; `later` when the agent chose "Later".
    QuizClosed {
        later: bool,
        at: Millis,
    },
    /// "Practice now" from the training window.
    Practice {
        module: Option<String>,
        at: Millis,
    },
}

/// What the app does for training.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TrainingAction {
    /// Store an answer durably.
    SaveAnswer(Answer),
    SaveLessonRead {
        module: String,
        at: i64,
    },
    /// Open the quiz pop-up (its content is in the snapshot).
    ShowQuiz,
    /// Worth keeping in the audit log (a quiz shown, or missed).
    Record {
        kind: crate::audit::RecordKind,
        details: String,
    },
}

#[derive(Debug, Clone, Default)]
pub struct Trainer {
    modules: Vec<Module>,
    errors: Vec<ContentError>,
    progress: Progress,
    clock: QuizClock,
    quiz: Option<Quiz>,
    /// Until the stored history is read, no quiz (it would repeat answered
    /// questions) and no "completed" figures.
    history_loaded: bool,
    /// Rounded to 10 s so the status does not change every tick.
    next_in: Option<u64>,
    /// Why a quiz that is due is not on screen.
    held: Option<Held>,
    /// The last tick's time, rounded to the minute: what "due now" means in
    /// the status.
    now: Millis,
    /// Records a tick made that the next `handle` returns.
    pending: Vec<TrainingAction>,
}

/// A training request the trainer refuses.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refused {
    #[error("no training module `{0}`")]
    NoModule(String),
    #[error("question `{0}` is not in the open quiz")]
    NotInQuiz(String),
    #[error("question `{0}` is already answered")]
    AlreadyAnswered(String),
    #[error("question `{0}` has no such option")]
    NoSuchOption(String),
    #[error("read a lesson first: questions start once its lesson is read")]
    NothingToPractise,
}

impl Trainer {
    /// Applies one event; an error is a refused request (an unknown
    /// module, a question not in the open quiz).
    pub fn handle(
        &mut self,
        event: TrainingEvent,
        policy: &TrainingPolicy,
    ) -> Result<Vec<TrainingAction>, Refused> {
        Ok(match event {
            TrainingEvent::Content { modules, errors } => {
                self.set_content(modules, errors);
                vec![]
            }
            TrainingEvent::History { lessons, answers } => {
                self.set_history(&lessons, &answers);
                vec![]
            }
            TrainingEvent::Tick(moment) => {
                let show = self.tick(moment, policy);
                let mut actions = std::mem::take(&mut self.pending);
                if show {
                    actions.extend(self.shown());
                }
                actions
            }
            TrainingEvent::LessonRead { module, at } => {
                if self.lesson_read(&module, at)? {
                    vec![TrainingAction::SaveLessonRead { module, at: at.0 }]
                } else {
                    vec![]
                }
            }
            TrainingEvent::QuizAnswer {
                question,
                chosen,
                at,
            } => vec![TrainingAction::SaveAnswer(
                self.answer(&question, chosen, at)?,
            )],
            TrainingEvent::QuizClosed { later, at } => {
                let missed = self.missed_record(if later {
                    "postponed with Later"
                } else {
                    "closed without an answer"
                });
                self.close_quiz(later, policy, at);
                missed.into_iter().collect()
            }
            TrainingEvent::Practice { module, at } => {
                let first_read = self.practice(module.as_deref(), policy, at)?;
                let mut actions = self.shown();
                if let (true, Some(m)) = (first_read, module) {
                    actions.push(TrainingAction::SaveLessonRead {
                        module: m,
                        at: at.0,
                    });
                }
                actions
            }
        })
    }

    pub fn set_content(&mut self, modules: Vec<Module>, errors: Vec<ContentError>) {
        self.modules = modules;
        self.errors = errors;
    }

    pub fn set_history(&mut self, lessons: &[(String, i64)], answers: &[Answer]) {
        self.progress = Progress::replay(lessons, answers);
        self.history_loaded = true;
    }

    pub fn now(&self) -> Millis {
        self.now
    }

    pub fn quiz(&self) -> Option<&Quiz> {
        self.quiz.as_ref()
    }

    /// The pop-up's view of the open quiz.
    pub fn quiz_view(&self) -> Option<QuizView> {
        self.quiz.as_ref().map(Quiz::view)
    }

    /// A quiz just popped up: show it, and record that.
    fn shown(&self) -> Vec<TrainingAction> {
        let Some(quiz) = &self.quiz else {
            return vec![];
        };
        vec![
            TrainingAction::ShowQuiz,
            TrainingAction::Record {
                kind: crate::audit::RecordKind::QuizShown,
                details: quiz.shown_details(),
            },
        ]
    }

    /// The record of a quiz that ends with no answer, if the open one has
    /// none.
    fn missed_record(&self, why: &str) -> Option<TrainingAction> {
        let quiz = self.quiz.as_ref().filter(|q| q.answered.is_empty())?;
        Some(TrainingAction::Record {
            kind: crate::audit::RecordKind::QuizMissed,
            details: format!("{why}; {}", quiz.shown_details()),
        })
    }

    /// A pop-up well past its limit lost its window (closed by hand, or
    /// never loaded); it must not block every later quiz.
    fn expire(&mut self, now: Millis) -> Vec<TrainingAction> {
        let expired = self
            .quiz
            .as_ref()
            .is_some_and(|q| now.0 > q.shown_at + (q.seconds + QUIZ_GRACE_SECONDS) as i64 * 1000);
        if !expired {
            return vec![];
        }
        let missed = self.missed_record("time ran out");
        if let Some(quiz) = self.quiz.take() {
            if !quiz.practice {
                self.clock.finished();
            }
        }
        missed.into_iter().collect()
    }

    /// True when this is the first time the lesson was read.
    pub fn lesson_read(&mut self, module: &str, at: Millis) -> Result<bool, Refused> {
        if !self.modules.iter().any(|m| m.id == module) {
            return Err(Refused::NoModule(module.into()));
        }
        let first = !self.progress.has_read(module);
        self.progress.lesson_read(module, at);
        Ok(first)
    }

    /// Checks and records an answer to a question of the open quiz.
    /// Checks and records an answer to a question of the open quiz: once
    /// per question, timed from when the question came up.
    pub fn answer(
        &mut self,
        question: &str,
        chosen: Vec<String>,
        at: Millis,
    ) -> Result<Answer, Refused> {
        let not_in_quiz = || Refused::NotInQuiz(question.into());
        let quiz = self.quiz.as_mut().ok_or_else(not_in_quiz)?;
        let q = quiz
            .questions
            .iter()
            .find(|q| q.id == question)
            .ok_or_else(not_in_quiz)?;
        if quiz.answered.iter().any(|a| a.question == question) {
            return Err(Refused::AlreadyAnswered(question.into()));
        }
        if chosen.is_empty() || chosen.iter().any(|c| !q.options.iter().any(|o| &o.id == c)) {
            return Err(Refused::NoSuchOption(question.into()));
        }
        let took_ms = (at.0 - quiz.last_answer_at.max(quiz.shown_at)).clamp(0, 3_600_000);
        let answer = Answer {
            question: q.id.clone(),
            module: q.module.clone(),
            correct: q.is_correct(&chosen),
            chosen: chosen.clone(),
            took_ms,
            at: at.0,
        };
        quiz.answered.push(AnswerOutcome {
            question: q.id.clone(),
            chosen,
            correct: answer.correct,
            options: q
                .options
                .iter()
                .map(|o| OptionResult {
                    id: o.id.clone(),
                    correct: o.correct,
                    explain: o.explain.clone(),
                })
                .collect(),
        });
        quiz.last_answer_at = at.0;
        self.progress.record(&answer);
        Ok(answer)
    }

    fn mandatory_ids(policy: &TrainingPolicy) -> Vec<String> {
        policy
            .mandatory_modules()
            .into_iter()
            .map(|(id, _)| id)
            .collect()
    }

    fn next(&self, policy: &TrainingPolicy, now: Millis) -> Vec<Question> {
        self.progress
            .next_questions(
                &self.modules,
                &Self::mandatory_ids(policy),
                now,
                QUIZ_QUESTIONS,
            )
            .into_iter()
            .cloned()
            .collect()
    }

    /// Once a second. True when a quiz pops up now.
    pub fn tick(&mut self, m: Moment, policy: &TrainingPolicy) -> bool {
        self.now = Millis(m.now.0 - m.now.0.rem_euclid(60_000));
        let expired = self.expire(m.now);
        self.pending.extend(expired);
        if !self.history_loaded || self.quiz.is_some() {
            // Time with a quiz on screen does not count toward the next.
            self.clock.pause(m.now);
            self.held = None;
            return false;
        }
        let questions = self.next(policy, m.now);
        let has = !questions.is_empty();
        let verdict = self.clock.tick(m, policy.every, has);
        let next_in = has.then(|| {
            self.clock
                .next_in(m.now, policy.every)
                .as_secs()
                .div_ceil(10)
                * 10
        });
        self.next_in = next_in;
        self.held = match verdict {
            Verdict::Held(why) => Some(why),
            Verdict::Wait(_) | Verdict::Show => None,
        };
        if verdict != Verdict::Show {
            return false;
        }
        let can_snooze = self.clock.snoozes_left(policy.max_snoozes) > 0;
        self.quiz = Some(Quiz::new(questions, m.now, can_snooze, false));
        true
    }

    /// "Practice now" from the training window: up to 3 questions of a
    /// module (or of any read module), whatever the cadence.
    pub fn practice(
        &mut self,
        module: Option<&str>,
        policy: &TrainingPolicy,
        now: Millis,
    ) -> Result<bool, Refused> {
        let first_read = match module {
            Some(m) => self.lesson_read(m, now)?,
            None => false,
        };
        let mut questions = self.next(policy, now);
        if let Some(m) = module {
            let own: Vec<Question> = questions
                .iter()
                .filter(|q| q.module == m)
                .cloned()
                .collect();
            questions = if own.is_empty() {
                // Nothing due in it: practise its first questions anyway.
                self.modules
                    .iter()
                    .find(|x| x.id == m)
                    .map(|x| x.questions.iter().take(QUIZ_QUESTIONS).cloned().collect())
                    .unwrap_or_default()
            } else {
                own
            };
        }
        if questions.is_empty() {
            return Err(Refused::NothingToPractise);
        }
        self.quiz = Some(Quiz::new(questions, now, false, true));
        Ok(first_read)
    }

    /// The pop-up closed: answered (or timed out), or "Later".
    pub fn close_quiz(&mut self, later: bool, policy: &TrainingPolicy, now: Millis) {
        let Some(quiz) = self.quiz.take() else { return };
        if quiz.practice {
            return;
        }
        if later && quiz.can_snooze {
            self.clock.snooze(now, policy.snooze, policy.max_snoozes);
        } else {
            self.clock.finished();
        }
    }

    pub fn overview(&self, policy: &TrainingPolicy, now: Millis) -> TrainingOverview {
        let mandatory = policy.mandatory_modules();
        TrainingOverview {
            modules: self
                .modules
                .iter()
                .map(|m| {
                    let must = mandatory.iter().find(|(id, _)| *id == m.id);
                    ModuleView {
                        id: m.id.clone(),
                        title: m.title.clone(),
                        lesson: m.lesson.clone(),
                        reading_minutes: m.reading_minutes(),
                        mandatory: must.is_some(),
                        due_date: must.and_then(|(_, d)| d.clone()),
                        progress: self.progress.module(m, now),
                    }
                })
                .collect(),
            errors: self.errors.iter().map(ToString::to_string).collect(),
        }
    }

    pub fn status(&self, policy: &TrainingPolicy, now: Millis) -> TrainingStatus {
        let mandatory = Self::mandatory_ids(policy);
        let progress: Vec<ModuleProgress> = self
            .modules
            .iter()
            .map(|m| self.progress.module(m, now))
            .collect();
        TrainingStatus {
            modules: self.modules.len(),
            completed: progress.iter().filter(|p| p.completed).count(),
            due: progress
                .iter()
                .filter(|p| p.due_questions > 0 || (mandatory.contains(&p.id) && !p.completed))
                .count(),
            next_quiz_in_seconds: self.next_in,
            quiz_held: self.held,
            errors: self.errors.iter().map(ToString::to_string).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::training::content::load;
    use std::time::Duration;

    fn policy() -> TrainingPolicy {
        TrainingPolicy {
            every: Duration::from_secs(60),
            snooze: Duration::from_secs(300),
            max_snoozes: 1,
            mandatory: vec!["b@2026-12-31".into()],
            extra_folder: String::new(),
        }
    }

    fn module_text(id: &str) -> String {
        let mut t = format!("id = \"{id}\"\ntitle = \"{id}\"\nlesson = \"Read this.\"\n");
        for i in 1..=6 {
            t.push_str(&format!(
                "[[question]]\nid = \"{id}-{i}\"\nkind = \"single\"\nprompt = \"?\"\n[[question.option]]\ntext = \"yes\"\ncorrect = true\nexplain = \"y\"\n[[question.option]]\ntext = \"no\"\nexplain = \"n\"\n"
            ));
        }
        t
    }

    fn trainer() -> Trainer {
        let (modules, errors) = load(&[
            ("a.toml".into(), module_text("a")),
            ("b.toml".into(), module_text("b")),
        ]);
        let mut t = Trainer::default();
        t.set_content(modules, errors);
        t
    }

    fn at(s: i64) -> Moment {
        Moment {
            now: Millis(s * 1000),
            idle: Duration::from_secs(1),
            call: false,
            shield_up: false,
        }
    }

    #[test]
    fn a_quiz_pops_up_after_the_cadence_once_history_and_a_lesson_are_there() {
        let mut t = trainer();
        let p = policy();
        assert!(!t.tick(at(0), &p), "no history yet");
        t.set_history(&[], &[]);
        t.lesson_read("a", Millis(0)).unwrap();
        for s in 0..60 {
            assert!(!t.tick(at(s), &p), "second {s}");
        }
        assert!(t.tick(at(60), &p));
        let quiz = t.quiz().unwrap().clone();
        assert_eq!(quiz.questions.len(), 3);
        assert!(quiz.can_snooze);
        // Answer one right, one wrong.
        let a = t.answer("a-1", vec!["a".into()], Millis(61_000)).unwrap();
        assert!(a.correct);
        let b = t.answer("a-2", vec!["b".into()], Millis(62_000)).unwrap();
        assert!(!b.correct);
        assert!(
            t.answer("b-1", vec!["a".into()], Millis(62_000)).is_err(),
            "not in the quiz"
        );
        assert!(
            t.answer("a-3", vec!["z".into()], Millis(62_000)).is_err(),
            "no such option"
        );
        // Later once, then no more Later.
        t.close_quiz(true, &p, Millis(63_000));
        assert!(!t.tick(at(64), &p));
        assert!(t.tick(at(64 + 300), &p));
        assert!(!t.quiz().unwrap().can_snooze);
        t.close_quiz(false, &p, Millis(365_000));
        let st = t.status(&p, Millis(365_000));
        assert_eq!(
            (st.modules, st.completed, st.due),
            (2, 0, 1),
            "b is mandatory, not done"
        );
        // Ten minutes after the wrong answer, a-2 is due again: a is due too.
        assert_eq!(t.status(&p, Millis(700_000)).due, 2);
    }

    #[test]
    fn the_window_gets_no_answer_key_one_answer_a_question_and_time_is_measured_here() {
        let mut t = trainer();
        let p = policy();
        t.set_history(&[], &[]);
        t.lesson_read("a", Millis(0)).unwrap();
        let mut shown = vec![];
        for s in 0..=60 {
            shown.extend(
                t.handle(TrainingEvent::Tick(at(s)), &p)
                    .unwrap()
                    .into_iter()
                    .filter(|a| matches!(a, TrainingAction::Record { .. })),
            );
        }
        assert!(
            matches!(&shown[..], [TrainingAction::Record { kind, .. }] if *kind == crate::audit::RecordKind::QuizShown),
            "{shown:?}"
        );
        let view = serde_json::to_string(&t.quiz_view().unwrap()).unwrap();
        assert!(
            !view.contains("correct") && !view.contains("explain"),
            "{view}"
        );
        let answer = |t: &mut Trainer, q: &str, s: i64| {
            t.handle(
                TrainingEvent::QuizAnswer {
                    question: q.into(),
                    chosen: vec!["a".into()],
                    at: Millis(s * 1000),
                },
                &p,
            )
        };
        let saved = answer(&mut t, "a-1", 65).unwrap();
        assert!(
            matches!(&saved[..], [TrainingAction::SaveAnswer(a)] if a.took_ms == 5_000),
            "timed from the quiz's showing: {saved:?}"
        );
        assert!(
            answer(&mut t, "a-1", 66).is_err(),
            "one answer per question"
        );
        let saved = answer(&mut t, "a-2", 69).unwrap();
        assert!(
            matches!(&saved[..], [TrainingAction::SaveAnswer(a)] if a.took_ms == 4_000),
            "timed from the previous answer: {saved:?}"
        );
        let view = t.quiz_view().unwrap();
        assert_eq!(view.answered.len(), 2);
        assert!(view.answered[0].correct);
        assert_eq!(view.answered[0].options[0].explain, "y");
        // Closed after answers: not missed.
        let closed = t
            .handle(
                TrainingEvent::QuizClosed {
                    later: false,
                    at: Millis(70_000),
                },
                &p,
            )
            .unwrap();
        assert!(closed.is_empty(), "{closed:?}");
    }

    #[test]
    fn a_quiz_closed_or_expired_unanswered_is_recorded_as_missed() {
        let mut t = trainer();
        let p = policy();
        t.set_history(&[], &[]);
        t.lesson_read("a", Millis(0)).unwrap();
        for s in 0..=60 {
            let _ = t.handle(TrainingEvent::Tick(at(s)), &p);
        }
        let missed = t
            .handle(
                TrainingEvent::QuizClosed {
                    later: true,
                    at: Millis(61_000),
                },
                &p,
            )
            .unwrap();
        assert!(
            matches!(&missed[..], [TrainingAction::Record { kind, details }]
                if *kind == crate::audit::RecordKind::QuizMissed && details.starts_with("postponed with Later")),
            "{missed:?}"
        );
        // The next one pops up after the snooze and runs out.
        let mut all = vec![];
        for s in 62..=62 + 300 + 130 {
            all.extend(t.handle(TrainingEvent::Tick(at(s)), &p).unwrap());
        }
        assert!(
            all.iter().any(|a| matches!(a, TrainingAction::Record { kind, details }
                if *kind == crate::audit::RecordKind::QuizMissed && details.starts_with("time ran out"))),
            "{all:?}"
        );
    }

    #[test]
    fn a_quiz_whose_window_is_gone_stops_blocking_the_next() {
        let mut t = trainer();
        let p = policy();
        t.set_history(&[], &[]);
        t.lesson_read("a", Millis(0)).unwrap();
        for s in 0..=60 {
            t.tick(at(s), &p);
        }
        assert!(t.quiz().is_some());
        // Never answered nor closed: dropped 2 minutes after it was shown.
        assert!(!t.tick(at(60 + 119), &p));
        assert!(t.quiz().is_some());
        t.tick(at(60 + 121), &p);
        assert!(t.quiz().is_none());
        // It counts as finished: the next one needs a full cadence of
        // active time from when it was dropped.
        for s in 182..239 {
            assert!(!t.tick(at(s), &p), "second {s}");
        }
        assert!(t.tick(at(239), &p));
    }

    #[test]
    fn practice_needs_no_cadence_and_reads_the_lesson() {
        let mut t = trainer();
        t.set_history(&[], &[]);
        let p = policy();
        assert!(t.practice(None, &p, Millis(0)).is_err());
        assert!(t.practice(Some("b"), &p, Millis(0)).unwrap(), "first read");
        assert!(!t.practice(Some("b"), &p, Millis(1)).unwrap());
        let quiz = t.quiz().unwrap();
        assert!(quiz.practice && !quiz.can_snooze);
        assert!(quiz.questions.iter().all(|q| q.module == "b"));
        let view = t.overview(&p, Millis(0));
        let b = view.modules.iter().find(|m| m.id == "b").unwrap();
        assert!(b.mandatory && b.progress.lesson_read);
        assert_eq!(b.due_date.as_deref(), Some("2026-12-31"));
    }

    #[test]
    fn the_status_says_why_a_due_quiz_is_held() {
        let mut t = trainer();
        let p = policy();
        t.set_history(&[], &[]);
        let held = |t: &Trainer| t.status(&p, Millis(0)).quiz_held;
        let call = |s: i64| Moment {
            call: true,
            ..at(s)
        };
        let shield = |s: i64| Moment {
            shield_up: true,
            ..at(s)
        };
        // (moment, quiz shown, held after the tick)
        let rows: Vec<(Moment, bool, Option<Held>)> = vec![
            (at(0), false, None),
            // Nothing read yet: nothing to ask once the cadence is up.
            (at(60), false, Some(Held::NothingToAsk)),
        ];
        for (i, (m, shown, want)) in rows.into_iter().enumerate() {
            assert_eq!(t.tick(m, &p), shown, "row {i}");
            assert_eq!(held(&t), want, "row {i}");
        }
        t.lesson_read("a", Millis(60_000)).unwrap();
        let rows: Vec<(Moment, bool, Option<Held>)> = vec![
            (call(61), false, Some(Held::Call)),
            (shield(62), false, Some(Held::Shield)),
            (at(63), true, None),
        ];
        for (i, (m, shown, want)) in rows.into_iter().enumerate() {
            assert_eq!(t.tick(m, &p), shown, "row {i}");
            assert_eq!(held(&t), want, "row {i}");
        }
        // "Later": held as snoozed, with the snooze counted down.
        t.close_quiz(true, &p, Millis(64_000));
        assert!(!t.tick(at(65), &p));
        let st = t.status(&p, Millis(65_000));
        assert_eq!(st.quiz_held, Some(Held::Snoozed));
        assert_eq!(st.next_quiz_in_seconds, Some(300));
        assert_eq!(
            serde_json::to_value(&st).unwrap()["quiz_held"],
            "snoozed",
            "the status names it in snake case"
        );
    }
}
