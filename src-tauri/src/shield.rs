//! The idle privacy shield's loop: reads the OS idle time, feeds veil-core's
//! stage machine and carries out what it says (countdown banner, overlays on
//! every monitor, session lock). It sleeps until the next moment that can
//! matter: up to a second while the agent is active, 50 ms while the
//! countdown or the shield is up (so input lifts it at once).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use tauri::AppHandle;
use tokio::sync::mpsc;
use veil_core::audit::RecordKind;
use veil_core::clock::{Clock, SystemClock};
use veil_core::shield::{
    cover, Input, Monitor, Output, Overlay, Rect, Shield, ShieldStatus, ShortcutStatus, Stage,
};
use veil_core::state::Event;
use veil_os::idle::{self, IdleSource};

use crate::actor::ActorHandle;
use crate::shield_overlays as overlays;

const FAST: Duration = Duration::from_millis(50);
const SLOW: Duration = Duration::from_secs(1);

/// Seconds since the last input, read live by `veil status`.
#[derive(Default, Clone)]
pub struct LiveIdle(pub Arc<AtomicU64>);

#[derive(Clone)]
pub struct ShieldHandle {
    now: mpsc::UnboundedSender<()>,
}

impl ShieldHandle {
    /// Covers every monitor at once.
    pub fn shield_now(&self) {
        let _ = self.now.send(());
    }
}

pub fn spawn(app: AppHandle, actor: ActorHandle, live: LiveIdle) -> ShieldHandle {
    let (tx, rx) = mpsc::unbounded_channel();
    let handle = ShieldHandle { now: tx };
    tauri::async_runtime::spawn(run(app, actor, live, handle.clone(), rx));
    handle
}

struct Runner {
    app: AppHandle,
    actor: ActorHandle,
    live: LiveIdle,
    source: Box<dyn IdleSource>,
    machine: Shield,
    enabled: bool,
    /// An application records from the microphone (a call).
    call: bool,
    lock_command: String,
    reported: Option<ShieldStatus>,
    message: Option<String>,
    /// Monitors covered now, to notice one plugged in while shielded.
    covered: Vec<Rect>,
    ticks_shielded: u32,
    /// Given to the shortcut's handler.
    handle: ShieldHandle,
    shortcut: ShortcutStatus,
    shortcut_tried: bool,
    /// `shield.shortcut`, read with the other settings each tick.
    wanted_shortcut: Option<String>,
    /// What the last lock attempt said, when nothing confirmed it.
    lock_message: Option<String>,
}

async fn run(
    app: AppHandle,
    actor: ActorHandle,
    live: LiveIdle,
    handle: ShieldHandle,
    mut now_rx: mpsc::UnboundedReceiver<()>,
) {
    let mut source = idle::source();
    let message = match source.name() {
        "none" => source.idle().err().map(|e| e.to_string()),
        _ => source.caveat(),
    };
    let settings = actor.snapshot().in_force.clone();
    let mut r = Runner {
        machine: Shield::new(settings.shield, false, SystemClock.now()),
        app,
        actor,
        live,
        source,
        enabled: false,
        call: false,
        lock_command: settings.shield_lock_command,
        reported: None,
        message,
        covered: Vec::new(),
        ticks_shielded: 0,
        handle,
        shortcut: ShortcutStatus::default(),
        shortcut_tried: false,
        wanted_shortcut: None,
        lock_message: None,
    };
    loop {
        r.configure();
        r.follow_shortcut().await;
        let wait = r.tick().await;
        tokio::select! {
            _ = tokio::time::sleep(wait) => {}
            Some(()) = now_rx.recv() => {
                let out = r.machine.handle(Input::ShieldNow, SystemClock.now());
                r.carry_out(out, "shield now").await;
            }
        }
    }
}

impl Runner {
    /// Follows privacy mode, the settings and whether a call is on, from
    /// one snapshot a tick.
    fn configure(&mut self) {
        let snap = self.actor.snapshot();
        let settings = &snap.in_force;
        let enabled = veil_core::state::shield_enabled(snap.status.privacy_mode, settings);
        self.call = snap.status.microphone.recording || snap.status.camera.in_use();
        self.machine.set_times(settings.shield);
        if self.lock_command != settings.shield_lock_command {
            self.lock_command = settings.shield_lock_command.clone();
        }
        if self.wanted_shortcut.as_deref().unwrap_or("") != settings.shield_shortcut {
            self.wanted_shortcut =
                (!settings.shield_shortcut.is_empty()).then(|| settings.shield_shortcut.clone());
        }
        if enabled != self.enabled {
            self.enabled = enabled;
            let out = self
                .machine
                .handle(Input::Enabled(enabled), SystemClock.now());
            self.hide_all(&out);
        }
    }

    /// Registers the "shield now" keys when the setting changes (and at
    /// start), replacing the keys registered before.
    async fn follow_shortcut(&mut self) {
        let wanted = self.wanted_shortcut.clone();
        if self.shortcut_tried && wanted == self.shortcut.keys {
            return;
        }
        let app = self.app.clone();
        let old = self
            .shortcut
            .keys
            .clone()
            .filter(|_| self.shortcut.registered);
        let handle = self.handle.clone();
        let keys = wanted.clone();
        let result = tauri::async_runtime::spawn_blocking(move || {
            crate::shortcut::replace(&app, old.as_deref(), keys.as_deref(), handle)
        })
        .await
        .unwrap_or_else(|e| Err(e.to_string()));
        match &result {
            Ok(_) if wanted.is_some() => {
                tracing::info!("shield-now shortcut: {}", wanted.as_deref().unwrap_or(""))
            }
            Ok(_) => {}
            Err(e) => tracing::warn!("the shield-now shortcut is not available: {e}"),
        }
        self.shortcut_tried = true;
        self.shortcut = ShortcutStatus {
            registered: result.is_ok() && wanted.is_some(),
            keys: wanted,
            message: result.unwrap_or_else(Some),
        };
        self.report(None);
    }

    fn hide_all(&mut self, out: &[Output]) {
        for o in out {
            match o {
                Output::HideShield => {
                    overlays::hide_overlays(&self.app);
                    self.covered.clear();
                }
                Output::HideWarning => overlays::hide_warning(&self.app),
                _ => {}
            }
        }
    }

    /// One look at the idle time; returns how long to sleep.
    async fn tick(&mut self) -> Duration {
        let idle = match self.source.idle() {
            Ok(idle) => {
                self.live.0.store(idle.as_secs(), Ordering::Relaxed);
                idle
            }
            Err(e) => {
                let e = e.to_string();
                if self.message.as_deref() != Some(e.as_str()) {
                    tracing::warn!("idle time unavailable: {e}");
                    self.message = Some(e);
                }
                // Without idle time, a shield raised by hand is still
                // checked against its overlay deadline.
                self.machine.idle_seen()
            }
        };
        let tick = Input::Tick {
            idle,
            call: self.call,
        };
        let out = self.machine.handle(tick, SystemClock.now());
        self.carry_out(out, "idle").await;
        if self.machine.stage() == Stage::Shielded {
            self.keep_covered().await;
        }
        self.report(None);
        match self.machine.stage() {
            Stage::Warning | Stage::Shielded => FAST,
            Stage::Active | Stage::Locked => self
                .machine
                .times()
                .idle
                .saturating_sub(self.machine.idle_seen())
                .clamp(FAST, SLOW),
        }
    }

    /// Re-raises the overlays (above notifications) and covers a monitor
    /// plugged in while shielded.
    async fn keep_covered(&mut self) {
        self.ticks_shielded += 1;
        if self.ticks_shielded.is_multiple_of(10) {
            overlays::raise_overlays(&self.app);
        }
        let overlays = cover(&monitors(&self.app));
        if overlays
            .iter()
            .map(|o| o.frame)
            .ne(self.covered.iter().copied())
        {
            if let Err(e) = self.show_overlays(overlays).await {
                tracing::error!("a new monitor could not be covered: {e}; locking instead");
                let out = self
                    .machine
                    .handle(Input::OverlaysFailed, SystemClock.now());
                self.carry_out(out, "overlay failed").await;
            }
        }
    }

    async fn show_overlays(&mut self, overlays: Vec<Overlay>) -> Result<(), String> {
        veil_os::display::windows_stay_on_top().map_err(|e| e.to_string())?;
        if overlays.is_empty() {
            return Err("no monitor reported".into());
        }
        let frames: Vec<Rect> = overlays.iter().map(|o| o.frame).collect();
        let blur = self.actor.snapshot().in_force.shield_blur;
        let blurred = overlays::show_overlays(&self.app, &frames, blur).await?;
        if blur && !blurred {
            tracing::info!("shield: the screen could not be captured here; the cover is opaque");
        }
        self.covered = frames;
        Ok(())
    }

    async fn carry_out(&mut self, out: Vec<Output>, why: &str) {
        for o in out {
            match o {
                Output::ShowWarning { seconds } => {
                    if overlays::update_countdown(&self.app, seconds).await {
                        continue;
                    }
                    let frames: Vec<Rect> = cover(&monitors(&self.app))
                        .iter()
                        .map(|o| o.frame)
                        .collect();
                    let dim = veil_os::display::translucent_windows();
                    if let Err(e) = overlays::show_warning(&self.app, seconds, &frames, dim).await {
                        tracing::warn!("the shield countdown could not be shown: {e}");
                    }
                }
                Output::HideWarning => overlays::hide_warning(&self.app),
                Output::ShowShield => {
                    self.ticks_shielded = 0;
                    match self.show_overlays(cover(&monitors(&self.app))).await {
                        Ok(()) => {
                            let more = self.machine.handle(Input::OverlaysShown, SystemClock.now());
                            debug_assert!(more.is_empty());
                            self.report(Some((
                                RecordKind::ShieldShown,
                                format!("screen covered ({why})"),
                            )));
                        }
                        Err(e) => {
                            tracing::error!(
                                "the shield could not cover the screen: {e}; locking instead"
                            );
                            let more = self
                                .machine
                                .handle(Input::OverlaysFailed, SystemClock.now());
                            Box::pin(self.carry_out(more, "overlay failed")).await;
                        }
                    }
                }
                Output::HideShield => {
                    overlays::hide_overlays(&self.app);
                    self.covered.clear();
                    if self.machine.stage() == Stage::Active {
                        self.report(Some((RecordKind::ShieldLifted, "the agent is back".into())));
                    }
                }
                Output::LockSession => {
                    let command = self.lock_command.clone();
                    let result =
                        tauri::async_runtime::spawn_blocking(move || idle::lock_session(&command))
                            .await
                            .map_err(|e| e.to_string())
                            .and_then(|locked| locked.map_err(|e| e.to_string()));
                    match result {
                        Ok(way) => {
                            self.lock_message = None;
                            let more = self.machine.handle(Input::LockConfirmed, SystemClock.now());
                            self.report(Some((
                                RecordKind::SessionLocked,
                                format!("the computer was locked ({why}; confirmed after {way})"),
                            )));
                            Box::pin(self.carry_out(more, why)).await;
                        }
                        Err(e) => {
                            tracing::error!("the session could not be locked: {e}");
                            self.lock_message = Some(e.clone());
                            let more = self.machine.handle(Input::LockFailed, SystemClock.now());
                            self.report(Some((RecordKind::LockFailed, e)));
                            Box::pin(self.carry_out(more, why)).await;
                        }
                    }
                }
            }
        }
    }

    /// Tells the actor when the state changed (idle seconds are read live).
    fn report(&mut self, record: Option<(RecordKind, String)>) {
        let status = ShieldStatus {
            state: self.machine.stage(),
            idle_seconds: 0,
            idle_source: self.source.name().to_string(),
            enabled: self.enabled,
            message: self.message.clone(),
            shortcut: self.shortcut.clone(),
            lock_failed: self.machine.lock_failed(),
            lock_message: self
                .lock_message
                .clone()
                .filter(|_| self.machine.lock_failed()),
        };
        if record.is_none() && self.reported.as_ref() == Some(&status) {
            return;
        }
        self.reported = Some(status.clone());
        let actor = self.actor.clone();
        tauri::async_runtime::spawn(async move {
            actor.post(Event::Shield { status, record }).await;
        });
    }
}

fn monitors(app: &AppHandle) -> Vec<Monitor> {
    app.available_monitors()
        .unwrap_or_default()
        .into_iter()
        .enumerate()
        .map(|(i, m)| Monitor {
            name: m.name().cloned().unwrap_or_else(|| format!("monitor {i}")),
            frame: Rect {
                x: m.position().x,
                y: m.position().y,
                width: m.size().width,
                height: m.size().height,
            },
            scale: m.scale_factor(),
        })
        .collect()
}
