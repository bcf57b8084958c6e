//! Parsing one settings or policy file into a validated layer. A file is taken
//! whole or not at all: any error rejects it, so a half-understood policy is
//! never applied.

use std::collections::BTreeMap;
use std::fmt;
use ts_rs::TS;

use serde::Serialize;
use toml_edit::{Document, Item, Table};

use super::schema::{self, Kind, Scope};
use super::value::{kind_name, Value};

/// Which file a layer came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Origin {
    User,
    Policy,
}

/// A problem in a settings or policy file, located for a human. Values
/// from the registry or a configuration profile have no line: `line` and
/// `column` are 0 there and `file` is the registry value's path or the
/// profile's file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct FileError {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub key: Option<String>,
    pub message: String,
}

impl fmt::Display for FileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}: ", self.file)?;
        } else {
            write!(f, "{}:{}:{}: ", self.file, self.line, self.column)?;
        }
        if let Some(key) = &self.key {
            write!(f, "key `{key}`: ")?;
        }
        f.write_str(&self.message)
    }
}

/// The validated values of one file, with where each was set.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Layer {
    values: BTreeMap<&'static str, (Value, Place)>,
}

/// Where a value was set: a line of the TOML file (0: no file), or a
/// registry key or configuration profile, as `veil policy show` names it.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Place {
    Line(usize),
    Managed(String),
}

impl Layer {
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.values.get(key).map(|(v, _)| v)
    }

    /// The line the key was set on (none for the built-in fail-closed
    /// policy, which has no file).
    pub fn line_of(&self, key: &str) -> Option<usize> {
        match self.values.get(key) {
            Some((_, Place::Line(l))) if *l > 0 => Some(*l),
            _ => None,
        }
    }

    /// The registry key or profile the key was set in
    /// (`registry:HKLM\SOFTWARE\Policies\Veil\shield`), if not a file.
    pub fn managed_place(&self, key: &str) -> Option<&str> {
        match self.values.get(key) {
            Some((_, Place::Managed(p))) => Some(p),
            _ => None,
        }
    }

    /// This layer over `lower`, key by key: a key set here wins whole (a
    /// table or list is not merged item by item), the others come from
    /// `lower`. The registry or a profile over the policy file.
    pub fn merge_over(mut self, lower: &Layer) -> Layer {
        for (key, set) in &lower.values {
            self.values.entry(key).or_insert_with(|| set.clone());
        }
        self
    }

    pub(super) fn insert_managed(&mut self, key: &'static str, value: Value, place: String) {
        self.values.insert(key, (value, Place::Managed(place)));
    }

    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    pub fn keys(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.values.keys().copied()
    }

    /// The policy in force when the organization's file cannot be used and
    /// no earlier version of it is known: privacy mode on and locked, no
    /// quitting, start at sign-in.
    pub fn fail_closed() -> Layer {
        let mut values = BTreeMap::new();
        for (key, value) in [
            (super::schema::FORCE_PRIVACY_MODE, Value::Bool(true)),
            (super::schema::ALLOW_QUIT, Value::Bool(false)),
            (super::schema::START_AT_LOGIN, Value::Bool(true)),
        ] {
            values.insert(key, (value, Place::Line(0)));
        }
        Layer { values }
    }

    /// Parses and validates `text`, the contents of `file`. Returns every
    /// problem found, each naming the file, line and key.
    pub fn parse(file: &str, text: &str, origin: Origin) -> Result<Layer, Vec<FileError>> {
        let doc = match Document::parse(text) {
            Ok(doc) => doc,
            Err(e) => {
                let (line, column) = e.span().map(|s| line_col(text, s.start)).unwrap_or((1, 1));
                return Err(vec![FileError {
                    file: file.to_string(),
                    line,
                    column,
                    key: key_on_line(text, line),
                    message: format!("not valid TOML: {}", first_line(e.message())),
                }]);
            }
        };
        let mut walker = Walker {
            file,
            text,
            origin,
            layer: Layer::default(),
            errors: Vec::new(),
        };
        walker.table(doc.as_table(), "");
        if walker.errors.is_empty() {
            Ok(walker.layer)
        } else {
            Err(walker.errors)
        }
    }
}

struct Walker<'a> {
    file: &'a str,
    text: &'a str,
    origin: Origin,
    layer: Layer,
    errors: Vec<FileError>,
}

impl Walker<'_> {
    fn table(&mut self, table: &Table, prefix: &str) {
        for (name, item) in table.iter() {
            let key = if prefix.is_empty() {
                name.to_string()
            } else {
                format!("{prefix}.{name}")
            };
            let offset = table
                .key(name)
                .and_then(|k| k.span())
                .or_else(|| item.span())
                .map(|s| s.start)
                .unwrap_or(0);
            let takes_table = schema::spec(&key).is_some_and(|s| s.kind == Kind::Table);
            match item {
                Item::Table(t) if takes_table => self.map(&key, t, offset),
                Item::Value(toml_edit::Value::InlineTable(t)) if takes_table => {
                    let t = t.clone().into_table();
                    self.map(&key, &t, offset)
                }
                Item::Table(t) => self.table(t, &key),
                Item::Value(toml_edit::Value::InlineTable(t)) => {
                    let t = t.clone().into_table();
                    self.table(&t, &key)
                }
                Item::Value(v) => self.value(&key, v, offset),
                Item::ArrayOfTables(_) | Item::None => self.error(
                    offset,
                    Some(&key),
                    "this key does not take a table array".into(),
                ),
            }
        }
    }

    /// A key that takes a table of strings.
    fn map(&mut self, key: &str, table: &Table, offset: usize) {
        let mut values = std::collections::BTreeMap::new();
        for (name, item) in table.iter() {
            match item.as_str() {
                Some(v) if name.len() <= 128 && v.len() <= 4096 => {
                    values.insert(name.to_string(), v.to_string());
                }
                _ => {
                    self.error(
                        offset,
                        Some(key),
                        format!("`{name}`: expected a quoted string"),
                    );
                    return;
                }
            }
        }
        let Some(spec) = schema::spec(key) else {
            return;
        };
        if self.origin == Origin::User && spec.scope == Scope::PolicyOnly {
            self.error(
                offset,
                Some(key),
                "only your organization's policy file can set this key".into(),
            );
            return;
        }
        let (line, _) = line_col(self.text, offset);
        self.layer
            .values
            .insert(spec.key, (Value::Map(values), Place::Line(line)));
    }

    fn value(&mut self, key: &str, raw: &toml_edit::Value, offset: usize) {
        let Some(spec) = schema::spec(key) else {
            let hint = schema::closest_key(key)
                .map(|k| format!(" (did you mean `{k}`?)"))
                .unwrap_or_default();
            self.error(offset, Some(key), format!("unknown key{hint}"));
            return;
        };
        if self.origin == Origin::User && spec.scope == Scope::PolicyOnly {
            self.error(
                offset,
                Some(key),
                "only your organization's policy file can set this key".into(),
            );
            return;
        }
        let value = match raw {
            toml_edit::Value::Boolean(b) => Value::Bool(*b.value()),
            toml_edit::Value::Integer(i) => Value::Integer(*i.value()),
            toml_edit::Value::String(s) => Value::Text(s.value().clone()),
            toml_edit::Value::Array(a) => {
                let items: Option<Vec<String>> =
                    a.iter().map(|v| v.as_str().map(str::to_string)).collect();
                match items {
                    Some(items) => Value::List(items),
                    None => {
                        self.error(
                            offset,
                            Some(key),
                            format!("expected {}", kind_name(spec.kind)),
                        );
                        return;
                    }
                }
            }
            _ => {
                self.error(
                    offset,
                    Some(key),
                    format!("expected {}", kind_name(spec.kind)),
                );
                return;
            }
        };
        if let Err(msg) = value.check(spec) {
            self.error(offset, Some(key), msg);
            return;
        }
        let (line, _) = line_col(self.text, offset);
        self.layer
            .values
            .insert(spec.key, (value, Place::Line(line)));
    }

    fn error(&mut self, offset: usize, key: Option<&str>, message: String) {
        let (line, column) = line_col(self.text, offset);
        self.errors.push(FileError {
            file: self.file.to_string(),
            line,
            column,
            key: key.map(str::to_string),
            message,
        });
    }
}

/// 1-based line and column of a byte offset.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text.as_bytes()[..offset];
    let line = before.iter().filter(|b| **b == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|b| *b == b'\n')
        .map(|p| p + 1)
        .unwrap_or(0);
    let column = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count()
        + 1;
    (line, column)
}

/// The dotted key a line assigns (`key = ...` under its `[table]`), if it
/// reads as one: a syntax error can still name the key it is about.
fn key_on_line(text: &str, line: usize) -> Option<String> {
    let lines: Vec<&str> = text.lines().collect();
    let this = lines.get(line.checked_sub(1)?)?;
    let (name, _) = this.split_once('=')?;
    let name = name.trim().trim_matches('"');
    let is_key = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.');
    if !is_key {
        return None;
    }
    let table = lines[..line - 1].iter().rev().find_map(|l| {
        let l = l.trim();
        l.strip_prefix('[')
            .and_then(|r| r.strip_suffix(']'))
            .map(|t| t.trim_matches(['[', ']']).trim().to_string())
    });
    Some(match table {
        Some(t) if !t.is_empty() => format!("{t}.{name}"),
        _ => name.to_string(),
    })
}

fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or(s).trim()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors(text: &str, origin: Origin) -> Vec<String> {
        match Layer::parse("/etc/veil/policy.toml", text, origin) {
            Ok(_) => vec![],
            Err(e) => e.iter().map(ToString::to_string).collect(),
        }
    }

    #[test]
    fn bad_files_name_file_line_and_key() {
        let cases: &[(&str, Origin, &str)] = &[
            (
                "start_at_login = true\nappearance = 3\n",
                Origin::User,
                "/etc/veil/policy.toml:2:1: key `appearance`: expected one of \"system\", \"light\", \"dark\", found a number",
            ),
            (
                "\n\nstart_at_logon = true\n",
                Origin::User,
                "/etc/veil/policy.toml:3:1: key `start_at_logon`: unknown key (did you mean `start_at_login`?)",
            ),
            (
                "allow_quit = false\n",
                Origin::User,
                "/etc/veil/policy.toml:1:1: key `allow_quit`: only your organization's policy file can set this key",
            ),
            (
                "appearance = \"blue\"\n",
                Origin::Policy,
                "/etc/veil/policy.toml:1:1: key `appearance`: \"blue\" is not allowed; use one of \"system\", \"light\", \"dark\"",
            ),
            (
                "start_at_login = [1]\n",
                Origin::Policy,
                "/etc/veil/policy.toml:1:1: key `start_at_login`: expected true or false",
            ),
            (
                "[microphone]\napproved_headsets = [\"Jabra*\", 3]\n",
                Origin::Policy,
                "/etc/veil/policy.toml:2:1: key `microphone.approved_headsets`: expected a list of quoted strings, like [\"a\", \"b\"]",
            ),
            (
                "microphone.approved_headsets = \"Jabra*\"\n",
                Origin::Policy,
                "/etc/veil/policy.toml:1:12: key `microphone.approved_headsets`: expected a list of quoted strings, like [\"a\", \"b\"], found a string",
            ),
            (
                "[nope]\nthing = 1\n",
                Origin::Policy,
                "/etc/veil/policy.toml:2:1: key `nope.thing`: unknown key",
            ),
        ];
        for (text, origin, want) in cases {
            assert_eq!(errors(text, *origin), vec![want.to_string()], "{text}");
        }
    }

    #[test]
    fn syntax_errors_are_located() {
        let errs = errors("allow_quit = false\nstart_at_login = tru\n", Origin::Policy);
        assert_eq!(errs.len(), 1);
        assert!(
            errs[0].starts_with("/etc/veil/policy.toml:2:"),
            "{}",
            errs[0]
        );
        assert!(errs[0].contains("not valid TOML"), "{}", errs[0]);
        assert!(errs[0].contains("key `start_at_login`"), "{}", errs[0]);
        let errs = errors("[shield]\nidle_seconds = 1 2\n", Origin::Policy);
        assert!(errs[0].contains("key `shield.idle_seconds`"), "{}", errs[0]);
    }

    #[test]
    fn every_error_is_reported() {
        let errs = errors("a = 1\nb = 2\n", Origin::User);
        assert_eq!(errs.len(), 2);
    }

    #[test]
    fn valid_files_keep_values_and_lines() {
        let layer = Layer::parse(
            "p",
            "# comment\nallow_quit = false\nappearance = \"dark\"\n",
            Origin::Policy,
        )
        .unwrap();
        assert_eq!(layer.get("allow_quit"), Some(&Value::Bool(false)));
        assert_eq!(layer.line_of("appearance"), Some(3));
        assert_eq!(layer.get("start_at_login"), None);
    }

    #[test]
    fn lists_keep_their_order() {
        let layer = Layer::parse(
            "p",
            "[microphone]\napproved_headsets = [\"Poly*\", \"Jabra Evolve*\"]\n",
            Origin::Policy,
        )
        .unwrap();
        assert_eq!(
            layer.get("microphone.approved_headsets"),
            Some(&Value::List(vec!["Poly*".into(), "Jabra Evolve*".into()]))
        );
    }

    #[test]
    fn an_upper_layer_wins_key_by_key() {
        let file = Layer::parse(
            "p",
            "appearance = \"dark\"\nallow_quit = false\n[fleet.labels]\nsite = \"lisbon\"\n",
            Origin::Policy,
        )
        .unwrap();
        let mut upper = Layer::default();
        upper.insert_managed(
            "appearance",
            Value::Text("light".into()),
            "registry:K".into(),
        );
        upper.insert_managed(
            "fleet.labels",
            Value::Map([("team".to_string(), "claims".to_string())].into()),
            "registry:K\\fleet\\labels".into(),
        );
        let merged = upper.merge_over(&file);
        assert_eq!(merged.get("appearance"), Some(&Value::Text("light".into())));
        assert_eq!(merged.managed_place("appearance"), Some("registry:K"));
        assert_eq!(merged.line_of("appearance"), None);
        // Not in the upper layer: the file's value and line.
        assert_eq!(merged.get("allow_quit"), Some(&Value::Bool(false)));
        assert_eq!(merged.line_of("allow_quit"), Some(2));
        assert_eq!(merged.managed_place("allow_quit"), None);
        // A table is replaced whole, not merged name by name.
        assert_eq!(
            merged.get("fleet.labels"),
            Some(&Value::Map(
                [("team".to_string(), "claims".to_string())].into()
            ))
        );
        assert_eq!(merged.keys().count(), 3);
    }

    #[test]
    fn errors_without_a_line_name_only_the_place() {
        let e = FileError {
            file: r"HKLM\SOFTWARE\Policies\Veil\shield\idle_seconds".into(),
            line: 0,
            column: 0,
            key: Some("shield.idle_seconds".into()),
            message: "unknown".into(),
        };
        assert_eq!(
            e.to_string(),
            r"HKLM\SOFTWARE\Policies\Veil\shield\idle_seconds: key `shield.idle_seconds`: unknown"
        );
    }

    #[test]
    fn an_empty_file_is_an_empty_layer() {
        assert!(Layer::parse("p", "", Origin::User).unwrap().is_empty());
    }
}
