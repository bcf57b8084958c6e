//! Changing the agent's own settings file while keeping its comments and
//! layout. Writing it to disk (atomically) is the OS layer's job.

use toml_edit::{DocumentMut, Item, Table};

use super::effective::Effective;
use super::layer::{Layer, Origin};
use super::schema::{self, Scope};
use super::value::Value;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum EditError {
    #[error("unknown setting `{0}`")]
    UnknownKey(String),
    #[error("`{0}` is set by your organization and cannot be changed here")]
    Locked(String),
    #[error("`{0}` can only be set by your organization's policy")]
    PolicyOnly(String),
    #[error("`{key}`: {message}")]
    Invalid { key: String, message: String },
    #[error("your settings file {0} has an error; fix it before changing settings here")]
    FileBroken(String),
}

/// Returns the new text of the agent's settings file with `key` set to
/// `value` (or removed, so the default applies, when `value` is `None`).
pub fn set_user_value(
    file: &str,
    current_text: &str,
    effective: &Effective,
    key: &str,
    value: Option<&Value>,
) -> Result<String, EditError> {
    let spec = schema::spec(key).ok_or_else(|| EditError::UnknownKey(key.to_string()))?;
    if spec.scope == Scope::PolicyOnly {
        return Err(EditError::PolicyOnly(key.to_string()));
    }
    if effective.is_locked(key) {
        return Err(EditError::Locked(key.to_string()));
    }
    if let Some(v) = value {
        v.check(spec).map_err(|message| EditError::Invalid {
            key: key.to_string(),
            message,
        })?;
    }
    // Never rewrite a file we could not fully understand: the agent's edits
    // in it would be lost.
    Layer::parse(file, current_text, Origin::User)
        .map_err(|_| EditError::FileBroken(file.to_string()))?;
    let mut doc: DocumentMut = current_text
        .parse()
        .map_err(|_| EditError::FileBroken(file.to_string()))?;

    let parts: Vec<&str> = key.split('.').collect();
    let (last, sections) = parts
        .split_last()
        .ok_or_else(|| EditError::UnknownKey(key.to_string()))?;
    let mut table: &mut Table = doc.as_table_mut();
    for section in sections {
        let item = table
            .entry(section)
            .or_insert_with(|| Item::Table(Table::new()));
        table = item
            .as_table_mut()
            .ok_or_else(|| EditError::FileBroken(file.to_string()))?;
    }
    match value {
        Some(v) => {
            table[*last] = toml_edit::value(to_toml(v));
        }
        None => {
            table.remove(last);
        }
    }
    Ok(doc.to_string())
}

fn to_toml(v: &Value) -> toml_edit::Value {
    match v {
        Value::Bool(b) => (*b).into(),
        Value::Integer(i) => (*i).into(),
        Value::Text(t) => t.as_str().into(),
        Value::List(l) => toml_edit::Value::Array(l.iter().map(String::as_str).collect()),
        Value::Map(m) => {
            let mut t = toml_edit::InlineTable::new();
            for (k, v) in m {
                t.insert(k, v.as_str().into());
            }
            toml_edit::Value::InlineTable(t)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eff(policy: &str) -> Effective {
        Effective::merge(
            &Layer::default(),
            &Layer::parse("p", policy, Origin::Policy).unwrap(),
        )
    }

    #[test]
    fn keeps_comments_and_sets_value() {
        let text = "# my settings\nstart_at_login = true # keep me\n";
        let out = set_user_value(
            "s",
            text,
            &eff(""),
            "appearance",
            Some(&Value::Text("dark".into())),
        )
        .unwrap();
        assert!(out.contains("# my settings"));
        assert!(out.contains("# keep me"));
        assert!(out.contains("appearance = \"dark\""));
        let back = set_user_value("s", &out, &eff(""), "appearance", None).unwrap();
        assert!(!back.contains("appearance"));
    }

    #[test]
    fn refuses_locked_policy_only_invalid_and_broken() {
        let table: &[(&str, &str, &str, Value, EditError)] = &[
            (
                "appearance = \"light\"",
                "",
                "appearance",
                Value::Text("dark".into()),
                EditError::Locked("appearance".into()),
            ),
            (
                "",
                "",
                "allow_quit",
                Value::Bool(false),
                EditError::PolicyOnly("allow_quit".into()),
            ),
            (
                "",
                "",
                "appearance",
                Value::Text("pink".into()),
                EditError::Invalid {
                    key: "appearance".into(),
                    message: "\"pink\" is not allowed; use one of \"system\", \"light\", \"dark\""
                        .into(),
                },
            ),
            (
                "",
                "start_at_login = yes",
                "appearance",
                Value::Text("dark".into()),
                EditError::FileBroken("s".into()),
            ),
            (
                "",
                "",
                "nope",
                Value::Bool(true),
                EditError::UnknownKey("nope".into()),
            ),
        ];
        for (policy, user_text, key, value, want) in table {
            assert_eq!(
                set_user_value("s", user_text, &eff(policy), key, Some(value)).as_ref(),
                Err(want),
                "{key}"
            );
        }
    }
}
