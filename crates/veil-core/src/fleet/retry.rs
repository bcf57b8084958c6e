//! When to send again after a failure: exponential backoff with full
//! jitter (a random wait up to the doubled delay, capped by
//! `fleet.retry_max_seconds`), honouring a receiver's `Retry-After`; and a
//! random first delay after an outage, so 2,000 seats coming back do not
//! all reconnect in the same second.

use std::time::Duration;

/// What a receiver's answer means for the batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Taken: advance past it.
    Delivered,
    /// Try again later (network errors, 429, 502, 503, 504); the receiver
    /// may say when.
    Retry {
        after: Option<Duration>,
        why: String,
    },
    /// Refused for good (another 4xx): park the batch with the reason.
    Park { why: String },
    /// Taken, but the collector says it dropped some of the records (OTLP's
    /// `partial_success`). OTLP forbids sending them again, so the batch is
    /// passed and the reason shown; the verifier at the receiver names the
    /// gap they leave.
    PartlyRejected { why: String },
}

/// An HTTP status as an outcome.
pub fn of_status(status: u16, retry_after: Option<Duration>, body: &str) -> Outcome {
    match status {
        200..=299 => Outcome::Delivered,
        429 | 502 | 503 | 504 => Outcome::Retry {
            after: retry_after,
            why: format!("the collector answered {status}"),
        },
        400..=499 => Outcome::Park {
            why: format!(
                "the collector refused the records ({status}{})",
                if body.trim().is_empty() {
                    String::new()
                } else {
                    format!(": {}", body.trim().chars().take(200).collect::<String>())
                }
            ),
        },
        _ => Outcome::Retry {
            after: retry_after,
            why: format!("the collector answered {status}"),
        },
    }
}

/// An OTLP collector's answer: its status, and for a 2xx its protobuf
/// `ExportLogsServiceResponse`, which may say some records were rejected.
pub fn of_otlp_response(status: u16, retry_after: Option<Duration>, body: &[u8]) -> Outcome {
    if (200..=299).contains(&status) {
        if let Some((rejected, message)) = super::wire::otlp_rejections(body) {
            return Outcome::PartlyRejected {
                why: format!(
                    "the collector rejected {rejected} record(s){}",
                    if message.trim().is_empty() {
                        String::new()
                    } else {
                        format!(": {}", message.trim().chars().take(200).collect::<String>())
                    }
                ),
            };
        }
    }
    let text: String = String::from_utf8_lossy(body)
        .chars()
        .filter(|c| !c.is_control() || *c == ' ')
        .take(300)
        .collect();
    of_status(status, retry_after, &text)
}

/// `Retry-After` in seconds (the HTTP-date form is not used by collectors).
pub fn parse_retry_after(value: &str) -> Option<Duration> {
    value.trim().parse::<u64>().ok().map(Duration::from_secs)
}

/// The consecutive failures so far and the next wait.
#[derive(Debug, Clone, Default)]
pub struct Backoff {
    failures: u32,
}

const FIRST: Duration = Duration::from_millis(500);

impl Backoff {
    pub fn reset(&mut self) {
        self.failures = 0;
    }

    pub fn failures(&self) -> u32 {
        self.failures
    }

    /// The wait before the next try, after one more failure. `random` is a
    /// number in [0, 1) (the app's RNG; injected for the tests).
    pub fn next(&mut self, cap: Duration, retry_after: Option<Duration>, random: f64) -> Duration {
        self.failures = self.failures.saturating_add(1);
        let ceiling = FIRST
            .saturating_mul(1u32 << (self.failures - 1).min(20))
            .min(cap);
        let jittered = ceiling.mul_f64(random.clamp(0.0, 1.0));
        match retry_after {
            // The receiver's word, within the cap.
            Some(after) => after.min(cap).max(jittered),
            None => jittered,
        }
    }
}

/// The first connection after an outage (or a start) waits a random part
/// of the cap, so seats spread out.
pub fn reconnect_delay(cap: Duration, random: f64) -> Duration {
    cap.mul_f64(random.clamp(0.0, 1.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_partial_success_is_passed_with_its_reason() {
        use opentelemetry_proto::tonic::collector::logs::v1::{
            ExportLogsPartialSuccess, ExportLogsServiceResponse,
        };
        use prost::Message as _;
        let answer = |rejected: i64, message: &str| {
            ExportLogsServiceResponse {
                partial_success: Some(ExportLogsPartialSuccess {
                    rejected_log_records: rejected,
                    error_message: message.into(),
                }),
            }
            .encode_to_vec()
        };
        let table: Vec<(u16, Vec<u8>, Outcome)> = vec![
            (200, Vec::new(), Outcome::Delivered),
            (
                200,
                ExportLogsServiceResponse::default().encode_to_vec(),
                Outcome::Delivered,
            ),
            // A warning with nothing rejected is a full success.
            (200, answer(0, "slow down"), Outcome::Delivered),
            (
                200,
                answer(3, "attribute too long"),
                Outcome::PartlyRejected {
                    why: "the collector rejected 3 record(s): attribute too long".into(),
                },
            ),
            // Not protobuf (a JSON answer from a proxy): no word on rejections.
            (200, b"{\"partialSuccess\":{}}".to_vec(), Outcome::Delivered),
        ];
        for (status, body, want) in table {
            assert_eq!(of_otlp_response(status, None, &body), want, "{body:?}");
        }
        assert!(matches!(
            of_otlp_response(400, None, b"bad\nproto"),
            Outcome::Park { why } if why.contains("400: badproto")
        ));
    }

    #[test]
    fn statuses_mean_deliver_retry_or_park() {
        assert_eq!(of_status(200, None, ""), Outcome::Delivered);
        for s in [429, 502, 503, 504, 500] {
            assert!(
                matches!(of_status(s, None, ""), Outcome::Retry { .. }),
                "{s}"
            );
        }
        assert!(matches!(
            of_status(400, None, "bad proto"),
            Outcome::Park { why } if why.contains("400: bad proto")
        ));
        assert!(matches!(of_status(401, None, ""), Outcome::Park { .. }));
        assert_eq!(parse_retry_after(" 7 "), Some(Duration::from_secs(7)));
        assert_eq!(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"), None);
    }

    #[test]
    fn backoff_doubles_with_full_jitter_up_to_the_cap() {
        let cap = Duration::from_secs(10);
        let mut b = Backoff::default();
        // With the top of the jitter range: 0.5, 1, 2, 4, 8, 10, 10 s.
        let tops: Vec<u64> = (0..7)
            .map(|_| b.next(cap, None, 0.999_999).as_millis() as u64)
            .collect();
        assert_eq!(tops, [499, 999, 1999, 3999, 7999, 9999, 9999]);
        b.reset();
        assert_eq!(b.next(cap, None, 0.0), Duration::ZERO);
        // Retry-After is honoured, but never beyond the cap.
        let mut b = Backoff::default();
        assert_eq!(
            b.next(cap, Some(Duration::from_secs(3)), 0.0),
            Duration::from_secs(3)
        );
        assert_eq!(b.next(cap, Some(Duration::from_secs(99)), 0.0), cap);
        assert_eq!(
            reconnect_delay(Duration::from_secs(300), 0.5),
            Duration::from_secs(150)
        );
    }
}
