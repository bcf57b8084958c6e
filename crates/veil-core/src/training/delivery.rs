//! When a quiz may pop up: after `quiz_every` of active time (input within
//! the last minute), never during a call, never while the shield is up, not
//! within a minute of the agent coming back, and not before a "Later" runs
//! out. The app ticks it with the idle time; it answers whether to show a
//! quiz now and how long until the next one.

use std::time::Duration;
use ts_rs::TS;

use serde::Serialize;

use crate::clock::Millis;

/// Input within this long counts as "at the computer".
pub const ACTIVE_WITHIN: Duration = Duration::from_secs(60);
/// No quiz this soon after the agent comes back from being away.
pub const AFTER_RETURN: Duration = Duration::from_secs(60);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Moment {
    pub now: Millis,
    /// Time since the last keyboard or mouse input.
    pub idle: Duration,
    /// The microphone or camera is in use.
    pub call: bool,
    /// The idle shield is covering the screen (or its countdown runs).
    pub shield_up: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Held {
    Call,
    Shield,
    JustBack,
    Snoozed,
    NothingToAsk,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Not yet: this much more active time is needed.
    Wait(Duration),
    /// It is time, but not now.
    Held(Held),
    Show,
}

#[derive(Debug, Clone, Default)]
pub struct QuizClock {
    last: Option<Millis>,
    active: Duration,
    away: bool,
    back_at: Option<Millis>,
    snoozed_until: Option<Millis>,
    snoozes: u32,
}

impl QuizClock {
    /// Counts active time since the last tick and decides.
    pub fn tick(&mut self, m: Moment, every: Duration, has_questions: bool) -> Verdict {
        let step = self
            .last
            .map(|l| Duration::from_millis(m.now.0.saturating_sub(l.0).max(0) as u64))
            .unwrap_or_default();
        self.last = Some(m.now);
        let away = m.idle >= ACTIVE_WITHIN;
        if self.away && !away {
            self.back_at = Some(m.now);
        }
        self.away = away;
        // A call or the shield is not quiz-earning time either.
        if !away && !m.shield_up {
            self.active += step.min(ACTIVE_WITHIN);
        }
        if self.active < every {
            return Verdict::Wait(every - self.active);
        }
        if m.call {
            return Verdict::Held(Held::Call);
        }
        if m.shield_up || away {
            return Verdict::Held(Held::Shield);
        }
        if self.back_at.is_some_and(|b| m.now.since(b) < AFTER_RETURN) {
            return Verdict::Held(Held::JustBack);
        }
        if self.snoozed_until.is_some_and(|s| m.now.0 < s.0) {
            return Verdict::Held(Held::Snoozed);
        }
        if !has_questions {
            return Verdict::Held(Held::NothingToAsk);
        }
        Verdict::Show
    }

    /// Time up to `now` does not count (a quiz is on screen).
    pub fn pause(&mut self, now: Millis) {
        self.last = Some(now);
    }

    /// A quiz was shown and finished: the next one needs a full cadence.
    pub fn finished(&mut self) {
        self.active = Duration::ZERO;
        self.snoozed_until = None;
        self.snoozes = 0;
    }

    /// "Later": allowed `max` times in a row, for `snooze` each.
    pub fn snooze(&mut self, now: Millis, snooze: Duration, max: u32) -> bool {
        if self.snoozes >= max {
            return false;
        }
        self.snoozes += 1;
        self.snoozed_until = Some(Millis(now.0 + snooze.as_millis() as i64));
        true
    }

    pub fn snoozes_left(&self, max: u32) -> u32 {
        max.saturating_sub(self.snoozes)
    }

    /// Seconds until the next quiz could show (0 when it is due but held).
    pub fn next_in(&self, now: Millis, every: Duration) -> Duration {
        let by_cadence = every.saturating_sub(self.active);
        let by_snooze = self
            .snoozed_until
            .map(|s| Duration::from_millis(s.0.saturating_sub(now.0).max(0) as u64))
            .unwrap_or_default();
        by_cadence.max(by_snooze)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const EVERY: Duration = Duration::from_secs(600);

    fn at(s: i64, idle: u64, call: bool, shield: bool) -> Moment {
        Moment {
            now: Millis(s * 1000),
            idle: Duration::from_secs(idle),
            call,
            shield_up: shield,
        }
    }

    #[test]
    fn cadence_counts_active_time_and_holds_for_calls_shield_and_return() {
        let every = Duration::from_secs(120);
        let secs = Duration::from_secs;
        let mut c = QuizClock::default();
        // (moment, expected)
        let rows: &[(Moment, Verdict)] = &[
            (at(0, 0, false, false), Verdict::Wait(secs(120))),
            (at(30, 5, false, false), Verdict::Wait(secs(90))),
            // Away: the time does not count.
            (at(1000, 900, false, false), Verdict::Wait(secs(90))),
            // Back and active again.
            (at(1030, 0, false, false), Verdict::Wait(secs(60))),
            (at(1090, 2, true, false), Verdict::Held(Held::Call)),
            (at(1100, 2, false, true), Verdict::Held(Held::Shield)),
            (at(1200, 70, false, false), Verdict::Held(Held::Shield)),
            // Back from the shield: a minute's grace.
            (at(1210, 1, false, false), Verdict::Held(Held::JustBack)),
            (at(1269, 1, false, false), Verdict::Held(Held::JustBack)),
            (at(1271, 1, false, false), Verdict::Show),
        ];
        for (i, (m, want)) in rows.iter().enumerate() {
            assert_eq!(c.tick(*m, every, true), *want, "row {i}");
        }
        c.finished();
        assert_eq!(
            c.tick(at(1272, 1, false, false), every, true),
            Verdict::Wait(secs(119))
        );
    }

    #[test]
    fn later_is_bounded() {
        let mut c = QuizClock::default();
        c.tick(at(0, 0, false, false), EVERY, true);
        for s in (60..=600).step_by(60) {
            c.tick(at(s, 0, false, false), EVERY, true);
        }
        assert_eq!(c.tick(at(601, 0, false, false), EVERY, true), Verdict::Show);
        let snooze = Duration::from_secs(300);
        assert!(c.snooze(Millis(601_000), snooze, 2));
        assert_eq!(
            c.tick(at(700, 0, false, false), EVERY, true),
            Verdict::Held(Held::Snoozed)
        );
        assert_eq!(c.next_in(Millis(700_000), EVERY), Duration::from_secs(201));
        assert_eq!(c.tick(at(901, 0, false, false), EVERY, true), Verdict::Show);
        assert!(c.snooze(Millis(901_000), snooze, 2));
        assert_eq!(c.snoozes_left(2), 0);
        assert!(!c.snooze(Millis(1_201_000), snooze, 2), "no third Later");
        assert_eq!(
            c.tick(at(1300, 0, false, false), EVERY, false),
            Verdict::Held(Held::NothingToAsk)
        );
    }
}
