//! The tray icon: the state at a glance and the agent's main controls. It
//! renders snapshots and forwards clicks to the actor; it decides nothing.

use std::sync::Mutex;

use tauri::image::Image;
use tauri::menu::{CheckMenuItem, Menu, MenuItem, PredefinedMenuItem};
use tauri::tray::TrayIconBuilder;
use tauri::{AppHandle, Manager};
use veil_core::control::WindowName;
use veil_core::i18n::{tr, Language};
use veil_core::state::{ChangedBy, Event, PrivacyMode};
use veil_core::status::{Overall, Snapshot};

use crate::actor::{ActorHandle, Command};
use crate::window_host::WindowHost;

const TRAY_ID: &str = "veil";
const ID_PRIVACY: &str = "privacy";
const ID_OPEN: &str = "open";
const ID_TRAINING: &str = "training";
const ID_SHIELD: &str = "shield-now";
const ID_QUIT: &str = "quit";

/// Menu items updated in place as the state changes.
struct Items {
    privacy: CheckMenuItem<tauri::Wry>,
    status: MenuItem<tauri::Wry>,
    has_quit: bool,
    /// The menu's words are in this language.
    language: Language,
}

/// What the tray shows; it is redrawn only when this changes (snapshots
/// also change for things the tray does not show).
#[derive(PartialEq)]
struct Look {
    state: Overall,
    tooltip: String,
    status_line: String,
    privacy_on: bool,
    privacy_locked: bool,
    has_quit: bool,
}

impl Look {
    fn of(snap: &Snapshot) -> Look {
        let s = &snap.status;
        Look {
            state: s.state,
            tooltip: tooltip(snap),
            status_line: status_line(snap),
            privacy_on: s.privacy_mode == PrivacyMode::On,
            privacy_locked: s.privacy_mode_locked,
            has_quit: snap.in_force.allow_quit,
        }
    }
}

#[derive(Default)]
pub struct TrayState(Mutex<(Option<Items>, Option<Look>)>);

fn icon(state: Overall) -> tauri::Result<Image<'static>> {
    let bytes: &[u8] = match state {
        Overall::Protected => include_bytes!("../../assets/icons/tray-protected.png"),
        Overall::Attention => include_bytes!("../../assets/icons/tray-attention.png"),
        Overall::Off => include_bytes!("../../assets/icons/tray-off.png"),
    };
    Image::from_bytes(bytes)
}

fn tooltip(snap: &Snapshot) -> String {
    let s = &snap.status;
    let lang = snap.language;
    let state = s.state.label_in(lang);
    match s.problems.first() {
        Some(p) if s.state == Overall::Attention => tr(
            lang,
            "tray-tooltip-problem",
            &[
                ("state", (&state).into()),
                ("summary", (&short(&p.summary_in(lang))).into()),
            ],
        ),
        _ => tr(lang, "tray-tooltip", &[("state", (&state).into())]),
    }
}

fn status_line(snap: &Snapshot) -> String {
    let s = &snap.status;
    let lang = snap.language;
    match (s.state, s.problems.len()) {
        (Overall::Attention, 1) => tr(
            lang,
            "tray-attention-one",
            &[("summary", (&s.problems[0].summary_in(lang)).into())],
        ),
        (Overall::Attention, n) => tr(lang, "tray-attention-many", &[("count", n.into())]),
        (state, _) => state.label_in(lang),
    }
}

fn short(s: &str) -> String {
    const MAX: usize = 80;
    if s.chars().count() <= MAX {
        s.to_string()
    } else {
        let cut: String = s.chars().take(MAX - 1).collect();
        format!("{cut}…")
    }
}

fn build_menu(app: &AppHandle, snap: &Snapshot) -> tauri::Result<(Menu<tauri::Wry>, Items)> {
    let s = &snap.status;
    let privacy = CheckMenuItem::with_id(
        app,
        ID_PRIVACY,
        tr(snap.language, "tray-privacy-mode", &[]),
        !(s.privacy_mode_locked && s.privacy_mode == PrivacyMode::On),
        s.privacy_mode == PrivacyMode::On,
        None::<&str>,
    )?;
    let status = MenuItem::with_id(app, "status", status_line(snap), false, None::<&str>)?;
    let lang = snap.language;
    let item =
        |id: &str, key: &str| MenuItem::with_id(app, id, tr(lang, key, &[]), true, None::<&str>);
    let open = item(ID_OPEN, "tray-open")?;
    let shield = item(ID_SHIELD, "tray-shield-now")?;
    let training = item(ID_TRAINING, "tray-training")?;
    let menu = Menu::with_items(
        app,
        &[
            &privacy,
            &PredefinedMenuItem::separator(app)?,
            &status,
            &PredefinedMenuItem::separator(app)?,
            &shield,
            &training,
            &open,
        ],
    )?;
    let has_quit = snap.in_force.allow_quit;
    if has_quit {
        menu.append(&PredefinedMenuItem::separator(app)?)?;
        menu.append(&item(ID_QUIT, "tray-quit")?)?;
    }
    Ok((
        menu,
        Items {
            privacy,
            status,
            has_quit,
            language: snap.language,
        },
    ))
}

/// Creates the tray icon. A failure is logged, not fatal: the agent can still
/// open Veil from the app menu, and protection does not depend on the tray.
pub fn create(app: &AppHandle, actor: &ActorHandle) {
    if let Err(e) = try_create(app, actor) {
        tracing::error!("the tray icon could not be created: {e}");
    }
}

fn try_create(app: &AppHandle, actor: &ActorHandle) -> tauri::Result<()> {
    let snap = actor.snapshot();
    let (menu, items) = build_menu(app, &snap)?;
    let actor = actor.clone();
    TrayIconBuilder::with_id(TRAY_ID)
        .icon(icon(snap.status.state)?)
        .tooltip(tooltip(&snap))
        .menu(&menu)
        .show_menu_on_left_click(true)
        .on_menu_event(move |app, event| on_menu(app, &actor, event.id.as_ref()))
        .build(app)?;
    if let Some(state) = app.try_state::<TrayState>() {
        if let Ok(mut slot) = state.0.lock() {
            *slot = (Some(items), Some(Look::of(&snap)));
        }
    }
    Ok(())
}

fn on_menu(app: &AppHandle, actor: &ActorHandle, id: &str) {
    match id {
        ID_PRIVACY => {
            let on = actor.snapshot().status.privacy_mode == PrivacyMode::Off;
            let actor = actor.clone();
            let app = app.clone();
            tauri::async_runtime::spawn(async move {
                let result = actor
                    .request(Command::Event(Event::SetPrivacy {
                        on,
                        by: ChangedBy::Agent,
                    }))
                    .await;
                if let Err(e) = result {
                    tracing::warn!("privacy mode not changed: {e}");
                }
                // The check mark toggles itself on click; put it back to the
                // real state whatever the outcome.
                redraw(&app, &actor.snapshot());
            });
        }
        ID_SHIELD => {
            app.state::<crate::shield::ShieldHandle>().shield_now();
        }
        ID_TRAINING => {
            app.state::<WindowHost>().open(WindowName::Training);
        }
        ID_OPEN => {
            app.state::<WindowHost>().open(WindowName::Main);
        }
        // The item is absent when policy forbids quitting; check again in
        // case the policy changed while the menu was open.
        ID_QUIT if actor.snapshot().in_force.allow_quit => {
            app.state::<crate::lifecycle::Stopping>()
                .set(crate::lifecycle::Stop {
                    reason: "quit from the tray menu".into(),
                    restore_microphones: true,
                });
            app.exit(0)
        }
        _ => {}
    }
}

/// Redraws even when the snapshot shows nothing new: a check item toggles
/// itself on click, whatever the outcome.
fn redraw(app: &AppHandle, snap: &Snapshot) {
    if let Some(state) = app.try_state::<TrayState>() {
        if let Ok(mut guard) = state.0.lock() {
            guard.1 = None;
        }
    }
    render(app, snap);
}

/// Brings the tray up to date with a snapshot.
pub fn render(app: &AppHandle, snap: &Snapshot) {
    let Some(tray) = app.tray_by_id(TRAY_ID) else {
        return;
    };
    let result = (|| -> tauri::Result<()> {
        let Some(state) = app.try_state::<TrayState>() else {
            return Ok(());
        };
        let mut guard = state
            .0
            .lock()
            .map_err(|_| tauri::Error::FailedToReceiveMessage)?;
        let (slot, shown) = &mut *guard;
        let look = Look::of(snap);
        if shown.as_ref() == Some(&look) {
            return Ok(());
        }
        tray.set_icon(Some(icon(look.state)?))?;
        tray.set_tooltip(Some(look.tooltip.as_str()))?;
        let rebuild = slot
            .as_ref()
            .is_none_or(|items| items.has_quit != look.has_quit || items.language != snap.language);
        if rebuild {
            let (menu, items) = build_menu(app, snap)?;
            tray.set_menu(Some(menu))?;
            *slot = Some(items);
        } else if let Some(items) = slot.as_ref() {
            items.privacy.set_checked(look.privacy_on)?;
            items
                .privacy
                .set_enabled(!(look.privacy_locked && look.privacy_on))?;
            items.status.set_text(&look.status_line)?;
        }
        *shown = Some(look);
        Ok(())
    })();
    if let Err(e) = result {
        tracing::warn!("tray not updated: {e}");
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_sidebar_logo_is_the_app_icons_drawing() {
        // The windows show ui/public's copy; assets/icons/generate.sh makes it.
        assert_eq!(
            include_str!("../../ui/public/veil-logo.svg"),
            include_str!("../../assets/icons/app.svg")
        );
    }
}
