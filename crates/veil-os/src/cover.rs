//! The idle shield's windows on Linux, drawn by GTK itself rather than by a
//! web page: the overlay that covers a monitor, and the countdown before it
//! (a banner, or a see-through dimming window per monitor).
//!
//! Why not web views: the overlay is the one surface that must never fail
//! to cover. A native window is opaque from its first frame and does not
//! depend on the web engine's processes; and a Veil that only ever shows
//! these windows never loads the web engine or its GL stack, which keeps
//! it small idling in the tray (the shield comes up several times a day,
//! the dashboard rarely).
//!
//! GTK is single-threaded: every function here must run on the toolkit's
//! main thread (the app's event loop). The windows live in a registry on
//! that thread, so callers hold no toolkit objects.

use std::cell::RefCell;
use std::rc::Rc;

/// Why a cover or countdown window could not be shown (Veil then locks the
/// session instead: fail closed).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CoverError {
    #[error("the shield's style: {0}")]
    Style(String),
    #[error("this screen has no see-through windows")]
    NoTransparency,
}

use gtk::prelude::*;
use gtk::{gdk, gdk_pixbuf, glib, pango};
use veil_core::shield::Rect;

/// Window titles: what the agent's window list and the tests see.
pub const SHIELD_TITLE: &str = "Veil privacy shield";
pub const COUNTDOWN_TITLE: &str = "Veil: screen cover soon";

/// The banner's size in logical pixels.
const BANNER: (i32, i32) = (580, 56);
/// How far below the top of the primary monitor the banner sits.
const BANNER_TOP: i32 = 48;

const STYLE: &str = "
window.veil-shield { background-color: #0e1116; }
.veil-clock { font-size: 72px; font-weight: 300; letter-spacing: 2px; color: #e8ebf0;
  font-feature-settings: \"tnum\"; }
.veil-hint { font-size: 18px; color: #9aa4b2; }
window.veil-banner { background-color: #1b2130; }
window.veil-dim { background-color: transparent; }
.veil-countdown { color: #f4f6fa; font-size: 15px; }
.veil-dim .veil-countdown-box { background-color: #1b2130; border-radius: 12px;
  padding: 18px 28px; }
.veil-dim .veil-countdown { font-size: 17px; }
";

#[derive(Default)]
struct Covers {
    style: Option<gtk::CssProvider>,
    /// Each monitor's overlay and its blurred picture (dropped with it).
    shields: Vec<(gtk::Window, Rc<RefCell<Option<gdk_pixbuf::Pixbuf>>>)>,
    countdown: Vec<(gtk::Window, gtk::Label)>,
}

thread_local! {
    static COVERS: RefCell<Covers> = RefCell::new(Covers::default());
}

impl Covers {
    fn style(&mut self) -> Result<gtk::CssProvider, CoverError> {
        if let Some(style) = &self.style {
            return Ok(style.clone());
        }
        let style = gtk::CssProvider::new();
        style
            .load_from_data(STYLE.as_bytes())
            .map_err(|e| CoverError::Style(e.to_string()))?;
        self.style = Some(style.clone());
        Ok(style)
    }
}

fn styled(widget: &impl IsA<gtk::Widget>, style: &gtk::CssProvider, class: &str) {
    let context = widget.style_context();
    context.add_provider(style, gtk::STYLE_PROVIDER_PRIORITY_APPLICATION);
    if !class.is_empty() {
        context.add_class(class);
    }
}

/// A borderless window that stays out of the taskbar, the pager and the
/// window switcher, on every workspace, above other windows.
fn bare_window(title: &str) -> gtk::Window {
    let window = gtk::Window::new(gtk::WindowType::Toplevel);
    window.set_title(title);
    window.set_decorated(false);
    window.set_resizable(false);
    window.set_skip_taskbar_hint(true);
    window.set_skip_pager_hint(true);
    window.set_keep_above(true);
    window.stick();
    window
}

/// Toolkit units: GTK places windows in pixels divided by its scale factor.
fn to_toolkit(window: &gtk::Window, frame: Rect) -> (i32, i32, i32, i32) {
    let scale = window.scale_factor().max(1);
    (
        frame.x / scale,
        frame.y / scale,
        (frame.width as i32 / scale).max(1),
        (frame.height as i32 / scale).max(1),
    )
}

fn place(window: &gtk::Window, frame: Rect) {
    let (x, y, width, height) = to_toolkit(window, frame);
    window.set_size_request(width, height);
    window.move_(x, y);
    window.resize(width, height);
}

fn local_time() -> String {
    glib::DateTime::now_local()
        .and_then(|t| t.format("%H:%M"))
        .map(|s| s.to_string())
        .unwrap_or_default()
}

/// The monitor is first reduced to this many pixels across: a line of
/// 110-pixel digits on a 1280-pixel screen becomes about one pixel a
/// digit, too little for any digit, letter or face. Fixed, whatever the
/// screen, so the blur can never come out weak.
const BLUR_WIDTH: i32 = 16;
/// Then enlarged in doubling steps (each bilinear) to this width, which
/// smooths the blocks into a soft blur; the screen-sized enlargement is
/// left to the drawing.
const SMOOTH_WIDTH: i32 = 128;

/// The monitor's content, downscaled hard and smoothed; None where it
/// cannot be captured (Wayland, where a client cannot read the screen; an
/// X error). The capture exists only in memory, in this process; the
/// full-size copy is dropped before this returns.
fn capture_blurred(window: &gtk::Window, frame: Rect) -> Option<gdk_pixbuf::Pixbuf> {
    use gdk_pixbuf::InterpType::Bilinear;
    let display = window.display();
    if !display.type_().name().contains("X11") {
        return None;
    }
    let root = gdk::Screen::default()?.root_window()?;
    let (x, y, width, height) = to_toolkit(window, frame);
    let full = root.pixbuf(x, y, width, height)?;
    let height_for = |w: i32| ((height as i64 * w as i64) / width.max(1) as i64).max(1) as i32;
    // Down in steps of at most 4 (bilinear averages what it drops), so
    // every source pixel counts and thin strokes do not survive.
    let mut image = full;
    let mut w = width;
    while w > BLUR_WIDTH {
        w = (w / 4).max(BLUR_WIDTH);
        image = image.scale_simple(w, height_for(w), Bilinear)?;
    }
    while w < SMOOTH_WIDTH {
        w *= 2;
        image = image.scale_simple(w, height_for(w), Bilinear)?;
    }
    Some(image)
}

fn new_shield(style: &gtk::CssProvider) -> (gtk::Window, Rc<RefCell<Option<gdk_pixbuf::Pixbuf>>>) {
    let window = bare_window(SHIELD_TITLE);
    styled(&window, style, "veil-shield");
    let overlay = gtk::Overlay::new();
    // Under the clock: the screen as it was, blurred, and darkened so the
    // clock reads on any picture; nothing (the window's dark background)
    // when the style is opaque or the screen could not be captured.
    let blurred: Rc<RefCell<Option<gdk_pixbuf::Pixbuf>>> = Rc::new(RefCell::new(None));
    let picture = gtk::DrawingArea::new();
    {
        let blurred = blurred.clone();
        picture.connect_draw(move |area, cr| {
            if let Some(small) = blurred.borrow().as_ref() {
                let (w, h) = (
                    area.allocated_width() as f64,
                    area.allocated_height() as f64,
                );
                cr.save().ok();
                cr.scale(w / small.width() as f64, h / small.height() as f64);
                cr.set_source_pixbuf(small, 0.0, 0.0);
                // Smooth (bilinear) enlargement: the blur itself.
                let pattern = cr.source();
                pattern.set_filter(gtk::cairo::Filter::Good);
                pattern.set_extend(gtk::cairo::Extend::Pad);
                cr.paint().ok();
                cr.restore().ok();
                cr.set_source_rgba(0.05, 0.07, 0.09, 0.45);
                cr.paint().ok();
            }
            glib::Propagation::Proceed
        });
    }
    overlay.add(&picture);
    let column = gtk::Box::new(gtk::Orientation::Vertical, 12);
    column.set_valign(gtk::Align::Center);
    column.set_halign(gtk::Align::Center);
    let clock = gtk::Label::new(Some(&local_time()));
    styled(&clock, style, "veil-clock");
    let hint = gtk::Label::new(Some(&WORDS.with(|w| w.borrow().hint.clone())));
    styled(&hint, style, "veil-hint");
    column.add(&clock);
    column.add(&hint);
    overlay.add_overlay(&column);
    window.add(&overlay);
    // The clock stops with its window.
    let weak = clock.downgrade();
    glib::timeout_add_seconds_local(1, move || match weak.upgrade() {
        Some(clock) => {
            clock.set_text(&local_time());
            glib::ControlFlow::Continue
        }
        None => glib::ControlFlow::Break,
    });
    (window, blurred)
}

/// Covers one monitor (`frame` in physical pixels) with the overlay number
/// `index`, creating it if needed, and gives it the keyboard so nothing
/// typed reaches the windows behind. With `blur`, the overlay shows the
/// monitor as it is now, downscaled past reading (taken before the overlay
/// is up); where that cannot be done, it is opaque. Returns whether the
/// blur is shown.
pub fn show_shield(index: usize, frame: Rect, blur: bool) -> Result<bool, CoverError> {
    COVERS.with(|covers| {
        let mut covers = covers.borrow_mut();
        let style = covers.style()?;
        while covers.shields.len() <= index {
            covers.shields.push(new_shield(&style));
        }
        let (window, picture) = &covers.shields[index];
        // A monitor already covered keeps its picture (a capture now would
        // be of the cover itself).
        if !window.is_visible() {
            *picture.borrow_mut() = if blur {
                capture_blurred(window, frame)
            } else {
                None
            };
        }
        let blurred = picture.borrow().is_some();
        place(window, frame);
        window.show_all();
        window.set_keep_above(true);
        window.present();
        window.display().flush();
        Ok(blurred)
    })
}

/// Removes overlays beyond the first `count` (a monitor unplugged).
pub fn keep_shields(count: usize) {
    COVERS.with(|covers| {
        let mut covers = covers.borrow_mut();
        if covers.shields.len() > count {
            for (window, _) in covers.shields.split_off(count) {
                destroy(&window);
            }
        }
    });
}

/// Keeps the overlays above anything that popped up since (notifications).
pub fn raise_shields() {
    COVERS.with(|covers| {
        for (window, _) in &covers.borrow().shields {
            window.set_keep_above(true);
            if let Some(gdk_window) = window.window() {
                gdk_window.raise();
            }
        }
    });
}

pub fn hide_shields() {
    COVERS.with(|covers| {
        for (window, picture) in covers.borrow_mut().shields.drain(..) {
            // The picture goes with the shield.
            picture.borrow_mut().take();
            destroy(&window);
        }
    });
    // The blur's capture and its scaled copies were megabytes each; glibc
    // keeps freed heap for reuse, so the tray would stay that much bigger
    // after every shield. Hand it back to the OS.
    #[cfg(target_env = "gnu")]
    // SAFETY: malloc_trim only releases free memory; no pointer is touched.
    unsafe {
        libc::malloc_trim(0);
    }
}

fn destroy(window: &gtk::Window) {
    // Hidden and sent to the X server first, so the screen is uncovered
    // now even if the toolkit finishes the destruction later.
    window.hide();
    window.display().flush();
    // SAFETY: the registry held the only reference to this window and has
    // let go of it; no other code can reach it afterwards.
    unsafe { window.destroy() };
}

/// The words on the shield and the countdown, in the agent's language
/// (the app formats them from its catalogs; veil-os keeps no texts).
pub struct Words {
    /// Under the clock on the shield.
    pub hint: String,
    /// After the seconds left (shown large): "seconds until Veil covers...".
    pub countdown: Box<dyn Fn(u64) -> String>,
}

impl Default for Words {
    fn default() -> Self {
        Words {
            hint: "Move the mouse to continue".into(),
            countdown: Box::new(|seconds| {
                let unit = if seconds == 1 { "second" } else { "seconds" };
                format!("{unit} until Veil covers your screen. Move the mouse to stay.")
            }),
        }
    }
}

thread_local! {
    // The windows live on the main thread; so do their words.
    static WORDS: std::cell::RefCell<Words> = std::cell::RefCell::new(Words::default());
}

/// Sets the words for the shields and countdowns shown from now on. Call
/// on the main thread, like everything here.
pub fn set_words(words: Words) {
    WORDS.with(|w| *w.borrow_mut() = words);
}

fn countdown_text(seconds: u64) -> String {
    let rest = WORDS.with(|w| (w.borrow().countdown)(seconds));
    format!(
        "<span size=\"140%\" weight=\"bold\">{seconds}</span>  {}",
        glib::markup_escape_text(&rest)
    )
}

/// The countdown before the shield. With `dim`, every monitor (`frames`,
/// physical pixels) is darkened by a see-through window with the countdown
/// in its middle; it takes no focus and lets clicks through, so the
/// agent's next key press or click goes where it was meant to (and, being
/// input, ends the countdown). Without `dim` (an X server with no
/// compositing manager draws see-through windows black), a banner at the
/// top of `primary`, the primary monitor's frame with its scale factor.
pub fn show_countdown(
    seconds: u64,
    frames: &[Rect],
    dim: bool,
    primary: Option<(Rect, f64)>,
) -> Result<(), CoverError> {
    hide_countdown();
    COVERS.with(|covers| {
        let mut covers = covers.borrow_mut();
        let style = covers.style()?;
        if dim && !frames.is_empty() {
            for frame in frames {
                let shown = new_dim(&style, *frame, seconds)?;
                covers.countdown.push(shown);
            }
        } else {
            covers.countdown.push(new_banner(&style, seconds, primary));
        }
        Ok(())
    })
}

/// The countdown never takes the keyboard: the agent's next key press goes
/// where it was meant to (and, being input, ends the countdown).
fn countdown_window() -> gtk::Window {
    let window = bare_window(COUNTDOWN_TITLE);
    window.set_accept_focus(false);
    window.set_focus_on_map(false);
    window
}

fn countdown_label(style: &gtk::CssProvider, seconds: u64) -> gtk::Label {
    let label = gtk::Label::new(None);
    label.set_markup(&countdown_text(seconds));
    styled(&label, style, "veil-countdown");
    label
}

fn new_banner(
    style: &gtk::CssProvider,
    seconds: u64,
    primary: Option<(Rect, f64)>,
) -> (gtk::Window, gtk::Label) {
    let window = countdown_window();
    styled(&window, style, "veil-banner");
    let label = countdown_label(style, seconds);
    // Never wider than the banner: the text is cut, the banner is not.
    label.set_ellipsize(pango::EllipsizeMode::End);
    label.set_margin_start(16);
    label.set_margin_end(16);
    window.add(&label);
    let (width, height) = BANNER;
    window.set_size_request(width, height);
    if let Some((monitor, scale)) = primary {
        let physical_width = (f64::from(width) * scale).round() as i32;
        let frame = Rect {
            x: monitor.x + (monitor.width as i32 - physical_width) / 2,
            y: monitor.y + (f64::from(BANNER_TOP) * scale).round() as i32,
            width: 1,
            height: 1,
        };
        let (x, y, _, _) = to_toolkit(&window, frame);
        window.move_(x, y);
    }
    window.show_all();
    (window, label)
}

fn new_dim(
    style: &gtk::CssProvider,
    frame: Rect,
    seconds: u64,
) -> Result<(gtk::Window, gtk::Label), CoverError> {
    let window = countdown_window();
    let visual = gtk::prelude::WidgetExt::screen(&window)
        .and_then(|s| s.rgba_visual())
        .ok_or(CoverError::NoTransparency)?;
    window.set_visual(Some(&visual));
    window.set_app_paintable(true);
    styled(&window, style, "veil-dim");
    window.connect_draw(|_, cr| {
        // The screen behind, darkened (#0e1116 at 55 %).
        cr.set_operator(gtk::cairo::Operator::Source);
        cr.set_source_rgba(14.0 / 255.0, 17.0 / 255.0, 22.0 / 255.0, 0.55);
        let _ = cr.paint();
        cr.set_operator(gtk::cairo::Operator::Over);
        glib::Propagation::Proceed
    });
    let card = gtk::Box::new(gtk::Orientation::Horizontal, 0);
    styled(&card, style, "veil-countdown-box");
    card.set_valign(gtk::Align::Center);
    card.set_halign(gtk::Align::Center);
    let label = countdown_label(style, seconds);
    card.add(&label);
    window.add(&card);
    place(&window, frame);
    window.show_all();
    // Clicks pass through to the windows behind: an empty input shape,
    // which needs the realized window.
    window.input_shape_combine_region(Some(&gtk::cairo::Region::create()));
    Ok((window, label))
}

/// Sends the seconds left to the countdown; false when none is shown.
pub fn set_countdown(seconds: u64) -> bool {
    COVERS.with(|covers| {
        let covers = covers.borrow();
        for (_, label) in &covers.countdown {
            label.set_markup(&countdown_text(seconds));
        }
        !covers.countdown.is_empty()
    })
}

pub fn hide_countdown() {
    COVERS.with(|covers| {
        for (window, _) in covers.borrow_mut().countdown.drain(..) {
            destroy(&window);
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_countdown_text_counts_in_words_that_agree() {
        assert!(countdown_text(1).contains(">1</span>  second until"));
        assert!(countdown_text(9).contains(">9</span>  seconds until"));
    }
}
