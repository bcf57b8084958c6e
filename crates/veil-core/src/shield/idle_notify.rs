//! Idle time from a compositor that only says when the agent went idle and
//! when they came back (Wayland's ext-idle-notify): Veil asks to be told
//! after a short quiet spell, and counts from there. The idle time is then
//! exact to the millisecond once idle, and zero from the first input.

use std::time::Duration;

use crate::clock::Millis;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdleNotifications {
    /// The quiet spell the compositor waits for before it says "idled".
    threshold: Duration,
    /// When "idled" came, while the agent has not been back since.
    idled_at: Option<Millis>,
}

impl IdleNotifications {
    pub fn new(threshold: Duration) -> Self {
        IdleNotifications {
            threshold,
            idled_at: None,
        }
    }

    /// The compositor saw no input for the threshold.
    pub fn idled(&mut self, at: Millis) {
        self.idled_at.get_or_insert(at);
    }

    /// Input again.
    pub fn resumed(&mut self) {
        self.idled_at = None;
    }

    /// Time since the last input: the threshold plus the time since
    /// "idled"; zero while active (the last input is less than the
    /// threshold ago, and the shield's stages start well above it).
    pub fn idle(&self, now: Millis) -> Duration {
        match self.idled_at {
            Some(at) => self.threshold + now.since(at),
            None => Duration::ZERO,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    enum Step {
        Idled(i64),
        Resumed,
        Expect { at: i64, idle_ms: u64 },
    }
    use Step::*;

    #[test]
    fn idle_time_follows_the_notifications() {
        let cases: &[(&str, &[Step])] = &[
            (
                "active from the start",
                &[Expect {
                    at: 5_000,
                    idle_ms: 0,
                }],
            ),
            (
                "idle counts from the threshold",
                &[
                    Idled(1_000),
                    Expect {
                        at: 1_000,
                        idle_ms: 1_000,
                    },
                    Expect {
                        at: 60_000,
                        idle_ms: 60_000,
                    },
                ],
            ),
            (
                "input ends it at once",
                &[
                    Idled(1_000),
                    Resumed,
                    Expect {
                        at: 9_000,
                        idle_ms: 0,
                    },
                ],
            ),
            (
                "a repeated idled keeps the first time",
                &[
                    Idled(1_000),
                    Idled(4_000),
                    Expect {
                        at: 5_000,
                        idle_ms: 5_000,
                    },
                ],
            ),
            (
                "idle again after coming back counts anew",
                &[
                    Idled(1_000),
                    Resumed,
                    Idled(20_000),
                    Expect {
                        at: 25_000,
                        idle_ms: 6_000,
                    },
                ],
            ),
            (
                "a clock that steps back never gives less than the threshold",
                &[
                    Idled(10_000),
                    Expect {
                        at: 9_000,
                        idle_ms: 1_000,
                    },
                ],
            ),
        ];
        for (name, steps) in cases {
            let mut n = IdleNotifications::new(Duration::from_secs(1));
            for step in *steps {
                match step {
                    Idled(at) => n.idled(Millis(*at)),
                    Resumed => n.resumed(),
                    Expect { at, idle_ms } => assert_eq!(
                        n.idle(Millis(*at)),
                        Duration::from_millis(*idle_ms),
                        "{name}, at {at}"
                    ),
                }
            }
        }
    }
}
