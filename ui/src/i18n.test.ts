// The windows in Spanish, and the catalogs themselves: the same ids in
// both languages, every setting of the schema titled and explained, every
// message used.
import { afterEach, describe, expect, it } from "vitest";
import { FluentResource } from "@fluent/bundle";
import type { CheckStatus, Message, Problem, Snapshot } from "./bindings";
import { formatDate, language, messageText, problemText, setLanguage, t } from "./i18n";
import { renderDashboard, renderSettings, settingId, settingText, trainingSummary } from "./view";
import { moduleMeta, questionView } from "./training-view";
import enUi from "../../locales/en/ui.ftl?raw";
import esUi from "../../locales/es/ui.ftl?raw";
import schema from "../../crates/veil-core/src/settings/schema.rs?raw";

const sources = import.meta.glob(["./*.ts", "!./*.test.ts", "../*.html"], { query: "?raw", import: "default", eager: true }) as Record<
  string,
  string
>;

function snap(language: Snapshot["language"], problems: Problem[] = []): Snapshot {
  return {
    language,
    quiz: null,
    status: {
      version: "0.1.0",
      privacy_mode: "on",
      state: problems.length ? "attention" : "protected",
      privacy_mode_locked: false,
      problems,
      policy_file: { path: "/etc/veil/policy.toml", state: "missing", sha256: null },
      settings_file: { path: "/home/a/.config/veil/settings.toml", state: "missing", sha256: null },
      store: { state: "ok", path: "/d/veil.db", key_storage: "credential_store", message: null, kept_aside: null },
      microphone: {
        default: "Jabra Evolve2 40", headset: null, muted: ["Built-in Microphone"], compliant: false,
        backend: "pulseaudio", connection: "connected", enforcing: true, contested: false, message: null,
        recording: false, mic_check: false,
      },
      camera: {
        devices: [], microphone_users: [], detection: "ok", sources: [{ name: "procfs", ok: true, message: null }],
        message: null, recent: [], cover: null,
      },
      training: { modules: 12, completed: 1, due: 2, next_quiz_in_seconds: 600, quiz_held: null, errors: [] },
      shield: {
        state: "active", idle_seconds: 3, idle_source: "x11", enabled: true, message: null,
        shortcut: { keys: "Ctrl+Alt+Shift+P", registered: true, message: null },
        lock_failed: false, lock_message: null,
      },
      fleet: { destinations: [], host_id: null },
      posture: { checks: [], compliant: true, checked_at: null, checking: false },
    },
    settings: {
      entries: [
        {
          key: "shield.idle_seconds", title: "Cover the screen after (seconds idle)",
          help: "When you step away this long, the screen dims with a countdown, then every monitor is covered.",
          kind: { type: "integer", min: 5, max: 3600 }, scope: "user_and_policy", value: 60, source: "default", locked: false, line: null,
        },
        {
          key: "appearance", title: "Appearance", help: "Follow the system's light or dark theme, or always use one.",
          kind: { type: "choice", options: ["system", "light", "dark"] }, scope: "user_and_policy", value: "dark", source: "policy", locked: true, line: 3,
        },
      ],
    },
  };
}

const noHeadset: Problem = {
  source: "microphone",
  summary: "Connect your headset",
  message: "Connect your headset. Until then the laptop microphone stays muted.",
  code: "no-headset",
  args: {},
  parts: {},
};

const unapproved: Problem = {
  source: "camera",
  summary: "obs is using the camera",
  message: "obs is using Integrated Camera (/usr/bin/obs). Your organization has not approved it; if you did not start it, close it and report it to IT.",
  code: "unapproved-camera",
  args: { app: "obs", device: "Integrated Camera", exe: "/usr/bin/obs" },
  parts: {},
};

// A required screen lock check failing on GNOME, as Veil sends it: English
// texts for scripts, and the same as catalog messages for the window.
const minutes = (count: number): Message => ({ key: "check-duration-minutes", args: { count } });
const screenLock: CheckStatus = {
  id: "screen_lock",
  result: "fail",
  required: true,
  observed: "lock_too_late",
  expected: "locks within 15 minutes",
  reason: null,
  since: 0,
  fix_by: null,
  title: "Screen lock",
  detail: "The screen locks only after 30 minutes of inactivity; your organization asks for 15 minutes or less.",
  why: "A screen that locks itself keeps family and visitors from seeing customers' data when you step away.",
  fix: {
    steps: [
      "Open Settings > Privacy > Screen Lock (Settings > Privacy & Security > Screen Lock on newer GNOME).",
      "Turn Automatic Screen Lock on and set the blank screen delay and lock delay to 15 minutes or less together.",
    ],
    settings: "gnome-control-center privacy",
    settings_label: "Open screen lock settings",
    step_messages: [
      { key: "check-screen-lock-fix-gnome-1", args: {} },
      { key: "check-screen-lock-fix-gnome-2", args: {} },
    ],
    settings_label_message: { key: "check-open-screen-lock", args: {} },
  },
  title_message: { key: "check-screen-lock-title", args: {} },
  detail_message: { key: "check-screen-lock-too-late", args: { after: minutes(30), max: minutes(15) } },
  why_message: { key: "check-screen-lock-why", args: {} },
};

const screenLockProblem: Problem = {
  source: "posture",
  summary: "Turn on the screen lock",
  message: `${screenLock.detail} Your organization requires it. Open "This computer" on the dashboard for how to fix it.`,
  code: "posture-screen_lock",
  args: { detail: screenLock.detail },
  parts: { detail: screenLock.detail_message },
};

afterEach(() => {
  setLanguage("en");
});

describe("Spanish", () => {
  it("renders the dashboard in the snapshot's language", () => {
    const s = snap("es", [noHeadset]);
    expect(setLanguage(s.language)).toBe(true);
    expect(language()).toBe("es");
    expect(document.documentElement.lang).toBe("es");
    const el = renderDashboard(s, () => {});
    const text = el.textContent ?? "";
    expect(text).toContain("Modo privado");
    expect(el.querySelector("#state-title")?.textContent).toBe("Requiere tu atención");
    expect(text).toContain("El modo privado está activado, pero hay una cosa que corregir.");
    expect(el.querySelector("#mic-summary")?.textContent).toBe(
      "Conecta tus auriculares: hasta entonces, el micrófono del portátil sigue silenciado",
    );
    expect(el.querySelector("#shield-now")?.textContent).toBe("Proteger pantalla ahora");
    expect(el.querySelector("#posture-title")?.textContent).toBe("Este equipo");
    expect(el.querySelector("#training-summary")?.textContent).toBe(
      "1 de 12 módulos completados · 2 con tareas pendientes · próximo cuestionario en unos 10 min",
    );
    expect(el.querySelector("#problems")?.getAttribute("aria-label")).toBe("Problemas");
    expect(el.querySelector("#problems .problem-source")?.textContent).toBe("Micrófono");
    // The problem by its code, not the English text Veil sent.
    expect(el.querySelector("#problems .problem-message")?.textContent).toBe(
      "Conecta tus auriculares. Hasta entonces, el micrófono del portátil sigue silenciado.",
    );
  });

  it("names problems by their code, with their arguments", () => {
    setLanguage("es");
    expect(problemText(noHeadset, "summary")).toBe("Conecta tus auriculares");
    expect(problemText(unapproved, "summary")).toBe("obs está usando la cámara");
    expect(problemText(unapproved, "message")).toContain("obs está usando Integrated Camera (/usr/bin/obs).");
    // Unknown codes keep the English text Veil sent.
    expect(problemText({ ...noHeadset, code: "not-a-code" }, "summary")).toBe("Connect your headset");
    setLanguage("en");
    expect(problemText(unapproved, "summary")).toBe("obs is using the camera");
  });

  it("shows a device check, its finding and its fix steps in Spanish", () => {
    const s = snap("es", [screenLockProblem]);
    s.status.posture = { checks: [screenLock], compliant: false, checked_at: null, checking: false };
    setLanguage("es");
    const el = renderDashboard(s, () => {});
    const card = el.querySelector("#check-screen_lock")!;
    expect(card.querySelector(".check-title")?.textContent).toBe("Bloqueo de pantalla");
    expect(card.querySelector(".check-detail")?.textContent).toBe(
      "La pantalla solo se bloquea tras 30 minutos de inactividad; tu organización pide 15 minutos o menos.",
    );
    expect(card.querySelector(".check-why")?.textContent).toBe(
      "Una pantalla que se bloquea sola evita que tu familia o tus visitas vean datos de clientes cuando te levantas.",
    );
    expect([...card.querySelectorAll(".check-steps li")].map((li) => li.textContent)).toEqual([
      "Abre Configuración > Privacidad > Bloqueo de pantalla (Configuración > Privacidad y seguridad > Bloqueo de pantalla en las versiones más recientes de GNOME).",
      "Activa el bloqueo automático de la pantalla y ajusta el retardo para apagar la pantalla y el del bloqueo para que juntos sumen 15 minutos o menos.",
    ]);
    expect(card.querySelector("[data-open-settings]")?.textContent).toBe("Abrir los ajustes del bloqueo de pantalla");
    // The problem's message carries the finding in Spanish too.
    expect(problemText(screenLockProblem, "message")).toBe(
      "La pantalla solo se bloquea tras 30 minutos de inactividad; tu organización pide 15 minutos o menos. Tu organización lo exige. Abre «Este equipo» en el panel para ver cómo corregirlo.",
    );
    // In English the window shows what Veil sent for scripts, word for word.
    setLanguage("en");
    expect(messageText(screenLock.detail_message)).toBe(screenLock.detail);
    expect(screenLock.fix!.step_messages.map(messageText)).toEqual(screenLock.fix!.steps);
    expect(problemText(screenLockProblem, "message")).toBe(screenLockProblem.message);
  });

  it("shows settings, options and the lock from the catalogs", () => {
    setLanguage("es");
    const el = renderSettings(snap("es"), () => {});
    expect(el.querySelector("[data-key='shield.idle_seconds'] .setting-title")?.textContent).toBe(
      "Cubrir la pantalla tras (segundos de inactividad)",
    );
    expect(el.querySelector("[data-key=appearance] .lock-badge")?.textContent).toBe("Definido por tu organización");
    const options = [...el.querySelectorAll<HTMLOptionElement>("#setting-appearance option")];
    expect(options.map((o) => o.textContent)).toEqual(["Sistema", "Claro", "Oscuro"]);
    // What goes back to the app stays the value, not the word.
    expect(options.map((o) => o.value)).toEqual(["system", "light", "dark"]);
  });

  it("counts with plurals and writes dates the Spanish way", () => {
    setLanguage("es");
    expect(t("fleet-queued", { count: 1 })).toBe("1 registro en espera");
    expect(t("fleet-queued", { count: 3 })).toBe("3 registros en espera");
    expect(t("warning-countdown", { seconds: 1 })).toMatch(/^segundo para que Veil cubra/);
    expect(trainingSummary({ modules: 1, completed: 0, due: 0, next_quiz_in_seconds: null, quiz_held: null })).toBe(
      "0 de 1 módulo completado",
    );
    expect(formatDate(Date.UTC(2026, 11, 1, 12), { weekday: "long", day: "numeric", month: "long", timeZone: "UTC" })).toBe(
      "martes, 1 de diciembre",
    );
    const q = questionView(
      { id: "q", module: "m", kind: "multiple", scenario: null, prompt: "P", options: [{ id: "a", text: "A" }] },
      0,
      3,
      null,
    );
    expect(q.querySelector("#quiz-progress")?.textContent).toBe("Pregunta 1 de 3");
    expect(
      moduleMeta({
        id: "p", title: "P", lesson: "", reading_minutes: 2, mandatory: false, due_date: null,
        progress: { id: "p", lesson_read: true, answered: 2, total: 6, mastery: 50, completed: false, due_questions: 0 },
      }),
    ).toBe("2/6 respondidas · dominio: 50 %");
  });

  it("goes back to English", () => {
    setLanguage("es");
    expect(setLanguage("en")).toBe(true);
    expect(renderDashboard(snap("en"), () => {}).querySelector("#state-title")?.textContent).toBe("You're protected");
    expect(setLanguage("en")).toBe(false);
  });
});

/** Message ids of a catalog, in order. */
function ids(source: string): string[] {
  return new FluentResource(source).body.map((m) => m.id);
}

/** Every setting of crates/veil-core/src/settings/schema.rs: key, English
 * title and help, and a choice's options. */
function schemaSettings(): { key: string; title: string; help: string; options: string[] }[] {
  const consts = new Map([...schema.matchAll(/pub const (\w+): &str = "([^"]+)";/g)].map((m) => [m[1], m[2]]));
  const table = schema.slice(schema.indexOf("pub static SETTINGS"), schema.indexOf("pub fn spec"));
  const unquote = (s: string) => s.replace(/\\"/g, '"').replace(/\\\\/g, "\\");
  return [...table.matchAll(/SettingSpec \{([\s\S]*?)\n {4}\}/g)].map((m) => {
    const body = m[1];
    const key = consts.get(/key: (\w+),/.exec(body)![1])!;
    const choice = /kind: Kind::Choice \{\s*options: &\[([^\]]*)\]/.exec(body);
    return {
      key,
      title: unquote(/title: "((?:[^"\\]|\\.)*)"/.exec(body)![1]),
      help: unquote(/help: "((?:[^"\\]|\\.)*)"/.exec(body)![1]),
      options: choice ? [...choice[1].matchAll(/"([^"]+)"/g)].map((o) => o[1]) : [],
    };
  });
}

describe("catalogs", () => {
  it("have the same ids in English and Spanish, each once", () => {
    const en = ids(enUi);
    const es = ids(esUi);
    expect(new Set(en).size).toBe(en.length);
    expect([...es].sort()).toEqual([...en].sort());
    // Nothing the parser skipped as junk.
    for (const source of [enUi, esUi]) {
      expect(new FluentResource(source).body.length).toBe([...source.matchAll(/^[a-zA-Z][\w-]* *=/gm)].length);
    }
  });

  it("title and explain every setting, in the schema's English words", () => {
    const settings = schemaSettings();
    expect(settings.length).toBeGreaterThan(40);
    setLanguage("en");
    for (const s of settings) {
      for (const part of ["title", "help"] as const) {
        const id = `${settingId(s.key)}-${part}`;
        expect(ids(enUi), id).toContain(id);
        expect(ids(esUi), id).toContain(id);
        expect(t(id), id).toBe(s[part]);
      }
      for (const o of s.options) {
        expect(ids(esUi)).toContain(`${settingId(s.key)}-option-${o}`);
      }
    }
    setLanguage("es");
    const idle = settings.find((s) => s.key === "shield.idle_seconds")!;
    expect(settingText(idle, "title")).toBe("Cubrir la pantalla tras (segundos de inactividad)");
  });

  it("are all used by the windows", () => {
    expect(Object.keys(sources)).toEqual(expect.arrayContaining(["../index.html", "../training.html", "./view.ts", "./main.ts"]));
    const code = Object.values(sources).join("\n");
    const unused = ids(enUi).filter(
      (id) => !id.startsWith("setting-") && !code.includes(`"${id}"`) && !code.includes(`'${id}'`) && !code.includes(`\`${id}\``),
    );
    expect(unused).toEqual([]);
    const used = [...code.matchAll(/\bt\(\s*"([^"]+)"/g), ...code.matchAll(/data-i18n(?:-label)?="([^"]+)"/g)].map((m) => m[1]);
    expect(used.length).toBeGreaterThan(100);
    expect(used.filter((id) => !ids(enUi).includes(id))).toEqual([]);
  });
});
