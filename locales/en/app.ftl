# Veil's words on the Rust side: the tray menu, notifications, the shield
# and the CLI's messages for agents. Spanish: ../es/app.ftl (same ids).
# Scripts never read these: JSON, logs and audit kinds stay English.

## The overall state (tray tooltip and status line)
state-protected = Protected
state-attention = Needs attention
state-off = Privacy mode off

## Tray menu
tray-privacy-mode = Privacy mode
tray-open = Open Veil
tray-shield-now = Shield screen now
tray-training = Training…
tray-quit = Quit Veil
tray-attention-one = Needs attention: { $summary }
tray-attention-many = Needs attention: { $count } problems
tray-tooltip = Veil — { $state }
tray-tooltip-problem = Veil — { $state }: { $summary }

## The shield and its countdown
shield-hint = Move the mouse to continue
# After the number of seconds, shown large.
shield-countdown =
    { $seconds ->
        [one] second
       *[other] seconds
    } until Veil covers your screen. Move the mouse to stay.

## Notifications
notify-store-reset-title = Veil started a new audit log
notify-store-reset-body = The previous one could not be opened with this computer's key. It was kept at { $kept }.
notify-policy-rejected-title = Veil could not use the policy file
notify-policy-rejected-body = { $error }. Veil keeps the last good policy.
notify-settings-rejected-title = Veil could not use the settings file
notify-settings-rejected-body = { $error }. Veil keeps the last good settings.
notify-posture-fix-by = { $detail } Please fix it by { $date }.
notify-posture-how = { $detail } Open "This computer" on the dashboard for how to fix it.
notify-cover-camera-title = Cover your camera
notify-cover-camera-body = { $device } is not covered. Slide the cover closed when you are not on a video call.
notify-device-opened = { $app } opened { $device }. If you did not start this, close it and report it to IT.
notify-device-taken-over = { $app } took over { $device } from { $previous }. If you did not start this, close it and report it to IT.
notify-mic-corrected-title = Veil put your microphone back
notify-mic-corrected-body = { $device }: { $what }, because { $why }.
# What Veil changed and why, inside notify-mic-corrected-body. $was, $to:
# microphone names; $app: the recording program.
mic-what-made-default = made the default microphone (was { $was })
mic-what-made-default-from-none = made the default microphone (was none)
mic-what-muted = muted
mic-what-unmuted = unmuted
mic-what-moved = recording by { $app } moved to { $to }
mic-what-moved-unknown-app = recording by an application moved to { $to }
mic-why-default-restored = privacy mode is off: the microphone you had before is back
mic-why-default-headset = in privacy mode you speak through your headset
mic-why-mute-restored = privacy mode is off: its mute state is back as it was
mic-why-webcam-muted = webcam microphones stay muted in privacy mode
mic-why-laptop-muted = laptop microphones stay muted in privacy mode, because they keep listening for voice assistants
mic-why-moved = nothing may record from the laptop or webcam microphone in privacy mode

## The CLI's words to agents (scripts read --json and exit codes instead)
cli-not-running = Veil is not running
cli-privacy-on = Privacy mode is on.
cli-privacy-off = Privacy mode is off.
cli-shield-now = The screen is covered; move the mouse to continue.
