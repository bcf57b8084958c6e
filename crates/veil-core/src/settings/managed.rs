//! Managed policy that IT deploys without a file: Group Policy and Intune
//! write registry values under `HKLM\SOFTWARE\Policies\Veil`, and Jamf or
//! another MDM installs a configuration profile, which macOS keeps as a
//! managed preferences plist. veil-os reads either into a [`ManagedSet`] of
//! named, typed values; [`ManagedSet::to_layer`] turns it into a policy
//! [`Layer`] with the same checks as `policy.toml`, every error naming the
//! registry value or the profile it is about.
//!
//! Names map to keys by their parts: the subkey `shield` with the value
//! `idle_seconds` (or a `shield` dictionary holding `idle_seconds`, or the
//! dotted name `shield.idle_seconds`) is `shield.idle_seconds`. A table key
//! (`fleet.labels`) is a subkey or dictionary of strings; in the registry a
//! list is a `REG_MULTI_SZ`, or a subkey of values named `1`, `2`, ... (what
//! an ADMX `list` element writes).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::layer::{FileError, Layer};
use super::schema::{self, Kind, SettingSpec};
use super::value::{quoted_list, Value};

/// Where Group Policy writes Veil's policy (`class="Machine"` in the ADMX).
pub const REGISTRY_ROOT: &str = r"HKLM\SOFTWARE\Policies\Veil";

/// Longest name and value of a table entry, as in `policy.toml`.
const MAX_NAME: usize = 128;
const MAX_TEXT: usize = 4096;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ManagedKind {
    /// Names are matched without regard to case, as the registry does.
    Registry,
    /// A configuration profile: names are matched exactly, as macOS does.
    Profile,
}

/// One value as the registry or a plist holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ManagedValue {
    Dword(u32),
    Qword(u64),
    String(String),
    MultiString(Vec<String>),
    Bool(bool),
    Integer(i64),
    Array(Vec<String>),
    /// A type no key takes (`REG_BINARY`, `REG_EXPAND_SZ`, a plist date,
    /// an array of numbers): its name, for the error.
    Other(String),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManagedEntry {
    /// Registry: the subkeys under the root, then the value's name
    /// (`["shield", "idle_seconds"]`). Profile: the dictionary keys.
    pub path: Vec<String>,
    pub value: ManagedValue,
}

/// Everything one managed source gave.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManagedSet {
    pub kind: ManagedKind,
    /// `HKLM\SOFTWARE\Policies\Veil`, or the plist's path.
    pub location: String,
    /// Sorted by path, so the same values always compare and hash the same
    /// whatever order the registry enumerates them in.
    pub entries: Vec<ManagedEntry>,
    /// The source is there but could not be read (access denied, a broken
    /// plist): rejected whole, like an unreadable policy file.
    pub unreadable: Option<String>,
}

impl ManagedSet {
    pub fn new(
        kind: ManagedKind,
        location: impl Into<String>,
        mut entries: Vec<ManagedEntry>,
    ) -> Self {
        // Paths are unique within a source (a registry key or a plist
        // dictionary cannot hold a name twice).
        entries.sort_by(|a, b| a.path.cmp(&b.path));
        Self {
            kind,
            location: location.into(),
            entries,
            unreadable: None,
        }
    }

    pub fn unreadable(
        kind: ManagedKind,
        location: impl Into<String>,
        why: impl Into<String>,
    ) -> Self {
        Self {
            kind,
            location: location.into(),
            entries: Vec::new(),
            unreadable: Some(why.into()),
        }
    }

    /// Anything to apply or to reject: an empty key or profile is as if
    /// there were none.
    pub fn is_present(&self) -> bool {
        !self.entries.is_empty() || self.unreadable.is_some()
    }

    /// How `veil policy show` names the source of a value set here.
    fn place(&self, path: &[String]) -> String {
        match self.kind {
            ManagedKind::Registry => {
                let mut key = self.location.clone();
                for part in path {
                    key.push('\\');
                    key.push_str(part);
                }
                format!("registry:{key}")
            }
            ManagedKind::Profile => format!("profile:{}", self.location),
        }
    }

    /// Where an entry is, for its error: the registry value's full path,
    /// or the profile's file (the key names the entry).
    fn file_of(&self, path: &[String]) -> String {
        match self.kind {
            ManagedKind::Registry if !path.is_empty() => {
                format!("{}\\{}", self.location, path.join("\\"))
            }
            _ => self.location.clone(),
        }
    }

    /// An entry's name in a message: the registry path, or the plist keys.
    fn describe(&self, path: &[String]) -> String {
        match self.kind {
            ManagedKind::Registry => self.file_of(path),
            ManagedKind::Profile => path.join("/"),
        }
    }

    fn error(&self, path: &[String], key: Option<&str>, message: String) -> FileError {
        FileError {
            file: self.file_of(path),
            line: 0,
            column: 0,
            key: key.map(str::to_string),
            message,
        }
    }

    fn part(&self, name: &str) -> String {
        match self.kind {
            ManagedKind::Registry => name.to_ascii_lowercase(),
            ManagedKind::Profile => name.to_string(),
        }
    }

    /// Which key an entry sets, and how.
    fn resolve(&self, path: &[String]) -> Resolved {
        let mut dotted = String::new();
        for (k, part) in path.iter().enumerate() {
            if k > 0 {
                dotted.push('.');
            }
            dotted.push_str(&self.part(part));
            let Some(spec) = schema::spec(&dotted) else {
                continue;
            };
            let rest = path.len() - k - 1;
            let takes_items = spec.kind == Kind::Table
                || (self.kind == ManagedKind::Registry && is_list(spec.kind));
            return match rest {
                0 => Resolved::Value(spec),
                1 if takes_items => Resolved::Item(spec, path[k + 1].clone()),
                _ => Resolved::Nested(spec),
            };
        }
        let full = path
            .iter()
            .map(|p| self.part(p))
            .collect::<Vec<_>>()
            .join(".");
        Resolved::Unknown(full)
    }

    /// The policy layer these values make, or every problem found. Any
    /// problem rejects the whole source, as one in `policy.toml` rejects
    /// the file.
    pub fn to_layer(&self) -> Result<Layer, Vec<FileError>> {
        if let Some(why) = &self.unreadable {
            return Err(vec![self.error(
                &[],
                None,
                format!("cannot be read: {why}"),
            )]);
        }
        let mut errors = Vec::new();
        let mut keys: BTreeMap<&'static str, Found> = BTreeMap::new();
        for entry in &self.entries {
            match self.resolve(&entry.path) {
                Resolved::Value(spec) => keys
                    .entry(spec.key)
                    .or_insert_with(|| Found::new(spec))
                    .values
                    .push(entry),
                Resolved::Item(spec, name) => keys
                    .entry(spec.key)
                    .or_insert_with(|| Found::new(spec))
                    .items
                    .push((name, entry)),
                Resolved::Nested(spec) => errors.push(self.error(
                    &entry.path,
                    Some(spec.key),
                    format!(
                        "expected {}, found {} under it",
                        expected(spec.kind, self.kind),
                        match self.kind {
                            ManagedKind::Registry => "a subkey with values",
                            ManagedKind::Profile => "a dictionary",
                        }
                    ),
                )),
                Resolved::Unknown(key) => {
                    let hint = schema::closest_key(&key)
                        .map(|k| format!(" (did you mean `{k}`?)"))
                        .unwrap_or_default();
                    errors.push(self.error(&entry.path, Some(&key), format!("unknown key{hint}")));
                }
            }
        }
        let mut layer = Layer::default();
        for (key, found) in keys {
            let spec = found.spec;
            let mut places: Vec<String> = found
                .values
                .iter()
                .map(|e| self.describe(&e.path))
                .collect();
            if let Some((_, first)) = found.items.first() {
                let holder = &first.path[..first.path.len() - 1];
                places.push(match self.kind {
                    ManagedKind::Registry => format!("the subkey {}", self.describe(holder)),
                    ManagedKind::Profile => self.describe(holder),
                });
            }
            if places.len() > 1 {
                let all = places;
                let at = found
                    .values
                    .first()
                    .map(|e| e.path.as_slice())
                    .unwrap_or(&[]);
                errors.push(self.error(
                    at,
                    Some(key),
                    format!("set more than once: {}", all.join(" and ")),
                ));
                continue;
            }
            let result = match (found.values.first(), found.items.is_empty()) {
                (Some(entry), _) => self
                    .value(spec, &entry.value)
                    .map(|v| (v, self.place(&entry.path[..entry.path.len() - 1])))
                    .map_err(|m| self.error(&entry.path, Some(key), m)),
                (None, false) => self.items(spec, &found.items),
                (None, true) => continue,
            };
            match result {
                Ok((value, place)) => layer.insert_managed(spec.key, value, place),
                Err(e) => errors.push(e),
            }
        }
        if errors.is_empty() {
            Ok(layer)
        } else {
            Err(errors)
        }
    }

    /// One value for one key.
    fn value(&self, spec: &SettingSpec, raw: &ManagedValue) -> Result<Value, String> {
        use ManagedValue as M;
        let value = match (spec.kind, raw) {
            (Kind::Bool, M::Bool(b)) => Value::Bool(*b),
            (Kind::Bool, M::Dword(0)) => Value::Bool(false),
            (Kind::Bool, M::Dword(1)) => Value::Bool(true),
            (Kind::Bool, M::Dword(n)) => {
                return Err(format!("expected 1 (true) or 0 (false), found {n}"))
            }
            (Kind::Integer { .. }, M::Dword(n)) => Value::Integer(i64::from(*n)),
            (Kind::Integer { .. }, M::Integer(n)) => Value::Integer(*n),
            (Kind::Integer { min, max }, M::Qword(n)) => match i64::try_from(*n) {
                Ok(n) => Value::Integer(n),
                Err(_) => return Err(format!("{n} is out of range; allowed {min} to {max}")),
            },
            (
                Kind::Choice { .. }
                | Kind::Text
                | Kind::Shortcut
                | Kind::Command
                | Kind::Url
                | Kind::HostPort,
                M::String(s),
            ) => Value::Text(s.clone()),
            (Kind::TextList | Kind::ChoiceList { .. }, M::MultiString(l) | M::Array(l)) => {
                Value::List(l.clone())
            }
            (kind, raw) => {
                return Err(format!(
                    "expected {}, found {}",
                    expected(kind, self.kind),
                    found(raw, self.kind)
                ))
            }
        };
        value.check(spec)?;
        Ok(value)
    }

    /// A table's entries, or a list's numbered values (registry).
    fn items(
        &self,
        spec: &'static SettingSpec,
        items: &[(String, &ManagedEntry)],
    ) -> Result<(Value, String), FileError> {
        let (_, first) = items[0];
        let holder = &first.path[..first.path.len() - 1];
        let place = self.place(holder);
        let mut strings = Vec::new();
        for (name, entry) in items {
            match &entry.value {
                ManagedValue::String(s) if name.len() <= MAX_NAME && s.len() <= MAX_TEXT => {
                    strings.push((name.as_str(), s.clone()))
                }
                ManagedValue::String(_) => {
                    return Err(self.error(
                        &entry.path,
                        Some(spec.key),
                        format!(
                        "`{name}`: longer than {MAX_NAME} characters (name) or {MAX_TEXT} (value)"
                    ),
                    ))
                }
                other => {
                    return Err(self.error(
                        &entry.path,
                        Some(spec.key),
                        format!(
                            "`{name}`: expected a string{}, found {}",
                            if self.kind == ManagedKind::Registry {
                                " (REG_SZ)"
                            } else {
                                ""
                            },
                            found(other, self.kind)
                        ),
                    ))
                }
            }
        }
        let value = if spec.kind == Kind::Table {
            Value::Map(
                strings
                    .into_iter()
                    .map(|(n, v)| (n.to_string(), v))
                    .collect(),
            )
        } else {
            // The ADMX list writes 1, 2, 3, ...: their number is the order.
            strings.sort_by_key(|(n, _)| (n.parse::<u64>().unwrap_or(u64::MAX), n.to_string()));
            Value::List(strings.into_iter().map(|(_, v)| v).collect())
        };
        value
            .check(spec)
            .map_err(|m| self.error(holder, Some(spec.key), m))?;
        Ok((value, place))
    }
}

enum Resolved {
    /// The entry is the key's value.
    Value(&'static SettingSpec),
    /// The entry is one name of a table, or one item of a list.
    Item(&'static SettingSpec, String),
    /// Something under a key that takes nothing under it.
    Nested(&'static SettingSpec),
    Unknown(String),
}

struct Found<'a> {
    spec: &'static SettingSpec,
    values: Vec<&'a ManagedEntry>,
    items: Vec<(String, &'a ManagedEntry)>,
}

impl Found<'_> {
    fn new(spec: &'static SettingSpec) -> Self {
        Self {
            spec,
            values: Vec::new(),
            items: Vec::new(),
        }
    }
}

fn is_list(kind: Kind) -> bool {
    matches!(kind, Kind::TextList | Kind::ChoiceList { .. })
}

/// What a key takes, in the terms of the registry or a plist.
fn expected(kind: Kind, source: ManagedKind) -> String {
    let what = match kind {
        Kind::Bool => "true or false".to_string(),
        Kind::Integer { min, max } => format!("a whole number from {min} to {max}"),
        Kind::Choice { options } => format!("one of {}", quoted_list(options)),
        Kind::Text | Kind::Shortcut | Kind::Command | Kind::Url | Kind::HostPort => {
            "a string".to_string()
        }
        Kind::TextList => "a list of strings".to_string(),
        Kind::ChoiceList { options } => format!("a list of any of {}", quoted_list(options)),
        Kind::Table => "a table of strings".to_string(),
    };
    let how = match (source, kind) {
        (ManagedKind::Registry, Kind::Bool) => "REG_DWORD 1 or 0",
        (ManagedKind::Registry, Kind::Integer { .. }) => "REG_DWORD",
        (ManagedKind::Registry, Kind::TextList | Kind::ChoiceList { .. }) => {
            "REG_MULTI_SZ, or a subkey of REG_SZ values named 1, 2, ..."
        }
        (ManagedKind::Registry, Kind::Table) => "a subkey of REG_SZ values",
        (ManagedKind::Registry, _) => "REG_SZ",
        (ManagedKind::Profile, Kind::Bool) => "<true/> or <false/>",
        (ManagedKind::Profile, Kind::Integer { .. }) => "<integer>",
        (ManagedKind::Profile, Kind::TextList | Kind::ChoiceList { .. }) => {
            "an <array> of <string>"
        }
        (ManagedKind::Profile, Kind::Table) => "a <dict> of <string>",
        (ManagedKind::Profile, _) => "<string>",
    };
    format!("{what} ({how})")
}

fn found(raw: &ManagedValue, source: ManagedKind) -> String {
    let registry = source == ManagedKind::Registry;
    match raw {
        ManagedValue::Dword(n) => format!("the number {n} (REG_DWORD)"),
        ManagedValue::Qword(n) => format!("the number {n} (REG_QWORD)"),
        ManagedValue::Integer(n) => format!("the number {n}"),
        ManagedValue::String(_) if registry => "a string (REG_SZ)".into(),
        ManagedValue::String(_) => "a string".into(),
        ManagedValue::MultiString(_) => "a list (REG_MULTI_SZ)".into(),
        ManagedValue::Array(_) => "an array".into(),
        ManagedValue::Bool(b) => format!("the boolean {b}"),
        ManagedValue::Other(t) => t.clone(),
    }
}

/// The managed sources over each other, most important first (the
/// registry; the agent's own profile over the computer's), then over the
/// policy file: a key set in an earlier one wins whole.
pub fn merge(sets: &[ManagedSet], file: Layer) -> Result<Layer, Vec<FileError>> {
    let mut errors = Vec::new();
    let mut layers = Vec::new();
    for set in sets.iter().filter(|s| s.is_present()) {
        match set.to_layer() {
            Ok(layer) => layers.push(layer),
            Err(e) => errors.extend(e),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(layers
        .into_iter()
        .rev()
        .fold(file, |lower, upper| upper.merge_over(&lower)))
}

#[cfg(test)]
mod tests {
    use super::super::layer::Origin;
    use super::*;
    use ManagedValue as M;

    fn reg(entries: &[(&str, ManagedValue)]) -> ManagedSet {
        ManagedSet::new(
            ManagedKind::Registry,
            REGISTRY_ROOT,
            entries
                .iter()
                .map(|(name, value)| ManagedEntry {
                    path: name.split('\\').map(str::to_string).collect(),
                    value: value.clone(),
                })
                .collect(),
        )
    }

    fn profile(entries: &[(&str, ManagedValue)]) -> ManagedSet {
        let mut set = reg(entries);
        set.kind = ManagedKind::Profile;
        set.location = "/Library/Managed Preferences/com.veil.desktop.plist".into();
        for e in &mut set.entries {
            e.path = e
                .path
                .iter()
                .flat_map(|p| p.split('/'))
                .map(str::to_string)
                .collect();
        }
        set
    }

    fn errors(set: &ManagedSet) -> Vec<String> {
        match set.to_layer() {
            Ok(_) => vec![],
            Err(e) => e.iter().map(ToString::to_string).collect(),
        }
    }

    fn s(v: &str) -> ManagedValue {
        M::String(v.into())
    }

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn every_kind_is_read_from_the_registry() {
        // (registry name, value, key, expected value)
        let rows: Vec<(&str, ManagedValue, &str, Value)> = vec![
            ("allow_quit", M::Dword(0), "allow_quit", Value::Bool(false)),
            (
                "force_privacy_mode",
                M::Dword(1),
                "force_privacy_mode",
                Value::Bool(true),
            ),
            (
                "shield\\idle_seconds",
                M::Dword(30),
                "shield.idle_seconds",
                Value::Integer(30),
            ),
            (
                "audit\\retain_days",
                M::Qword(180),
                "audit.retain_days",
                Value::Integer(180),
            ),
            (
                "appearance",
                s("dark"),
                "appearance",
                Value::Text("dark".into()),
            ),
            (
                "camera\\device_pattern",
                s("/dev/video*"),
                "camera.device_pattern",
                Value::Text("/dev/video*".into()),
            ),
            (
                "microphone\\approved_headsets",
                M::MultiString(strings(&["Jabra*", "Poly*"])),
                "microphone.approved_headsets",
                Value::List(strings(&["Jabra*", "Poly*"])),
            ),
            (
                "posture\\required",
                M::MultiString(strings(&["firewall", "vpn"])),
                "posture.required",
                Value::List(strings(&["firewall", "vpn"])),
            ),
            (
                "shield\\shortcut",
                s("Ctrl+Alt+Shift+L"),
                "shield.shortcut",
                Value::Text("Ctrl+Alt+Shift+L".into()),
            ),
            (
                "shield\\lock_command",
                s(r"C:\Tools\lock.exe /now"),
                "shield.lock_command",
                Value::Text(r"C:\Tools\lock.exe /now".into()),
            ),
            (
                "fleet\\otlp_endpoint",
                s("https://otel.example.com:4318"),
                "fleet.otlp_endpoint",
                Value::Text("https://otel.example.com:4318".into()),
            ),
            (
                "fleet\\syslog_endpoint",
                s("logs.example.com:6514"),
                "fleet.syslog_endpoint",
                Value::Text("logs.example.com:6514".into()),
            ),
            (
                "posture\\min_os_build\\windows",
                M::Dword(19045),
                "posture.min_os_build.windows",
                Value::Integer(19045),
            ),
            (
                "posture\\min_os_build\\macos",
                s("14.4"),
                "posture.min_os_build.macos",
                Value::Text("14.4".into()),
            ),
            // A dotted value name directly under the root is the same key.
            (
                "shield.warning_seconds",
                M::Dword(5),
                "shield.warning_seconds",
                Value::Integer(5),
            ),
            // The registry ignores case, and so does Veil there.
            (
                "Shield\\Lock_After_Seconds",
                M::Dword(600),
                "shield.lock_after_seconds",
                Value::Integer(600),
            ),
        ];
        for (name, raw, key, want) in rows {
            let layer = reg(&[(name, raw)])
                .to_layer()
                .unwrap_or_else(|e| panic!("{name}: {e:?}"));
            assert_eq!(layer.get(key), Some(&want), "{name}");
            assert_eq!(layer.keys().count(), 1, "{name}");
        }
    }

    #[test]
    fn tables_and_numbered_lists_are_subkeys() {
        let layer = reg(&[
            ("fleet\\labels\\site", s("lisbon")),
            ("fleet\\labels\\Team", s("claims")),
            ("fleet\\otlp_headers\\Authorization", s("Bearer x")),
            // What the ADMX `list` element writes (valuePrefix=""), out of order.
            ("microphone\\approved_headsets\\2", s("Poly*")),
            ("microphone\\approved_headsets\\10", s("Last*")),
            ("microphone\\approved_headsets\\1", s("Jabra*")),
        ])
        .to_layer()
        .unwrap();
        assert_eq!(
            layer.get("fleet.labels"),
            Some(&Value::Map(
                [
                    ("Team".to_string(), "claims".to_string()),
                    ("site".to_string(), "lisbon".to_string())
                ]
                .into()
            ))
        );
        assert_eq!(
            layer.get("fleet.otlp_headers"),
            Some(&Value::Map(
                [("Authorization".to_string(), "Bearer x".to_string())].into()
            ))
        );
        assert_eq!(
            layer.get("microphone.approved_headsets"),
            Some(&Value::List(strings(&["Jabra*", "Poly*", "Last*"])))
        );
        assert_eq!(
            layer.managed_place("fleet.labels"),
            Some(r"registry:HKLM\SOFTWARE\Policies\Veil\fleet\labels")
        );
        assert_eq!(
            layer.managed_place("microphone.approved_headsets"),
            Some(r"registry:HKLM\SOFTWARE\Policies\Veil\microphone\approved_headsets")
        );
    }

    #[test]
    fn values_name_the_key_they_are_in() {
        let layer = reg(&[
            ("shield\\idle_seconds", M::Dword(30)),
            ("allow_quit", M::Dword(0)),
        ])
        .to_layer()
        .unwrap();
        assert_eq!(
            layer.managed_place("shield.idle_seconds"),
            Some(r"registry:HKLM\SOFTWARE\Policies\Veil\shield")
        );
        assert_eq!(
            layer.managed_place("allow_quit"),
            Some(r"registry:HKLM\SOFTWARE\Policies\Veil")
        );
        assert_eq!(layer.line_of("allow_quit"), None);
    }

    #[test]
    fn bad_registry_values_are_named_errors() {
        const R: &str = r"HKLM\SOFTWARE\Policies\Veil";
        let rows: Vec<(&str, ManagedValue, String)> = vec![
            (
                "shield\\idle_seconds",
                s("30"),
                format!(
                    r"{R}\shield\idle_seconds: key `shield.idle_seconds`: expected a whole number from 5 to 3600 (REG_DWORD), found a string (REG_SZ)"
                ),
            ),
            (
                "shield\\idle_seconds",
                M::Dword(2),
                format!(
                    r"{R}\shield\idle_seconds: key `shield.idle_seconds`: 2 is out of range; allowed 5 to 3600"
                ),
            ),
            (
                "audit\\retain_days",
                M::Qword(u64::MAX),
                format!(
                    r"{R}\audit\retain_days: key `audit.retain_days`: 18446744073709551615 is out of range; allowed 1 to 3650"
                ),
            ),
            (
                "allow_quit",
                M::Dword(2),
                format!(
                    r"{R}\allow_quit: key `allow_quit`: expected 1 (true) or 0 (false), found 2"
                ),
            ),
            (
                "allow_quit",
                s("false"),
                format!(
                    r"{R}\allow_quit: key `allow_quit`: expected true or false (REG_DWORD 1 or 0), found a string (REG_SZ)"
                ),
            ),
            (
                "appearance",
                s("blue"),
                format!(
                    r#"{R}\appearance: key `appearance`: "blue" is not allowed; use one of "system", "light", "dark""#
                ),
            ),
            (
                "appearance",
                M::Dword(1),
                format!(
                    r#"{R}\appearance: key `appearance`: expected one of "system", "light", "dark" (REG_SZ), found the number 1 (REG_DWORD)"#
                ),
            ),
            (
                "microphone\\approved_headsets",
                s("Jabra*"),
                format!(
                    r"{R}\microphone\approved_headsets: key `microphone.approved_headsets`: expected a list of strings (REG_MULTI_SZ, or a subkey of REG_SZ values named 1, 2, ...), found a string (REG_SZ)"
                ),
            ),
            (
                "posture\\required",
                M::MultiString(strings(&["firewall", "antivirs"])),
                format!(
                    r#"{R}\posture\required: key `posture.required`: "antivirs" is not allowed; use any of "disk_encryption", "firewall", "screen_lock", "os_updates", "antivirus", "wifi", "vpn", "secure_boot""#
                ),
            ),
            (
                "fleet\\otlp_endpoint",
                s("http://otel.example.com"),
                format!(
                    r"{R}\fleet\otlp_endpoint: key `fleet.otlp_endpoint`: {}",
                    crate::fleet::endpoint::check_url("http://otel.example.com").unwrap_err()
                ),
            ),
            (
                "fleet\\syslog_endpoint",
                s("logs.example.com:99999"),
                format!(
                    r"{R}\fleet\syslog_endpoint: key `fleet.syslog_endpoint`: {}",
                    crate::fleet::endpoint::check_host_port("logs.example.com:99999").unwrap_err()
                ),
            ),
            (
                "shield\\lock_command",
                s("lock.exe"),
                format!(
                    r#"{R}\shield\lock_command: key `shield.lock_command`: "lock.exe" is not an absolute path; give the program's full path (commands are never looked up in PATH)"#
                ),
            ),
            (
                "shield\\shortcut",
                s("P"),
                format!(
                    r"{R}\shield\shortcut: key `shield.shortcut`: {}",
                    crate::shield::shortcut::parse_setting("P").unwrap_err()
                ),
            ),
            (
                "fleet\\labels",
                s("lisbon"),
                format!(
                    r"{R}\fleet\labels: key `fleet.labels`: expected a table of strings (a subkey of REG_SZ values), found a string (REG_SZ)"
                ),
            ),
            (
                "fleet\\labels\\site",
                M::Dword(3),
                format!(
                    r"{R}\fleet\labels\site: key `fleet.labels`: `site`: expected a string (REG_SZ), found the number 3 (REG_DWORD)"
                ),
            ),
            (
                "training\\extra_folder",
                M::Other("REG_EXPAND_SZ".into()),
                format!(
                    r"{R}\training\extra_folder: key `training.extra_folder`: expected a string (REG_SZ), found REG_EXPAND_SZ"
                ),
            ),
            (
                "shield\\idle_secs",
                M::Dword(30),
                format!(
                    r"{R}\shield\idle_secs: key `shield.idle_secs`: unknown key (did you mean `shield.idle_seconds`?)"
                ),
            ),
            (
                "nope\\thing",
                M::Dword(1),
                format!(r"{R}\nope\thing: key `nope.thing`: unknown key"),
            ),
            (
                "shield\\idle_seconds\\x",
                M::Dword(1),
                format!(
                    r"{R}\shield\idle_seconds\x: key `shield.idle_seconds`: expected a whole number from 5 to 3600 (REG_DWORD), found a subkey with values under it"
                ),
            ),
        ];
        for (name, raw, want) in rows {
            assert_eq!(errors(&reg(&[(name, raw)])), vec![want], "{name}");
        }
    }

    #[test]
    fn one_bad_value_rejects_the_whole_key_and_every_problem_is_told() {
        let set = reg(&[
            ("allow_quit", M::Dword(0)),
            ("shield\\idle_seconds", M::Dword(1)),
            ("nope", M::Dword(1)),
        ]);
        assert_eq!(errors(&set).len(), 2);
    }

    #[test]
    fn a_key_set_twice_is_an_error() {
        let errs = errors(&reg(&[
            ("shield.idle_seconds", M::Dword(30)),
            ("shield\\idle_seconds", M::Dword(40)),
        ]));
        assert_eq!(errs.len(), 1);
        assert!(
            errs[0].contains("key `shield.idle_seconds`: set more than once"),
            "{}",
            errs[0]
        );
        let errs = errors(&reg(&[
            (
                "microphone\\approved_headsets",
                M::MultiString(strings(&["a"])),
            ),
            ("microphone\\approved_headsets\\1", s("b")),
        ]));
        assert!(errs[0].contains(r"set more than once: HKLM\SOFTWARE\Policies\Veil\microphone\approved_headsets and the subkey HKLM\SOFTWARE\Policies\Veil\microphone\approved_headsets"), "{}", errs[0]);
    }

    #[test]
    fn an_unreadable_source_is_an_error_and_an_empty_one_is_absent() {
        let set = ManagedSet::unreadable(ManagedKind::Registry, REGISTRY_ROOT, "access denied (5)");
        assert!(set.is_present());
        assert_eq!(
            errors(&set),
            vec![format!(
                "{REGISTRY_ROOT}: cannot be read: access denied (5)"
            )]
        );
        assert!(!reg(&[]).is_present());
    }

    #[test]
    fn profiles_take_nested_dictionaries_and_dotted_keys() {
        let layer = profile(&[
            ("shield/idle_seconds", M::Integer(30)),
            ("shield.warning_seconds", M::Integer(5)),
            ("allow_quit", M::Bool(false)),
            ("posture/min_os_build/macos", s("14.4")),
            ("posture.min_os_build/windows", M::Integer(19045)),
            ("camera/allowed_apps", M::Array(strings(&["zoom.us"]))),
            ("fleet/labels/site", s("lisbon")),
            ("fleet.labels/team.name", s("claims")),
        ])
        .to_layer()
        .unwrap();
        assert_eq!(layer.get("shield.idle_seconds"), Some(&Value::Integer(30)));
        assert_eq!(
            layer.get("shield.warning_seconds"),
            Some(&Value::Integer(5))
        );
        assert_eq!(layer.get("allow_quit"), Some(&Value::Bool(false)));
        assert_eq!(
            layer.get("posture.min_os_build.macos"),
            Some(&Value::Text("14.4".into()))
        );
        assert_eq!(
            layer.get("posture.min_os_build.windows"),
            Some(&Value::Integer(19045))
        );
        assert_eq!(
            layer.get("camera.allowed_apps"),
            Some(&Value::List(strings(&["zoom.us"])))
        );
        assert_eq!(
            layer.get("fleet.labels"),
            Some(&Value::Map(
                [
                    ("site".to_string(), "lisbon".to_string()),
                    ("team.name".to_string(), "claims".to_string())
                ]
                .into()
            ))
        );
        assert_eq!(
            layer.managed_place("allow_quit"),
            Some("profile:/Library/Managed Preferences/com.veil.desktop.plist")
        );
    }

    #[test]
    fn bad_profile_values_are_named_errors() {
        const P: &str = "/Library/Managed Preferences/com.veil.desktop.plist";
        let rows: Vec<(&str, ManagedValue, String)> = vec![
            (
                "shield/idle_seconds",
                s("30"),
                format!("{P}: key `shield.idle_seconds`: expected a whole number from 5 to 3600 (<integer>), found a string"),
            ),
            ("allow_quit", M::Integer(0), format!("{P}: key `allow_quit`: expected true or false (<true/> or <false/>), found the number 0")),
            ("Allow_Quit", M::Bool(false), format!("{P}: key `Allow_Quit`: unknown key (did you mean `allow_quit`?)")),
            (
                "microphone/approved_headsets/x",
                s("Jabra*"),
                format!("{P}: key `microphone.approved_headsets`: expected a list of strings (an <array> of <string>), found a dictionary under it"),
            ),
            (
                "camera/allowed_apps",
                M::Other("an array with a number in it".into()),
                format!("{P}: key `camera.allowed_apps`: expected a list of strings (an <array> of <string>), found an array with a number in it"),
            ),
        ];
        for (name, raw, want) in rows {
            assert_eq!(errors(&profile(&[(name, raw)])), vec![want], "{name}");
        }
    }

    #[test]
    fn the_registry_wins_over_the_file_key_by_key() {
        let file = Layer::parse(
            r"C:\ProgramData\Veil\policy.toml",
            "allow_quit = true\nappearance = \"dark\"\n[shield]\nidle_seconds = 120\n",
            Origin::Policy,
        )
        .unwrap();
        let registry = reg(&[
            ("allow_quit", M::Dword(0)),
            ("shield\\idle_seconds", M::Dword(30)),
        ]);
        let merged = merge(std::slice::from_ref(&registry), file.clone()).unwrap();
        assert_eq!(merged.get("allow_quit"), Some(&Value::Bool(false)));
        assert_eq!(merged.get("shield.idle_seconds"), Some(&Value::Integer(30)));
        assert_eq!(merged.get("appearance"), Some(&Value::Text("dark".into())));
        assert_eq!(merged.line_of("appearance"), Some(2));
        // The agent's own profile over the computer's, both over the file.
        let mut user = profile(&[("appearance", s("light"))]);
        user.location = "/Library/Managed Preferences/agent/com.veil.desktop.plist".into();
        let computer = profile(&[
            ("appearance", s("system")),
            ("shield/idle_seconds", M::Integer(45)),
        ]);
        let merged = merge(&[user, computer], file.clone()).unwrap();
        assert_eq!(merged.get("appearance"), Some(&Value::Text("light".into())));
        assert_eq!(merged.get("shield.idle_seconds"), Some(&Value::Integer(45)));
        assert_eq!(merged.get("allow_quit"), Some(&Value::Bool(true)));
        // Nothing managed: the file as it is.
        assert_eq!(merge(&[reg(&[])], file.clone()).unwrap(), file);
        // A bad registry rejects the whole policy, with the registry's errors.
        let bad = reg(&[("shield\\idle_seconds", M::Dword(1))]);
        assert_eq!(merge(&[bad], file).unwrap_err().len(), 1);
    }
}
