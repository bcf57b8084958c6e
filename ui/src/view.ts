// What the main window shows for a snapshot. Rendering only: every decision
// was made by the app before the snapshot was sent.
import { h, shieldIcon } from "./dom";
import { formatDate, formatTime, has, language, messageText, problemText, t } from "./i18n";
import type {
  About,
  CameraStatus,
  CheckId,
  CheckResult,
  CheckStatus,
  Fix,
  PostureStatus,
  DestinationStatus,
  Entry,
  FleetStatus,
  FileStatus,
  MicLevel,
  MicStatus,
  Overall,
  ShieldStatus,
  Snapshot,
  Status,
  StoreStatus,
  TrainingStatus,
  Trust,
  Value as SettingValue,
} from "./bindings";

/** A word from a table of message ids, else the value itself. */
function labelOf(ids: Record<string, string>, value: string): string {
  return Object.prototype.hasOwnProperty.call(ids, value) ? t(ids[value]) : value;
}

export interface StateCopy {
  title: string;
  detail: string;
  mark: "check" | "alert" | "off";
}

export function stateCopy(status: Status): StateCopy {
  const byState: Record<Overall, StateCopy> = {
    protected: {
      title: t("state-protected-title"),
      detail: t("state-protected-detail"),
      mark: "check",
    },
    attention: {
      title: t("state-attention-title"),
      detail: t("state-attention-detail", { count: status.problems.length }),
      mark: "alert",
    },
    off: {
      title: t("state-off-title"),
      detail: t("state-off-detail"),
      mark: "off",
    },
  };
  return byState[status.state];
}

export function fileStateText(f: FileStatus, missing: string): string {
  switch (f.state) {
    case "missing":
      return missing;
    case "loaded":
      return t("file-loaded");
    case "rejected":
      return t("file-rejected");
  }
}

/** Message ids of the parts of Veil a problem comes from. */
const SOURCE_LABEL: Record<string, string> = {
  microphone: "source-microphone",
  camera: "source-camera",
  shield: "source-shield",
  policy: "source-policy",
  settings: "source-settings",
  store: "source-store",
  fleet: "source-fleet",
  posture: "source-posture",
};

export function storeText(store: StoreStatus): string {
  switch (store.state) {
    case "ok":
      return store.key_storage === "credential_store" ? t("store-ok-credential-store") : t("store-ok-key-file");
    case "unavailable":
      return t("store-unavailable");
    case "starting":
      return t("store-starting");
  }
}

/** One line on what the microphone guard is doing. */
export function micSummary(m: MicStatus, privacyOn: boolean): { text: string; tone: "ok" | "alert" | "off" } {
  if (m.connection === "starting") return { text: t("mic-starting"), tone: "off" };
  if (m.connection === "disconnected") return { text: t("mic-disconnected"), tone: privacyOn ? "alert" : "off" };
  if (!privacyOn) return { text: t("mic-not-guarded"), tone: "off" };
  if (!m.headset) return { text: t("mic-no-headset"), tone: "alert" };
  if (m.contested) return { text: t("mic-contested"), tone: "alert" };
  return { text: t("mic-speaking-through", { headset: m.headset }), tone: "ok" };
}

export interface MicCheckView {
  level: MicLevel | null;
  onStart: () => void;
  onStop: () => void;
}

function micCard(s: Status, check: MicCheckView): HTMLElement {
  const m = s.microphone;
  const summary = micSummary(m, s.privacy_mode === "on");
  const running = check.level?.state === "running";
  const button = h(
    "button",
    { type: "button", id: "mic-check-button", class: "button" },
    running ? t("mic-check-stop") : t("mic-check-start"),
  );
  button.addEventListener("click", () => (running ? check.onStop() : check.onStart()));
  const level = check.level;
  const meterNote =
    level?.state === "running"
      ? t("mic-check-speak-now", { device: level.device })
      : level?.state === "failed"
        ? level.message
        : t("mic-check-hint");
  return h(
    "section",
    { class: "card", id: "mic-card", "aria-labelledby": "mic-title" },
    h("h3", { class: "card-title", id: "mic-title" }, t("mic-title")),
    h("p", { class: `mic-summary tone-${summary.tone}`, id: "mic-summary" }, summary.text),
    m.connection === "connected"
      ? h(
          "dl",
          { class: "facts" },
          h("dt", {}, t("mic-default")),
          h("dd", { id: "mic-default" }, m.default ?? t("none")),
          h("dt", {}, t("mic-muted")),
          h("dd", { id: "mic-muted" }, m.muted.length ? m.muted.join(", ") : t("none")),
        )
      : null,
    h(
      "div",
      { class: "mic-check" },
      h("meter", {
        id: "mic-level",
        min: 0,
        max: 1,
        low: 0.05,
        high: 0.9,
        optimum: 0.3,
        value: level?.state === "running" ? level.level : 0,
        "aria-label": t("mic-level-label"),
      }),
      button,
    ),
    h("p", { class: "muted", id: "mic-check-note" }, meterNote),
  );
}

/** Program file name, as people know it. */
function appOf(exe: string): string {
  const base = exe.split(/[\\/]/).pop() ?? exe;
  return base.replace(/\.exe$/i, "") || t("program-unnamed");
}

export interface LiveUse {
  text: string;
  allowed: boolean;
}

/** Every use in progress, one line each: "chrome is using Integrated Camera". */
/** A program as the agent should read it: one only its own word names is
 * unknown; a copy in a folder the agent can write is said to be one. */
export function programOf(exe: string, trust: Trust): string {
  if (trust === "claimed") return t("program-unknown");
  if (trust === "untrusted_location") return t("program-untrusted-location", { app: appOf(exe) });
  return appOf(exe);
}

export function liveUses(c: CameraStatus): LiveUse[] {
  const out: LiveUse[] = [];
  for (const d of c.devices) {
    for (const u of d.users) {
      out.push({ text: t("camera-live-camera", { program: programOf(u.exe, u.trust), device: d.name }), allowed: u.allowed });
    }
  }
  for (const u of c.microphone_users) {
    out.push({ text: t("camera-live-microphone", { program: programOf(u.exe, u.trust), device: u.device }), allowed: u.allowed });
  }
  return out;
}

export function cameraSummary(c: CameraStatus): { text: string; tone: "ok" | "alert" | "off" } {
  if (c.detection === "degraded") {
    return c.sources.length === 0
      ? { text: t("camera-starting"), tone: "off" }
      : { text: t("camera-degraded", { why: c.message ?? t("unknown-reason") }), tone: "alert" };
  }
  const live = liveUses(c);
  if (live.length === 0) return { text: t("camera-idle"), tone: "ok" };
  if (live.some((u) => !u.allowed)) return { text: t("camera-unapproved"), tone: "alert" };
  return { text: t("camera-approved"), tone: "ok" };
}

export function trainingSummary(s: Pick<TrainingStatus, "modules" | "completed" | "due" | "next_quiz_in_seconds" | "quiz_held">): string {
  const parts = [t("training-modules-completed", { completed: s.completed, modules: s.modules })];
  if (s.due > 0) parts.push(t("training-due", { count: s.due }));
  const min = s.next_quiz_in_seconds === null ? null : Math.ceil(s.next_quiz_in_seconds / 60);
  if (s.quiz_held === "call") {
    parts.push(t("training-next-quiz-after-call"));
  } else if (s.quiz_held === "snoozed" && min !== null) {
    parts.push(min <= 1 ? t("training-quiz-postponed-minute") : t("training-quiz-postponed", { minutes: min }));
  } else if (min !== null && s.quiz_held !== "nothing_to_ask") {
    parts.push(min <= 1 ? t("training-next-quiz-soon") : t("training-next-quiz-in", { minutes: min }));
  }
  return parts.join(" · ");
}

function trainingCard(s: Status, onOpen: () => void): HTMLElement {
  const open = h("button", { type: "button", class: "button", id: "open-training" }, t("training-open"));
  open.addEventListener("click", onOpen);
  return h(
    "section",
    { class: "card", id: "training-card", "aria-labelledby": "training-title" },
    h("h3", { class: "card-title", id: "training-title" }, t("training-title")),
    h("p", { id: "training-summary" }, trainingSummary(s.training)),
    s.training.errors.length
      ? h("p", { class: "tone-alert small", id: "training-errors" }, t("training-load-errors", { errors: s.training.errors.join("; ") }))
      : null,
    open,
  );
}

const DESTINATION_LABEL: Record<DestinationStatus["kind"], string> = {
  otlp: "fleet-destination-otlp",
  syslog: "fleet-destination-syslog",
};

/** The fleet card's sentence: whether the organization gets the records. */
export function fleetSummary(f: FleetStatus): { text: string; tone: "ok" | "alert" | "off" } | null {
  const d = f.destinations;
  if (d.length === 0) return null;
  if (d.every((x) => x.state === "connected")) {
    return { text: t("fleet-connected"), tone: "ok" };
  }
  if (d.some((x) => x.state === "parked")) return { text: t("fleet-parked"), tone: "alert" };
  if (d.some((x) => x.state === "retrying")) return { text: t("fleet-retrying"), tone: "alert" };
  return { text: t("fleet-starting"), tone: "off" };
}

function destinationLine(d: DestinationStatus): HTMLElement {
  const parts: string[] = [];
  if (d.state === "connected") parts.push(t("fleet-state-connected"));
  if (d.state === "retrying") parts.push(t("fleet-state-retrying"));
  if (d.state === "parked") parts.push(t("fleet-state-parked"));
  if (d.state === "off") parts.push(t("fleet-state-off"));
  if (d.queued > 0) parts.push(t("fleet-queued", { count: d.queued }));
  if (d.last_delivered_at !== null) parts.push(t("fleet-last-delivered", { time: clock(d.last_delivered_at) }));
  return h(
    "li",
    { class: "destination", "data-kind": d.kind, "data-state": d.state },
    h(
      "span",
      { class: "destination-name" },
      t("fleet-destination", { kind: labelOf(DESTINATION_LABEL, d.kind), endpoint: d.endpoint }),
    ),
    h("span", { class: "muted small" }, ` — ${parts.join(", ")}`),
    d.last_error && d.state !== "connected" ? h("code", { class: "problem-message" }, d.last_error) : null,
  );
}

function fleetCard(f: FleetStatus): HTMLElement | null {
  const summary = fleetSummary(f);
  if (!summary) return null;
  return h(
    "section",
    { class: "card", id: "fleet-card", "aria-labelledby": "fleet-title" },
    h("h3", { class: "card-title", id: "fleet-title" }, t("fleet-title")),
    h("p", { id: "fleet-summary", class: `tone-${summary.tone}`, "data-tone": summary.tone }, summary.text),
    h("ul", { class: "destination-list" }, ...f.destinations.map(destinationLine)),
    h(
      "p",
      { class: "muted small" },
      t("fleet-what-is-sent"),
    ),
  );
}

/** What the "This computer" card can ask for. */
export interface PostureActions {
  onCheck: () => void;
  onOpenSettings: (check: CheckId) => void;
}

const RESULT_LABEL: Record<CheckResult, string> = {
  pass: "posture-result-pass",
  fail: "posture-result-fail",
  unknown: "posture-result-unknown",
  not_applicable: "posture-result-not-applicable",
};

/** The card's sentence: are the required checks met? */
export function postureSummary(p: PostureStatus, nowMs: number): { text: string; tone: "ok" | "alert" | "off" } {
  if (p.checks.length === 0) return { text: t("posture-starting"), tone: "off" };
  const failing = p.checks.filter((c) => c.required && c.result === "fail");
  const overdue = failing.filter((c) => c.fix_by === null || c.fix_by <= nowMs);
  if (overdue.length > 0) {
    return { text: t("posture-overdue", { count: overdue.length }), tone: "alert" };
  }
  if (failing.length > 0) {
    const by = Math.min(...failing.map((c) => c.fix_by ?? nowMs));
    return { text: t("posture-fix-by-date", { date: day(by) }), tone: "alert" };
  }
  const advice = p.checks.filter((c) => !c.required && c.result === "fail").length;
  return { text: advice > 0 ? t("posture-compliant-with-advice") : t("posture-compliant"), tone: "ok" };
}

/** Order: what needs fixing first, then what could not be checked, then the rest. */
function postureOrder(c: CheckStatus): number {
  if (c.result === "fail") return c.required ? 0 : 1;
  if (c.result === "unknown") return 2;
  return c.result === "pass" ? 3 : 4;
}

function postureCheck(c: CheckStatus, nowMs: number, actions: PostureActions): HTMLElement {
  const badge = c.required ? t("posture-required") : t("posture-advice");
  const status =
    c.result === "fail" && c.required && c.fix_by !== null && c.fix_by > nowMs
      ? t("posture-fix-by", { date: day(c.fix_by) })
      : labelOf(RESULT_LABEL, c.result);
  const fix = c.fix && c.result === "fail" ? c.fix : null;
  const open =
    fix && fix.settings_label_message
      ? h(
          "button",
          { class: "button secondary", type: "button", "data-open-settings": c.id },
          messageText(fix.settings_label_message),
        )
      : null;
  open?.addEventListener("click", () => actions.onOpenSettings(c.id));
  return h(
    "li",
    { class: "check", id: `check-${c.id}`, "data-result": c.result, "data-required": String(c.required) },
    h(
      "div",
      { class: "check-head" },
      h("span", { class: "check-title" }, messageText(c.title_message)),
      h("span", { class: `check-result result-${c.result}` }, status),
      h("span", { class: "muted small" }, ` · ${badge}`),
    ),
    h("p", { class: "check-detail" }, messageText(c.detail_message)),
    c.result === "fail" ? h("p", { class: "muted small check-why" }, messageText(c.why_message)) : null,
    fix ? fixDetails(c, fix, open) : null,
  );
}

/** Advice the agent unfolded stays unfolded across re-renders. */
const unfoldedFixes = new Set<CheckId>();

function fixDetails(c: CheckStatus, fix: Fix, open: HTMLElement | null): HTMLElement {
  // Required fixes are open; advice stays folded so the card stays short.
  const details = h(
    "details",
    { class: "check-fix", open: c.required || unfoldedFixes.has(c.id) },
    h("summary", { class: "small check-fix-title" }, t("posture-how-to-fix")),
    h("ol", { class: "check-steps" }, ...fix.step_messages.map((step) => h("li", {}, messageText(step)))),
    open,
  );
  details.addEventListener("toggle", () => {
    if (details.open) unfoldedFixes.add(c.id);
    else unfoldedFixes.delete(c.id);
  });
  return details;
}

function postureCard(p: PostureStatus, actions: PostureActions, nowMs = Date.now()): HTMLElement {
  const summary = postureSummary(p, nowMs);
  const again = h(
    "button",
    { class: "button secondary", type: "button", id: "posture-check-again", disabled: p.checking },
    p.checking ? t("posture-checking") : t("posture-check-again"),
  );
  again.addEventListener("click", () => actions.onCheck());
  const checks = [...p.checks].filter((c) => c.result !== "not_applicable" || c.required);
  checks.sort((a, b) => postureOrder(a) - postureOrder(b));
  return h(
    "section",
    { class: "card", id: "posture-card", "aria-labelledby": "posture-title" },
    h(
      "div",
      { class: "card-head" },
      h("h3", { class: "card-title", id: "posture-title" }, t("posture-title")),
      again,
    ),
    h("p", { id: "posture-summary", class: `posture-summary tone-${summary.tone}`, "data-tone": summary.tone, "aria-live": "polite" }, summary.text),
    h("ul", { class: "check-list" }, ...checks.map((c) => postureCheck(c, nowMs, actions))),
    p.checked_at !== null ? h("p", { class: "muted small" }, t("posture-last-checked", { time: clock(p.checked_at) })) : null,
  );
}

function day(ms: number): string {
  return formatDate(ms, { weekday: "long", day: "numeric", month: "long" });
}

function clock(ms: number): string {
  return formatTime(ms);
}

function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return t("duration-seconds", { seconds: s });
  const m = Math.floor(s / 60);
  return m < 60
    ? t("duration-minutes", { minutes: m })
    : t("duration-hours-minutes", { hours: Math.floor(m / 60), minutes: m % 60 });
}

/** Message ids of what a recorded use was of. */
const USE_KIND: Record<string, string> = {
  camera: "camera-use-kind-camera",
  microphone: "camera-use-kind-microphone",
};

function cameraCard(c: CameraStatus): HTMLElement {
  const summary = cameraSummary(c);
  const live = liveUses(c);
  const recent = c.recent.slice(0, 5);
  return h(
    "section",
    { class: "card", id: "camera-card", "aria-labelledby": "camera-title" },
    h("h3", { class: "card-title", id: "camera-title" }, t("camera-title")),
    h("p", { class: `mic-summary tone-${summary.tone}`, id: "camera-summary" }, summary.text),
    live.length
      ? h(
          "ul",
          { class: "live-uses", id: "camera-live" },
          ...live.map((u) =>
            h(
              "li",
              { class: u.allowed ? "" : "tone-alert" },
              u.text,
              h("span", { class: "muted small" }, ` — ${u.allowed ? t("camera-live-approved") : t("camera-live-not-approved")}`),
            ),
          ),
        )
      : null,
    h(
      "dl",
      { class: "facts" },
      h("dt", {}, t("camera-devices")),
      h("dd", { id: "camera-devices" }, c.devices.length ? c.devices.map((d) => d.name).join(", ") : t("camera-devices-none")),
      c.cover ? h("dt", {}, t("camera-cover")) : null,
      c.cover
        ? h(
            "dd",
            { id: "camera-cover" },
            t(c.cover.covered ? "camera-cover-covered" : "camera-cover-open", { time: clock(c.cover.checked_at) }),
          )
        : null,
    ),
    h("h4", { class: "card-subtitle" }, t("camera-recent")),
    recent.length
      ? h(
          "ol",
          { class: "recent-uses", id: "camera-recent" },
          ...recent.map((r) =>
            h(
              "li",
              {},
              t("camera-recent-entry", {
                app: r.app,
                kind: labelOf(USE_KIND, r.kind),
                device: r.device_name,
                time: clock(r.started),
                duration: duration((r.stopped ?? r.started) - r.started),
              }),
            ),
          ),
        )
      : h("p", { class: "muted", id: "camera-recent" }, t("camera-recent-none")),
  );
}

/** Message ids of the ways Veil can tell that the agent stepped away. */
const IDLE_SOURCE: Record<ShieldStatus["idle_source"], string> = {
  x11: "shield-idle-source-x11",
  windows: "shield-idle-source-windows",
  macos: "shield-idle-source-macos",
  mutter: "shield-idle-source-mutter",
  "ext-idle-notify": "shield-idle-source-ext-idle-notify",
  none: "shield-idle-source-none",
};

/** The shield card's summary line and its tone. */
export function shieldSummary(s: ShieldStatus): { text: string; tone: "ok" | "alert" | "muted" } {
  if (s.idle_source === "none") {
    return { text: t("shield-no-idle-source"), tone: "alert" };
  }
  if (!s.enabled) return { text: t("shield-off"), tone: "muted" };
  return { text: t("shield-on"), tone: "ok" };
}

function shortcutText(s: ShieldStatus): string {
  const k = s.shortcut;
  if (!k.keys) return t("none");
  if (k.registered) return k.message ? t("shield-shortcut-note", { keys: k.keys, note: k.message }) : k.keys;
  return t("shield-shortcut-unavailable", { keys: k.keys, why: k.message ?? t("unknown-reason") });
}

function shieldCard(s: ShieldStatus, onShieldNow: () => void): HTMLElement {
  const summary = shieldSummary(s);
  const now = h("button", { type: "button", class: "button", id: "shield-now" }, t("shield-now"));
  now.addEventListener("click", onShieldNow);
  return h(
    "section",
    { class: "card", id: "shield-card", "aria-labelledby": "shield-title" },
    h("h3", { class: "card-title", id: "shield-title" }, t("shield-title")),
    h("p", { class: `mic-summary tone-${summary.tone}`, id: "shield-summary" }, summary.text),
    s.message ? h("p", { class: "muted small", id: "shield-message" }, s.message) : null,
    h(
      "dl",
      { class: "facts" },
      h("dt", {}, t("shield-shortcut")),
      h("dd", { id: "shield-shortcut", class: s.shortcut.keys && !s.shortcut.registered ? "tone-alert" : "" }, shortcutText(s)),
      h("dt", {}, t("shield-away-detection")),
      h("dd", { id: "shield-source" }, labelOf(IDLE_SOURCE, s.idle_source)),
    ),
    now,
  );
}

export function renderDashboard(
  snap: Snapshot,
  onPrivacy: (on: boolean) => void,
  check: MicCheckView = { level: null, onStart: () => {}, onStop: () => {} },
  onTraining: () => void = () => {},
  onShieldNow: () => void = () => {},
  posture: PostureActions = { onCheck: () => {}, onOpenSettings: () => {} },
): HTMLElement {
  const s = snap.status;
  const copy = stateCopy(s);
  const on = s.privacy_mode === "on";
  const toggle = h("input", {
    type: "checkbox",
    role: "switch",
    id: "privacy-toggle",
    class: "switch",
    "aria-describedby": "privacy-help",
    checked: on,
    disabled: s.privacy_mode_locked && on,
  });
  toggle.addEventListener("change", () => onPrivacy(toggle.checked));

  const hero = h(
    "section",
    { class: `hero tone-${s.state}`, "aria-live": "polite", id: "state-card", "data-state": s.state },
    h("div", { class: "hero-icon" }, shieldIcon(copy.mark)),
    h(
      "div",
      { class: "hero-text" },
      h("h2", { id: "state-title" }, copy.title),
      h("p", {}, copy.detail),
    ),
  );

  const privacy = h(
    "section",
    { class: "card row" },
    h(
      "div",
      {},
      h("label", { for: "privacy-toggle", class: "card-title" }, t("privacy-mode")),
      h("p", { id: "privacy-help", class: "muted" }, s.privacy_mode_locked ? t("privacy-mode-locked-help") : t("privacy-mode-help")),
    ),
    h(
      "div",
      { class: "switch-wrap" },
      s.privacy_mode_locked ? lockBadge() : null,
      toggle,
      h("span", { class: "switch-label", id: "privacy-state" }, on ? t("privacy-mode-on") : t("privacy-mode-off")),
    ),
  );

  const problems =
    s.problems.length === 0
      ? null
      : h(
          "section",
          { class: "card", id: "problems", "aria-label": t("problems-label") },
          h("h3", { class: "card-title" }, t("problems-title")),
          h(
            "ul",
            { class: "problem-list" },
            ...s.problems.map((p) =>
              h(
                "li",
                { class: "problem" },
                h("span", { class: "problem-source" }, labelOf(SOURCE_LABEL, p.source)),
                h("code", { class: "problem-message" }, problemText(p, "message")),
              ),
            ),
          ),
        );

  const config = h(
    "section",
    { class: "card" },
    h("h3", { class: "card-title" }, t("config-title")),
    h(
      "dl",
      { class: "facts" },
      h("dt", {}, t("config-policy")),
      h("dd", { id: "policy-state" }, fileStateText(s.policy_file, t("config-policy-missing"))),
      h("dt", {}, t("config-settings")),
      h("dd", {}, fileStateText(s.settings_file, t("config-settings-missing"))),
      h("dt", {}, t("config-store")),
      h("dd", { id: "store-state", "data-state": s.store.state }, storeText(s.store)),
    ),
    s.store.kept_aside
      ? h(
          "p",
          { class: "notice", id: "store-kept-aside" },
          `${t("config-store-kept-aside")} `,
          h("code", {}, s.store.kept_aside),
        )
      : null,
  );

  return h(
    "div",
    { class: "page" },
    hero,
    privacy,
    problems,
    micCard(s, check),
    cameraCard(s.camera),
    shieldCard(s.shield, onShieldNow),
    trainingCard(s, onTraining),
    postureCard(s.posture, posture),
    fleetCard(s.fleet),
    config,
  );
}

function lockBadge(): HTMLElement {
  const text = t("settings-locked");
  return h("span", { class: "lock-badge", title: text }, text);
}

export function renderSettings(
  snap: Snapshot,
  onChange: (key: string, value: SettingValue | null) => void,
): HTMLElement {
  const fileErrors =
    snap.status.settings_file.state === "rejected"
      ? h(
          "section",
          { class: "card warn" },
          h("h3", { class: "card-title" }, t("settings-file-error-title")),
          ...snap.status.settings_file.errors.map((e) =>
            h("code", { class: "problem-message" }, `${e.file}:${e.line}: ${e.key ? `${e.key}: ` : ""}${e.message}`),
          ),
          h("p", { class: "muted" }, t("settings-file-error-help")),
        )
      : null;

  const rows = snap.settings.entries
    .filter((e) => e.scope === "user_and_policy")
    .map((e) => settingRow(e, onChange));
  const orgRows = snap.settings.entries.filter((e) => e.scope === "policy_only" && e.locked);

  return h(
    "div",
    { class: "page" },
    fileErrors,
    h("section", { class: "card list" }, ...rows),
    orgRows.length
      ? h(
          "section",
          { class: "card list" },
          h("h3", { class: "card-title" }, t("settings-organization-title")),
          ...orgRows.map((e) =>
            h(
              "div",
              { class: "setting" },
              h(
                "div",
                { class: "setting-text" },
                h("span", { class: "setting-title" }, settingText(e, "title")),
                h("p", { class: "muted" }, settingText(e, "help")),
              ),
              h(
                "span",
                { class: "value-pill" },
                e.kind.type === "choice" && typeof e.value === "string" ? optionLabel(e.key, e.value) : formatValue(e.value, e.key),
              ),
            ),
          ),
        )
      : null,
  );
}

function settingRow(e: Entry, onChange: (key: string, value: SettingValue | null) => void): HTMLElement {
  const id = `setting-${e.key.replace(/\./g, "-")}`;
  let control: HTMLElement;
  if (e.kind.type === "bool") {
    const input = h("input", { type: "checkbox", role: "switch", class: "switch", id, checked: e.value === true, disabled: e.locked });
    input.addEventListener("change", () => onChange(e.key, input.checked));
    control = input;
  } else if (e.kind.type === "choice") {
    const select = h(
      "select",
      { id, disabled: e.locked },
      ...e.kind.options.map((o) => h("option", { value: o, selected: o === e.value }, optionLabel(e.key, o))),
    );
    select.addEventListener("change", () => onChange(e.key, select.value));
    control = select;
  } else if (e.kind.type === "integer") {
    const input = h("input", { type: "number", id, min: e.kind.min, max: e.kind.max, value: String(e.value), disabled: e.locked });
    input.addEventListener("change", () => onChange(e.key, Number(input.value)));
    control = input;
  } else if (e.kind.type === "text_list") {
    const items = Array.isArray(e.value) ? e.value : [];
    const input = h("input", {
      type: "text",
      id,
      value: items.join(", "),
      placeholder: t("settings-list-placeholder"),
      disabled: e.locked,
    });
    input.addEventListener("change", () =>
      onChange(
        e.key,
        input.value
          .split(",")
          .map((s) => s.trim())
          .filter((s) => s.length > 0),
      ),
    );
    control = input;
  } else {
    const input = h("input", { type: "text", id, value: String(e.value), disabled: e.locked });
    input.addEventListener("change", () => onChange(e.key, input.value));
    control = input;
  }
  return h(
    "div",
    { class: `setting${e.locked ? " locked" : ""}`, "data-key": e.key },
    h(
      "div",
      { class: "setting-text" },
      h("label", { for: id, class: "setting-title" }, settingText(e, "title")),
      h("p", { class: "muted" }, settingText(e, "help")),
    ),
    h("div", { class: "setting-control" }, e.locked ? lockBadge() : null, control),
  );
}

export function renderAbout(about: About, snap: Snapshot): HTMLElement {
  const p = snap.status.policy_file;
  return h(
    "div",
    { class: "page" },
    h(
      "section",
      { class: "card about-hero" },
      shieldIcon("check", 48),
      h("div", {}, h("h2", {}, "Veil"), h("p", { class: "muted" }, t("about-version", { version: about.version }))),
    ),
    h(
      "section",
      { class: "card" },
      h(
        "dl",
        { class: "facts" },
        h("dt", {}, t("about-policy-file")),
        h("dd", {}, h("code", { id: "about-policy-path" }, about.policy_path)),
        h("dt", {}, t("about-policy-state")),
        h("dd", { id: "about-policy-state" }, fileStateText(p, t("about-policy-missing"))),
        h("dt", {}, t("config-settings")),
        h("dd", {}, h("code", {}, about.settings_path)),
        h("dt", {}, t("config-store")),
        h("dd", {}, h("code", {}, snap.status.store.path)),
        h("dt", {}, t("about-logs")),
        h("dd", {}, h("code", {}, about.log_dir)),
      ),
    ),
    h("p", { class: "muted small" }, t("about-tagline")),
  );
}

export function formatValue(v: SettingValue, key = ""): string {
  if (v === true) return t("value-yes");
  if (v === false) return t("value-no");
  if (typeof v === "object" && !Array.isArray(v)) {
    const names = Object.keys(v);
    if (names.length === 0) return t("none");
    // Header values are credentials (a collector token): names only.
    if (key === "fleet.otlp_headers") return t("value-hidden", { names: names.join(", ") });
    return names.map((k) => `${k}: ${v[k]}`).join(", ");
  }
  if (Array.isArray(v)) return v.length === 0 ? t("none") : v.join(", ");
  return typeof v === "string" ? capitalize(v) : String(v);
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** The catalogs' id stem of a setting: `shield.idle_seconds` is
 * `setting-shield-idle-seconds`. */
export function settingId(key: string): string {
  return `setting-${key.replace(/[._]/g, "-")}`;
}

/** A setting's title or help in the agent's language. In English the
 * app's own text (the same words as the catalog, and never stale); in
 * another language the catalog's, else the app's English. */
export function settingText(e: Pick<Entry, "key" | "title" | "help">, part: "title" | "help"): string {
  const id = `${settingId(e.key)}-${part}`;
  return language() !== "en" && has(id) ? t(id) : e[part];
}

/** How a choice setting's value is shown (`setting-appearance-option-dark`). */
export function optionLabel(key: string, value: string): string {
  const id = `${settingId(key)}-option-${value}`;
  return has(id) ? t(id) : capitalize(value);
}
