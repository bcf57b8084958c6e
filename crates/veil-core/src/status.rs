//! What the app shows about itself: the `veil status --json` contract and
//! the fuller snapshot the tray and windows render.

use serde::Serialize;
use ts_rs::TS;

use crate::mic::MicStatus;
use crate::settings::{Effective, FileStatus, Settings};
use crate::state::PrivacyMode;

/// The state at a glance, as the tray icon shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Overall {
    /// Privacy mode on and everything compliant.
    Protected,
    /// Privacy mode on, but something needs the agent's or IT's attention.
    Attention,
    /// Privacy mode off.
    Off,
}

impl Overall {
    /// The state in the agent's language (tray tooltip and status line).
    pub fn label_in(self, lang: crate::i18n::Language) -> String {
        let key = match self {
            Overall::Protected => "state-protected",
            Overall::Attention => "state-attention",
            Overall::Off => "state-off",
        };
        crate::i18n::tr(lang, key, &[])
    }

    pub fn label(self) -> &'static str {
        match self {
            Overall::Protected => "Protected",
            Overall::Attention => "Needs attention",
            Overall::Off => "Privacy mode off",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Problem {
    /// Which part of Veil reports it (`policy`, `settings`, `microphone`, ...).
    pub source: String,
    /// A few words for the tray menu ("Connect your headset").
    pub summary: String,
    pub message: String,
    /// Names the problem for the agent's language: the catalogs
    /// (locales/<lang>/problems.ftl) have `problem-<code>-summary` and
    /// `problem-<code>-message`, formatted with `args`. `summary` and
    /// `message` stay English, for scripts and logs.
    pub code: String,
    pub args: std::collections::BTreeMap<String, String>,
    /// Arguments that have a message of their own (a device check's
    /// finding): in the agent's language they stand for the argument of the
    /// same name, whose English `args` keeps.
    pub parts: std::collections::BTreeMap<String, crate::i18n::Message>,
}

impl Problem {
    pub fn new(source: &str, code: &str, summary: String, message: String) -> Self {
        Self {
            source: source.into(),
            summary,
            message,
            code: code.into(),
            args: Default::default(),
            parts: Default::default(),
        }
    }

    pub fn arg(mut self, name: &str, value: impl Into<String>) -> Self {
        self.args.insert(name.into(), value.into());
        self
    }

    pub fn part(mut self, name: &str, value: crate::i18n::Message) -> Self {
        self.parts.insert(name.into(), value);
        self
    }

    /// The English summary and message from the catalogs (for a problem
    /// made without them).
    pub fn in_english(mut self) -> Self {
        self.summary = self.summary_in(crate::i18n::Language::En);
        self.message = self.message_in(crate::i18n::Language::En);
        self
    }

    /// The summary in the agent's language (English where the catalogs
    /// have no message for this code).
    pub fn summary_in(&self, lang: crate::i18n::Language) -> String {
        self.text_in(lang, "summary", &self.summary)
    }

    pub fn message_in(&self, lang: crate::i18n::Language) -> String {
        self.text_in(lang, "message", &self.message)
    }

    fn text_in(&self, lang: crate::i18n::Language, part: &str, english: &str) -> String {
        let key = format!("problem-{}-{part}", self.code);
        if self.code.is_empty() || !crate::i18n::has(&key) {
            return english.to_string();
        }
        let mut message = crate::i18n::Message::new(key);
        for (k, v) in &self.args {
            message = message.arg(k, v.as_str());
        }
        for (k, v) in &self.parts {
            message = message.part(k, v.clone());
        }
        message.text(lang)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum StoreState {
    Starting,
    Ok,
    /// Nothing can be recorded.
    Unavailable,
}

/// The encrypted store's health, as `veil status --json` shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct StoreStatus {
    pub state: StoreState,
    pub path: String,
    /// `credential_store`, `key_file`, or null when unavailable.
    pub key_storage: Option<String>,
    /// Why the store is unavailable, or why the key is not in the
    /// credential store.
    pub message: Option<String>,
    /// An earlier database that could not be opened, kept here.
    pub kept_aside: Option<String>,
}

impl StoreStatus {
    pub fn unavailable(path: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            state: StoreState::Unavailable,
            path: path.into(),
            key_storage: None,
            message: Some(message.into()),
            kept_aside: None,
        }
    }

    /// While nothing can be recorded, that needs attention.
    pub fn problem(&self) -> Option<Problem> {
        (self.state == StoreState::Unavailable).then(|| {
            let why = self
                .message
                .as_deref()
                .unwrap_or("the store is unavailable");
            Problem::new(
                "store",
                "store-unavailable",
                "Audit log not recording".into(),
                format!("Privacy events cannot be recorded: {why}"),
            )
            .arg("why", why)
        })
    }

    pub fn starting(path: impl Into<String>) -> Self {
        Self {
            state: StoreState::Starting,
            path: path.into(),
            key_storage: None,
            message: None,
            kept_aside: None,
        }
    }
}

/// `veil status --json`. Support scripts rely on these names: add fields,
/// never rename or remove them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Status {
    pub version: String,
    pub privacy_mode: PrivacyMode,
    pub state: Overall,
    pub privacy_mode_locked: bool,
    pub problems: Vec<Problem>,
    pub policy_file: FileStatus,
    pub settings_file: FileStatus,
    pub store: StoreStatus,
    pub microphone: MicStatus,
    pub shield: crate::shield::ShieldStatus,
    pub camera: crate::camera::CameraStatus,
    pub training: crate::training::TrainingStatus,
    /// The organization's receivers (`fleet.*` policy).
    pub fleet: crate::fleet::FleetStatus,
    /// The device checks ("This computer").
    pub posture: crate::posture::PostureStatus,
}

/// Everything the windows render.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Snapshot {
    pub status: Status,
    /// Every setting with its value and where it came from (the settings page).
    pub settings: Effective,
    /// The same settings, typed, as the guards read them.
    #[serde(skip)]
    #[ts(skip)]
    pub in_force: Settings,
    /// The quiz pop-up's content, while one is open.
    pub quiz: Option<crate::training::QuizView>,
    /// The language the windows show (the `language` setting, else the OS
    /// locale).
    pub language: crate::i18n::Language,
}

#[cfg(test)]
mod tests {
    use crate::settings::Config;
    use crate::state::{PrivacyMode, VeilState};

    #[test]
    fn status_json_has_the_contract_keys() {
        let s = VeilState::new(PrivacyMode::On, Config::new("u", "p"), "veil.db");
        let v = serde_json::to_value(s.status()).unwrap();
        assert_eq!(v["version"], crate::VERSION);
        assert_eq!(v["privacy_mode"], "on");
        assert_eq!(v["state"], "protected");
        assert_eq!(v["policy_file"]["state"], "missing");
        for key in ["default", "headset", "muted", "compliant", "backend"] {
            assert!(v["microphone"].get(key).is_some(), "microphone.{key}");
        }
        for key in ["state", "idle_seconds", "idle_source"] {
            assert!(v["shield"].get(key).is_some(), "shield.{key}");
        }
    }
}
