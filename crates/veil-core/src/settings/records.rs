//! What a change of the policy or the agent's settings file puts on the
//! record and tells the agent. Every policy read is recorded with the
//! file's hash, so IT can tell which file was in force; registry or profile
//! values are named first (they win over the file) and are in the hash.

use crate::audit::RecordKind;
use crate::i18n::Message;
use crate::state::{Action, ChangedBy, Record};

use super::{FileError, FileStatus};

/// Which of the two files changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConfigFile {
    Policy,
    Settings,
}

impl ConfigFile {
    fn noun(self) -> &'static str {
        match self {
            ConfigFile::Policy => "policy",
            ConfigFile::Settings => "settings",
        }
    }
}

/// The file as the record names it: managed sources first, then the path,
/// and for the policy its hash.
fn named(file: ConfigFile, status: &FileStatus) -> String {
    let label = match &status.managed {
        Some(managed) => format!("{} over {}", managed.join(" over "), status.path),
        None => status.path.clone(),
    };
    match (file, &status.sha256) {
        (ConfigFile::Policy, Some(hash)) => format!("{label} (sha256 {hash})"),
        _ => label,
    }
}

/// A rejected file: the record (with the first error) and the notice.
pub fn rejected(file: ConfigFile, status: &FileStatus, errors: &[FileError]) -> Vec<Action> {
    let first = errors.first().map(ToString::to_string).unwrap_or_default();
    let noun = file.noun();
    vec![
        Action::Record(Record {
            kind: match file {
                ConfigFile::Policy => RecordKind::PolicyRejected,
                ConfigFile::Settings => RecordKind::SettingsRejected,
            },
            by: ChangedBy::Veil,
            details: match (file, &status.sha256) {
                (ConfigFile::Policy, Some(hash)) => format!("{first} (sha256 {hash})"),
                _ => first.clone(),
            },
        }),
        Action::Notify {
            title: Message::new(format!("notify-{noun}-rejected-title")),
            body: Message::new(format!("notify-{noun}-rejected-body")).arg("error", first),
        },
    ]
}

/// A file taken: its record, if it gets one. `first`: the first read since
/// start (a load, not a change); `present`: the file exists; `changed`:
/// what the effective settings changed, one line per key.
pub fn applied(
    file: ConfigFile,
    status: &FileStatus,
    first: bool,
    present: bool,
    changed: &[String],
) -> Option<Action> {
    let kind = match (file, first, present) {
        (ConfigFile::Policy, true, true) => RecordKind::PolicyLoaded,
        (ConfigFile::Policy, false, true) => RecordKind::PolicyChanged,
        (ConfigFile::Policy, false, false) => RecordKind::PolicyRemoved,
        (ConfigFile::Policy, true, false) => RecordKind::PolicyMissing,
        (ConfigFile::Settings, false, _) => RecordKind::SettingsChanged,
        // The agent's file read at start.
        (ConfigFile::Settings, true, _) => return None,
    };
    let path = named(file, status);
    Some(Action::Record(Record {
        kind,
        by: match file {
            ConfigFile::Policy => ChangedBy::Policy,
            ConfigFile::Settings => ChangedBy::Agent,
        },
        details: match (file, changed.is_empty()) {
            (ConfigFile::Policy, true) => path,
            (ConfigFile::Policy, false) => format!("{path}: {}", changed.join("; ")),
            // The hash tells the next start whether the file changed while
            // Veil was not running.
            (ConfigFile::Settings, _) => format!(
                "{path}: {}; {}",
                changed.join("; "),
                crate::lifecycle::settings_fingerprint(status.sha256.as_deref())
            ),
        },
    }))
}
