//! What leaves the machine, byte for byte: OTLP logs (protobuf) and RFC 5424
//! syslog frames (octet-counted, RFC 5425). Both carry the same fields, so
//! the verifier can recompute every audit entry's hash from either (README,
//! "What is sent"). Nothing of the customer's is in here: audit entries
//! carry what Veil did and which program did what, never audio or screen.

use std::collections::BTreeMap;

use opentelemetry_proto::tonic::collector::logs::v1::ExportLogsServiceRequest;
use opentelemetry_proto::tonic::common::v1::{any_value, AnyValue, InstrumentationScope, KeyValue};
use opentelemetry_proto::tonic::logs::v1::{LogRecord, ResourceLogs, ScopeLogs, SeverityNumber};
use opentelemetry_proto::tonic::resource::v1::Resource;
use prost::Message as _;
use serde::{Deserialize, Serialize};

use crate::audit::{self, Entry, RecordKind};
use crate::status::Status;

/// RFC 5612's documentation enterprise number, the SD-ID's suffix.
pub const SD_ID: &str = "veil@32473";
/// `log audit` (RFC 5424 facility 13).
const FACILITY: u8 = 13;

/// Who is sending: the same on every message of a run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// `host.id`: a keyed hash of the OS machine id (identity.rs).
    pub host_id: String,
    /// Random, made once per installation (`veil.install.id`).
    pub install_id: String,
    /// `host.name`, and the syslog HOSTNAME.
    pub host_name: String,
    /// `os.type`: linux, windows, darwin.
    pub os_type: String,
    /// The OS account Veil runs for (`user.name` of the resource).
    pub os_user: String,
    pub version: String,
    pub pid: u32,
    /// `fleet.labels` (site, team): `veil.label.<name>`.
    pub labels: BTreeMap<String, String>,
}

/// The state summary sent every `fleet.heartbeat_seconds`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Heartbeat {
    pub at_ms: i64,
    pub interval_seconds: u64,
    pub version: String,
    /// `on` or `off`.
    pub privacy_mode: String,
    /// `protected`, `attention` or `off`.
    pub state: String,
    /// Each capability: `compliant` or `not_compliant`.
    pub compliance: BTreeMap<String, String>,
    /// Training modules completed of those shipped.
    pub training_completed: u64,
    pub training_modules: u64,
    /// The policy in force (null without one).
    pub policy_sha256: Option<String>,
    pub head_seq: i64,
    pub head_hash: String,
}

impl Heartbeat {
    pub fn from_status(
        status: &Status,
        head: audit::Anchor,
        interval_seconds: u64,
        at_ms: i64,
    ) -> Heartbeat {
        let word = |ok: bool| if ok { "compliant" } else { "not_compliant" }.to_string();
        let mut compliance = BTreeMap::new();
        compliance.insert("microphone".into(), word(status.microphone.compliant));
        compliance.insert(
            "shield".into(),
            word(status.shield.enabled && !status.shield.lock_failed),
        );
        compliance.insert(
            "camera".into(),
            word(status.camera.detection == crate::camera::Detection::Ok),
        );
        compliance.insert("training".into(), word(status.training.due == 0));
        // No required device check fails (`unknown` is not a failure).
        compliance.insert("posture".into(), word(status.posture.compliant));
        compliance.insert(
            "policy".into(),
            word(matches!(
                status.policy_file.state,
                crate::settings::FileState::Loaded
            )),
        );
        Heartbeat {
            at_ms,
            interval_seconds,
            version: status.version.clone(),
            privacy_mode: enum_word(&status.privacy_mode),
            state: enum_word(&status.state),
            compliance,
            training_completed: status.training.completed as u64,
            training_modules: status.training.modules as u64,
            policy_sha256: status.policy_file.sha256.clone(),
            head_seq: head.seq,
            head_hash: audit::hex(&head.hash),
        }
    }
}

fn enum_word<T: Serialize>(v: &T) -> String {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

/// The audit head, at least every 15 minutes: a receiver can hold the
/// machine to it later.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checkpoint {
    pub at_ms: i64,
    pub seq: i64,
    #[serde(with = "crate::audit::hex_hash")]
    pub hash: audit::Hash,
    pub count: u64,
}

/// How often a checkpoint goes out at the latest.
pub const CHECKPOINT_EVERY: std::time::Duration = std::time::Duration::from_secs(15 * 60);

/// One message to a receiver.
#[derive(Debug, Clone, Copy)]
pub enum Message<'a> {
    Audit(&'a Entry),
    Heartbeat(&'a Heartbeat),
    Checkpoint(&'a Checkpoint),
}

/// `veil.audit.<kind>`, `veil.heartbeat`, `veil.audit.checkpoint`.
pub fn event_name(m: Message<'_>) -> String {
    match m {
        Message::Audit(e) => format!("veil.audit.{}", e.entry.kind),
        Message::Heartbeat(_) => "veil.heartbeat".into(),
        Message::Checkpoint(_) => "veil.audit.checkpoint".into(),
    }
}

/// Records IT should look at carry severity WARN; the rest INFO.
pub fn is_warning(kind: &str) -> bool {
    use RecordKind as K;
    matches!(
        RecordKind::from_name(kind),
        Some(
            K::PolicyRejected
                | K::PolicyMissing
                | K::PolicyOverride
                | K::PolicyOverrideRefused
                | K::PolicyCacheRejected
                | K::StoreReset
                | K::SessionLockFailed
                | K::LockFailed
                | K::VeilAbsent
                | K::VeilPaused
                | K::AutostartOverrideRemoved
                | K::WindowAttachRefused
                | K::ControlRateLimited
                | K::CameraCoverCheckFailed
                | K::FleetGap
        )
    )
}

/// `host_id:seq`: one audit record, whichever receiver or retry it came by.
pub fn record_id(host_id: &str, seq: i64) -> String {
    format!("{host_id}:{seq}")
}

// ---- OTLP ----

fn kv(key: &str, value: any_value::Value) -> KeyValue {
    KeyValue {
        key: key.into(),
        value: Some(AnyValue { value: Some(value) }),
        ..Default::default()
    }
}

fn s(key: &str, v: impl Into<String>) -> KeyValue {
    kv(key, any_value::Value::StringValue(v.into()))
}

fn i(key: &str, v: i64) -> KeyValue {
    kv(key, any_value::Value::IntValue(v))
}

fn resource(origin: &Origin) -> Resource {
    let mut attributes = vec![
        s("service.name", "veil"),
        s("service.version", origin.version.clone()),
        s("host.id", origin.host_id.clone()),
        s("host.name", origin.host_name.clone()),
        s("os.type", origin.os_type.clone()),
        s("user.name", origin.os_user.clone()),
        s("veil.install.id", origin.install_id.clone()),
    ];
    for (k, v) in &origin.labels {
        attributes.push(s(&format!("veil.label.{k}"), v.clone()));
    }
    Resource {
        attributes,
        ..Default::default()
    }
}

fn log_record(origin: &Origin, m: Message<'_>, now_ms: i64) -> LogRecord {
    let name = event_name(m);
    let (at_ms, warn, body, mut attributes) = match m {
        Message::Audit(e) => (
            e.entry.at_ms,
            is_warning(&e.entry.kind),
            e.entry.details.clone(),
            vec![
                s("veil.audit.id", record_id(&origin.host_id, e.seq)),
                i("veil.audit.seq", e.seq),
                s("veil.audit.prev_hash", audit::hex(&e.prev_hash)),
                s("veil.audit.hash", audit::hex(&e.hash)),
                s("veil.audit.kind", e.entry.kind.clone()),
                s("veil.audit.actor", e.entry.actor.clone()),
                s("user.name", e.entry.user.clone()),
            ],
        ),
        Message::Heartbeat(h) => {
            let mut a = vec![
                s("veil.privacy_mode", h.privacy_mode.clone()),
                s("veil.state", h.state.clone()),
                i("veil.heartbeat.interval_seconds", h.interval_seconds as i64),
                i("veil.audit.head_seq", h.head_seq),
                s("veil.audit.head_hash", h.head_hash.clone()),
                i("veil.training.completed", h.training_completed as i64),
                i("veil.training.modules", h.training_modules as i64),
                s(
                    "veil.policy.sha256",
                    h.policy_sha256.clone().unwrap_or_default(),
                ),
            ];
            for (k, v) in &h.compliance {
                a.push(s(&format!("veil.compliance.{k}"), v.clone()));
            }
            (
                h.at_ms,
                h.state != "protected",
                serde_json::to_string(h).unwrap_or_default(),
                a,
            )
        }
        Message::Checkpoint(c) => (
            c.at_ms,
            false,
            serde_json::to_string(c).unwrap_or_default(),
            vec![
                i("veil.audit.seq", c.seq),
                s("veil.audit.hash", audit::hex(&c.hash)),
                i("veil.audit.count", c.count as i64),
            ],
        ),
    };
    // Older collectors know the event by this attribute, newer by the field.
    attributes.push(s("event.name", name.clone()));
    let (severity_number, severity_text) = if warn {
        (SeverityNumber::Warn, "WARN")
    } else {
        (SeverityNumber::Info, "INFO")
    };
    LogRecord {
        time_unix_nano: nanos(at_ms),
        observed_time_unix_nano: nanos(now_ms),
        severity_number: severity_number as i32,
        severity_text: severity_text.into(),
        body: Some(AnyValue {
            value: Some(any_value::Value::StringValue(body)),
        }),
        attributes,
        event_name: name,
        ..Default::default()
    }
}

fn nanos(ms: i64) -> u64 {
    (ms.max(0) as u64).saturating_mul(1_000_000)
}

/// What a collector's `ExportLogsServiceResponse` says it rejected: the
/// count (when above zero) and its message. None for a full success, an
/// empty body, or a body that is not that message.
pub fn otlp_rejections(body: &[u8]) -> Option<(i64, String)> {
    use opentelemetry_proto::tonic::collector::logs::v1::ExportLogsServiceResponse;
    let answer = ExportLogsServiceResponse::decode(body).ok()?;
    let partial = answer.partial_success?;
    (partial.rejected_log_records > 0)
        .then_some((partial.rejected_log_records, partial.error_message))
}

/// One `ExportLogsServiceRequest` with every message, protobuf-encoded
/// (the body of a POST to `/v1/logs`, before gzip).
pub fn otlp_request(origin: &Origin, messages: &[Message<'_>], now_ms: i64) -> Vec<u8> {
    let request = ExportLogsServiceRequest {
        resource_logs: vec![ResourceLogs {
            resource: Some(resource(origin)),
            scope_logs: vec![ScopeLogs {
                scope: Some(InstrumentationScope {
                    name: "veil".into(),
                    version: origin.version.clone(),
                    ..Default::default()
                }),
                log_records: messages
                    .iter()
                    .map(|m| log_record(origin, *m, now_ms))
                    .collect(),
                schema_url: String::new(),
            }],
            schema_url: String::new(),
        }],
    };
    request.encode_to_vec()
}

// ---- syslog ----
//
// Hand-written: the `syslog` crate formats RFC 5424 but writes TCP messages
// without octet counting, has no TLS and does not escape SD values (a user
// name with `"` or `]` would break the element); the frame and the escaping
// are a few lines and are tested below and against rsyslog end to end.

/// RFC 5424 PARAM-VALUE escaping: `"`, `\` and `]`.
fn sd_escape(v: &str) -> String {
    let mut out = String::with_capacity(v.len());
    for c in v.chars() {
        if matches!(c, '"' | '\\' | ']') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Header fields are printable US-ASCII without spaces; `-` when empty.
fn header_field(v: &str, max: usize) -> String {
    let clean: String = v
        .chars()
        .filter(|c| c.is_ascii_graphic())
        .take(max)
        .collect();
    if clean.is_empty() {
        "-".into()
    } else {
        clean
    }
}

/// One syslog message, framed for RFC 5425: `LEN SP SYSLOG-MSG`.
pub fn syslog_frame(origin: &Origin, m: Message<'_>) -> Vec<u8> {
    let mut params: Vec<(String, String)> = vec![("host_id".into(), origin.host_id.clone())];
    let (at_ms, warn, msgid, body) = match m {
        Message::Audit(e) => {
            params.extend([
                ("id".into(), record_id(&origin.host_id, e.seq)),
                ("seq".into(), e.seq.to_string()),
                ("prev".into(), audit::hex(&e.prev_hash)),
                ("hash".into(), audit::hex(&e.hash)),
                ("kind".into(), e.entry.kind.clone()),
                ("actor".into(), e.entry.actor.clone()),
                ("user".into(), e.entry.user.clone()),
                ("at".into(), e.entry.at_ms.to_string()),
            ]);
            (
                e.entry.at_ms,
                is_warning(&e.entry.kind),
                e.entry.kind.clone(),
                e.entry.details.clone(),
            )
        }
        Message::Heartbeat(h) => {
            params.extend([
                ("kind".into(), "heartbeat".into()),
                ("privacy_mode".into(), h.privacy_mode.clone()),
                ("state".into(), h.state.clone()),
                ("head_seq".into(), h.head_seq.to_string()),
                ("head_hash".into(), h.head_hash.clone()),
                ("interval".into(), h.interval_seconds.to_string()),
                (
                    "policy_sha256".into(),
                    h.policy_sha256.clone().unwrap_or_default(),
                ),
            ]);
            (
                h.at_ms,
                h.state != "protected",
                "heartbeat".into(),
                serde_json::to_string(h).unwrap_or_default(),
            )
        }
        Message::Checkpoint(c) => {
            params.extend([
                ("kind".into(), "checkpoint".into()),
                ("seq".into(), c.seq.to_string()),
                ("hash".into(), audit::hex(&c.hash)),
                ("count".into(), c.count.to_string()),
            ]);
            (
                c.at_ms,
                false,
                "checkpoint".into(),
                serde_json::to_string(c).unwrap_or_default(),
            )
        }
    };
    params.push(("install_id".into(), origin.install_id.clone()));
    for (k, v) in &origin.labels {
        params.push((format!("label.{}", header_field(k, 26)), v.clone()));
    }
    let severity = if warn { 4 } else { 6 };
    let mut sd = format!("[{SD_ID}");
    for (k, v) in &params {
        sd.push_str(&format!(" {k}=\"{}\"", sd_escape(v)));
    }
    sd.push(']');
    let mut msg = format!(
        "<{}>1 {} {} veil {} {} {sd}",
        FACILITY * 8 + severity,
        crate::timefmt::rfc3339(at_ms),
        header_field(&origin.host_name, 255),
        origin.pid,
        header_field(&msgid, 32),
    );
    if !body.is_empty() {
        msg.push(' ');
        msg.push_str(&body);
    }
    let mut frame = format!("{} ", msg.len()).into_bytes();
    frame.extend_from_slice(msg.as_bytes());
    frame
}

/// Parses one SD element's parameters (`[id k="v" ...]`), undoing the
/// escaping; None when it is not one.
pub fn parse_sd(sd: &str, id: &str) -> Option<BTreeMap<String, String>> {
    let start = sd.find(&format!("[{id}"))? + id.len() + 1;
    let mut out = BTreeMap::new();
    let mut chars = sd[start..].chars().peekable();
    loop {
        while chars.peek() == Some(&' ') {
            chars.next();
        }
        match chars.peek() {
            Some(']') => return Some(out),
            None => return None,
            _ => {}
        }
        let mut name = String::new();
        for c in chars.by_ref() {
            if c == '=' {
                break;
            }
            name.push(c);
        }
        if chars.next() != Some('"') {
            return None;
        }
        let mut value = String::new();
        loop {
            match chars.next()? {
                '\\' => value.push(chars.next()?),
                '"' => break,
                c => value.push(c),
            }
        }
        out.insert(name, value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::{Anchor, NewEntry};

    fn origin() -> Origin {
        Origin {
            host_id: "0123456789abcdef0123456789abcdef".into(),
            install_id: "inst".into(),
            host_name: "seat 17".into(),
            os_type: "linux".into(),
            os_user: "alice".into(),
            version: "1.2.3".into(),
            pid: 42,
            labels: [("site".to_string(), "lisbon".to_string())].into(),
        }
    }

    fn entry(details: &str) -> Entry {
        audit::chain(
            Anchor::START,
            NewEntry {
                at_ms: 1_764_590_400_123,
                kind: "privacy_off".into(),
                actor: "agent".into(),
                user: "al\"i]ce\\".into(),
                details: details.into(),
            },
        )
    }

    #[test]
    fn syslog_frames_are_octet_counted_rfc5424() {
        let e = entry("{\"reason\":\"break\"}");
        let frame = String::from_utf8(syslog_frame(&origin(), Message::Audit(&e))).unwrap();
        let (len, msg) = frame.split_once(' ').unwrap();
        assert_eq!(len.parse::<usize>().unwrap(), msg.len());
        assert!(
            msg.starts_with("<110>1 2025-12-01T12:00:00.123Z seat17 veil 42 privacy_off [veil@32473 host_id=\"0123456789abcdef0123456789abcdef\" id=\"0123456789abcdef0123456789abcdef:1\" seq=\"1\""),
            "{msg}"
        );
        assert!(msg.ends_with("] {\"reason\":\"break\"}"), "{msg}");
        assert!(msg.contains("user=\"al\\\"i\\]ce\\\\\""), "{msg}");
        assert!(msg.contains("label.site=\"lisbon\""), "{msg}");
    }

    #[test]
    fn the_sd_element_reads_back_to_the_values_sent() {
        let e = entry("x");
        let frame = String::from_utf8(syslog_frame(&origin(), Message::Audit(&e))).unwrap();
        let p = parse_sd(&frame, SD_ID).unwrap();
        assert_eq!(p["user"], "al\"i]ce\\");
        assert_eq!(p["seq"], "1");
        assert_eq!(p["hash"], audit::hex(&e.hash));
        assert_eq!(p["at"], "1764590400123");
        assert_eq!(parse_sd("[other a=\"1\"]", SD_ID), None);
        assert_eq!(parse_sd("[veil@32473 a=\"1", SD_ID), None);
    }

    #[test]
    fn warnings_carry_severity_4() {
        let mut e = entry("");
        e.entry.kind = "lock_failed".into();
        let frame = String::from_utf8(syslog_frame(&origin(), Message::Audit(&e))).unwrap();
        assert!(frame.contains(" <108>1 "), "{frame}");
        assert!(
            frame.ends_with(']'),
            "no message part when details are empty"
        );
    }

    #[test]
    fn otlp_carries_the_contract_attributes() {
        use opentelemetry_proto::tonic::collector::logs::v1::ExportLogsServiceRequest;
        let e = entry("{}");
        let c = Checkpoint {
            at_ms: 5,
            seq: 1,
            hash: e.hash,
            count: 1,
        };
        let bytes = otlp_request(
            &origin(),
            &[Message::Audit(&e), Message::Checkpoint(&c)],
            10,
        );
        let r = ExportLogsServiceRequest::decode(bytes.as_slice()).unwrap();
        let rl = &r.resource_logs[0];
        let attr = |list: &[KeyValue], k: &str| {
            list.iter()
                .find(|a| a.key == k)
                .and_then(|a| a.value.clone())
                .and_then(|v| v.value)
        };
        let res = &rl.resource.as_ref().unwrap().attributes;
        assert_eq!(
            attr(res, "host.id"),
            Some(any_value::Value::StringValue(origin().host_id))
        );
        assert_eq!(
            attr(res, "service.name"),
            Some(any_value::Value::StringValue("veil".into()))
        );
        assert_eq!(
            attr(res, "veil.label.site"),
            Some(any_value::Value::StringValue("lisbon".into()))
        );
        let logs = &rl.scope_logs[0].log_records;
        assert_eq!(logs[0].event_name, "veil.audit.privacy_off");
        assert_eq!(logs[0].time_unix_nano, 1_764_590_400_123_000_000);
        assert_eq!(
            attr(&logs[0].attributes, "veil.audit.seq"),
            Some(any_value::Value::IntValue(1))
        );
        assert_eq!(
            attr(&logs[0].attributes, "veil.audit.prev_hash"),
            Some(any_value::Value::StringValue("0".repeat(64)))
        );
        assert_eq!(logs[1].event_name, "veil.audit.checkpoint");
        assert_eq!(
            attr(&logs[1].attributes, "veil.audit.count"),
            Some(any_value::Value::IntValue(1))
        );
    }
}
