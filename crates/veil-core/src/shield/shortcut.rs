//! The "shield now" keyboard shortcut as IT or the agent writes it: checked
//! and put in one canonical form, so a typo or a combination that would
//! take over typing or a system shortcut is refused with a reason before
//! anything is registered with the OS.

use std::fmt;
use std::str::FromStr;

/// The default: three modifiers and a letter, which no common desktop,
/// browser or office suite uses.
pub const DEFAULT_SHORTCUT: &str = "Ctrl+Alt+Shift+P";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shortcut {
    ctrl: bool,
    alt: bool,
    shift: bool,
    /// The Windows/Command key.
    super_key: bool,
    /// Cmd on macOS, Ctrl elsewhere.
    cmd_or_ctrl: bool,
    key: String,
}

const NAMED_KEYS: &[&str] = &[
    "Space",
    "Insert",
    "Delete",
    "Home",
    "End",
    "PageUp",
    "PageDown",
    "Pause",
    "ScrollLock",
];

/// Combinations the OS or desktop already owns.
const TAKEN: &[(&str, &str)] = &[
    ("Ctrl+Alt+Delete", "the system's security screen"),
    ("Ctrl+Alt+L", "the desktop's own screen lock"),
    ("Ctrl+Alt+T", "opening a terminal on Linux desktops"),
    ("Ctrl+Alt+D", "showing the desktop on Linux desktops"),
    ("Ctrl+Super+Q", "the macOS screen lock"),
    ("Shift+Super+3", "macOS screenshots"),
    ("Shift+Super+4", "macOS screenshots"),
    ("Shift+Super+5", "macOS screenshots"),
    ("Alt+Super+D", "hiding the macOS Dock"),
];

impl Shortcut {
    pub fn ctrl(&self) -> bool {
        self.ctrl
    }

    pub fn alt(&self) -> bool {
        self.alt
    }

    pub fn shift(&self) -> bool {
        self.shift
    }

    pub fn super_key(&self) -> bool {
        self.super_key
    }

    pub fn cmd_or_ctrl(&self) -> bool {
        self.cmd_or_ctrl
    }

    /// The key after the modifiers, in canonical form ("P", "F9", "PageUp").
    pub fn key(&self) -> &str {
        &self.key
    }

    fn modifiers(&self) -> usize {
        [
            self.ctrl,
            self.alt,
            self.shift,
            self.super_key,
            self.cmd_or_ctrl,
        ]
        .iter()
        .filter(|m| **m)
        .count()
    }
}

impl fmt::Display for Shortcut {
    /// Modifiers in a fixed order, then the key: also the form the OS
    /// registration understands.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (on, name) in [
            (self.cmd_or_ctrl, "CmdOrCtrl"),
            (self.ctrl, "Ctrl"),
            (self.alt, "Alt"),
            (self.shift, "Shift"),
            (self.super_key, "Super"),
        ] {
            if on {
                write!(f, "{name}+")?;
            }
        }
        f.write_str(&self.key)
    }
}

fn canonical_key(token: &str) -> Option<String> {
    let upper = token.to_ascii_uppercase();
    if upper.len() == 1 && upper.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Some(upper);
    }
    if let Some(n) = upper.strip_prefix('F').and_then(|n| n.parse::<u8>().ok()) {
        if (1..=24).contains(&n) && !upper[1..].starts_with('0') {
            return Some(format!("F{n}"));
        }
    }
    NAMED_KEYS
        .iter()
        .find(|k| k.eq_ignore_ascii_case(token))
        .map(|k| k.to_string())
}

/// Why a shortcut setting cannot be used (reads as the end of "key
/// `shield.shortcut`: ...").
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ShortcutError {
    #[error("empty shortcut")]
    Empty,
    #[error("\"{0}\" has an empty part")]
    EmptyPart(String),
    #[error("\"{0}\" is not a modifier; use Ctrl, Alt, Shift, Super or CmdOrCtrl, then one key")]
    NotAModifier(String),
    #[error("\"{modifier}\" appears twice in \"{shortcut}\"")]
    Twice { modifier: String, shortcut: String },
    #[error(
        "\"{key}\" is not a key Veil can use; use a letter, a digit, F1 to F24, or one of {named}"
    )]
    NotAKey { key: String, named: String },
    #[error("\"{0}\" would take the key away from other programs; use at least two modifiers, one of them Ctrl, Alt, Super or CmdOrCtrl")]
    TooFewModifiers(String),
    #[error("\"{0}\" switches to a text console on Linux")]
    ConsoleSwitch(String),
    #[error("\"{shortcut}\" is already used for {owner}")]
    Taken { shortcut: String, owner: String },
}

impl FromStr for Shortcut {
    type Err = ShortcutError;

    fn from_str(text: &str) -> Result<Self, ShortcutError> {
        let mut s = Shortcut {
            ctrl: false,
            alt: false,
            shift: false,
            super_key: false,
            cmd_or_ctrl: false,
            key: String::new(),
        };
        let tokens: Vec<&str> = text.split('+').map(str::trim).collect();
        let Some((key, modifiers)) = tokens.split_last() else {
            return Err(ShortcutError::Empty);
        };
        for m in modifiers {
            let flag = match m.to_ascii_lowercase().as_str() {
                "ctrl" | "control" => &mut s.ctrl,
                "alt" | "option" => &mut s.alt,
                "shift" => &mut s.shift,
                "super" | "cmd" | "command" | "meta" | "win" => &mut s.super_key,
                "cmdorctrl" | "commandorcontrol" => &mut s.cmd_or_ctrl,
                "" => return Err(ShortcutError::EmptyPart(text.into())),
                other => return Err(ShortcutError::NotAModifier(other.into())),
            };
            if *flag {
                return Err(ShortcutError::Twice {
                    modifier: (*m).into(),
                    shortcut: text.into(),
                });
            }
            *flag = true;
        }
        s.key = canonical_key(key).ok_or_else(|| ShortcutError::NotAKey {
            key: (*key).into(),
            named: NAMED_KEYS.join(", "),
        })?;
        let without_shift = s.modifiers() - usize::from(s.shift);
        if s.modifiers() < 2 || without_shift == 0 {
            return Err(ShortcutError::TooFewModifiers(text.into()));
        }
        let canonical = s.to_string();
        let function_key = s
            .key
            .strip_prefix('F')
            .and_then(|n| n.parse::<u8>().ok())
            .is_some_and(|n| n <= 12);
        let vt_switch = s.ctrl && s.alt && !s.shift && !s.super_key && function_key;
        if vt_switch {
            return Err(ShortcutError::ConsoleSwitch(canonical));
        }
        if let Some((_, owner)) = TAKEN.iter().find(|(t, _)| *t == canonical) {
            return Err(ShortcutError::Taken {
                shortcut: canonical,
                owner: (*owner).into(),
            });
        }
        Ok(s)
    }
}

/// The setting's value: `Ok(None)` when empty (no shortcut).
pub fn parse_setting(text: &str) -> Result<Option<Shortcut>, ShortcutError> {
    if text.trim().is_empty() {
        return Ok(None);
    }
    text.parse().map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shortcuts_are_checked_and_made_canonical() {
        // (written, canonical or the start of the reason)
        let rows: &[(&str, Result<&str, &str>)] = &[
            ("Ctrl+Alt+Shift+P", Ok("Ctrl+Alt+Shift+P")),
            ("shift + ctrl + alt + p", Ok("Ctrl+Alt+Shift+P")),
            ("Control+Option+F13", Ok("Ctrl+Alt+F13")),
            ("Ctrl+Alt+Shift+F9", Ok("Ctrl+Alt+Shift+F9")),
            ("Cmd+Shift+F12", Ok("Shift+Super+F12")),
            ("CmdOrCtrl+Shift+9", Ok("CmdOrCtrl+Shift+9")),
            ("Super+Alt+pagedown", Ok("Alt+Super+PageDown")),
            ("", Err("\"\" is not a key")),
            ("P", Err("\"P\" would take the key")),
            ("Ctrl+C", Err("\"Ctrl+C\" would take the key")),
            ("Shift+F5", Err("\"Shift+F5\" would take the key")),
            ("Ctrl+Ctrl+P", Err("\"Ctrl\" appears twice")),
            ("Ctrl+Hyper+P", Err("\"hyper\" is not a modifier")),
            ("Ctrl+Alt+PP", Err("\"PP\" is not a key")),
            ("Ctrl+Alt+F25", Err("\"F25\" is not a key")),
            ("Ctrl+Alt+F01", Err("\"F01\" is not a key")),
            ("Ctrl++P", Err("\"Ctrl++P\" has an empty part")),
            (
                "Ctrl+Alt+Delete",
                Err("\"Ctrl+Alt+Delete\" is already used"),
            ),
            ("alt+ctrl+l", Err("\"Ctrl+Alt+L\" is already used")),
            (
                "Ctrl+Alt+F2",
                Err("\"Ctrl+Alt+F2\" switches to a text console"),
            ),
            ("Cmd+Shift+4", Err("\"Shift+Super+4\" is already used")),
        ];
        for (text, want) in rows {
            let got = text.parse::<Shortcut>().map(|s| s.to_string());
            match (want, &got) {
                (Ok(w), Ok(g)) => assert_eq!(g, w, "{text}"),
                (Err(w), Err(g)) => assert!(g.to_string().starts_with(w), "{text}: {g}"),
                _ => panic!("{text}: wanted {want:?}, got {got:?}"),
            }
        }
    }

    #[test]
    fn empty_setting_means_no_shortcut_and_the_default_is_valid() {
        assert_eq!(parse_setting("  "), Ok(None));
        assert_eq!(
            parse_setting(DEFAULT_SHORTCUT).map(|s| s.map(|s| s.to_string())),
            Ok(Some(DEFAULT_SHORTCUT.to_string()))
        );
    }
}
