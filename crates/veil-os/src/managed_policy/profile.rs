//! Configuration profiles. When an MDM (Jamf, Intune, Kandji, ...) installs
//! a profile with a payload for Veil's domain, macOS writes its keys to a
//! managed preferences plist; the `.mobileconfig` itself holds the same keys
//! in that payload. Both are parsed here, on every OS (tested on Linux).

use std::io::Cursor;

use plist::Value as Plist;
use veil_core::settings::managed::{ManagedEntry, ManagedKind, ManagedSet, ManagedValue};

#[derive(Debug, thiserror::Error)]
pub enum ProfileError {
    #[error("not a property list ({0})")]
    NotPlist(String),
    #[error("its top level is not a dictionary")]
    NotDictionary,
    #[error("the profile has no payload of type {0}")]
    NoPayload(String),
}

/// The keys of a managed preferences plist (binary or XML), flattened
/// into paths: a `shield` dictionary holding `idle_seconds` gives
/// `["shield", "idle_seconds"]`; a dotted key stays one part, which
/// `veil_core` reads the same way.
pub fn parse_preferences(bytes: &[u8]) -> Result<Vec<ManagedEntry>, ProfileError> {
    let root = read(bytes)?;
    let dict = root.as_dictionary().ok_or(ProfileError::NotDictionary)?;
    Ok(entries(dict))
}

/// The keys of every payload of type `domain` in a `.mobileconfig` (an
/// unsigned one; a signed profile is CMS data around this plist).
pub fn parse_mobileconfig(bytes: &[u8], domain: &str) -> Result<Vec<ManagedEntry>, ProfileError> {
    let root = read(bytes)?;
    let dict = root.as_dictionary().ok_or(ProfileError::NotDictionary)?;
    let payloads: Vec<&plist::Dictionary> = dict
        .get("PayloadContent")
        .and_then(Plist::as_array)
        .into_iter()
        .flatten()
        .filter_map(Plist::as_dictionary)
        .filter(|p| p.get("PayloadType").and_then(Plist::as_string) == Some(domain))
        .collect();
    if payloads.is_empty() {
        return Err(ProfileError::NoPayload(domain.to_string()));
    }
    Ok(payloads.into_iter().flat_map(entries).collect())
}

/// A managed preferences file as a managed source: what it holds, or why
/// it cannot be used.
pub fn preferences_set(location: &str, bytes: &[u8]) -> ManagedSet {
    match parse_preferences(bytes) {
        Ok(entries) => ManagedSet::new(ManagedKind::Profile, location, entries),
        Err(e) => ManagedSet::unreadable(ManagedKind::Profile, location, e.to_string()),
    }
}

fn read(bytes: &[u8]) -> Result<Plist, ProfileError> {
    Plist::from_reader(Cursor::new(bytes)).map_err(|e| ProfileError::NotPlist(e.to_string()))
}

fn entries(dict: &plist::Dictionary) -> Vec<ManagedEntry> {
    let mut out = Vec::new();
    for (key, value) in dict {
        // The profile's own bookkeeping (PayloadType, PayloadUUID, ...),
        // never one of Veil's keys.
        if key.starts_with("Payload") {
            continue;
        }
        flatten(vec![key.clone()], value, &mut out);
    }
    out
}

fn flatten(path: Vec<String>, value: &Plist, out: &mut Vec<ManagedEntry>) {
    let value = match value {
        Plist::Dictionary(d) => {
            for (key, v) in d {
                let mut p = path.clone();
                p.push(key.clone());
                flatten(p, v, out);
            }
            return;
        }
        Plist::Boolean(b) => ManagedValue::Bool(*b),
        Plist::Integer(i) => match i.as_signed() {
            Some(n) => ManagedValue::Integer(n),
            None => ManagedValue::Other(format!("the number {i}, too large")),
        },
        Plist::String(s) => ManagedValue::String(s.clone()),
        Plist::Array(items) => {
            let strings: Option<Vec<String>> = items
                .iter()
                .map(|v| v.as_string().map(str::to_string))
                .collect();
            match strings {
                Some(s) => ManagedValue::Array(s),
                None => ManagedValue::Other("an array with an item that is not a string".into()),
            }
        }
        Plist::Real(r) => ManagedValue::Other(format!("the real number {r}")),
        Plist::Date(_) => ManagedValue::Other("a date".into()),
        Plist::Data(_) => ManagedValue::Other("data".into()),
        _ => ManagedValue::Other("a value of another plist type".into()),
    };
    out.push(ManagedEntry { path, value });
}

#[cfg(test)]
mod tests {
    use super::*;
    use veil_core::settings::{FileError, Layer, Origin, Value};

    const PLIST: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
    <key>allow_quit</key>
    <false/>
    <key>shield</key>
    <dict>
        <key>idle_seconds</key>
        <integer>30</integer>
    </dict>
    <key>shield.warning_seconds</key>
    <integer>5</integer>
    <key>posture</key>
    <dict>
        <key>min_os_build</key>
        <dict>
            <key>macos</key>
            <string>14.4</string>
        </dict>
        <key>required</key>
        <array>
            <string>disk_encryption</string>
            <string>firewall</string>
        </array>
    </dict>
    <key>fleet</key>
    <dict>
        <key>labels</key>
        <dict>
            <key>site</key>
            <string>lisbon</string>
        </dict>
    </dict>
</dict>
</plist>
"#;

    const LOCATION: &str = "/Library/Managed Preferences/com.veil.desktop.plist";

    fn layer(set: &ManagedSet) -> Result<Layer, Vec<FileError>> {
        set.to_layer()
    }

    #[test]
    fn a_managed_preferences_plist_is_a_policy_layer() {
        let set = preferences_set(LOCATION, PLIST.as_bytes());
        let got = layer(&set).unwrap();
        let toml = Layer::parse(
            "policy.toml",
            "allow_quit = false\nshield.idle_seconds = 30\nshield.warning_seconds = 5\n\
             posture.min_os_build.macos = \"14.4\"\n\
             posture.required = [\"disk_encryption\", \"firewall\"]\n\
             fleet.labels = { site = \"lisbon\" }\n",
            Origin::Policy,
        )
        .unwrap();
        for key in toml.keys() {
            assert_eq!(got.get(key), toml.get(key), "{key}");
        }
        assert_eq!(got.keys().count(), toml.keys().count());
        assert_eq!(
            got.managed_place("allow_quit"),
            Some(&*format!("profile:{LOCATION}"))
        );
    }

    #[test]
    fn a_binary_plist_reads_the_same() {
        let value = Plist::from_reader(Cursor::new(PLIST.as_bytes())).unwrap();
        let mut binary = Vec::new();
        value.to_writer_binary(&mut binary).unwrap();
        assert!(binary.starts_with(b"bplist00"));
        assert_eq!(
            parse_preferences(&binary).unwrap(),
            parse_preferences(PLIST.as_bytes()).unwrap()
        );
    }

    #[test]
    fn wrong_types_and_broken_files_are_named() {
        let plist = |body: &str| {
            format!(
                r#"<?xml version="1.0" encoding="UTF-8"?><plist version="1.0"><dict>{body}</dict></plist>"#
            )
        };
        let errors = |body: &str| -> Vec<String> {
            match layer(&preferences_set(LOCATION, plist(body).as_bytes())) {
                Ok(_) => vec![],
                Err(e) => e.iter().map(ToString::to_string).collect(),
            }
        };
        assert_eq!(
            errors("<key>shield</key><dict><key>idle_seconds</key><string>30</string></dict>"),
            [format!("{LOCATION}: key `shield.idle_seconds`: expected a whole number from 5 to 3600 (<integer>), found a string")]
        );
        assert_eq!(
            errors("<key>shield</key><dict><key>idle_seconds</key><real>30.5</real></dict>"),
            [format!("{LOCATION}: key `shield.idle_seconds`: expected a whole number from 5 to 3600 (<integer>), found the real number 30.5")]
        );
        assert_eq!(
            errors("<key>camera</key><dict><key>allowed_apps</key><array><integer>1</integer></array></dict>"),
            [format!("{LOCATION}: key `camera.allowed_apps`: expected a list of strings (an <array> of <string>), found an array with an item that is not a string")]
        );
        assert_eq!(
            errors("<key>shield</key><dict><key>idle_seconds</key><integer>1</integer></dict>"),
            [format!(
                "{LOCATION}: key `shield.idle_seconds`: 1 is out of range; allowed 5 to 3600"
            )]
        );
        assert_eq!(
            errors("<key>shields</key><dict><key>idle_seconds</key><integer>30</integer></dict>"),
            [format!("{LOCATION}: key `shields.idle_seconds`: unknown key (did you mean `shield.idle_seconds`?)")]
        );
        let broken = layer(&preferences_set(LOCATION, b"<plist><dict><key>x</key>")).unwrap_err();
        assert_eq!(broken.len(), 1);
        assert!(
            broken[0]
                .to_string()
                .starts_with(&format!("{LOCATION}: cannot be read: not a property list")),
            "{}",
            broken[0]
        );
        let not_dict = preferences_set(
            LOCATION,
            plist("").replace("<dict></dict>", "<array/>").as_bytes(),
        );
        assert_eq!(
            not_dict.unreadable.as_deref(),
            Some("its top level is not a dictionary")
        );
    }

    #[test]
    fn payload_keys_are_not_settings() {
        let set = preferences_set(
            LOCATION,
            PLIST
                .replace(
                    "<dict>\n    <key>allow_quit</key>",
                    "<dict>\n<key>PayloadUUID</key><string>x</string>\n    <key>allow_quit</key>",
                )
                .as_bytes(),
        );
        assert!(layer(&set).is_ok());
        assert!(!set.entries.iter().any(|e| e.path[0].starts_with("Payload")));
    }

    #[test]
    fn the_sample_mobileconfig_is_the_sample_policy() {
        let profile = include_bytes!("../../../../packaging/macos/veil.mobileconfig");
        let entries = parse_mobileconfig(profile, super::super::BUNDLE_ID).unwrap();
        let set = ManagedSet::new(ManagedKind::Profile, "veil.mobileconfig", entries);
        let got = layer(&set).unwrap();
        let toml = Layer::parse("policy.toml", SAMPLE_AS_TOML, Origin::Policy).unwrap();
        assert_eq!(
            got.keys().collect::<Vec<_>>(),
            toml.keys().collect::<Vec<_>>()
        );
        for key in toml.keys() {
            assert_eq!(got.get(key), toml.get(key), "{key}");
        }
        assert_eq!(got.get("force_privacy_mode"), Some(&Value::Bool(true)));
        assert!(matches!(
            parse_mobileconfig(profile, "com.example.other"),
            Err(ProfileError::NoPayload(_))
        ));
    }

    /// The same policy as packaging/macos/veil.mobileconfig, in TOML.
    const SAMPLE_AS_TOML: &str = r#"
allow_quit = false
force_privacy_mode = true
start_at_login = true

[audit]
retain_days = 180

[shield]
idle_seconds = 60
lock_after_seconds = 300

[microphone]
approved_headsets = ["Jabra Evolve2*", "Poly Voyager*"]
allowed_apps = ["softphone"]

[posture]
required = ["disk_encryption", "firewall", "screen_lock"]
grace_days = 7
min_os_build.macos = "14.4"

[fleet]
syslog_endpoint = "logs.example.com:6514"

[fleet.labels]
site = "lisbon"
team = "claims"
"#;
}
