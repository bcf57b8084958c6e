// What the main window shows for a snapshot. Rendering only: every decision
// was made by the app before the snapshot was sent.
import { h, shieldIcon } from "./dom";
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

export interface StateCopy {
  title: string;
  detail: string;
  mark: "check" | "alert" | "off";
}

export function stateCopy(status: Status): StateCopy {
  const byState: Record<Overall, StateCopy> = {
    protected: {
      title: "You're protected",
      detail: "Privacy mode is on and everything Veil checks is as it should be.",
      mark: "check",
    },
    attention: {
      title: "Needs your attention",
      detail:
        status.problems.length === 1
          ? "Privacy mode is on, but one thing needs fixing."
          : `Privacy mode is on, but ${status.problems.length} things need fixing.`,
      mark: "alert",
    },
    off: {
      title: "Privacy mode is off",
      detail: "Turn it on before you take customer calls.",
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
      return "In effect";
    case "rejected":
      return "Has errors — the last good version is in effect";
  }
}

const SOURCE_LABEL: Record<string, string> = {
  microphone: "Microphone",
  camera: "Camera and microphone use",
  shield: "Screen shield",
  policy: "Organization policy",
  settings: "Your settings file",
  store: "Audit log",
  fleet: "Reporting to your organization",
  posture: "This computer",
};

export function storeText(store: StoreStatus): string {
  switch (store.state) {
    case "ok":
      return store.key_storage === "credential_store"
        ? "Encrypted; key kept in this computer's credential store"
        : "Encrypted; key kept in a file only you can read (no credential store available)";
    case "unavailable":
      return "Not recording — see above";
    case "starting":
      return "Opening…";
  }
}

/** One line on what the microphone guard is doing. */
export function micSummary(m: MicStatus, privacyOn: boolean): { text: string; tone: "ok" | "alert" | "off" } {
  if (m.connection === "starting") return { text: "Checking your microphones…", tone: "off" };
  if (m.connection === "disconnected")
    return { text: "Cannot reach the audio system; Veil keeps trying", tone: privacyOn ? "alert" : "off" };
  if (!privacyOn) return { text: "Not guarded while privacy mode is off", tone: "off" };
  if (!m.headset) return { text: "Connect your headset — the laptop microphone stays muted until then", tone: "alert" };
  if (m.contested) return { text: "Another program keeps changing your microphone settings", tone: "alert" };
  return { text: `You speak through ${m.headset}`, tone: "ok" };
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
    running ? "Stop test" : "Test microphone",
  );
  button.addEventListener("click", () => (running ? check.onStop() : check.onStart()));
  const level = check.level;
  const meterNote =
    level?.state === "running"
      ? `Speak now: ${level.device}`
      : level?.state === "failed"
        ? level.message
        : "See that your headset hears you before a call.";
  return h(
    "section",
    { class: "card", id: "mic-card", "aria-labelledby": "mic-title" },
    h("h3", { class: "card-title", id: "mic-title" }, "Microphone"),
    h("p", { class: `mic-summary tone-${summary.tone}`, id: "mic-summary" }, summary.text),
    m.connection === "connected"
      ? h(
          "dl",
          { class: "facts" },
          h("dt", {}, "Default microphone"),
          h("dd", { id: "mic-default" }, m.default ?? "None"),
          h("dt", {}, "Muted"),
          h("dd", { id: "mic-muted" }, m.muted.length ? m.muted.join(", ") : "None"),
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
        "aria-label": "Microphone level",
      }),
      button,
    ),
    h("p", { class: "muted", id: "mic-check-note" }, meterNote),
  );
}

/** Program file name, as people know it. */
function appOf(exe: string): string {
  const base = exe.split(/[\\/]/).pop() ?? exe;
  return base.replace(/\.exe$/i, "") || "A program";
}

export interface LiveUse {
  text: string;
  allowed: boolean;
}

/** Every use in progress, one line each: "chrome is using Integrated Camera". */
/** A program as the agent should read it: one only its own word names is
 * unknown; a copy in a folder the agent can write is said to be one. */
export function programOf(exe: string, trust: Trust): string {
  if (trust === "claimed") return "An unknown program";
  if (trust === "untrusted_location") return `${appOf(exe)} (a copy outside the system's program folders)`;
  return appOf(exe);
}

export function liveUses(c: CameraStatus): LiveUse[] {
  const out: LiveUse[] = [];
  for (const d of c.devices) {
    for (const u of d.users) {
      out.push({ text: `${programOf(u.exe, u.trust)} is using the camera (${d.name})`, allowed: u.allowed });
    }
  }
  for (const u of c.microphone_users) {
    out.push({ text: `${programOf(u.exe, u.trust)} is using the microphone (${u.device})`, allowed: u.allowed });
  }
  return out;
}

export function cameraSummary(c: CameraStatus): { text: string; tone: "ok" | "alert" | "off" } {
  if (c.detection === "degraded") {
    return c.sources.length === 0
      ? { text: "Checking who uses your camera and microphone…", tone: "off" }
      : { text: `Veil cannot see every use of your camera and microphone: ${c.message ?? "unknown reason"}`, tone: "alert" };
  }
  const live = liveUses(c);
  if (live.length === 0) return { text: "No program is using your camera or microphone", tone: "ok" };
  if (live.some((u) => !u.allowed)) return { text: "A program your organization has not approved is using a device", tone: "alert" };
  return { text: "Only approved programs are using your devices", tone: "ok" };
}

export function trainingSummary(t: Pick<TrainingStatus, "modules" | "completed" | "due" | "next_quiz_in_seconds" | "quiz_held">): string {
  const parts = [`${t.completed} of ${t.modules} modules completed`];
  if (t.due > 0) parts.push(`${t.due} with work due`);
  const min = t.next_quiz_in_seconds === null ? null : Math.ceil(t.next_quiz_in_seconds / 60);
  if (t.quiz_held === "call") {
    parts.push("next quiz after your call");
  } else if (t.quiz_held === "snoozed" && min !== null) {
    parts.push(min <= 1 ? "quiz postponed for a minute" : `quiz postponed for about ${min} min`);
  } else if (min !== null && t.quiz_held !== "nothing_to_ask") {
    parts.push(min <= 1 ? "next quiz soon" : `next quiz in about ${min} min`);
  }
  return parts.join(" · ");
}

function trainingCard(s: Status, onOpen: () => void): HTMLElement {
  const open = h("button", { type: "button", class: "button", id: "open-training" }, "Open training");
  open.addEventListener("click", onOpen);
  return h(
    "section",
    { class: "card", id: "training-card", "aria-labelledby": "training-title" },
    h("h3", { class: "card-title", id: "training-title" }, "Security training"),
    h("p", { id: "training-summary" }, trainingSummary(s.training)),
    s.training.errors.length
      ? h("p", { class: "tone-alert small", id: "training-errors" }, `Some modules could not be loaded: ${s.training.errors.join("; ")}`)
      : null,
    open,
  );
}

const DESTINATION_LABEL: Record<DestinationStatus["kind"], string> = {
  otlp: "OpenTelemetry collector",
  syslog: "Syslog server",
};

/** The fleet card's sentence: whether the organization gets the records. */
export function fleetSummary(f: FleetStatus): { text: string; tone: "ok" | "alert" | "off" } | null {
  const d = f.destinations;
  if (d.length === 0) return null;
  if (d.every((x) => x.state === "connected")) {
    return { text: "Your privacy records reach your organization as they happen.", tone: "ok" };
  }
  if (d.some((x) => x.state === "parked")) {
    return {
      text: "Your organization's receiver refused Veil's records. They are kept on this computer; tell IT if this lasts.",
      tone: "alert",
    };
  }
  if (d.some((x) => x.state === "retrying")) {
    return {
      text: "Veil cannot reach your organization right now. Your records are kept and sent when it is back.",
      tone: "alert",
    };
  }
  return { text: "Veil is getting ready to report to your organization.", tone: "off" };
}

function destinationLine(d: DestinationStatus): HTMLElement {
  const parts: string[] = [];
  if (d.state === "connected") parts.push("connected");
  if (d.state === "retrying") parts.push("trying again");
  if (d.state === "parked") parts.push("refused");
  if (d.state === "off") parts.push("not started");
  if (d.queued > 0) parts.push(`${d.queued} record${d.queued === 1 ? "" : "s"} waiting`);
  if (d.last_delivered_at !== null) parts.push(`last delivered ${clock(d.last_delivered_at)}`);
  return h(
    "li",
    { class: "destination", "data-kind": d.kind, "data-state": d.state },
    h("span", { class: "destination-name" }, `${DESTINATION_LABEL[d.kind]} (${d.endpoint})`),
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
    h("h3", { class: "card-title", id: "fleet-title" }, "Reporting to your organization"),
    h("p", { id: "fleet-summary", class: `tone-${summary.tone}`, "data-tone": summary.tone }, summary.text),
    h("ul", { class: "destination-list" }, ...f.destinations.map(destinationLine)),
    h(
      "p",
      { class: "muted small" },
      "Veil sends what it records (privacy mode, device and policy events) and a regular status, never audio, video or what is on your screen.",
    ),
  );
}

/** What the "This computer" card can ask for. */
export interface PostureActions {
  onCheck: () => void;
  onOpenSettings: (check: CheckId) => void;
}

const RESULT_LABEL: Record<CheckResult, string> = {
  pass: "OK",
  fail: "Needs fixing",
  unknown: "Could not check",
  not_applicable: "Does not apply",
};

/** The card's sentence: are the required checks met? */
export function postureSummary(p: PostureStatus, nowMs: number): { text: string; tone: "ok" | "alert" | "off" } {
  if (p.checks.length === 0) return { text: "Veil is checking this computer…", tone: "off" };
  const failing = p.checks.filter((c) => c.required && c.result === "fail");
  const overdue = failing.filter((c) => c.fix_by === null || c.fix_by <= nowMs);
  if (overdue.length > 0) {
    return {
      text: `${overdue.length === 1 ? "One thing your organization requires needs" : `${overdue.length} things your organization requires need`} fixing on this computer.`,
      tone: "alert",
    };
  }
  if (failing.length > 0) {
    const by = Math.min(...failing.map((c) => c.fix_by ?? nowMs));
    return { text: `Please fix what is marked below by ${day(by)}.`, tone: "alert" };
  }
  const advice = p.checks.filter((c) => !c.required && c.result === "fail").length;
  return {
    text:
      advice > 0
        ? "This computer meets your organization's requirements. Some advice below would make it safer."
        : "This computer meets your organization's requirements.",
    tone: "ok",
  };
}

/** Order: what needs fixing first, then what could not be checked, then the rest. */
function postureOrder(c: CheckStatus): number {
  if (c.result === "fail") return c.required ? 0 : 1;
  if (c.result === "unknown") return 2;
  return c.result === "pass" ? 3 : 4;
}

function postureCheck(c: CheckStatus, nowMs: number, actions: PostureActions): HTMLElement {
  const badge = c.required ? "Required" : "Advice";
  const status =
    c.result === "fail" && c.required && c.fix_by !== null && c.fix_by > nowMs
      ? `Fix by ${day(c.fix_by)}`
      : RESULT_LABEL[c.result];
  const fix = c.fix && c.result === "fail" ? c.fix : null;
  const open =
    fix && fix.settings_label
      ? h("button", { class: "button secondary", type: "button", "data-open-settings": c.id }, fix.settings_label)
      : null;
  open?.addEventListener("click", () => actions.onOpenSettings(c.id));
  return h(
    "li",
    { class: "check", id: `check-${c.id}`, "data-result": c.result, "data-required": String(c.required) },
    h(
      "div",
      { class: "check-head" },
      h("span", { class: "check-title" }, c.title),
      h("span", { class: `check-result result-${c.result}` }, status),
      h("span", { class: "muted small" }, ` · ${badge}`),
    ),
    h("p", { class: "check-detail" }, c.detail),
    c.result === "fail" ? h("p", { class: "muted small check-why" }, c.why) : null,
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
    h("summary", { class: "small check-fix-title" }, "How to fix it"),
    h("ol", { class: "check-steps" }, ...fix.steps.map((step) => h("li", {}, step))),
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
    p.checking ? "Checking…" : "Check again",
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
      h("h3", { class: "card-title", id: "posture-title" }, "This computer"),
      again,
    ),
    h("p", { id: "posture-summary", class: `posture-summary tone-${summary.tone}`, "data-tone": summary.tone, "aria-live": "polite" }, summary.text),
    h("ul", { class: "check-list" }, ...checks.map((c) => postureCheck(c, nowMs, actions))),
    p.checked_at !== null ? h("p", { class: "muted small" }, `Last checked at ${clock(p.checked_at)}.`) : null,
  );
}

function day(ms: number): string {
  return new Date(ms).toLocaleDateString([], { weekday: "long", day: "numeric", month: "long" });
}

function clock(ms: number): string {
  return new Date(ms).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
}

function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m} min` : `${Math.floor(m / 60)} h ${m % 60} min`;
}

function cameraCard(c: CameraStatus): HTMLElement {
  const summary = cameraSummary(c);
  const live = liveUses(c);
  const recent = c.recent.slice(0, 5);
  return h(
    "section",
    { class: "card", id: "camera-card", "aria-labelledby": "camera-title" },
    h("h3", { class: "card-title", id: "camera-title" }, "Camera and microphone use"),
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
              h("span", { class: "muted small" }, u.allowed ? " — approved" : " — not approved by your organization"),
            ),
          ),
        )
      : null,
    h(
      "dl",
      { class: "facts" },
      h("dt", {}, "Cameras"),
      h("dd", { id: "camera-devices" }, c.devices.length ? c.devices.map((d) => d.name).join(", ") : "None found"),
      c.cover ? h("dt", {}, "Camera cover") : null,
      c.cover
        ? h(
            "dd",
            { id: "camera-cover" },
            `${c.cover.covered ? "Covered" : "Not covered — slide the cover closed"} (checked ${clock(c.cover.checked_at)})`,
          )
        : null,
    ),
    h("h4", { class: "card-subtitle" }, "Recent use"),
    recent.length
      ? h(
          "ol",
          { class: "recent-uses", id: "camera-recent" },
          ...recent.map((r) =>
            h(
              "li",
              {},
              `${r.app} — ${r.kind} (${r.device_name}), ${clock(r.started)}, ${duration((r.stopped ?? r.started) - r.started)}`,
            ),
          ),
        )
      : h("p", { class: "muted", id: "camera-recent" }, "None since Veil started. The full history is in the audit log."),
  );
}

const IDLE_SOURCE: Record<ShieldStatus["idle_source"], string> = {
  x11: "X11 screen saver extension",
  windows: "Windows input time",
  macos: "macOS input time",
  mutter: "GNOME (Mutter) idle monitor",
  "ext-idle-notify": "Wayland idle notifications",
  none: "Not available",
};

/** The shield card's summary line and its tone. */
export function shieldSummary(s: ShieldStatus): { text: string; tone: "ok" | "alert" | "muted" } {
  if (s.idle_source === "none") {
    return {
      text: "Veil cannot tell when you step away on this desktop: use Shield screen now or the shortcut",
      tone: "alert",
    };
  }
  if (!s.enabled) return { text: "Off while privacy mode is off", tone: "muted" };
  return { text: "Covers every screen when you step away", tone: "ok" };
}

function shortcutText(s: ShieldStatus): string {
  const k = s.shortcut;
  if (!k.keys) return "None";
  if (k.registered) return k.message ? `${k.keys} — ${k.message}` : k.keys;
  return `${k.keys} — not available: ${k.message ?? "unknown reason"}`;
}

function shieldCard(s: ShieldStatus, onShieldNow: () => void): HTMLElement {
  const summary = shieldSummary(s);
  const now = h("button", { type: "button", class: "button", id: "shield-now" }, "Shield screen now");
  now.addEventListener("click", onShieldNow);
  return h(
    "section",
    { class: "card", id: "shield-card", "aria-labelledby": "shield-title" },
    h("h3", { class: "card-title", id: "shield-title" }, "Screen shield"),
    h("p", { class: `mic-summary tone-${summary.tone}`, id: "shield-summary" }, summary.text),
    s.message ? h("p", { class: "muted small", id: "shield-message" }, s.message) : null,
    h(
      "dl",
      { class: "facts" },
      h("dt", {}, "Shortcut"),
      h("dd", { id: "shield-shortcut", class: s.shortcut.keys && !s.shortcut.registered ? "tone-alert" : "" }, shortcutText(s)),
      h("dt", {}, "Away detection"),
      h("dd", { id: "shield-source" }, IDLE_SOURCE[s.idle_source] ?? s.idle_source),
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
      h("label", { for: "privacy-toggle", class: "card-title" }, "Privacy mode"),
      h(
        "p",
        { id: "privacy-help", class: "muted" },
        s.privacy_mode_locked
          ? "Required by your organization. It stays on while you work."
          : "Keeps your microphone, camera and screen private while you take calls.",
      ),
    ),
    h(
      "div",
      { class: "switch-wrap" },
      s.privacy_mode_locked ? lockBadge() : null,
      toggle,
      h("span", { class: "switch-label", id: "privacy-state" }, on ? "On" : "Off"),
    ),
  );

  const problems =
    s.problems.length === 0
      ? null
      : h(
          "section",
          { class: "card", id: "problems", "aria-label": "Problems" },
          h("h3", { class: "card-title" }, "What needs attention"),
          h(
            "ul",
            { class: "problem-list" },
            ...s.problems.map((p) =>
              h(
                "li",
                { class: "problem" },
                h("span", { class: "problem-source" }, SOURCE_LABEL[p.source] ?? p.source),
                h("code", { class: "problem-message" }, p.message),
              ),
            ),
          ),
        );

  const config = h(
    "section",
    { class: "card" },
    h("h3", { class: "card-title" }, "Configuration"),
    h(
      "dl",
      { class: "facts" },
      h("dt", {}, "Organization policy"),
      h(
        "dd",
        { id: "policy-state" },
        fileStateText(s.policy_file, "None deployed on this computer"),
      ),
      h("dt", {}, "Your settings"),
      h("dd", {}, fileStateText(s.settings_file, "Defaults (you have not changed anything)")),
      h("dt", {}, "Audit log"),
      h("dd", { id: "store-state", "data-state": s.store.state }, storeText(s.store)),
    ),
    s.store.kept_aside
      ? h(
          "p",
          { class: "notice", id: "store-kept-aside" },
          "An earlier audit log could not be opened with this computer's key. It was kept, not deleted: ",
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
  return h("span", { class: "lock-badge", title: "Set by your organization" }, "Set by your organization");
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
          h("h3", { class: "card-title" }, "Your settings file has an error"),
          ...snap.status.settings_file.errors.map((e) =>
            h("code", { class: "problem-message" }, `${e.file}:${e.line}: ${e.key ? `${e.key}: ` : ""}${e.message}`),
          ),
          h("p", { class: "muted" }, "Veil keeps your last good settings. Fix the file to change settings here."),
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
          h("h3", { class: "card-title" }, "Set by your organization"),
          ...orgRows.map((e) =>
            h(
              "div",
              { class: "setting" },
              h("div", { class: "setting-text" }, h("span", { class: "setting-title" }, e.title), h("p", { class: "muted" }, e.help)),
              h("span", { class: "value-pill" }, formatValue(e.value, e.key)),
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
      ...e.kind.options.map((o) => h("option", { value: o, selected: o === e.value }, capitalize(o))),
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
      placeholder: "none",
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
      h("label", { for: id, class: "setting-title" }, e.title),
      h("p", { class: "muted" }, e.help),
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
      h("div", {}, h("h2", {}, "Veil"), h("p", { class: "muted" }, `Version ${about.version}`)),
    ),
    h(
      "section",
      { class: "card" },
      h(
        "dl",
        { class: "facts" },
        h("dt", {}, "Policy file"),
        h("dd", {}, h("code", { id: "about-policy-path" }, about.policy_path)),
        h("dt", {}, "Policy status"),
        h("dd", { id: "about-policy-state" }, fileStateText(p, "Not deployed: Veil's defaults apply")),
        h("dt", {}, "Your settings"),
        h("dd", {}, h("code", {}, about.settings_path)),
        h("dt", {}, "Audit log"),
        h("dd", {}, h("code", {}, snap.status.store.path)),
        h("dt", {}, "Logs"),
        h("dd", {}, h("code", {}, about.log_dir)),
      ),
    ),
    h("p", { class: "muted small" }, "Veil keeps your microphone, camera and screen private while you work with customers."),
  );
}

export function formatValue(v: SettingValue, key = ""): string {
  if (v === true) return "Yes";
  if (v === false) return "No";
  if (typeof v === "object" && !Array.isArray(v)) {
    const names = Object.keys(v);
    if (names.length === 0) return "None";
    // Header values are credentials (a collector token): names only.
    if (key === "fleet.otlp_headers") return `${names.join(", ")} (values hidden)`;
    return names.map((k) => `${k}: ${v[k]}`).join(", ");
  }
  if (Array.isArray(v)) return v.length === 0 ? "None" : v.join(", ");
  return typeof v === "string" ? capitalize(v) : String(v);
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
