use serde::{Deserialize, Serialize};
use std::fmt;
use ts_rs::TS;

use super::schema::{DefaultValue, Kind, SettingSpec};

/// A setting's value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(untagged)]
pub enum Value {
    Bool(bool),
    Integer(i64),
    Text(String),
    List(Vec<String>),
    Map(std::collections::BTreeMap<String, String>),
}

impl From<DefaultValue> for Value {
    fn from(d: DefaultValue) -> Self {
        match d {
            DefaultValue::Bool(b) => Value::Bool(b),
            DefaultValue::Integer(i) => Value::Integer(i),
            DefaultValue::Text(t) => Value::Text(t.to_string()),
            DefaultValue::TextList(l) => Value::List(l.iter().map(|s| s.to_string()).collect()),
            DefaultValue::EmptyTable => Value::Map(Default::default()),
        }
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Bool(b) => write!(f, "{b}"),
            Value::Integer(i) => write!(f, "{i}"),
            Value::Text(t) => write!(f, "\"{t}\""),
            Value::List(l) => {
                let items: Vec<String> = l.iter().map(|s| format!("\"{s}\"")).collect();
                write!(f, "[{}]", items.join(", "))
            }
            Value::Map(m) => {
                let items: Vec<String> = m.iter().map(|(k, v)| format!("{k} = \"{v}\"")).collect();
                write!(f, "{{ {} }}", items.join(", "))
            }
        }
    }
}

impl Value {
    /// Checks a value against its spec; the error reads as the end of
    /// "key `x`: ...".
    pub fn check(&self, spec: &SettingSpec) -> Result<(), String> {
        match (spec.kind, self) {
            (Kind::Bool, Value::Bool(_))
            | (Kind::Text, Value::Text(_))
            | (Kind::TextList, Value::List(_))
            | (Kind::Table, Value::Map(_)) => Ok(()),
            (Kind::Url, Value::Text(v)) => {
                crate::fleet::endpoint::check_url(v).map_err(|e| e.to_string())
            }
            (Kind::HostPort, Value::Text(v)) => {
                crate::fleet::endpoint::check_host_port(v).map_err(|e| e.to_string())
            }
            (Kind::Shortcut, Value::Text(v)) => crate::shield::shortcut::parse_setting(v)
                .map(|_| ())
                .map_err(|e| e.to_string()),
            (Kind::Command, Value::Text(v)) => match v.split_whitespace().next() {
                None => Ok(()),
                Some(p) if p.starts_with('/') || p.get(1..3) == Some(":\\") => Ok(()),
                Some(p) => Err(format!(
                    "\"{p}\" is not an absolute path; give the program's full path (commands are never looked up in PATH)"
                )),
            },
            (Kind::Integer { min, max }, Value::Integer(v)) => {
                if *v < min || *v > max {
                    Err(format!("{v} is out of range; allowed {min} to {max}"))
                } else {
                    Ok(())
                }
            }
            (Kind::ChoiceList { options }, Value::List(l)) => {
                match l.iter().find(|v| !options.contains(&v.as_str())) {
                    None => Ok(()),
                    Some(v) => Err(format!(
                        "\"{v}\" is not allowed; use any of {}",
                        quoted_list(options)
                    )),
                }
            }
            (Kind::Choice { options }, Value::Text(v)) => {
                if options.contains(&v.as_str()) {
                    Ok(())
                } else {
                    Err(format!(
                        "\"{v}\" is not allowed; use one of {}",
                        quoted_list(options)
                    ))
                }
            }
            (kind, v) => Err(format!(
                "expected {}, found {}",
                kind_name(kind),
                value_type(v)
            )),
        }
    }
}

pub(crate) fn kind_name(kind: Kind) -> String {
    match kind {
        Kind::Bool => "true or false".into(),
        Kind::Integer { min, max } => format!("a whole number from {min} to {max}"),
        Kind::Choice { options } => format!("one of {}", quoted_list(options)),
        Kind::Text => "a quoted string".into(),
        Kind::TextList => "a list of quoted strings, like [\"a\", \"b\"]".into(),
        Kind::ChoiceList { options } => format!("a list of any of {}", quoted_list(options)),
        Kind::Shortcut => "a quoted shortcut, like \"Ctrl+Alt+Shift+P\", or \"\" for none".into(),
        Kind::Command => "a quoted command starting with the program's full path".into(),
        Kind::Table => "a table of quoted strings, like { site = \"lisbon\" }".into(),
        Kind::Url => "a quoted URL, like \"https://collector.example.com:4318\"".into(),
        Kind::HostPort => "a quoted host:port, like \"logs.example.com:6514\"".into(),
    }
}

fn value_type(v: &Value) -> &'static str {
    match v {
        Value::Bool(_) => "a boolean",
        Value::Integer(_) => "a number",
        Value::Text(_) => "a string",
        Value::List(_) => "a list",
        Value::Map(_) => "a table",
    }
}

pub(crate) fn quoted_list(options: &[&str]) -> String {
    options
        .iter()
        .map(|o| format!("\"{o}\""))
        .collect::<Vec<_>>()
        .join(", ")
}
