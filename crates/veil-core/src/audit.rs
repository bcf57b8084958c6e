//! The audit log's hash chain. Each entry carries the hash of the one before,
//! so changing, removing or reordering any entry breaks every hash after it,
//! and `verify` names the first entry that does not fit. Retention pruning
//! leaves an anchor (the last pruned entry's number and hash) from which the
//! chain continues, and records the prune as an entry of its own.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

pub type Hash = [u8; 32];

/// The hash before the first entry ever written.
pub const GENESIS: Hash = [0; 32];

/// What is recorded; the store adds the number and the hashes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewEntry {
    /// Milliseconds since the Unix epoch.
    pub at_ms: i64,
    /// What happened: `privacy_on`, `policy_rejected`, `audit_pruned`, ...
    pub kind: String,
    /// Who did it: `agent`, `cli`, `policy`, `veil`.
    pub actor: String,
    /// The OS account Veil runs for.
    pub user: String,
    pub details: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub seq: i64,
    #[serde(flatten)]
    pub entry: NewEntry,
    #[serde(with = "hex_hash")]
    pub prev_hash: Hash,
    #[serde(with = "hex_hash")]
    pub hash: Hash,
}

/// Where the chain starts: genesis, or the last entry retention removed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Anchor {
    pub seq: i64,
    pub hash: Hash,
}

impl Anchor {
    pub const START: Anchor = Anchor {
        seq: 0,
        hash: GENESIS,
    };
}

/// The hash of an entry. Fields are length-prefixed so that no two
/// different entries can serialize to the same bytes.
pub fn entry_hash(prev: &Hash, seq: i64, e: &NewEntry) -> Hash {
    let mut h = Sha256::new();
    h.update(b"veil-audit-v1");
    h.update(prev);
    h.update(seq.to_be_bytes());
    h.update(e.at_ms.to_be_bytes());
    for field in [&e.kind, &e.actor, &e.user, &e.details] {
        h.update((field.len() as u64).to_be_bytes());
        h.update(field.as_bytes());
    }
    h.finalize().into()
}

/// SHA-256 of `bytes`, as lowercase hex (files' hashes in status and records).
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(Sha256::digest(bytes).as_slice())
}

/// Builds the next entry after `last` (number and hash).
pub fn chain(last: Anchor, entry: NewEntry) -> Entry {
    let seq = last.seq + 1;
    let hash = entry_hash(&last.hash, seq, &entry);
    Entry {
        seq,
        entry,
        prev_hash: last.hash,
        hash,
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Broken {
    pub seq: i64,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Verification {
    pub checked: u64,
    pub first_broken: Option<Broken>,
}

/// Details of an `audit_pruned` entry: where the remaining chain starts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PruneDetails {
    pub removed: u64,
    pub through_seq: i64,
    pub through_hash: String,
    pub retain_days: i64,
}

pub const PRUNED_KIND: &str = RecordKind::AuditPruned.as_str();

/// Declares every kind of audit record once: its variant and the name it
/// is stored, exported and sent under (a contract: SIEM rules match on
/// these names; README).
macro_rules! record_kinds {
    ($($(#[doc = $doc:literal])* $variant:ident => $name:literal,)*) => {
        /// What an audit record is about.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum RecordKind {
            $($(#[doc = $doc])* #[serde(rename = $name)] $variant,)*
        }

        impl RecordKind {
            pub const ALL: &'static [RecordKind] = &[$(RecordKind::$variant,)*];

            /// The stored name.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(RecordKind::$variant => $name,)*
                }
            }

            pub fn from_name(name: &str) -> Option<RecordKind> {
                match name {
                    $($name => Some(RecordKind::$variant),)*
                    _ => None,
                }
            }
        }
    };
}

record_kinds! {
    /// Privacy mode came on (by the agent, the CLI or policy).
    PrivacyOn => "privacy_on",
    PrivacyOff => "privacy_off",
    /// The policy file was read for the first time, changed, or went away.
    PolicyLoaded => "policy_loaded",
    PolicyChanged => "policy_changed",
    PolicyRemoved => "policy_removed",
    /// A policy file with errors: the last good policy stays in force.
    PolicyRejected => "policy_rejected",
    /// No policy file at start: nothing the organization set is in force.
    PolicyMissing => "policy_missing",
    /// `VEIL_POLICY` named the file in force (a pilot machine, or a test build).
    PolicyOverride => "policy_override",
    /// `VEIL_POLICY` was set and ignored: the organization's policy is in force.
    PolicyOverrideRefused => "policy_override_refused",
    /// The kept copy of the last good policy is not the one on record.
    PolicyCacheRejected => "policy_cache_rejected",
    SettingsChanged => "settings_changed",
    SettingsRejected => "settings_rejected",
    /// The store could not be opened with this key; a new one was started.
    StoreReset => "store_reset",
    /// Retention removed old entries (the chain continues from an anchor).
    AuditPruned => "audit_pruned",
    /// The microphone guard changed a device, or put the agent's own back.
    MicEnforced => "mic_enforced",
    MicCorrected => "mic_corrected",
    MicRestored => "mic_restored",
    CameraUseStarted => "camera_use_started",
    /// The process using the camera now runs another program.
    CameraUseChanged => "camera_use_changed",
    CameraUseStopped => "camera_use_stopped",
    MicrophoneUseStarted => "microphone_use_started",
    MicrophoneUseChanged => "microphone_use_changed",
    MicrophoneUseStopped => "microphone_use_stopped",
    CameraCoverChecked => "camera_cover_checked",
    CameraCoverCheckFailed => "camera_cover_check_failed",
    /// Every monitor covered (idle, or shield now).
    ShieldShown => "shield_shown",
    ShieldLifted => "shield_lifted",
    SessionLocked => "session_locked",
    /// Written by earlier versions when the lock command failed; now
    /// `lock_failed`.
    SessionLockFailed => "session_lock_failed",
    /// No way of locking the session was confirmed by the OS: the cover
    /// stays up and the agent is told this computer cannot lock itself.
    LockFailed => "lock_failed",
    /// Veil started; the details say how the previous run ended.
    VeilStarted => "veil_started",
    /// Veil stopped, and why (quit, logout, a signal and its sender).
    VeilStopped => "veil_stopped",
    /// Veil was not running for a while in this session (or its files
    /// changed while it was down).
    VeilAbsent => "veil_absent",
    /// Veil's process was stopped (SIGSTOP) and continued.
    VeilPaused => "veil_paused",
    /// A per-user autostart entry that would keep Veil from starting was
    /// removed because policy locks `start_at_login`.
    AutostartOverrideRemoved => "autostart_override_removed",
    /// A process that is not Veil's own window process tried to speak for
    /// the windows.
    WindowAttachRefused => "window_attach_refused",
    /// Requests on the control channel came faster than allowed and were
    /// refused for a while.
    ControlRateLimited => "control_rate_limited",
    /// A quiz popped up (or a practice round started).
    QuizShown => "quiz_shown",
    /// A quiz closed without an answer (time ran out, or it was closed).
    QuizMissed => "quiz_missed",
    /// The dashboard's mic check opened the default microphone, and closed it.
    MicCheckStarted => "mic_check_started",
    MicCheckStopped => "mic_check_stopped",
    /// Records a receiver had not taken within `fleet.backlog_days` were
    /// given up (oldest first); the details name the receiver and the range.
    FleetGap => "fleet_gap",
    /// A device check's result changed (held twice in a row), or its first
    /// result since start: `check= from= to= observed= required=`.
    PostureChanged => "posture_changed",
}

impl std::fmt::Display for RecordKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Tests and callers compare a kind with its stored name directly.
impl PartialEq<&str> for RecordKind {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

/// Checks entries (in number order) against the anchor they continue from.
pub fn verify(anchor: Anchor, entries: impl IntoIterator<Item = Entry>) -> Verification {
    let mut expected = anchor;
    let mut checked = 0;
    let mut anchor_confirmed = anchor == Anchor::START;
    for e in entries {
        let broken = |reason: &str| Verification {
            checked,
            first_broken: Some(Broken {
                seq: e.seq,
                reason: reason.to_string(),
            }),
        };
        if e.seq != expected.seq + 1 {
            return Verification {
                checked,
                first_broken: Some(Broken {
                    seq: expected.seq + 1,
                    reason: format!("missing (the next entry found is #{})", e.seq),
                }),
            };
        }
        if e.prev_hash != expected.hash {
            return broken("does not follow the entry before it (removed, reordered or altered)");
        }
        if entry_hash(&e.prev_hash, e.seq, &e.entry) != e.hash {
            return broken("altered after it was written");
        }
        if e.entry.kind == PRUNED_KIND {
            match serde_json::from_str::<PruneDetails>(&e.entry.details) {
                Ok(p) if p.through_seq == anchor.seq && p.through_hash == hex(&anchor.hash) => {
                    anchor_confirmed = true
                }
                Ok(_) => {}
                Err(_) => return broken("a pruning record that cannot be read"),
            }
        }
        checked += 1;
        expected = Anchor {
            seq: e.seq,
            hash: e.hash,
        };
    }
    if !anchor_confirmed {
        return Verification {
            checked,
            first_broken: Some(Broken {
                seq: anchor.seq + 1,
                reason:
                    "the log starts after removed entries, and no pruning record accounts for them"
                        .into(),
            }),
        };
    }
    Verification {
        checked,
        first_broken: None,
    }
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub fn unhex(s: &str) -> Option<Hash> {
    if s.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, chunk) in s.as_bytes().chunks(2).enumerate() {
        let pair = std::str::from_utf8(chunk).ok()?;
        out[i] = u8::from_str_radix(pair, 16).ok()?;
    }
    Some(out)
}

pub(crate) mod hex_hash {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(h: &super::Hash, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&super::hex(h))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<super::Hash, D::Error> {
        let s = String::deserialize(d)?;
        super::unhex(&s).ok_or_else(|| serde::de::Error::custom("not a 32-byte hex hash"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn new(kind: &str, at_ms: i64) -> NewEntry {
        NewEntry {
            at_ms,
            kind: kind.into(),
            actor: "veil".into(),
            user: "agent1".into(),
            details: String::new(),
        }
    }

    fn log(n: i64) -> Vec<Entry> {
        let mut last = Anchor::START;
        (0..n)
            .map(|i| {
                let e = chain(last, new("privacy_on", 1_000 + i));
                last = Anchor {
                    seq: e.seq,
                    hash: e.hash,
                };
                e
            })
            .collect()
    }

    #[test]
    fn intact_log_verifies() {
        let v = verify(Anchor::START, log(5));
        assert_eq!(v.checked, 5);
        assert_eq!(v.first_broken, None);
    }

    #[test]
    fn tampering_names_the_first_broken_entry() {
        type Tamper = fn(&mut Vec<Entry>);
        let table: &[(&str, Tamper, i64)] = &[
            ("edit details", |l| l[2].entry.details = "x".into(), 3),
            ("edit time", |l| l[3].entry.at_ms += 1, 4),
            (
                "delete middle",
                |l| {
                    l.remove(1);
                },
                2,
            ),
            ("swap", |l| l.swap(1, 2), 2),
            (
                "rehash edited entry",
                |l| {
                    l[1].entry.kind = "privacy_off".into();
                    l[1].hash = entry_hash(&l[1].prev_hash, l[1].seq, &l[1].entry);
                },
                3,
            ),
        ];
        for (what, tamper, seq) in table {
            let mut l = log(5);
            tamper(&mut l);
            let v = verify(Anchor::START, l);
            assert_eq!(v.first_broken.map(|b| b.seq), Some(*seq), "{what}");
        }
    }

    #[test]
    fn verification_passes_across_a_recorded_prune() {
        let mut l = log(6);
        let anchor = Anchor {
            seq: l[2].seq,
            hash: l[2].hash,
        };
        l.drain(..3);
        let last = Anchor {
            seq: l[2].seq,
            hash: l[2].hash,
        };
        let details = PruneDetails {
            removed: 3,
            through_seq: anchor.seq,
            through_hash: hex(&anchor.hash),
            retain_days: 30,
        };
        l.push(chain(
            last,
            NewEntry {
                details: serde_json::to_string(&details).unwrap(),
                ..new(PRUNED_KIND, 9_000)
            },
        ));
        assert_eq!(verify(anchor, l.clone()).first_broken, None);
        // Deleting old entries without a prune record is caught.
        let unrecorded: Vec<Entry> = l[..3].to_vec();
        assert_eq!(
            verify(anchor, unrecorded).first_broken.map(|b| b.seq),
            Some(4)
        );
    }

    #[test]
    fn hex_round_trips() {
        let h = entry_hash(&GENESIS, 1, &new("k", 1));
        assert_eq!(unhex(&hex(&h)), Some(h));
        assert_eq!(unhex("zz"), None);
    }

    #[test]
    fn record_kinds_are_stored_under_their_serde_names() {
        let mut seen = std::collections::HashSet::new();
        for k in RecordKind::ALL {
            assert!(seen.insert(k.as_str()), "{k} twice");
            assert_eq!(serde_json::to_value(k).unwrap(), k.as_str());
            assert_eq!(RecordKind::from_name(k.as_str()), Some(*k));
        }
        assert_eq!(RecordKind::from_name("nonsense"), None);
        assert_eq!(PRUNED_KIND, "audit_pruned");
    }
}

#[cfg(test)]
mod readme {
    /// The README's table of record kinds names every kind Veil writes (a
    /// contract SIEM rules rely on).
    #[test]
    fn the_readme_lists_every_record_kind() {
        let readme = std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../README.md"),
        )
        .unwrap();
        for k in super::RecordKind::ALL {
            assert!(
                readme.contains(&format!("`{}`", k.as_str())),
                "README.md does not list the audit kind `{k}`"
            );
        }
    }
}
