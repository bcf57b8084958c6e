//! Time as an input. Decisions take a [`Clock`] so tests can drive them with
//! a fake one instead of sleeping.

use std::cell::Cell;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Milliseconds since the Unix epoch; plain so it serializes and compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Millis(pub i64);

impl Millis {
    pub fn plus(self, d: Duration) -> Millis {
        Millis(self.0.saturating_add(d.as_millis() as i64))
    }

    /// Time elapsed since `earlier`, zero if `earlier` is in the future.
    pub fn since(self, earlier: Millis) -> Duration {
        Duration::from_millis(self.0.saturating_sub(earlier.0).max(0) as u64)
    }
}

pub trait Clock {
    fn now(&self) -> Millis;
}

/// Wall-clock time.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Millis {
        let d = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or(Duration::ZERO);
        Millis(d.as_millis() as i64)
    }
}

/// A clock the test moves by hand.
#[derive(Debug, Default)]
pub struct ManualClock {
    now: Cell<i64>,
}

impl ManualClock {
    pub fn at(ms: i64) -> Self {
        Self { now: Cell::new(ms) }
    }

    pub fn advance(&self, d: Duration) {
        self.now.set(self.now.get() + d.as_millis() as i64);
    }
}

impl Clock for ManualClock {
    fn now(&self) -> Millis {
        Millis(self.now.get())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manual_clock_advances() {
        let c = ManualClock::at(1_000);
        c.advance(Duration::from_millis(500));
        assert_eq!(c.now(), Millis(1_500));
        assert_eq!(c.now().since(Millis(1_000)), Duration::from_millis(500));
        assert_eq!(Millis(0).since(c.now()), Duration::ZERO);
    }
}
