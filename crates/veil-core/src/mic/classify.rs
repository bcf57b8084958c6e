//! Classifying an input device as Headset, BuiltIn, Webcam or Other from what
//! the OS says about it. An unknown device is never a headset: a laptop mic
//! mistaken for a headset would be left listening.

use std::collections::BTreeMap;

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Class {
    Headset,
    BuiltIn,
    Webcam,
    Other,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PortAvailability {
    Yes,
    No,
    Unknown,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Port {
    pub name: String,
    pub availability: PortAvailability,
}

/// What a backend knows about one input device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "backend", rename_all = "snake_case")]
pub enum DeviceFacts {
    /// PulseAudio or PipeWire (pipewire-pulse): the source's property list,
    /// ports and active port.
    Pulse {
        props: BTreeMap<String, String>,
        ports: Vec<Port>,
        active_port: Option<String>,
        /// A sink's monitor: never a microphone.
        is_monitor: bool,
    },
    /// WASAPI: `PKEY_AudioEndpoint_FormFactor` and the device enumerator
    /// (`USB`, `BTHENUM`, `BTHHFENUM`, `HDAUDIO`, ...).
    Windows {
        form_factor: Option<u32>,
        enumerator: Option<String>,
    },
    /// CoreAudio: `kAudioDevicePropertyTransportType`.
    Mac { transport: Option<u32> },
}

/// Policy's approved headsets: a name pattern (`*` wildcards, case
/// ignored) and a rank (lower is preferred).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HeadsetRule {
    pub pattern: String,
    pub rank: u32,
}

/// Policy patterns (`microphone.approved_headsets`), most preferred first,
/// as ranked rules.
pub fn headset_rules(patterns: &[String]) -> Vec<HeadsetRule> {
    patterns
        .iter()
        .enumerate()
        .map(|(i, p)| HeadsetRule {
            pattern: p.clone(),
            rank: i as u32,
        })
        .collect()
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Classification {
    pub class: Class,
    /// The facts that decided it, for `veil audio devices`.
    pub because: Vec<String>,
    /// The rank of the approved-headset rule that matched, if any.
    pub rank: Option<u32>,
}

// Windows EndpointFormFactor values.
const WIN_HEADSET: u32 = 5;
const WIN_MICROPHONE: u32 = 4;
const WIN_HANDSET: u32 = 7;

// CoreAudio transport types (four-character codes).
const fn fourcc(s: &[u8; 4]) -> u32 {
    u32::from_be_bytes(*s)
}
const MAC_BUILTIN: u32 = fourcc(b"bltn");
const MAC_BLUETOOTH: u32 = fourcc(b"blue");
const MAC_BLUETOOTH_LE: u32 = fourcc(b"blea");
const MAC_USB: u32 = fourcc(b"usb ");

fn looks_like_webcam(text: &str) -> bool {
    let t = text.to_ascii_lowercase();
    [
        "webcam", "camera", "cam ", "c920", "c922", "brio", "kiyo", "facetime",
    ]
    .iter()
    .any(|w| t.contains(w))
}

fn looks_like_headset(text: &str) -> bool {
    let t = text.to_ascii_lowercase();
    [
        "headset",
        "headphone",
        "earbud",
        "airpods",
        "jabra",
        "plantronics",
        "poly ",
        "sennheiser",
        "epos",
    ]
    .iter()
    .any(|w| t.contains(w))
}

/// `*` matches any run of characters; case is ignored.
pub fn pattern_matches(pattern: &str, text: &str) -> bool {
    let p = pattern.to_lowercase();
    let t = text.to_lowercase();
    let parts: Vec<&str> = p.split('*').collect();
    if parts.len() == 1 {
        return p == t;
    }
    let mut rest = t.as_str();
    for (i, part) in parts.iter().enumerate() {
        if part.is_empty() {
            continue;
        }
        if i == 0 {
            match rest.strip_prefix(part) {
                Some(r) => rest = r,
                None => return false,
            }
        } else if i == parts.len() - 1 {
            return rest.ends_with(part);
        } else {
            match rest.find(part) {
                Some(pos) => rest = &rest[pos + part.len()..],
                None => return false,
            }
        }
    }
    true
}

/// Classifies one input device. `name` is what the agent sees (the
/// description); `approved` comes from policy.
pub fn classify(name: &str, facts: &DeviceFacts, approved: &[HeadsetRule]) -> Classification {
    let decided = |class, because: &[String]| Classification {
        class,
        because: because.to_vec(),
        rank: None,
    };
    if let DeviceFacts::Pulse {
        is_monitor: true, ..
    } = facts
    {
        return decided(
            Class::Other,
            &["a monitor of an output, not a microphone".into()],
        );
    }
    if let Some(rule) = approved
        .iter()
        .filter(|r| pattern_matches(&r.pattern, name))
        .min_by_key(|r| r.rank)
    {
        return Classification {
            class: Class::Headset,
            because: vec![format!("approved by policy (pattern \"{}\")", rule.pattern)],
            rank: Some(rule.rank),
        };
    }
    match facts {
        DeviceFacts::Pulse {
            props,
            ports,
            active_port,
            ..
        } => classify_pulse(name, props, ports, active_port.as_deref()),
        DeviceFacts::Windows {
            form_factor,
            enumerator,
        } => classify_windows(name, *form_factor, enumerator.as_deref()),
        DeviceFacts::Mac { transport } => classify_mac(name, *transport),
    }
}

fn classify_pulse(
    name: &str,
    props: &BTreeMap<String, String>,
    ports: &[Port],
    active_port: Option<&str>,
) -> Classification {
    let get = |k: &str| props.get(k).map(String::as_str).unwrap_or("");
    let mut because = Vec::new();
    let result = |class, because: Vec<String>| Classification {
        class,
        because,
        rank: None,
    };
    let form = get("device.form_factor");
    let bus = get("device.bus");
    let api = get("device.api");
    if !form.is_empty() {
        because.push(format!("device.form_factor={form}"));
    }
    if !bus.is_empty() {
        because.push(format!("device.bus={bus}"));
    }
    match form {
        "webcam" => return result(Class::Webcam, because),
        "internal" => return result(Class::BuiltIn, because),
        "headset" | "handset" | "hands-free" => return result(Class::Headset, because),
        _ => {}
    }
    let product = format!(
        "{name} {} {}",
        get("device.product.name"),
        get("device.description")
    );
    if looks_like_webcam(&product) {
        because.push("its name says it is a camera".into());
        return result(Class::Webcam, because);
    }
    // Bluetooth input is the hands-free (headset) profile.
    if bus == "bluetooth" || api == "bluez" || get("api.bluez5.profile").contains("head") {
        if !api.is_empty() {
            because.push(format!("device.api={api}"));
        }
        return result(Class::Headset, because);
    }
    // The laptop's own audio chip: the active port tells a headset plugged
    // into the combo jack from the internal microphone.
    let onboard =
        bus == "pci" || bus == "isa" || get("alsa.card_name").to_ascii_lowercase().contains("hda");
    if onboard {
        let active = active_port.and_then(|a| ports.iter().find(|p| p.name == a));
        if let Some(p) = active {
            because.push(format!(
                "active port {} (available: {:?})",
                p.name, p.availability
            ));
            let n = p.name.to_ascii_lowercase();
            if (n.contains("headset-mic") || n.contains("headphone-mic"))
                && p.availability == PortAvailability::Yes
            {
                return result(Class::Headset, because);
            }
            if n.contains("internal-mic") || n.contains("mic-internal") {
                return result(Class::BuiltIn, because);
            }
        }
        return result(Class::BuiltIn, because);
    }
    if bus == "usb" && looks_like_headset(&product) {
        because.push("a USB device named as a headset".into());
        return result(Class::Headset, because);
    }
    because.push("nothing marks it as a headset".into());
    result(Class::Other, because)
}

fn classify_windows(
    name: &str,
    form_factor: Option<u32>,
    enumerator: Option<&str>,
) -> Classification {
    let e = enumerator.unwrap_or("").to_ascii_uppercase();
    let mut because = Vec::new();
    if let Some(f) = form_factor {
        because.push(format!("form factor {f}"));
    }
    if !e.is_empty() {
        because.push(format!("enumerator {e}"));
    }
    let class = if looks_like_webcam(name) {
        because.push("its name says it is a camera".into());
        Class::Webcam
    } else if matches!(form_factor, Some(WIN_HEADSET | WIN_HANDSET))
        || e == "BTHHFENUM"
        || e == "BTHENUM"
    {
        Class::Headset
    } else if e == "HDAUDIO"
        || e == "INTELAUDIO"
        || (e.starts_with("SWD") && form_factor == Some(WIN_MICROPHONE))
    {
        Class::BuiltIn
    } else if e == "USB" && looks_like_headset(name) {
        because.push("a USB device named as a headset".into());
        Class::Headset
    } else {
        Class::Other
    };
    Classification {
        class,
        because,
        rank: None,
    }
}

fn classify_mac(name: &str, transport: Option<u32>) -> Classification {
    let mut because = Vec::new();
    let class = match transport {
        Some(MAC_BUILTIN) => {
            because.push("transport built-in".into());
            Class::BuiltIn
        }
        Some(MAC_BLUETOOTH | MAC_BLUETOOTH_LE) => {
            because.push("transport Bluetooth".into());
            Class::Headset
        }
        Some(MAC_USB) if looks_like_webcam(name) => {
            because.push("USB, named as a camera".into());
            Class::Webcam
        }
        Some(MAC_USB) if looks_like_headset(name) => {
            because.push("USB, named as a headset".into());
            Class::Headset
        }
        _ if looks_like_webcam(name) => Class::Webcam,
        _ => {
            because.push("nothing marks it as a headset".into());
            Class::Other
        }
    };
    Classification {
        class,
        because,
        rank: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pulse(
        props: &[(&str, &str)],
        ports: &[(&str, PortAvailability)],
        active: Option<&str>,
    ) -> DeviceFacts {
        DeviceFacts::Pulse {
            props: props
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            ports: ports
                .iter()
                .map(|(n, a)| Port {
                    name: n.to_string(),
                    availability: *a,
                })
                .collect(),
            active_port: active.map(str::to_string),
            is_monitor: false,
        }
    }

    use PortAvailability::*;

    #[test]
    fn pulse_property_sets() {
        let table: Vec<(&str, DeviceFacts, Class)> = vec![
            (
                "Jabra Evolve2 65 Mono",
                pulse(
                    &[("device.form_factor", "headset"), ("device.bus", "usb")],
                    &[],
                    None,
                ),
                Class::Headset,
            ),
            (
                "USB-Headset",
                pulse(
                    &[("device.form_factor", "headset"), ("device.bus", "usb")],
                    &[],
                    None,
                ),
                Class::Headset,
            ),
            (
                "WH-1000XM4",
                pulse(
                    &[("device.bus", "bluetooth"), ("device.api", "bluez")],
                    &[],
                    None,
                ),
                Class::Headset,
            ),
            (
                "AirPods (PipeWire)",
                pulse(
                    &[
                        ("device.api", "bluez5"),
                        ("api.bluez5.profile", "headset-head-unit"),
                    ],
                    &[],
                    None,
                ),
                Class::Headset,
            ),
            (
                "Built-in Audio Analog Stereo",
                pulse(
                    &[("device.form_factor", "internal"), ("device.bus", "pci")],
                    &[],
                    None,
                ),
                Class::BuiltIn,
            ),
            (
                "Built-in Audio Analog Stereo",
                pulse(
                    &[("device.bus", "pci"), ("device.api", "alsa")],
                    &[
                        ("analog-input-internal-mic", Unknown),
                        ("analog-input-headset-mic", No),
                    ],
                    Some("analog-input-internal-mic"),
                ),
                Class::BuiltIn,
            ),
            (
                "Built-in Audio Analog Stereo",
                pulse(
                    &[("device.bus", "pci"), ("device.api", "alsa")],
                    &[
                        ("analog-input-internal-mic", Unknown),
                        ("analog-input-headset-mic", Yes),
                    ],
                    Some("analog-input-headset-mic"),
                ),
                Class::Headset,
            ),
            (
                "Built-in Audio Analog Stereo",
                pulse(
                    &[("device.bus", "pci")],
                    &[("analog-input-headset-mic", No)],
                    Some("analog-input-headset-mic"),
                ),
                Class::BuiltIn,
            ),
            (
                "HD Pro Webcam C920",
                pulse(
                    &[
                        ("device.bus", "usb"),
                        ("device.product.name", "HD Pro Webcam C920"),
                    ],
                    &[],
                    None,
                ),
                Class::Webcam,
            ),
            (
                "Cam Link",
                pulse(
                    &[("device.form_factor", "webcam"), ("device.bus", "usb")],
                    &[],
                    None,
                ),
                Class::Webcam,
            ),
            (
                "Blue Yeti",
                pulse(
                    &[("device.bus", "usb"), ("device.form_factor", "microphone")],
                    &[],
                    None,
                ),
                Class::Other,
            ),
            ("Mystery Device", pulse(&[], &[], None), Class::Other),
        ];
        for (name, facts, want) in table {
            assert_eq!(classify(name, &facts, &[]).class, want, "{name}: {facts:?}");
        }
    }

    #[test]
    fn monitors_are_never_microphones() {
        let f = DeviceFacts::Pulse {
            props: [("device.form_factor".to_string(), "headset".to_string())].into(),
            ports: vec![],
            active_port: None,
            is_monitor: true,
        };
        assert_eq!(
            classify("Monitor of USB-Headset", &f, &[]).class,
            Class::Other
        );
    }

    #[test]
    fn windows_endpoints() {
        let w = |ff, e: &str| DeviceFacts::Windows {
            form_factor: ff,
            enumerator: Some(e.into()),
        };
        let table = [
            (
                "Headset Microphone (Jabra Link 380)",
                w(Some(5), "USB"),
                Class::Headset,
            ),
            (
                "Headset (WH-1000XM4 Hands-Free AG Audio)",
                w(Some(4), "BTHHFENUM"),
                Class::Headset,
            ),
            (
                "Microphone Array (Realtek(R) Audio)",
                w(Some(4), "HDAUDIO"),
                Class::BuiltIn,
            ),
            (
                "Microphone Array (Intel® Smart Sound)",
                w(Some(4), "SWD\\MMDEVAPI"),
                Class::BuiltIn,
            ),
            (
                "Microphone (HD Pro Webcam C920)",
                w(Some(4), "USB"),
                Class::Webcam,
            ),
            ("Microphone (Yeti Stereo)", w(Some(4), "USB"), Class::Other),
            ("Line In", w(Some(2), "HDAUDIO"), Class::BuiltIn),
        ];
        for (name, facts, want) in table {
            assert_eq!(classify(name, &facts, &[]).class, want, "{name}");
        }
    }

    #[test]
    fn mac_transports() {
        let m = |t: &[u8; 4]| DeviceFacts::Mac {
            transport: Some(fourcc(t)),
        };
        let table = [
            ("MacBook Pro Microphone", m(b"bltn"), Class::BuiltIn),
            ("AirPods Pro", m(b"blue"), Class::Headset),
            ("Jabra Evolve2 40", m(b"usb "), Class::Headset),
            ("FaceTime HD Camera", m(b"usb "), Class::Webcam),
            ("ZoomAudioDevice", m(b"virt"), Class::Other),
        ];
        for (name, facts, want) in table {
            assert_eq!(classify(name, &facts, &[]).class, want, "{name}");
        }
    }

    #[test]
    fn policy_approves_and_ranks_headsets() {
        let rules = vec![
            HeadsetRule {
                pattern: "Blue Yeti*".into(),
                rank: 2,
            },
            HeadsetRule {
                pattern: "*yeti*".into(),
                rank: 1,
            },
        ];
        let facts = pulse(&[("device.bus", "usb")], &[], None);
        let c = classify("Blue Yeti Nano", &facts, &rules);
        assert_eq!(c.class, Class::Headset);
        assert_eq!(c.rank, Some(1));
        assert!(c.because[0].contains("approved by policy"));
        assert!(pattern_matches("jabra*", "Jabra Evolve2"));
        assert!(pattern_matches("*link*380", "Jabra Link 380"));
        assert!(!pattern_matches("jabra", "Jabra Evolve2"));
    }

    #[test]
    fn approved_headsets_rank_in_policy_order() {
        let rules = headset_rules(&["Jabra*".into(), "Poly*".into()]);
        assert_eq!(
            rules,
            [
                HeadsetRule {
                    pattern: "Jabra*".into(),
                    rank: 0
                },
                HeadsetRule {
                    pattern: "Poly*".into(),
                    rank: 1
                }
            ]
        );
        assert!(headset_rules(&[]).is_empty());
    }
}
