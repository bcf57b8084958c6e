//! Security training (pure): the modules as the security team writes them,
//! which question comes next (spaced repetition), and when a quiz may pop
//! up. The app loads the files, stores the answers and shows the windows.

pub mod content;
pub mod delivery;
pub mod schedule;

use serde::Serialize;

pub use content::{Choice, ContentError, Module, Question, QuestionKind};
pub use delivery::{Held, Moment, QuizClock, Verdict};
pub use schedule::{Answer, ModuleProgress, Progress};

/// The `training` object of `veil status --json`. `modules`, `completed`,
/// `due` and `next_quiz_in_seconds` are the contract.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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
    /// Content files that could not be loaded, as "file:line: problem".
    pub errors: Vec<String>,
}

impl TrainingStatus {
    pub fn starting() -> Self {
        Self {
            modules: 0,
            completed: 0,
            due: 0,
            next_quiz_in_seconds: None,
            errors: vec![],
        }
    }
}
