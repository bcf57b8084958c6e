//! The idle privacy shield's stages, as a pure state machine: the app feeds
//! it the OS idle time on every tick and what happened (shield requested,
//! overlays up, session locked); it answers with what to show. Time comes in
//! with each call, so tests drive it with a fake clock.

use std::time::Duration;
use ts_rs::TS;

use serde::Serialize;

use crate::clock::Millis;

/// After "shield now", input this soon is the request itself.
const MANUAL_GRACE: Duration = Duration::from_secs(1);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    Active,
    /// The screen dims with a countdown; any input returns to Active.
    Warning,
    /// Every monitor is covered.
    Shielded,
    /// The OS session is locked; the overlays are lifted.
    Locked,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ShieldTimes {
    /// Idle time before the warning.
    pub idle: Duration,
    /// How long the warning lasts before the shield.
    pub warning: Duration,
    /// Idle time before the OS session is locked.
    pub lock_after: Duration,
    /// During a call the idle threshold grows to this, never further.
    pub max_call: Duration,
    /// An overlay not up within this long: lock instead (fail closed).
    pub overlay_deadline: Duration,
}

impl Default for ShieldTimes {
    fn default() -> Self {
        Self {
            idle: Duration::from_secs(60),
            warning: Duration::from_secs(10),
            lock_after: Duration::from_secs(300),
            max_call: Duration::from_secs(1800),
            overlay_deadline: Duration::from_secs(1),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Input {
    /// The OS idle time now. `call` is true while the microphone or camera
    /// is in use.
    Tick { idle: Duration, call: bool },
    /// "Shield now" from the tray, the CLI or the shortcut.
    ShieldNow,
    /// Every overlay is mapped and painted.
    OverlaysShown,
    /// The overlays could not be shown or kept on top.
    OverlaysFailed,
    /// Privacy mode (or the policy forcing the shield) turned the shield
    /// off or on.
    Enabled(bool),
    /// The system confirmed the session is locked.
    LockConfirmed,
    /// No way of locking was confirmed: the cover stays up until the agent
    /// is back.
    LockFailed,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "do", rename_all = "snake_case")]
pub enum Output {
    /// Dim and count down; `seconds` left before the shield.
    ShowWarning {
        seconds: u64,
    },
    HideWarning,
    /// Cover every monitor.
    ShowShield,
    HideShield,
    LockSession,
}

#[derive(Debug, Clone)]
pub struct Shield {
    times: ShieldTimes,
    enabled: bool,
    stage: Stage,
    /// When the current stage began.
    since: Millis,
    /// Idle time seen at the last tick, to notice input.
    last_idle: Duration,
    /// The shield was asked for by hand (input ends it, not idle time).
    manual: bool,
    /// The shield is showing and its overlays are confirmed up.
    confirmed: bool,
    /// The last countdown value sent, to send each second once.
    last_countdown: Option<u64>,
    /// The session could not be locked since the agent was last here.
    lock_failed: bool,
    /// The overlays were up when the lock was asked for.
    confirmed_before_lock: bool,
}

impl Shield {
    pub fn new(times: ShieldTimes, enabled: bool, now: Millis) -> Self {
        Self {
            times,
            enabled,
            stage: Stage::Active,
            since: now,
            last_idle: Duration::ZERO,
            manual: false,
            confirmed: false,
            last_countdown: None,
            lock_failed: false,
            confirmed_before_lock: false,
        }
    }

    /// No lock was confirmed since the agent was last here.
    pub fn lock_failed(&self) -> bool {
        self.lock_failed
    }

    pub fn stage(&self) -> Stage {
        self.stage
    }

    pub fn times(&self) -> ShieldTimes {
        self.times
    }

    pub fn set_times(&mut self, times: ShieldTimes) {
        self.times = times;
    }

    pub fn idle_seen(&self) -> Duration {
        self.last_idle
    }

    fn go(&mut self, stage: Stage, now: Millis) {
        self.stage = stage;
        self.since = now;
        self.confirmed = false;
        self.last_countdown = None;
    }

    /// Leaves whatever is showing and returns to Active.
    fn wake(&mut self, now: Millis) -> Vec<Output> {
        let out = match self.stage {
            Stage::Active | Stage::Locked => vec![],
            Stage::Warning => vec![Output::HideWarning],
            Stage::Shielded => vec![Output::HideShield],
        };
        self.manual = false;
        self.lock_failed = false;
        self.go(Stage::Active, now);
        out
    }

    pub fn handle(&mut self, input: Input, now: Millis) -> Vec<Output> {
        match input {
            Input::Enabled(on) => {
                self.enabled = on;
                if on {
                    vec![]
                } else {
                    self.wake(now)
                }
            }
            Input::ShieldNow => {
                let mut out = match self.stage {
                    Stage::Warning => vec![Output::HideWarning],
                    _ => vec![],
                };
                if self.stage != Stage::Shielded {
                    self.go(Stage::Shielded, now);
                    out.push(Output::ShowShield);
                }
                self.manual = true;
                out
            }
            Input::OverlaysShown => {
                if self.stage == Stage::Shielded {
                    self.confirmed = true;
                }
                vec![]
            }
            Input::OverlaysFailed => self.fail_closed(now),
            Input::LockConfirmed => {
                if self.stage != Stage::Locked {
                    return vec![];
                }
                // The OS lock screen covers it now.
                vec![Output::HideShield]
            }
            Input::LockFailed => {
                if self.stage != Stage::Locked {
                    return vec![];
                }
                self.lock_failed = true;
                self.manual = false;
                let confirmed = self.confirmed_before_lock;
                self.go(Stage::Shielded, now);
                self.confirmed = confirmed;
                vec![]
            }
            Input::Tick { idle, call } => self.tick(idle, call, now),
        }
    }

    fn fail_closed(&mut self, now: Millis) -> Vec<Output> {
        if self.stage != Stage::Shielded || self.lock_failed {
            return vec![];
        }
        self.manual = false;
        self.confirmed_before_lock = false;
        self.go(Stage::Locked, now);
        vec![Output::LockSession, Output::HideShield]
    }

    fn tick(&mut self, idle: Duration, call: bool, now: Millis) -> Vec<Output> {
        // Idle time went down: there was input. Right after "shield now"
        // the agent's own click or key press is not input to wake on.
        let in_grace = self.manual && now.since(self.since) < MANUAL_GRACE;
        let input = idle < self.last_idle && !in_grace;
        self.last_idle = idle;
        if input && self.stage != Stage::Active {
            return self.wake(now);
        }
        if self.stage == Stage::Locked {
            // Stays locked until input: the OS lock is up.
            return vec![];
        }
        if self.stage == Stage::Shielded && self.lock_failed {
            // Nothing can lock this computer: the cover stays until input.
            return vec![];
        }
        if self.stage == Stage::Shielded
            && !self.confirmed
            && now.since(self.since) >= self.times.overlay_deadline
        {
            return self.fail_closed(now);
        }
        if !self.enabled && !self.manual {
            return if self.stage == Stage::Active {
                vec![]
            } else {
                self.wake(now)
            };
        }
        let threshold = if call {
            self.times.max_call.max(self.times.idle)
        } else {
            self.times.idle
        };
        let lock_at = self.times.lock_after.max(threshold + self.times.warning);
        match self.stage {
            Stage::Active if idle >= threshold + self.times.warning => {
                self.go(Stage::Shielded, now);
                vec![Output::ShowShield]
            }
            Stage::Active if idle >= threshold => {
                self.go(Stage::Warning, now);
                self.countdown(threshold + self.times.warning - idle)
            }
            Stage::Warning if idle >= threshold + self.times.warning => {
                self.go(Stage::Shielded, now);
                // Covered first, then the dimming goes: the screen is never
                // plain in between.
                vec![Output::ShowShield, Output::HideWarning]
            }
            Stage::Warning => self.countdown(threshold + self.times.warning - idle),
            Stage::Shielded
                if (!self.manual && idle >= lock_at)
                    || (self.manual && now.since(self.since) >= self.times.lock_after) =>
            {
                // The cover stays until the lock is confirmed.
                self.confirmed_before_lock = self.confirmed;
                self.go(Stage::Locked, now);
                vec![Output::LockSession]
            }
            _ => vec![],
        }
    }

    fn countdown(&mut self, left: Duration) -> Vec<Output> {
        let seconds = left.as_secs() + u64::from(left.subsec_nanos() > 0);
        if self.last_countdown == Some(seconds) {
            return vec![];
        }
        self.last_countdown = Some(seconds);
        vec![Output::ShowWarning { seconds }]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Output::*;

    fn times() -> ShieldTimes {
        ShieldTimes {
            idle: Duration::from_secs(60),
            warning: Duration::from_secs(10),
            lock_after: Duration::from_secs(300),
            max_call: Duration::from_secs(1800),
            overlay_deadline: Duration::from_secs(1),
        }
    }

    fn secs(s: u64) -> Duration {
        Duration::from_secs(s)
    }

    /// Runs (at second, input) rows; checks outputs and the stage after.
    fn run(rows: &[(u64, Input, Vec<Output>, Stage)]) {
        let mut s = Shield::new(times(), true, Millis(0));
        for (at, input, want, stage) in rows {
            let got = s.handle(*input, Millis(*at as i64 * 1000));
            assert_eq!(&got, want, "at {at}s after {input:?}");
            assert_eq!(s.stage(), *stage, "at {at}s after {input:?}");
        }
    }

    fn tick(idle: u64) -> Input {
        Input::Tick {
            idle: secs(idle),
            call: false,
        }
    }

    #[test]
    fn idle_goes_warning_shielded_locked_and_input_wakes() {
        use Stage::*;
        run(&[
            (30, tick(30), vec![], Active),
            (60, tick(60), vec![ShowWarning { seconds: 10 }], Warning),
            (61, tick(61), vec![ShowWarning { seconds: 9 }], Warning),
            (70, tick(70), vec![ShowShield, HideWarning], Shielded),
            (70, Input::OverlaysShown, vec![], Shielded),
            (200, tick(200), vec![], Shielded),
            (300, tick(300), vec![LockSession], Locked),
            (301, Input::LockConfirmed, vec![HideShield], Locked),
            (400, tick(400), vec![], Locked),
            (401, tick(0), vec![], Active),
        ]);
    }

    #[test]
    fn a_lock_nobody_confirms_keeps_the_cover_up_until_the_agent_is_back() {
        use Stage::*;
        run(&[
            (70, tick(70), vec![ShowShield], Shielded),
            (70, Input::OverlaysShown, vec![], Shielded),
            (300, tick(300), vec![LockSession], Locked),
            (303, Input::LockFailed, vec![], Shielded),
            // No new lock attempt, no fail-closed loop: covered until input.
            (400, tick(400), vec![], Shielded),
            (900, tick(900), vec![], Shielded),
            (901, tick(0), vec![HideShield], Active),
        ]);
    }

    #[test]
    fn input_during_warning_or_shield_returns_to_active() {
        use Stage::*;
        run(&[
            (60, tick(60), vec![ShowWarning { seconds: 10 }], Warning),
            (62, tick(1), vec![HideWarning], Active),
            (130, tick(70), vec![ShowShield], Shielded),
            (130, Input::OverlaysShown, vec![], Shielded),
            (140, tick(2), vec![HideShield], Active),
        ]);
    }

    #[test]
    fn an_overlay_not_up_in_time_locks_the_session() {
        use Stage::*;
        run(&[
            (70, tick(70), vec![ShowShield], Shielded),
            (71, tick(71), vec![LockSession, HideShield], Locked),
        ]);
        run(&[
            (70, tick(70), vec![ShowShield], Shielded),
            (
                70,
                Input::OverlaysFailed,
                vec![LockSession, HideShield],
                Locked,
            ),
        ]);
    }

    #[test]
    fn shield_now_covers_at_once_and_input_lifts_it() {
        use Stage::*;
        run(&[
            (5, tick(5), vec![], Active),
            (6, Input::ShieldNow, vec![ShowShield], Shielded),
            (6, Input::OverlaysShown, vec![], Shielded),
            // The key press that asked for it is not input to wake on.
            (6, tick(0), vec![], Shielded),
            // No input: idle keeps growing, the shield stays.
            (8, tick(2), vec![], Shielded),
            // Input after the shield went up.
            (9, tick(0), vec![HideShield], Active),
        ]);
    }

    #[test]
    fn a_call_lengthens_the_threshold_up_to_the_cap() {
        let mut s = Shield::new(times(), true, Millis(0));
        let call = |idle| Input::Tick {
            idle: secs(idle),
            call: true,
        };
        assert_eq!(s.handle(call(600), Millis(600_000)), vec![]);
        assert_eq!(
            s.handle(call(1800), Millis(1_800_000)),
            vec![ShowWarning { seconds: 10 }]
        );
        assert_eq!(
            s.handle(call(1810), Millis(1_810_000)),
            vec![ShowShield, HideWarning]
        );
    }

    #[test]
    fn disabled_means_no_idle_shield_but_shield_now_still_works() {
        let mut s = Shield::new(times(), false, Millis(0));
        assert_eq!(s.handle(tick(100), Millis(100_000)), vec![]);
        assert_eq!(
            s.handle(Input::ShieldNow, Millis(101_000)),
            vec![ShowShield]
        );
        let mut s = Shield::new(times(), true, Millis(0));
        s.handle(tick(60), Millis(60_000));
        assert_eq!(
            s.handle(Input::Enabled(false), Millis(61_000)),
            vec![HideWarning]
        );
        assert_eq!(s.stage(), Stage::Active);
    }
}
