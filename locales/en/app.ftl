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
