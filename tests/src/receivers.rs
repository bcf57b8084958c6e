//! The organization's receivers, for real, on loopback: rsyslog (Debian's,
//! with rsyslog-gnutls) taking RFC 5425 syslog over TLS, mutual TLS with
//! `x509/name`, and writing JSON lines with the template the README
//! documents; and an OTLP/HTTP receiver that decodes with the OpenTelemetry
//! project's own protobuf classes and writes what a Collector's file
//! exporter writes, with faults injected on request. Certificates are made
//! with openssl (an expired one under faketime).

use std::fs;
use std::io::Read;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::{wait_until, workspace};

/// A port nobody listens on right now.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

fn run(cmd: &mut Command) {
    let out = cmd.output().expect("run");
    assert!(
        out.status.success(),
        "{cmd:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A test PKI: the organization's CA with a receiver certificate for
/// `localhost` and a seat's client certificate, and a second CA (a
/// receiver certificate from it is "the wrong CA") and an expired receiver
/// certificate.
pub struct Certs {
    pub dir: PathBuf,
}

pub const CLIENT_NAME: &str = "veil-seat.example.test";

impl Certs {
    pub fn generate(dir: &Path) -> Certs {
        fs::create_dir_all(dir).expect("mkdir");
        let p = |f: &str| dir.join(f).display().to_string();
        let ca = |name: &str, cn: &str| {
            run(Command::new("openssl").args([
                "req",
                "-x509",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:prime256v1",
                "-nodes",
                "-keyout",
                &p(&format!("{name}-key.pem")),
                "-out",
                &p(&format!("{name}.pem")),
                "-days",
                "3650",
                "-subj",
                &format!("/CN={cn}"),
                "-addext",
                "basicConstraints=critical,CA:TRUE",
                "-addext",
                "keyUsage=critical,keyCertSign,cRLSign",
            ]));
        };
        ca("ca", "Example Contact Center Test CA");
        ca("other-ca", "Somebody Else's CA");
        let leaf = |name: &str, issuer: &str, cn: &str, usage: &str, faked: Option<&str>| {
            run(Command::new("openssl").args([
                "req",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:prime256v1",
                "-nodes",
                "-keyout",
                &p(&format!("{name}-key.pem")),
                "-out",
                &p(&format!("{name}.csr")),
                "-subj",
                &format!("/CN={cn}"),
            ]));
            let ext = p(&format!("{name}.ext"));
            let san = if cn == "localhost" {
                "DNS:localhost,IP:127.0.0.1".to_string()
            } else {
                format!("DNS:{cn}")
            };
            fs::write(
                &ext,
                format!(
                    "subjectAltName={san}\nextendedKeyUsage={usage}\nbasicConstraints=CA:FALSE\n"
                ),
            )
            .expect("ext");
            let mut cmd = match faked {
                Some(when) => {
                    let mut c = Command::new("faketime");
                    c.args([when, "openssl"]);
                    c
                }
                None => Command::new("openssl"),
            };
            run(cmd.args([
                "x509",
                "-req",
                "-in",
                &p(&format!("{name}.csr")),
                "-CA",
                &p(&format!("{issuer}.pem")),
                "-CAkey",
                &p(&format!("{issuer}-key.pem")),
                "-CAcreateserial",
                "-out",
                &p(&format!("{name}.pem")),
                "-days",
                "30",
                "-extfile",
                &ext,
            ]));
        };
        leaf("server", "ca", "localhost", "serverAuth", None);
        leaf("client", "ca", CLIENT_NAME, "clientAuth", None);
        leaf("intruder", "other-ca", CLIENT_NAME, "clientAuth", None);
        leaf(
            "wrong-ca-server",
            "other-ca",
            "localhost",
            "serverAuth",
            None,
        );
        leaf(
            "expired-server",
            "ca",
            "localhost",
            "serverAuth",
            Some("2020-01-01 00:00:00"),
        );
        Certs {
            dir: dir.to_path_buf(),
        }
    }

    pub fn path(&self, file: &str) -> String {
        self.dir.join(file).display().to_string()
    }
}

/// The rsyslog template the README documents for `veil fleet verify`.
pub const RSYSLOG_TEMPLATE: &str = r#"template(name="veil_json" type="list" option.jsonf="on") {
  property(outname="received" name="timegenerated" dateFormat="rfc3339" format="jsonf")
  property(outname="timereported" name="timereported" dateFormat="rfc3339" format="jsonf")
  property(outname="hostname" name="hostname" format="jsonf")
  property(outname="appname" name="app-name" format="jsonf")
  property(outname="msgid" name="msgid" format="jsonf")
  property(outname="structured_data" name="structured-data" format="jsonf")
  property(outname="msg" name="msg" format="jsonf")
}"#;

/// A real rsyslogd taking TLS on a loopback port.
pub struct Rsyslog {
    pub port: u16,
    pub out: PathBuf,
    conf: PathBuf,
    log: PathBuf,
    child: Option<Child>,
}

pub struct RsyslogTls<'a> {
    pub certs: &'a Certs,
    /// The receiver's certificate and key (file stems in the PKI).
    pub server: &'a str,
    /// `x509/name` with this permitted peer (mutual TLS); None: any client.
    pub permitted_peer: Option<&'a str>,
}

impl Rsyslog {
    pub fn start(dir: &Path, tls: RsyslogTls<'_>) -> Rsyslog {
        fs::create_dir_all(dir).expect("mkdir");
        let port = free_port();
        let out = dir.join("veil.jsonl");
        let work = dir.join("work");
        fs::create_dir_all(&work).expect("mkdir");
        let (auth, peers) = match tls.permitted_peer {
            Some(peer) => ("x509/name", format!(" PermittedPeer=[\"{peer}\"]")),
            None => ("anon", String::new()),
        };
        let conf = dir.join("rsyslog.conf");
        fs::write(
            &conf,
            format!(
                r#"global(workDirectory="{work}"
  defaultNetstreamDriver="gtls"
  defaultNetstreamDriverCAFile="{ca}"
  defaultNetstreamDriverCertFile="{cert}"
  defaultNetstreamDriverKeyFile="{key}"
  parser.escapeControlCharactersOnReceive="off")
module(load="imtcp" streamDriver.name="gtls" streamDriver.mode="1" streamDriver.authMode="{auth}"{peers})
{RSYSLOG_TEMPLATE}
ruleset(name="veil") {{
  action(type="omfile" file="{out}" template="veil_json" flushOnTXEnd="on" asyncWriting="off")
}}
input(type="imtcp" port="{port}" address="127.0.0.1" ruleset="veil")
"#,
                work = work.display(),
                ca = tls.certs.path("ca.pem"),
                cert = tls.certs.path(&format!("{}.pem", tls.server)),
                key = tls.certs.path(&format!("{}-key.pem", tls.server)),
                out = out.display(),
            ),
        )
        .expect("conf");
        let mut r = Rsyslog {
            port,
            out,
            conf,
            log: dir.join("rsyslogd.log"),
            child: None,
        };
        r.up();
        r
    }

    /// Starts (again) on the same port, appending to the same file.
    pub fn up(&mut self) {
        assert!(self.child.is_none(), "rsyslog is running");
        let log = fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.log)
            .expect("log");
        let child = Command::new("rsyslogd")
            .args(["-n", "-iNONE", "-f"])
            .arg(&self.conf)
            .stdout(Stdio::from(log.try_clone().expect("log")))
            .stderr(Stdio::from(log))
            .spawn()
            .expect("start rsyslogd (apt install rsyslog rsyslog-gnutls)");
        self.child = Some(child);
        let port = self.port;
        wait_until(Duration::from_secs(15), "rsyslog listens", || {
            TcpStream::connect(("127.0.0.1", port)).is_ok()
        });
    }

    /// Stops it (SIGTERM, as a restart would).
    pub fn down(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = Command::new("kill").arg(c.id().to_string()).status();
            let _ = c.wait();
        }
    }

    /// Every line stored so far, parsed.
    pub fn lines(&self) -> Vec<serde_json::Value> {
        json_lines(&self.out)
    }

    pub fn log(&self) -> String {
        fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Rsyslog {
    fn drop(&mut self) {
        self.down();
    }
}

pub fn json_lines(path: &Path) -> Vec<serde_json::Value> {
    fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect()
}

/// The Python venv with the OpenTelemetry project's protobuf classes,
/// made once under target/ (shared by test processes through a lock).
fn otlp_python() -> PathBuf {
    let venv = workspace().join("target").join("otlp-venv");
    let python = venv.join("bin").join("python3");
    let ready = venv.join(".ready");
    if ready.exists() {
        return python;
    }
    fs::create_dir_all(workspace().join("target")).expect("mkdir");
    let lock = workspace().join("target").join("otlp-venv.lock");
    let lock_file = fs::File::create(&lock).expect("lock");
    use std::os::unix::io::AsRawFd;
    unsafe { libc::flock(lock_file.as_raw_fd(), libc::LOCK_EX) };
    if !ready.exists() {
        run(Command::new("python3").args(["-m", "venv"]).arg(&venv));
        run(Command::new(venv.join("bin").join("pip")).args([
            "install",
            "-q",
            "opentelemetry-proto==1.45.2",
        ]));
        fs::write(&ready, "").expect("ready");
    }
    python
}

/// An OTLP/HTTP logs receiver (tests/receivers/otlp_receiver.py).
pub struct OtlpReceiver {
    pub port: u16,
    pub out: PathBuf,
    pub requests: PathBuf,
    control: PathBuf,
    args: Vec<String>,
    log: PathBuf,
    child: Option<Child>,
    /// Kept open: the receiver must never write into a closed pipe.
    stdout: Option<std::process::ChildStdout>,
}

pub struct OtlpTls<'a> {
    pub certs: &'a Certs,
    pub server: &'a str,
    /// Require a client certificate from the organization's CA.
    pub mutual: bool,
}

impl OtlpReceiver {
    pub fn start(dir: &Path, tls: Option<OtlpTls<'_>>, token: Option<&str>) -> OtlpReceiver {
        fs::create_dir_all(dir).expect("mkdir");
        let port = free_port();
        let out = dir.join("otlp.jsonl");
        let requests = dir.join("requests.jsonl");
        let control = dir.join("control.json");
        let mut args = vec![
            workspace()
                .join("tests/receivers/otlp_receiver.py")
                .display()
                .to_string(),
            "--port".into(),
            port.to_string(),
            "--out".into(),
            out.display().to_string(),
            "--requests".into(),
            requests.display().to_string(),
            "--control".into(),
            control.display().to_string(),
        ];
        if let Some(t) = &tls {
            args.extend([
                "--cert".into(),
                t.certs.path(&format!("{}.pem", t.server)),
                "--key".into(),
                t.certs.path(&format!("{}-key.pem", t.server)),
            ]);
            if t.mutual {
                args.extend(["--client-ca".into(), t.certs.path("ca.pem")]);
            }
        }
        if let Some(t) = token {
            args.extend(["--token".into(), t.into()]);
        }
        let mut r = OtlpReceiver {
            port,
            out,
            requests,
            control,
            args,
            log: dir.join("otlp-receiver.log"),
            child: None,
            stdout: None,
        };
        r.up();
        r
    }

    pub fn up(&mut self) {
        assert!(self.child.is_none(), "the receiver is running");
        let log = fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.log)
            .expect("log");
        let mut child = Command::new(otlp_python())
            .args(&self.args)
            .stdout(Stdio::piped())
            .stderr(Stdio::from(log))
            .spawn()
            .expect("start the OTLP receiver");
        let mut stdout = child.stdout.take().expect("stdout");
        let mut first = [0u8; 9];
        let _ = stdout.read_exact(&mut first);
        assert_eq!(
            &first,
            b"listening",
            "the OTLP receiver did not start: {}",
            self.log()
        );
        // Kept open: Python may write the line's end separately, and a
        // closed pipe would kill the receiver (BrokenPipeError).
        self.stdout = Some(stdout);
        self.child = Some(child);
    }

    pub fn down(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
        self.stdout = None;
    }

    /// Answers every request with `status` (and `Retry-After`) from now on.
    pub fn answer(&self, status: u16, retry_after: Option<u64>) {
        let mut v = serde_json::json!({ "status": status });
        if let Some(r) = retry_after {
            v["retry_after"] = r.into();
        }
        let tmp = self.control.with_extension("tmp");
        fs::write(&tmp, v.to_string()).expect("control");
        fs::rename(&tmp, &self.control).expect("control");
    }

    /// Every request stored (OTLP/JSON), parsed.
    pub fn lines(&self) -> Vec<serde_json::Value> {
        json_lines(&self.out)
    }

    /// Every request seen: {t, status, records, tls_client}.
    pub fn seen(&self) -> Vec<serde_json::Value> {
        json_lines(&self.requests)
    }

    pub fn log(&self) -> String {
        fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for OtlpReceiver {
    fn drop(&mut self) {
        self.down();
    }
}

/// A plain TCP listener that keeps every byte it is sent: where a record
/// sent in clear would show.
pub struct Eavesdropper {
    pub port: u16,
    bytes: Arc<Mutex<Vec<u8>>>,
}

impl Eavesdropper {
    pub fn start() -> Eavesdropper {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let bytes = Arc::new(Mutex::new(Vec::new()));
        let keep = bytes.clone();
        std::thread::spawn(move || {
            for conn in listener.incoming().flatten() {
                let keep = keep.clone();
                std::thread::spawn(move || {
                    let mut conn = conn;
                    let _ = conn.set_read_timeout(Some(Duration::from_secs(5)));
                    let mut buf = [0u8; 4096];
                    while let Ok(n) = conn.read(&mut buf) {
                        if n == 0 {
                            break;
                        }
                        keep.lock()
                            .unwrap_or_else(|e| e.into_inner())
                            .extend_from_slice(&buf[..n]);
                    }
                });
            }
        });
        Eavesdropper { port, bytes }
    }

    pub fn bytes(&self) -> Vec<u8> {
        self.bytes.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

/// The audit records (kind, seq) in an OTLP receiver's lines, in order.
pub fn otlp_records(lines: &[serde_json::Value]) -> Vec<serde_json::Value> {
    let mut out = Vec::new();
    for line in lines {
        for rl in line["resourceLogs"].as_array().into_iter().flatten() {
            for sl in rl["scopeLogs"].as_array().into_iter().flatten() {
                for lr in sl["logRecords"].as_array().into_iter().flatten() {
                    let mut r = lr.clone();
                    r["resource"] = rl["resource"].clone();
                    out.push(r);
                }
            }
        }
    }
    out
}

/// An attribute of an OTLP/JSON record (string or int), as JSON.
pub fn otlp_attr(record: &serde_json::Value, list: &str, key: &str) -> serde_json::Value {
    let attrs = if list == "resource" {
        &record["resource"]["attributes"]
    } else {
        &record["attributes"]
    };
    for a in attrs.as_array().into_iter().flatten() {
        if a["key"] == key {
            let v = &a["value"];
            if let Some(s) = v.get("stringValue") {
                return s.clone();
            }
            if let Some(i) = v.get("intValue") {
                return match i.as_str() {
                    Some(s) => s.parse::<i64>().map(Into::into).unwrap_or(i.clone()),
                    None => i.clone(),
                };
            }
            return v.clone();
        }
    }
    serde_json::Value::Null
}

/// The `seq` of every audit record in the lines (OTLP or rsyslog), in the
/// order stored.
pub fn seqs(lines: &[serde_json::Value]) -> Vec<i64> {
    if lines.iter().any(|l| l.get("resourceLogs").is_some()) {
        otlp_records(lines)
            .iter()
            .filter(|r| r["eventName"] != "veil.audit.checkpoint")
            .filter_map(|r| otlp_attr(r, "record", "veil.audit.seq").as_i64())
            .collect()
    } else {
        lines
            .iter()
            .filter_map(|l| {
                let sd = l["structured_data"].as_str()?;
                let p = veil_core::fleet::wire::parse_sd(sd, veil_core::fleet::wire::SD_ID)?;
                if p.get("kind").map(String::as_str) == Some("checkpoint") {
                    return None;
                }
                p.get("seq")?.parse().ok()
            })
            .collect()
    }
}
