//! The encrypted audit log end to end: a real Secret Service (gnome-keyring
//! on the session bus), the real app writing, the CLI reading and verifying.

use std::process::Command;
use std::time::Duration;

use veil_core::audit::NewEntry;
use veil_e2e::{wait_until, Home};
use veil_os::secrets::{
    account_for, load_or_create, Fallback, NoCredentialStore, OsCredentialStore,
};
use veil_store::{Access, Store};

fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn audit_kinds(home: &Home) -> Vec<(String, String)> {
    let o = home.cli(&["audit", "show", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    v.as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["kind"].as_str().unwrap().to_string(),
                e["actor"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn privacy_events_land_in_the_encrypted_store_keyed_by_the_secret_service() {
    let home = Home::new();
    let mut app = home.launch(&[]);
    let st = home.status().unwrap();
    assert_eq!(st["store"]["state"], "ok", "{st}");
    assert_eq!(st["store"]["key_storage"], "credential_store", "{st}");

    assert!(home.cli(&["privacy", "off"]).status.success());
    assert!(home.cli(&["privacy", "on"]).status.success());
    home.write_policy("allow_quit = false\n");
    wait_until(Duration::from_secs(3), "policy applied", || {
        home.status()
            .is_some_and(|s| s["policy_file"]["state"] == "loaded")
    });
    home.write_settings("appearance = \"dark\"\n");
    wait_until(Duration::from_secs(3), "settings change recorded", || {
        audit_kinds(&home)
            .iter()
            .any(|(k, _)| k == "settings_changed")
    });
    let kinds = audit_kinds(&home);
    for want in [
        ("privacy_off", "cli"),
        ("privacy_on", "cli"),
        ("policy_changed", "policy"),
    ] {
        assert!(
            kinds.contains(&(want.0.to_string(), want.1.to_string())),
            "{want:?} not in {kinds:?}"
        );
    }
    // What changed, from what to what, is in the details.
    let show = home.cli(&["audit", "show"]);
    assert!(
        String::from_utf8_lossy(&show.stdout).contains("appearance: \"system\" -> \"dark\""),
        "{}",
        String::from_utf8_lossy(&show.stdout)
    );

    // The key is in the Secret Service, not on disk; the file is ciphertext.
    let account = account_for(&home.data_dir());
    let found = Command::new("secret-tool")
        .args(["lookup", "service", "veil", "username", &account])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&found.stdout).trim().len(),
        64,
        "key in the keyring"
    );
    assert!(!home.data_dir().join("store.key").exists());
    let bytes = std::fs::read(home.store_path()).unwrap();
    assert!(
        !bytes.starts_with(b"SQLite format 3"),
        "the database is not encrypted"
    );

    // verify passes; export works in both formats.
    let v = home.cli(&["audit", "verify"]);
    assert!(v.status.success(), "{}", stderr(&v));
    let csv = home.cli(&["audit", "export", "--format", "csv"]);
    let csv = String::from_utf8_lossy(&csv.stdout).into_owned();
    assert!(
        csv.starts_with("seq,time,kind,actor,user,details,prev_hash,hash\n"),
        "{csv}"
    );
    assert!(csv.contains(",privacy_off,cli,"), "{csv}");
    let jsonl = home.cli(&["audit", "export", "--format", "jsonl"]);
    let lines: Vec<serde_json::Value> = String::from_utf8_lossy(&jsonl.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), kinds.len());
    assert!(lines[0]["time"].as_str().unwrap().ends_with('Z'));
    let since = home.cli(&["audit", "show", "--since", "1h", "--json"]);
    assert!(since.status.success());
    let bad_since = home.cli(&["audit", "show", "--since", "last tuesday"]);
    assert_eq!(bad_since.status.code(), Some(2));

    // Someone with the key alters one entry: verify names it.
    app.kill_hard();
    let key = load_or_create(
        &OsCredentialStore,
        &account,
        &home.data_dir().join("store.key"),
        Fallback::Refuse,
        false,
    )
    .unwrap()
    .key;
    let store = Store::open(&home.store_path(), &key, Access::ReadWrite).unwrap();
    store
        .raw_execute(
            "DROP TRIGGER audit_no_update; UPDATE audit SET actor = 'agent' WHERE seq = 2;",
        )
        .unwrap();
    drop(store);
    let v = home.cli(&["audit", "verify"]);
    assert_eq!(v.status.code(), Some(1));
    assert!(
        stderr(&v).contains("entry #2 is broken: altered"),
        "{}",
        stderr(&v)
    );
}

#[test]
fn without_a_credential_store_the_key_file_fallback_is_used_and_said() {
    let home = Home::new();
    home.without_credential_store();
    let _app = home.launch(&[]);
    let st = home.status().unwrap();
    assert_eq!(st["store"]["state"], "ok", "{st}");
    assert_eq!(st["store"]["key_storage"], "key_file", "{st}");
    assert!(
        st["store"]["message"]
            .as_str()
            .unwrap()
            .contains("No credential store"),
        "{st}"
    );
    let key_file = home.data_dir().join("store.key");
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(
        std::fs::metadata(&key_file).unwrap().permissions().mode() & 0o777,
        0o600
    );
    assert!(home.cli(&["privacy", "off"]).status.success());
    wait_until(Duration::from_secs(2), "recorded", || {
        audit_kinds(&home).iter().any(|(k, _)| k == "privacy_off")
    });
    assert!(home.cli(&["audit", "verify"]).status.success());
}

#[test]
fn policy_can_refuse_to_store_without_a_credential_store() {
    let home = Home::new();
    home.without_credential_store();
    home.write_policy("store.key_fallback = \"refuse\"\n");
    let _app = home.launch(&[]);
    let st = home.status().unwrap();
    assert_eq!(st["store"]["state"], "unavailable", "{st}");
    assert_eq!(st["state"], "attention", "{st}");
    let problem = st["problems"][0]["message"].as_str().unwrap();
    assert!(
        problem.contains("policy forbids keeping the key in a file"),
        "{problem}"
    );
    assert!(!home.store_path().exists(), "nothing may be written");
    assert!(!home.data_dir().join("store.key").exists());
    // The status line says so too.
    let human = home.cli(&["status"]);
    assert!(
        String::from_utf8_lossy(&human.stdout).contains("store"),
        "{}",
        String::from_utf8_lossy(&human.stdout)
    );
}

#[test]
fn a_wrong_key_keeps_the_old_database_aside() {
    let home = Home::new();
    home.without_credential_store();
    {
        let mut app = home.launch(&[]);
        assert!(home.cli(&["privacy", "off"]).status.success());
        wait_until(Duration::from_secs(2), "recorded", || {
            audit_kinds(&home).iter().any(|(k, _)| k == "privacy_off")
        });
        app.kill_hard();
    }
    // The key is replaced (restored from the wrong backup, say).
    let key_file = home.data_dir().join("store.key");
    std::fs::write(&key_file, "ab".repeat(32)).unwrap();
    let _app = home.launch(&[]);
    let st = home.status().unwrap();
    let kept = st["store"]["kept_aside"].as_str().unwrap().to_string();
    assert!(kept.contains("veil.db.damaged-"), "{st}");
    assert!(std::path::Path::new(&kept).exists());
    assert!(std::fs::metadata(&kept).unwrap().len() > 0);
    let kinds = audit_kinds(&home);
    assert!(kinds.iter().any(|(k, _)| k == "store_reset"), "{kinds:?}");
}

#[test]
fn retention_prunes_and_records_it_and_the_chain_still_verifies() {
    let home = Home::new();
    home.without_credential_store();
    // Old entries, written with the store's own key.
    std::fs::create_dir_all(home.data_dir()).unwrap();
    let key = load_or_create(
        &NoCredentialStore,
        "x",
        &home.data_dir().join("store.key"),
        Fallback::KeyFile,
        true,
    )
    .unwrap()
    .key;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64;
    {
        let mut s = Store::open(&home.store_path(), &key, Access::ReadWrite).unwrap();
        for days_ago in [10, 9, 8, 0] {
            s.append(NewEntry {
                at_ms: now - days_ago * 86_400_000,
                kind: "privacy_on".into(),
                actor: "agent".into(),
                user: "t".into(),
                details: String::new(),
            })
            .unwrap();
        }
    }
    home.write_policy("audit.retain_days = 5\n");
    let _app = home.launch(&[]);
    wait_until(Duration::from_secs(3), "pruned", || {
        audit_kinds(&home).iter().any(|(k, _)| k == "audit_pruned")
    });
    let o = home.cli(&["audit", "show", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let first = &v.as_array().unwrap()[0];
    assert_eq!(
        first["seq"], 4,
        "entries 1-3 (older than 5 days) removed: {v}"
    );
    let v = home.cli(&["audit", "verify"]);
    assert!(v.status.success(), "{}", stderr(&v));
}
