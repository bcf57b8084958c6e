//! Starting the desktop app: one instance, state restored, tray, control
//! channel and file watchers wired to the actor.

use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use tauri::{AppHandle, Manager, RunEvent};
use veil_core::control::{Request, Response, WindowName};
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
use crate::{config_files, logging};

/// The app's Tauri context (config, icons, the web pages), built into the
/// binary once and used by the tray app and the window process alike.
pub fn context() -> tauri::Context {
    tauri::generate_context!("../tauri.conf.json")
}

/// The tray app never runs the web engine it maps on Linux (the windows
/// are the window process's): once start-up is over, the kernel may take
/// back the engine's pages (about 16 MB, most of them the loader's reads
/// of WebKitGTK and its speech voices).
fn spawn_web_engine_reclaim() {
    #[cfg(target_os = "linux")]
    std::thread::spawn(|| {
        std::thread::sleep(std::time::Duration::from_secs(3));
        let advised =
            veil_os::process::reclaim_library_pages(veil_os::process::WEB_ENGINE_LIBRARIES);
        tracing::debug!(
            "web engine pages handed back: {} kB advised",
            advised / 1024
        );
    });
}

/// `show` opens the dashboard; `at_sign_in` is the start the installer's
/// sign-in entry makes (`veil --autostart`).
pub fn run(show: bool, at_sign_in: bool) -> ExitCode {
    veil_os::process::limit_heap_arenas();
    let Some((paths, _log_guard)) = logging::start_app() else {
        return ExitCode::FAILURE;
    };
    if let Some(n) = veil_os::process::raise_open_file_limit() {
        tracing::debug!("open-file limit {n}");
    }

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
    // Windows starts Veil for every account from the machine's Run key,
    // which an agent cannot remove: an agent who turned start at login off
    // (and policy does not lock it on) ends that start here.
    if at_sign_in && !state.settings().start_at_login {
        tracing::info!("start at sign-in skipped: start_at_login is off");
        return ExitCode::SUCCESS;
    }
    tracing::info!(
        version = veil_core::VERSION,
        policy = %paths.policy_file.display(),
        "Veil starting"
    );

    let builder = tauri::Builder::default().plugin(tauri_plugin_notification::init());
    #[cfg(target_os = "macos")]
    let builder = builder.plugin(tauri_plugin_autostart::init(
        tauri_plugin_autostart::MacosLauncher::LaunchAgent,
        None,
    ));
    #[cfg(not(target_os = "linux"))]
    let builder = builder.plugin(tauri_plugin_global_shortcut::Builder::new().build());
    let app = builder
        .manage(paths.clone())
        .manage(TrayState::default())
        .manage(MicCheck::default())
        .manage(crate::lifecycle::Stopping::default())
        .manage(crate::write_limit::WriteLimit::default())
        .setup(move |app| {
            let handle = app.handle().clone();
            let window_host = WindowHost::new(handle.clone());
            app.manage(window_host.clone());
            let fleet = crate::fleet::Fleet::new(state.settings().fleet.clone());
            let actor = ActorHandle::spawn(
                handle.clone(),
                paths.clone(),
                state,
                initial_actions,
                fleet.clone(),
            );
            app.manage(actor.clone());
            fleet.start(actor.clone(), veil_os::paths::current_user());
            app.manage(fleet);
            app.manage(MicGuard::spawn(actor.clone(), paths.mic_prior_file()));
            crate::camera_guard::spawn(actor.clone());
            let live_idle = LiveIdle::default();
            app.manage(crate::shield::spawn(
                handle.clone(),
                actor.clone(),
                live_idle.clone(),
            ));
            crate::training::spawn(actor.clone(), live_idle.clone());
            app.manage(crate::posture::spawn(actor.clone()));
            app.manage(live_idle);
            // Subscribed before anything can attach: a window process that
            // attaches gets every snapshot after the one it was given.
            spawn_renderers(&handle, &actor);
            // Stop signals are heard before anything outside can see Veil
            // running (the control channel below).
            crate::lifecycle::spawn_signal_handler(&handle);
            // The control channel answers as soon as what it uses is in
            // place: `veil status` works while the tray icon is still being
            // made (the desktop's tray and accessibility services answer
            // slowly on a loaded machine).
            tauri::async_runtime::spawn(control.serve(
                control_handler(handle.clone(), actor.clone()),
                Arc::new(window_host.clone()),
            ));
            tracing::debug!("start-up: the control channel serves");
            crate::lifecycle::spawn_watch(paths.clone(), actor.clone());
            spawn_maintenance(&actor);
            tray::create(&handle, &actor);
            tracing::debug!("start-up: the tray icon is made");
            config_files::spawn(actor, paths.clone());
            spawn_web_engine_reclaim();
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
            let stop = app.state::<crate::lifecycle::Stopping>().take();
            crate::lifecycle::record_stop(app, &stop);
            // Quitting puts the agent's own microphone setup back, unless
            // policy does not allow quitting (then the muted microphones
            // stay muted until Veil is back).
            if stop.restore_microphones {
                if let Some(mic) = app.try_state::<MicGuard>() {
                    mic.shutdown(Duration::from_secs(3));
                }
            }
            // The last records of the run (why it stopped, the microphones
            // put back) to the organization's receivers, if reachable.
            crate::lifecycle::flush_records(app);
            if let Some(fleet) = app.try_state::<crate::fleet::Fleet>() {
                fleet.drain(Duration::from_secs(2));
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
    let file = paths.privacy_state_file();
    let chosen = match veil_os::files::read_text(&file, 64) {
        Ok(t) if t.trim() == "off" => PrivacyMode::Off,
        Ok(t) if t.trim() == "on" => PrivacyMode::On,
        // A new install, or an unreadable file: protected is the safe side.
        Ok(t) => {
            tracing::warn!(
                "{} holds {:?}, not on/off; privacy mode starts on",
                file.display(),
                t.trim()
            );
            PrivacyMode::On
        }
        Err(veil_os::files::ReadError::Missing) => PrivacyMode::On,
        Err(e) => {
            tracing::warn!("{}: {e}; privacy mode starts on", file.display());
            PrivacyMode::On
        }
    };
    let config = config_files::seeded(paths);
    let mut state = VeilState::new(chosen, config, &paths.store_file().display().to_string());
    state.set_posture_platform(veil_os::posture::platform());
    state.set_os_locale(sys_locale::get_locale());
    let mut actions = Vec::new();
    for event in [
        Event::PolicyFileRead(paths.read_policy()),
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
            let changes = matches!(
                req,
                Request::Privacy { .. } | Request::ShieldNow | Request::Open
            );
            if changes {
                if let Err(e) = crate::write_limit::admit(
                    &app,
                    crate::write_limit::Source::ControlChannel,
                    "a CLI request",
                ) {
                    return Response::error(e);
                }
            }
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
                // Window calls come only on the window process's link.
                Request::Window(call) => {
                    tracing::warn!(
                        "refused a window call `{}` from outside the window process",
                        call.name()
                    );
                    return Response::error(
                        "window calls are taken only from Veil's own window process",
                    );
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
