//! Security training (pure): the modules as the security team writes them,
//! which question comes next (spaced repetition), and when a quiz may pop
//! up. The app loads the files, stores the answers and shows the windows.

pub mod content;
pub mod delivery;
pub mod report;
pub mod schedule;
pub mod trainer;

use serde::Serialize;
use ts_rs::TS;

pub use content::{Choice, ContentError, Module, Question, QuestionKind};
pub use delivery::{Held, Moment, QuizClock, Verdict};
pub use schedule::{Answer, ModuleProgress, Progress};
pub use trainer::{
    AnswerOutcome, ModuleView, Quiz, QuizView, Trainer, TrainingAction, TrainingEvent,
    TrainingOverview,
};

/// What policy says about training.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TrainingPolicy {
    pub every: std::time::Duration,
    pub snooze: std::time::Duration,
    pub max_snoozes: u32,
    /// "module" or "module@YYYY-MM-DD".
    pub mandatory: Vec<String>,
    pub extra_folder: String,
}

impl TrainingPolicy {
    /// Mandatory module ids with their due dates, if any.
    pub fn mandatory_modules(&self) -> Vec<(String, Option<String>)> {
        self.mandatory
            .iter()
            .map(|m| match m.split_once('@') {
                Some((id, date)) => (id.trim().to_string(), Some(date.trim().to_string())),
                None => (m.trim().to_string(), None),
            })
            .collect()
    }
}

/// The `training` object of `veil status --json`. `modules`, `completed`,
/// `due` and `next_quiz_in_seconds` are the contract.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct TrainingStatus {
    pub modules: usize,
    /// Modules whose lesson is read and every question answered right.
    pub completed: usize,
    /// Modules with work due: questions due for review, or a mandatory
    /// module not completed.
    pub due: usize,
    /// Seconds of active time until the next quiz may pop up; null while
    /// there is nothing to ask.
    pub next_quiz_in_seconds: Option<u64>,
    /// Why a quiz that is due does not pop up now: "call", "shield" (the
    /// shield is up or the agent is away), "just_back" (within a minute of
    /// coming back), "snoozed" ("Later"), "nothing_to_ask"; null otherwise.
    pub quiz_held: Option<Held>,
    /// Content files that could not be loaded, as "file:line: problem".
    pub errors: Vec<String>,
}
