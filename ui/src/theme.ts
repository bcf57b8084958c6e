// Light or dark: the agent's setting, or else the OS preference, followed live.
import type { Snapshot } from "./bindings";

const darkQuery = window.matchMedia?.("(prefers-color-scheme: dark)");
let choice: string = "system";

function apply() {
  const dark = choice === "dark" || (choice === "system" && !!darkQuery?.matches);
  document.documentElement.dataset.theme = dark ? "dark" : "light";
}

darkQuery?.addEventListener?.("change", apply);

export function applyTheme(s: Snapshot) {
  const appearance = s.settings.entries.find((e) => e.key === "appearance")?.value;
  choice = typeof appearance === "string" ? appearance : "system";
  apply();
}

apply();
