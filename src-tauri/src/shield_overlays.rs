//! The idle shield's windows: an opaque overlay on every monitor and the
//! countdown before it. On Linux they are drawn by GTK itself (veil-os
//! `cover`), so the shield needs no web view and Veil idles without the
//! web engine; elsewhere they are web views (WebView2 and WKWebView cost
//! little in Veil's own process). Either way the caller sees one interface.

#[cfg(target_os = "linux")]
use std::time::Duration;

use tauri::AppHandle;
use veil_core::shield::Rect;

/// How long the event loop may take to put a window up before the shield
/// counts as failed (and the session is locked instead).
#[cfg(target_os = "linux")]
const MAIN_THREAD_LIMIT: Duration = Duration::from_secs(1);

/// Covers every monitor (`frames`, physical pixels), one overlay each;
/// with `blur`, showing the screen blurred past reading where it can be
/// captured. Returns whether every overlay shows the blur.
pub async fn show_overlays(app: &AppHandle, frames: &[Rect], blur: bool) -> Result<bool, String> {
    #[cfg(target_os = "linux")]
    {
        let frames = frames.to_vec();
        let lang = language(app);
        on_main_thread(app, move || {
            veil_os::cover::set_words(words(lang));
            let mut all_blurred = true;
            for (i, frame) in frames.iter().enumerate() {
                all_blurred &=
                    veil_os::cover::show_shield(i, *frame, blur).map_err(|e| e.to_string())?;
            }
            veil_os::cover::keep_shields(frames.len());
            Ok(all_blurred)
        })
        .await?
    }
    #[cfg(not(target_os = "linux"))]
    {
        // Web-view overlays are opaque: screen capture there needs the OS's
        // capture permission, which the shield does not ask for.
        let _ = blur;
        for (i, frame) in frames.iter().enumerate() {
            web::show_overlay(app, i, *frame).map_err(|e| e.to_string())?;
        }
        Ok(false)
    }
}

/// The language the agent sees now.
#[cfg(target_os = "linux")]
fn language(app: &AppHandle) -> veil_core::i18n::Language {
    use tauri::Manager;
    app.try_state::<crate::actor::ActorHandle>()
        .map(|a| a.snapshot().language)
        .unwrap_or(veil_core::i18n::Language::En)
}

#[cfg(target_os = "linux")]
fn words(lang: veil_core::i18n::Language) -> veil_os::cover::Words {
    use veil_core::i18n::tr;
    veil_os::cover::Words {
        hint: tr(lang, "shield-hint", &[]),
        countdown: Box::new(move |seconds| {
            tr(
                lang,
                "shield-countdown",
                &[("seconds", (seconds as i64).into())],
            )
        }),
    }
}

/// Removes every overlay.
pub fn hide_overlays(app: &AppHandle) {
    #[cfg(target_os = "linux")]
    if let Err(e) = app.run_on_main_thread(veil_os::cover::hide_shields) {
        tracing::error!("cannot remove the shield: {e}");
    }
    #[cfg(not(target_os = "linux"))]
    web::hide_overlays(app);
}

/// Keeps the overlays above anything that popped up (notifications).
pub fn raise_overlays(app: &AppHandle) {
    #[cfg(target_os = "linux")]
    let _ = app.run_on_main_thread(veil_os::cover::raise_shields);
    #[cfg(not(target_os = "linux"))]
    web::raise_overlays(app);
}

/// The countdown before the shield: with `dim`, a see-through darkening
/// window on every monitor (`frames`); without, a banner at the top of the
/// primary monitor.
pub async fn show_warning(
    app: &AppHandle,
    seconds: u64,
    frames: &[Rect],
    dim: bool,
) -> Result<(), String> {
    #[cfg(target_os = "linux")]
    {
        let frames = frames.to_vec();
        let primary = app.primary_monitor().ok().flatten().map(|m| {
            let frame = Rect {
                x: m.position().x,
                y: m.position().y,
                width: m.size().width,
                height: m.size().height,
            };
            (frame, m.scale_factor())
        });
        let lang = language(app);
        on_main_thread(app, move || {
            veil_os::cover::set_words(words(lang));
            veil_os::cover::show_countdown(seconds, &frames, dim, primary)
                .map_err(|e| e.to_string())
        })
        .await?
    }
    #[cfg(not(target_os = "linux"))]
    web::show_warning(app, seconds, frames, dim).map_err(|e| e.to_string())
}

/// Sends the seconds left to the countdown; false when none is shown.
pub async fn update_countdown(app: &AppHandle, seconds: u64) -> bool {
    #[cfg(target_os = "linux")]
    {
        on_main_thread(app, move || veil_os::cover::set_countdown(seconds))
            .await
            .unwrap_or(false)
    }
    #[cfg(not(target_os = "linux"))]
    web::update_countdown(app, seconds)
}

pub fn hide_warning(app: &AppHandle) {
    #[cfg(target_os = "linux")]
    if let Err(e) = app.run_on_main_thread(veil_os::cover::hide_countdown) {
        tracing::warn!("cannot remove the countdown: {e}");
    }
    #[cfg(not(target_os = "linux"))]
    web::hide_warning(app);
}

/// Runs `job` on the event loop's thread (the toolkit's) and waits for its
/// answer, at most [`MAIN_THREAD_LIMIT`].
#[cfg(target_os = "linux")]
async fn on_main_thread<T: Send + 'static>(
    app: &AppHandle,
    job: impl FnOnce() -> T + Send + 'static,
) -> Result<T, String> {
    let (tx, rx) = tokio::sync::oneshot::channel();
    app.run_on_main_thread(move || {
        let _ = tx.send(job());
    })
    .map_err(|e| e.to_string())?;
    match tokio::time::timeout(MAIN_THREAD_LIMIT, rx).await {
        Ok(Ok(answer)) => Ok(answer),
        Ok(Err(_)) => Err("the event loop dropped the request".into()),
        Err(_) => Err(format!(
            "the event loop did not answer within {} ms",
            MAIN_THREAD_LIMIT.as_millis()
        )),
    }
}

/// The web-view versions, for Windows and macOS. Compiled everywhere so
/// the Linux build type-checks them too.
#[cfg_attr(target_os = "linux", allow(dead_code))]
mod web {
    use tauri::{AppHandle, Manager, WebviewUrl, WebviewWindowBuilder};

    /// The shield's windows: one overlay per monitor (`shield-0`, `shield-1`,
    /// ...) and the countdown: a dimming window per monitor
    /// (`shield-warning-0`, ...) or, where windows cannot be see-through, one
    /// banner (`shield-warning`). capabilities/shield.json grants them only
    /// event listening.
    const SHIELD_PREFIX: &str = "shield-";
    const WARNING_LABEL: &str = "shield-warning";
    /// The banner's size in logical pixels.
    const BANNER: (f64, f64) = (580.0, 56.0);
    const SHIELD_PAGE: &str = "shield.html";
    const WARNING_PAGE: &str = "warning.html";
    /// The overlay's color before and behind its page: never see-through.
    const SHIELD_BACKGROUND: tauri::window::Color = tauri::window::Color(14, 17, 22, 255);

    fn overlay_label(index: usize) -> String {
        format!("{SHIELD_PREFIX}{index}")
    }

    /// Covers one monitor (`frame` in physical pixels) with an opaque,
    /// borderless, always-on-top window that stays out of the taskbar and out
    /// of screen captures. Returns once the window is mapped.
    pub fn show_overlay(
        app: &AppHandle,
        index: usize,
        frame: veil_core::shield::Rect,
    ) -> tauri::Result<()> {
        use tauri::{PhysicalPosition, PhysicalSize};
        let label = overlay_label(index);
        let window = match app.get_webview_window(&label) {
            Some(w) => w,
            None => WebviewWindowBuilder::new(app, &label, WebviewUrl::App(SHIELD_PAGE.into()))
                .title("Veil privacy shield")
                .decorations(false)
                .resizable(false)
                .skip_taskbar(true)
                .always_on_top(true)
                .visible_on_all_workspaces(true)
                .content_protected(true)
                .shadow(false)
                .background_color(SHIELD_BACKGROUND)
                .visible(false)
                .build()?,
        };
        window.set_position(PhysicalPosition::new(frame.x, frame.y))?;
        window.set_size(PhysicalSize::new(frame.width, frame.height))?;
        window.show()?;
        window.set_always_on_top(true)?;
        window.set_focus()?;
        Ok(())
    }

    fn overlays(app: &AppHandle) -> impl Iterator<Item = (String, tauri::WebviewWindow)> {
        app.webview_windows().into_iter().filter(|(label, _)| {
            label.starts_with(SHIELD_PREFIX) && !label.starts_with(WARNING_LABEL)
        })
    }

    /// Removes every overlay (destroyed, so no web view idles in memory).
    pub fn hide_overlays(app: &AppHandle) {
        for (label, w) in overlays(app) {
            if let Err(e) = w.destroy() {
                tracing::warn!("cannot remove the shield window {label}: {e}");
            }
        }
    }

    /// Keeps the overlays above anything that popped up (notifications).
    pub fn raise_overlays(app: &AppHandle) {
        for (_, w) in overlays(app) {
            let _ = w.set_always_on_top(true);
        }
    }

    fn warnings(app: &AppHandle) -> impl Iterator<Item = (String, tauri::WebviewWindow)> {
        app.webview_windows()
            .into_iter()
            .filter(|(label, _)| label.starts_with(WARNING_LABEL))
    }

    /// The countdown before the shield. With `dim`, every monitor (`frames`,
    /// physical pixels) is darkened by a see-through window with the countdown
    /// in its middle; it takes no focus and lets clicks through, so the agent's
    /// next key press or click goes where it was meant to (and, being input,
    /// ends the countdown). Without `dim` (an X server with no compositing
    /// manager draws see-through windows black), a banner at the top of the
    /// primary monitor. Opens the windows: once they are open, the seconds go
    /// to them through [`update_countdown`].
    pub fn show_warning(
        app: &AppHandle,
        seconds: u64,
        frames: &[veil_core::shield::Rect],
        dim: bool,
    ) -> tauri::Result<()> {
        if dim && !frames.is_empty() {
            for (i, frame) in frames.iter().enumerate() {
                show_dim(app, i, *frame, seconds)?;
            }
            return Ok(());
        }
        show_banner(app, seconds)
    }

    /// Sends the seconds left to the countdown windows; false when none is
    /// open.
    pub fn update_countdown(app: &AppHandle, seconds: u64) -> bool {
        use tauri::Emitter;
        let mut open = false;
        for (label, _) in warnings(app) {
            open = true;
            if let Err(e) = app.emit_to(
                label.as_str(),
                veil_core::window_calls::events::SHIELD_COUNTDOWN,
                seconds,
            ) {
                tracing::warn!("cannot update the countdown in {label}: {e}");
            }
        }
        open
    }

    fn show_dim(
        app: &AppHandle,
        index: usize,
        frame: veil_core::shield::Rect,
        seconds: u64,
    ) -> tauri::Result<()> {
        use tauri::{PhysicalPosition, PhysicalSize};
        let url = format!("{WARNING_PAGE}?seconds={seconds}&dim=1");
        let w = WebviewWindowBuilder::new(
            app,
            format!("{WARNING_LABEL}-{index}"),
            WebviewUrl::App(url.into()),
        )
        .title("Veil: screen cover soon")
        .decorations(false)
        .resizable(false)
        .skip_taskbar(true)
        .always_on_top(true)
        .visible_on_all_workspaces(true)
        .focused(false)
        .focusable(false)
        .shadow(false)
        .transparent(true)
        .background_color(tauri::window::Color(0, 0, 0, 0))
        .visible(false)
        .build()?;
        w.set_position(PhysicalPosition::new(frame.x, frame.y))?;
        w.set_size(PhysicalSize::new(frame.width, frame.height))?;
        w.show()?;
        // Only once shown: tao needs the realized GDK window for the input
        // shape, and panics without one.
        w.set_ignore_cursor_events(true)?;
        Ok(())
    }

    /// The countdown banner, centred at the top of the primary monitor.
    fn show_banner(app: &AppHandle, seconds: u64) -> tauri::Result<()> {
        use tauri::{LogicalSize, PhysicalPosition};
        let url = format!("{WARNING_PAGE}?seconds={seconds}");
        let (width, height) = BANNER;
        let w = WebviewWindowBuilder::new(app, WARNING_LABEL, WebviewUrl::App(url.into()))
            .title("Veil: screen cover soon")
            .decorations(false)
            .skip_taskbar(true)
            .always_on_top(true)
            .focused(false)
            .focusable(false)
            .background_color(tauri::window::Color(27, 33, 48, 255))
            .inner_size(width, height)
            .visible(false)
            .build()?;
        // GTK sizes a window that cannot be resized by its content (a web view
        // asks for 200 px), so the size is pinned by limits instead. The
        // position is worked out from the size asked for: before the window is
        // mapped, the toolkit reports a default size.
        let size = LogicalSize::new(width, height);
        w.set_min_size(Some(size))?;
        w.set_max_size(Some(size))?;
        w.set_size(size)?;
        if let Some(m) = app.primary_monitor()? {
            let physical_width = (width * m.scale_factor()).round() as i32;
            let x = m.position().x + (m.size().width as i32 - physical_width) / 2;
            let y = m.position().y + (48.0 * m.scale_factor()).round() as i32;
            w.set_position(PhysicalPosition::new(x, y))?;
            w.show()?;
            w.set_position(PhysicalPosition::new(x, y))?;
        } else {
            w.show()?;
        }
        Ok(())
    }

    pub fn hide_warning(app: &AppHandle) {
        for (label, w) in warnings(app) {
            if let Err(e) = w.destroy() {
                tracing::warn!("cannot remove the countdown window {label}: {e}");
            }
        }
    }
}
