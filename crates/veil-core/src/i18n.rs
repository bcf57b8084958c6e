//! The agent's language: which one is in force (the `language` setting, else
//! the OS locale), and the messages the Rust side shows the agent (tray
//! menu, notifications, the shield, problems, the CLI's words for agents),
//! from the Project Fluent catalogs in `locales/<lang>/`. The windows read
//! the same catalogs (ui/src/i18n.ts). Anything meant for scripts (JSON
//! fields, log lines, audit kinds, `--json` output) stays English.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A language Veil ships complete catalogs for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Language {
    En,
    Es,
}

impl Language {
    pub const ALL: [Language; 2] = [Language::En, Language::Es];

    /// The values the `language` setting takes besides `auto`.
    pub const CODES: [&'static str; 2] = ["en", "es"];

    pub fn code(self) -> &'static str {
        match self {
            Language::En => "en",
            Language::Es => "es",
        }
    }

    pub fn from_code(code: &str) -> Option<Language> {
        match code {
            "en" => Some(Language::En),
            "es" => Some(Language::Es),
            _ => None,
        }
    }

    /// The language of an OS locale name: POSIX (`es_MX.UTF-8`,
    /// `es_ES@euro`), BCP 47 (`es-419`, `en-US`) or bare (`es`). Anything
    /// Veil has no catalog for (and `C`/`POSIX`) is English.
    pub fn from_locale(locale: &str) -> Language {
        let lang = locale
            .split(['_', '-', '.', '@'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        Language::from_code(&lang).unwrap_or(Language::En)
    }

    /// The language in force: the setting (`auto`, `en`, `es`), where
    /// `auto` (or a value from a newer version) follows the OS locale.
    pub fn resolve(setting: &str, os_locale: Option<&str>) -> Language {
        Language::from_code(setting)
            .unwrap_or_else(|| os_locale.map(Language::from_locale).unwrap_or(Language::En))
    }
}

/// The catalogs the Rust side formats from, per language: `app.ftl` (tray,
/// notifications, shield, CLI), `problems.ftl` and `posture.ftl` (the
/// device checks' texts; both shared with the windows).
pub const CATALOGS: &[(Language, &str, &str)] = &[
    (
        Language::En,
        "app.ftl",
        include_str!("../../../locales/en/app.ftl"),
    ),
    (
        Language::En,
        "problems.ftl",
        include_str!("../../../locales/en/problems.ftl"),
    ),
    (
        Language::En,
        "posture.ftl",
        include_str!("../../../locales/en/posture.ftl"),
    ),
    (
        Language::Es,
        "app.ftl",
        include_str!("../../../locales/es/app.ftl"),
    ),
    (
        Language::Es,
        "problems.ftl",
        include_str!("../../../locales/es/problems.ftl"),
    ),
    (
        Language::Es,
        "posture.ftl",
        include_str!("../../../locales/es/posture.ftl"),
    ),
];

type Bundle = FluentBundle<FluentResource>;

fn bundles() -> &'static BTreeMap<Language, Bundle> {
    static BUNDLES: OnceLock<BTreeMap<Language, Bundle>> = OnceLock::new();
    BUNDLES.get_or_init(|| {
        let mut out = BTreeMap::new();
        for lang in Language::ALL {
            let id = lang.code().parse().unwrap_or_default();
            let mut bundle = Bundle::new_concurrent(vec![id]);
            // Plain text for menus and notifications: no bidi isolation marks.
            bundle.set_use_isolating(false);
            for (_, _, source) in CATALOGS.iter().filter(|(l, _, _)| *l == lang) {
                // A catalog that does not parse is caught by the catalog
                // test; at run time what parsed is used.
                let resource =
                    FluentResource::try_new(source.to_string()).unwrap_or_else(|(r, _)| r);
                let _ = bundle.add_resource(resource);
            }
            out.insert(lang, bundle);
        }
        out
    })
}

/// A message's arguments: names to values (strings or numbers).
pub type Args<'a> = [(&'a str, Arg<'a>)];

#[derive(Debug, Clone, Copy)]
pub enum Arg<'a> {
    Text(&'a str),
    Number(i64),
}

impl<'a> From<&'a str> for Arg<'a> {
    fn from(s: &'a str) -> Self {
        Arg::Text(s)
    }
}

impl<'a> From<&'a String> for Arg<'a> {
    fn from(s: &'a String) -> Self {
        Arg::Text(s)
    }
}

impl From<i64> for Arg<'_> {
    fn from(n: i64) -> Self {
        Arg::Number(n)
    }
}

impl From<usize> for Arg<'_> {
    fn from(n: usize) -> Self {
        Arg::Number(i64::try_from(n).unwrap_or(i64::MAX))
    }
}

/// A message to format later, in whichever language it is shown in: the
/// actor logs it in English and shows it in the agent's language. It also
/// crosses to the windows (a device check's finding and fix steps, a
/// problem's parts), which format it from the same catalogs
/// (ui/src/i18n.ts `messageText`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Message {
    pub key: String,
    pub args: BTreeMap<String, MessageArg>,
}

/// One argument of a [`Message`]: a number (plurals select on it), a text
/// shown as it is (what Veil observed: a name, a path, an error from the
/// OS), or a message of its own, formatted in the same language first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(untagged)]
pub enum MessageArg {
    Number(i64),
    Text(String),
    Message(Box<Message>),
}

impl Message {
    pub fn new(key: impl Into<String>) -> Self {
        Self {
            key: key.into(),
            args: BTreeMap::new(),
        }
    }

    pub fn arg(mut self, name: &str, value: impl Into<String>) -> Self {
        self.args
            .insert(name.to_string(), MessageArg::Text(value.into()));
        self
    }

    pub fn number(mut self, name: &str, value: impl Into<i64>) -> Self {
        self.args
            .insert(name.to_string(), MessageArg::Number(value.into()));
        self
    }

    /// An argument that is a message itself.
    pub fn part(mut self, name: &str, value: Message) -> Self {
        self.args
            .insert(name.to_string(), MessageArg::Message(Box::new(value)));
        self
    }

    pub fn text(&self, lang: Language) -> String {
        let mut args = FluentArgs::new();
        for (name, value) in &self.args {
            match value {
                MessageArg::Number(n) => args.set(name.as_str(), FluentValue::from(*n)),
                MessageArg::Text(s) => args.set(name.as_str(), FluentValue::from(s.as_str())),
                MessageArg::Message(m) => args.set(name.as_str(), FluentValue::from(m.text(lang))),
            }
        }
        format(lang, &self.key, &args)
    }
}

/// Whether the catalogs have this message (in English, which every other
/// language matches: the catalog test).
pub fn has(key: &str) -> bool {
    bundles()
        .get(&Language::En)
        .is_some_and(|b| b.has_message(key))
}

/// Formats a message in `lang`, falling back to English, then to the key
/// itself (never an empty string, never a panic).
pub fn tr(lang: Language, key: &str, args: &Args) -> String {
    let mut fluent_args = FluentArgs::new();
    for (name, value) in args {
        match value {
            Arg::Text(s) => fluent_args.set(*name, FluentValue::from(*s)),
            Arg::Number(n) => fluent_args.set(*name, FluentValue::from(*n)),
        }
    }
    format(lang, key, &fluent_args)
}

fn format(lang: Language, key: &str, args: &FluentArgs) -> String {
    for l in [lang, Language::En] {
        let Some(bundle) = bundles().get(&l) else {
            continue;
        };
        let Some(pattern) = bundle.get_message(key).and_then(|m| m.value()) else {
            continue;
        };
        let mut errors = vec![];
        let text = bundle.format_pattern(pattern, Some(args), &mut errors);
        return text.into_owned();
    }
    key.to_string()
}

/// Every message id in a catalog's source, in order (for the catalog test
/// and for tools).
pub fn message_ids(source: &str) -> Vec<String> {
    let resource = FluentResource::try_new(source.to_string()).unwrap_or_else(|(r, _)| r);
    resource
        .entries()
        .filter_map(|e| match e {
            fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_string()),
            _ => None,
        })
        .collect()
}

/// The errors a catalog's source has, as text (empty when it parses).
pub fn parse_errors(source: &str) -> Vec<String> {
    match FluentResource::try_new(source.to_string()) {
        Ok(_) => vec![],
        Err((_, errors)) => errors.iter().map(|e| format!("{e:?}")).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_language_follows_the_setting_then_the_os_locale() {
        let table: &[(&str, Option<&str>, Language)] = &[
            ("auto", Some("es_MX.UTF-8"), Language::Es),
            ("auto", Some("es-419"), Language::Es),
            ("auto", Some("es_ES@euro"), Language::Es),
            ("auto", Some("en_GB.UTF-8"), Language::En),
            ("auto", Some("pt_BR.UTF-8"), Language::En),
            ("auto", Some("C"), Language::En),
            ("auto", Some("POSIX"), Language::En),
            ("auto", Some(""), Language::En),
            ("auto", None, Language::En),
            ("es", Some("en_US.UTF-8"), Language::Es),
            ("en", Some("es_MX.UTF-8"), Language::En),
            ("fr", Some("es_MX.UTF-8"), Language::Es),
        ];
        for (setting, locale, want) in table {
            assert_eq!(
                Language::resolve(setting, *locale),
                *want,
                "{setting} with {locale:?}"
            );
        }
    }

    #[test]
    fn messages_format_with_arguments_and_fall_back_to_english_then_the_key() {
        assert_eq!(tr(Language::En, "tray-open", &[]), "Open Veil");
        assert_eq!(tr(Language::Es, "tray-open", &[]), "Abrir Veil");
        assert_eq!(
            tr(
                Language::Es,
                "tray-attention-many",
                &[("count", 3usize.into())]
            ),
            "Requiere atención: 3 problemas"
        );
        assert_eq!(tr(Language::Es, "no-such-message", &[]), "no-such-message");
    }
}
