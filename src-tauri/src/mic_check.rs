//! The dashboard's mic check: a live input level for the default
//! microphone, sent to the dashboard (through the window process) until
//! stopped, the dashboard is gone, or 30 s have passed (the microphone is
//! not held open longer than the agent needs). It runs in the tray app,
//! which leaves its own streams out of "programs recording".

use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use tauri::{AppHandle, Manager};
use veil_core::mic::MicLevel as Level;
use veil_os::audio::meter::LevelMeter;

use veil_core::state::Event;

use crate::actor::ActorHandle;
use crate::window_host::WindowHost;
const LONGEST: Duration = Duration::from_secs(30);
const TICK: Duration = Duration::from_millis(50);

#[derive(Default)]
pub struct MicCheck {
    stop: Mutex<Option<Sender<()>>>,
}

impl MicCheck {
    pub fn start(&self, app: &AppHandle) {
        let mut slot = self.stop.lock().unwrap_or_else(|e| e.into_inner());
        if slot.is_some() {
            return;
        }
        let (tx, rx) = mpsc::channel();
        *slot = Some(tx);
        let app = app.clone();
        let spawned = std::thread::Builder::new()
            .name("veil-mic-check".into())
            .spawn(move || {
                // False once no window process takes it.
                let send = |l: Level| app.state::<WindowHost>().mic_level(l);
                match LevelMeter::start() {
                    Err(message) => {
                        send(Level::Failed {
                            message: message.to_string(),
                        });
                    }
                    Ok(meter) => {
                        // Recorded and in the status while the microphone is open.
                        let mark = |running: bool| {
                            if let Some(actor) = app.try_state::<ActorHandle>() {
                                actor.post_blocking(Event::MicCheck { running });
                            }
                        };
                        mark(true);
                        let until = Instant::now() + LONGEST;
                        while Instant::now() < until {
                            match rx.recv_timeout(TICK) {
                                Err(RecvTimeoutError::Timeout) => {
                                    let shown = send(Level::Running {
                                        device: meter.device().to_string(),
                                        level: meter.take_peak(),
                                    });
                                    if !shown {
                                        break;
                                    }
                                }
                                _ => break,
                            }
                        }
                        drop(meter);
                        mark(false);
                        send(Level::Stopped);
                    }
                }
                if let Some(check) = app.try_state::<MicCheck>() {
                    check.stop.lock().unwrap_or_else(|e| e.into_inner()).take();
                }
            });
        if let Err(e) = spawned {
            tracing::error!("the mic check could not start: {e}");
            slot.take();
        }
    }

    pub fn stop(&self) {
        if let Some(tx) = self.stop.lock().unwrap_or_else(|e| e.into_inner()).take() {
            let _ = tx.send(());
        }
    }
}
