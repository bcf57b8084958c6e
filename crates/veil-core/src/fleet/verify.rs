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
use std::ops::Bound;
use std::time::Duration;

use serde::Serialize;
use serde_json::Value as Json;

use super::wire::{self, Checkpoint, Heartbeat};
use super::{DestinationKind, GapDetails};
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
    /// The receiver it came through, told by the form it was stored in:
    /// only Veil's OTLP destination writes OTLP/JSON with Veil's resource,
    /// only its syslog destination writes the `veil@32473` SD element. None
    /// when that is not known (a caller made the sighting): a `fleet_gap`
    /// of any destination then accounts for a gap, as it did before the
    /// verifier told receivers apart.
    pub destination: Option<DestinationKind>,
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
                    destination: Some(DestinationKind::Otlp),
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
        destination: Some(DestinationKind::Syslog),
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
    /// Entries never received between two that were, and no `fleet_gap`
    /// (for that receiver) or retention record accounts for them.
    Gap,
    /// Entries after the last one received that an earlier heartbeat or
    /// checkpoint announced, and no `fleet_gap` (for that receiver) or
    /// retention record accounts for them.
    NotReceived,
    /// A record number that arrived again with another hash, or a head
    /// that went back: the local log was rewound, rewritten or replaced.
    Regression,
    /// The host stopped sending heartbeats for longer than allowed
    /// without saying it stopped.
    HeartbeatMissing,
    /// A checkpoint whose head is not the entry received under that number,
    /// or whose count is not the number of entries the chain implies.
    CheckpointMismatch,
    /// A heartbeat whose head is not the entry received under that number.
    HeartbeatMismatch,
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

/// A send's heartbeat and checkpoint are made one after the other; those
/// within this of a receiver's newest one went with the same send.
const SAME_SEND_MS: i64 = 1_000;

/// A head a heartbeat or checkpoint named.
struct Announcement {
    at_ms: i64,
    head: i64,
    what: &'static str,
    place: Place,
}

/// " at the otlp receiver", or nothing when the receiver is not known.
fn at_receiver(destination: Option<DestinationKind>) -> String {
    destination
        .map(|d| format!(" at the {} receiver", d.as_str()))
        .unwrap_or_default()
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
    // Per receiver: the numbers it took (first place of each), and the
    // heads it was told of.
    let mut received: BTreeMap<Option<DestinationKind>, BTreeMap<i64, Place>> = BTreeMap::new();
    let mut announced: BTreeMap<Option<DestinationKind>, Vec<Announcement>> = BTreeMap::new();
    for s in list {
        match s.observed {
            Observed::Audit(e) => {
                received
                    .entry(s.destination)
                    .or_default()
                    .entry(e.seq)
                    .or_insert_with(|| s.place.clone());
                match entries.get(&e.seq) {
                    Some((first, _)) if first.hash != e.hash => {
                        rewritten.entry(e.seq).or_insert(s.place);
                    }
                    Some(_) => {} // a resend: the receiver drops it by id
                    None => {
                        entries.insert(e.seq, (e, s.place));
                    }
                }
            }
            Observed::Heartbeat(h) => {
                announced
                    .entry(s.destination)
                    .or_default()
                    .push(Announcement {
                        at_ms: h.at_ms,
                        head: h.head_seq,
                        what: "heartbeat",
                        place: s.place.clone(),
                    });
                heartbeats.push((h, s.place));
            }
            Observed::Checkpoint(c) => {
                announced
                    .entry(s.destination)
                    .or_default()
                    .push(Announcement {
                        at_ms: c.at_ms,
                        head: c.seq,
                        what: "checkpoint",
                        place: s.place.clone(),
                    });
                checkpoints.push((c, s.place));
            }
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

    let list: Vec<&(Entry, Place)> = entries.values().collect();
    for pair in list.windows(2) {
        let ((a, _), (b, place)) = (pair[0], pair[1]);
        if b.seq == a.seq + 1 && b.prev_hash != a.hash {
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
    }

    // Gaps are each receiver's: a `fleet_gap` names the one that gave the
    // records up, and the other one still owes them. The records that
    // account for a gap may have come through either receiver.
    let covers = covered_ranges(entries.values().map(|(e, _)| e));
    for (destination, seqs) in &received {
        let covered = covered_for(&covers, *destination);
        let seqs: Vec<(&i64, &Place)> = seqs.iter().collect();
        for pair in seqs.windows(2) {
            let ((&a, _), (&b, place)) = (pair[0], pair[1]);
            if b == a + 1 {
                continue;
            }
            for (from, through) in uncovered(a + 1, b - 1, &covered) {
                findings.push(Finding {
                    kind: FindingKind::Gap,
                    seq: Some(from),
                    message: format!(
                        "{} never arrived{}, and no fleet_gap or audit_pruned record accounts for them",
                        span(from, through),
                        at_receiver(*destination)
                    ),
                    place: Some(place.clone()),
                });
            }
        }
    }

    // Records announced but never received. A heartbeat or checkpoint names
    // the log's head when it is sent, and a receiver is sent records in
    // order, the ones after its batch in the next sends. So only a
    // receiver's newest send (its heartbeat and checkpoint, SAME_SEND_MS)
    // may announce records still in flight when the file ends; a head named
    // by any earlier one must have arrived through that receiver, or be
    // given up for it (fleet_gap) or pruned. A receiver that took no record
    // at all is not held to this: a new destination starts without the
    // records older than fleet.backlog_days and records no gap for them.
    for (destination, list) in &announced {
        let Some(&last) = received.get(destination).and_then(|s| s.keys().next_back()) else {
            continue;
        };
        let Some(newest) = list.iter().map(|a| a.at_ms).max() else {
            continue;
        };
        let Some(a) = list
            .iter()
            .filter(|a| a.at_ms < newest.saturating_sub(SAME_SEND_MS))
            .max_by_key(|a| (a.head, std::cmp::Reverse(a.at_ms)))
        else {
            continue;
        };
        if a.head <= last {
            continue;
        }
        let covered = covered_for(&covers, *destination);
        for (from, through) in uncovered(last + 1, a.head, &covered) {
            findings.push(Finding {
                kind: FindingKind::NotReceived,
                seq: Some(from),
                message: format!(
                    "records up to #{} were announced by the {} of {} but not received: {} never arrived{}, and no fleet_gap or audit_pruned record accounts for them",
                    a.head,
                    a.what,
                    crate::timefmt::rfc3339(a.at_ms),
                    span(from, through),
                    at_receiver(*destination)
                ),
                place: Some(a.place.clone()),
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
        // The sender reads the head, then the count: records written in
        // between (before the checkpoint's time) may be counted too.
        if let Some(expected) = implied_count(&entries, c.seq) {
            let later = entries
                .range((Bound::Excluded(c.seq), Bound::Unbounded))
                .filter(|(_, (e, _))| e.entry.at_ms <= c.at_ms)
                .map(|(&seq, _)| seq);
            let fits = std::iter::once(c.seq)
                .chain(later)
                .any(|seq| implied_count(&entries, seq) == Some(c.count));
            if !fits {
                findings.push(Finding {
                    kind: FindingKind::CheckpointMismatch,
                    seq: Some(c.seq),
                    message: format!(
                        "the checkpoint of {} counts {} records in the local log, but its chain to record #{} implies {expected}: records were removed or added outside the chain",
                        crate::timefmt::rfc3339(c.at_ms),
                        c.count,
                        c.seq
                    ),
                    place: Some(place.clone()),
                });
            }
        }
    }

    heartbeats.sort_by_key(|(h, _)| h.at_ms);
    for (h, place) in &heartbeats {
        if let Some((e, _)) = entries.get(&h.head_seq) {
            if audit::unhex(&h.head_hash) != Some(e.hash) {
                findings.push(Finding {
                    kind: FindingKind::HeartbeatMismatch,
                    seq: Some(h.head_seq),
                    message: format!(
                        "the heartbeat of {} names record #{} with another hash than the record received",
                        crate::timefmt::rfc3339(h.at_ms),
                        h.head_seq
                    ),
                    place: Some(place.clone()),
                });
            }
        }
    }
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

/// A range the host said it gave up (`fleet_gap`, for the receiver it
/// names) or pruned (`audit_pruned`, destination None: gone for every
/// receiver).
struct Cover {
    from: i64,
    through: i64,
    destination: Option<DestinationKind>,
}

fn covered_ranges<'a>(entries: impl Iterator<Item = &'a Entry>) -> Vec<Cover> {
    let mut out = Vec::new();
    for e in entries {
        if e.entry.kind == RecordKind::FleetGap.as_str() {
            if let Ok(g) = serde_json::from_str::<GapDetails>(&e.entry.details) {
                out.push(Cover {
                    from: g.from_seq,
                    through: g.through_seq,
                    destination: Some(g.destination),
                });
            }
        } else if e.entry.kind == RecordKind::AuditPruned.as_str() {
            if let Ok(p) = serde_json::from_str::<PruneDetails>(&e.entry.details) {
                out.push(Cover {
                    from: 1,
                    through: p.through_seq,
                    destination: None,
                });
            }
        }
    }
    out
}

/// The ranges that account for what `destination` did not take: pruned
/// ones, and the gaps given up for that receiver. When the receiver is not
/// known, any receiver's gap counts (the verifier's behaviour before it
/// told them apart: it cannot say whose gap it is).
fn covered_for(covers: &[Cover], destination: Option<DestinationKind>) -> Vec<(i64, i64)> {
    covers
        .iter()
        .filter(|c| match (c.destination, destination) {
            (None, _) | (Some(_), None) => true,
            (Some(gave_up), Some(d)) => gave_up == d,
        })
        .map(|c| (c.from, c.through))
        .collect()
}

/// How many entries the host's local log held with its head at `head`, as
/// the chain received implies: pruning removes #1 to its `through_seq` and
/// records that it did; nothing else removes entries (a `fleet_gap` only
/// stops sending). So the count is `head` less the latest pruning's
/// `through_seq` at or before it. None when that cannot be known: some
/// entry after the latest `audit_pruned` record (or from #1, without one)
/// through `head` was not received, and a pruning may be among them.
fn implied_count(entries: &BTreeMap<i64, (Entry, Place)>, head: i64) -> Option<u64> {
    let mut base = (0, 0);
    for (&seq, (e, _)) in entries.range(..=head).rev() {
        if e.entry.kind == RecordKind::AuditPruned.as_str() {
            let p = serde_json::from_str::<PruneDetails>(&e.entry.details).ok()?;
            base = (seq, p.through_seq);
            break;
        }
    }
    let (pruning_seq, pruned_through) = base;
    if head < pruning_seq {
        return None; // a head below #1
    }
    let held = if head == pruning_seq {
        0
    } else {
        entries.range(pruning_seq + 1..=head).count() as i64
    };
    (held == head - pruning_seq).then(|| head.saturating_sub(pruned_through).max(0) as u64)
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
    use crate::fleet::DestinationKind;

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
            destination: None,
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
                count: l[seq].seq as u64,
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
        let r = kinds(vec![
            heartbeat(0, &stop),
            Observed::Audit(stop.clone()),
            heartbeat(7_200_000, &stop),
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

    /// One line as a collector's file exporter stores it.
    fn otlp_line(m: Message<'_>) -> String {
        let (at_ms, body, attributes) = match m {
            Message::Audit(e) => (
                e.entry.at_ms,
                e.entry.details.clone(),
                serde_json::json!([
                    {"key": "veil.audit.seq", "value": {"intValue": e.seq.to_string()}},
                    {"key": "veil.audit.prev_hash", "value": {"stringValue": audit::hex(&e.prev_hash)}},
                    {"key": "veil.audit.hash", "value": {"stringValue": audit::hex(&e.hash)}},
                    {"key": "veil.audit.kind", "value": {"stringValue": e.entry.kind}},
                    {"key": "veil.audit.actor", "value": {"stringValue": e.entry.actor}},
                    {"key": "user.name", "value": {"stringValue": e.entry.user}}
                ]),
            ),
            Message::Heartbeat(h) => (
                h.at_ms,
                serde_json::to_string(h).unwrap(),
                serde_json::json!([]),
            ),
            Message::Checkpoint(c) => (
                c.at_ms,
                serde_json::to_string(c).unwrap(),
                serde_json::json!([]),
            ),
        };
        serde_json::json!({"resourceLogs": [{
            "resource": {"attributes": [
                {"key": "service.name", "value": {"stringValue": "veil"}},
                {"key": "host.id", "value": {"stringValue": "h1"}}
            ]},
            "scopeLogs": [{"scope": {"name": "veil"}, "logRecords": [{
                "timeUnixNano": (at_ms * 1_000_000).to_string(),
                "eventName": wire::event_name(m),
                "body": {"stringValue": body},
                "attributes": attributes
            }]}]
        }]})
        .to_string()
    }

    /// One line as rsyslog's omfile stores it with the README's template.
    fn syslog_line(m: Message<'_>) -> String {
        let frame = String::from_utf8(syslog_frame(&origin(), m)).unwrap();
        let msg = frame.split_once(' ').unwrap().1;
        let sd_start = msg.find('[').unwrap();
        let sd_end = msg.find("] ").unwrap() + 1;
        serde_json::json!({
            "hostname": "seat",
            "appname": "veil",
            "structured_data": &msg[sd_start..sd_end],
            "msg": &msg[sd_end + 1..],
        })
        .to_string()
    }

    /// The findings for stored lines, each read as `veil fleet verify` does.
    fn stored_kinds(lines: &[String]) -> Vec<FindingKind> {
        let place = Place {
            file: "f".into(),
            line: 1,
        };
        let sightings = lines
            .iter()
            .flat_map(|l| parse_line(l, &place).unwrap())
            .collect();
        verify(sightings, Options::default())[0]
            .findings
            .iter()
            .map(|f| f.kind)
            .collect()
    }

    fn gap_record(after: &Entry, destination: DestinationKind, from: i64, through: i64) -> Entry {
        audit::chain(
            Anchor {
                seq: after.seq,
                hash: after.hash,
            },
            NewEntry {
                at_ms: after.entry.at_ms + 1000,
                kind: "fleet_gap".into(),
                actor: "veil".into(),
                user: "alice".into(),
                details: serde_json::to_string(&GapDetails {
                    destination,
                    endpoint: "x".into(),
                    from_seq: from,
                    through_seq: through,
                    count: (through - from + 1) as u64,
                    backlog_days: 30,
                })
                .unwrap(),
            },
        )
    }

    #[test]
    fn a_fleet_gap_accounts_only_for_the_receiver_it_names() {
        use DestinationKind::{Otlp, Syslog};
        let l = log(6);
        // #7: records #2 to #4 given up, for one receiver.
        let gave_up = |d| gap_record(&l[5], d, 2, 4);
        let o = |e: &Entry| otlp_line(Message::Audit(e));
        let s = |e: &Entry| syslog_line(Message::Audit(e));
        let some = |f: &dyn Fn(&Entry) -> String, idx: &[usize], gap: Option<Entry>| {
            let mut v: Vec<String> = idx.iter().map(|&i| f(&l[i])).collect();
            v.extend(gap.iter().map(f));
            v
        };
        // Each receiver gave the same records up: #7 for OTLP, #8 for syslog,
        // both sent to both.
        let both_gave_up = {
            let g7 = gave_up(Otlp);
            let g8 = gap_record(&g7, Syslog, 2, 4);
            let mut v = some(&o, &[0, 4, 5], Some(g7.clone()));
            v.push(o(&g8));
            v.extend(some(&s, &[0, 4, 5], Some(g7)));
            v.push(s(&g8));
            v
        };
        let gap_only_otlp = {
            let mut v = some(&o, &[0, 4, 5], Some(gave_up(Otlp)));
            v.extend(some(&s, &[0, 4, 5], Some(gave_up(Otlp))));
            v
        };
        let syslog_has_them = {
            let mut v = some(&o, &[0, 4, 5], Some(gave_up(Otlp)));
            v.extend(some(&s, &[0, 1, 2, 3, 4, 5], Some(gave_up(Otlp))));
            v
        };
        let syslog_lost_them = {
            let mut v = some(&o, &[0, 1, 2, 3, 4, 5], None);
            v.extend(some(&s, &[0, 4, 5], None));
            v
        };
        let table: Vec<(&str, Vec<String>, Vec<FindingKind>)> = vec![
            (
                "OTLP file, its own gap",
                some(&o, &[0, 4, 5], Some(gave_up(Otlp))),
                vec![],
            ),
            (
                "OTLP file, the syslog receiver's gap",
                some(&o, &[0, 4, 5], Some(gave_up(Syslog))),
                vec![FindingKind::Gap],
            ),
            (
                "syslog file, its own gap",
                some(&s, &[0, 4, 5], Some(gave_up(Syslog))),
                vec![],
            ),
            (
                "syslog file, the OTLP receiver's gap",
                some(&s, &[0, 4, 5], Some(gave_up(Otlp))),
                vec![FindingKind::Gap],
            ),
            ("both files, each its own gap", both_gave_up, vec![]),
            (
                "both files missing them, only OTLP gave them up",
                gap_only_otlp,
                vec![FindingKind::Gap],
            ),
            (
                "OTLP gave them up, syslog took them",
                syslog_has_them,
                vec![],
            ),
            (
                "syslog lost what OTLP took",
                syslog_lost_them,
                vec![FindingKind::Gap],
            ),
        ];
        for (name, lines, want) in table {
            assert_eq!(stored_kinds(&lines), want, "{name}");
        }
        // Sightings whose receiver is not known: any gap counts, as before.
        let unknown = vec![
            Observed::Audit(l[0].clone()),
            Observed::Audit(l[4].clone()),
            Observed::Audit(l[5].clone()),
            Observed::Audit(gave_up(Syslog)),
        ];
        assert_eq!(kinds(unknown), vec![]);
    }

    #[test]
    fn records_announced_but_not_received_are_named() {
        use DestinationKind::Otlp;
        let l = log(6);
        let o = |i: usize| otlp_line(Message::Audit(&l[i]));
        let s = |i: usize| syslog_line(Message::Audit(&l[i]));
        let hb = |at: i64, head: usize| match heartbeat(at, &l[head]) {
            Observed::Heartbeat(h) => h,
            _ => unreachable!(),
        };
        let cp = |at: i64, head: usize| Checkpoint {
            at_ms: at,
            seq: l[head].seq,
            hash: l[head].hash,
            count: l[head].seq as u64,
        };
        let ohb = |at, head| otlp_line(Message::Heartbeat(&hb(at, head)));
        let shb = |at, head| syslog_line(Message::Heartbeat(&hb(at, head)));
        let ocp = |at, head| otlp_line(Message::Checkpoint(&cp(at, head)));
        const T: i64 = 1_100_000;
        let table: Vec<(&str, Vec<String>, Vec<FindingKind>)> = vec![
            (
                "every head arrived",
                vec![o(0), o(1), o(2), ohb(T, 2), ohb(T + 60_000, 2)],
                vec![],
            ),
            (
                "the newest send's records may be in flight",
                vec![o(0), o(1), ohb(T, 3)],
                vec![],
            ),
            (
                "the newest send: its checkpoint and heartbeat",
                vec![o(0), o(1), ocp(T, 3), ohb(T + 1, 3)],
                vec![],
            ),
            (
                "announced, then another send, never received",
                vec![o(0), o(1), ohb(T, 3), ohb(T + 60_000, 3)],
                vec![FindingKind::NotReceived],
            ),
            (
                "a checkpoint's head never received",
                vec![o(0), o(1), ocp(T, 3), ohb(T + 60_000, 1)],
                vec![FindingKind::Regression, FindingKind::NotReceived],
            ),
            (
                "given up for that receiver",
                vec![
                    o(0),
                    o(1),
                    ohb(T, 3),
                    ohb(T + 60_000, 3),
                    syslog_line(Message::Audit(&gap_record(&l[5], Otlp, 3, 4))),
                ],
                vec![],
            ),
            (
                "given up for the other receiver",
                vec![
                    o(0),
                    o(1),
                    ohb(T, 3),
                    ohb(T + 60_000, 3),
                    syslog_line(Message::Audit(&gap_record(
                        &l[5],
                        DestinationKind::Syslog,
                        3,
                        4,
                    ))),
                ],
                vec![FindingKind::NotReceived],
            ),
            (
                "the syslog receiver is behind the OTLP one",
                vec![
                    o(0),
                    o(1),
                    o(2),
                    o(3),
                    ohb(T, 3),
                    ohb(T + 60_000, 3),
                    s(0),
                    s(1),
                    shb(T, 3),
                    shb(T + 60_000, 3),
                ],
                vec![FindingKind::NotReceived],
            ),
            (
                "a receiver that took no record is not held to heads",
                vec![ohb(T, 3), ohb(T + 60_000, 3)],
                vec![],
            ),
        ];
        for (name, lines, want) in table {
            assert_eq!(stored_kinds(&lines), want, "{name}");
        }
        let r = verify(
            [o(0), o(1), ohb(T, 3), ohb(T + 60_000, 3)]
                .iter()
                .flat_map(|line| {
                    parse_line(
                        line,
                        &Place {
                            file: "f".into(),
                            line: 1,
                        },
                    )
                    .unwrap()
                })
                .collect(),
            Options::default(),
        );
        assert_eq!(
            r[0].findings[0].message,
            "records up to #4 were announced by the heartbeat of 1970-01-01T00:18:20.000Z but not received: records #3 to #4 never arrived at the otlp receiver, and no fleet_gap or audit_pruned record accounts for them"
        );
    }

    /// A log of `kinds` (`audit_pruned:N` prunes through #N), chained.
    fn log_of(kinds: &[&str]) -> Vec<Entry> {
        let mut anchor = Anchor::START;
        kinds
            .iter()
            .enumerate()
            .map(|(i, k)| {
                let (kind, details) = match k.split_once(':') {
                    Some((kind, through)) => (
                        kind.to_string(),
                        serde_json::to_string(&PruneDetails {
                            removed: through.parse().unwrap(),
                            through_seq: through.parse().unwrap(),
                            through_hash: "00".into(),
                            retain_days: 1,
                        })
                        .unwrap(),
                    ),
                    None => (k.to_string(), format!("{{\"n\":{i}}}")),
                };
                let e = audit::chain(
                    anchor,
                    NewEntry {
                        at_ms: 1_000_000 + i as i64 * 1000,
                        kind,
                        actor: "veil".into(),
                        user: "alice".into(),
                        details,
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

    #[test]
    fn checkpoint_counts_and_heartbeat_heads_are_held_to_the_chain() {
        let l = log(4);
        // #5 says #1 and #2 were pruned: the log holds #3 to #5.
        let p = log_of(&["a", "a", "a", "a", "audit_pruned:2"]);
        let a = |e: &Entry| Observed::Audit(e.clone());
        let cp = |at_ms: i64, e: &Entry, count: u64| {
            Observed::Checkpoint(Checkpoint {
                at_ms,
                seq: e.seq,
                hash: e.hash,
                count,
            })
        };
        let hb_hash = |e: &Entry, hash: &audit::Hash| match heartbeat(1_100_000, e) {
            Observed::Heartbeat(mut h) => {
                h.head_hash = audit::hex(hash);
                Observed::Heartbeat(h)
            }
            _ => unreachable!(),
        };
        let table: Vec<(&str, Vec<Observed>, Vec<FindingKind>)> = vec![
            (
                "count fits",
                vec![a(&l[0]), a(&l[1]), cp(1_010_000, &l[1], 2)],
                vec![],
            ),
            (
                "count too high",
                vec![a(&l[0]), a(&l[1]), cp(1_010_000, &l[1], 5)],
                vec![FindingKind::CheckpointMismatch],
            ),
            (
                "count too low: rows removed",
                vec![a(&l[0]), a(&l[1]), a(&l[2]), cp(1_010_000, &l[2], 2)],
                vec![FindingKind::CheckpointMismatch],
            ),
            (
                "a record written between the head and the count",
                vec![a(&l[0]), a(&l[1]), a(&l[2]), cp(1_010_000, &l[1], 3)],
                vec![],
            ),
            (
                "a record written after the checkpoint is not counted",
                vec![a(&l[0]), a(&l[1]), a(&l[2]), cp(1_001_500, &l[1], 3)],
                vec![FindingKind::CheckpointMismatch],
            ),
            (
                "a record missing: the count cannot be told",
                vec![a(&l[0]), a(&l[2]), cp(1_010_000, &l[2], 1)],
                vec![FindingKind::Gap],
            ),
            (
                "after pruning, everything received",
                (0..5)
                    .map(|i| a(&p[i]))
                    .chain([cp(1_010_000, &p[4], 3)])
                    .collect(),
                vec![],
            ),
            (
                "after pruning, from the pruning record on",
                vec![a(&p[4]), cp(1_010_000, &p[4], 3)],
                vec![],
            ),
            (
                "after pruning, a count that ignores it",
                vec![a(&p[4]), cp(1_010_000, &p[4], 5)],
                vec![FindingKind::CheckpointMismatch],
            ),
            (
                "heartbeat head matches",
                vec![a(&l[0]), a(&l[1]), hb_hash(&l[1], &l[1].hash)],
                vec![],
            ),
            (
                "heartbeat head with another hash",
                vec![a(&l[0]), a(&l[1]), hb_hash(&l[1], &l[0].hash)],
                vec![FindingKind::HeartbeatMismatch],
            ),
            (
                "heartbeat head not received: nothing to compare",
                vec![a(&l[0]), hb_hash(&l[1], &l[0].hash)],
                vec![],
            ),
        ];
        for (name, observed, want) in table {
            assert_eq!(kinds(observed), want, "{name}");
        }
    }
}
