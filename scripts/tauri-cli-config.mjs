// The Tauri CLI takes its project from the folder that holds
// tauri.conf.json and needs the app crate's Cargo.toml in that same
// folder; Veil's config is at the repository root (beside the workspace's
// Cargo.toml), where the app crate's build reads it. So the installer
// build gives the CLI a copy in src-tauri/ with every path rebased onto
// that folder. The copy is written for the build and removed after it;
// the root file stays the one source of truth.
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const roots = ["ui/", "assets/", "packaging/", "target/"];
const rebase = (v) => {
  if (typeof v === "string") return roots.some((r) => v.startsWith(r)) ? `../${v}` : v;
  if (Array.isArray(v)) return v.map(rebase);
  if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, rebase(x)]));
  return v;
};

for (const name of ["tauri.conf.json", "tauri.linux.conf.json"]) {
  const config = rebase(JSON.parse(readFileSync(join(root, name), "utf8")));
  // The build script builds the front end itself, before the CLI runs.
  if (config.build) delete config.build.beforeBuildCommand;
  writeFileSync(join(root, "src-tauri", name), JSON.stringify(config, null, 2) + "\n");
}
