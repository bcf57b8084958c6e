//! What the microphone guard should do, given the inputs as they are now.
//! An empty plan means compliant: the guard writes nothing, so it never loops
//! against itself or another tool. Before changing anything it remembers the
//! prior default and mute states, so turning privacy mode off restores them
//! exactly.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::classify::Class;

/// One input device as the backend sees it, already classified.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Input {
    pub id: String,
    pub name: String,
    pub class: Class,
    /// Rank of the approved-headset policy rule it matched (lower first).
    pub rank: Option<u32>,
    pub muted: bool,
}

/// A recording stream and the input it records from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Stream {
    pub id: u32,
    pub input_id: String,
    /// The recording application, as the OS names it.
    pub app: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct View {
    pub inputs: Vec<Input>,
    pub default_id: Option<String>,
    pub streams: Vec<Stream>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Action {
    SetDefault { input_id: String },
    SetMute { input_id: String, muted: bool },
    MoveStream { stream: u32, to_input_id: String },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Plan {
    pub actions: Vec<Action>,
    /// The headset the guard keeps as the default, if one is connected.
    pub headset: Option<String>,
    /// Nothing to do and a headset in use.
    pub compliant: bool,
}

/// The default and mute states before Veil changed them; kept on disk so a
/// crash does not lose them.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Prior {
    pub default_id: Option<String>,
    /// Mute state of each input Veil muted, as it was before.
    pub muted: BTreeMap<String, bool>,
}

/// The headset to use: policy-ranked ones first, then the current default
/// if it is a headset (do not switch between two good headsets), then by id.
pub fn pick_headset(view: &View) -> Option<&Input> {
    view.inputs
        .iter()
        .filter(|i| i.class == Class::Headset)
        .min_by_key(|i| {
            (
                i.rank.unwrap_or(u32::MAX),
                view.default_id.as_deref() != Some(i.id.as_str()),
                i.id.clone(),
            )
        })
}

/// What to do now. Without a headset it fails closed: laptop and webcam
/// microphones stay muted and the default is left alone.
pub fn plan(view: &View) -> Plan {
    let headset = pick_headset(view).map(|h| h.id.clone());
    let mut actions = Vec::new();
    if let Some(h) = &headset {
        if view.default_id.as_deref() != Some(h.as_str()) {
            actions.push(Action::SetDefault {
                input_id: h.clone(),
            });
        }
    }
    for i in &view.inputs {
        if matches!(i.class, Class::BuiltIn | Class::Webcam) && !i.muted {
            actions.push(Action::SetMute {
                input_id: i.id.clone(),
                muted: true,
            });
        }
    }
    if let Some(h) = &headset {
        for s in &view.streams {
            let on_guarded = view
                .inputs
                .iter()
                .any(|i| i.id == s.input_id && matches!(i.class, Class::BuiltIn | Class::Webcam));
            if on_guarded {
                actions.push(Action::MoveStream {
                    stream: s.id,
                    to_input_id: h.clone(),
                });
            }
        }
    }
    Plan {
        compliant: actions.is_empty() && headset.is_some(),
        actions,
        headset,
    }
}

/// Adds to `prior` what `actions` are about to change, keeping the first
/// recorded value of each (the state before Veil ever touched it).
pub fn remember(prior: &mut Prior, view: &View, actions: &[Action]) {
    for a in actions {
        match a {
            Action::SetDefault { .. } => {
                if prior.default_id.is_none() {
                    prior.default_id = view.default_id.clone();
                }
            }
            Action::SetMute { input_id, .. } => {
                if let Some(i) = view.inputs.iter().find(|i| &i.id == input_id) {
                    prior.muted.entry(input_id.clone()).or_insert(i.muted);
                }
            }
            Action::MoveStream { .. } => {}
        }
    }
}

/// Puts back what Veil changed, for the devices still present.
pub fn restore(prior: &Prior, view: &View) -> Vec<Action> {
    let present = |id: &str| view.inputs.iter().any(|i| i.id == id);
    let mut actions = Vec::new();
    if let Some(d) = &prior.default_id {
        if present(d) && view.default_id.as_deref() != Some(d.as_str()) {
            actions.push(Action::SetDefault {
                input_id: d.clone(),
            });
        }
    }
    for (id, was_muted) in &prior.muted {
        if let Some(i) = view.inputs.iter().find(|i| &i.id == id) {
            if i.muted != *was_muted {
                actions.push(Action::SetMute {
                    input_id: id.clone(),
                    muted: *was_muted,
                });
            }
        }
    }
    actions
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(id: &str, class: Class, muted: bool) -> Input {
        Input {
            id: id.into(),
            name: id.into(),
            class,
            rank: None,
            muted,
        }
    }

    fn view(inputs: Vec<Input>, default: &str, streams: &[(u32, &str)]) -> View {
        View {
            inputs,
            default_id: Some(default.into()),
            streams: streams
                .iter()
                .map(|(id, on)| Stream {
                    id: *id,
                    input_id: (*on).into(),
                    app: None,
                })
                .collect(),
        }
    }

    fn set_default(id: &str) -> Action {
        Action::SetDefault {
            input_id: id.into(),
        }
    }

    fn mute(id: &str) -> Action {
        Action::SetMute {
            input_id: id.into(),
            muted: true,
        }
    }

    #[test]
    fn plans() {
        use Class::*;
        // (what, view, actions, headset, compliant)
        type Row = (&'static str, View, Vec<Action>, Option<&'static str>, bool);
        let table: Vec<Row> = vec![
            (
                "headset plugged: default and mute",
                view(
                    vec![input("laptop", BuiltIn, false), input("hs", Headset, false)],
                    "laptop",
                    &[],
                ),
                vec![set_default("hs"), mute("laptop")],
                Some("hs"),
                false,
            ),
            (
                "already compliant: no writes",
                view(
                    vec![input("laptop", BuiltIn, true), input("hs", Headset, false)],
                    "hs",
                    &[],
                ),
                vec![],
                Some("hs"),
                true,
            ),
            (
                "user unmuted the laptop mic",
                view(
                    vec![input("laptop", BuiltIn, false), input("hs", Headset, false)],
                    "hs",
                    &[],
                ),
                vec![mute("laptop")],
                Some("hs"),
                false,
            ),
            (
                "recorder on the laptop mic and on the webcam mic is moved",
                view(
                    vec![
                        input("laptop", BuiltIn, true),
                        input("cam", Webcam, true),
                        input("hs", Headset, false),
                    ],
                    "hs",
                    &[(7, "laptop"), (8, "hs"), (9, "cam")],
                ),
                vec![
                    Action::MoveStream {
                        stream: 7,
                        to_input_id: "hs".into(),
                    },
                    Action::MoveStream {
                        stream: 9,
                        to_input_id: "hs".into(),
                    },
                ],
                Some("hs"),
                false,
            ),
            (
                "no headset: fail closed, default untouched",
                view(
                    vec![input("laptop", BuiltIn, false), input("yeti", Other, false)],
                    "laptop",
                    &[(3, "laptop")],
                ),
                vec![mute("laptop")],
                None,
                false,
            ),
            (
                "other inputs are left alone",
                view(
                    vec![input("yeti", Other, false), input("hs", Headset, false)],
                    "hs",
                    &[(4, "yeti")],
                ),
                vec![],
                Some("hs"),
                true,
            ),
        ];
        for (what, v, actions, headset, compliant) in table {
            let p = plan(&v);
            assert_eq!(p.actions, actions, "{what}");
            assert_eq!(p.headset.as_deref(), headset, "{what}");
            assert_eq!(p.compliant, compliant, "{what}");
        }
    }

    #[test]
    fn headset_choice_prefers_policy_rank_then_current_default() {
        let mut a = input("a", Class::Headset, false);
        let b = input("b", Class::Headset, false);
        let v = view(vec![a.clone(), b.clone()], "b", &[]);
        assert_eq!(pick_headset(&v).map(|h| h.id.as_str()), Some("b"));
        a.rank = Some(1);
        let v = view(vec![a, b], "b", &[]);
        assert_eq!(pick_headset(&v).map(|h| h.id.as_str()), Some("a"));
    }

    #[test]
    fn restore_puts_back_exactly_what_was_there_first() {
        use Class::*;
        let before = view(
            vec![
                input("laptop", BuiltIn, false),
                input("cam", Webcam, true),
                input("hs", Headset, false),
            ],
            "laptop",
            &[],
        );
        let mut prior = Prior::default();
        let p = plan(&before);
        remember(&mut prior, &before, &p.actions);
        // A later correction must not overwrite the first memory.
        let drifted = view(
            vec![
                input("laptop", BuiltIn, false),
                input("cam", Webcam, true),
                input("hs", Headset, false),
            ],
            "hs",
            &[],
        );
        remember(&mut prior, &drifted, &plan(&drifted).actions);
        assert_eq!(prior.default_id.as_deref(), Some("laptop"));
        assert_eq!(prior.muted.get("laptop"), Some(&false));
        assert_eq!(prior.muted.get("cam"), None, "Veil never changed it");

        let enforced = view(
            vec![
                input("laptop", BuiltIn, true),
                input("cam", Webcam, true),
                input("hs", Headset, false),
            ],
            "hs",
            &[],
        );
        assert_eq!(
            restore(&prior, &enforced),
            vec![
                set_default("laptop"),
                Action::SetMute {
                    input_id: "laptop".into(),
                    muted: false
                },
            ]
        );
        // A device that is gone is skipped, not an error.
        let gone = view(vec![input("hs", Headset, false)], "hs", &[]);
        assert!(restore(&prior, &gone).is_empty());
        // Prior state survives a round trip to disk.
        let text = serde_json::to_string(&prior).unwrap();
        assert_eq!(serde_json::from_str::<Prior>(&text).unwrap(), prior);
    }
}
