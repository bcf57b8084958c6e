//! The two files behind the settings, and what to do when one changes. A file
//! that fails validation is rejected whole and the last good version of it
//! stays in force, so a typo never switches protection off.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::effective::Effective;
use super::layer::{FileError, Layer, Origin};
use super::managed::ManagedSet;

/// What reading a file from disk gave.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FileRead {
    Missing,
    Text(String),
    /// The file exists but could not be read (permissions, not UTF-8, ...).
    Unreadable(String),
}

/// Everything the managed policy is read from: the policy file, and on
/// Windows and macOS the registry or configuration profiles, which are
/// merged over it (most important first).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyRead {
    pub file: FileRead,
    pub managed: Vec<ManagedSet>,
}

impl From<FileRead> for PolicyRead {
    fn from(file: FileRead) -> Self {
        Self {
            file,
            managed: Vec::new(),
        }
    }
}

/// Marks the canonical form of a policy with managed values (a JSON
/// object, which no TOML file can start with).
const CANONICAL_MARK: &str = "veil_policy";

impl PolicyRead {
    /// The managed sources that hold anything.
    fn present_managed(&self) -> impl Iterator<Item = &ManagedSet> {
        self.managed.iter().filter(|m| m.is_present())
    }

    /// Nothing at all: no file and nothing managed.
    pub fn is_missing(&self) -> bool {
        self.file == FileRead::Missing && self.present_managed().next().is_none()
    }

    /// The text the policy's sha256 is taken of, and that the copy of the
    /// last good policy keeps. With only a file it is the file's own text
    /// (IT compares the hash with the file it deployed). With registry or
    /// profile values it is one JSON document of the file and every managed
    /// value (sorted, so the same values always give the same hash), which
    /// [`PolicyRead::from_canonical_text`] reads back. None when there is
    /// nothing to hash (no file or an unreadable one, nothing managed).
    pub fn canonical_text(&self) -> Option<String> {
        let managed: Vec<&ManagedSet> = self.present_managed().collect();
        match (&self.file, managed.is_empty()) {
            (FileRead::Text(t), true) => Some(t.clone()),
            (_, true) => None,
            (file, false) => {
                let mut doc = serde_json::Map::new();
                doc.insert(CANONICAL_MARK.into(), 1.into());
                doc.insert("file".into(), serde_json::to_value(file).ok()?);
                doc.insert("managed".into(), serde_json::to_value(&managed).ok()?);
                serde_json::to_string_pretty(&doc).ok()
            }
        }
    }

    /// The read a canonical text with managed values stands for; None for
    /// the text of a plain policy file.
    pub fn from_canonical_text(text: &str) -> Option<PolicyRead> {
        if !text.trim_start().starts_with('{') {
            return None;
        }
        let doc: serde_json::Value = serde_json::from_str(text).ok()?;
        if doc.get(CANONICAL_MARK)? != 1 {
            return None;
        }
        Some(PolicyRead {
            file: serde_json::from_value(doc.get("file")?.clone()).ok()?,
            managed: serde_json::from_value(doc.get("managed")?.clone()).ok()?,
        })
    }

    /// Validates the file and every managed source; any error rejects the
    /// whole policy, and every error is told.
    fn parse(&self, path: &str, origin: Origin) -> Result<Layer, Vec<FileError>> {
        let file = match &self.file {
            FileRead::Missing => Ok(Layer::default()),
            FileRead::Text(text) => Layer::parse(path, text, origin),
            FileRead::Unreadable(why) => Err(vec![FileError {
                file: path.to_string(),
                line: 1,
                column: 1,
                key: None,
                message: format!("cannot be read: {why}"),
            }]),
        };
        let managed: Vec<ManagedSet> = self.present_managed().cloned().collect();
        match (file, super::managed::merge(&managed, Layer::default())) {
            (Ok(file), Ok(upper)) => Ok(upper.merge_over(&file)),
            (Ok(_), Err(m)) => Err(m),
            (Err(f), Ok(_)) => Err(f),
            // The registry's or profile's errors first: they win when fixed.
            (Err(f), Err(mut m)) => {
                m.extend(f);
                Err(m)
            }
        }
    }
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
    /// unreadable. IT compares it with the file it deployed. With registry
    /// or profile values, of the canonical text of the file and those
    /// values together (`PolicyRead::canonical_text`).
    pub sha256: Option<String>,
    /// The registry key or configuration profiles whose values are merged
    /// over the file, most important first; absent when there are none.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub managed: Option<Vec<String>>,
}

impl FileStatus {
    /// A rejected file needs attention: one problem per error. `source`
    /// is `policy` or `settings`.
    pub fn problems(&self, source: &str) -> Vec<crate::status::Problem> {
        match &self.state {
            FileState::Rejected { errors } => errors
                .iter()
                .map(|e| {
                    crate::status::Problem::new(
                        source,
                        &format!("{source}-file-errors"),
                        format!("{source} file has errors"),
                        e.to_string(),
                    )
                    .arg("error", e.to_string())
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
    /// For the agent's file `managed` is always empty.
    last_read: Option<PolicyRead>,
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

    fn update(&mut self, read: PolicyRead) -> ConfigChange {
        if self.last_read.as_ref() == Some(&read) {
            return ConfigChange::Unchanged;
        }
        let first = self.last_read.is_none();
        self.last_read = Some(read.clone());
        match read.parse(&self.path, self.origin) {
            Ok(layer) => {
                self.last_good = layer;
                self.has_good = true;
                let present = !read.is_missing();
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
            sha256: self
                .last_read
                .as_ref()
                .and_then(PolicyRead::canonical_text)
                .map(|t| crate::audit::sha256_hex(t.as_bytes())),
            managed: self
                .last_read
                .as_ref()
                .map(|r| {
                    r.present_managed()
                        .map(|m| m.location.clone())
                        .collect::<Vec<_>>()
                })
                .filter(|m| !m.is_empty()),
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
        let parsed = match PolicyRead::from_canonical_text(cached_text) {
            Some(read) => read.parse(&self.policy.path, Origin::Policy),
            None => Layer::parse(&self.policy.path, cached_text, Origin::Policy),
        };
        match parsed {
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
            && !self
                .policy
                .last_read
                .as_ref()
                .is_some_and(PolicyRead::is_missing);
        if in_force {
            self.policy.last_good = Layer::fail_closed();
        }
        in_force
    }

    /// Whether the policy in force is the fail-closed one.
    /// The policy file's problems, and the fail-closed one: no usable
    /// policy and no earlier version of it known.
    pub fn policy_problems(&self) -> Vec<crate::status::Problem> {
        let mut out = self.policy_status().problems("policy");
        if self.policy_fail_closed() {
            out.push(crate::status::Problem::new(
                "policy",
                "policy-unusable",
                "Organization policy unusable".into(),
                "Your organization's policy file cannot be used and no earlier version of it is known, so Veil keeps privacy mode on and cannot be quit until IT deploys a valid one.".into(),
            ));
        }
        out
    }

    pub fn policy_fail_closed(&self) -> bool {
        self.policy.last_good == Layer::fail_closed()
            && matches!(self.policy.state, FileState::Rejected { .. })
    }

    pub fn update_user(&mut self, read: FileRead) -> ConfigChange {
        self.user.update(read.into())
    }

    /// The policy file, with the registry or profiles where there are any.
    pub fn update_policy(&mut self, read: impl Into<PolicyRead>) -> ConfigChange {
        self.policy.update(read.into())
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

    /// Text of the policy in force when it was read and valid (the file's
    /// text, or the canonical text with registry or profile values); the
    /// app keeps it as the cache for [`Config::seed_policy`].
    pub fn policy_text_in_force(&self) -> Option<String> {
        match (&self.policy.state, &self.policy.last_read) {
            (FileState::Loaded, Some(read)) => read.canonical_text(),
            _ => None,
        }
    }

    /// Where a policy key in force was set when not in the file:
    /// `registry:HKLM\SOFTWARE\Policies\Veil\shield`, `profile:PATH`.
    pub fn policy_place(&self, key: &str) -> Option<&str> {
        self.policy.last_good.managed_place(key)
    }
}

#[cfg(test)]
mod tests {
    use super::super::managed::{ManagedEntry, ManagedKind, ManagedValue, REGISTRY_ROOT};
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
        assert_eq!(
            c.policy_text_in_force().as_deref(),
            Some("appearance = \"light\"")
        );
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

    fn registry(entries: &[(&str, ManagedValue)]) -> ManagedSet {
        ManagedSet::new(
            ManagedKind::Registry,
            REGISTRY_ROOT,
            entries
                .iter()
                .map(|(n, v)| ManagedEntry {
                    path: n.split('\\').map(str::to_string).collect(),
                    value: v.clone(),
                })
                .collect(),
        )
    }

    fn with_registry(file: FileRead, entries: &[(&str, ManagedValue)]) -> PolicyRead {
        PolicyRead {
            file,
            managed: vec![registry(entries)],
        }
    }

    #[test]
    fn registry_values_are_merged_over_the_file_and_hashed_with_it() {
        let mut c = Config::new("u", r"C:\ProgramData\Veil\policy.toml");
        let file = text("appearance = \"dark\"\nallow_quit = true\n");
        c.update_policy(file.clone());
        let file_only = c.policy_status();
        assert_eq!(
            file_only.sha256.as_deref(),
            Some(crate::audit::sha256_hex(b"appearance = \"dark\"\nallow_quit = true\n").as_str())
        );
        assert_eq!(file_only.managed, None);
        // An empty registry key is as if there were none.
        assert_eq!(
            c.update_policy(with_registry(file.clone(), &[])),
            ConfigChange::Applied {
                first: false,
                present: true
            }
        );
        assert_eq!(c.policy_status(), file_only);
        c.update_policy(with_registry(
            file.clone(),
            &[("allow_quit", ManagedValue::Dword(0))],
        ));
        let st = c.policy_status();
        assert_eq!(st.state, FileState::Loaded);
        assert_eq!(st.managed, Some(vec![REGISTRY_ROOT.to_string()]));
        assert_ne!(st.sha256, file_only.sha256, "the hash covers the registry");
        assert!(!c.effective().settings().allow_quit);
        assert_eq!(c.effective().entry("appearance").unwrap().line, Some(1));
        assert_eq!(
            c.policy_place("allow_quit"),
            Some(r"registry:HKLM\SOFTWARE\Policies\Veil")
        );
        assert_eq!(c.policy_place("appearance"), None);
        // The same values in another order are the same policy.
        let reordered = with_registry(
            file.clone(),
            &[
                ("shield\\idle_seconds", ManagedValue::Dword(30)),
                ("allow_quit", ManagedValue::Dword(0)),
            ],
        );
        let sorted = with_registry(
            file.clone(),
            &[
                ("allow_quit", ManagedValue::Dword(0)),
                ("shield\\idle_seconds", ManagedValue::Dword(30)),
            ],
        );
        assert_eq!(reordered, sorted);
        assert_eq!(reordered.canonical_text(), sorted.canonical_text());
        // Only the registry, no file: present.
        let mut c = Config::new("u", "p");
        assert_eq!(
            c.update_policy(with_registry(
                FileRead::Missing,
                &[("allow_quit", ManagedValue::Dword(0))]
            )),
            ConfigChange::Applied {
                first: true,
                present: true
            }
        );
        assert_eq!(c.policy_status().state, FileState::Loaded);
        assert!(c.policy_status().sha256.is_some());
    }

    #[test]
    fn a_bad_registry_value_rejects_the_policy_and_the_last_good_stays() {
        let mut c = Config::new("u", "p");
        c.update_policy(with_registry(
            FileRead::Missing,
            &[("allow_quit", ManagedValue::Dword(0))],
        ));
        let change = c.update_policy(with_registry(
            text("appearance = nope"),
            &[("shield\\idle_seconds", ManagedValue::String("30".into()))],
        ));
        let ConfigChange::Rejected(errors) = change else {
            panic!("{change:?}");
        };
        // The registry's error first, then the file's.
        assert_eq!(errors.len(), 2);
        assert_eq!(
            errors[0].file,
            r"HKLM\SOFTWARE\Policies\Veil\shield\idle_seconds"
        );
        assert_eq!(errors[0].line, 0);
        assert_eq!(errors[1].file, "p");
        assert!(!c.effective().settings().allow_quit);
        assert!(matches!(
            c.policy_status().state,
            FileState::Rejected { .. }
        ));
        // A first policy that is bad: fail closed, as for a bad file.
        let mut c = Config::new("u", "p");
        c.update_policy(with_registry(
            FileRead::Missing,
            &[("nope", ManagedValue::Dword(0))],
        ));
        assert!(c.policy_fail_closed());
    }

    #[test]
    fn the_kept_copy_of_a_registry_policy_reads_back_the_same() {
        let mut c = Config::new("u", "p");
        c.update_policy(with_registry(
            text("appearance = \"dark\"\n"),
            &[
                ("allow_quit", ManagedValue::Dword(0)),
                ("fleet\\labels\\site", ManagedValue::String("lisbon".into())),
                (
                    "microphone\\approved_headsets",
                    ManagedValue::MultiString(vec!["Jabra*".into()]),
                ),
            ],
        ));
        let kept = c.policy_text_in_force().unwrap();
        assert!(kept.starts_with('{'), "{kept}");
        assert_eq!(
            c.policy_status().sha256,
            Some(crate::audit::sha256_hex(kept.as_bytes())),
            "the recorded hash is the kept copy's, so the copy is trusted at the next start"
        );
        let mut next = Config::new("u", "p");
        assert!(next.seed_policy(&kept));
        next.update_policy(text("appearance = broken"));
        assert_eq!(next.effective(), c.effective());
        assert_eq!(
            next.policy_place("allow_quit"),
            Some(r"registry:HKLM\SOFTWARE\Policies\Veil")
        );
        // A kept copy of a plain file is still the file's text.
        let mut c = Config::new("u", "p");
        c.update_policy(text("allow_quit = false"));
        assert_eq!(
            c.policy_text_in_force().as_deref(),
            Some("allow_quit = false")
        );
        assert_eq!(PolicyRead::from_canonical_text("allow_quit = false"), None);
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
