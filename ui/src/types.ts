// Mirrors of the Rust types the app sends (veil-core `status` and `settings`).

export type PrivacyMode = "on" | "off";
export type Overall = "protected" | "attention" | "off";

export interface Problem {
  source: string;
  summary: string;
  message: string;
}

export interface FileError {
  file: string;
  line: number;
  column: number;
  key: string | null;
  message: string;
}

export type FileStatus =
  | { path: string; state: "missing" }
  | { path: string; state: "loaded" }
  | { path: string; state: "rejected"; errors: FileError[] };

export interface StoreStatus {
  state: "ok" | "unavailable" | "starting";
  path: string;
  key_storage: "credential_store" | "key_file" | null;
  message: string | null;
  kept_aside: string | null;
}

export interface Status {
  version: string;
  privacy_mode: PrivacyMode;
  state: Overall;
  privacy_mode_locked: boolean;
  problems: Problem[];
  policy_file: FileStatus;
  settings_file: FileStatus;
  store: StoreStatus;
  microphone: MicStatus;
  camera: CameraStatus;
  training: TrainingStatus;
  shield: ShieldStatus;
}

export interface ShieldStatus {
  state: "active" | "warning" | "shielded" | "locked";
  idle_seconds: number;
  idle_source: "x11" | "windows" | "macos" | "mutter" | "ext-idle-notify" | "none";
  enabled: boolean;
  message: string | null;
  shortcut: { keys: string | null; registered: boolean; message: string | null };
}

export interface TrainingStatus {
  modules: number;
  completed: number;
  due: number;
  next_quiz_in_seconds: number | null;
  quiz_held: "call" | "shield" | "just_back" | "snoozed" | "nothing_to_ask" | null;
  errors: string[];
}

export interface CameraUser {
  pid: number;
  exe: string;
  user: string | null;
  allowed: boolean;
}

export interface CameraDeviceStatus {
  name: string;
  path: string;
  in_use: boolean;
  users: CameraUser[];
}

export interface UseSession {
  kind: "camera" | "microphone";
  device: string;
  device_name: string;
  pid: number;
  exe: string;
  app: string;
  user: string | null;
  started: number;
  stopped: number | null;
  allowed: boolean;
}

export interface CameraStatus {
  devices: CameraDeviceStatus[];
  microphone_users: { pid: number; exe: string; device: string; user: string | null; allowed: boolean }[];
  detection: "ok" | "degraded";
  sources: { name: string; ok: boolean; message: string | null }[];
  message: string | null;
  recent: UseSession[];
  cover: { covered: boolean; device: string; luminance: number; checked_at: number } | null;
}

export interface MicStatus {
  default: string | null;
  headset: string | null;
  muted: string[];
  compliant: boolean;
  backend: "pulseaudio" | "wasapi" | "coreaudio";
  connection: "starting" | "connected" | "disconnected";
  enforcing: boolean;
  contested: boolean;
  message: string | null;
}

/** The mic check's live level, as the app sends it. */
export type MicLevel =
  | { state: "running"; device: string; level: number }
  | { state: "stopped" }
  | { state: "failed"; message: string };

export type Kind =
  | { type: "bool" }
  | { type: "integer"; min: number; max: number }
  | { type: "choice"; options: string[] }
  | { type: "text" }
  | { type: "text_list" }
  | { type: "shortcut" };

export type SettingValue = boolean | number | string | string[];

export interface Entry {
  key: string;
  title: string;
  help: string;
  kind: Kind;
  scope: "user_and_policy" | "policy_only";
  value: SettingValue;
  source: "default" | "user" | "policy";
  locked: boolean;
  line: number | null;
}

export interface Snapshot {
  status: Status;
  settings: { entries: Entry[] };
}

export interface About {
  version: string;
  policy_path: string;
  settings_path: string;
  log_dir: string;
  data_dir: string;
}
