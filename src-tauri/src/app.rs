//! Starting the desktop app: one instance, state restored, tray, control
//! channel and file watchers wired to the actor.

use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use tauri::{AppHandle, Manager, RunEvent};
use veil_core::control::{Request, Response, WindowName};
use veil_core::settings::Config;
use veil_core::state::{Action, ChangedBy, Event, PrivacyMode, VeilState};
use veil_os::control::{self, ControlServer, Handler};
use veil_os::files::read_config;
use veil_os::instance::InstanceLock;
use veil_os::paths::Paths;

use crate::actor::{ActorHandle, Command};
use crate::mic_check::MicCheck;
use crate::mic_guard::MicGuard;
use crate::shield::{LiveIdle, ShieldHandle};
use crate::tray::{self, TrayState};
use crate::window_host::WindowHost;
use crate::{config_files, logging, window_calls};

/// The app's Tauri context (config, icons, the web pages), built into the
/// binary once and used by the tray app and the window process alike.
pub fn context() -> tauri::Context {
    tauri::generate_context!("../tauri.conf.json")
}

pub fn run(show: bool) -> ExitCode {
    let Some((paths, _log_guard)) = logging::start_app() else {
        return ExitCode::FAILURE;
    };

    let lock = match InstanceLock::try_acquire(&paths.runtime_dir) {
        Ok(Some(lock)) => lock,
        Ok(None) => return hand_over(&paths),
        Err(e) => {
            tracing::error!(
                "cannot take the instance lock in {}: {e}",
                paths.runtime_dir.display()
            );
            return ExitCode::FAILURE;
        }
    };
    // The listener registers with the async runtime that will serve it.
    let control =
        match tauri::async_runtime::block_on(async { ControlServer::bind(&paths.runtime_dir) }) {
            Ok(c) => c,
            Err(e) => {
                tracing::error!(
                    "cannot open the control channel in {}: {e}",
                    paths.runtime_dir.display()
                );
                return ExitCode::FAILURE;
            }
        };

    let (state, initial_actions) = initial_state(&paths);
    tracing::info!(
        version = veil_core::VERSION,
        policy = %paths.policy_file.display(),
        "Veil starting"
    );

    let builder = tauri::Builder::default()
        .plugin(tauri_plugin_autostart::init(
            tauri_plugin_autostart::MacosLauncher::LaunchAgent,
            None,
        ))
        .plugin(tauri_plugin_notification::init());
    #[cfg(not(target_os = "linux"))]
    let builder = builder.plugin(tauri_plugin_global_shortcut::Builder::new().build());
    let app = builder
        .manage(paths.clone())
        .manage(TrayState::default())
        .manage(MicCheck::default())
        .setup(move |app| {
            let handle = app.handle().clone();
            let window_host = WindowHost::new(handle.clone());
            app.manage(window_host.clone());
            let actor = ActorHandle::spawn(handle.clone(), paths.clone(), state, initial_actions);
            app.manage(actor.clone());
            app.manage(MicGuard::spawn(actor.clone(), paths.mic_prior_file()));
            crate::camera_guard::spawn(actor.clone());
            let live_idle = LiveIdle::default();
            app.manage(crate::shield::spawn(
                handle.clone(),
                actor.clone(),
                live_idle.clone(),
            ));
            crate::training::spawn(actor.clone(), live_idle.clone());
            app.manage(live_idle);
            spawn_signal_handler(&handle);
            spawn_maintenance(&actor);
            tray::create(&handle, &actor);
            spawn_renderers(&handle, &actor);
            let attach_host = window_host.clone();
            tauri::async_runtime::spawn(control.serve(
                control_handler(handle.clone(), actor.clone()),
                Arc::new(move || attach_host.attach()),
            ));
            config_files::spawn(actor, paths.policy_file.clone(), paths.settings_file());
            if show {
                window_host.open(WindowName::Main);
            }
            Ok(())
        })
        .build(context());
    let app = match app {
        Ok(app) => app,
        Err(e) => {
            tracing::error!("Veil could not start its user interface: {e}");
            return ExitCode::FAILURE;
        }
    };
    app.run(|app, event| match event {
        RunEvent::ExitRequested {
            code: None, api, ..
        } => {
            // The last window closed (the shield's, on systems where they
            // are web views): keep running in the tray. An explicit
            // exit (Quit Veil) carries a code and goes through.
            api.prevent_exit();
        }
        RunEvent::Exit => {
            // Quitting puts the agent's own microphone setup back.
            if let Some(mic) = app.try_state::<MicGuard>() {
                mic.shutdown(Duration::from_secs(3));
            }
        }
        _ => {}
    });
    drop(lock);
    ExitCode::SUCCESS
}

/// Another Veil of this user runs: ask it to show its window, then leave.
fn hand_over(paths: &Paths) -> ExitCode {
    // The first instance may still be starting; give it a moment.
    for _ in 0..50 {
        match control::request(&paths.runtime_dir, &Request::Open, Duration::from_secs(3)) {
            Ok(_) => {
                tracing::info!("Veil is already running; opened its window");
                return ExitCode::SUCCESS;
            }
            Err(control::ClientError::NotRunning) => std::thread::sleep(Duration::from_millis(100)),
            Err(e) => {
                tracing::warn!("Veil is already running but did not answer: {e}");
                return ExitCode::SUCCESS;
            }
        }
    }
    tracing::warn!("Veil is already running but its control channel is not up yet");
    ExitCode::SUCCESS
}

/// A polite stop (logout, `kill`, Ctrl-C) quits like the tray's Quit, so
/// the microphone setup is restored; kill -9 is covered by the saved state.
fn spawn_signal_handler(app: &AppHandle) {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let app = app.clone();
        tauri::async_runtime::spawn(async move {
            let (Ok(mut term), Ok(mut int), Ok(mut hup)) = (
                signal(SignalKind::terminate()),
                signal(SignalKind::interrupt()),
                signal(SignalKind::hangup()),
            ) else {
                tracing::warn!("cannot listen for stop signals");
                return;
            };
            tokio::select! {
                _ = term.recv() => {}
                _ = int.recv() => {}
                _ = hup.recv() => {}
            }
            tracing::info!("stop signal received; quitting");
            app.exit(0);
        });
    }
    #[cfg(not(unix))]
    let _ = app;
}

/// Upkeep every few hours (audit retention; retrying an unavailable store).
fn spawn_maintenance(actor: &ActorHandle) {
    let actor = actor.clone();
    tauri::async_runtime::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(6 * 3600));
        tick.tick().await; // the first tick is immediate; start-up already did it
        loop {
            tick.tick().await;
            actor.maintain().await;
        }
    });
}

/// The state at start, with the config files read (so the store can open
/// with the policy's rules) and the actions that reading produced.
fn initial_state(paths: &Paths) -> (VeilState, Vec<Action>) {
    let chosen = match std::fs::read_to_string(paths.privacy_state_file()) {
        Ok(t) if t.trim() == "off" => PrivacyMode::Off,
        Ok(t) if t.trim() == "on" => PrivacyMode::On,
        // A new install, or an unreadable file: protected is the safe side.
        Ok(t) => {
            tracing::warn!(
                "{} holds {:?}, not on/off; privacy mode starts on",
                paths.privacy_state_file().display(),
                t.trim()
            );
            PrivacyMode::On
        }
        Err(_) => PrivacyMode::On,
    };
    let mut config = Config::new(
        paths.settings_file().display().to_string(),
        paths.policy_file.display().to_string(),
    );
    if let Ok(cached) = std::fs::read_to_string(paths.policy_cache_file()) {
        config.seed_policy(&cached);
    }
    let mut state = VeilState::new(chosen, config, &paths.store_file().display().to_string());
    let mut actions = Vec::new();
    for event in [
        Event::PolicyFileRead(read_config(&paths.policy_file)),
        Event::UserFileRead(read_config(&paths.settings_file())),
    ] {
        actions.extend(state.handle(event).unwrap_or_default());
    }
    (state, actions)
}

/// Keeps the tray and any open window in step with the state.
fn spawn_renderers(app: &AppHandle, actor: &ActorHandle) {
    let mut rx = actor.subscribe();
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        while rx.changed().await.is_ok() {
            let snap = rx.borrow_and_update().clone();
            tray::render(&app, &snap);
            app.state::<WindowHost>().snapshot(&snap);
        }
    });
}

fn control_handler(app: AppHandle, actor: ActorHandle) -> Handler {
    Arc::new(move |req| {
        let app = app.clone();
        let actor = actor.clone();
        Box::pin(async move {
            let result = match req {
                Request::Status => Ok(()),
                Request::Privacy { on } => {
                    actor
                        .request(Command::Event(Event::SetPrivacy {
                            on,
                            by: ChangedBy::Cli,
                        }))
                        .await
                }
                Request::ShieldNow => {
                    app.state::<ShieldHandle>().shield_now();
                    Ok(())
                }
                Request::Open => {
                    app.state::<WindowHost>().open(WindowName::Main);
                    Ok(())
                }
                Request::WindowsIdle { link, seen } => {
                    app.state::<WindowHost>().idle(link, seen);
                    return Response::ok(None);
                }
                Request::Window(call) => {
                    return match window_calls::answer(&app, &actor, call).await {
                        Ok(value) => Response::value(value),
                        Err(e) => Response::error(e),
                    };
                }
                // The control channel itself answers an attach.
                Request::AttachWindows => Err("not a request for this handler".into()),
            };
            match result {
                Ok(()) => {
                    let mut status = serde_json::to_value(&actor.snapshot().status).ok();
                    // Idle time is read live, not kept in every snapshot.
                    if let Some(idle) = status.as_mut().and_then(|s| s.get_mut("shield")) {
                        let live = app
                            .state::<LiveIdle>()
                            .0
                            .load(std::sync::atomic::Ordering::Relaxed);
                        idle["idle_seconds"] = live.into();
                    }
                    Response::ok(status)
                }
                Err(e) => Response::error(e),
            }
        })
    })
}
