//! The inputs and the default input, read over a second connection made
//! with libpulse's C API (libpulse-sys) on the backend's main loop.
//!
//! Why not libpulse-binding, like the rest of the backend: its `SourceInfo`
//! turns the source's `state` into a Rust enum that knows only the states
//! PulseAudio reports (-1..2), and pipewire-pulse also reports a node being
//! created (-2) or in error (-3, say a Bluetooth headset that failed).
//! Building that enum is undefined behaviour; debug builds abort the whole
//! process on it ("trying to construct an enum from an invalid value
//! 0xfffffffd"), which killed the microphone guard on PipeWire whenever a
//! recording started. Here the info is read field by field through the raw
//! pointer, never as a whole struct, and `state` is never read at all.

use std::collections::BTreeMap;
use std::ffi::{c_char, c_int, c_void, CStr};
use std::sync::mpsc::Sender;
use std::time::{Duration, Instant};

use libpulse_binding as pa;
use libpulse_sys as sys;
use pa::mainloop::threaded::Mainloop;
use sys::context::introspect::{pa_server_info, pa_source_info, pa_source_port_info};
use veil_core::mic::{DeviceFacts, Port, PortAvailability};

use super::{AudioError, InputDevice};

/// An input as listed, with the server's index (streams name their input
/// by index).
pub struct ListedSource {
    pub index: u32,
    pub device: InputDevice,
}

/// One connection, owned by the backend; used with its main loop locked.
pub struct SourceReader {
    ctx: *mut sys::pa_context,
}

// SAFETY: the context is only touched with the threaded main loop locked
// (the backend's `with_ready`), which is libpulse's rule for other threads.
unsafe impl Send for SourceReader {}

fn text(p: *const c_char) -> Option<String> {
    if p.is_null() {
        return None;
    }
    // SAFETY: libpulse hands out NUL-terminated strings that live for the
    // callback.
    Some(unsafe { CStr::from_ptr(p) }.to_string_lossy().into_owned())
}

impl SourceReader {
    /// Connects on `mainloop` (running, not locked by the caller).
    pub fn connect(mainloop: &mut Mainloop, timeout: Duration) -> Result<Self, AudioError> {
        let unreachable = |why: &str| AudioError::Unreachable(why.to_string());
        let api: &sys::pa_mainloop_api = mainloop.get_api().as_ref();
        mainloop.lock();
        // SAFETY: the API table belongs to the running main loop, which
        // outlives this context (the backend drops the reader first).
        let ctx = unsafe { sys::pa_context_new(api, c"Veil inputs".as_ptr()) };
        if ctx.is_null() {
            mainloop.unlock();
            return Err(unreachable("cannot create a PulseAudio context"));
        }
        let mut reader = SourceReader { ctx };
        // SAFETY: a fresh context; the default server, no spawning.
        let rc = unsafe {
            sys::pa_context_connect(
                ctx,
                std::ptr::null(),
                sys::PA_CONTEXT_NOAUTOSPAWN,
                std::ptr::null(),
            )
        };
        mainloop.unlock();
        let deadline = Instant::now() + timeout;
        let failed = loop {
            if rc < 0 {
                break "cannot connect to the audio server";
            }
            mainloop.lock();
            let state = reader.state();
            mainloop.unlock();
            match state {
                sys::pa_context_state_t::Ready => return Ok(reader),
                sys::pa_context_state_t::Failed | sys::pa_context_state_t::Terminated => {
                    break "the audio server refused the connection";
                }
                _ if Instant::now() > deadline => break "the audio server did not answer",
                _ => std::thread::sleep(Duration::from_millis(5)),
            }
        };
        mainloop.lock();
        reader.disconnect();
        mainloop.unlock();
        Err(unreachable(failed))
    }

    /// With the main loop locked.
    pub fn state(&self) -> sys::pa_context_state_t {
        // SAFETY: a live context, main loop locked by the caller.
        unsafe { sys::pa_context_get_state(self.ctx) }
    }

    pub fn ready(&self) -> bool {
        self.state() == sys::pa_context_state_t::Ready
    }

    /// Asks for the default input's name and the list of inputs; the
    /// answers arrive on the channels. With the main loop locked.
    pub fn request(
        &self,
        default_tx: Sender<Option<String>>,
        sources_tx: Sender<Result<Vec<ListedSource>, ()>>,
    ) {
        let server = Box::into_raw(Box::new(default_tx)).cast::<c_void>();
        let list = Box::into_raw(Box::new(SourceList {
            items: vec![],
            tx: sources_tx,
        }))
        .cast::<c_void>();
        // SAFETY: live context, main loop locked; each callback takes its
        // box back exactly once (the server info's on its only call, the
        // list's at the end or on error). If the connection dies first the
        // callbacks never run and the boxes (a channel end each) leak.
        unsafe {
            let op = sys::pa_context_get_server_info(self.ctx, Some(on_server_info), server);
            if op.is_null() {
                drop(Box::from_raw(server.cast::<Sender<Option<String>>>()));
            } else {
                sys::pa_operation_unref(op);
            }
            let op = sys::pa_context_get_source_info_list(self.ctx, Some(on_source), list);
            if op.is_null() {
                drop(Box::from_raw(list.cast::<SourceList>()));
            } else {
                sys::pa_operation_unref(op);
            }
        }
    }

    /// With the main loop locked.
    pub fn disconnect(&mut self) {
        if self.ctx.is_null() {
            return;
        }
        // SAFETY: live context, main loop locked; not used afterwards.
        unsafe {
            sys::pa_context_disconnect(self.ctx);
            sys::pa_context_unref(self.ctx);
        }
        self.ctx = std::ptr::null_mut();
    }
}

struct SourceList {
    items: Vec<ListedSource>,
    tx: Sender<Result<Vec<ListedSource>, ()>>,
}

extern "C" fn on_server_info(
    _: *mut sys::pa_context,
    info: *const pa_server_info,
    userdata: *mut c_void,
) {
    // SAFETY: `userdata` is the box `request` made for this call.
    let tx = unsafe { Box::from_raw(userdata.cast::<Sender<Option<String>>>()) };
    let name = if info.is_null() {
        None
    } else {
        // SAFETY: one field read through the pointer libpulse gave.
        text(unsafe { (*info).default_source_name })
    };
    let _ = tx.send(name);
}

extern "C" fn on_source(
    _: *mut sys::pa_context,
    info: *const pa_source_info,
    eol: c_int,
    userdata: *mut c_void,
) {
    let list = userdata.cast::<SourceList>();
    if eol != 0 {
        // SAFETY: the end (or an error) is the list's last call.
        let list = unsafe { Box::from_raw(list) };
        let SourceList { items, tx } = *list;
        let _ = tx.send(if eol > 0 { Ok(items) } else { Err(()) });
        return;
    }
    if info.is_null() {
        return;
    }
    // SAFETY: the box lives until the end call; `info` is valid for this
    // call and read field by field (never as a whole: see the module doc).
    unsafe {
        if let Some(s) = listed(info) {
            (*list).items.push(s);
        }
    }
}

/// # Safety
/// `info` is a source info libpulse passed to a callback, still running.
unsafe fn listed(info: *const pa_source_info) -> Option<ListedSource> {
    let id = text((*info).name)?;
    let proplist = (*info).proplist;
    let mut props = BTreeMap::new();
    if !proplist.is_null() {
        let mut state: *mut c_void = std::ptr::null_mut();
        loop {
            let key = sys::pa_proplist_iterate(proplist, &mut state);
            if key.is_null() {
                break;
            }
            if let (Some(k), Some(v)) = (text(key), text(sys::pa_proplist_gets(proplist, key))) {
                props.insert(k, v);
            }
        }
    }
    let port = |p: *const pa_source_port_info| Port {
        name: text((*p).name).unwrap_or_default(),
        // PA_PORT_AVAILABLE_NO = 1, YES = 2; anything else unknown.
        availability: match (*p).available {
            2 => PortAvailability::Yes,
            1 => PortAvailability::No,
            _ => PortAvailability::Unknown,
        },
    };
    let ports_ptr = (*info).ports;
    let n_ports = (*info).n_ports as usize;
    let mut ports = Vec::with_capacity(n_ports);
    if !ports_ptr.is_null() {
        for i in 0..n_ports {
            let p = *ports_ptr.add(i);
            if !p.is_null() {
                ports.push(port(p));
            }
        }
    }
    let active = (*info).active_port;
    let active_port = if active.is_null() {
        None
    } else {
        text((*active).name)
    };
    let name = text((*info).description).unwrap_or_else(|| id.clone());
    Some(ListedSource {
        index: (*info).index,
        device: InputDevice {
            id,
            name,
            muted: (*info).mute != 0,
            facts: DeviceFacts::Pulse {
                props,
                ports,
                active_port,
                is_monitor: (*info).monitor_of_sink != sys::PA_INVALID_INDEX,
            },
        },
    })
}
