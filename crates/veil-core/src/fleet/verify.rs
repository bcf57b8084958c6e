//! The verifier IT runs off the machine (`veil fleet verify`): it reads what
//! a receiver stored and holds each host to what already left it. The local
//! store's own chain only proves its rows agree with each other; an agent
//! holding the key can delete the newest rows or start a new store. What a
//! receiver took cannot be rewritten that way, so a rewound or replaced log
//! shows up here as the same record number arriving with another hash.
//!
//! Two stored forms are read, one JSON document per line: an OpenTelemetry
//! Collector's file exporter (OTLP/JSON `ExportLogsServiceRequest`s), and
//! rsyslog's omfile with the JSON template in the README.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use serde::Serialize;
use serde_json::Value as Json;

use super::wire::{self, Checkpoint, Heartbeat};
use super::GapDetails;
use crate::audit::{self, Entry, NewEntry, PruneDetails, RecordKind};

/// One Veil message found in a receiver's file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Observed {
    Audit(Entry),
    Heartbeat(Heartbeat),
    Checkpoint(Checkpoint),
}

/// Where a message was read (for the report).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Place {
    pub file: String,
    pub line: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sighting {
    pub host_id: String,
    pub observed: Observed,
    pub place: Place,
}

/// Parses one stored line. Lines of other programs (the same file may
/// hold them) give nothing; a Veil line that cannot be read is an error.
pub fn parse_line(line: &str, place: &Place) -> Result<Vec<Sighting>, String> {
    let line = line.trim();
    if line.is_empty() {
        return Ok(vec![]);
    }
    let doc: Json = match serde_json::from_str(line) {
        Ok(v) => v,
        // Not JSON: not one of the two forms, so not a Veil line.
        Err(_) => return Ok(vec![]),
    };
    if let Some(resource_logs) = doc.get("resourceLogs").and_then(Json::as_array) {
        parse_otlp(resource_logs, place)
    } else if doc.get("structured_data").is_some() || doc.get("structured-data").is_some() {
        parse_syslog(&doc, place).map(|s| s.into_iter().collect())
    } else {
        Ok(vec![])
    }
}

// ---- OTLP/JSON ----

fn any_value(v: &Json) -> Option<Json> {
    let v = v.as_object()?;
    if let Some(s) = v.get("stringValue") {
        return Some(s.clone());
    }
    if let Some(i) = v.get("intValue") {
        // proto3 JSON writes 64-bit integers as strings.
        return match i {
            Json::String(s) => s.parse::<i64>().ok().map(Json::from),
            other => Some(other.clone()),
        };
    }
    v.get("boolValue").or_else(|| v.get("doubleValue")).cloned()
}

fn attributes(list: Option<&Json>) -> BTreeMap<String, Json> {
    let mut out = BTreeMap::new();
    for a in list.and_then(Json::as_array).into_iter().flatten() {
        if let (Some(k), Some(v)) = (
            a.get("key").and_then(Json::as_str),
            a.get("value").and_then(any_value),
        ) {
            out.insert(k.to_string(), v);
        }
    }
    out
}

fn nanos_to_ms(v: Option<&Json>) -> Option<i64> {
    let n: u64 = match v? {
        Json::String(s) => s.parse().ok()?,
        Json::Number(n) => n.as_u64()?,
        _ => return None,
    };
    Some((n / 1_000_000) as i64)
}

fn parse_otlp(resource_logs: &[Json], place: &Place) -> Result<Vec<Sighting>, String> {
    let mut out = Vec::new();
    for rl in resource_logs {
        let res = attributes(rl.pointer("/resource/attributes"));
        if res.get("service.name").and_then(Json::as_str) != Some("veil") {
            continue;
        }
        let host_id = res
            .get("host.id")
            .and_then(Json::as_str)
            .ok_or("a Veil resource without host.id")?
            .to_string();
        for sl in rl
            .get("scopeLogs")
            .and_then(Json::as_array)
            .into_iter()
            .flatten()
        {
            for lr in sl
                .get("logRecords")
                .and_then(Json::as_array)
                .into_iter()
                .flatten()
            {
                let attrs = attributes(lr.get("attributes"));
                let name = lr
                    .get("eventName")
                    .and_then(Json::as_str)
                    .filter(|n| !n.is_empty())
                    .or_else(|| attrs.get("event.name").and_then(Json::as_str))
                    .unwrap_or_default()
                    .to_string();
                let body = lr
                    .pointer("/body/stringValue")
                    .and_then(Json::as_str)
                    .unwrap_or_default()
                    .to_string();
                let text = |k: &str| {
                    attrs
                        .get(k)
                        .and_then(Json::as_str)
                        .map(str::to_string)
                        .ok_or_else(|| format!("{name}: no {k}"))
                };
                let observed = match name.as_str() {
                    "veil.heartbeat" => Observed::Heartbeat(
                        serde_json::from_str(&body)
                            .map_err(|e| format!("a heartbeat that cannot be read: {e}"))?,
                    ),
                    "veil.audit.checkpoint" => Observed::Checkpoint(
                        serde_json::from_str(&body)
                            .map_err(|e| format!("a checkpoint that cannot be read: {e}"))?,
                    ),
                    n if n.starts_with("veil.audit.") => {
                        let seq = attrs
                            .get("veil.audit.seq")
                            .and_then(Json::as_i64)
                            .ok_or_else(|| format!("{name}: no veil.audit.seq"))?;
                        Observed::Audit(Entry {
                            seq,
                            entry: NewEntry {
                                at_ms: nanos_to_ms(lr.get("timeUnixNano"))
                                    .ok_or_else(|| format!("{name}: no timeUnixNano"))?,
                                kind: text("veil.audit.kind")?,
                                actor: text("veil.audit.actor")?,
                                user: text("user.name")?,
                                details: body,
                            },
                            prev_hash: hash(&text("veil.audit.prev_hash")?)?,
                            hash: hash(&text("veil.audit.hash")?)?,
                        })
                    }
                    _ => continue,
                };
                out.push(Sighting {
                    host_id: host_id.clone(),
                    observed,
                    place: place.clone(),
                });
            }
        }
    }
    Ok(out)
}

fn hash(s: &str) -> Result<audit::Hash, String> {
    audit::unhex(s).ok_or_else(|| format!("`{s}` is not a hash"))
}

// ---- rsyslog JSON ----

fn parse_syslog(doc: &Json, place: &Place) -> Result<Option<Sighting>, String> {
    let sd = doc
        .get("structured_data")
        .or_else(|| doc.get("structured-data"))
        .and_then(Json::as_str)
        .unwrap_or_default();
    let Some(p) = wire::parse_sd(sd, wire::SD_ID) else {
        return Ok(None);
    };
    let msg = doc.get("msg").and_then(Json::as_str).unwrap_or_default();
    let get = |k: &str| p.get(k).cloned().ok_or_else(|| format!("no {k} in {sd}"));
    let host_id = get("host_id")?;
    let kind = get("kind")?;
    let observed = match kind.as_str() {
        "heartbeat" => Observed::Heartbeat(
            serde_json::from_str(msg)
                .map_err(|e| format!("a heartbeat that cannot be read: {e}"))?,
        ),
        "checkpoint" => Observed::Checkpoint(
            serde_json::from_str(msg)
                .map_err(|e| format!("a checkpoint that cannot be read: {e}"))?,
        ),
        _ => Observed::Audit(Entry {
            seq: get("seq")?
                .parse()
                .map_err(|_| format!("bad seq in {sd}"))?,
            entry: NewEntry {
                at_ms: get("at")?.parse().map_err(|_| format!("bad at in {sd}"))?,
                kind,
                actor: get("actor")?,
                user: get("user")?,
                details: msg.to_string(),
            },
            prev_hash: hash(&get("prev")?)?,
            hash: hash(&get("hash")?)?,
        }),
    };
    Ok(Some(Sighting {
        host_id,
        observed,
        place: place.clone(),
    }))
}

// ---- the checks ----

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FindingKind {
    /// An entry whose hash does not match its content.
    Altered,
    /// Two consecutive entries that do not link.
    ChainBreak,
    /// Entries never received, and no `fleet_gap` or retention record
    /// accounts for them.
    Gap,
    /// A record number that arrived again with another hash, or a head
    /// that went back: the local log was rewound, rewritten or replaced.
    Regression,
    /// The host stopped sending heartbeats for longer than allowed
    /// without saying it stopped.
    HeartbeatMissing,
    /// A checkpoint whose head is not the entry received under that number.
    CheckpointMismatch,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub kind: FindingKind,
    /// The first record number concerned, when there is one.
    pub seq: Option<i64>,
    pub message: String,
    pub place: Option<Place>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HostReport {
    pub host_id: String,
    pub records: u64,
    pub first_seq: Option<i64>,
    pub last_seq: Option<i64>,
    pub heartbeats: u64,
    pub checkpoints: u64,
    /// Unix ms of the last heartbeat.
    pub last_heartbeat_at: Option<i64>,
    pub findings: Vec<Finding>,
}

impl HostReport {
    pub fn ok(&self) -> bool {
        self.findings.is_empty()
    }
}

#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Heartbeats missing for longer than this are a finding; None: three
    /// times the interval the host announced.
    pub max_silence: Option<Duration>,
    /// The end of the period the files cover (Unix ms): a host silent from
    /// its last heartbeat to here is a finding too. None: the newest
    /// message of any host.
    pub until_ms: Option<i64>,
}

/// Checks every host found, in host order.
pub fn verify(sightings: Vec<Sighting>, options: Options) -> Vec<HostReport> {
    let until = options.until_ms.or_else(|| {
        sightings
            .iter()
            .map(|s| match &s.observed {
                Observed::Audit(e) => e.entry.at_ms,
                Observed::Heartbeat(h) => h.at_ms,
                Observed::Checkpoint(c) => c.at_ms,
            })
            .max()
    });
    let mut by_host: BTreeMap<String, Vec<Sighting>> = BTreeMap::new();
    for s in sightings {
        by_host.entry(s.host_id.clone()).or_default().push(s);
    }
    by_host
        .into_iter()
        .map(|(host, list)| verify_host(host, list, options, until))
        .collect()
}

fn verify_host(
    host_id: String,
    list: Vec<Sighting>,
    options: Options,
    until: Option<i64>,
) -> HostReport {
    let mut findings = Vec::new();
    // The first version of each number, in the order the receiver stored them.
    let mut entries: BTreeMap<i64, (Entry, Place)> = BTreeMap::new();
    let mut rewritten: BTreeMap<i64, Place> = BTreeMap::new();
    let mut heartbeats: Vec<(Heartbeat, Place)> = Vec::new();
    let mut checkpoints: Vec<(Checkpoint, Place)> = Vec::new();
    for s in list {
        match s.observed {
            Observed::Audit(e) => match entries.get(&e.seq) {
                Some((first, _)) if first.hash != e.hash => {
                    rewritten.entry(e.seq).or_insert(s.place);
                }
                Some(_) => {} // a resend: the receiver drops it by id
                None => {
                    entries.insert(e.seq, (e, s.place));
                }
            },
            Observed::Heartbeat(h) => heartbeats.push((h, s.place)),
            Observed::Checkpoint(c) => checkpoints.push((c, s.place)),
        }
    }
    for (from, through, place) in ranges(&rewritten) {
        findings.push(Finding {
            kind: FindingKind::Regression,
            seq: Some(from),
            message: format!(
                "{} arrived again with different content: the local audit log was rewound, rewritten or replaced after they were sent",
                span(from, through)
            ),
            place: Some(place),
        });
    }

    for (e, place) in entries.values() {
        if audit::entry_hash(&e.prev_hash, e.seq, &e.entry) != e.hash {
            findings.push(Finding {
                kind: FindingKind::Altered,
                seq: Some(e.seq),
                message: format!("record #{} does not match its own hash", e.seq),
                place: Some(place.clone()),
            });
        }
    }

    let covered = covered_ranges(entries.values().map(|(e, _)| e));
    let list: Vec<&(Entry, Place)> = entries.values().collect();
    for pair in list.windows(2) {
        let ((a, _), (b, place)) = (pair[0], pair[1]);
        if b.seq == a.seq + 1 {
            if b.prev_hash != a.hash {
                findings.push(Finding {
                    kind: FindingKind::ChainBreak,
                    seq: Some(b.seq),
                    message: format!(
                        "record #{} does not follow record #{} (the chain is broken)",
                        b.seq, a.seq
                    ),
                    place: Some(place.clone()),
                });
            }
            continue;
        }
        for (from, through) in uncovered(a.seq + 1, b.seq - 1, &covered) {
            findings.push(Finding {
                kind: FindingKind::Gap,
                seq: Some(from),
                message: format!(
                    "{} never arrived, and no fleet_gap or audit_pruned record accounts for them",
                    span(from, through)
                ),
                place: Some(place.clone()),
            });
        }
    }

    checkpoints.sort_by_key(|(c, _)| c.at_ms);
    for (c, place) in &checkpoints {
        if let Some((e, _)) = entries.get(&c.seq) {
            if e.hash != c.hash {
                findings.push(Finding {
                    kind: FindingKind::CheckpointMismatch,
                    seq: Some(c.seq),
                    message: format!(
                        "the checkpoint of {} names record #{} with another hash than the record received",
                        crate::timefmt::rfc3339(c.at_ms),
                        c.seq
                    ),
                    place: Some(place.clone()),
                });
            }
        }
    }

    heartbeats.sort_by_key(|(h, _)| h.at_ms);
    let heads = heartbeats
        .iter()
        .map(|(h, p)| (h.at_ms, h.head_seq, p))
        .chain(checkpoints.iter().map(|(c, p)| (c.at_ms, c.seq, p)));
    let mut heads: Vec<_> = heads.collect();
    heads.sort_by_key(|(at, _, _)| *at);
    let mut highest: Option<i64> = None;
    for (at, seq, place) in heads {
        if let Some(h) = highest {
            if seq < h && rewritten.is_empty() {
                findings.push(Finding {
                    kind: FindingKind::Regression,
                    seq: Some(seq),
                    message: format!(
                        "at {} the audit head went back from #{h} to #{seq}: entries were removed from the local log",
                        crate::timefmt::rfc3339(at)
                    ),
                    place: Some(place.clone()),
                });
                break;
            }
        }
        highest = Some(highest.map_or(seq, |h| h.max(seq)));
    }

    let stops: BTreeSet<i64> = entries
        .values()
        .filter(|(e, _)| e.entry.kind == RecordKind::VeilStopped.as_str())
        .map(|(e, _)| e.entry.at_ms)
        .collect();
    let stopped_between = |from: i64, to: i64| stops.range(from..=to).next().is_some();
    let allowed = |h: &Heartbeat| {
        options
            .max_silence
            .unwrap_or(Duration::from_secs(h.interval_seconds.max(1) * 3))
            .as_millis() as i64
    };
    for pair in heartbeats.windows(2) {
        let ((a, _), (b, place)) = (&pair[0], &pair[1]);
        if b.at_ms - a.at_ms > allowed(a) && !stopped_between(a.at_ms, b.at_ms) {
            findings.push(Finding {
                kind: FindingKind::HeartbeatMissing,
                seq: None,
                message: format!(
                    "no heartbeat from {} to {} ({} minutes), and no record that Veil stopped",
                    crate::timefmt::rfc3339(a.at_ms),
                    crate::timefmt::rfc3339(b.at_ms),
                    (b.at_ms - a.at_ms) / 60_000
                ),
                place: Some(place.clone()),
            });
        }
    }
    if let (Some((last, place)), Some(until)) = (heartbeats.last(), until) {
        if until - last.at_ms > allowed(last) && !stopped_between(last.at_ms, until) {
            findings.push(Finding {
                kind: FindingKind::HeartbeatMissing,
                seq: None,
                message: format!(
                    "no heartbeat since {} ({} minutes before the end of the files), and no record that Veil stopped",
                    crate::timefmt::rfc3339(last.at_ms),
                    (until - last.at_ms) / 60_000
                ),
                place: Some(place.clone()),
            });
        }
    }

    findings.sort_by_key(|f| (f.seq.unwrap_or(i64::MAX), f.kind));
    HostReport {
        host_id,
        records: entries.len() as u64,
        first_seq: entries.keys().next().copied(),
        last_seq: entries.keys().next_back().copied(),
        heartbeats: heartbeats.len() as u64,
        checkpoints: checkpoints.len() as u64,
        last_heartbeat_at: heartbeats.last().map(|(h, _)| h.at_ms),
        findings,
    }
}

fn span(from: i64, through: i64) -> String {
    if from == through {
        format!("record #{from}")
    } else {
        format!("records #{from} to #{through}")
    }
}

/// Consecutive numbers folded into ranges, with the first one's place.
fn ranges(seqs: &BTreeMap<i64, Place>) -> Vec<(i64, i64, Place)> {
    let mut out: Vec<(i64, i64, Place)> = Vec::new();
    for (&seq, place) in seqs {
        match out.last_mut() {
            Some((_, through, _)) if *through + 1 == seq => *through = seq,
            _ => out.push((seq, seq, place.clone())),
        }
    }
    out
}

/// Ranges the host said it gave up (`fleet_gap`) or pruned (`audit_pruned`).
fn covered_ranges<'a>(entries: impl Iterator<Item = &'a Entry>) -> Vec<(i64, i64)> {
    let mut out = Vec::new();
    for e in entries {
        if e.entry.kind == RecordKind::FleetGap.as_str() {
            if let Ok(g) = serde_json::from_str::<GapDetails>(&e.entry.details) {
                out.push((g.from_seq, g.through_seq));
            }
        } else if e.entry.kind == RecordKind::AuditPruned.as_str() {
            if let Ok(p) = serde_json::from_str::<PruneDetails>(&e.entry.details) {
                out.push((1, p.through_seq));
            }
        }
    }
    out
}

/// The parts of `from..=through` no covered range contains.
fn uncovered(from: i64, through: i64, covered: &[(i64, i64)]) -> Vec<(i64, i64)> {
    let mut left = vec![(from, through)];
    for &(cf, ct) in covered {
        left = left
            .into_iter()
            .flat_map(|(f, t)| {
                let mut parts = Vec::new();
                if ct < f || cf > t {
                    parts.push((f, t));
                } else {
                    if cf > f {
                        parts.push((f, cf - 1));
                    }
                    if ct < t {
                        parts.push((ct + 1, t));
                    }
                }
                parts
            })
            .collect();
    }
    left
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::Anchor;
    use crate::fleet::wire::{syslog_frame, Message, Origin};

    fn origin() -> Origin {
        Origin {
            host_id: "h1".into(),
            install_id: "i".into(),
            host_name: "seat".into(),
            os_type: "linux".into(),
            os_user: "alice".into(),
            version: "1".into(),
            pid: 1,
            labels: Default::default(),
        }
    }

    fn log(n: usize) -> Vec<Entry> {
        let mut anchor = Anchor::START;
        (0..n)
            .map(|i| {
                let e = audit::chain(
                    anchor,
                    NewEntry {
                        at_ms: 1_000_000 + i as i64 * 1000,
                        kind: "privacy_on".into(),
                        actor: "agent".into(),
                        user: "alice".into(),
                        details: format!("{{\"n\":{i}}}"),
                    },
                );
                anchor = Anchor {
                    seq: e.seq,
                    hash: e.hash,
                };
                e
            })
            .collect()
    }

    fn sighting(o: Observed) -> Sighting {
        Sighting {
            host_id: "h1".into(),
            observed: o,
            place: Place {
                file: "f".into(),
                line: 1,
            },
        }
    }

    fn kinds(entries: Vec<Observed>) -> Vec<FindingKind> {
        let r = verify(
            entries.into_iter().map(sighting).collect(),
            Options::default(),
        );
        r[0].findings.iter().map(|f| f.kind).collect()
    }

    fn heartbeat(at_ms: i64, head: &Entry) -> Observed {
        Observed::Heartbeat(Heartbeat {
            at_ms,
            interval_seconds: 60,
            version: "1".into(),
            privacy_mode: "on".into(),
            state: "protected".into(),
            compliance: Default::default(),
            training_completed: 0,
            training_modules: 0,
            policy_sha256: None,
            head_seq: head.seq,
            head_hash: audit::hex(&head.hash),
        })
    }

    #[test]
    fn findings_by_case() {
        let l = log(6);
        let a = |i: usize| Observed::Audit(l[i].clone());
        let mut altered = l[2].clone();
        altered.entry.details = "{}".into();
        let other = {
            let mut e = l[3].clone();
            e.entry.details = "other".into();
            e.hash = audit::entry_hash(&e.prev_hash, e.seq, &e.entry);
            e
        };
        let gap = |from: i64, through: i64| {
            let anchor = Anchor {
                seq: l[5].seq,
                hash: l[5].hash,
            };
            let e = audit::chain(
                anchor,
                NewEntry {
                    at_ms: 2_000_000,
                    kind: "fleet_gap".into(),
                    actor: "veil".into(),
                    user: "alice".into(),
                    details: serde_json::to_string(&GapDetails {
                        destination: crate::fleet::DestinationKind::Otlp,
                        endpoint: "x".into(),
                        from_seq: from,
                        through_seq: through,
                        count: (through - from + 1) as u64,
                        backlog_days: 30,
                    })
                    .unwrap(),
                },
            );
            Observed::Audit(e)
        };
        let checkpoint = |seq: usize, hash: audit::Hash| {
            Observed::Checkpoint(Checkpoint {
                at_ms: 1_010_000,
                seq: l[seq].seq,
                hash,
                count: 6,
            })
        };
        let table: Vec<(&str, Vec<Observed>, Vec<FindingKind>)> = vec![
            ("all there", (0..6).map(a).collect(), vec![]),
            ("resent", vec![a(0), a(1), a(1), a(2)], vec![]),
            ("out of order", vec![a(2), a(0), a(1)], vec![]),
            (
                "altered",
                vec![a(1), Observed::Audit(altered), a(3)],
                vec![FindingKind::Altered],
            ),
            ("gap", vec![a(0), a(4)], vec![FindingKind::Gap]),
            ("gap covered", vec![a(0), a(4), a(5), gap(2, 4)], vec![]),
            (
                "gap partly covered",
                vec![a(0), a(4), a(5), gap(3, 4)],
                vec![FindingKind::Gap],
            ),
            (
                "rewound then rewritten",
                vec![a(0), a(1), a(2), a(3), Observed::Audit(other.clone())],
                vec![FindingKind::Regression],
            ),
            (
                "chain break",
                vec![a(2), Observed::Audit(other), a(4)],
                vec![FindingKind::ChainBreak],
            ),
            (
                "checkpoint matches",
                vec![a(0), a(1), checkpoint(1, l[1].hash)],
                vec![],
            ),
            (
                "checkpoint mismatch",
                vec![a(0), a(1), checkpoint(1, l[0].hash)],
                vec![FindingKind::CheckpointMismatch],
            ),
            (
                "head went back",
                vec![
                    a(0),
                    a(1),
                    a(2),
                    heartbeat(1_100_000, &l[2]),
                    heartbeat(1_150_000, &l[0]),
                ],
                vec![FindingKind::Regression],
            ),
            (
                "heartbeats regular",
                vec![
                    heartbeat(0, &l[0]),
                    heartbeat(60_000, &l[0]),
                    heartbeat(120_000, &l[0]),
                ],
                vec![],
            ),
            (
                "heartbeats missing",
                vec![heartbeat(0, &l[0]), heartbeat(600_000, &l[0])],
                vec![FindingKind::HeartbeatMissing],
            ),
        ];
        for (name, observed, want) in table {
            assert_eq!(kinds(observed), want, "{name}");
        }
    }

    #[test]
    fn a_clean_stop_explains_a_silence() {
        let mut stop = log(1).remove(0);
        stop.entry.kind = "veil_stopped".into();
        stop.entry.at_ms = 100_000;
        stop.hash = audit::entry_hash(&stop.prev_hash, stop.seq, &stop.entry);
        let l = log(1);
        let r = kinds(vec![
            heartbeat(0, &l[0]),
            Observed::Audit(stop),
            heartbeat(7_200_000, &l[0]),
        ]);
        assert_eq!(r, vec![]);
    }

    #[test]
    fn reads_what_rsyslogs_json_template_writes() {
        let l = log(2);
        let frame = String::from_utf8(syslog_frame(&origin(), Message::Audit(&l[1]))).unwrap();
        let msg = frame.split_once(' ').unwrap().1;
        let sd_start = msg.find('[').unwrap();
        let sd_end = msg.find("] ").unwrap() + 1;
        let line = serde_json::json!({
            "timereported": "2026-12-01T10:00:00.000Z",
            "hostname": "seat",
            "appname": "veil",
            "msgid": "privacy_on",
            "structured_data": &msg[sd_start..sd_end],
            "msg": &msg[sd_end + 1..],
        })
        .to_string();
        let place = Place {
            file: "f".into(),
            line: 3,
        };
        let s = parse_line(&line, &place).unwrap();
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].host_id, "h1");
        assert_eq!(s[0].observed, Observed::Audit(l[1].clone()));
        assert_eq!(
            parse_line("{\"msg\":\"other program\"}", &place),
            Ok(vec![])
        );
        assert_eq!(parse_line("not json", &place), Ok(vec![]));
    }

    #[test]
    fn reads_what_a_collectors_file_exporter_writes() {
        let l = log(1);
        let line = serde_json::json!({"resourceLogs": [{
            "resource": {"attributes": [
                {"key": "service.name", "value": {"stringValue": "veil"}},
                {"key": "host.id", "value": {"stringValue": "h9"}}
            ]},
            "scopeLogs": [{"scope": {"name": "veil"}, "logRecords": [{
                "timeUnixNano": (l[0].entry.at_ms * 1_000_000).to_string(),
                "eventName": "veil.audit.privacy_on",
                "body": {"stringValue": l[0].entry.details},
                "attributes": [
                    {"key": "veil.audit.seq", "value": {"intValue": "1"}},
                    {"key": "veil.audit.prev_hash", "value": {"stringValue": audit::hex(&l[0].prev_hash)}},
                    {"key": "veil.audit.hash", "value": {"stringValue": audit::hex(&l[0].hash)}},
                    {"key": "veil.audit.kind", "value": {"stringValue": "privacy_on"}},
                    {"key": "veil.audit.actor", "value": {"stringValue": "agent"}},
                    {"key": "user.name", "value": {"stringValue": "alice"}}
                ]
            }]}]
        }]})
        .to_string();
        let place = Place {
            file: "f".into(),
            line: 1,
        };
        let s = parse_line(&line, &place).unwrap();
        assert_eq!(s[0].host_id, "h9");
        assert_eq!(s[0].observed, Observed::Audit(l[0].clone()));
    }
}
