// Generated from Veil's Rust types and its window call table
// (crates/veil-core/src/window_calls.rs, ui_bindings.rs). Do not edit:
// VEIL_BLESS=1 cargo test -p veil-core --lib ui_bindings
// regenerates it, and that test fails while it is stale.

import { invoke } from "@tauri-apps/api/core";
import { listen, type UnlistenFn } from "@tauri-apps/api/event";

/**
 * The About page.
 */
export type About = { version: string, policy_path: string, settings_path: string, log_dir: string, data_dir: string, };

/**
 * A recorded answer's result: what was chosen, whether it was right, and
 * every option's key and explanation.
 */
export type AnswerOutcome = { question: string, chosen: Array<string>, correct: boolean, options: Array<OptionResult>, };

/**
 * `devices`, `microphone_users` and `detection` are the contract; the rest
 * explains.
 */
export type CameraStatus = { devices: Array<DeviceStatus>, microphone_users: Array<MicrophoneUser>, detection: Detection, 
/**
 * Which detection sources work here, and why the others do not.
 */
sources: Array<SourceCheck>, 
/**
 * Why detection is degraded.
 */
message: string | null, 
/**
 * Finished sessions, most recent first.
 */
recent: Array<Session>, cover: CoverCheck | null, };

export type CameraUser = { pid: number, exe: string, user: string | null, 
/**
 * The allow-list names this program.
 */
allowed: boolean, 
/**
 * Whose word the pid and program are (`verified`,
 * `untrusted_location`, `claimed`).
 */
trust: Trust, };

/**
 * One check. Its name (`disk_encryption`, ...) is a contract: policy's
 * `posture.required`, `veil status --json`, `veil posture` and the
 * `posture_changed` record use it.
 */
export type CheckId = "disk_encryption" | "firewall" | "screen_lock" | "os_updates" | "antivirus" | "wifi" | "vpn" | "secure_boot";

/**
 * A check's outcome. `Unknown` is never a failure: it means Veil could not
 * tell, and `reason` says why.
 */
export type CheckResult = "pass" | "fail" | "unknown" | "not_applicable";

/**
 * One entry of `posture.checks` in `veil status --json`.
 */
export type CheckStatus = { id: CheckId, result: CheckResult, required: boolean, observed: string, expected: string, reason: string | null, 
/**
 * Unix ms since this result holds.
 */
since: number, 
/**
 * Unix ms by which a failing required check must be fixed (grace);
 * null when not failing, not required, or without grace.
 */
fix_by: number | null, 
/**
 * For the card: the check's name, the finding, why it matters, the fix
 * (in English, for scripts; the window shows the messages below).
 */
title: string, detail: string, why: string, fix: Fix | null, 
/**
 * `title`, `detail` and `why` as catalog messages, for the window.
 */
title_message: Message, detail_message: Message, why_message: Message, };

export type Connection = "starting" | "connected" | "disconnected";

/**
 * Whether the lens looked covered at the last check (opt-in by policy).
 */
export type CoverCheck = { covered: boolean, device: string, luminance: number, 
/**
 * Unix milliseconds.
 */
checked_at: number, };

/**
 * One receiver.
 */
export type DestinationKind = "otlp" | "syslog";

export type DestinationState = "connected" | "retrying" | "parked" | "off";

/**
 * One entry of `fleet.destinations` in `veil status --json`.
 */
export type DestinationStatus = { kind: DestinationKind, endpoint: string, state: DestinationState, 
/**
 * Audit records not yet taken by this receiver.
 */
queued: number, 
/**
 * Unix ms of the last delivery the receiver acknowledged.
 */
last_delivered_at: number | null, last_error: string | null, 
/**
 * Unix ms since which sends have failed (for the agent's alert).
 */
failing_since: number | null, };

export type Detection = "ok" | "degraded";

export type DeviceStatus = { name: string, path: string, in_use: boolean, users: Array<CameraUser>, };

export type Effective = { entries: Array<Entry>, };

export type Entry = { key: string, title: string, help: string, kind: Kind, scope: Scope, value: Value, source: Source, 
/**
 * Set by the organization: the agent cannot change it.
 */
locked: boolean, 
/**
 * Line in the file the value came from, for `veil policy show`.
 */
line: number | null, };

/**
 * A problem in a settings or policy file, located for a human. Values
 * from the registry or a configuration profile have no line: `line` and
 * `column` are 0 there and `file` is the registry value's path or the
 * profile's file.
 */
export type FileError = { file: string, line: number, column: number, key: string | null, message: string, };

export type FileStatus = { path: string, 
/**
 * SHA-256 of the file as read (lowercase hex); null when missing or
 * unreadable. IT compares it with the file it deployed. With registry
 * or profile values, of the canonical text of the file and those
 * values together (`PolicyRead::canonical_text`).
 */
sha256: string | null, 
/**
 * The registry key or configuration profiles whose values are merged
 * over the file, most important first; absent when there are none.
 */
managed?: Array<string>, } & ({ "state": "missing" } | { "state": "loaded" } | { "state": "rejected", errors: Array<FileError>, });

/**
 * How to fix a check on this computer.
 */
export type Fix = { 
/**
 * In English, for scripts and the CLI: `step_messages` in English.
 */
steps: Array<string>, 
/**
 * The settings page the "Open settings" button opens (a URI or a
 * program name Veil knows), when the OS has one.
 */
settings: string | null, 
/**
 * The button's label (English).
 */
settings_label: string | null, 
/**
 * The steps and the label as catalog messages, for the window.
 */
step_messages: Array<Message>, settings_label_message: Message | null, };

/**
 * The `fleet` object of `veil status --json`.
 */
export type FleetStatus = { destinations: Array<DestinationStatus>, 
/**
 * This computer's id as the receivers see it (a keyed hash of the OS
 * machine id, never the raw id); null until known.
 */
host_id: string | null, };

export type Held = "call" | "shield" | "just_back" | "snoozed" | "nothing_to_ask";

/**
 * What values a setting accepts.
 */
export type Kind = { "type": "bool" } | { "type": "integer", min: number, max: number, } | { "type": "choice", options: Array<string>, } | { "type": "text" } | { "type": "text_list" } | { "type": "choice_list", options: Array<string>, } | { "type": "shortcut" } | { "type": "command" } | { "type": "table" } | { "type": "url" } | { "type": "host_port" };

/**
 * A language Veil ships complete catalogs for.
 */
export type Language = "en" | "es";

/**
 * A message to format later, in whichever language it is shown in: the
 * actor logs it in English and shows it in the agent's language. It also
 * crosses to the windows (a device check's finding and fix steps, a
 * problem's parts), which format it from the same catalogs
 * (ui/src/i18n.ts `messageText`).
 */
export type Message = { key: string, args: { [key in string]: MessageArg }, };

/**
 * One argument of a [`Message`]: a number (plurals select on it), a text
 * shown as it is (what Veil observed: a name, a path, an error from the
 * OS), or a message of its own, formatted in the same language first.
 */
export type MessageArg = number | string | Message;

/**
 * The dashboard's mic check: the live input level of the default
 * microphone, as the tray app measures it.
 */
export type MicLevel = { "state": "running", device: string, level: number, } | { "state": "stopped" } | { "state": "failed", message: string, };

/**
 * The `microphone` object of `veil status --json`. `default`, `headset`,
 * `muted`, `compliant` and `backend` are the contract; the rest explains.
 */
export type MicStatus = { 
/**
 * The default input's name.
 */
default: string | null, 
/**
 * The headset Veil keeps as the default, if one is connected.
 */
headset: string | null, 
/**
 * Every muted input, by name.
 */
muted: Array<string>, 
/**
 * A headset is the default and no laptop or webcam microphone is open.
 */
compliant: boolean, 
/**
 * `pulseaudio`, `wasapi` or `coreaudio`.
 */
backend: string, connection: Connection, 
/**
 * Privacy mode is on, so the guard enforces the rule.
 */
enforcing: boolean, 
/**
 * Another program keeps undoing Veil's changes.
 */
contested: boolean, 
/**
 * Why the audio system cannot be reached, when it cannot.
 */
message: string | null, 
/**
 * An application is recording (a call is likely under way).
 */
recording: boolean, 
/**
 * The dashboard's mic check has the default microphone open now.
 */
mic_check: boolean, };

export type MicrophoneUser = { pid: number, exe: string, 
/**
 * The input's name.
 */
device: string, user: string | null, allowed: boolean, trust: Trust, };

export type ModuleProgress = { id: string, lesson_read: boolean, 
/**
 * Questions answered right at least once.
 */
answered: number, total: number, 
/**
 * 0-100: how firmly the module's questions are learned (right answers
 * in a row, up to three, averaged).
 */
mastery: number, 
/**
 * Lesson read and every question answered right once.
 */
completed: boolean, 
/**
 * Questions due for review now.
 */
due_questions: number, };

/**
 * One module as the training window lists it.
 */
export type ModuleView = { id: string, title: string, lesson: string, reading_minutes: number, mandatory: boolean, due_date: string | null, progress: ModuleProgress, };

export type OptionResult = { id: string, correct: boolean, explain: string, };

export type OptionView = { id: string, text: string, };

/**
 * The state at a glance, as the tray icon shows it.
 */
export type Overall = "protected" | "attention" | "off";

/**
 * The `posture` object of `veil status --json`.
 */
export type PostureStatus = { checks: Array<CheckStatus>, 
/**
 * No required check fails (an `unknown` is not a failure).
 */
compliant: boolean, 
/**
 * Unix ms of the last run; null before the first.
 */
checked_at: number | null, 
/**
 * A run is under way ("Check again").
 */
checking: boolean, };

export type PrivacyMode = "on" | "off";

export type Problem = { 
/**
 * Which part of Veil reports it (`policy`, `settings`, `microphone`, ...).
 */
source: string, 
/**
 * A few words for the tray menu ("Connect your headset").
 */
summary: string, message: string, 
/**
 * Names the problem for the agent's language: the catalogs
 * (locales/<lang>/problems.ftl) have `problem-<code>-summary` and
 * `problem-<code>-message`, formatted with `args`. `summary` and
 * `message` stay English, for scripts and logs.
 */
code: string, args: { [key in string]: string }, 
/**
 * Arguments that have a message of their own (a device check's
 * finding): in the agent's language they stand for the argument of the
 * same name, whose English `args` keeps.
 */
parts: { [key in string]: Message }, };

export type QuestionKind = "single" | "multiple" | "true_false" | "scenario";

/**
 * One question before it is answered: the situation, the prompt and the
 * options' text.
 */
export type QuestionView = { id: string, module: string, kind: QuestionKind, scenario: string | null, prompt: string, options: Array<OptionView>, };

/**
 * The quiz as the pop-up sees it: no answer key until a question has been
 * answered (a window that had the key could answer every question right
 * without reading it).
 */
export type QuizView = { questions: Array<QuestionView>, shown_at: number, seconds: number, can_snooze: boolean, practice: boolean, 
/**
 * Each answered question's result and explanations.
 */
answered: Array<AnswerOutcome>, };

/**
 * Who may set a key. Some keys only make sense as an organization's rule
 * (an agent forbidding themselves to quit is meaningless).
 */
export type Scope = "user_and_policy" | "policy_only";

export type Session = { kind: UseKind, device: string, device_name: string, pid: number, exe: string, 
/**
 * The program's name, for people.
 */
app: string, user: string | null, 
/**
 * Unix milliseconds.
 */
started: number, stopped: number | null, 
/**
 * The allow-list names this program (and it is where only an
 * administrator could have put it).
 */
allowed: boolean, 
/**
 * Whose word the pid and program are.
 */
trust: Trust, };

/**
 * The `shield` object of `veil status --json`.
 */
export type ShieldStatus = { 
/**
 * `active`, `warning`, `shielded` or `locked`.
 */
state: Stage, 
/**
 * Seconds since the last keyboard or mouse input.
 */
idle_seconds: number, 
/**
 * `x11`, `windows`, `macos`, `mutter`, `ext-idle-notify` or `none`.
 */
idle_source: string, 
/**
 * The idle shield is on (privacy mode on, or forced by policy).
 */
enabled: boolean, 
/**
 * Why idle time is not available, or why the shield failed.
 */
message: string | null, 
/**
 * The "shield now" keyboard shortcut.
 */
shortcut: ShortcutStatus, 
/**
 * The last lock was not confirmed by any way of locking this computer
 * (the cover stays up; `lock_message` says what each way did).
 */
lock_failed: boolean, lock_message: string | null, };

/**
 * The `shield.shortcut` object of `veil status --json`.
 */
export type ShortcutStatus = { 
/**
 * The keys, as registered; `null` when switched off.
 */
keys: string | null, 
/**
 * Pressing the keys in any program shields the screen.
 */
registered: boolean, 
/**
 * Why the keys could not be registered, or what limits them on this
 * desktop (Wayland).
 */
message: string | null, };

/**
 * Everything the windows render.
 */
export type Snapshot = { status: Status, 
/**
 * Every setting with its value and where it came from (the settings page).
 */
settings: Effective, 
/**
 * The quiz pop-up's content, while one is open.
 */
quiz: QuizView | null, 
/**
 * The language the windows show (the `language` setting, else the OS
 * locale).
 */
language: Language, };

/**
 * Where an effective value came from.
 */
export type Source = "default" | "user" | "policy";

/**
 * Whether one way of detecting use works on this machine.
 */
export type SourceCheck = { 
/**
 * `procfs`, `inotify`, `pipewire`, `consent_store`, `sensor_monitor`,
 * `coremediaio`, `coreaudio_processes`, `pulseaudio`.
 */
name: string, ok: boolean, 
/**
 * Why it does not work, or what it cannot see.
 */
message: string | null, };

export type Stage = "active" | "warning" | "shielded" | "locked";

/**
 * `veil status --json`. Support scripts rely on these names: add fields,
 * never rename or remove them.
 */
export type Status = { version: string, privacy_mode: PrivacyMode, state: Overall, privacy_mode_locked: boolean, problems: Array<Problem>, policy_file: FileStatus, settings_file: FileStatus, store: StoreStatus, microphone: MicStatus, shield: ShieldStatus, camera: CameraStatus, training: TrainingStatus, 
/**
 * The organization's receivers (`fleet.*` policy).
 */
fleet: FleetStatus, 
/**
 * The device checks ("This computer").
 */
posture: PostureStatus, };

export type StoreState = "starting" | "ok" | "unavailable";

/**
 * The encrypted store's health, as `veil status --json` shows it.
 */
export type StoreStatus = { state: StoreState, path: string, 
/**
 * `credential_store`, `key_file`, or null when unavailable.
 */
key_storage: string | null, 
/**
 * Why the store is unavailable, or why the key is not in the
 * credential store.
 */
message: string | null, 
/**
 * An earlier database that could not be opened, kept here.
 */
kept_aside: string | null, };

export type TrainingOverview = { modules: Array<ModuleView>, errors: Array<string>, };

/**
 * The `training` object of `veil status --json`. `modules`, `completed`,
 * `due` and `next_quiz_in_seconds` are the contract.
 */
export type TrainingStatus = { modules: number, 
/**
 * Modules whose lesson is read and every question answered right.
 */
completed: number, 
/**
 * Modules with work due: questions due for review, or a mandatory
 * module not completed.
 */
due: number, 
/**
 * Seconds of active time until the next quiz may pop up; null while
 * there is nothing to ask.
 */
next_quiz_in_seconds: number | null, 
/**
 * Why a quiz that is due does not pop up now: "call", "shield" (the
 * shield is up or the agent is away), "just_back" (within a minute of
 * coming back), "snoozed" ("Later"), "nothing_to_ask"; null otherwise.
 */
quiz_held: Held | null, 
/**
 * Content files that could not be loaded, as "file:line: problem".
 */
errors: Array<string>, };

/**
 * How far a use's process and program can be believed. A process in the
 * agent's account can claim any pid to the audio server, name itself
 * anything and copy any program anywhere; only what the OS or the server
 * establishes is taken, and only programs in folders an administrator
 * alone can write may be allowed by name.
 */
export type Trust = "verified" | "untrusted_location" | "claimed";

export type UseKind = "camera" | "microphone";

/**
 * A setting's value.
 */
export type Value = boolean | number | string | Array<string> | { [key in string]: string };

/** The state the windows render: status, settings, the open quiz. */
export const getSnapshot = (): Promise<Snapshot> =>
  invoke("get_snapshot");

/** Veil's version and where its files are (the About page). */
export const getAbout = (): Promise<About> =>
  invoke("get_about");

/** Turn privacy mode on or off (refused when policy forces it on). */
export const setPrivacyMode = (on: boolean): Promise<void> =>
  invoke("set_privacy_mode", { on });

/** Change one of the agent's own settings; `null` resets it. */
export const setSetting = (key: string, value: Value | null): Promise<void> =>
  invoke("set_setting", { key, value });

/** The dashboard's mic check: the tray app runs it and sends its levels back as the mic-level event. */
export const startMicCheck = (): Promise<void> =>
  invoke("start_mic_check");

/**  */
export const stopMicCheck = (): Promise<void> =>
  invoke("stop_mic_check");

/** Cover every monitor now. */
export const shieldNow = (): Promise<void> =>
  invoke("shield_now");

/** Open the training window. */
export const openTraining = (): Promise<void> =>
  invoke("open_training");

/** The training window's module list, lessons and progress. */
export const getTraining = (): Promise<TrainingOverview> =>
  invoke("get_training");

/** The agent opened a module's lesson. */
export const readLesson = (module: string): Promise<void> =>
  invoke("read_lesson", { module });

/** Start a practice quiz (of one module, or of any). */
export const practice = (module: string | null): Promise<void> =>
  invoke("practice", { module });

/** Write the training report (CSV) to the Downloads folder; answers the file's path. */
export const exportTraining = (): Promise<string> =>
  invoke("export_training");

/** An answer in the quiz pop-up (option ids chosen); answers its result and explanations once it is recorded. */
export const answerQuestion = (question: string, chosen: Array<string>): Promise<AnswerOutcome> =>
  invoke("answer_question", { question, chosen });

/** The quiz closed: with "Later", or finished. */
export const closeQuiz = (later: boolean): Promise<void> =>
  invoke("close_quiz", { later });

/** Run the device checks now ("Check again" on "This computer"). */
export const checkPosture = (): Promise<void> =>
  invoke("check_posture");

/** Open the system settings page that fixes a check; the tray app picks the page from its own table for this OS. */
export const openPostureSettings = (check: CheckId): Promise<void> =>
  invoke("open_posture_settings", { check });

/** Calls `f` with each `veil://snapshot` event. */
export const onSnapshot = (f: (payload: Snapshot) => void): Promise<UnlistenFn> =>
  listen<Snapshot>("veil://snapshot", (e) => f(e.payload));

/** Calls `f` with each `veil://mic-level` event. */
export const onMicLevel = (f: (payload: MicLevel) => void): Promise<UnlistenFn> =>
  listen<MicLevel>("veil://mic-level", (e) => f(e.payload));

/** Calls `f` with each `veil://shield-countdown` event. */
export const onShieldCountdown = (f: (payload: number) => void): Promise<UnlistenFn> =>
  listen<number>("veil://shield-countdown", (e) => f(e.payload));
