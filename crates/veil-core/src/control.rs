//! The local control channel's messages: one JSON object a line each way,
//! between the running app and its clients: the `veil` CLI, a second
//! launch, and the window process (Veil's windows run in a process of
//! their own, started when one opens and ended when the last one closes,
//! so the tray app never holds a web engine).

use serde::{Deserialize, Serialize};

pub use crate::window_calls::{args, Call, WindowCall};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "cmd", rename_all = "snake_case")]
pub enum Request {
    /// The current `veil status --json`.
    Status,
    /// Turn privacy mode on or off.
    Privacy { on: bool },
    /// Open the main window (a second launch hands over with this).
    Open,
    /// Cover every monitor now.
    ShieldNow,
    /// The window process attaches; only the one the app started is
    /// accepted (the connection's peer process is checked). The answer's
    /// value is the link's id; after it the connection carries
    /// [`WindowMessage`]s to the process and [`LinkRequest`]s from it, one a
    /// line, until either end closes it. The window process quits when it
    /// closes.
    AttachWindows,
    /// A window call on a connection of its own: always refused. Window
    /// calls are taken only on the window process's link.
    Window(WindowCall),
}

/// From the attached window process to the app, on its link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "up", rename_all = "snake_case")]
pub enum LinkRequest {
    /// A call from one of its windows; answered by a [`WindowMessage::Reply`]
    /// with the same `id`. The app checks the call against `window`'s
    /// capability file.
    Call {
        id: u64,
        window: WindowName,
        call: WindowCall,
    },
    /// No window is open and every [`WindowMessage::Open`] up to `seen` was
    /// handled: the app closes the link (so the process quits) unless it
    /// has sent an open since.
    Idle { seen: u64 },
}

/// The windows the app asks the window process to show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WindowName {
    /// Dashboard, settings and About.
    Main,
    /// Training modules, lessons, practice and the report.
    Training,
    /// The quiz pop-up.
    Quiz,
}

/// From the running app to the attached window process.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "msg", rename_all = "snake_case")]
pub enum WindowMessage {
    /// Show this window; `seq` counts opens, for [`Request::WindowsIdle`].
    Open { seq: u64, window: WindowName },
    /// Close this window (the tray app took its last call, e.g. the quiz's).
    Close { window: WindowName },
    /// The app's state changed (the dashboard renders it live). Passed on
    /// to the windows as it came, so the window process never parses it.
    Snapshot { snapshot: serde_json::Value },
    /// The mic check's latest level, for the dashboard.
    MicLevel { level: crate::mic::MicLevel },
    /// The answer to the [`LinkRequest::Call`] with this `id`.
    Reply { id: u64, response: Response },
}

impl WindowName {
    /// The window's label, as its capability file names it.
    pub fn label(self) -> &'static str {
        match self {
            WindowName::Main => "main",
            WindowName::Training => "training",
            WindowName::Quiz => "quiz",
        }
    }

    pub fn from_label(label: &str) -> Option<WindowName> {
        [WindowName::Main, WindowName::Training, WindowName::Quiz]
            .into_iter()
            .find(|w| w.label() == label)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Response {
    pub ok: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<serde_json::Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// The answer to a [`Request::Window`] call.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<serde_json::Value>,
}

impl Response {
    pub fn ok(status: Option<serde_json::Value>) -> Self {
        Self {
            ok: true,
            status,
            error: None,
            value: None,
        }
    }

    /// A window call's answer.
    pub fn value(value: serde_json::Value) -> Self {
        Self {
            ok: true,
            status: None,
            error: None,
            value: Some(value),
        }
    }

    pub fn error(message: impl Into<String>) -> Self {
        Self {
            ok: false,
            status: None,
            error: Some(message.into()),
            value: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_round_trip_as_one_line_json() {
        for r in [
            Request::Status,
            Request::Privacy { on: false },
            Request::Open,
            Request::AttachWindows,
            Request::Window(args::GetSnapshot {}.into()),
            Request::Window(
                args::SetSetting {
                    key: "shield.idle_seconds".into(),
                    value: Some(crate::settings::Value::Integer(90)),
                }
                .into(),
            ),
            Request::Window(
                args::AnswerQuestion {
                    question: "q1".into(),
                    chosen: vec!["a".into(), "c".into()],
                }
                .into(),
            ),
            Request::Window(args::Practice { module: None }.into()),
        ] {
            let line = serde_json::to_string(&r).unwrap();
            assert!(!line.contains('\n'));
            assert_eq!(serde_json::from_str::<Request>(&line).unwrap(), r);
        }
        assert_eq!(
            serde_json::to_string(&Request::Privacy { on: true }).unwrap(),
            r#"{"cmd":"privacy","on":true}"#
        );
        // A window call is one flat object: the command, then the call.
        assert_eq!(
            serde_json::to_string(&Request::Window(args::CloseQuiz { later: true }.into()))
                .unwrap(),
            r#"{"cmd":"window","call":"close_quiz","later":true}"#
        );
    }

    #[test]
    fn window_messages_round_trip_as_one_line_json() {
        for m in [
            WindowMessage::Open {
                seq: 7,
                window: WindowName::Quiz,
            },
            WindowMessage::Snapshot {
                snapshot: serde_json::json!({"status": {"privacy_mode": "on"}}),
            },
            WindowMessage::MicLevel {
                level: crate::mic::MicLevel::Running {
                    device: "Headset".into(),
                    level: 0.25,
                },
            },
            WindowMessage::Close {
                window: WindowName::Quiz,
            },
            WindowMessage::Reply {
                id: 3,
                response: Response::error("no"),
            },
        ] {
            let line = serde_json::to_string(&m).unwrap();
            assert!(!line.contains('\n'));
            assert_eq!(serde_json::from_str::<WindowMessage>(&line).unwrap(), m);
        }
    }
}

/// Requests that change something (privacy mode, a setting, the shield)
/// are let through at most this often, so a loop in the agent's account
/// cannot flood the audit log or the settings file.
#[derive(Debug, Clone)]
pub struct RateLimit {
    burst: f64,
    per_second: f64,
    tokens: f64,
    last: Option<crate::clock::Millis>,
    last_recorded: Option<crate::clock::Millis>,
}

/// What [`RateLimit::check`] says about one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Allowance {
    Allowed,
    /// Refused; `record` is true the first time in a minute (the refusal
    /// is recorded once, not once per request).
    Refused {
        record: bool,
    },
}

impl RateLimit {
    pub fn new(per_second: u32, burst: u32) -> RateLimit {
        RateLimit {
            burst: f64::from(burst),
            per_second: f64::from(per_second),
            tokens: f64::from(burst),
            last: None,
            last_recorded: None,
        }
    }

    pub fn check(&mut self, now: crate::clock::Millis) -> Allowance {
        if let Some(last) = self.last {
            let elapsed = (now.0 - last.0).max(0) as f64 / 1000.0;
            self.tokens = (self.tokens + elapsed * self.per_second).min(self.burst);
        }
        self.last = Some(now);
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            return Allowance::Allowed;
        }
        let record = self.last_recorded.is_none_or(|t| now.0 - t.0 >= 60_000);
        if record {
            self.last_recorded = Some(now);
        }
        Allowance::Refused { record }
    }
}

#[cfg(test)]
mod rate_tests {
    use super::*;
    use crate::clock::Millis;

    #[test]
    fn a_flood_is_cut_to_the_rate_and_recorded_once_a_minute() {
        let mut r = RateLimit::new(5, 10);
        let allowed = (0..100)
            .filter(|i| r.check(Millis(*i)) == Allowance::Allowed)
            .count();
        assert_eq!(allowed, 10, "the burst, within 0.1 s");
        assert_eq!(r.check(Millis(100)), Allowance::Refused { record: false });
        assert_eq!(
            r.last_recorded,
            Some(Millis(10)),
            "the first refusal is recorded"
        );
        // A second later: five more.
        let allowed = (0..10)
            .filter(|i| r.check(Millis(1_100 + i)) == Allowance::Allowed)
            .count();
        assert_eq!(allowed, 5);
        assert_eq!(r.check(Millis(61_200)), Allowance::Allowed);
        let recorded = (0..30)
            .filter(|i| r.check(Millis(61_201 + i)) == Allowance::Refused { record: true })
            .count();
        assert_eq!(recorded, 1, "a minute after the last record, one more");
    }
}
