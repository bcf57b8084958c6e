//! PulseAudio protocol backend. PulseAudio and PipeWire's pipewire-pulse
//! both serve it, so this covers current Linux desktops. libpulse's threaded
//! main loop runs the connection; callbacks only send on channels, and every
//! call into libpulse happens with the main loop locked and the context
//! checked ready (libpulse-binding panics on an operation against a dead
//! context).

use std::collections::BTreeMap;
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use libpulse_binding as pa;
use pa::callbacks::ListResult;
use pa::context::introspect::{ClientInfo, SourceOutputInfo};
use pa::context::subscribe::InterestMaskSet;
use pa::context::{Context, FlagSet, State};
use pa::mainloop::threaded::Mainloop;
use pa::proplist::{properties, Proplist};
use veil_core::mic::plan::Action;

use super::pulse_sources::SourceReader;
use super::{AudioBackend, AudioError, Devices, Notify, RecordingStream};

/// How long one request may take before the server counts as gone.
const REPLY_TIMEOUT: Duration = Duration::from_secs(3);

pub struct PulseBackend {
    // Both dropped before the main loop they run on.
    context: Context,
    /// The inputs and the default input come over their own connection
    /// (pulse_sources.rs says why).
    sources: SourceReader,
    mainloop: Mainloop,
}

impl PulseBackend {
    pub fn connect(notify: Notify) -> Result<Self, AudioError> {
        let unreachable = |why: &str| AudioError::Unreachable(why.to_string());
        let mut mainloop =
            Mainloop::new().ok_or_else(|| unreachable("cannot create a PulseAudio main loop"))?;
        let mut props =
            Proplist::new().ok_or_else(|| unreachable("cannot create a property list"))?;
        let _ = props.set_str(properties::APPLICATION_NAME, "Veil");
        let _ = props.set_str(properties::APPLICATION_ID, "com.veil.desktop");
        let mut context = Context::new_with_proplist(&mainloop, "Veil", &props)
            .ok_or_else(|| unreachable("cannot create a PulseAudio context"))?;

        let notify = std::sync::Arc::new(notify);
        let (state_tx, state_rx) = channel::<()>();
        {
            let notify = notify.clone();
            context.set_state_callback(Some(Box::new(move || {
                let _ = state_tx.send(());
                // The guard re-reads; a read on a dead context reports Lost.
                notify();
            })));
        }
        {
            let notify = notify.clone();
            context.set_subscribe_callback(Some(Box::new(move |facility, op, index| {
                tracing::trace!(?facility, ?op, index, "audio server event");
                notify();
            })));
        }
        context
            .connect(None, FlagSet::NOAUTOSPAWN, None)
            .map_err(|e| unreachable(&e.to_string().unwrap_or_else(|| "connect failed".into())))?;
        mainloop.start().map_err(|e| {
            unreachable(&e.to_string().unwrap_or_else(|| "main loop failed".into()))
        })?;

        let sources = match SourceReader::connect(&mut mainloop, REPLY_TIMEOUT) {
            Ok(s) => s,
            Err(e) => {
                mainloop.lock();
                context.disconnect();
                mainloop.unlock();
                mainloop.stop();
                return Err(e);
            }
        };
        let mut backend = PulseBackend {
            context,
            sources,
            mainloop,
        };
        backend.wait_ready(&state_rx)?;

        backend.mainloop.lock();
        let _ = backend.context.subscribe(
            InterestMaskSet::SOURCE | InterestMaskSet::SOURCE_OUTPUT | InterestMaskSet::SERVER,
            |_| {},
        );
        backend.mainloop.unlock();
        Ok(backend)
    }

    fn wait_ready(&mut self, state_rx: &Receiver<()>) -> Result<(), AudioError> {
        let deadline = Instant::now() + REPLY_TIMEOUT;
        loop {
            self.mainloop.lock();
            let state = self.context.get_state();
            let err = self.context.errno();
            self.mainloop.unlock();
            match state {
                State::Ready => return Ok(()),
                State::Failed | State::Terminated => {
                    return Err(AudioError::Unreachable(
                        err.to_string()
                            .unwrap_or_else(|| "connection refused".to_string()),
                    ))
                }
                _ => {}
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(AudioError::Unreachable(
                    "the audio server did not answer".into(),
                ));
            }
            let _ = state_rx.recv_timeout(left.min(Duration::from_millis(100)));
        }
    }

    /// Locks the main loop and runs `f` if the context is ready.
    fn with_ready<T>(
        &mut self,
        f: impl FnOnce(&mut Context, &SourceReader) -> T,
    ) -> Result<T, AudioError> {
        self.mainloop.lock();
        let result = if self.context.get_state() == State::Ready && self.sources.ready() {
            Ok(f(&mut self.context, &self.sources))
        } else {
            let why = self
                .context
                .errno()
                .to_string()
                .unwrap_or_else(|| "connection lost".into());
            Err(AudioError::Unreachable(why))
        };
        self.mainloop.unlock();
        result
    }

    fn lost(&mut self) -> AudioError {
        match self.with_ready(|_, _| ()) {
            Ok(()) => AudioError::Unreachable("the audio server stopped answering".into()),
            Err(e) => e,
        }
    }

    fn wait<T>(&mut self, rx: &Receiver<T>) -> Result<T, AudioError> {
        match rx.recv_timeout(REPLY_TIMEOUT) {
            Ok(v) => Ok(v),
            Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => Err(self.lost()),
        }
    }
}

impl Drop for PulseBackend {
    fn drop(&mut self) {
        self.mainloop.lock();
        self.sources.disconnect();
        self.context.disconnect();
        self.mainloop.unlock();
        self.mainloop.stop();
    }
}

type Listed<T> = Result<Vec<T>, ()>;

/// Gathers one list reply; sends it whole at its end.
struct Gather<T> {
    items: Vec<T>,
    tx: std::sync::mpsc::Sender<Listed<T>>,
}

impl<T> Gather<T> {
    fn take<I>(&mut self, r: ListResult<I>, convert: impl FnOnce(I) -> Option<T>) {
        match r {
            ListResult::Item(i) => self.items.extend(convert(i)),
            ListResult::End => {
                let _ = self.tx.send(Ok(std::mem::take(&mut self.items)));
            }
            ListResult::Error => {
                let _ = self.tx.send(Err(()));
            }
        }
    }
}

fn gather<T>(tx: std::sync::mpsc::Sender<Listed<T>>) -> Gather<T> {
    Gather {
        items: Vec::new(),
        tx,
    }
}

struct RawStream {
    index: u32,
    source: u32,
    client: u32,
    app: Option<String>,
    pid: Option<u32>,
    exe: Option<String>,
    user: Option<String>,
}

/// A client (one connection to the server) and the pid it claims, or the
/// pid PipeWire's server took from the socket (`pipewire.sec.pid`).
struct RawClient {
    index: u32,
    claimed: Option<u32>,
    server_says: Option<u32>,
}

fn client(info: &ClientInfo) -> Option<RawClient> {
    let get = |k: &str| info.proplist.get_str(k).and_then(|p| p.parse().ok());
    Some(RawClient {
        index: info.index,
        claimed: get(properties::APPLICATION_PROCESS_ID),
        server_says: get("pipewire.sec.pid"),
    })
}

fn stream(info: &SourceOutputInfo) -> Option<RawStream> {
    // Level meters (pavucontrol's and desktop shells') watch every source
    // and cannot be moved; they record nothing.
    if info.resample_method.as_deref() == Some("peaks") {
        return None;
    }
    // Streams owned by modules (echo cancelling, remapping) are plumbing,
    // not an application listening; moving them would break the device.
    let client = info.client?;
    let get = |k: &str| info.proplist.get_str(k);
    Some(RawStream {
        index: info.index,
        source: info.source,
        client,
        app: get(properties::APPLICATION_NAME).or_else(|| info.name.as_deref().map(str::to_string)),
        pid: get(properties::APPLICATION_PROCESS_ID).and_then(|p| p.parse().ok()),
        exe: get(properties::APPLICATION_PROCESS_BINARY),
        user: get(properties::APPLICATION_PROCESS_USER),
    })
}

/// Each client's pid where it can be believed: PipeWire's own word, or a
/// pulse client's claim that the kernel's connection count bears out.
fn trusted_pids(clients: &[RawClient]) -> BTreeMap<u32, u32> {
    let socket = super::peers::pulse_socket();
    // A pulse client of pipewire-pulse carries pipewire-pulse's own pid as
    // `pipewire.sec.pid`: that is no word about the client, so its claim is
    // checked like any PulseAudio client's.
    let serving = if clients.iter().any(|c| c.server_says.is_some()) {
        socket
            .as_deref()
            .map(super::peers::server_pids)
            .and_then(Result::ok)
            .unwrap_or_default()
    } else {
        Default::default()
    };
    let own_word = |c: &RawClient| c.server_says.filter(|pid| !serving.contains(pid));
    let mut out: BTreeMap<u32, u32> = clients
        .iter()
        .filter_map(|c| Some((c.index, own_word(c)?)))
        .collect();
    let claims: BTreeMap<u32, u32> = clients
        .iter()
        .filter(|c| own_word(c).is_none())
        .filter_map(|c| Some((c.index, c.claimed?)))
        .collect();
    if claims.is_empty() {
        return out;
    }
    let connections = match socket
        .ok_or_else(|| std::io::Error::other("no runtime folder"))
        .and_then(|socket| super::peers::connections(&socket))
    {
        Ok(c) => c,
        Err(e) => {
            tracing::debug!("the audio server's connections cannot be counted: {e}");
            return out;
        }
    };
    for client in super::peers::verified_clients(&claims, &connections) {
        if let Some(pid) = claims.get(&client) {
            out.insert(client, *pid);
        }
    }
    out
}

impl AudioBackend for PulseBackend {
    fn kind(&self) -> &'static str {
        "pulseaudio"
    }

    fn read(&mut self) -> Result<Devices, AudioError> {
        let (server_tx, server_rx) = channel();
        let (sources_tx, sources_rx) = channel();
        let (streams_tx, streams_rx) = channel();
        let (clients_tx, clients_rx) = channel();
        // All four requests go out together: one round trip.
        self.with_ready(|ctx, inputs| {
            // The default and the inputs over one connection, so the
            // default is one of the inputs that connection lists.
            inputs.request(server_tx, sources_tx);
            let intro = ctx.introspect();
            let mut streams = gather(streams_tx);
            intro.get_source_output_info_list(move |r| streams.take(r, stream));
            let mut clients = gather(clients_tx);
            intro.get_client_info_list(move |r| clients.take(r, client));
        })?;
        let default_id = self.wait(&server_rx)?;
        let sources = self
            .wait(&sources_rx)?
            .map_err(|()| AudioError::Failed("listing the inputs failed".into()))?;
        let streams = self
            .wait(&streams_rx)?
            .map_err(|()| AudioError::Failed("listing the recording streams failed".into()))?;
        let clients = self
            .wait(&clients_rx)?
            .map_err(|()| AudioError::Failed("listing the clients failed".into()))?;
        // Checking claims scans every process's descriptors: only worth it
        // when someone records (the guard reads every 2 s while idle).
        let trusted = if streams.is_empty() {
            BTreeMap::new()
        } else {
            trusted_pids(&clients)
        };
        let by_index: BTreeMap<u32, &str> = sources
            .iter()
            .map(|s| (s.index, s.device.id.as_str()))
            .collect();
        let streams = streams
            .into_iter()
            .filter_map(|s| {
                let verified = trusted.get(&s.client).copied();
                Some(RecordingStream {
                    id: s.index,
                    input_id: by_index.get(&s.source)?.to_string(),
                    app: s.app,
                    // The server's word where it has one; else the claim,
                    // believed only if the kernel's count of connections
                    // bears it out.
                    pid: verified.or(s.pid),
                    pid_verified: verified.is_some(),
                    exe: s.exe,
                    user: s.user,
                })
            })
            .collect();
        Ok(Devices {
            inputs: sources.into_iter().map(|s| s.device).collect(),
            default_id,
            streams,
        })
    }

    fn apply(&mut self, actions: &[Action]) -> Vec<(Action, Result<(), AudioError>)> {
        let mut pending = Vec::new();
        let sent = self.with_ready(|ctx, _| {
            for action in actions {
                let (tx, rx) = channel::<bool>();
                let done = move |ok: bool| {
                    let _ = tx.send(ok);
                };
                match action {
                    Action::SetDefault { input_id } => {
                        ctx.set_default_source(input_id, done);
                    }
                    Action::SetMute { input_id, muted } => {
                        ctx.introspect().set_source_mute_by_name(
                            input_id,
                            *muted,
                            Some(Box::new(done)),
                        );
                    }
                    Action::MoveStream {
                        stream,
                        to_input_id,
                    } => {
                        ctx.introspect().move_source_output_by_name(
                            *stream,
                            to_input_id,
                            Some(Box::new(done)),
                        );
                    }
                }
                pending.push((action.clone(), rx));
            }
        });
        if let Err(e) = sent {
            return actions
                .iter()
                .map(|a| (a.clone(), Err(e.clone())))
                .collect();
        }
        pending
            .into_iter()
            .map(|(action, rx)| {
                let result = match self.wait(&rx) {
                    Ok(true) => Ok(()),
                    Ok(false) => Err(AudioError::Failed(format!("{action:?} was refused"))),
                    Err(e) => Err(e),
                };
                (action, result)
            })
            .collect()
    }
}
