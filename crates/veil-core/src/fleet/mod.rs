//! Fleet reporting (pure): what policy says about the organization's
//! receivers, what each record looks like on the wire (OTLP logs, RFC 5424
//! syslog), when to retry, and the verifier IT runs on what the receivers
//! stored. The app sends; these functions decide.

pub mod endpoint;
pub mod identity;
pub mod retry;
pub mod verify;
pub mod wire;

use std::collections::BTreeMap;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The receivers and how to reach them (`fleet.*`, policy only).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FleetConfig {
    pub otlp_endpoint: String,
    pub otlp_headers: BTreeMap<String, String>,
    pub syslog_endpoint: String,
    pub ca_file: String,
    pub client_cert_file: String,
    pub client_key_file: String,
    pub heartbeat: Duration,
    pub retry_max: Duration,
    pub backlog_days: i64,
    /// None: never tell the agent.
    pub alert_after: Option<Duration>,
    pub labels: BTreeMap<String, String>,
}

impl FleetConfig {
    /// Any receiver at all.
    pub fn enabled(&self) -> bool {
        !self.otlp_endpoint.is_empty() || !self.syslog_endpoint.is_empty()
    }
}

/// One receiver.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum DestinationKind {
    Otlp,
    Syslog,
}

impl DestinationKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DestinationKind::Otlp => "otlp",
            DestinationKind::Syslog => "syslog",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum DestinationState {
    /// The last send was taken.
    Connected,
    /// Sending failed; trying again after a wait.
    Retrying,
    /// The receiver refused a batch for good (a 4xx other than 429); the
    /// batch waits, with `last_error`, until the policy or receiver changes.
    Parked,
    /// Not configured, or not started yet.
    Off,
}

/// One entry of `fleet.destinations` in `veil status --json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct DestinationStatus {
    pub kind: DestinationKind,
    pub endpoint: String,
    pub state: DestinationState,
    /// Audit records not yet taken by this receiver.
    pub queued: u64,
    /// Unix ms of the last delivery the receiver acknowledged.
    pub last_delivered_at: Option<i64>,
    pub last_error: Option<String>,
    /// Unix ms since which sends have failed (for the agent's alert).
    #[serde(default)]
    pub failing_since: Option<i64>,
}

/// The `fleet` object of `veil status --json`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
pub struct FleetStatus {
    pub destinations: Vec<DestinationStatus>,
    /// This computer's id as the receivers see it (a keyed hash of the OS
    /// machine id, never the raw id); null until known.
    pub host_id: Option<String>,
}

impl FleetStatus {
    /// A receiver unreachable longer than policy allows needs attention;
    /// with no `alert_after` (the default) the agent is never told.
    pub fn problem(
        &self,
        alert_after: Option<Duration>,
        now_ms: i64,
    ) -> Option<crate::status::Problem> {
        let after = alert_after?;
        let d = self.destinations.iter().find(|d| {
            d.failing_since
                .is_some_and(|since| now_ms - since >= after.as_millis() as i64)
        })?;
        let error = d.last_error.as_deref().unwrap_or("no answer");
        Some(
            crate::status::Problem::new(
                "fleet",
                "fleet-unreachable",
                "Not reporting to your organization".into(),
                format!(
                    "Veil cannot reach your organization's {} receiver ({}): {error}. Your records are kept and sent when it is back; tell IT if this lasts.",
                    d.kind.as_str(),
                    d.endpoint,
                ),
            )
            .arg("kind", d.kind.as_str())
            .arg("endpoint", d.endpoint.as_str())
            .arg("error", error),
        )
    }
}

/// Details of a `fleet_gap` record: records one receiver never took,
/// given up because they were older than `fleet.backlog_days`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GapDetails {
    /// `otlp` or `syslog`, and where.
    pub destination: DestinationKind,
    pub endpoint: String,
    pub from_seq: i64,
    pub through_seq: i64,
    pub count: u64,
    pub backlog_days: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(failing_since: Option<i64>) -> FleetStatus {
        FleetStatus {
            destinations: vec![DestinationStatus {
                kind: DestinationKind::Syslog,
                endpoint: "logs.example.com:6514".into(),
                state: if failing_since.is_some() {
                    DestinationState::Retrying
                } else {
                    DestinationState::Connected
                },
                queued: 3,
                last_delivered_at: None,
                last_error: Some("connection refused".into()),
                failing_since,
            }],
            host_id: Some("h".into()),
        }
    }

    #[test]
    fn the_agent_is_told_only_when_policy_says_and_after_the_time() {
        let min = Duration::from_secs(60);
        let table: &[(Option<i64>, Option<Duration>, i64, bool)] = &[
            (None, Some(min), 1_000_000, false),
            (Some(0), None, 1_000_000_000, false),
            (Some(0), Some(min), 59_999, false),
            (Some(0), Some(min), 60_000, true),
        ];
        for (since, after, now, told) in table {
            let p = status(*since).problem(*after, *now);
            assert_eq!(p.is_some(), *told, "{since:?} {after:?} {now}");
            if let Some(p) = p {
                assert!(p.message.contains("logs.example.com:6514"), "{}", p.message);
                assert!(p.message.contains("connection refused"), "{}", p.message);
            }
        }
    }
}
