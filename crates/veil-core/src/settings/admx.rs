//! The Group Policy templates IT imports (`packaging/windows/veil.admx` and
//! `en-US/veil.adml`): one policy for every key of [`SETTINGS`], written
//! from the schema so they cannot drift from it. A test writes them
//! (`VEIL_BLESS=1 cargo test -p veil-core --lib admx`) and fails while the
//! checked-in files differ; another reads the ADMX back as XML and holds
//! every policy to the schema and to what `managed.rs` reads.

use std::fmt::Write;

use super::managed::REGISTRY_ROOT;
use super::schema::{DefaultValue, Kind, SettingSpec, SETTINGS};

/// The registry key the ADMX names (`HKLM\` is the policy's class).
const KEY: &str = r"Software\Policies\Veil";
const SUPPORTED: &str = "SUPPORTED_Veil_0_1";

/// The category of each section of keys, in the order they are shown.
const CATEGORIES: &[(&str, &str, &str)] = &[
    // (section, category id, display name)
    ("", "Cat_General", "General"),
    ("audit", "Cat_Audit", "Audit"),
    // The store holds the audit log.
    ("store", "Cat_Audit", "Audit"),
    ("microphone", "Cat_Microphone", "Microphone"),
    ("shield", "Cat_Shield", "Shield"),
    ("training", "Cat_Training", "Training"),
    ("camera", "Cat_Camera", "Camera"),
    ("fleet", "Cat_Fleet", "Fleet"),
    ("posture", "Cat_Posture", "Device posture"),
];

fn section(key: &str) -> &str {
    key.split_once('.').map(|(s, _)| s).unwrap_or("")
}

fn category(key: &str) -> &'static str {
    let s = section(key);
    CATEGORIES
        .iter()
        .find(|(sec, _, _)| *sec == s)
        .map(|(_, id, _)| *id)
        .unwrap_or_else(|| panic!("no ADMX category for the section of {key}"))
}

/// `shield.idle_seconds` -> (`Software\Policies\Veil\shield`, `idle_seconds`).
fn key_and_value(key: &str) -> (String, &str) {
    match key.rsplit_once('.') {
        Some((path, name)) => (format!(r"{KEY}\{}", path.replace('.', r"\")), name),
        None => (KEY.to_string(), key),
    }
}

fn id(key: &str) -> String {
    key.replace('.', "_")
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// What the policy writes, for IT reading the explanation.
fn writes(spec: &SettingSpec) -> String {
    let (key, value) = key_and_value(spec.key);
    let root = REGISTRY_ROOT.trim_end_matches(r"\Veil");
    let at = format!(r"{root}{}", key.trim_start_matches(r"Software\Policies"));
    match spec.kind {
        Kind::Bool => format!("Enabled writes {at}\\{value} = 1 (REG_DWORD), Disabled writes 0."),
        Kind::Integer { min, max } => {
            format!("Writes {at}\\{value} (REG_DWORD, {min} to {max}).")
        }
        Kind::TextList | Kind::ChoiceList { .. } => {
            format!("Writes the items as REG_SZ values named 1, 2, ... in {at}\\{value}, in order.")
        }
        Kind::Table => format!("Writes each name and value as a REG_SZ value in {at}\\{value}."),
        _ => format!("Writes {at}\\{value} (REG_SZ)."),
    }
}

fn explain(spec: &SettingSpec) -> String {
    let mut out = spec.help.to_string();
    if let Kind::ChoiceList { options } = spec.kind {
        let _ = write!(out, "\n\nEach item is one of: {}.", options.join(", "));
    }
    if let DefaultValue::Text(d) = spec.default {
        if !d.is_empty() {
            let _ = write!(out, "\n\nVeil's default: {d}");
        }
    }
    let _ = write!(
        out,
        "\n\npolicy.toml key: {}. {} Not configured: policy.toml, the agent's setting or Veil's default decides; a configured value is locked and wins over policy.toml.",
        spec.key,
        writes(spec)
    );
    out
}

pub fn admx() -> String {
    let mut o = String::new();
    o.push_str(
        r#"<?xml version="1.0" encoding="utf-8"?>
<!-- Veil's Group Policy template. Generated from crates/veil-core/src/settings/schema.rs:
     VEIL_BLESS=1 cargo test -p veil-core admx -->
<policyDefinitions xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" revision="1.0" schemaVersion="1.0" xmlns="http://schemas.microsoft.com/GroupPolicy/2006/07/PolicyDefinitions">
  <policyNamespaces>
    <target prefix="veil" namespace="Veil.Policies.Veil" />
  </policyNamespaces>
  <resources minRequiredRevision="1.0" />
  <supportedOn>
    <definitions>
"#,
    );
    let _ = writeln!(
        o,
        r#"      <definition name="{SUPPORTED}" displayName="$(string.{SUPPORTED})" />"#
    );
    o.push_str("    </definitions>\n  </supportedOn>\n  <categories>\n");
    o.push_str("    <category name=\"Veil\" displayName=\"$(string.Veil)\" />\n");
    let mut seen = Vec::new();
    for (_, cat, _) in CATEGORIES {
        if seen.contains(cat) {
            continue;
        }
        seen.push(*cat);
        let _ = writeln!(
            o,
            "    <category name=\"{cat}\" displayName=\"$(string.{cat})\">\n      <parentCategory ref=\"Veil\" />\n    </category>"
        );
    }
    o.push_str("  </categories>\n  <policies>\n");
    for spec in SETTINGS {
        let name = id(spec.key);
        let (key, value) = key_and_value(spec.key);
        let presentation = if spec.kind == Kind::Bool {
            String::new()
        } else {
            format!(" presentation=\"$(presentation.{name})\"")
        };
        let value_attr = if spec.kind == Kind::Bool {
            format!(" valueName=\"{value}\"")
        } else {
            String::new()
        };
        let _ = writeln!(
            o,
            "    <policy name=\"{name}\" class=\"Machine\" displayName=\"$(string.{name})\" explainText=\"$(string.{name}_Help)\"{presentation} key=\"{}\"{value_attr}>",
            esc(&key)
        );
        let _ = writeln!(o, "      <parentCategory ref=\"{}\" />", category(spec.key));
        let _ = writeln!(o, "      <supportedOn ref=\"{SUPPORTED}\" />");
        match spec.kind {
            Kind::Bool => o.push_str(
                "      <enabledValue>\n        <decimal value=\"1\" />\n      </enabledValue>\n      <disabledValue>\n        <decimal value=\"0\" />\n      </disabledValue>\n",
            ),
            Kind::Integer { min, max } => {
                let _ = writeln!(
                    o,
                    "      <elements>\n        <decimal id=\"{name}\" valueName=\"{value}\" minValue=\"{min}\" maxValue=\"{max}\" required=\"true\" />\n      </elements>"
                );
            }
            Kind::Choice { options } => {
                let _ = writeln!(
                    o,
                    "      <elements>\n        <enum id=\"{name}\" valueName=\"{value}\" required=\"true\">"
                );
                for opt in options {
                    let _ = writeln!(
                        o,
                        "          <item displayName=\"$(string.{name}_{opt})\">\n            <value>\n              <string>{}</string>\n            </value>\n          </item>",
                        esc(opt)
                    );
                }
                o.push_str("        </enum>\n      </elements>\n");
            }
            Kind::Text | Kind::Shortcut | Kind::Command | Kind::Url | Kind::HostPort => {
                let _ = writeln!(
                    o,
                    "      <elements>\n        <text id=\"{name}\" valueName=\"{value}\" maxLength=\"4096\" />\n      </elements>"
                );
            }
            Kind::TextList | Kind::ChoiceList { .. } => {
                // Values named 1, 2, ... in the key `microphone\approved_headsets`:
                // `list` cannot write a REG_MULTI_SZ; Veil reads both.
                let _ = writeln!(
                    o,
                    "      <elements>\n        <list id=\"{name}\" key=\"{}\" valuePrefix=\"\" expandable=\"false\" />\n      </elements>",
                    esc(&format!(r"{key}\{value}"))
                );
            }
            Kind::Table => {
                let _ = writeln!(
                    o,
                    "      <elements>\n        <list id=\"{name}\" key=\"{}\" explicitValue=\"true\" expandable=\"false\" />\n      </elements>",
                    esc(&format!(r"{key}\{value}"))
                );
            }
        }
        o.push_str("    </policy>\n");
    }
    o.push_str("  </policies>\n</policyDefinitions>\n");
    o
}

pub fn adml() -> String {
    let mut o = String::new();
    o.push_str(
        r#"<?xml version="1.0" encoding="utf-8"?>
<!-- Veil's Group Policy texts (English). Generated from crates/veil-core/src/settings/schema.rs:
     VEIL_BLESS=1 cargo test -p veil-core admx -->
<policyDefinitionResources xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" revision="1.0" schemaVersion="1.0" xmlns="http://schemas.microsoft.com/GroupPolicy/2006/07/PolicyDefinitions">
  <displayName>Veil</displayName>
  <description>Veil's managed policy for contact-center computers.</description>
  <resources>
    <stringTable>
      <string id="Veil">Veil</string>
"#,
    );
    let _ = writeln!(
        o,
        "      <string id=\"{SUPPORTED}\">Veil 0.1 and later</string>"
    );
    let mut seen = Vec::new();
    for (_, cat, title) in CATEGORIES {
        if !seen.contains(cat) {
            seen.push(*cat);
            let _ = writeln!(o, "      <string id=\"{cat}\">{}</string>", esc(title));
        }
    }
    for spec in SETTINGS {
        let name = id(spec.key);
        let _ = writeln!(
            o,
            "      <string id=\"{name}\">{}</string>",
            esc(spec.title)
        );
        let _ = writeln!(
            o,
            "      <string id=\"{name}_Help\">{}</string>",
            esc(&explain(spec))
        );
        if let Kind::Choice { options } = spec.kind {
            for opt in options {
                let _ = writeln!(o, "      <string id=\"{name}_{opt}\">{}</string>", esc(opt));
            }
        }
    }
    o.push_str("    </stringTable>\n    <presentationTable>\n");
    for spec in SETTINGS {
        let name = id(spec.key);
        let label = esc(spec.title);
        let body = match (spec.kind, spec.default) {
            (Kind::Bool, _) => continue,
            (Kind::Integer { .. }, DefaultValue::Integer(d)) => format!(
                "<decimalTextBox refId=\"{name}\" defaultValue=\"{d}\" spin=\"true\">{label}</decimalTextBox>"
            ),
            (Kind::Choice { options }, DefaultValue::Text(d)) => format!(
                "<dropdownList refId=\"{name}\" noSort=\"true\" defaultItem=\"{}\">{label}</dropdownList>",
                options.iter().position(|o| *o == d).unwrap_or(0)
            ),
            (Kind::TextList | Kind::ChoiceList { .. }, _) => {
                format!("<listBox refId=\"{name}\">{label}</listBox>")
            }
            (Kind::Table, _) => {
                format!("<listBox refId=\"{name}\">{label} (name and value)</listBox>")
            }
            (_, DefaultValue::Text(d)) => format!(
                "<textBox refId=\"{name}\">\n          <label>{label}</label>\n          <defaultValue>{}</defaultValue>\n        </textBox>",
                esc(d)
            ),
            _ => panic!("no presentation for {}", spec.key),
        };
        let _ = writeln!(
            o,
            "      <presentation id=\"{name}\">\n        {body}\n      </presentation>"
        );
    }
    o.push_str("    </presentationTable>\n  </resources>\n</policyDefinitionResources>\n");
    o
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::path::{Path, PathBuf};

    use quick_xml::events::{BytesStart, Event};
    use quick_xml::Reader;

    use super::super::managed::{ManagedEntry, ManagedKind, ManagedSet, ManagedValue};
    use super::super::schema::spec;
    use super::super::Value;
    use super::*;

    fn packaging() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../packaging/windows")
    }

    #[test]
    fn admx_templates_are_current() {
        let files = [
            (packaging().join("veil.admx"), admx()),
            (packaging().join("en-US/veil.adml"), adml()),
        ];
        for (path, fresh) in files {
            // XML forbids "--" inside a comment; GPMC refuses the file.
            for comment in fresh.split("<!--").skip(1) {
                let body = comment.split("-->").next().unwrap_or_default();
                assert!(
                    !body.contains("--"),
                    "{}: `--` in a comment",
                    path.display()
                );
            }
            if std::env::var_os("VEIL_BLESS").is_some() {
                std::fs::write(&path, &fresh).unwrap();
                continue;
            }
            let current = std::fs::read_to_string(&path).unwrap_or_default();
            assert!(
                current == fresh,
                "{} is stale: the settings schema changed. Regenerate it with \
                 `VEIL_BLESS=1 cargo test -p veil-core --lib admx`.",
                path.display()
            );
        }
    }

    /// One policy as the ADMX file says it.
    #[derive(Debug, Default)]
    struct Policy {
        name: String,
        key: String,
        value_name: Option<String>,
        enabled: Option<String>,
        disabled: Option<String>,
        /// (element, its attributes)
        elements: Vec<(String, BTreeMap<String, String>)>,
        enum_values: Vec<String>,
    }

    fn attrs(e: &BytesStart) -> BTreeMap<String, String> {
        e.attributes()
            .map(|a| {
                let a = a.unwrap();
                let key: &str = a.key.as_ref();
                (
                    key.to_string(),
                    a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                        .unwrap()
                        .into_owned(),
                )
            })
            .collect()
    }

    fn policies(text: &str) -> Vec<Policy> {
        let mut reader = Reader::from_str(text);
        let mut out: Vec<Policy> = Vec::new();
        let mut stack: Vec<String> = Vec::new();
        loop {
            let ev = reader.read_event().unwrap();
            let (e, empty) = match &ev {
                Event::Start(e) => (e.clone(), false),
                Event::Empty(e) => (e.clone(), true),
                Event::End(_) => {
                    stack.pop();
                    continue;
                }
                Event::Text(t) => {
                    if stack.last().map(String::as_str) == Some("string") {
                        if let Some(p) = out.last_mut() {
                            p.enum_values.push(t.xml10_content().trim().to_string());
                        }
                    }
                    continue;
                }
                Event::Eof => break,
                _ => continue,
            };
            let name = e.local_name();
            let tag: &str = name.as_ref();
            let tag = tag.to_string();
            let a = attrs(&e);
            let parent = stack.last().cloned().unwrap_or_default();
            match tag.as_str() {
                "policy" => out.push(Policy {
                    name: a["name"].clone(),
                    key: a["key"].clone(),
                    value_name: a.get("valueName").cloned(),
                    ..Default::default()
                }),
                "decimal" if parent == "enabledValue" => {
                    out.last_mut().unwrap().enabled = Some(a["value"].clone())
                }
                "decimal" if parent == "disabledValue" => {
                    out.last_mut().unwrap().disabled = Some(a["value"].clone())
                }
                "decimal" | "enum" | "text" | "list" | "boolean" | "multiText"
                    if parent == "elements" =>
                {
                    out.last_mut().unwrap().elements.push((tag.clone(), a));
                }
                _ => {}
            }
            if !empty {
                stack.push(tag);
            }
        }
        out
    }

    /// The dotted key a registry path names (`Software\Policies\Veil\shield`
    /// and `idle_seconds` -> `shield.idle_seconds`).
    fn dotted(key: &str, value: Option<&str>) -> String {
        let rest = key
            .strip_prefix(KEY)
            .unwrap_or_else(|| panic!("{key} is not under {KEY}"))
            .trim_start_matches('\\');
        let mut parts: Vec<&str> = rest.split('\\').filter(|p| !p.is_empty()).collect();
        parts.extend(value);
        parts.join(".")
    }

    /// What Group Policy writes for a policy enabled with a sample value:
    /// registry paths under the root and their values.
    fn written(p: &Policy) -> Vec<(String, ManagedValue)> {
        let under = |key: &str, value: &str| {
            format!(r"{}\{value}", key.strip_prefix(KEY).unwrap_or(key))
                .trim_start_matches('\\')
                .to_string()
        };
        if let Some(v) = &p.enabled {
            return vec![(
                under(&p.key, p.value_name.as_deref().unwrap()),
                ManagedValue::Dword(v.parse().unwrap()),
            )];
        }
        let (tag, a) = &p.elements[0];
        match tag.as_str() {
            "decimal" => vec![(
                under(&p.key, &a["valueName"]),
                ManagedValue::Dword(a["minValue"].parse().unwrap()),
            )],
            "enum" => vec![(
                under(&p.key, &a["valueName"]),
                ManagedValue::String(p.enum_values.last().unwrap().clone()),
            )],
            "text" => {
                let key = dotted(&p.key, Some(&a["valueName"]));
                let sample = match spec(&key).unwrap().kind {
                    Kind::Url => "https://otel.example.com:4318",
                    Kind::HostPort => "logs.example.com:6514",
                    Kind::Command => r"C:\Tools\lock.exe",
                    Kind::Shortcut => "Ctrl+Alt+Shift+L",
                    _ => "14.4",
                };
                vec![(
                    under(&p.key, &a["valueName"]),
                    ManagedValue::String(sample.into()),
                )]
            }
            "list" if a.get("explicitValue").map(String::as_str) == Some("true") => vec![
                (
                    under(&a["key"], "site"),
                    ManagedValue::String("lisbon".into()),
                ),
                (
                    under(&a["key"], "team"),
                    ManagedValue::String("claims".into()),
                ),
            ],
            "list" => {
                let key = dotted(&a["key"], None);
                let sample = match spec(&key).unwrap().kind {
                    Kind::ChoiceList { options } => [options[1], options[0]],
                    _ => ["b*", "a*"],
                };
                vec![
                    (
                        under(&a["key"], "1"),
                        ManagedValue::String(sample[0].into()),
                    ),
                    (
                        under(&a["key"], "2"),
                        ManagedValue::String(sample[1].into()),
                    ),
                ]
            }
            other => panic!("{}: unexpected element {other}", p.name),
        }
    }

    #[test]
    fn the_admx_has_a_policy_for_exactly_the_schemas_keys() {
        let text = std::fs::read_to_string(packaging().join("veil.admx")).unwrap();
        let policies = policies(&text);
        let mut keys = Vec::new();
        for p in &policies {
            let key = match (&p.value_name, p.elements.first()) {
                (Some(v), None) => dotted(&p.key, Some(v)),
                (None, Some((tag, a))) if tag == "list" => dotted(&a["key"], None),
                (None, Some((_, a))) => dotted(&p.key, Some(&a["valueName"])),
                _ => panic!("{}: neither a value nor one element", p.name),
            };
            let spec = spec(&key).unwrap_or_else(|| panic!("{}: {key} is not a setting", p.name));
            assert_eq!(p.name, id(&key));
            let el = p.elements.first().map(|(t, a)| (t.as_str(), a));
            match (spec.kind, el) {
                (Kind::Bool, None) => {
                    assert_eq!(
                        (p.enabled.as_deref(), p.disabled.as_deref()),
                        (Some("1"), Some("0")),
                        "{key}"
                    )
                }
                (Kind::Integer { min, max }, Some(("decimal", a))) => {
                    assert_eq!(a["minValue"], min.to_string(), "{key}");
                    assert_eq!(a["maxValue"], max.to_string(), "{key}");
                    assert!(a.get("storeAsText").is_none(), "{key}: a REG_DWORD");
                }
                (Kind::Choice { options }, Some(("enum", _))) => {
                    assert_eq!(p.enum_values, options, "{key}")
                }
                (
                    Kind::Text | Kind::Shortcut | Kind::Command | Kind::Url | Kind::HostPort,
                    Some(("text", a)),
                ) => {
                    assert_ne!(
                        a.get("expandable").map(String::as_str),
                        Some("true"),
                        "{key}: REG_SZ, not REG_EXPAND_SZ"
                    )
                }
                (Kind::TextList | Kind::ChoiceList { .. }, Some(("list", a))) => {
                    assert_eq!(
                        a.get("valuePrefix").map(String::as_str),
                        Some(""),
                        "{key}: values 1, 2, ..."
                    );
                    assert_eq!(
                        a.get("expandable").map(String::as_str),
                        Some("false"),
                        "{key}"
                    );
                    assert!(a.get("explicitValue").is_none(), "{key}");
                }
                (Kind::Table, Some(("list", a))) => {
                    assert_eq!(
                        a.get("explicitValue").map(String::as_str),
                        Some("true"),
                        "{key}"
                    );
                    assert!(a.get("valuePrefix").is_none(), "{key}");
                }
                (kind, el) => panic!("{key}: {kind:?} as {el:?}"),
            }
            keys.push(spec.key);
        }
        let mut want: Vec<&str> = SETTINGS.iter().map(|s| s.key).collect();
        keys.sort();
        want.sort();
        assert_eq!(keys, want, "one policy per key, no more");
    }

    #[test]
    fn what_the_admx_writes_is_what_veil_reads() {
        let text = std::fs::read_to_string(packaging().join("veil.admx")).unwrap();
        let mut entries = Vec::new();
        for p in policies(&text) {
            for (path, value) in written(&p) {
                entries.push(ManagedEntry {
                    path: path.split('\\').map(str::to_string).collect(),
                    value,
                });
            }
        }
        let layer = ManagedSet::new(ManagedKind::Registry, REGISTRY_ROOT, entries)
            .to_layer()
            .unwrap_or_else(|e| {
                panic!(
                    "{}",
                    e.iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join("\n")
                )
            });
        assert_eq!(layer.keys().count(), SETTINGS.len());
        assert_eq!(layer.get("shield.idle_seconds"), Some(&Value::Integer(5)));
        assert_eq!(layer.get("allow_quit"), Some(&Value::Bool(true)));
        assert_eq!(
            layer.get("microphone.approved_headsets"),
            Some(&Value::List(vec!["b*".into(), "a*".into()]))
        );
        assert_eq!(
            layer.get("posture.required"),
            Some(&Value::List(vec![
                "firewall".into(),
                "disk_encryption".into()
            ]))
        );
        assert_eq!(
            layer.get("posture.min_os_build.windows"),
            Some(&Value::Integer(0))
        );
    }

    #[test]
    fn every_string_and_presentation_the_admx_names_is_in_the_adml() {
        let admx = std::fs::read_to_string(packaging().join("veil.admx")).unwrap();
        let adml = std::fs::read_to_string(packaging().join("en-US/veil.adml")).unwrap();
        let mut names = Vec::new();
        for (kind, attr) in [
            ("string", "string id=\""),
            ("presentation", "presentation id=\""),
        ] {
            let mut rest = admx.as_str();
            let open = format!("$({kind}.");
            while let Some(i) = rest.find(&open) {
                let tail = &rest[i + open.len()..];
                let end = tail.find(')').unwrap();
                names.push((attr, tail[..end].to_string()));
                rest = &tail[end..];
            }
        }
        assert!(names.len() > 2 * SETTINGS.len());
        for (attr, name) in names {
            assert!(
                adml.contains(&format!("<{attr}{name}\"")),
                "{name} is not in the ADML"
            );
        }
        // The texts are the schema's.
        let title = |k: &str| format!(">{}<", esc(spec(k).unwrap().title));
        assert!(adml.contains(&title("shield.idle_seconds")));
        assert!(adml.contains(&esc(spec("fleet.labels").unwrap().help)));
    }
}
