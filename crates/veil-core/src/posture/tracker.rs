//! Keeps posture results from flapping and turns them into the status the
//! agent and IT see. A result changes only after two runs in a row agree;
//! runs in the settling time after a resume from sleep are not used (Wi-Fi,
//! VPN and the update daemon are still waking up); a newly failing required
//! check gets `posture.grace_days` before it needs attention.

use std::collections::BTreeMap;
use std::time::Duration;

use super::{
    CheckId, CheckResult, CheckStatus, Observation, Platform, PostureConfig, PostureStatus,
};
use crate::clock::Millis;

/// How long after a resume from sleep results are not used.
pub const RESUME_SETTLE: Duration = Duration::from_secs(120);

#[derive(Debug, Clone, PartialEq)]
struct Tracked {
    shown: Observation,
    since: Millis,
    /// A different result seen once, waiting for a second run to agree.
    candidate: Option<Observation>,
}

/// A change of a check's result, for the audit log (`posture_changed`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transition {
    pub id: CheckId,
    /// None the first time the check runs.
    pub from: Option<CheckResult>,
    pub to: CheckResult,
    pub observed: String,
    pub required: bool,
}

impl Transition {
    /// The record's details: key=value pairs SIEM rules can split.
    pub fn details(&self) -> String {
        format!(
            "check={} from={} to={} observed={} required={}",
            self.id.as_str(),
            self.from.map(CheckResult::as_str).unwrap_or("unchecked"),
            self.to.as_str(),
            self.observed,
            self.required
        )
    }
}

/// What the audit log last said of a check, before this start.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Remembered {
    result: CheckResult,
    observed: String,
    since: Millis,
}

/// `check=X from=A to=B observed=O ...` back into its parts.
fn parse_details(details: &str) -> Option<(CheckId, CheckResult, String)> {
    let field = |name: &str| {
        details
            .split_whitespace()
            .find_map(|kv| kv.strip_prefix(name)?.strip_prefix('='))
    };
    let id = CheckId::parse(field("check")?)?;
    let result = match field("to")? {
        "pass" => CheckResult::Pass,
        "fail" => CheckResult::Fail,
        "unknown" => CheckResult::Unknown,
        "not_applicable" => CheckResult::NotApplicable,
        _ => return None,
    };
    Some((id, result, field("observed")?.to_string()))
}

#[derive(Debug, Clone, PartialEq)]
pub struct Tracker {
    platform: Platform,
    checks: BTreeMap<CheckId, Tracked>,
    remembered: BTreeMap<CheckId, Remembered>,
    settle_until: Millis,
    checked_at: Option<Millis>,
    checking: bool,
}

fn same(a: &Observation, b: &Observation) -> bool {
    a.result == b.result && a.observed == b.observed
}

impl Tracker {
    pub fn new(platform: Platform) -> Self {
        Self {
            platform,
            checks: BTreeMap::new(),
            remembered: BTreeMap::new(),
            settle_until: Millis(0),
            checked_at: None,
            checking: false,
        }
    }

    /// A `posture_changed` record from before this start (newest first:
    /// the first one seen for a check wins). A first result that matches
    /// it is not recorded again and keeps its `since` (and grace).
    pub fn remember(&mut self, details: &str, at: Millis) {
        let Some((id, result, observed)) = parse_details(details) else {
            return;
        };
        if self.checks.contains_key(&id) {
            return;
        }
        self.remembered.entry(id).or_insert(Remembered {
            result,
            observed,
            since: at,
        });
    }

    /// The computer woke from sleep at `at`.
    pub fn resumed(&mut self, at: Millis) {
        self.settle_until = at.plus(RESUME_SETTLE);
        for t in self.checks.values_mut() {
            t.candidate = None;
        }
    }

    pub fn set_checking(&mut self, checking: bool) {
        self.checking = checking;
    }

    /// One run of the checks. Returns the results that changed.
    pub fn observe(
        &mut self,
        run: Vec<(CheckId, Observation)>,
        at: Millis,
        config: &PostureConfig,
    ) -> Vec<Transition> {
        self.checking = false;
        if at < self.settle_until {
            return vec![];
        }
        self.checked_at = Some(at);
        let mut out = vec![];
        for (id, o) in run {
            let required = config.is_required(id);
            match self.checks.get_mut(&id) {
                None => {
                    let known = self.remembered.remove(&id);
                    let since = match &known {
                        Some(k) if k.result == o.result && k.observed == o.observed => k.since,
                        _ => {
                            out.push(Transition {
                                id,
                                from: known.map(|k| k.result),
                                to: o.result,
                                observed: o.observed.clone(),
                                required,
                            });
                            at
                        }
                    };
                    self.checks.insert(
                        id,
                        Tracked {
                            shown: o,
                            since,
                            candidate: None,
                        },
                    );
                }
                Some(t) if same(&t.shown, &o) => {
                    // Same result: keep it (its wording may be fresher).
                    t.shown = o;
                    t.candidate = None;
                }
                Some(t) => match &t.candidate {
                    Some(c) if same(c, &o) => {
                        out.push(Transition {
                            id,
                            from: Some(t.shown.result),
                            to: o.result,
                            observed: o.observed.clone(),
                            required,
                        });
                        // Only a change of result restarts `since` (and
                        // with it the grace period).
                        if t.shown.result != o.result {
                            t.since = at;
                        }
                        t.shown = o;
                        t.candidate = None;
                    }
                    _ => t.candidate = Some(o),
                },
            }
        }
        out
    }

    pub fn status(&self, config: &PostureConfig) -> PostureStatus {
        let checks: Vec<CheckStatus> = self
            .checks
            .iter()
            .map(|(id, t)| {
                let required = config.is_required(*id);
                let failing = t.shown.result == CheckResult::Fail;
                CheckStatus {
                    id: *id,
                    result: t.shown.result,
                    required,
                    observed: t.shown.observed.clone(),
                    expected: t.shown.expected.clone(),
                    reason: t.shown.reason.clone(),
                    since: t.since.0,
                    fix_by: (required && failing && !config.grace.is_zero())
                        .then(|| t.since.plus(config.grace).0),
                    title: id.title(),
                    detail: t.shown.detail.clone(),
                    why: id.why(),
                    fix: matches!(t.shown.result, CheckResult::Fail | CheckResult::Unknown)
                        .then(|| super::fixes::fix(*id, self.platform, &t.shown.observed)),
                    title_message: id.title_message(),
                    detail_message: t.shown.message.clone(),
                    why_message: id.why_message(),
                }
            })
            .collect();
        PostureStatus {
            compliant: !checks
                .iter()
                .any(|c| c.required && c.result == CheckResult::Fail),
            checks,
            checked_at: self.checked_at.map(|m| m.0),
            checking: self.checking,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Message;

    const MIN: i64 = 60_000;

    fn cfg(required: &[CheckId], grace_days: u64) -> PostureConfig {
        PostureConfig {
            required: required.to_vec(),
            grace: Duration::from_secs(grace_days * 86_400),
            ..PostureConfig::default()
        }
    }

    fn lock(pass: bool) -> Vec<(CheckId, Observation)> {
        vec![(
            CheckId::ScreenLock,
            if pass {
                Observation::pass("lock_on", "x", Message::new("check-screen-lock-on"))
            } else {
                Observation::fail("lock_off", "x", Message::new("check-screen-lock-kde-off"))
            },
        )]
    }

    #[test]
    fn a_result_changes_only_when_two_runs_agree() {
        let c = cfg(&[CheckId::ScreenLock], 0);
        let mut t = Tracker::new(Platform::Gnome);
        // (minute, screen lock on?, transitions expected, result shown)
        let table: &[(i64, bool, usize, CheckResult)] = &[
            (0, true, 1, CheckResult::Pass),   // first run: shown at once
            (30, false, 0, CheckResult::Pass), // one odd run: ignored
            (60, true, 0, CheckResult::Pass),
            (90, false, 0, CheckResult::Pass),
            (91, false, 1, CheckResult::Fail), // twice in a row: changes
            (120, true, 0, CheckResult::Fail),
            (121, true, 1, CheckResult::Pass),
        ];
        for (minute, on, transitions, shown) in table {
            let got = t.observe(lock(*on), Millis(minute * MIN), &c);
            assert_eq!(got.len(), *transitions, "minute {minute}");
            let s = t.status(&c);
            assert_eq!(s.checks[0].result, *shown, "minute {minute}");
            assert_eq!(s.compliant, *shown != CheckResult::Fail, "minute {minute}");
        }
    }

    #[test]
    fn resume_settling_and_records() {
        let c = cfg(&[CheckId::ScreenLock], 0);
        let mut t = Tracker::new(Platform::Gnome);
        let first = t.observe(lock(true), Millis(0), &c);
        assert_eq!(
            first[0].details(),
            "check=screen_lock from=unchecked to=pass observed=lock_on required=true"
        );
        t.observe(lock(false), Millis(10 * MIN), &c);
        t.resumed(Millis(11 * MIN));
        // Within the settling time: not used, and the earlier odd run is forgotten.
        assert!(t.observe(lock(false), Millis(12 * MIN), &c).is_empty());
        assert!(t.observe(lock(false), Millis(14 * MIN), &c).is_empty());
        let got = t.observe(lock(false), Millis(15 * MIN), &c);
        assert_eq!(
            got[0].details(),
            "check=screen_lock from=pass to=fail observed=lock_off required=true"
        );
    }

    #[test]
    fn grace_gives_a_date_then_attention() {
        let c = cfg(&[CheckId::ScreenLock], 3);
        let mut t = Tracker::new(Platform::Gnome);
        t.observe(lock(false), Millis(0), &c);
        let s = t.status(&c);
        let day = 86_400_000;
        assert_eq!(s.checks[0].fix_by, Some(3 * day));
        assert!(s.problems(2 * day).is_empty());
        let p = s.problems(3 * day);
        assert_eq!(p[0].summary, "Turn on the screen lock");
        assert!(s.checks[0].fix.as_ref().unwrap().steps[0].contains("Screen Lock"));
        // Not required: advice only, never attention.
        let advice = cfg(&[], 0);
        assert!(t.status(&advice).problems(10 * day).is_empty());
        assert!(t.status(&advice).compliant);
        // No grace: attention at once.
        assert_eq!(
            t.status(&cfg(&[CheckId::ScreenLock], 0)).problems(0).len(),
            1
        );
    }

    #[test]
    fn what_the_log_last_said_carries_over_a_restart() {
        let c = cfg(&[CheckId::ScreenLock], 3);
        let day = 86_400_000;
        let mut t = Tracker::new(Platform::Gnome);
        // Newest first, as the store gives them; junk is ignored.
        t.remember(
            "check=screen_lock from=pass to=fail observed=lock_off required=true",
            Millis(day),
        );
        t.remember(
            "check=screen_lock from=unchecked to=pass observed=lock_on required=true",
            Millis(0),
        );
        t.remember("not a posture record", Millis(0));
        // Still off after the restart: no new record, the grace goes on.
        assert!(t.observe(lock(false), Millis(2 * day), &c).is_empty());
        assert_eq!(t.status(&c).checks[0].fix_by, Some(4 * day));
        // A check that changed while Veil was not running is recorded as such.
        let mut t = Tracker::new(Platform::Gnome);
        t.remember(
            "check=screen_lock from=pass to=fail observed=lock_off required=true",
            Millis(day),
        );
        let got = t.observe(lock(true), Millis(2 * day), &c);
        assert_eq!(
            got[0].details(),
            "check=screen_lock from=fail to=pass observed=lock_on required=true"
        );
    }

    #[test]
    fn unknown_is_never_a_failure() {
        let c = cfg(&[CheckId::ScreenLock], 0);
        let mut t = Tracker::new(Platform::LinuxOther);
        t.observe(
            vec![(
                CheckId::ScreenLock,
                Observation::unknown("x", "unknown desktop"),
            )],
            Millis(0),
            &c,
        );
        let s = t.status(&c);
        assert!(s.compliant);
        assert!(s.problems(0).is_empty());
        assert_eq!(s.checks[0].reason.as_deref(), Some("unknown desktop"));
    }
}
