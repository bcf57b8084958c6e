//! The two files behind the settings, and what to do when one changes. A file
//! that fails validation is rejected whole and the last good version of it
//! stays in force, so a typo never switches protection off.

use serde::Serialize;
use ts_rs::TS;

use super::effective::Effective;
use super::layer::{FileError, Layer, Origin};

/// What reading a file from disk gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileRead {
    Missing,
    Text(String),
    /// The file exists but could not be read (permissions, not UTF-8, ...).
    Unreadable(String),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum FileState {
    /// No file: nothing from it applies.
    Missing,
    Loaded,
    /// The file on disk is bad; the last good version (if any) applies.
    Rejected {
        errors: Vec<FileError>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct FileStatus {
    pub path: String,
    #[serde(flatten)]
    pub state: FileState,
    /// SHA-256 of the file as read (lowercase hex); null when missing or
    /// unreadable. IT compares it with the file it deployed.
    pub sha256: Option<String>,
}

impl FileStatus {
    /// A rejected file needs attention: one problem per error. `source`
    /// is `policy` or `settings`.
    pub fn problems(&self, source: &str) -> Vec<crate::status::Problem> {
        match &self.state {
            FileState::Rejected { errors } => errors
                .iter()
                .map(|e| crate::status::Problem {
                    source: source.to_string(),
                    summary: format!("{source} file has errors"),
                    message: e.to_string(),
                })
                .collect(),
            FileState::Missing | FileState::Loaded => vec![],
        }
    }
}

/// What an update changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigChange {
    /// Nothing new.
    Unchanged,
    /// The file was taken; effective settings may have changed.
    Applied {
        /// The first read since start: a load, not a change.
        first: bool,
        /// The file exists (false: it was removed or never deployed).
        present: bool,
    },
    /// The file was rejected; the last good version stays in force.
    Rejected(Vec<FileError>),
}

#[derive(Debug, Clone)]
pub struct Config {
    user: Tracked,
    policy: Tracked,
}

#[derive(Debug, Clone)]
struct Tracked {
    origin: Origin,
    path: String,
    last_good: Layer,
    /// `last_good` came from somewhere: a valid read, or a kept copy.
    has_good: bool,
    last_read: Option<FileRead>,
    state: FileState,
}

impl Tracked {
    fn new(origin: Origin, path: String) -> Self {
        Self {
            origin,
            path,
            last_good: Layer::default(),
            has_good: false,
            last_read: None,
            state: FileState::Missing,
        }
    }

    fn update(&mut self, read: FileRead) -> ConfigChange {
        if self.last_read.as_ref() == Some(&read) {
            return ConfigChange::Unchanged;
        }
        let first = self.last_read.is_none();
        self.last_read = Some(read.clone());
        let parsed = match &read {
            FileRead::Missing => Ok(Layer::default()),
            FileRead::Text(text) => Layer::parse(&self.path, text, self.origin),
            FileRead::Unreadable(why) => Err(vec![FileError {
                file: self.path.clone(),
                line: 1,
                column: 1,
                key: None,
                message: format!("cannot be read: {why}"),
            }]),
        };
        match parsed {
            Ok(layer) => {
                self.last_good = layer;
                self.has_good = true;
                let present = read != FileRead::Missing;
                self.state = if present {
                    FileState::Loaded
                } else {
                    FileState::Missing
                };
                ConfigChange::Applied { first, present }
            }
            Err(errors) => {
                if self.origin == Origin::Policy && !self.has_good {
                    // The organization deployed a policy Veil cannot use, and
                    // no earlier one is known: the safe side, not defaults.
                    self.last_good = Layer::fail_closed();
                }
                self.state = FileState::Rejected {
                    errors: errors.clone(),
                };
                ConfigChange::Rejected(errors)
            }
        }
    }

    fn status(&self) -> FileStatus {
        FileStatus {
            path: self.path.clone(),
            state: self.state.clone(),
            sha256: match &self.last_read {
                Some(FileRead::Text(t)) => Some(crate::audit::sha256_hex(t.as_bytes())),
                _ => None,
            },
        }
    }
}

impl Config {
    pub fn new(user_path: impl Into<String>, policy_path: impl Into<String>) -> Self {
        Self {
            user: Tracked::new(Origin::User, user_path.into()),
            policy: Tracked::new(Origin::Policy, policy_path.into()),
        }
    }

    /// Seeds the policy with a copy kept from an earlier run, so that a policy
    /// file broken before this start still leaves the organization's last good
    /// rules in force. The file on disk is read next and wins when valid.
    pub fn seed_policy(&mut self, cached_text: &str) -> bool {
        match Layer::parse(&self.policy.path, cached_text, Origin::Policy) {
            Ok(layer) => {
                self.policy.last_good = layer;
                self.policy.has_good = true;
                true
            }
            Err(_) => false,
        }
    }

    /// The kept copy turned out not to be the organization's (its hash is
    /// not the one on record): forget it. If it is in force (the file is
    /// broken), the fail-closed policy replaces it. True when the effective
    /// settings may have changed.
    pub fn distrust_seed(&mut self) -> bool {
        let in_force = !matches!(self.policy.state, FileState::Loaded)
            && self.policy.last_read != Some(FileRead::Missing);
        if in_force {
            self.policy.last_good = Layer::fail_closed();
        }
        in_force
    }

    /// Whether the policy in force is the fail-closed one.
    pub fn policy_fail_closed(&self) -> bool {
        self.policy.last_good == Layer::fail_closed()
            && matches!(self.policy.state, FileState::Rejected { .. })
    }

    pub fn update_user(&mut self, read: FileRead) -> ConfigChange {
        self.user.update(read)
    }

    pub fn update_policy(&mut self, read: FileRead) -> ConfigChange {
        self.policy.update(read)
    }

    pub fn effective(&self) -> Effective {
        Effective::merge(&self.user.last_good, &self.policy.last_good)
    }

    pub fn user_status(&self) -> FileStatus {
        self.user.status()
    }

    pub fn policy_status(&self) -> FileStatus {
        self.policy.status()
    }

    pub fn user_path(&self) -> &str {
        &self.user.path
    }

    pub fn policy_path(&self) -> &str {
        &self.policy.path
    }

    /// Text of the policy in force when it was read from the file and valid;
    /// the app keeps it as the cache for [`Config::seed_policy`].
    pub fn policy_text_in_force(&self) -> Option<&str> {
        match (&self.policy.state, &self.policy.last_read) {
            (FileState::Loaded, Some(FileRead::Text(t))) => Some(t),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::Value;
    use super::*;

    fn text(s: &str) -> FileRead {
        FileRead::Text(s.to_string())
    }

    #[test]
    fn bad_file_keeps_last_good_until_fixed() {
        let mut c = Config::new("user.toml", "policy.toml");
        assert_eq!(
            c.update_policy(text("appearance = \"dark\"")),
            ConfigChange::Applied {
                first: true,
                present: true
            }
        );
        assert_eq!(
            c.update_policy(text("appearance = \"dark\"")),
            ConfigChange::Unchanged
        );
        let change = c.update_policy(text("appearance = dark"));
        assert!(matches!(change, ConfigChange::Rejected(ref e) if e[0].file == "policy.toml"));
        assert_eq!(
            c.effective().entry("appearance").unwrap().value,
            Value::Text("dark".into())
        );
        assert!(matches!(
            c.policy_status().state,
            FileState::Rejected { .. }
        ));
        assert_eq!(c.policy_text_in_force(), None);
        assert_eq!(
            c.update_policy(text("appearance = \"light\"")),
            ConfigChange::Applied {
                first: false,
                present: true
            }
        );
        assert_eq!(c.policy_status().state, FileState::Loaded);
        assert_eq!(c.policy_text_in_force(), Some("appearance = \"light\""));
    }

    #[test]
    fn removed_policy_unlocks_and_unreadable_policy_keeps_rules() {
        let mut c = Config::new("u", "p");
        c.update_policy(text("allow_quit = false"));
        assert!(matches!(
            c.update_policy(FileRead::Unreadable("permission denied".into())),
            ConfigChange::Rejected(_)
        ));
        assert!(!c.effective().settings().allow_quit);
        c.update_policy(FileRead::Missing);
        assert!(c.effective().settings().allow_quit);
        assert_eq!(c.policy_status().state, FileState::Missing);
    }

    #[test]
    fn seeded_policy_holds_when_file_is_broken_at_start() {
        let mut c = Config::new("u", "p");
        assert!(c.seed_policy("force_privacy_mode = true"));
        c.update_policy(text("force_privacy_mode = maybe"));
        assert!(c.effective().settings().force_privacy_mode);
        assert!(!c.seed_policy("broken ="));
    }
}
