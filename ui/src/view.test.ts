import { describe, expect, it, vi } from "vitest";
import type { CameraStatus, CheckStatus, DestinationStatus, PostureStatus, Snapshot } from "./bindings";
import {
  cameraSummary,
  fileStateText,
  fleetSummary,
  formatValue,
  liveUses,
  micSummary,
  postureSummary,
  renderDashboard,
  renderSettings,
  shieldSummary,
  stateCopy,
  trainingSummary,
} from "./view";

function cameraStatus(over: Partial<CameraStatus> = {}): CameraStatus {
  return {
    devices: [{ name: "Integrated Camera", path: "/dev/video0", in_use: false, users: [] }],
    microphone_users: [],
    detection: "ok",
    sources: [{ name: "procfs", ok: true, message: null }],
    message: null,
    recent: [],
    cover: null,
    ...over,
  };
}

function snap(over: Partial<Snapshot["status"]> = {}): Snapshot {
  return {
    status: {
      version: "0.1.0",
      privacy_mode: "on",
      state: "protected",
      privacy_mode_locked: false,
      problems: [],
      policy_file: { path: "/etc/veil/policy.toml", state: "missing", sha256: null },
      settings_file: { path: "/home/a/.config/veil/settings.toml", state: "missing", sha256: null },
      store: { state: "ok", path: "/d/veil.db", key_storage: "credential_store", message: null, kept_aside: null },
      microphone: {
        default: "Jabra Evolve2 40", headset: "Jabra Evolve2 40", muted: ["Built-in Microphone"], compliant: true,
        backend: "pulseaudio", connection: "connected", enforcing: true, contested: false, message: null,
        recording: false, mic_check: false,
      },
      camera: cameraStatus(),
      training: { modules: 12, completed: 1, due: 2, next_quiz_in_seconds: 600, quiz_held: null, errors: [] },
      shield: {
        state: "active", idle_seconds: 3, idle_source: "x11", enabled: true, message: null,
        shortcut: { keys: "Ctrl+Alt+Shift+P", registered: true, message: null },
        lock_failed: false, lock_message: null,
      },
      fleet: { destinations: [], host_id: "0f1e2d3c4b5a69788796a5b4c3d2e1f0" },
      posture: { checks: [], compliant: true, checked_at: null, checking: false },
      ...over,
    },
    quiz: null,
    language: "en",
    settings: {
      entries: [
        {
          key: "appearance", title: "Appearance", help: "h", kind: { type: "choice", options: ["system", "light", "dark"] },
          scope: "user_and_policy", value: "dark", source: "policy", locked: true, line: 3,
        },
        {
          key: "start_at_login", title: "Start", help: "h", kind: { type: "bool" },
          scope: "user_and_policy", value: true, source: "default", locked: false, line: null,
        },
        {
          key: "allow_quit", title: "Quit", help: "h", kind: { type: "bool" },
          scope: "policy_only", value: false, source: "policy", locked: true, line: 1,
        },
      ],
    },
  };
}

describe("state copy", () => {
  it("names each state", () => {
    expect(stateCopy(snap().status).title).toBe("You're protected");
    expect(stateCopy(snap({ state: "off", privacy_mode: "off" }).status).title).toBe("Privacy mode is off");
    const two = snap({ state: "attention", problems: [{ source: "policy", summary: "a", message: "a", code: "", args: {}, parts: {} }, { source: "settings", summary: "b", message: "b", code: "", args: {}, parts: {} }] });
    expect(stateCopy(two.status).detail).toContain("2 things");
  });

  it("describes file states", () => {
    expect(fileStateText({ path: "p", state: "loaded", sha256: "ab" }, "none")).toBe("In effect");
    expect(fileStateText({ path: "p", state: "missing", sha256: null }, "none")).toBe("none");
  });
});

describe("dashboard", () => {
  it("shows problems as text, never as HTML", () => {
    const el = renderDashboard(
      snap({ state: "attention", problems: [{ source: "policy", summary: "x", message: "<img src=x onerror=alert(1)>", code: "", args: {}, parts: {} }] }),
      () => {},
    );
    expect(el.querySelector("img")).toBeNull();
    expect(el.querySelector(".problem-message")?.textContent).toBe("<img src=x onerror=alert(1)>");
    expect(el.querySelector("#state-card")?.getAttribute("data-state")).toBe("attention");
  });

  it("locks the switch when policy forces privacy mode", () => {
    const el = renderDashboard(snap({ privacy_mode_locked: true }), () => {});
    const toggle = el.querySelector<HTMLInputElement>("#privacy-toggle")!;
    expect(toggle.disabled).toBe(true);
    expect(el.textContent).toContain("Set by your organization");
  });

  it("sends the toggle to the app", () => {
    const on = vi.fn();
    const el = renderDashboard(snap(), on);
    const toggle = el.querySelector<HTMLInputElement>("#privacy-toggle")!;
    toggle.checked = false;
    toggle.dispatchEvent(new Event("change"));
    expect(on).toHaveBeenCalledWith(false);
  });
});

describe("store", () => {
  it("says where the key is and when an old log was kept aside", () => {
    const ok = renderDashboard(snap(), () => {});
    expect(ok.querySelector("#store-state")?.textContent).toContain("credential store");
    const kept = renderDashboard(
      snap({ store: { state: "ok", path: "/d/veil.db", key_storage: "key_file", message: "m", kept_aside: "/d/veil.db.damaged-1" } }),
      () => {},
    );
    expect(kept.querySelector("#store-state")?.textContent).toContain("file only you can read");
    expect(kept.querySelector("#store-kept-aside code")?.textContent).toBe("/d/veil.db.damaged-1");
  });
});

describe("settings", () => {
  it("disables locked keys and labels them", () => {
    const el = renderSettings(snap(), () => {});
    const appearance = el.querySelector<HTMLSelectElement>("#setting-appearance")!;
    expect(appearance.disabled).toBe(true);
    expect(el.querySelector("[data-key=appearance] .lock-badge")?.textContent).toBe("Set by your organization");
    expect(el.querySelector<HTMLInputElement>("#setting-start_at_login")!.disabled).toBe(false);
    // Policy-only keys are listed read-only under the organization's section.
    expect(el.textContent).toContain("Quit");
  });

  it("reports a change with its key", () => {
    const change = vi.fn();
    const el = renderSettings(snap(), change);
    const box = el.querySelector<HTMLInputElement>("#setting-start_at_login")!;
    box.checked = false;
    box.dispatchEvent(new Event("change"));
    expect(change).toHaveBeenCalledWith("start_at_login", false);
  });
});

describe("microphone card", () => {
  const base = snap().status.microphone;
  it("says what the guard is doing", () => {
    const rows: [Partial<typeof base>, boolean, string, string][] = [
      [{}, true, "You speak through Jabra Evolve2 40", "ok"],
      [{ headset: null }, true, "Connect your headset — the laptop microphone stays muted until then", "alert"],
      [{ connection: "disconnected" }, true, "Cannot reach the audio system; Veil keeps trying", "alert"],
      [{}, false, "Not guarded while privacy mode is off", "off"],
      [{ contested: true }, true, "Another program keeps changing your microphone settings", "alert"],
    ];
    for (const [over, on, text, tone] of rows) {
      expect(micSummary({ ...base, ...over }, on)).toEqual({ text, tone });
    }
  });

  it("runs the mic check from its button", () => {
    const onStart = vi.fn();
    const onStop = vi.fn();
    const idle = renderDashboard(snap(), () => {}, { level: null, onStart, onStop });
    const button = idle.querySelector<HTMLButtonElement>("#mic-check-button")!;
    expect(button.textContent).toBe("Test microphone");
    button.click();
    expect(onStart).toHaveBeenCalledOnce();
    const running = renderDashboard(snap(), () => {}, {
      level: { state: "running", device: "Jabra Evolve2 40", level: 0.4 },
      onStart,
      onStop,
    });
    expect(running.querySelector<HTMLMeterElement>("#mic-level")!.getAttribute("value")).toBe("0.4");
    running.querySelector<HTMLButtonElement>("#mic-check-button")!.click();
    expect(onStop).toHaveBeenCalledOnce();
  });
});

describe("camera card", () => {
  it("says who uses what, and never reads degraded detection as nothing in use", () => {
    expect(cameraSummary(cameraStatus()).text).toBe("No program is using your camera or microphone");
    const degraded = cameraStatus({ detection: "degraded", message: "/proc is not mounted" });
    expect(cameraSummary(degraded).tone).toBe("alert");
    expect(cameraSummary(degraded).text).toContain("/proc is not mounted");
    const used = cameraStatus({
      devices: [
        {
          name: "Integrated Camera", path: "/dev/video0", in_use: true,
          users: [{ pid: 9, exe: "/opt/google/chrome/chrome", user: "a", allowed: false, trust: "verified" }],
        },
      ],
      microphone_users: [
        { pid: 7, exe: "C:\\Apps\\Zoiper.exe", device: "Jabra", user: null, allowed: true, trust: "verified" },
        { pid: 8, exe: "/home/a/Downloads/obs", device: "Jabra", user: null, allowed: false, trust: "untrusted_location" },
        { pid: 9, exe: "/usr/bin/veil", device: "Jabra", user: null, allowed: false, trust: "claimed" },
      ],
    });
    expect(liveUses(used).map((u) => u.text)).toEqual([
      "chrome is using the camera (Integrated Camera)",
      "Zoiper is using the microphone (Jabra)",
      "obs (a copy outside the system's program folders) is using the microphone (Jabra)",
      "An unknown program is using the microphone (Jabra)",
    ]);
    expect(cameraSummary(used).tone).toBe("alert");
    const el = renderDashboard(snap({ camera: used }), () => {});
    expect(el.querySelector("#camera-live")?.textContent).toContain("not approved by your organization");
  });

  it("lists recent sessions with their length", () => {
    const c = cameraStatus({
      recent: [
        {
          kind: "camera", device: "/dev/video0", device_name: "Integrated Camera", pid: 9, exe: "/usr/bin/obs",
          app: "obs", user: null, started: 1_000_000, stopped: 1_042_000, allowed: false, trust: "verified",
        },
      ],
    });
    const el = renderDashboard(snap({ camera: c }), () => {});
    expect(el.querySelector("#camera-recent")?.textContent).toContain("obs — camera (Integrated Camera)");
    expect(el.querySelector("#camera-recent")?.textContent).toContain("42 s");
  });
});

describe("shield card", () => {
  it("shows the shortcut, the idle source and a working button", () => {
    const onShieldNow = vi.fn();
    const el = renderDashboard(snap(), () => {}, undefined, () => {}, onShieldNow);
    expect(el.querySelector("#shield-shortcut")?.textContent).toBe("Ctrl+Alt+Shift+P");
    expect(el.querySelector("#shield-source")?.textContent).toBe("X11 screen saver extension");
    (el.querySelector("#shield-now") as HTMLButtonElement).click();
    expect(onShieldNow).toHaveBeenCalledOnce();
  });

  it("says when the shortcut or idle time is not available", () => {
    const base = snap().status.shield;
    const taken = renderDashboard(
      snap({ shield: { ...base, shortcut: { keys: "Ctrl+Alt+Shift+P", registered: false, message: "taken" } } }),
      () => {},
    );
    const cell = taken.querySelector("#shield-shortcut");
    expect(cell?.textContent).toBe("Ctrl+Alt+Shift+P — not available: taken");
    expect(cell?.className).toBe("tone-alert");
    expect(shieldSummary({ ...base, idle_source: "none", message: "no display" }).tone).toBe("alert");
    expect(shieldSummary({ ...base, enabled: false }).text).toBe("Off while privacy mode is off");
    const off = renderDashboard(snap({ shield: { ...base, shortcut: { keys: null, registered: false, message: null } } }), () => {});
    expect(off.querySelector("#shield-shortcut")?.textContent).toBe("None");
    const limited = renderDashboard(
      snap({ shield: { ...base, shortcut: { keys: "Ctrl+Alt+Shift+P", registered: true, message: "only with X11 focus" } } }),
      () => {},
    );
    expect(limited.querySelector("#shield-shortcut")?.textContent).toBe("Ctrl+Alt+Shift+P — only with X11 focus");
  });

  it("names the away detection and its limits", () => {
    const base = snap().status.shield;
    const kde = renderDashboard(
      snap({ shield: { ...base, idle_source: "ext-idle-notify", message: "waits while a video plays" } }),
      () => {},
    );
    expect(kde.querySelector("#shield-source")?.textContent).toBe("Wayland idle notifications");
    expect(kde.querySelector("#shield-message")?.textContent).toBe("waits while a video plays");
    expect(renderDashboard(snap(), () => {}).querySelector("#shield-message")).toBeNull();
  });
});

describe("trainingSummary", () => {
  const base = { modules: 12, completed: 3, due: 1, next_quiz_in_seconds: 600, quiz_held: null } as const;
  it.each([
    [{}, "3 of 12 modules completed · 1 with work due · next quiz in about 10 min"],
    [{ quiz_held: "call" as const, next_quiz_in_seconds: 0 }, "3 of 12 modules completed · 1 with work due · next quiz after your call"],
    [{ quiz_held: "snoozed" as const, next_quiz_in_seconds: 900 }, "3 of 12 modules completed · 1 with work due · quiz postponed for about 15 min"],
    [{ quiz_held: "nothing_to_ask" as const, next_quiz_in_seconds: 0, due: 0 }, "3 of 12 modules completed"],
    [{ next_quiz_in_seconds: null, due: 0 }, "3 of 12 modules completed"],
  ])("%o", (over, want) => {
    expect(trainingSummary({ ...base, ...over })).toBe(want);
  });
});

describe("reporting to the organization", () => {
  const dest = (over: Partial<DestinationStatus> = {}): DestinationStatus => ({
    kind: "syslog", endpoint: "logs.example.com:6514", state: "connected", queued: 0,
    last_delivered_at: 1_000_000, last_error: null, failing_since: null, ...over,
  });

  it("is not shown without receivers", () => {
    expect(fleetSummary({ destinations: [], host_id: null })).toBeNull();
    expect(renderDashboard(snap(), () => {}).querySelector("#fleet-card")).toBeNull();
  });

  it("says in plain words whether records reach the organization", () => {
    expect(fleetSummary({ destinations: [dest()], host_id: "h" })?.tone).toBe("ok");
    const down = fleetSummary({ destinations: [dest(), dest({ kind: "otlp", state: "retrying", queued: 3 })], host_id: "h" });
    expect(down?.tone).toBe("alert");
    expect(down?.text).toContain("cannot reach your organization");
    const refused = fleetSummary({ destinations: [dest({ state: "parked", last_error: "the collector refused the records (400)" })], host_id: "h" });
    expect(refused?.text).toContain("refused");
  });

  it("lists each receiver with its queue and error", () => {
    const el = renderDashboard(
      snap({ fleet: { destinations: [dest({ state: "retrying", queued: 2, last_error: "connection refused" })], host_id: "h" } }),
      () => {},
    );
    const card = el.querySelector("#fleet-card");
    expect(card?.textContent).toContain("Reporting to your organization");
    expect(card?.textContent).toContain("Syslog server (logs.example.com:6514)");
    expect(card?.textContent).toContain("2 records waiting");
    expect(card?.textContent).toContain("connection refused");
  });

  it("never shows a collector token", () => {
    expect(formatValue({ Authorization: "Bearer secret" }, "fleet.otlp_headers")).toBe("Authorization (values hidden)");
    expect(formatValue({ site: "lisbon" }, "fleet.labels")).toBe("site: lisbon");
  });
});

describe("postureSummary", () => {
  const check = (over: Partial<CheckStatus>): CheckStatus => ({
    id: "screen_lock",
    result: "pass",
    required: true,
    observed: "lock_on",
    expected: "locks within 15 minutes",
    reason: null,
    since: 0,
    fix_by: null,
    title: "Screen lock",
    detail: "",
    why: "",
    fix: null,
    title_message: { key: "check-screen-lock-title", args: {} },
    detail_message: { key: "check-screen-lock-gnome-off", args: {} },
    why_message: { key: "check-screen-lock-why", args: {} },
    ...over,
  });
  const posture = (checks: CheckStatus[]): PostureStatus => ({
    checks,
    compliant: !checks.some((c) => c.required && c.result === "fail"),
    checked_at: 0,
    checking: false,
  });
  it("asks for a fix when a required check fails past its date", () => {
    const s = postureSummary(posture([check({ result: "fail" })]), 1000);
    expect(s.tone).toBe("alert");
    expect(s.text).toContain("needs fixing");
  });
  it("gives the date while the grace lasts", () => {
    const s = postureSummary(posture([check({ result: "fail", fix_by: 5000 })]), 1000);
    expect(s.text).toContain("by");
  });
  it("does not count unknown or advice against the computer", () => {
    const s = postureSummary(
      posture([check({ result: "unknown" }), check({ id: "wifi", result: "fail", required: false })]),
      1000,
    );
    expect(s.tone).toBe("ok");
    expect(s.text).toContain("advice");
  });
});

