//! The store against real SQLCipher files on disk.

use std::path::Path;

use veil_core::audit::NewEntry;
use veil_os::secrets::{load_or_create, DbKey, Fallback, NoCredentialStore};
use veil_store::{Access, AuditQuery, Store, StoreError};

fn key(dir: &Path, name: &str) -> DbKey {
    load_or_create(
        &NoCredentialStore,
        "t",
        &dir.join(name),
        Fallback::KeyFile,
        true,
    )
    .unwrap()
    .key
}

fn entry(kind: &str, at_ms: i64) -> NewEntry {
    NewEntry {
        at_ms,
        kind: kind.into(),
        actor: "agent".into(),
        user: "alice".into(),
        details: "card 4111 ends the call".into(),
    }
}

#[test]
fn entries_persist_encrypted_and_verify() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("veil.db");
    let k = key(dir.path(), "k");
    {
        let mut s = Store::open(&db, &k, Access::ReadWrite).unwrap();
        for i in 0..5 {
            s.append(entry("privacy_on", 1_000 + i)).unwrap();
        }
    }
    let s = Store::open(&db, &k, Access::ReadOnly).unwrap();
    assert_eq!(s.audit_count().unwrap(), 5);
    assert_eq!(s.verify().unwrap().first_broken, None);
    assert_eq!(
        s.audit(AuditQuery {
            since_ms: Some(1_003)
        })
        .unwrap()
        .len(),
        2
    );
    // Nothing readable on disk: not the SQLite header, not the details.
    let bytes = std::fs::read(&db).unwrap();
    let wal = std::fs::read(dir.path().join("veil.db-wal")).unwrap_or_default();
    for hay in [&bytes, &wal] {
        assert!(
            !hay.windows(6).any(|w| w == b"SQLite"),
            "plaintext header on disk"
        );
        assert!(
            !hay.windows(9).any(|w| w == b"card 4111"),
            "plaintext details on disk"
        );
    }
}

#[test]
fn altering_an_entry_is_named_by_verify() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("veil.db");
    let k = key(dir.path(), "k");
    let mut s = Store::open(&db, &k, Access::ReadWrite).unwrap();
    for i in 0..6 {
        s.append(entry("privacy_on", 1_000 + i)).unwrap();
    }
    // The table refuses updates; an attacker with the key drops the guard.
    assert!(s
        .raw_execute("UPDATE audit SET details = 'x' WHERE seq = 4")
        .is_err());
    s.raw_execute(
        "DROP TRIGGER audit_no_update; UPDATE audit SET details = 'nothing happened' WHERE seq = 4;",
    )
    .unwrap();
    let v = s.verify().unwrap();
    let broken = v.first_broken.unwrap();
    assert_eq!(broken.seq, 4);
    assert!(broken.reason.contains("altered"), "{}", broken.reason);
}

#[test]
fn pruning_is_recorded_and_still_verifies() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("veil.db");
    let k = key(dir.path(), "k");
    let mut s = Store::open(&db, &k, Access::ReadWrite).unwrap();
    for i in 0..10 {
        s.append(entry("privacy_on", i * 1_000)).unwrap();
    }
    let out = s.prune(5_000, 30, 20_000, "alice").unwrap();
    assert_eq!(out.removed, 5);
    let rec = out.record.unwrap();
    assert_eq!(rec.entry.kind, "audit_pruned");
    assert_eq!(rec.seq, 11);
    assert_eq!(s.audit_count().unwrap(), 6);
    assert_eq!(s.verify().unwrap().first_broken, None);
    s.append(entry("privacy_off", 21_000)).unwrap();
    assert_eq!(s.verify().unwrap().first_broken, None);
    // A second prune continues the chain the same way.
    assert_eq!(s.prune(8_000, 30, 22_000, "alice").unwrap().removed, 3);
    assert_eq!(s.verify().unwrap().first_broken, None);
    // Deleting old entries without a record is caught.
    s.raw_execute("DELETE FROM audit WHERE seq = (SELECT min(seq) FROM audit)")
        .unwrap();
    assert!(s.verify().unwrap().first_broken.is_some());
    // Nothing older than the cutoff: no entry.
    let mut fresh = Store::open(&dir.path().join("b.db"), &k, Access::ReadWrite).unwrap();
    assert_eq!(fresh.prune(0, 30, 1, "a").unwrap().record, None);
}

#[test]
fn a_wrong_key_is_an_error_and_the_database_is_kept_aside() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("veil.db");
    let right = key(dir.path(), "k1");
    let wrong = key(dir.path(), "k2");
    {
        let mut s = Store::open(&db, &right, Access::ReadWrite).unwrap();
        s.append(entry("privacy_on", 1)).unwrap();
    }
    let err = Store::open(&db, &wrong, Access::ReadWrite).unwrap_err();
    assert!(matches!(err, StoreError::WrongKey { .. }), "{err}");
    assert!(err.to_string().contains("veil.db"), "{err}");

    let (mut s, kept) = Store::open_or_keep_aside(&db, &wrong, 1_700_000_000).unwrap();
    let kept = kept.expect("kept aside");
    assert!(kept
        .to_string_lossy()
        .contains("veil.db.damaged-1700000000"));
    assert_eq!(s.audit_count().unwrap(), 0);
    s.append(entry("privacy_on", 2)).unwrap();
    // The old store is intact and still opens with the right key.
    let old = Store::open(&kept, &right, Access::ReadOnly).unwrap();
    assert_eq!(old.audit_count().unwrap(), 1);
}

#[test]
fn schema_is_versioned() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("veil.db");
    let k = key(dir.path(), "k");
    let s = Store::open(&db, &k, Access::ReadWrite).unwrap();
    assert!(s.schema_version() >= 1);
    s.raw_execute("PRAGMA user_version = 99").unwrap();
    drop(s);
    let err = Store::open(&db, &k, Access::ReadWrite).unwrap_err();
    assert!(matches!(err, StoreError::TooNew { found: 99, .. }), "{err}");
}

#[test]
fn training_answers_and_lessons_survive_reopening() {
    use veil_core::training::Answer;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("veil.db");
    let k = key(dir.path(), "k");
    {
        let mut s = Store::open(&db, &k, Access::ReadWrite).unwrap();
        s.add_lesson_read("phishing", 1_000).unwrap();
        s.add_lesson_read("phishing", 9_000).unwrap();
        for (i, correct) in [true, false].iter().enumerate() {
            s.add_answer(&Answer {
                question: format!("phishing-{}", i + 1),
                module: "phishing".into(),
                chosen: if *correct {
                    vec!["a".into()]
                } else {
                    vec!["b".into(), "c".into()]
                },
                correct: *correct,
                took_ms: 4_200,
                at: 2_000 + i as i64,
            })
            .unwrap();
        }
    }
    let s = Store::open(&db, &k, Access::ReadOnly).unwrap();
    assert_eq!(s.lessons_read().unwrap(), [("phishing".to_string(), 1_000)]);
    let answers = s.answers().unwrap();
    assert_eq!(answers.len(), 2);
    assert_eq!(answers[1].chosen, ["b", "c"]);
    assert!(!answers[1].correct);
    assert_eq!(answers[0].took_ms, 4_200);
}

#[test]
fn fleet_cursors_survive_reopening_and_notice_a_rewound_log() {
    use veil_store::{Cursor, CursorCheck};
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("veil.db");
    let k = key(dir.path(), "k");
    let mut s = Store::open(&db, &k, Access::ReadWrite).unwrap();
    for i in 0..10 {
        s.append(entry("privacy_on", 1_000 + i)).unwrap();
    }
    assert_eq!(s.fleet_cursor("otlp x").unwrap(), None);
    let batch = s.entries_after(0, 4).unwrap();
    assert_eq!(
        batch.iter().map(|e| e.seq).collect::<Vec<_>>(),
        [1, 2, 3, 4]
    );
    let c = Cursor {
        seq: 4,
        hash: batch[3].hash,
        delivered_at_ms: 5,
    };
    s.set_fleet_cursor("otlp x", c).unwrap();
    assert_eq!(s.count_after(4).unwrap(), 6);
    assert_eq!(s.head().unwrap().seq, 10);
    let id = s.install_id(|| "first".into()).unwrap();
    drop(s);

    let mut s = Store::open(&db, &k, Access::ReadWrite).unwrap();
    assert_eq!(s.fleet_cursor("otlp x").unwrap(), Some(c));
    assert_eq!(s.install_id(|| "second".into()).unwrap(), id);
    assert_eq!(s.check_cursor(&c).unwrap(), CursorCheck::Fits);
    // The agent removes the newest entries (they hold the key) and the log
    // goes on: the acknowledged entry is gone or different.
    s.raw_execute("DELETE FROM audit WHERE seq >= 3").unwrap();
    assert_eq!(s.check_cursor(&c).unwrap(), CursorCheck::Diverged);
    s.append(entry("privacy_off", 2_000)).unwrap();
    s.append(entry("privacy_off", 2_001)).unwrap();
    assert_eq!(s.check_cursor(&c).unwrap(), CursorCheck::Diverged);
}

#[test]
fn a_backlog_gap_is_recorded_with_the_skip() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("veil.db");
    let k = key(dir.path(), "k");
    let mut s = Store::open(&db, &k, Access::ReadWrite).unwrap();
    for at in [100, 200, 300, 5_000, 150] {
        s.append(entry("privacy_on", at)).unwrap();
    }
    // Old from the first unsent on, until the first recent one.
    let (through, n) = s.older_than_after(0, 1_000).unwrap().unwrap();
    assert_eq!((through.seq, n), (3, 3));
    assert_eq!(s.older_than_after(3, 1_000).unwrap(), None);
    let gap = s
        .record_gap("syslog y", through, entry("fleet_gap", 6_000), 6_000)
        .unwrap();
    assert_eq!(gap.seq, 6);
    assert_eq!(s.fleet_cursor("syslog y").unwrap().unwrap().seq, 3);
    assert_eq!(s.verify().unwrap().first_broken, None);
}
