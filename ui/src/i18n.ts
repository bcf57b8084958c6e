// The agent's language in the windows: messages from the Project Fluent
// catalogs in locales/<lang>/ (the same files the Rust side reads; see
// crates/veil-core/src/i18n.rs), dates and numbers in that language's
// format. The language comes with every snapshot (the `language` setting,
// else the OS locale); until the first one arrives the document's own
// `lang`, else English.
import { FluentBundle, FluentResource, type FluentVariable } from "@fluent/bundle";
import enUi from "../../locales/en/ui.ftl?raw";
import enProblems from "../../locales/en/problems.ftl?raw";
import enPosture from "../../locales/en/posture.ftl?raw";
import esUi from "../../locales/es/ui.ftl?raw";
import esProblems from "../../locales/es/problems.ftl?raw";
import esPosture from "../../locales/es/posture.ftl?raw";
import type { Language, Message } from "./bindings";

/** The generated `Language` (crates/veil-core: settings), so a language
 * added on the Rust side makes `SOURCES` below fail to type-check. */
export type Lang = Language;

const SOURCES: Record<Lang, string[]> = {
  en: [enUi, enProblems, enPosture],
  es: [esUi, esProblems, esPosture],
};

function bundle(lang: Lang): FluentBundle {
  // No bidi isolation marks: the texts are plain, and tests read them.
  const b = new FluentBundle(lang, { useIsolating: false });
  for (const source of SOURCES[lang]) b.addResource(new FluentResource(source));
  return b;
}

const bundles: Record<Lang, FluentBundle> = { en: bundle("en"), es: bundle("es") };
let current: Lang = document.documentElement.lang === "es" ? "es" : "en";
const listeners: Array<() => void> = [];

export function language(): Lang {
  return current;
}

/** Switches the windows' language; returns whether it changed. */
export function setLanguage(lang: string): boolean {
  const next: Lang = Object.prototype.hasOwnProperty.call(SOURCES, lang) ? (lang as Lang) : "en";
  if (next === current) return false;
  current = next;
  document.documentElement.lang = next;
  translateDocument();
  for (const l of listeners) l();
  return true;
}

export function onLanguageChange(f: () => void): void {
  listeners.push(f);
}

export type Args = Record<string, FluentVariable>;

/** Whether the catalogs have a message (problems have one per code). */
export function has(key: string): boolean {
  return bundles.en.hasMessage(key);
}

/** A message in the current language, else English, else its key. */
export function t(key: string, args?: Args): string {
  for (const b of [bundles[current], bundles.en]) {
    const m = b.getMessage(key);
    if (m?.value) return b.formatPattern(m.value, args);
  }
  return key;
}

/** Sets the text of every element with a `data-i18n` message id (static
 * markup in the HTML files), and `data-i18n-label` as its aria-label. */
export function translateDocument(root: ParentNode = document): void {
  for (const el of Array.from(root.querySelectorAll<HTMLElement>("[data-i18n]"))) {
    el.textContent = t(el.dataset.i18n ?? "");
  }
  for (const el of Array.from(root.querySelectorAll<HTMLElement>("[data-i18n-label]"))) {
    el.setAttribute("aria-label", t(el.dataset.i18nLabel ?? ""));
  }
  const title = document.querySelector<HTMLElement>("title[data-i18n]");
  if (title) document.title = title.textContent ?? "";
}

/** A date in the agent's language ("martes, 1 de diciembre"). */
export function formatDate(ms: number, options: Intl.DateTimeFormatOptions): string {
  return new Date(ms).toLocaleDateString(current, options);
}

export function formatTime(ms: number): string {
  return new Date(ms).toLocaleTimeString(current, { hour: "2-digit", minute: "2-digit" });
}

export function formatNumber(n: number, options?: Intl.NumberFormatOptions): string {
  return new Intl.NumberFormat(current, options).format(n);
}

/** A message Veil sent (a device check's finding, a fix step) in the
 * current language: its id with its arguments, those that are messages
 * themselves formatted first. */
export function messageText(m: Message): string {
  const args: Args = {};
  for (const [k, v] of Object.entries(m.args)) {
    if (v === undefined) continue;
    args[k] = typeof v === "object" ? messageText(v) : v;
  }
  return t(m.key, args);
}

/** A problem's summary or message in the agent's language: the catalog's
 * `problem-<code>-<part>` with the problem's arguments (a part, such as a
 * device check's finding, in this language too), else the English text
 * Veil sent (every problem has one). */
export function problemText(
  p: {
    code: string;
    args: { [key in string]?: string };
    parts?: { [key in string]?: Message };
    summary: string;
    message: string;
  },
  part: "summary" | "message",
): string {
  const key = `problem-${p.code}-${part}`;
  if (!p.code || !has(key)) return p[part];
  const args: Args = {};
  for (const [k, v] of Object.entries(p.args)) if (v !== undefined) args[k] = v;
  for (const [k, v] of Object.entries(p.parts ?? {})) if (v !== undefined) args[k] = messageText(v);
  return t(key, args);
}
