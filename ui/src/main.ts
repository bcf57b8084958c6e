import {
  getAbout,
  getSnapshot,
  onMicLevel,
  onSnapshot,
  setPrivacyMode,
  openTraining,
  setSetting,
  shieldNow,
  checkPosture,
  openPostureSettings,
  startMicCheck,
  stopMicCheck,
} from "./bindings";
import { h } from "./dom";
import { setLanguage, t, translateDocument } from "./i18n";
import { applyTheme } from "./theme";
import type { About, MicLevel, Snapshot } from "./bindings";
import { renderAbout, renderDashboard, renderSettings, stateCopy } from "./view";

type View = "dashboard" | "settings" | "about";
/** Message ids of the pages' titles (the tabs have the same words). */
const TITLES: Record<View, string> = { dashboard: "nav-dashboard", settings: "nav-settings", about: "nav-about" };

let snapshot: Snapshot | null = null;
let about: About | null = null;
let view: View = "dashboard";
let micLevel: MicLevel | null = null;

const micCheck = {
  get level() {
    return micLevel;
  },
  onStart: () => startMicCheck().catch(showError),
  onStop: () => stopMicCheck().catch(showError),
};

/** Level updates arrive 20 times a second: move the meter, re-render only
 * when the check starts or ends. */
function onLevel(l: MicLevel) {
  const wasRunning = micLevel?.state === "running";
  micLevel = l;
  if (l.state === "running" && wasRunning) {
    const meter = document.getElementById("mic-level") as HTMLMeterElement | null;
    if (meter) meter.value = l.level;
    return;
  }
  render();
}

const viewEl = document.getElementById("view") as HTMLElement;
const titleEl = document.getElementById("page-title") as HTMLElement;
const toastEl = document.getElementById("toast") as HTMLElement;
const sideStateEl = document.getElementById("sidebar-state") as HTMLElement;
const tabs = Array.from(document.querySelectorAll<HTMLButtonElement>("[role=tab]"));

function showError(e: unknown) {
  toastEl.textContent = String(e);
  toastEl.hidden = false;
  window.setTimeout(() => (toastEl.hidden = true), 6000);
}

function render() {
  if (!snapshot) return;
  applyTheme(snapshot);
  // Keep focus on the same control across re-renders (state updates arrive live).
  const focusedId = document.activeElement?.id;
  const node =
    view === "dashboard"
      ? renderDashboard(
          snapshot,
          (on) => setPrivacyMode(on).catch(onFailure),
          micCheck,
          () => openTraining().catch(onFailure),
          () => shieldNow().catch(onFailure),
          {
            onCheck: () => checkPosture().catch(onFailure),
            onOpenSettings: (check) => openPostureSettings(check).catch(onFailure),
          },
        )
      : view === "settings"
        ? renderSettings(snapshot, (key, value) => setSetting(key, value).catch(onFailure))
        : about
          ? renderAbout(about, snapshot)
          : h("p", { class: "muted" }, t("loading"));
  viewEl.replaceChildren(node);
  if (focusedId) document.getElementById(focusedId)?.focus();
  const copy = stateCopy(snapshot.status);
  sideStateEl.className = `sidebar-foot tone-${snapshot.status.state}`;
  sideStateEl.replaceChildren(h("span", { class: "dot" }), copy.title);
  document.body.dataset.state = snapshot.status.state;
}

function onFailure(e: unknown) {
  showError(e);
  render(); // put controls back to the real state
}

function select(next: View, focus = false) {
  view = next;
  for (const t of tabs) {
    const on = t.dataset.view === next;
    t.setAttribute("aria-selected", String(on));
    t.tabIndex = on ? 0 : -1;
    if (on && focus) t.focus();
  }
  // translateDocument() keeps the title in the page's language from now on.
  titleEl.dataset.i18n = TITLES[next];
  titleEl.textContent = t(TITLES[next]);
  render();
}

for (const t of tabs) {
  t.addEventListener("click", () => select(t.dataset.view as View));
  t.addEventListener("keydown", (ev) => {
    const i = tabs.indexOf(t);
    const move = { ArrowDown: 1, ArrowRight: 1, ArrowUp: -1, ArrowLeft: -1 }[ev.key];
    if (move) {
      ev.preventDefault();
      const next = tabs[(i + move + tabs.length) % tabs.length];
      select(next.dataset.view as View, true);
    } else if (ev.key === "Home" || ev.key === "End") {
      ev.preventDefault();
      select(tabs[ev.key === "Home" ? 0 : tabs.length - 1].dataset.view as View, true);
    }
  });
}

/** Every snapshot names the agent's language; the static words follow it
 * (setLanguage) and render() redraws the rest. */
function receive(s: Snapshot) {
  snapshot = s;
  setLanguage(s.language);
  render();
}

translateDocument();

async function start() {
  await onMicLevel(onLevel);
  // Leaving the window ends the test: the microphone is not held open.
  window.addEventListener("beforeunload", () => void stopMicCheck());
  await onSnapshot(receive);
  snapshot = await getSnapshot();
  setLanguage(snapshot.language);
  about = await getAbout();
  render();
}

start().catch(showError);
