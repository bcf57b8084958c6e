//! Durability: a writer process is killed with SIGKILL in the middle of heavy
//! writing, again and again. Every entry it reported as written must still be
//! there, at most the one in flight may be lost, and the store must open and
//! verify cleanly each time.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use veil_core::audit::NewEntry;
use veil_os::secrets::{load_or_create, Fallback, NoCredentialStore};
use veil_store::{Access, Store};

const DIR_ENV: &str = "VEIL_STORE_WRITER_DIR";

/// The writer: appends until killed, printing each entry's number once it is
/// committed. Run only as the child of the test below.
#[test]
#[ignore = "helper process for kill9_during_heavy_writes"]
fn writer_child() {
    let dir = std::path::PathBuf::from(std::env::var(DIR_ENV).expect("run by the parent test"));
    let key = load_or_create(
        &NoCredentialStore,
        "t",
        &dir.join("key"),
        Fallback::KeyFile,
        true,
    )
    .unwrap()
    .key;
    let mut store = Store::open(&dir.join("veil.db"), &key, Access::ReadWrite).unwrap();
    let mut out = std::io::stdout().lock();
    for i in 0.. {
        let e = store
            .append(NewEntry {
                at_ms: i,
                kind: "privacy_on".into(),
                actor: "veil".into(),
                user: "stress".into(),
                details: "x".repeat(200),
            })
            .unwrap();
        use std::io::Write;
        writeln!(out, "{}", e.seq).unwrap();
        out.flush().unwrap();
    }
}

#[cfg(unix)]
#[test]
fn kill9_during_heavy_writes() {
    let dir = tempfile::tempdir().unwrap();
    let exe = std::env::current_exe().unwrap();
    let rounds = 15;
    let mut total_acked = 0;
    for round in 0..rounds {
        let mut child = Command::new(&exe)
            .args([
                "--exact",
                "writer_child",
                "--ignored",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(DIR_ENV, dir.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Ok(n) = line.trim().parse::<i64>() {
                    let _ = tx.send(n);
                }
            }
        });
        // Let it write for a varying while, then kill it mid-stream. The
        // while counts from its first acknowledged write: a loaded machine
        // can take longer than that to start the child at all.
        let run_for = Duration::from_millis(80 + (round * 37 % 200) as u64);
        let mut start = Instant::now();
        let mut acked = 0;
        let mut writing = false;
        while !writing || start.elapsed() < run_for {
            if !writing && start.elapsed() > Duration::from_secs(20) {
                break;
            }
            if let Ok(n) = rx.recv_timeout(Duration::from_millis(10)) {
                acked = acked.max(n);
                if !writing && acked > total_acked {
                    writing = true;
                    start = Instant::now();
                }
            }
        }
        // On Unix, Child::kill is SIGKILL: no clean-up runs in the writer.
        child.kill().unwrap();
        let _ = child.wait();
        // Every line the writer printed before it died: the pipe ends with
        // it, so the reader finishes (under load it lags behind the writer).
        let _ = reader.join();
        while let Ok(n) = rx.try_recv() {
            acked = acked.max(n);
        }
        assert!(
            acked > total_acked,
            "round {round}: the writer made no progress"
        );

        let key = load_or_create(
            &NoCredentialStore,
            "t",
            &dir.path().join("key"),
            Fallback::KeyFile,
            false,
        )
        .unwrap()
        .key;
        let store = Store::open(&dir.path().join("veil.db"), &key, Access::ReadWrite)
            .unwrap_or_else(|e| panic!("round {round}: store does not open after kill -9: {e}"));
        let count = store.audit_count().unwrap() as i64;
        assert!(
            count >= acked,
            "round {round}: lost committed entries ({count} < {acked})"
        );
        assert!(
            count <= acked + 1,
            "round {round}: more entries than were written"
        );
        let v = store.verify().unwrap();
        assert_eq!(v.first_broken, None, "round {round}");
        total_acked = count;
    }
    eprintln!("kill -9 rounds: {rounds}, entries written: {total_acked}");
}
