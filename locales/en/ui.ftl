# The windows' words (ui/src). Spanish: ../es/ui.ftl, same ids.
# Problems have their own catalog (problems.ftl); the Rust side's words are
# in app.ftl.

## Shared words
none = None
unknown-reason = unknown reason
loading = Loading…
value-yes = Yes
value-no = No
# A table setting whose values are credentials: only the names show.
value-hidden = { $names } (values hidden)

## The main window's pages (tabs and page title)
nav-dashboard = Dashboard
nav-settings = Settings
nav-about = About

## The overall state (dashboard and sidebar)
state-protected-title = You're protected
state-protected-detail = Privacy mode is on and everything Veil checks is as it should be.
state-attention-title = Needs your attention
state-attention-detail =
    { $count ->
        [one] Privacy mode is on, but one thing needs fixing.
       *[other] Privacy mode is on, but { $count } things need fixing.
    }
state-off-title = Privacy mode is off
state-off-detail = Turn it on before you take customer calls.

## Privacy mode
privacy-mode = Privacy mode
privacy-mode-help = Keeps your microphone, camera and screen private while you take calls.
privacy-mode-locked-help = Required by your organization. It stays on while you work.
privacy-mode-on = On
privacy-mode-off = Off

## Problems, by the part of Veil that reports them
problems-label = Problems
problems-title = What needs attention
source-microphone = Microphone
source-camera = Camera and microphone use
source-shield = Screen shield
source-policy = Organization policy
source-settings = Your settings file
source-store = Audit log
source-fleet = Reporting to your organization
source-posture = This computer

## Microphone card
mic-title = Microphone
mic-starting = Checking your microphones…
mic-disconnected = Cannot reach the audio system; Veil keeps trying
mic-not-guarded = Not guarded while privacy mode is off
mic-no-headset = Connect your headset — the laptop microphone stays muted until then
mic-contested = Another program keeps changing your microphone settings
mic-speaking-through = You speak through { $headset }
mic-default = Default microphone
mic-muted = Muted
mic-level-label = Microphone level
mic-check-start = Test microphone
mic-check-stop = Stop test
mic-check-speak-now = Speak now: { $device }
mic-check-hint = See that your headset hears you before a call.

## Camera and microphone use card
camera-title = Camera and microphone use
camera-starting = Checking who uses your camera and microphone…
camera-degraded = Veil cannot see every use of your camera and microphone: { $why }
camera-idle = No program is using your camera or microphone
camera-unapproved = A program your organization has not approved is using a device
camera-approved = Only approved programs are using your devices
camera-live-camera = { $program } is using the camera ({ $device })
camera-live-microphone = { $program } is using the microphone ({ $device })
camera-live-approved = approved
camera-live-not-approved = not approved by your organization
# A program whose file name is empty.
program-unnamed = A program
# A program only its own word names.
program-unknown = An unknown program
program-untrusted-location = { $app } (a copy outside the system's program folders)
camera-devices = Cameras
camera-devices-none = None found
camera-cover = Camera cover
camera-cover-covered = Covered (checked { $time })
camera-cover-open = Not covered — slide the cover closed (checked { $time })
camera-recent = Recent use
# "obs — camera (Integrated Camera), 10:42, 3 min"
camera-recent-entry = { $app } — { $kind } ({ $device }), { $time }, { $duration }
camera-use-kind-camera = camera
camera-use-kind-microphone = microphone
camera-recent-none = None since Veil started. The full history is in the audit log.
duration-seconds = { $seconds } s
duration-minutes = { $minutes } min
duration-hours-minutes = { $hours } h { $minutes } min

## Screen shield card
shield-title = Screen shield
shield-no-idle-source = Veil cannot tell when you step away on this desktop: use Shield screen now or the shortcut
shield-off = Off while privacy mode is off
shield-on = Covers every screen when you step away
shield-now = Shield screen now
shield-shortcut = Shortcut
shield-shortcut-note = { $keys } — { $note }
shield-shortcut-unavailable = { $keys } — not available: { $why }
shield-away-detection = Away detection
shield-idle-source-x11 = X11 screen saver extension
shield-idle-source-windows = Windows input time
shield-idle-source-macos = macOS input time
shield-idle-source-mutter = GNOME (Mutter) idle monitor
shield-idle-source-ext-idle-notify = Wayland idle notifications
shield-idle-source-none = Not available

## Security training card
training-title = Security training
training-open = Open training
training-modules-completed = { $completed } of { $modules } modules completed
training-due = { $count } with work due
training-next-quiz-after-call = next quiz after your call
training-quiz-postponed-minute = quiz postponed for a minute
training-quiz-postponed = quiz postponed for about { $minutes } min
training-next-quiz-soon = next quiz soon
training-next-quiz-in = next quiz in about { $minutes } min
training-load-errors = Some modules could not be loaded: { $errors }

## Reporting to the organization card
fleet-title = Reporting to your organization
fleet-connected = Your privacy records reach your organization as they happen.
fleet-parked = Your organization's receiver refused Veil's records. They are kept on this computer; tell IT if this lasts.
fleet-retrying = Veil cannot reach your organization right now. Your records are kept and sent when it is back.
fleet-starting = Veil is getting ready to report to your organization.
# "Syslog server (logs.example.com:6514)"
fleet-destination = { $kind } ({ $endpoint })
fleet-destination-otlp = OpenTelemetry collector
fleet-destination-syslog = Syslog server
fleet-state-connected = connected
fleet-state-retrying = trying again
fleet-state-parked = refused
fleet-state-off = not started
fleet-queued =
    { $count ->
        [one] { $count } record waiting
       *[other] { $count } records waiting
    }
fleet-last-delivered = last delivered { $time }
fleet-what-is-sent = Veil sends what it records (privacy mode, device and policy events) and a regular status, never audio, video or what is on your screen.

## This computer (device checks) card
posture-title = This computer
posture-starting = Veil is checking this computer…
posture-overdue =
    { $count ->
        [one] One thing your organization requires needs fixing on this computer.
       *[other] { $count } things your organization requires need fixing on this computer.
    }
# $date: "Tuesday, December 1"
posture-fix-by-date = Please fix what is marked below by { $date }.
posture-compliant = This computer meets your organization's requirements.
posture-compliant-with-advice = This computer meets your organization's requirements. Some advice below would make it safer.
posture-required = Required
posture-advice = Advice
posture-fix-by = Fix by { $date }
posture-result-pass = OK
posture-result-fail = Needs fixing
posture-result-unknown = Could not check
posture-result-not-applicable = Does not apply
posture-how-to-fix = How to fix it
posture-check-again = Check again
posture-checking = Checking…
posture-last-checked = Last checked at { $time }.

## Configuration card
config-title = Configuration
config-policy = Organization policy
config-policy-missing = None deployed on this computer
config-settings = Your settings
config-settings-missing = Defaults (you have not changed anything)
config-store = Audit log
# Followed by the path of the kept file.
config-store-kept-aside = An earlier audit log could not be opened with this computer's key. It was kept, not deleted:
file-loaded = In effect
file-rejected = Has errors — the last good version is in effect
store-ok-credential-store = Encrypted; key kept in this computer's credential store
store-ok-key-file = Encrypted; key kept in a file only you can read (no credential store available)
store-unavailable = Not recording — see above
store-starting = Opening…

## Settings page
settings-locked = Set by your organization
settings-organization-title = Set by your organization
settings-file-error-title = Your settings file has an error
settings-file-error-help = Veil keeps your last good settings. Fix the file to change settings here.
settings-list-placeholder = none

## About page
about-version = Version { $version }
about-policy-file = Policy file
about-policy-state = Policy status
about-policy-missing = Not deployed: Veil's defaults apply
about-logs = Logs
about-tagline = Veil keeps your microphone, camera and screen private while you work with customers.

## Quiz pop-up
quiz-window-title = Veil security quiz
quiz-title = Quick security check
quiz-title-practice = Practice
quiz-seconds-left = { $seconds } s
quiz-check = Check answer
quiz-next = Next question
quiz-done = Done
quiz-later = Later
quiz-progress = Question { $number } of { $total }
quiz-choose-all = Choose every answer that applies.
quiz-correct = Correct
quiz-wrong = Not quite: see why below
quiz-explain-right = Right: { $explain }

## Training window
training-window-title = Veil training
training-modules-label = Training modules
training-export = Export report (CSV)
training-export-saved = Saved to { $path }
training-export-failed = Not saved: { $error }
training-not-loaded = Not loaded: { $errors }
training-intro-title = Short lessons, quick questions
training-intro = Pick a module on the left to read its lesson (about three minutes). Its questions then come up now and then in a small quiz, never during a call. Questions you miss come back sooner.
training-practice = Practice now
training-reading-time = { $minutes } min read
training-mastery = Mastery { $mastery }%
training-module-answered = { $answered }/{ $total } answered
training-module-mastery = mastery { $mastery }%
training-module-completed = Completed
training-module-not-started = Not started
training-module-required = required
training-module-required-by = required by { $date }
training-module-to-review = { $count } to review
training-store-unavailable = Your training progress cannot be saved right now. Quizzes wait until it can; answers from "Practice now" are saved once it can, if Veil is still running.
training-store-unavailable-why = Your training progress cannot be saved right now ({ $why }). Quizzes wait until it can; answers from "Practice now" are saved once it can, if Veil is still running.

## Screen shield and its countdown (web versions, Windows and macOS)
shield-window-title = Veil privacy shield
shield-overlay-hint = Move the mouse to continue
warning-window-title = Veil: screen cover soon
# After the number of seconds, shown large.
warning-countdown =
    { $seconds ->
        [one] second
       *[other] seconds
    } until Veil covers your screen. Move the mouse to stay.

## Settings: every key's title and help (the same words as crates/veil-core/src/settings/schema.rs), and the options of choice settings, as the settings page shows them
setting-start-at-login-title = Start Veil when you sign in
setting-start-at-login-help = Veil starts in the tray each time you sign in to this computer.
setting-appearance-title = Appearance
setting-appearance-help = Follow the system's light or dark theme, or always use one.
setting-appearance-option-system = System
setting-appearance-option-light = Light
setting-appearance-option-dark = Dark
setting-language-title = Language
setting-language-help = The language of Veil's windows, menus and notifications: auto follows the computer's language; en is English, es Spanish.
setting-language-option-auto = This computer's language
setting-language-option-en = English
setting-language-option-es = Español
setting-allow-quit-title = Agents may quit Veil
setting-allow-quit-help = When false, the tray menu has no Quit item.
setting-force-privacy-mode-title = Privacy mode is always on
setting-force-privacy-mode-help = When true, privacy mode is on and agents cannot turn it off.
setting-audit-retain-days-title = Audit log kept for (days)
setting-audit-retain-days-help = Older audit entries are removed; the removal itself is recorded.
setting-store-key-fallback-title = Without a credential store
setting-store-key-fallback-help = Where no OS credential store is available: keep the store's key in a file only the agent can read, or store nothing.
setting-store-key-fallback-option-key_file = Key file
setting-store-key-fallback-option-refuse = Refuse
setting-microphone-approved-headsets-title = Approved headsets
setting-microphone-approved-headsets-help = Name patterns (* matches anything, case ignored) of headsets the microphone guard treats as headsets, most preferred first.
setting-shield-idle-seconds-title = Cover the screen after (seconds idle)
setting-shield-idle-seconds-help = When you step away this long, the screen dims with a countdown, then every monitor is covered.
setting-shield-warning-seconds-title = Countdown before covering (seconds)
setting-shield-warning-seconds-help = How long the dimmed countdown lasts before the screen is covered.
setting-shield-lock-after-seconds-title = Lock the computer after (seconds idle)
setting-shield-lock-after-seconds-help = After this long away the computer locks, so your password is needed.
setting-shield-max-call-seconds-title = Longest idle time during a call (seconds)
setting-shield-max-call-seconds-help = While the microphone or camera is in use, the screen is covered only after this long without input.
setting-shield-always-on-title = Screen shield even with privacy mode off
setting-shield-always-on-help = When true, the idle shield works whether or not privacy mode is on.
setting-shield-shortcut-title = Shield-now shortcut
setting-shield-shortcut-help = Keys that cover the screen at once from any program, such as Ctrl+Alt+Shift+P; empty for none.
setting-shield-style-title = Shield style
setting-shield-style-help = Blur shows your screen as it was, too blurred to read; opaque covers it in dark grey. Where the screen cannot be captured the shield is opaque.
setting-shield-style-option-blur = Blur
setting-shield-style-option-opaque = Opaque
setting-shield-lock-command-title = Lock command
setting-shield-lock-command-help = A command that locks the session, for desktops where the system's own lock does not work; empty uses the system's.
setting-camera-allowed-apps-title = Programs allowed to use the camera
setting-camera-allowed-apps-help = Program names or paths (* matches anything, case ignored) whose camera use is recorded without telling the agent; any other program's use is told once per call.
setting-microphone-allowed-apps-title = Programs allowed to use the microphone
setting-microphone-allowed-apps-help = Program names or paths (* matches anything, case ignored), such as the softphone, whose microphone use is recorded without telling the agent.
setting-camera-device-pattern-title = Camera device nodes (Linux)
setting-camera-device-pattern-help = The device nodes Veil watches for camera use; * matches any run of characters in the file name.
setting-camera-cover-check-title = Check that the camera is covered
setting-camera-cover-check-help = When no program uses the camera, Veil reads one frame and reports whether the lens is covered. The frame is never stored or sent.
setting-camera-cover-check-minutes-title = Camera cover check every (minutes)
setting-camera-cover-check-minutes-help = How often the cover check runs, when it is on.
setting-training-quiz-every-minutes-title = A security quiz every (minutes of active time)
setting-training-quiz-every-minutes-help = Minutes at the computer between two short quizzes; 0 asks at the first good moment (pilots and tests).
setting-training-snooze-minutes-title = "Later" postpones a quiz by (minutes)
setting-training-snooze-minutes-help = How long "Later" on a quiz waits before asking again.
setting-training-max-snoozes-title = "Later" allowed in a row
setting-training-max-snoozes-help = After this many, the quiz no longer offers "Later".
setting-training-mandatory-title = Mandatory training modules
setting-training-mandatory-help = Module ids, each optionally with a due date: "phishing@2026-12-31". Mandatory modules come first.
setting-training-extra-folder-title = The organization's own training modules
setting-training-extra-folder-help = A folder of module files (same format as Veil's own) loaded in addition to Veil's.
setting-fleet-otlp-endpoint-title = OpenTelemetry collector
setting-fleet-otlp-endpoint-help = The collector's base URL (Veil posts to /v1/logs); https, or http to this computer only. Empty: not used.
setting-fleet-otlp-headers-title = Collector request headers
setting-fleet-otlp-headers-help = Headers sent with every request to the collector, such as an API token.
setting-fleet-syslog-endpoint-title = Syslog receiver (TLS)
setting-fleet-syslog-endpoint-help = host:port of an RFC 5425 syslog receiver over TLS (usually port 6514). Empty: not used.
setting-fleet-ca-file-title = Receivers' certificate authority
setting-fleet-ca-file-help = A PEM file of the CA certificates the receivers' certificates must chain to; empty uses the system's.
setting-fleet-client-cert-file-title = Client certificate
setting-fleet-client-cert-file-help = A PEM client certificate for mutual TLS with the receivers (with fleet.client_key_file).
setting-fleet-client-key-file-title = Client key
setting-fleet-client-key-file-help = The PEM private key of the client certificate.
setting-fleet-heartbeat-seconds-title = Heartbeat every (seconds)
setting-fleet-heartbeat-seconds-help = How often Veil sends its state summary to the receivers.
setting-fleet-retry-max-seconds-title = Longest retry wait (seconds)
setting-fleet-retry-max-seconds-help = The cap of the backoff between retries, and of the random delay before reconnecting after an outage.
setting-fleet-backlog-days-title = Undelivered records kept for (days)
setting-fleet-backlog-days-help = Records a receiver has not taken for this long are given up (oldest first) and a fleet_gap record says so.
setting-fleet-alert-after-minutes-title = Tell the agent after (minutes)
setting-fleet-alert-after-minutes-help = A receiver unreachable for longer turns the tray to Needs attention; 0 never does.
setting-fleet-labels-title = Labels
setting-fleet-labels-help = Names sent with every record, such as site and team.
setting-posture-required-title = Required device checks
setting-posture-required-help = The checks of "This computer" your organization requires; a failing one needs attention. The others are shown as advice.
setting-posture-grace-days-title = Days to fix a failing check
setting-posture-grace-days-help = A newly failing required check first shows "fix by" this many days later, then needs attention; 0 needs attention at once.
setting-posture-check-minutes-title = Check the computer every (minutes)
setting-posture-check-minutes-help = How often the device checks run (with a random spread), besides when the system signals a change.
setting-posture-min-os-build-windows-title = Lowest Windows build
setting-posture-min-os-build-windows-help = os_updates fails below this Windows build number (19045 is Windows 10 22H2); 0 accepts any.
setting-posture-min-os-build-macos-title = Lowest macOS version
setting-posture-min-os-build-macos-help = os_updates fails below this macOS version ("14.4"); empty accepts any.
setting-posture-vpn-interfaces-title = VPN interfaces
setting-posture-vpn-interfaces-help = Network interface names (with * for any characters, like "wg*") that count as the company VPN being up.
setting-posture-antivirus-title = Antivirus to look for (Linux, macOS)
setting-posture-antivirus-help = Process names or systemd units (ending in .service) of the required antivirus; empty: the check does not apply there.
setting-posture-max-lock-minutes-title = Longest time before the screen locks (minutes)
setting-posture-max-lock-minutes-help = screen_lock fails when the system locks later than this after the last input.
setting-posture-shield-counts-as-screen-lock-title = Veil's shield counts as the screen lock
setting-posture-shield-counts-as-screen-lock-help = When true, Veil's own idle shield and lock pass screen_lock where the system's own lock is off or unknown.
