// The commands the main window may call (see src-tauri/capabilities/main.json).
import { invoke } from "@tauri-apps/api/core";
import { listen, type UnlistenFn } from "@tauri-apps/api/event";
import type { About, MicLevel, SettingValue, Snapshot } from "./types";

export const SNAPSHOT_EVENT = "veil://snapshot";

export const getSnapshot = () => invoke<Snapshot>("get_snapshot");
export const getAbout = () => invoke<About>("get_about");
export const setPrivacyMode = (on: boolean) => invoke<void>("set_privacy_mode", { on });
export const setSetting = (key: string, value: SettingValue | null) =>
  invoke<void>("set_setting", { key, value });

export const MIC_LEVEL_EVENT = "veil://mic-level";
export const startMicCheck = () => invoke<void>("start_mic_check");
export const stopMicCheck = () => invoke<void>("stop_mic_check");
export const onMicLevel = (f: (l: MicLevel) => void): Promise<UnlistenFn> =>
  listen<MicLevel>(MIC_LEVEL_EVENT, (e) => f(e.payload));

export const onSnapshot = (f: (s: Snapshot) => void): Promise<UnlistenFn> =>
  listen<Snapshot>(SNAPSHOT_EVENT, (e) => f(e.payload));

export const openTraining = () => invoke<void>("open_training");
export const shieldNow = () => invoke<void>("shield_now");
