//! Sessions of camera and microphone use: each process using a device is one
//! session from the first look that sees it to the first that does not. The
//! allow-list decides which sessions are quiet; the others are told to the
//! agent once, and not again while the same program keeps using the device
//! (a call that reopens the camera is one call).

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::time::Duration;
use ts_rs::TS;

use serde::Serialize;

use super::{app_name, DeviceUse, Trust, UseKind};
use crate::clock::Millis;
use crate::mic::classify::pattern_matches;

/// The same program using the same kind of device again within this long
/// is not told again.
pub const REPEAT_QUIET: Duration = Duration::from_secs(10 * 60);

/// Finished sessions kept for the dashboard.
pub const HISTORY: usize = 50;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Session {
    pub kind: UseKind,
    pub device: String,
    pub device_name: String,
    pub pid: u32,
    pub exe: String,
    /// The program's name, for people.
    pub app: String,
    pub user: Option<String>,
    /// Unix milliseconds.
    pub started: i64,
    pub stopped: Option<i64>,
    /// The allow-list names this program (and it is where only an
    /// administrator could have put it).
    pub allowed: bool,
    /// Whose word the pid and program are.
    pub trust: Trust,
}

impl Session {
    pub fn duration(&self, now: Millis) -> Duration {
        let end = self.stopped.unwrap_or(now.0);
        Duration::from_millis(end.saturating_sub(self.started).max(0) as u64)
    }

    /// The audit log's details for this session.
    pub fn details(&self, now: Millis) -> String {
        let who = format!(
            "{} (pid {}, {}{})",
            self.app,
            self.pid,
            self.exe,
            self.user
                .as_deref()
                .map(|u| format!(", user {u}"))
                .unwrap_or_default()
        );
        let allowed = match (self.allowed, self.trust) {
            (true, _) => "allowed by policy",
            (false, Trust::Claimed) => "its pid and program are only its own claim",
            (false, Trust::UntrustedLocation) => {
                "its program is not in a folder only an administrator can write"
            }
            (false, Trust::Verified) => "not on the allow-list",
        };
        match self.stopped {
            None => format!("{who} on {}; {allowed}", self.device_name),
            Some(_) => format!(
                "{who} on {}; {allowed}; after {} s",
                self.device_name,
                self.duration(now).as_secs()
            ),
        }
    }
}

/// Programs that may use the camera or microphone quietly. An entry matches
/// the program's full path or its file name (`.exe` optional); `*` matches
/// any run of characters; case is ignored.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct AllowList {
    pub camera: Vec<String>,
    pub microphone: Vec<String>,
}

impl AllowList {
    /// Whether `u` may use its device quietly: named by the list, and the
    /// OS's word on a program only an administrator could have put there.
    pub fn allows_use(&self, u: &DeviceUse) -> bool {
        u.trust == Trust::Verified && self.allows(u.kind, &u.exe)
    }

    pub fn allows(&self, kind: UseKind, exe: &str) -> bool {
        let list = match kind {
            UseKind::Camera => &self.camera,
            UseKind::Microphone => &self.microphone,
        };
        let app = app_name(exe);
        list.iter().any(|p| {
            let p = p.trim();
            let p_app = app_name(p);
            pattern_matches(p, exe) || (!p.contains(['/', '\\']) && pattern_matches(&p_app, &app))
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SessionEvent {
    /// `notify`: tell the agent (not allowed, and not told recently).
    Started {
        session: Session,
        notify: bool,
    },
    /// The process holding the device now runs another program (it called
    /// exec after opening the device). `notify` as for `Started`; an
    /// allowed program that becomes one that is not is always told.
    Changed {
        session: Session,
        previous_exe: String,
        notify: bool,
    },
    Stopped(Session),
}

type Key = (UseKind, String, u32);

#[derive(Debug, Clone, Default)]
pub struct Sessions {
    open: BTreeMap<Key, Session>,
    history: VecDeque<Session>,
    /// When each (kind, program) was last seen using a device.
    last_seen: HashMap<(UseKind, String), Millis>,
    allow: AllowList,
}

impl Sessions {
    pub fn new(allow: AllowList) -> Self {
        Self {
            allow,
            ..Self::default()
        }
    }

    /// A new allow-list applies to open sessions too (quietly).
    pub fn set_allow(&mut self, allow: AllowList) {
        for s in self.open.values_mut() {
            s.allowed = s.trust == Trust::Verified && allow.allows(s.kind, &s.exe);
        }
        self.allow = allow;
    }

    /// Everything of `kind` in use now; sessions not in `uses` have ended.
    pub fn observe(&mut self, kind: UseKind, uses: &[DeviceUse], now: Millis) -> Vec<SessionEvent> {
        let mut events = Vec::new();
        let seen: BTreeMap<Key, &DeviceUse> = uses
            .iter()
            .filter(|u| u.kind == kind)
            .map(|u| ((kind, u.device.clone(), u.pid), u))
            .collect();
        let ended: Vec<Key> = self
            .open
            .keys()
            .filter(|k| k.0 == kind && !seen.contains_key(*k))
            .cloned()
            .collect();
        for key in ended {
            if let Some(mut s) = self.open.remove(&key) {
                s.stopped = Some(now.0);
                self.last_seen.insert((kind, s.app.clone()), now);
                self.history.push_front(s.clone());
                self.history.truncate(HISTORY);
                events.push(SessionEvent::Stopped(s));
            }
        }
        for (key, u) in seen {
            let app = u.app();
            if let Some(s) = self.open.get_mut(&key) {
                // The same process now runs another program (it called
                // exec after opening the device, as shells do), or the name
                // was hidden at first: show and record what runs now.
                if (!u.exe.is_empty() && u.exe != s.exe) || u.trust != s.trust {
                    let was_allowed = s.allowed;
                    let previous_exe = std::mem::replace(&mut s.exe, u.exe.clone());
                    s.app = app.clone();
                    s.trust = u.trust;
                    s.allowed = self.allow.allows_use(u);
                    let seen_lately = self
                        .last_seen
                        .get(&(kind, app.clone()))
                        .is_some_and(|at| now.since(*at) < REPEAT_QUIET);
                    events.push(SessionEvent::Changed {
                        session: s.clone(),
                        previous_exe,
                        notify: !s.allowed && (was_allowed || !seen_lately),
                    });
                }
                self.last_seen.insert((kind, app), now);
                continue;
            }
            let allowed = self.allow.allows_use(u);
            let running_already = self.open.values().any(|s| s.kind == kind && s.app == app);
            let seen_lately = self
                .last_seen
                .get(&(kind, app.clone()))
                .is_some_and(|at| now.since(*at) < REPEAT_QUIET);
            let notify = !allowed && !running_already && !seen_lately;
            let session = Session {
                kind,
                device: u.device.clone(),
                device_name: u.device_name.clone(),
                pid: u.pid,
                exe: u.exe.clone(),
                app: app.clone(),
                user: u.user.clone(),
                started: now.0,
                stopped: None,
                allowed,
                trust: u.trust,
            };
            self.last_seen.insert((kind, app), now);
            self.open.insert(key, session.clone());
            events.push(SessionEvent::Started { session, notify });
        }
        events
    }

    /// Sessions in progress, camera first.
    pub fn open(&self) -> impl Iterator<Item = &Session> + Clone {
        self.open.values()
    }

    /// Finished sessions, most recent first.
    pub fn history(&self) -> impl Iterator<Item = &Session> {
        self.history.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_os_word_on_an_administrators_program_is_allowed() {
        let mut s = Sessions::new(allow(&["zoiper"]));
        let mut claimed = cam("/dev/video0", 7, "/usr/bin/zoiper");
        claimed.trust = Trust::Claimed;
        let mut copy = cam("/dev/video0", 8, "/home/agent/Downloads/zoiper");
        copy.trust = Trust::UntrustedLocation;
        let real = cam("/dev/video0", 9, "/usr/bin/zoiper");
        let events = s.observe(UseKind::Camera, &[claimed, copy, real], Millis(0));
        let started: Vec<(u32, String, bool)> = events
            .iter()
            .filter_map(|e| match e {
                SessionEvent::Started { session, .. } => {
                    Some((session.pid, session.app.clone(), session.allowed))
                }
                _ => None,
            })
            .collect();
        assert_eq!(
            started,
            [
                (7, "unknown program".to_string(), false),
                (8, "zoiper".to_string(), false),
                (9, "zoiper".to_string(), true),
            ]
        );
        let details = s.open().find(|x| x.pid == 8).unwrap().details(Millis(0));
        assert!(
            details.contains("not in a folder only an administrator can write"),
            "{details}"
        );
    }

    fn cam(device: &str, pid: u32, exe: &str) -> DeviceUse {
        DeviceUse {
            kind: UseKind::Camera,
            device: device.into(),
            device_name: "Integrated Camera".into(),
            pid,
            exe: exe.into(),
            user: Some("agent".into()),
            trust: Trust::Verified,
        }
    }

    fn allow(camera: &[&str]) -> AllowList {
        AllowList {
            camera: camera.iter().map(|s| s.to_string()).collect(),
            microphone: vec![],
        }
    }

    #[test]
    fn allow_list_matching() {
        let a = allow(&["zoiper", "/opt/softphone/*", "Teams.exe"]);
        for (exe, ok) in [
            ("/usr/bin/zoiper", true),
            ("/usr/bin/ZOIPER", true),
            ("/opt/softphone/bin/phone", true),
            ("/opt/other/phone", false),
            (r"C:\Program Files\Microsoft\Teams\current\Teams.exe", true),
            (r"C:\x\teams", true),
            ("/usr/bin/chrome", false),
            ("", false),
        ] {
            assert_eq!(a.allows(UseKind::Camera, exe), ok, "{exe}");
        }
        assert!(!a.allows(UseKind::Microphone, "/usr/bin/zoiper"));
    }

    /// (at second, uses as (device, pid, exe), started as (pid, notify),
    /// stopped pids)
    type Row = (
        i64,
        &'static [(&'static str, u32, &'static str)],
        &'static [(u32, bool)],
        &'static [u32],
    );

    #[test]
    fn sessions_start_stop_and_notify_once() {
        let rows: &[Row] = &[
            // Chrome opens the camera: told.
            (
                0,
                &[("/dev/video0", 10, "/usr/bin/chrome")],
                &[(10, true)],
                &[],
            ),
            // Still open: nothing new.
            (1, &[("/dev/video0", 10, "/usr/bin/chrome")], &[], &[]),
            // The allow-listed softphone joins: quiet.
            (
                2,
                &[
                    ("/dev/video0", 10, "/usr/bin/chrome"),
                    ("/dev/video0", 20, "/usr/bin/zoiper"),
                ],
                &[(20, false)],
                &[],
            ),
            // Chrome closes it.
            (3, &[("/dev/video0", 20, "/usr/bin/zoiper")], &[], &[10]),
            // Chrome reopens it within the quiet time (same call): not told.
            (
                60,
                &[
                    ("/dev/video0", 20, "/usr/bin/zoiper"),
                    ("/dev/video0", 11, "/usr/bin/chrome"),
                ],
                &[(11, false)],
                &[],
            ),
            // A second device in the same program at once: not told twice.
            (
                61,
                &[
                    ("/dev/video0", 20, "/usr/bin/zoiper"),
                    ("/dev/video0", 11, "/usr/bin/chrome"),
                    ("/dev/video2", 11, "/usr/bin/chrome"),
                ],
                &[(11, false)],
                &[],
            ),
            // Everything closes.
            (62, &[], &[], &[11, 11, 20]),
            // Chrome, much later: a new call, told again.
            (
                62 + 601,
                &[("/dev/video0", 12, "/usr/bin/chrome")],
                &[(12, true)],
                &[],
            ),
        ];
        let mut s = Sessions::new(allow(&["zoiper"]));
        for (at, uses, started, stopped) in rows {
            let uses: Vec<DeviceUse> = uses.iter().map(|(d, p, e)| cam(d, *p, e)).collect();
            let events = s.observe(UseKind::Camera, &uses, Millis(at * 1000));
            let mut got_started = vec![];
            let mut got_stopped = vec![];
            for e in events {
                match e {
                    SessionEvent::Started { session, notify } => {
                        got_started.push((session.pid, notify))
                    }
                    SessionEvent::Stopped(session) => got_stopped.push(session.pid),
                    SessionEvent::Changed { .. } => panic!("no program changes here"),
                }
            }
            got_stopped.sort();
            assert_eq!(got_started, *started, "started at {at}");
            assert_eq!(got_stopped, *stopped, "stopped at {at}");
        }
        assert_eq!(s.history().count(), 4);
        let last = s.history().next().unwrap();
        assert_eq!(last.stopped, Some(62_000));
    }

    #[test]
    fn kinds_are_separate() {
        let mut s = Sessions::new(AllowList::default());
        let mut mic = cam("alsa_input.usb", 10, "/usr/bin/chrome");
        mic.kind = UseKind::Microphone;
        s.observe(
            UseKind::Camera,
            &[cam("/dev/video0", 10, "/usr/bin/chrome")],
            Millis(0),
        );
        let events = s.observe(UseKind::Microphone, &[mic], Millis(1000));
        // The microphone is its own session, told on its own.
        assert!(matches!(
            &events[..],
            [SessionEvent::Started { notify: true, session }] if session.kind == UseKind::Microphone
        ));
        // Looking at the microphone ends no camera session.
        let events = s.observe(UseKind::Microphone, &[], Millis(2000));
        assert_eq!(events.len(), 1);
        assert_eq!(s.open().count(), 1);
        assert_eq!(s.open().next().unwrap().kind, UseKind::Camera);
    }

    #[test]
    fn details_and_duration() {
        let mut s = Sessions::new(allow(&["chrome"]));
        s.observe(
            UseKind::Camera,
            &[cam("/dev/video0", 10, "/usr/bin/chrome")],
            Millis(1_000),
        );
        let events = s.observe(UseKind::Camera, &[], Millis(43_500));
        let SessionEvent::Stopped(session) = &events[0] else {
            panic!("{events:?}")
        };
        assert_eq!(session.duration(Millis(0)).as_millis(), 42_500);
        assert_eq!(
            session.details(Millis(0)),
            "chrome (pid 10, /usr/bin/chrome, user agent) on Integrated Camera; allowed by policy; after 42 s"
        );
    }

    #[test]
    fn a_process_that_execs_shows_its_new_program() {
        let mut s = Sessions::new(allow(&["sleep"]));
        s.observe(
            UseKind::Camera,
            &[cam("/dev/video0", 10, "/usr/bin/dash")],
            Millis(0),
        );
        assert!(!s.open().next().unwrap().allowed);
        let events = s.observe(
            UseKind::Camera,
            &[cam("/dev/video0", 10, "/usr/bin/sleep")],
            Millis(5),
        );
        let [SessionEvent::Changed {
            session,
            previous_exe,
            notify: false,
        }] = &events[..]
        else {
            panic!("the same session goes on, changed: {events:?}")
        };
        assert_eq!(previous_exe, "/usr/bin/dash");
        assert_eq!((session.app.as_str(), session.allowed), ("sleep", true));
        assert_eq!(s.open().count(), 1);
        // Nothing new while it stays the same program.
        let events = s.observe(
            UseKind::Camera,
            &[cam("/dev/video0", 10, "/usr/bin/sleep")],
            Millis(10),
        );
        assert!(events.is_empty(), "{events:?}");
    }

    #[test]
    fn an_allowed_program_that_execs_another_is_told() {
        // (exe before, exe after, told)
        for (before, after, told) in [
            ("/usr/bin/zoiper", "/tmp/grabber", true),
            ("/usr/bin/zoiper", "/usr/bin/zoiper-helper", false),
            // Told about dash already; the new program is told once too.
            ("/usr/bin/dash", "/tmp/grabber", true),
            ("/usr/bin/dash", "/usr/bin/zoiper", false),
        ] {
            let mut s = Sessions::new(allow(&["zoiper*"]));
            s.observe(
                UseKind::Camera,
                &[cam("/dev/video0", 10, before)],
                Millis(0),
            );
            let events = s.observe(UseKind::Camera, &[cam("/dev/video0", 10, after)], Millis(5));
            assert!(
                matches!(&events[..], [SessionEvent::Changed { notify, .. }] if *notify == told),
                "{before} -> {after}: {events:?}"
            );
        }
    }

    #[test]
    fn a_new_allow_list_applies_to_open_sessions() {
        let mut s = Sessions::new(AllowList::default());
        s.observe(
            UseKind::Camera,
            &[cam("/dev/video0", 10, "/usr/bin/chrome")],
            Millis(0),
        );
        assert!(!s.open().next().unwrap().allowed);
        s.set_allow(allow(&["chrome"]));
        assert!(s.open().next().unwrap().allowed);
    }
}
