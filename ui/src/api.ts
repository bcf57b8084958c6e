// The commands the main window may call (see src-tauri/capabilities/main.json).
import { invoke } from "@tauri-apps/api/core";
import { listen, type UnlistenFn } from "@tauri-apps/api/event";
import type { About, SettingValue, Snapshot } from "./types";

export const SNAPSHOT_EVENT = "veil://snapshot";

export const getSnapshot = () => invoke<Snapshot>("get_snapshot");
export const getAbout = () => invoke<About>("get_about");
export const setPrivacyMode = (on: boolean) => invoke<void>("set_privacy_mode", { on });
export const setSetting = (key: string, value: SettingValue | null) =>
  invoke<void>("set_setting", { key, value });

export const onSnapshot = (f: (s: Snapshot) => void): Promise<UnlistenFn> =>
  listen<Snapshot>(SNAPSHOT_EVENT, (e) => f(e.payload));
