//! The local control channel's messages: one JSON object a line each way,
//! between the `veil` CLI (or a second launch) and the running app.

use serde::{Deserialize, Serialize};

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
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Response {
    pub ok: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<serde_json::Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

impl Response {
    pub fn ok(status: Option<serde_json::Value>) -> Self {
        Self {
            ok: true,
            status,
            error: None,
        }
    }

    pub fn error(message: impl Into<String>) -> Self {
        Self {
            ok: false,
            status: None,
            error: Some(message.into()),
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
        ] {
            let line = serde_json::to_string(&r).unwrap();
            assert!(!line.contains('\n'));
            assert_eq!(serde_json::from_str::<Request>(&line).unwrap(), r);
        }
        assert_eq!(
            serde_json::to_string(&Request::Privacy { on: true }).unwrap(),
            r#"{"cmd":"privacy","on":true}"#
        );
    }
}
