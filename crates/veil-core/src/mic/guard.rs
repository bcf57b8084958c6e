//! The microphone guard's memory between looks at the devices: what it
//! changed first (to restore it), whether the devices had settled (so a
//! change is a correction worth telling the agent about), and how often it
//! has had to write (so a tool fighting it cannot make it spin).

use std::collections::VecDeque;
use std::time::Duration;

use serde::Serialize;

use super::classify::Class;
use super::plan::{self, Action, Prior, View};
use crate::clock::Millis;
use crate::i18n::{Language, Message};

/// This many write rounds within [`CONTEST_WINDOW`] means another program
/// keeps undoing Veil's changes (a person fiddling is far slower).
const CONTEST_ROUNDS: usize = 20;
const CONTEST_WINDOW: Duration = Duration::from_secs(2);
/// While contested, at most one write round this often.
const CONTESTED_SPACING: Duration = Duration::from_secs(1);
/// Contested ends after this long without a write.
const CONTEST_QUIET: Duration = Duration::from_secs(5);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    /// Privacy mode came on, Veil started, or a headset was plugged in.
    Enforced,
    /// The devices had been compliant and something changed them.
    Corrected,
    /// Privacy mode off or Veil quitting: the agent's own setup put back.
    Restored,
}

/// One change Veil makes, with the device and the reason, for the audit log
/// (`what` and `why` in English) and the agent (their messages, app.ftl).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    pub kind: ChangeKind,
    pub device: String,
    pub what: String,
    pub why: String,
    pub what_message: Message,
    pub why_message: Message,
}

impl Change {
    pub fn new(kind: ChangeKind, device: impl Into<String>, what: Message, why: Message) -> Self {
        Self {
            kind,
            device: device.into(),
            what: what.text(Language::En),
            why: why.text(Language::En),
            what_message: what,
            why_message: why,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Decision {
    /// Carry these out, in order.
    pub actions: Vec<Action>,
    pub changes: Vec<Change>,
    /// The prior state changed: save it before carrying out the actions, so
    /// a crash in between cannot lose it.
    pub save_prior: bool,
    /// Writes are held back (another program keeps undoing them): look
    /// again at this time.
    pub retry_at: Option<Millis>,
}

#[derive(Debug, Clone, Default)]
pub struct Guard {
    prior: Prior,
    /// A look since privacy mode came on (or the server connected) found
    /// nothing to write: from then on every change is a correction, also
    /// one seen before the look after Veil's own write (a user's quick
    /// second change was recorded as enforcement and not told).
    settled: bool,
    rounds: VecDeque<Millis>,
    contested_until: Option<Millis>,
}

impl Guard {
    /// `prior` is what an earlier run saved, if Veil stopped before it could
    /// restore it.
    pub fn new(prior: Prior) -> Self {
        Self {
            prior,
            settled: false,
            rounds: VecDeque::new(),
            contested_until: None,
        }
    }

    pub fn prior(&self) -> &Prior {
        &self.prior
    }

    /// Another program keeps undoing Veil's changes.
    pub fn contested(&self, now: Millis) -> bool {
        self.contested_until.is_some_and(|until| now < until)
    }

    /// Forget that the devices had settled: the next change is not a
    /// correction (privacy mode just came on, or the audio server is new).
    pub fn unsettle(&mut self) {
        self.settled = false;
    }

    /// What to do about the devices as they are now. `enforce` is privacy
    /// mode; when it is off, what Veil changed is put back.
    pub fn decide(&mut self, view: &View, enforce: bool, now: Millis) -> Decision {
        while self
            .rounds
            .front()
            .is_some_and(|t| now.since(*t) >= CONTEST_WINDOW)
        {
            self.rounds.pop_front();
        }
        let (actions, kind) = if enforce {
            let kind = if self.settled {
                ChangeKind::Corrected
            } else {
                ChangeKind::Enforced
            };
            (plan::plan(view).actions, kind)
        } else {
            (plan::restore(&self.prior, view), ChangeKind::Restored)
        };
        if actions.is_empty() {
            self.settled = true;
            let mut decision = Decision::default();
            if !enforce && self.prior != Prior::default() {
                // Everything still present is back as it was; what is gone
                // cannot come back, and must not be "restored" days later.
                self.prior = Prior::default();
                decision.save_prior = true;
            }
            return decision;
        }
        if self.contested(now) {
            if let Some(last) = self.rounds.back() {
                let next = last.plus(CONTESTED_SPACING);
                if now < next {
                    return Decision {
                        retry_at: Some(next),
                        ..Decision::default()
                    };
                }
            }
        }
        self.rounds.push_back(now);
        if self.contested(now) || self.rounds.len() >= CONTEST_ROUNDS {
            self.contested_until = Some(now.plus(CONTEST_QUIET));
        }
        let before = self.prior.clone();
        if enforce {
            plan::remember(&mut self.prior, view, &actions);
        }
        let changes = actions.iter().map(|a| describe(a, view, kind)).collect();
        Decision {
            save_prior: self.prior != before,
            actions,
            changes,
            retry_at: None,
        }
    }
}

fn name_of<'a>(view: &'a View, id: &'a str) -> &'a str {
    view.inputs
        .iter()
        .find(|i| i.id == id)
        .map(|i| i.name.as_str())
        .unwrap_or(id)
}

fn class_of(view: &View, id: &str) -> Option<Class> {
    view.inputs.iter().find(|i| i.id == id).map(|i| i.class)
}

fn describe(action: &Action, view: &View, kind: ChangeKind) -> Change {
    let restoring = kind == ChangeKind::Restored;
    match action {
        Action::SetDefault { input_id } => {
            let what = match view.default_id.as_deref() {
                Some(d) => Message::new("mic-what-made-default").arg("was", name_of(view, d)),
                None => Message::new("mic-what-made-default-from-none"),
            };
            let why = if restoring {
                Message::new("mic-why-default-restored")
            } else {
                Message::new("mic-why-default-headset")
            };
            Change::new(kind, name_of(view, input_id), what, why)
        }
        Action::SetMute { input_id, muted } => {
            let why = if restoring {
                Message::new("mic-why-mute-restored")
            } else if class_of(view, input_id) == Some(Class::Webcam) {
                Message::new("mic-why-webcam-muted")
            } else {
                Message::new("mic-why-laptop-muted")
            };
            let what = if *muted {
                Message::new("mic-what-muted")
            } else {
                Message::new("mic-what-unmuted")
            };
            Change::new(kind, name_of(view, input_id), what, why)
        }
        Action::MoveStream {
            stream,
            to_input_id,
        } => {
            let s = view.streams.iter().find(|s| s.id == *stream);
            let from = s.map(|s| name_of(view, &s.input_id)).unwrap_or("?");
            let to = name_of(view, to_input_id);
            let what = match s.and_then(|s| s.app.as_deref()) {
                Some(app) => Message::new("mic-what-moved").arg("app", app).arg("to", to),
                None => Message::new("mic-what-moved-unknown-app").arg("to", to),
            };
            Change::new(kind, from, what, Message::new("mic-why-moved"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mic::plan::{Input, Stream};

    fn input(id: &str, class: Class, muted: bool) -> Input {
        Input {
            id: id.into(),
            name: format!("{id} name"),
            class,
            rank: None,
            muted,
        }
    }

    fn view(laptop_muted: bool, default: &str, headset: bool) -> View {
        let mut inputs = vec![input("laptop", Class::BuiltIn, laptop_muted)];
        if headset {
            inputs.push(input("hs", Class::Headset, false));
        }
        View {
            inputs,
            default_id: Some(default.into()),
            streams: vec![],
        }
    }

    fn kinds(d: &Decision) -> Vec<ChangeKind> {
        d.changes.iter().map(|c| c.kind).collect()
    }

    #[test]
    fn enforce_then_correct_then_restore() {
        use ChangeKind::*;
        let mut g = Guard::default();
        let t = Millis(1_000_000);
        // (what, view, enforce, kinds, save_prior)
        type Row = (&'static str, View, bool, Vec<ChangeKind>, bool);
        let rows: Vec<Row> = vec![
            (
                "first look: enforced",
                view(false, "laptop", true),
                true,
                vec![Enforced, Enforced],
                true,
            ),
            (
                "compliant: nothing",
                view(true, "hs", true),
                true,
                vec![],
                false,
            ),
            (
                "user unmutes: corrected",
                view(false, "hs", true),
                true,
                vec![Corrected],
                false,
            ),
            (
                "the user switches to the laptop before Veil saw its write: corrected",
                view(true, "laptop", true),
                true,
                vec![Corrected],
                false,
            ),
            (
                "compliant again",
                view(true, "hs", true),
                true,
                vec![],
                false,
            ),
            (
                "privacy off: restored",
                view(true, "hs", true),
                false,
                vec![Restored, Restored],
                false,
            ),
            (
                "restored: prior cleared",
                view(false, "laptop", true),
                false,
                vec![],
                true,
            ),
            (
                "off and nothing to do",
                view(false, "laptop", true),
                false,
                vec![],
                false,
            ),
        ];
        for (i, (what, v, enforce, want, save)) in rows.into_iter().enumerate() {
            let d = g.decide(&v, enforce, t.plus(Duration::from_secs(i as u64 * 5)));
            assert_eq!(kinds(&d), want, "{what}");
            assert_eq!(d.save_prior, save, "{what}");
        }
        assert_eq!(g.prior(), &Prior::default());
    }

    #[test]
    fn a_fight_is_slowed_to_one_round_a_second() {
        let mut g = Guard::default();
        let drifted = view(false, "hs", true);
        let mut t = Millis(0);
        let mut wrote = 0;
        let mut held = 0;
        // Another tool unmutes the laptop mic every 50 ms for 5 s.
        for _ in 0..100 {
            let d = g.decide(&drifted, true, t);
            if d.actions.is_empty() {
                assert!(d.retry_at.is_some_and(|r| r > t));
                held += 1;
            } else {
                wrote += 1;
            }
            t = t.plus(Duration::from_millis(50));
        }
        assert!(g.contested(t));
        // 20 rounds at full speed, then one a second.
        assert!((20..=25).contains(&wrote), "wrote {wrote}");
        assert_eq!(wrote + held, 100);
        // Quiet for a while: no longer contested, full speed again.
        assert!(!g.contested(t.plus(CONTEST_QUIET)));
        let later = t.plus(CONTEST_QUIET);
        assert!(!g.decide(&drifted, true, later).actions.is_empty());
    }

    #[test]
    fn no_headset_mutes_but_keeps_the_default() {
        let mut g = Guard::default();
        let d = g.decide(&view(false, "laptop", false), true, Millis(0));
        assert_eq!(
            d.actions,
            vec![Action::SetMute {
                input_id: "laptop".into(),
                muted: true
            }]
        );
        assert_eq!(d.changes[0].device, "laptop name");
        assert!(d.changes[0].why.contains("voice assistants"));
    }

    #[test]
    fn moved_streams_name_the_application() {
        let mut v = view(true, "hs", true);
        v.streams.push(Stream {
            id: 4,
            input_id: "laptop".into(),
            app: Some("parecord".into()),
        });
        let d = Guard::default().decide(&v, true, Millis(0));
        assert_eq!(d.changes[0].what, "recording by parecord moved to hs name");
        assert_eq!(d.changes[0].device, "laptop name");
    }

    #[test]
    fn the_agent_is_told_in_their_language() {
        use crate::i18n::{Language, Message};
        let d = Guard::default().decide(&view(false, "laptop", false), true, Millis(0));
        let c = &d.changes[0];
        let body = |lang| {
            Message::new("notify-mic-corrected-body")
                .arg("device", c.device.as_str())
                .part("what", c.what_message.clone())
                .part("why", c.why_message.clone())
                .text(lang)
        };
        assert_eq!(
            body(Language::En),
            format!("laptop name: muted, because {}.", c.why)
        );
        assert_eq!(
            body(Language::Es),
            "laptop name: silenciado, porque los micrófonos del portátil siguen silenciados en modo privado, porque siguen escuchando por si alguien llama a un asistente de voz."
        );
    }

    #[test]
    fn a_saved_prior_is_restored_after_a_crash() {
        let prior = Prior {
            default_id: Some("laptop".into()),
            muted: [("laptop".to_string(), false)].into_iter().collect(),
        };
        let mut g = Guard::new(prior);
        let d = g.decide(&view(true, "hs", true), false, Millis(0));
        assert_eq!(d.actions.len(), 2);
        assert!(!d.save_prior, "kept until the restore is seen done");
        let d = g.decide(&view(false, "laptop", true), false, Millis(10));
        assert!(d.save_prior && d.actions.is_empty());
    }
}
