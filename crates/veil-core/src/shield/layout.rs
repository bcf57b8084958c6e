//! Where the overlays go: one per monitor, covering it exactly, in the
//! physical pixels the OS uses to place windows. Monitors can have their own
//! scale factors, negative origins (left of or above the primary) and
//! portrait rotation; a gap or an overlap between monitors must not leave
//! any pixel of any monitor uncovered.

use serde::Serialize;

/// A rectangle in physical pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Rect {
    pub x: i32,
    pub y: i32,
    pub width: u32,
    pub height: u32,
}

impl Rect {
    fn right(&self) -> i64 {
        i64::from(self.x) + i64::from(self.width)
    }
    fn bottom(&self) -> i64 {
        i64::from(self.y) + i64::from(self.height)
    }

    pub fn contains(&self, x: i64, y: i64) -> bool {
        x >= i64::from(self.x) && x < self.right() && y >= i64::from(self.y) && y < self.bottom()
    }
}

/// A monitor as the OS reports it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Monitor {
    pub name: String,
    /// Position and size in physical pixels.
    pub frame: Rect,
    pub scale: f64,
}

/// One overlay: which monitor, its rectangle in physical pixels, and the
/// same in that monitor's logical pixels (what a web page lays out in).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Overlay {
    pub monitor: String,
    pub frame: Rect,
    pub logical_width: u32,
    pub logical_height: u32,
}

/// Overlays for every monitor; zero-sized monitors are skipped, duplicates
/// (mirrored displays) are covered once.
pub fn cover(monitors: &[Monitor]) -> Vec<Overlay> {
    let mut out: Vec<Overlay> = Vec::new();
    for m in monitors {
        if m.frame.width == 0 || m.frame.height == 0 {
            continue;
        }
        if out.iter().any(|o| o.frame == m.frame) {
            continue;
        }
        let scale = if m.scale.is_finite() && m.scale > 0.0 {
            m.scale
        } else {
            1.0
        };
        out.push(Overlay {
            monitor: m.name.clone(),
            frame: m.frame,
            logical_width: (f64::from(m.frame.width) / scale).ceil() as u32,
            logical_height: (f64::from(m.frame.height) / scale).ceil() as u32,
        });
    }
    out
}

/// True when every pixel of every monitor lies in some overlay (checked at
/// each monitor's corners and edges, where placement errors show).
pub fn covers_all(monitors: &[Monitor], overlays: &[Overlay]) -> bool {
    monitors
        .iter()
        .filter(|m| m.frame.width > 0 && m.frame.height > 0)
        .all(|m| {
            let f = m.frame;
            let xs = [
                i64::from(f.x),
                (i64::from(f.x) + f.right()) / 2,
                f.right() - 1,
            ];
            let ys = [
                i64::from(f.y),
                (i64::from(f.y) + f.bottom()) / 2,
                f.bottom() - 1,
            ];
            xs.iter().all(|x| {
                ys.iter()
                    .all(|y| overlays.iter().any(|o| o.frame.contains(*x, *y)))
            })
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mon(name: &str, x: i32, y: i32, w: u32, h: u32, scale: f64) -> Monitor {
        Monitor {
            name: name.into(),
            frame: Rect {
                x,
                y,
                width: w,
                height: h,
            },
            scale,
        }
    }

    #[test]
    fn layouts_are_covered_exactly() {
        // (what, monitors, overlay count, logical size of the first)
        type Row = (&'static str, Vec<Monitor>, usize, (u32, u32));
        let table: Vec<Row> = vec![
            (
                "one laptop screen",
                vec![mon("eDP-1", 0, 0, 1920, 1080, 1.0)],
                1,
                (1920, 1080),
            ),
            (
                "HiDPI laptop and a 1x monitor to its right",
                vec![
                    mon("eDP-1", 0, 0, 2880, 1800, 2.0),
                    mon("DP-1", 2880, 0, 1920, 1080, 1.0),
                ],
                2,
                (1440, 900),
            ),
            (
                "monitor left of and above the primary (negative origin)",
                vec![
                    mon("HDMI-1", -2560, -400, 2560, 1440, 1.0),
                    mon("eDP-1", 0, 0, 1920, 1200, 1.25),
                ],
                2,
                (2560, 1440),
            ),
            (
                "portrait monitor",
                vec![
                    mon("DP-2", 1920, -420, 1080, 1920, 1.0),
                    mon("eDP-1", 0, 0, 1920, 1080, 1.0),
                ],
                2,
                (1080, 1920),
            ),
            (
                "mirrored displays are covered once",
                vec![
                    mon("eDP-1", 0, 0, 1920, 1080, 1.0),
                    mon("HDMI-1", 0, 0, 1920, 1080, 1.0),
                ],
                1,
                (1920, 1080),
            ),
            (
                "fractional scale rounds up, never short",
                vec![mon("eDP-1", 0, 0, 2256, 1504, 1.5)],
                1,
                (1504, 1003),
            ),
            (
                "a disconnected (zero-size) output is skipped",
                vec![
                    mon("eDP-1", 0, 0, 1920, 1080, 1.0),
                    mon("DP-3", 0, 0, 0, 0, 1.0),
                ],
                1,
                (1920, 1080),
            ),
        ];
        for (what, monitors, count, first) in table {
            let o = cover(&monitors);
            assert_eq!(o.len(), count, "{what}");
            assert_eq!((o[0].logical_width, o[0].logical_height), first, "{what}");
            assert!(covers_all(&monitors, &o), "{what}");
        }
    }

    #[test]
    fn a_missing_overlay_is_noticed() {
        let monitors = vec![
            mon("a", 0, 0, 100, 100, 1.0),
            mon("b", 100, 0, 100, 100, 1.0),
        ];
        let mut o = cover(&monitors);
        o.pop();
        assert!(!covers_all(&monitors, &o));
    }
}
