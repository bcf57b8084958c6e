//! Fleet reporting: every audit entry, a heartbeat and a checkpoint to the
//! organization's receivers (`fleet.*` policy). One thread a destination,
//! each with its own connection to the store, which is the queue: a
//! destination's cursor moves only when the receiver took the batch, so a
//! crash or `kill -9` resends at most the batch in flight and loses nothing
//! that was acknowledged. What to send and when is decided in
//! `veil_core::fleet`; the bytes move in `veil_os::fleet`.

use std::path::PathBuf;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use veil_core::audit::{Anchor, Entry, NewEntry, RecordKind};
use veil_core::fleet::retry::{self, Backoff, Outcome};
use veil_core::fleet::wire::{self, Checkpoint, Heartbeat, Message, Origin};
use veil_core::fleet::{
    endpoint, identity, DestinationKind, DestinationState, DestinationStatus, FleetConfig,
    FleetStatus, GapDetails,
};
use veil_core::state::Event;
use veil_os::fleet::otlp_http::OtlpClient;
use veil_os::fleet::syslog_tls::SyslogClient;
use veil_os::fleet::tls::TlsFiles;
use veil_os::fleet::TransportError;
use veil_os::machine;
use veil_os::secrets::DbKey;
use veil_store::{Access, Cursor, CursorCheck, Store};

use crate::actor::ActorHandle;
use crate::audit_log::now_ms;

/// Entries a batch: big enough to drain a backlog quickly, small enough
/// that a resend after a crash is cheap.
const BATCH: usize = 500;
const DAY_MS: i64 = 86_400_000;

/// What the workers read: the policy, the store, and a count of records
/// written (to wake them).
struct Inputs {
    config: FleetConfig,
    store: Option<(PathBuf, DbKey)>,
    /// Bumped when the store is opened again (a new file, a new key).
    store_generation: u64,
    config_generation: u64,
    records: u64,
    stopping: bool,
}

struct Shared {
    inputs: Mutex<Inputs>,
    changed: Condvar,
    status: Mutex<FleetStatus>,
    /// Each serving destination's progress, for the drain at exit.
    progress: Mutex<std::collections::BTreeMap<DestinationKind, Progress>>,
    /// Signalled when a destination made progress.
    delivered: Condvar,
}

/// How far a destination has looked and sent.
#[derive(Debug, Clone, Copy)]
struct Progress {
    /// The count of record writes it had seen when it last looked.
    records_seen: u64,
    queued: u64,
    connected: bool,
}

/// The handle the actor and the app hold.
#[derive(Clone)]
pub struct Fleet {
    shared: Arc<Shared>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A worker that panicked leaves the data as it was; keep going.
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl Fleet {
    pub fn new(config: FleetConfig) -> Fleet {
        Fleet {
            shared: Arc::new(Shared {
                inputs: Mutex::new(Inputs {
                    config,
                    store: None,
                    store_generation: 0,
                    config_generation: 0,
                    records: 0,
                    stopping: false,
                }),
                changed: Condvar::new(),
                status: Mutex::new(FleetStatus::default()),
                progress: Mutex::new(Default::default()),
                delivered: Condvar::new(),
            }),
        }
    }

    /// Starts one worker a destination kind; they idle while policy names
    /// no receiver of their kind.
    pub fn start(&self, actor: ActorHandle, os_user: String) {
        let origin_parts = OriginParts::discover(os_user);
        let status = {
            let mut st = lock(&self.shared.status);
            st.host_id = Some(origin_parts.host_id.clone());
            st.clone()
        };
        actor.post_blocking(Event::Fleet {
            status,
            at: veil_core::clock::Millis(now_ms()),
        });
        for kind in [DestinationKind::Otlp, DestinationKind::Syslog] {
            let worker = Worker {
                kind,
                shared: self.shared.clone(),
                actor: actor.clone(),
                origin_parts: origin_parts.clone(),
            };
            let spawned = std::thread::Builder::new()
                .name(format!("veil-fleet-{}", kind.as_str()))
                .spawn(move || worker.run());
            if let Err(e) = spawned {
                tracing::error!("the {} sender could not start: {e}", kind.as_str());
            }
        }
        // The policy's receivers, as they change.
        let fleet = self.clone();
        actor.follow(
            actor.snapshot().in_force.fleet.clone(),
            |a| a.snapshot().in_force.fleet.clone(),
            move |config| {
                fleet.configure(config);
                Ok(())
            },
        );
    }

    fn configure(&self, config: FleetConfig) {
        let mut i = lock(&self.shared.inputs);
        if i.config != config {
            i.config = config;
            i.config_generation += 1;
            self.shared.changed.notify_all();
        }
    }

    /// The store opened (or closed: None).
    pub fn set_store(&self, access: Option<(PathBuf, DbKey)>) {
        let mut i = lock(&self.shared.inputs);
        let same = match (&i.store, &access) {
            (Some((a, ka)), Some((b, kb))) => a == b && ka.bytes() == kb.bytes(),
            (None, None) => true,
            _ => false,
        };
        if !same {
            i.store = access;
            i.store_generation += 1;
            self.shared.changed.notify_all();
        }
    }

    /// Records were written: send them.
    pub fn records_written(&self) {
        let mut i = lock(&self.shared.inputs);
        i.records += 1;
        self.shared.changed.notify_all();
    }

    /// At exit: waits (up to `limit`) until every destination that is
    /// reachable has taken what is queued, so the last records of a run
    /// (`veil_stopped`) leave the machine too.
    pub fn drain(&self, limit: Duration) {
        let target = {
            let mut i = lock(&self.shared.inputs);
            i.records += 1;
            self.shared.changed.notify_all();
            i.records
        };
        let deadline = Instant::now() + limit;
        let mut progress = lock(&self.shared.progress);
        loop {
            // Done when every reachable destination has looked since the
            // last record and has nothing left.
            let busy = progress
                .values()
                .any(|p| p.connected && (p.records_seen < target || p.queued > 0));
            let now = Instant::now();
            if !busy || now >= deadline {
                break;
            }
            progress = match self.shared.delivered.wait_timeout(progress, deadline - now) {
                Ok((g, _)) => g,
                Err(p) => p.into_inner().0,
            };
        }
        drop(progress);
        let mut i = lock(&self.shared.inputs);
        i.stopping = true;
        self.shared.changed.notify_all();
    }
}

/// Who is sending, less what the store holds (the install id).
#[derive(Clone)]
struct OriginParts {
    host_id: String,
    host_name: String,
    os_user: String,
}

impl OriginParts {
    fn discover(os_user: String) -> OriginParts {
        let host_id = match machine::machine_id() {
            Ok(id) => identity::host_id(&id),
            Err(e) => {
                // Still one stable id per machine where the host name is.
                tracing::warn!(
                    "no machine id ({e}); the fleet host id is derived from the host name"
                );
                identity::host_id(&format!("hostname:{}", machine::host_name()))
            }
        };
        OriginParts {
            host_id,
            host_name: machine::host_name(),
            os_user,
        }
    }

    fn origin(
        &self,
        install_id: &str,
        labels: &std::collections::BTreeMap<String, String>,
    ) -> Origin {
        Origin {
            host_id: self.host_id.clone(),
            install_id: install_id.into(),
            host_name: self.host_name.clone(),
            os_type: os_type().into(),
            os_user: self.os_user.clone(),
            version: veil_core::VERSION.into(),
            pid: std::process::id(),
            labels: labels.clone(),
        }
    }
}

fn os_type() -> &'static str {
    if cfg!(windows) {
        "windows"
    } else if cfg!(target_os = "macos") {
        "darwin"
    } else {
        "linux"
    }
}

/// A receiver's client, as the policy describes it.
enum Client {
    Otlp(OtlpClient),
    Syslog(SyslogClient),
}

impl Client {
    fn build(kind: DestinationKind, c: &FleetConfig) -> Result<Option<Client>, String> {
        let files = TlsFiles {
            ca_file: c.ca_file.clone(),
            client_cert_file: c.client_cert_file.clone(),
            client_key_file: c.client_key_file.clone(),
        };
        match kind {
            DestinationKind::Otlp if !c.otlp_endpoint.is_empty() => {
                let ep = endpoint::parse_url(&c.otlp_endpoint).map_err(|e| e.to_string())?;
                OtlpClient::new(ep, &c.otlp_headers, &files, veil_core::VERSION)
                    .map(|c| Some(Client::Otlp(c)))
                    .map_err(|e| e.to_string())
            }
            DestinationKind::Syslog if !c.syslog_endpoint.is_empty() => {
                let (host, port) = endpoint::split_host_port(&c.syslog_endpoint, 6514)
                    .map_err(|e| e.to_string())?;
                SyslogClient::new(&host, port, &files)
                    .map(|c| Some(Client::Syslog(c)))
                    .map_err(|e| e.to_string())
            }
            _ => Ok(None),
        }
    }

    fn endpoint_shown(kind: DestinationKind, c: &FleetConfig) -> String {
        match kind {
            DestinationKind::Otlp => endpoint::parse_url(&c.otlp_endpoint)
                .map(|e| e.display())
                .unwrap_or_else(|_| c.otlp_endpoint.clone()),
            DestinationKind::Syslog => c.syslog_endpoint.clone(),
        }
    }

    fn send(&mut self, origin: &Origin, messages: &[Message<'_>]) -> Outcome {
        match self {
            Client::Otlp(c) => {
                let body = wire::otlp_request(origin, messages, now_ms());
                match c.post(&body) {
                    Ok(r) => retry::of_otlp_response(r.status, r.retry_after, &r.body),
                    Err(e) => transport_outcome(e),
                }
            }
            Client::Syslog(c) => {
                let mut frames = Vec::new();
                for m in messages {
                    frames.extend(wire::syslog_frame(origin, *m));
                }
                match c.send(&frames) {
                    Ok(()) => Outcome::Delivered,
                    Err(e) => transport_outcome(e),
                }
            }
        }
    }
}

fn transport_outcome(e: TransportError) -> Outcome {
    if e.is_configuration() {
        Outcome::Park { why: e.to_string() }
    } else {
        Outcome::Retry {
            after: None,
            why: e.to_string(),
        }
    }
}

struct Worker {
    kind: DestinationKind,
    shared: Arc<Shared>,
    actor: ActorHandle,
    origin_parts: OriginParts,
}

/// What a worker knows between sends.
struct Session {
    config: FleetConfig,
    config_generation: u64,
    store_generation: u64,
    store: Store,
    destination: String,
    client: Client,
    origin: Origin,
    backoff: Backoff,
    next_heartbeat: Instant,
    next_checkpoint: Instant,
    /// Not before this (a backoff wait, a parked batch).
    hold_until: Option<Instant>,
    parked: bool,
    was_connected: bool,
}

enum Wake {
    /// Policy or the store changed: start over.
    Reconfigure,
    Stop,
    /// Time to look again.
    Go,
}

impl Worker {
    fn run(self) {
        loop {
            let generations = self.generations();
            match self.session() {
                Ok(Some(mut s)) => match self.serve(&mut s) {
                    Wake::Stop => return,
                    _ => continue,
                },
                Ok(None) => {
                    if matches!(self.wait(generations, None, None), Wake::Stop) {
                        return;
                    }
                }
                Err((shown, why)) => {
                    tracing::warn!("fleet {}: {why}", self.kind.as_str());
                    self.set_status(Some(DestinationStatus {
                        kind: self.kind,
                        endpoint: shown,
                        state: DestinationState::Parked,
                        queued: 0,
                        last_delivered_at: None,
                        last_error: Some(why),
                        failing_since: Some(now_ms()),
                    }));
                    if matches!(self.wait(generations, None, None), Wake::Stop) {
                        return;
                    }
                }
            }
        }
    }

    fn generations(&self) -> (u64, u64) {
        let i = lock(&self.shared.inputs);
        (i.config_generation, i.store_generation)
    }

    /// Waits until records, policy or the store change, or `until`.
    /// `seen_records`: the count already handled (None: any change of
    /// policy or store only).
    fn wait(
        &self,
        (config_gen, store_gen): (u64, u64),
        until: Option<Instant>,
        seen_records: Option<u64>,
    ) -> Wake {
        let mut i = lock(&self.shared.inputs);
        loop {
            if i.stopping {
                return Wake::Stop;
            }
            if i.config_generation != config_gen || i.store_generation != store_gen {
                return Wake::Reconfigure;
            }
            if seen_records.is_some_and(|r| r != i.records) {
                return Wake::Go;
            }
            let now = Instant::now();
            let timeout = match until {
                Some(t) if t <= now => return Wake::Go,
                Some(t) => t - now,
                // Nothing to wait for but a change: look again now and then.
                None => Duration::from_secs(3600),
            };
            i = match self.shared.changed.wait_timeout(i, timeout) {
                Ok((g, _)) => g,
                Err(p) => p.into_inner().0,
            };
        }
    }

    /// Opens what a destination needs; None when policy names none of
    /// this kind or the store is not open; Err(endpoint, why) when the
    /// policy's files or address cannot be used.
    fn session(&self) -> Result<Option<Session>, (String, String)> {
        let (config, store_info, config_generation, store_generation) = {
            let i = lock(&self.shared.inputs);
            (
                i.config.clone(),
                i.store.clone(),
                i.config_generation,
                i.store_generation,
            )
        };
        let shown = Client::endpoint_shown(self.kind, &config);
        let client = match Client::build(self.kind, &config) {
            Ok(Some(c)) => c,
            Ok(None) => {
                self.set_status(None);
                return Ok(None);
            }
            Err(why) => return Err((shown, why)),
        };
        let Some((path, key)) = store_info else {
            self.set_status(Some(DestinationStatus {
                kind: self.kind,
                endpoint: shown,
                state: DestinationState::Off,
                queued: 0,
                last_delivered_at: None,
                last_error: Some("the audit log is not open".into()),
                failing_since: None,
            }));
            return Ok(None);
        };
        let mut store = Store::open(&path, &key, Access::ReadWrite)
            .map_err(|e| (shown.clone(), format!("the audit log cannot be read: {e}")))?;
        let install_id = store
            .install_id(|| machine::random_hex(16))
            .map_err(|e| (shown.clone(), e.to_string()))?;
        let origin = self.origin_parts.origin(&install_id, &config.labels);
        let destination = format!("{} {}", self.kind.as_str(), shown);
        let now = Instant::now();
        Ok(Some(Session {
            config,
            config_generation,
            store_generation,
            store,
            destination,
            client,
            origin,
            backoff: Backoff::default(),
            next_heartbeat: now,
            next_checkpoint: now,
            hold_until: None,
            parked: false,
            was_connected: false,
        }))
    }

    /// Where this destination stands, made ready to send from: a new
    /// destination starts with what is within the backlog; a log that no
    /// longer holds what was acknowledged is sent again from its start.
    fn cursor(&self, s: &mut Session) -> Result<Cursor, String> {
        let cutoff = now_ms() - s.config.backlog_days.saturating_mul(DAY_MS);
        let at = |a: Anchor| Cursor {
            seq: a.seq,
            hash: a.hash,
            delivered_at_ms: 0,
        };
        let start = |store: &Store| -> Result<Cursor, String> {
            let first = store.first_seq().map_err(|e| e.to_string())?;
            let before = Anchor {
                seq: first - 1,
                hash: veil_core::audit::GENESIS,
            };
            let skip = store
                .older_than_after(before.seq, cutoff)
                .map_err(|e| e.to_string())?;
            Ok(at(skip.map(|(a, _)| a).unwrap_or(before)))
        };
        let cursor = match s
            .store
            .fleet_cursor(&s.destination)
            .map_err(|e| e.to_string())?
        {
            None => {
                let c = start(&s.store)?;
                s.store
                    .set_fleet_cursor(&s.destination, c)
                    .map_err(|e| e.to_string())?;
                c
            }
            Some(c) => match s.store.check_cursor(&c).map_err(|e| e.to_string())? {
                CursorCheck::Fits => c,
                CursorCheck::Diverged => {
                    tracing::warn!(
                        "fleet {}: the audit log no longer holds record #{} as it was sent; sending it again from its start",
                        self.kind.as_str(),
                        c.seq
                    );
                    let c = start(&s.store)?;
                    s.store
                        .set_fleet_cursor(&s.destination, c)
                        .map_err(|e| e.to_string())?;
                    c
                }
            },
        };
        // The backlog is bounded: what this receiver has not taken within
        // fleet.backlog_days is given up, oldest first, and said so.
        if let Some((through, count)) = s
            .store
            .older_than_after(cursor.seq, cutoff)
            .map_err(|e| e.to_string())?
        {
            let details = GapDetails {
                destination: self.kind,
                endpoint: Client::endpoint_shown(self.kind, &s.config),
                from_seq: cursor.seq + 1,
                through_seq: through.seq,
                count,
                backlog_days: s.config.backlog_days,
            };
            let gap = NewEntry {
                at_ms: now_ms(),
                kind: RecordKind::FleetGap.as_str().into(),
                actor: "veil".into(),
                user: s.origin.os_user.clone(),
                details: serde_json::to_string(&details).unwrap_or_default(),
            };
            tracing::warn!(
                "fleet {}: {count} records older than {} days were never taken by the receiver and are given up",
                self.kind.as_str(),
                s.config.backlog_days
            );
            s.store
                .record_gap(&s.destination, through, gap, now_ms())
                .map_err(|e| e.to_string())?;
            // The other destination sends the gap record too.
            let mut i = lock(&self.shared.inputs);
            i.records += 1;
            self.shared.changed.notify_all();
            drop(i);
            return Ok(at(through));
        }
        Ok(cursor)
    }

    fn heartbeat(&self, s: &Session) -> Heartbeat {
        let head = s.store.head().unwrap_or(Anchor::START);
        Heartbeat::from_status(
            &self.actor.snapshot().status,
            head,
            s.config.heartbeat.as_secs(),
            now_ms(),
        )
    }

    fn checkpoint(&self, s: &Session) -> Option<Checkpoint> {
        let head = s.store.head().ok()?;
        let count = s.store.audit_count().ok()?;
        Some(Checkpoint {
            at_ms: now_ms(),
            seq: head.seq,
            hash: head.hash,
            count,
        })
    }

    /// Sends until policy or the store change.
    fn serve(&self, s: &mut Session) -> Wake {
        let mut status = DestinationStatus {
            kind: self.kind,
            endpoint: Client::endpoint_shown(self.kind, &s.config),
            state: DestinationState::Off,
            queued: 0,
            last_delivered_at: None,
            last_error: None,
            failing_since: None,
        };
        let gens = (s.config_generation, s.store_generation);
        loop {
            let records_seen = lock(&self.shared.inputs).records;
            let cursor = match self.cursor(s) {
                Ok(c) => c,
                Err(why) => {
                    status.state = DestinationState::Retrying;
                    status.last_error = Some(format!("the audit log cannot be read: {why}"));
                    self.set_status(Some(status.clone()));
                    match self.wait(gens, Some(Instant::now() + s.config.retry_max), None) {
                        Wake::Go => continue,
                        other => return other,
                    }
                }
            };
            if status.last_delivered_at.is_none() && cursor.delivered_at_ms > 0 {
                status.last_delivered_at = Some(cursor.delivered_at_ms);
            }
            status.queued = s.store.count_after(cursor.seq).unwrap_or(0);
            self.set_status(Some(status.clone()));
            self.progress(records_seen, &status);

            let now = Instant::now();
            if let Some(hold) = s.hold_until {
                if now < hold {
                    match self.wait(gens, Some(hold), None) {
                        Wake::Go => continue,
                        other => return other,
                    }
                }
                s.hold_until = None;
            }
            let batch: Vec<Entry> = if s.parked {
                Vec::new()
            } else {
                s.store.entries_after(cursor.seq, BATCH).unwrap_or_default()
            };
            let heartbeat_due = now >= s.next_heartbeat;
            let checkpoint_due = now >= s.next_checkpoint;
            if batch.is_empty() && !heartbeat_due && !checkpoint_due {
                let until = s.next_heartbeat.min(s.next_checkpoint);
                match self.wait(gens, Some(until), Some(records_seen)) {
                    Wake::Go => continue,
                    other => return other,
                }
            }
            let heartbeat = heartbeat_due.then(|| self.heartbeat(s));
            let checkpoint = if checkpoint_due {
                self.checkpoint(s)
            } else {
                None
            };
            let mut messages: Vec<Message<'_>> = batch.iter().map(Message::Audit).collect();
            if let Some(c) = &checkpoint {
                messages.push(Message::Checkpoint(c));
            }
            if let Some(h) = &heartbeat {
                messages.push(Message::Heartbeat(h));
            }
            let outcome = s.client.send(&s.origin, &messages);
            let now = Instant::now();
            let rejected = match &outcome {
                Outcome::PartlyRejected { why } => {
                    tracing::warn!(
                        "fleet {}: {why} (records #{} to #{}); they are not sent again",
                        self.kind.as_str(),
                        batch.first().map_or(0, |e| e.seq),
                        batch.last().map_or(0, |e| e.seq)
                    );
                    Some(why.clone())
                }
                _ => None,
            };
            match outcome {
                Outcome::Delivered | Outcome::PartlyRejected { .. } => {
                    if let Some(last) = batch.last() {
                        let c = Cursor {
                            seq: last.seq,
                            hash: last.hash,
                            delivered_at_ms: now_ms(),
                        };
                        if let Err(e) = s.store.set_fleet_cursor(&s.destination, c) {
                            tracing::error!(
                                "fleet {}: the cursor was not saved: {e}",
                                self.kind.as_str()
                            );
                        }
                    }
                    if heartbeat.is_some() {
                        s.next_heartbeat = now + s.config.heartbeat.max(Duration::from_secs(1));
                    }
                    if checkpoint.is_some() {
                        s.next_checkpoint = now + wire::CHECKPOINT_EVERY;
                    }
                    s.backoff.reset();
                    s.was_connected = true;
                    if s.parked && batch.is_empty() {
                        // The receiver takes Veil's messages again (a
                        // heartbeat went through): try the held batch once
                        // more; it parks again if it is still refused.
                        s.parked = false;
                    } else if !s.parked {
                        status.state = DestinationState::Connected;
                        // The collector's word on what it dropped stays
                        // shown until a batch goes through whole.
                        status.last_error = rejected;
                        status.failing_since = None;
                    }
                    status.last_delivered_at = Some(now_ms());
                    status.queued = s
                        .store
                        .count_after(batch.last().map_or(cursor.seq, |e| e.seq))
                        .unwrap_or(0);
                    self.set_status(Some(status.clone()));
                    self.progress(records_seen, &status);
                }
                Outcome::Retry { after, why } => {
                    let cap = s.config.retry_max.max(Duration::from_secs(1));
                    // The first retry of an outage waits a random part of
                    // the cap, so seats that lost the receiver together do
                    // not come back together; then backoff with full jitter.
                    let wait = if s.was_connected && s.backoff.failures() == 0 {
                        s.backoff.next(cap, after, 0.0);
                        retry::reconnect_delay(cap, machine::random_unit())
                            .max(after.unwrap_or_default().min(cap))
                    } else {
                        s.backoff.next(cap, after, machine::random_unit())
                    };
                    tracing::info!(
                        "fleet {}: {why}; trying again in {} ms",
                        self.kind.as_str(),
                        wait.as_millis()
                    );
                    s.was_connected = false;
                    s.hold_until = Some(now + wait);
                    status.state = DestinationState::Retrying;
                    status.last_error = Some(why);
                    status.failing_since.get_or_insert(now_ms());
                    self.set_status(Some(status.clone()));
                    if let Client::Syslog(c) = &mut s.client {
                        c.disconnect();
                    }
                }
                Outcome::Park { why } => {
                    tracing::error!(
                        "fleet {}: {why}; the batch from record #{} is held until the policy or the receiver changes",
                        self.kind.as_str(),
                        cursor.seq + 1
                    );
                    s.parked = true;
                    status.state = DestinationState::Parked;
                    status.last_error = Some(why);
                    status.failing_since.get_or_insert(now_ms());
                    self.set_status(Some(status.clone()));
                    // Heartbeats still go, so IT sees the seat and the state.
                    s.next_heartbeat = now + s.config.heartbeat.max(Duration::from_secs(1));
                }
            }
        }
    }

    fn progress(&self, records_seen: u64, status: &DestinationStatus) {
        lock(&self.shared.progress).insert(
            self.kind,
            Progress {
                records_seen,
                queued: status.queued,
                connected: status.state == DestinationState::Connected,
            },
        );
        self.shared.delivered.notify_all();
    }

    /// Publishes this destination's state (None: not configured).
    fn set_status(&self, d: Option<DestinationStatus>) {
        if d.is_none() {
            lock(&self.shared.progress).remove(&self.kind);
            self.shared.delivered.notify_all();
        }
        let snapshot = {
            let mut st = lock(&self.shared.status);
            let before = st.clone();
            st.destinations.retain(|x| x.kind != self.kind);
            if let Some(d) = d {
                st.destinations.push(d);
            }
            st.destinations.sort_by_key(|d| d.kind);
            if *st == before {
                return;
            }
            st.clone()
        };
        self.actor.post_blocking(Event::Fleet {
            status: snapshot,
            at: veil_core::clock::Millis(now_ms()),
        });
    }
}
