//! Where a request for a window goes. Veil's windows run in a process of
//! their own (the window process), started when a window is asked for and
//! ended once none is open, so the tray app never holds a web engine. The
//! router decides, with no OS calls: send the open to the attached process,
//! or queue it and start one (once; a second request while it starts waits
//! for it), and whether an idle process may be told to quit.

use std::time::Duration;

use crate::clock::Millis;
use crate::control::{WindowMessage, WindowName};

/// A window process that has not attached after this long is taken as
/// failed: the next request starts another.
pub const ATTACH_WITHIN: Duration = Duration::from_secs(20);

#[derive(Debug, Default)]
pub struct WindowRouter {
    /// The attached process's link id.
    attached: Option<u64>,
    links: u64,
    /// Opens sent so far, over every link (each open's `seq`).
    sent: u64,
    /// Windows asked for while no process is attached, in order.
    waiting: Vec<WindowName>,
    /// The process being started: its number and when.
    starting: Option<(u64, Millis)>,
    starts: u64,
    /// Process ids of the window processes this app started that have not
    /// ended: the only ones whose attach is accepted.
    children: Vec<u32>,
}

/// Why an attach was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AttachRefused {
    #[error("the connection's process is not known")]
    UnknownPeer,
    #[error("process {0} is not the window process Veil started")]
    NotOurs(u32),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Route {
    /// Send this on the attached link.
    Send { link: u64, message: WindowMessage },
    /// Start window process number `start`; the open waits for it.
    Start { start: u64 },
    /// A process is being started; the open waits for it.
    Wait,
}

impl WindowRouter {
    pub fn open(&mut self, window: WindowName, now: Millis) -> Route {
        if let Some(link) = self.attached {
            self.sent += 1;
            return Route::Send {
                link,
                message: WindowMessage::Open {
                    seq: self.sent,
                    window,
                },
            };
        }
        if !self.waiting.contains(&window) {
            self.waiting.push(window);
        }
        match self.starting {
            Some((_, since)) if now.0 < since.plus(ATTACH_WITHIN).0 => Route::Wait,
            _ => {
                self.starts += 1;
                self.starting = Some((self.starts, now));
                Route::Start { start: self.starts }
            }
        }
    }

    /// The window process number `start` is running as `pid`.
    pub fn started(&mut self, pid: u32) {
        self.children.push(pid);
    }

    /// A window process this app started has ended.
    pub fn child_ended(&mut self, pid: u32) {
        self.children.retain(|p| *p != pid);
    }

    /// Whether a process may attach as the window process: only one this
    /// app started (`peer` is the connection's process as the OS says it),
    /// unless `any` (test builds driving a window process of their own).
    pub fn may_attach(&self, peer: Option<u32>, any: bool) -> Result<(), AttachRefused> {
        match peer {
            _ if any => Ok(()),
            None => Err(AttachRefused::UnknownPeer),
            Some(pid) if self.children.contains(&pid) => Ok(()),
            Some(pid) => Err(AttachRefused::NotOurs(pid)),
        }
    }

    /// A window process attached: its link id, and the opens that waited
    /// for it. A process attached before is replaced (its link is closed).
    pub fn attach(&mut self) -> (u64, Vec<WindowMessage>) {
        self.links += 1;
        self.attached = Some(self.links);
        self.starting = None;
        let opens = std::mem::take(&mut self.waiting)
            .into_iter()
            .map(|window| {
                self.sent += 1;
                WindowMessage::Open {
                    seq: self.sent,
                    window,
                }
            })
            .collect();
        (self.links, opens)
    }

    /// The link closed (the process quit or died). Later opens start a new one.
    pub fn link_closed(&mut self, link: u64) {
        if self.attached == Some(link) {
            self.attached = None;
        }
    }

    /// The process on `link` has no window and has handled every open up
    /// to `seen`: true when it may quit (the caller closes the link), false
    /// when an open is on its way to it.
    pub fn idle(&mut self, link: u64, seen: u64) -> bool {
        if self.attached != Some(link) {
            // A replaced link is already closed.
            return true;
        }
        if seen < self.sent {
            return false;
        }
        self.attached = None;
        true
    }

    /// Process number `start` ended without attaching: the windows that
    /// waited for it are dropped (the caller says so) and returned.
    pub fn start_failed(&mut self, start: u64) -> Vec<WindowName> {
        match self.starting {
            Some((s, _)) if s == start => {
                self.starting = None;
                std::mem::take(&mut self.waiting)
            }
            _ => Vec::new(),
        }
    }

    pub fn attached(&self) -> Option<u64> {
        self.attached
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use WindowName::*;

    fn open(seq: u64, window: WindowName) -> WindowMessage {
        WindowMessage::Open { seq, window }
    }

    #[test]
    fn opens_wait_for_one_started_process_then_go_straight_to_it() {
        let mut r = WindowRouter::default();
        let t0 = Millis(1_000);
        // (request, time, expected route)
        let steps = [
            (Main, t0, Route::Start { start: 1 }),
            (Main, t0.plus(Duration::from_millis(50)), Route::Wait),
            (Quiz, t0.plus(Duration::from_millis(90)), Route::Wait),
        ];
        for (window, now, want) in steps {
            assert_eq!(r.open(window, now), want, "{window:?} at {now:?}");
        }
        // The repeated Main is asked for once.
        assert_eq!(r.attach(), (1, vec![open(1, Main), open(2, Quiz)]));
        assert_eq!(
            r.open(Training, t0.plus(Duration::from_secs(1))),
            Route::Send {
                link: 1,
                message: open(3, Training)
            }
        );
    }

    #[test]
    fn a_process_that_never_attaches_is_retried_after_the_limit() {
        let mut r = WindowRouter::default();
        let t0 = Millis(0);
        assert_eq!(r.open(Main, t0), Route::Start { start: 1 });
        let just_before = t0.plus(ATTACH_WITHIN - Duration::from_millis(1));
        assert_eq!(r.open(Main, just_before), Route::Wait);
        assert_eq!(
            r.open(Main, t0.plus(ATTACH_WITHIN)),
            Route::Start { start: 2 }
        );
        // The first process ending late changes nothing for the second.
        assert_eq!(r.start_failed(1), Vec::<WindowName>::new());
        assert_eq!(r.start_failed(2), vec![Main]);
        assert_eq!(
            r.open(Quiz, t0.plus(ATTACH_WITHIN)),
            Route::Start { start: 3 }
        );
    }

    #[test]
    fn an_idle_process_quits_only_when_it_has_seen_every_open() {
        let mut r = WindowRouter::default();
        r.open(Main, Millis(0));
        let (link, _) = r.attach(); // sent open 1
        assert_eq!(
            r.open(Quiz, Millis(10)),
            Route::Send {
                link,
                message: open(2, Quiz)
            }
        );
        // The dashboard closed before the quiz open arrived: keep it.
        assert!(!r.idle(link, 1));
        assert_eq!(r.attached(), Some(link));
        // The quiz closed too: now it may quit, and the next open starts anew.
        assert!(r.idle(link, 2));
        assert_eq!(r.attached(), None);
        assert_eq!(r.open(Main, Millis(20)), Route::Start { start: 2 });
    }

    #[test]
    fn only_the_window_process_veil_started_may_attach() {
        let mut r = WindowRouter::default();
        assert_eq!(
            r.may_attach(Some(42), false),
            Err(AttachRefused::NotOurs(42))
        );
        assert_eq!(r.may_attach(None, false), Err(AttachRefused::UnknownPeer));
        r.started(42);
        assert_eq!(r.may_attach(Some(42), false), Ok(()));
        assert_eq!(
            r.may_attach(Some(43), false),
            Err(AttachRefused::NotOurs(43))
        );
        r.child_ended(42);
        assert_eq!(
            r.may_attach(Some(42), false),
            Err(AttachRefused::NotOurs(42))
        );
        // Test builds under WebDriver start the window process themselves.
        assert_eq!(r.may_attach(Some(7), true), Ok(()));
    }

    #[test]
    fn a_newer_process_replaces_the_older_and_the_older_link_is_ignored() {
        let mut r = WindowRouter::default();
        let (first, _) = r.attach();
        let (second, opens) = r.attach();
        assert_ne!(first, second);
        assert!(opens.is_empty());
        // The old link closing or going idle leaves the new one attached.
        r.link_closed(first);
        assert!(r.idle(first, 0));
        assert_eq!(r.attached(), Some(second));
        r.link_closed(second);
        assert_eq!(r.attached(), None);
    }
}
