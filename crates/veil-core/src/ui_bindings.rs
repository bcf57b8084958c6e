//! The front end's TypeScript bindings (`ui/src/bindings.ts`), generated
//! from the Rust types with ts-rs and from the window call table
//! ([`crate::for_each_window_call!`]): every type the windows receive, one
//! typed function per window call, and one listener per event. The windows
//! have no hand-written copy of a Rust type.
//!
//! A test compares the file with what this generates, so a Rust change the
//! front end does not follow fails CI. To regenerate:
//! `VEIL_BLESS=1 cargo test -p veil-core --lib ui_bindings`.

use std::any::TypeId;
use std::collections::{BTreeMap, HashSet};

use ts_rs::{TypeVisitor, TS};

use crate::window_calls::{describe_calls, events, Call, CallSink};

/// The file's contents.
pub fn typescript() -> String {
    let mut b = Bindings::default();
    describe_calls(&mut b);
    b.event::<crate::status::Snapshot>("onSnapshot", events::SNAPSHOT);
    b.event::<crate::mic::MicLevel>("onMicLevel", events::MIC_LEVEL);
    b.event::<u64>("onShieldCountdown", events::SHIELD_COUNTDOWN);
    b.render()
}

fn config() -> ts_rs::Config {
    // Every integer Veil sends fits a JavaScript number (times are Unix ms).
    ts_rs::Config::new().with_large_int("number")
}

#[derive(Default)]
struct Bindings {
    seen: HashSet<TypeId>,
    /// Declarations by type name, so the file's order is stable.
    types: BTreeMap<String, String>,
    functions: Vec<String>,
}

impl Bindings {
    /// Declares `T` and everything it refers to.
    fn declare<T: TS + 'static + ?Sized>(&mut self) {
        if !self.seen.insert(TypeId::of::<T>()) {
            // Seen already: a type may hold itself (`Message`, through a
            // map and a `Box`, which ts-rs looks through).
            return;
        }
        if T::output_path().is_none() {
            // A primitive or a container: only what it holds is declared.
            T::visit_dependencies(self);
            return;
        }
        let cfg = config();
        let docs = T::docs()
            .map(|d| format!("{}\n", d.trim_end()))
            .unwrap_or_default();
        self.types
            .insert(T::name(&cfg), format!("{docs}export {}", T::decl(&cfg)));
        T::visit_dependencies(self);
    }

    fn event<T: TS + 'static>(&mut self, function: &str, event: &str) {
        self.declare::<T>();
        let ty = T::name(&config());
        self.functions.push(format!(
            "/** Calls `f` with each `{event}` event. */\n\
             export const {function} = (f: (payload: {ty}) => void): Promise<UnlistenFn> =>\n  \
             listen<{ty}>({event:?}, (e) => f(e.payload));\n"
        ));
    }

    fn render(&self) -> String {
        let mut out = String::from(
            "// Generated from Veil's Rust types and its window call table\n\
             // (crates/veil-core/src/window_calls.rs, ui_bindings.rs). Do not edit:\n\
             // VEIL_BLESS=1 cargo test -p veil-core --lib ui_bindings\n\
             // regenerates it, and that test fails while it is stale.\n\n\
             import { invoke } from \"@tauri-apps/api/core\";\n\
             import { listen, type UnlistenFn } from \"@tauri-apps/api/event\";\n",
        );
        for decl in self.types.values() {
            out.push('\n');
            out.push_str(decl);
            out.push('\n');
        }
        for f in &self.functions {
            out.push('\n');
            out.push_str(f);
        }
        out
    }
}

impl TypeVisitor for Bindings {
    fn visit<T: TS + 'static + ?Sized>(&mut self) {
        self.declare::<T>();
    }
}

impl CallSink for Bindings {
    fn ts_config(&self) -> ts_rs::Config {
        config()
    }

    fn call<C: Call + TS + 'static>(&mut self, docs: &str, args: &[&str], arg_types: &[String]) {
        // The argument struct itself is not declared: its fields are the
        // function's parameters.
        C::visit_dependencies(self);
        self.declare::<C::Output>();
        let output = match <C::Output as TS>::name(&config()).as_str() {
            "null" => "void".to_string(),
            other => other.to_string(),
        };
        let params: Vec<String> = args
            .iter()
            .zip(arg_types)
            .map(|(a, t)| format!("{}: {t}", camel(a)))
            .collect();
        let passed = if args.is_empty() {
            String::new()
        } else {
            let fields: Vec<String> = args
                .iter()
                .map(|a| match camel(a) {
                    c if c == *a => c,
                    c => format!("{a}: {c}"),
                })
                .collect();
            format!(", {{ {} }}", fields.join(", "))
        };
        let doc: Vec<&str> = docs
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        self.functions.push(format!(
            "/** {} */\nexport const {} = ({}): Promise<{output}> =>\n  invoke({:?}{passed});\n",
            doc.join(" "),
            camel(C::NAME),
            params.join(", "),
            C::NAME,
        ));
    }
}

/// `took_ms` -> `tookMs`.
fn camel(snake: &str) -> String {
    let mut out = String::new();
    let mut upper = false;
    for c in snake.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn checked_in() -> std::path::PathBuf {
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../ui/src/bindings.ts")
    }

    #[test]
    fn ui_bindings_are_current() {
        let fresh = typescript();
        let path = checked_in();
        if std::env::var_os("VEIL_BLESS").is_some() {
            std::fs::write(&path, &fresh).unwrap();
            return;
        }
        let current = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            current == fresh,
            "{} is stale: a Rust type or window call changed. Regenerate it with \
             `VEIL_BLESS=1 cargo test -p veil-core --lib ui_bindings` and update the front end.",
            path.display()
        );
    }

    #[test]
    fn every_window_call_has_a_typed_function() {
        let ts = typescript();
        for name in crate::window_calls::WindowCall::NAMES {
            let f = format!("export const {} = (", camel(name));
            assert!(ts.contains(&f), "no binding for {name}");
            assert!(ts.contains(&format!("invoke({name:?}")), "{name}");
        }
        assert!(ts.contains("export type Snapshot = "));
        assert!(ts.contains(
            "export const answerQuestion = (question: string, chosen: Array<string>): Promise<AnswerOutcome>"
        ));
    }

    #[test]
    fn names_are_camel_cased() {
        assert_eq!(camel("took_ms"), "tookMs");
        assert_eq!(camel("get_snapshot"), "getSnapshot");
        assert_eq!(camel("on"), "on");
    }
}
