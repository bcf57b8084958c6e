//! `screen_lock`: does the computer lock itself soon enough when left
//! alone? Each desktop keeps this differently; every reader ends in the
//! same question: is locking on, and does it happen within
//! `posture.max_lock_minutes` of the last input?

use std::time::Duration;

use super::Observation;
use crate::i18n::Message;

/// A time in words ("5 minutes 5 seconds"), as a message.
pub fn duration_message(d: Duration) -> Message {
    let s = d.as_secs();
    let count = |n: u64| i64::try_from(n).unwrap_or(i64::MAX);
    let (h, m, sec) = (s / 3600, (s % 3600) / 60, s % 60);
    let units: Vec<Message> = [
        (h > 0).then(|| Message::new("check-duration-hours").number("count", count(h))),
        (m > 0).then(|| Message::new("check-duration-minutes").number("count", count(m))),
        (sec > 0).then(|| Message::new("check-duration-seconds").number("count", count(sec))),
    ]
    .into_iter()
    .flatten()
    .collect();
    let mut units = units.into_iter();
    match (units.next(), units.next(), units.next()) {
        (None, _, _) => Message::new("check-duration-seconds").number("count", 0),
        (Some(a), None, _) => a,
        (Some(a), Some(b), None) => Message::new("check-duration-two")
            .part("first", a)
            .part("second", b),
        (Some(a), Some(b), Some(c)) => Message::new("check-duration-three")
            .part("first", a)
            .part("second", b)
            .part("third", c),
    }
}

fn expected(max: Duration) -> String {
    format!("locks within {} minutes", max.as_secs().div_ceil(60))
}

fn within(after: Duration, max: Duration) -> Observation {
    if after <= max {
        Observation::pass(
            "lock_on",
            &expected(max),
            Message::new("check-screen-lock-on").part("after", duration_message(after)),
        )
    } else {
        Observation::fail(
            "lock_too_late",
            &expected(max),
            Message::new("check-screen-lock-too-late")
                .part("after", duration_message(after))
                .part("max", duration_message(max)),
        )
    }
}

fn off(max: Duration, message: Message) -> Observation {
    Observation::fail("lock_off", &expected(max), message)
}

/// GNOME's settings (`org.gnome.desktop.*`), as gsettings reads them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Gnome {
    /// `screensaver lock-enabled`.
    pub lock_enabled: bool,
    /// `session idle-delay`, seconds; 0 is never.
    pub idle_delay: u32,
    /// `screensaver lock-delay`, seconds after the screen blanks.
    pub lock_delay: u32,
    /// `lockdown disable-lock-screen`.
    pub lockdown_disabled: bool,
}

pub fn decide_gnome(g: &Gnome, max: Duration) -> Observation {
    if g.lockdown_disabled {
        return off(max, Message::new("check-screen-lock-gnome-lockdown"));
    }
    if !g.lock_enabled {
        return off(max, Message::new("check-screen-lock-gnome-off"));
    }
    if g.idle_delay == 0 {
        return off(max, Message::new("check-screen-lock-gnome-never-blanks"));
    }
    within(
        Duration::from_secs(u64::from(g.idle_delay) + u64::from(g.lock_delay)),
        max,
    )
}

/// KDE Plasma's `kscreenlockerrc` (`[Daemon]`), with Plasma's defaults for
/// absent keys: Autolock true, Timeout 5 minutes, LockGrace 5 seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Kde {
    pub autolock: bool,
    pub timeout_minutes: u32,
    pub lock_grace_seconds: u32,
}

impl Kde {
    /// The file's text; None when it does not exist (all defaults).
    pub fn parse(text: Option<&str>) -> Kde {
        let mut k = Kde {
            autolock: true,
            timeout_minutes: 5,
            lock_grace_seconds: 5,
        };
        let mut in_daemon = false;
        for line in text.unwrap_or("").lines() {
            let line = line.trim();
            if line.starts_with('[') {
                in_daemon = line == "[Daemon]";
                continue;
            }
            if !in_daemon {
                continue;
            }
            let Some((key, value)) = line.split_once('=') else {
                continue;
            };
            // KDE keys may carry a `[$i]` (immutable) or locale suffix.
            let key = key.trim().split('[').next().unwrap_or("").trim();
            let value = value.trim();
            match key {
                "Autolock" => k.autolock = !value.eq_ignore_ascii_case("false"),
                "Timeout" => {
                    if let Ok(v) = value.parse() {
                        k.timeout_minutes = v;
                    }
                }
                "LockGrace" => {
                    if let Ok(v) = value.parse() {
                        k.lock_grace_seconds = v;
                    }
                }
                _ => {}
            }
        }
        k
    }
}

pub fn decide_kde(k: &Kde, max: Duration) -> Observation {
    if !k.autolock {
        return off(max, Message::new("check-screen-lock-kde-off"));
    }
    if k.timeout_minutes == 0 {
        return off(max, Message::new("check-screen-lock-kde-timeout-zero"));
    }
    within(
        Duration::from_secs(u64::from(k.timeout_minutes) * 60 + u64::from(k.lock_grace_seconds)),
        max,
    )
}

/// Windows, with policy values already preferred over the user's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Windows {
    /// `InactivityTimeoutSecs` (machine policy); 0 or absent: not set.
    pub inactivity_timeout: Option<u32>,
    pub screensaver_active: Option<bool>,
    pub screensaver_secure: Option<bool>,
    pub screensaver_timeout: Option<u32>,
}

pub fn decide_windows(w: &Windows, max: Duration) -> Observation {
    let policy = w.inactivity_timeout.filter(|s| *s > 0);
    let saver = match (
        w.screensaver_active,
        w.screensaver_secure,
        w.screensaver_timeout,
    ) {
        (Some(true), Some(true), Some(t)) if t > 0 => Some(t),
        _ => None,
    };
    // The sooner of the two locks first.
    match [policy, saver].into_iter().flatten().min() {
        Some(s) => within(Duration::from_secs(u64::from(s)), max),
        None => off(max, Message::new("check-screen-lock-windows-off")),
    }
}

/// macOS: `sysadminctl -screenLock status` (None: off) and the screen
/// saver's idle time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Macos {
    pub read: bool,
    pub lock_delay: Option<u32>,
    pub idle: Option<u32>,
}

pub fn decide_macos(m: &Macos, max: Duration) -> Observation {
    if !m.read {
        return Observation::unknown_because(
            &expected(max),
            Message::new("check-screen-lock-reason-macos-unread"),
        );
    }
    match (m.lock_delay, m.idle) {
        (None, _) => off(max, Message::new("check-screen-lock-macos-no-password")),
        (Some(_), Some(0) | None) => {
            off(max, Message::new("check-screen-lock-macos-no-screen-saver"))
        }
        (Some(d), Some(i)) => within(Duration::from_secs(u64::from(d) + u64::from(i)), max),
    }
}

/// Linux desktops Veil cannot read.
pub fn unknown_desktop(desktop: &str, max: Duration) -> Observation {
    Observation::unknown_because(
        &expected(max),
        if desktop.is_empty() {
            Message::new("check-screen-lock-reason-no-desktop")
        } else {
            Message::new("check-screen-lock-reason-unknown-desktop").arg("desktop", desktop)
        },
    )
}

/// Where policy says so, Veil's own shield (cover then lock) is the lock.
pub fn with_shield(
    o: Observation,
    shield_lock_after: Option<Duration>,
    max: Duration,
) -> Observation {
    match shield_lock_after {
        Some(after) if o.result != super::CheckResult::Pass && after <= max => Observation::pass(
            "veil_shield",
            &expected(max),
            Message::new("check-screen-lock-veil-shield").part("after", duration_message(after)),
        ),
        _ => o,
    }
}

#[cfg(test)]
mod tests {
    use super::super::CheckResult::{self, *};
    use super::*;

    const MAX: Duration = Duration::from_secs(15 * 60);

    #[test]
    fn gnome() {
        let g = |lock_enabled, idle_delay, lock_delay, lockdown_disabled| Gnome {
            lock_enabled,
            idle_delay,
            lock_delay,
            lockdown_disabled,
        };
        for (s, result, observed) in [
            (g(true, 300, 0, false), Pass, "lock_on"),
            (g(true, 600, 300, false), Pass, "lock_on"),
            (g(true, 900, 30, false), Fail, "lock_too_late"),
            (g(false, 300, 0, false), Fail, "lock_off"),
            (g(true, 0, 0, false), Fail, "lock_off"),
            (g(true, 300, 0, true), Fail, "lock_off"),
        ] {
            let o = decide_gnome(&s, MAX);
            assert_eq!((o.result, o.observed.as_str()), (result, observed), "{s:?}");
        }
    }

    #[test]
    fn kde_defaults_and_files() {
        let table: &[(Option<&str>, CheckResult, u32)] = &[
            (None, Pass, 5),
            (Some("[Daemon]\nAutolock=false\n"), Fail, 5),
            (Some("[Daemon]\nTimeout=30\n"), Fail, 30),
            (Some("[Daemon]\nTimeout=10\nLockGrace=60\n"), Pass, 10),
            (Some("[Greeter]\nTimeout=99\n"), Pass, 5),
            (Some("[Daemon]\nTimeout[$i]=3\n"), Pass, 3),
            (Some("[Daemon]\nTimeout=0\n"), Fail, 0),
            (Some("[Daemon]\nTimeout=garbage\n"), Pass, 5),
        ];
        for (text, result, minutes) in table {
            let k = Kde::parse(*text);
            assert_eq!(k.timeout_minutes, *minutes, "{text:?}");
            assert_eq!(decide_kde(&k, MAX).result, *result, "{text:?}");
        }
    }

    #[test]
    fn windows_policy_and_screen_saver() {
        let w = |p, a, s, t| Windows {
            inactivity_timeout: p,
            screensaver_active: a,
            screensaver_secure: s,
            screensaver_timeout: t,
        };
        for (s, result) in [
            (w(Some(600), None, None, None), Pass),
            (w(Some(3600), None, None, None), Fail),
            (w(None, Some(true), Some(true), Some(300)), Pass),
            (w(None, Some(true), Some(false), Some(300)), Fail),
            (w(Some(3600), Some(true), Some(true), Some(300)), Pass),
            (w(Some(0), None, None, None), Fail),
            (w(None, None, None, None), Fail),
        ] {
            assert_eq!(decide_windows(&s, MAX).result, result, "{s:?}");
        }
    }

    #[test]
    fn macos_and_shield() {
        let m = |d, i| Macos {
            read: true,
            lock_delay: d,
            idle: i,
        };
        assert_eq!(decide_macos(&m(Some(5), Some(300)), MAX).result, Pass);
        assert_eq!(decide_macos(&m(None, Some(300)), MAX).result, Fail);
        assert_eq!(decide_macos(&Macos::default(), MAX).result, Unknown);
        let off = decide_gnome(
            &Gnome {
                lock_enabled: false,
                idle_delay: 300,
                lock_delay: 0,
                lockdown_disabled: false,
            },
            MAX,
        );
        assert_eq!(
            with_shield(off.clone(), Some(Duration::from_secs(600)), MAX).observed,
            "veil_shield"
        );
        assert_eq!(with_shield(off.clone(), None, MAX).result, Fail);
        assert_eq!(
            with_shield(off, Some(Duration::from_secs(3600)), MAX).result,
            Fail
        );
        assert_eq!(unknown_desktop("XFCE", MAX).result, Unknown);
    }

    #[test]
    fn durations_read_as_before_in_english_and_naturally_in_spanish() {
        use crate::i18n::Language;
        for s in [0, 1, 5, 59, 60, 61, 305, 900, 3600, 3661, 7200, 5400] {
            let d = Duration::from_secs(s);
            assert_eq!(
                duration_message(d).text(Language::En),
                crate::timefmt::duration_words(d),
                "{s}"
            );
        }
        let es = |s| duration_message(Duration::from_secs(s)).text(Language::Es);
        assert_eq!(es(1), "1 segundo");
        assert_eq!(es(305), "5 minutos y 5 segundos");
        assert_eq!(es(3661), "1 hora, 1 minuto y 1 segundo");
        let o = decide_kde(&Kde::parse(Some("[Daemon]\nTimeout=30\n")), MAX);
        assert_eq!(
            o.detail,
            "The screen locks only after 30 minutes 5 seconds of inactivity; your organization asks for 15 minutes or less."
        );
        assert_eq!(
            o.message.text(Language::Es),
            "La pantalla solo se bloquea tras 30 minutos y 5 segundos de inactividad; tu organización pide 15 minutos o menos."
        );
    }
}
