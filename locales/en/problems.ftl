# Problems Veil reports, by code: a short summary (tray) and the message
# (dashboard). Shared by the Rust side and the windows.
# Arguments ($why, $error, $detail, ...) are what Veil observed, in English.

problem-store-unavailable-summary = Audit log not recording
problem-store-unavailable-message = Privacy events cannot be recorded: { $why }
problem-policy-unusable-summary = Organization policy unusable
problem-policy-unusable-message = Your organization's policy file cannot be used and no earlier version of it is known, so Veil keeps privacy mode on and cannot be quit until IT deploys a valid one.
problem-policy-file-errors-summary = Policy file has errors
problem-policy-file-errors-message = { $error }
problem-settings-file-errors-summary = Settings file has errors
problem-settings-file-errors-message = { $error }
problem-shield-lock-failed-summary = This computer cannot lock itself
problem-shield-lock-failed-message = Veil asked this computer to lock and nothing confirmed it ({ $why }). Your screen stays covered until you are back; lock it yourself when you step away, and tell IT.
problem-shield-no-idle-time-summary = Screen not covered when idle
problem-shield-no-idle-time-message = Veil cannot tell when you are away ({ $why }), so it cannot cover your screen on its own. Use "Shield screen now" or lock the computer when you step away.
problem-camera-not-visible-summary = Camera use not fully visible
problem-camera-not-visible-message = Veil cannot see every use of the camera and microphone: { $why }.
problem-unapproved-camera-summary = { $app } is using the camera
problem-unapproved-camera-message = { $app } is using { $device } ({ $exe }). Your organization has not approved it; if you did not start it, close it and report it to IT.
problem-unapproved-microphone-summary = { $app } is using the microphone
problem-unapproved-microphone-message = { $app } is using { $device } ({ $exe }). Your organization has not approved it; if you did not start it, close it and report it to IT.
problem-fleet-unreachable-summary = Not reporting to your organization
problem-fleet-unreachable-message = Veil cannot reach your organization's { $kind } receiver ({ $endpoint }): { $error }. Your records are kept and sent when it is back; tell IT if this lasts.
problem-audio-unreachable-summary = Audio system unreachable
problem-audio-unreachable-message = Veil cannot reach the audio system ({ $why }); it keeps trying, and re-applies the microphone rules when it is back.
problem-no-headset-summary = Connect your headset
problem-no-headset-message = Connect your headset. Until then the laptop microphone stays muted.
problem-mic-contested-summary = Microphone settings keep changing
problem-mic-contested-message = Another program keeps changing the microphone settings; Veil keeps putting them back.
problem-posture-disk_encryption-summary = Encrypt this computer's disk
problem-posture-disk_encryption-message = { $detail } Your organization requires it. Open "This computer" on the dashboard for how to fix it.
problem-posture-firewall-summary = Turn on the firewall
problem-posture-firewall-message = { $detail } Your organization requires it. Open "This computer" on the dashboard for how to fix it.
problem-posture-screen_lock-summary = Turn on the screen lock
problem-posture-screen_lock-message = { $detail } Your organization requires it. Open "This computer" on the dashboard for how to fix it.
problem-posture-os_updates-summary = Install security updates
problem-posture-os_updates-message = { $detail } Your organization requires it. Open "This computer" on the dashboard for how to fix it.
problem-posture-antivirus-summary = Turn on antivirus
problem-posture-antivirus-message = { $detail } Your organization requires it. Open "This computer" on the dashboard for how to fix it.
problem-posture-wifi-summary = Use a protected Wi-Fi
problem-posture-wifi-message = { $detail } Your organization requires it. Open "This computer" on the dashboard for how to fix it.
problem-posture-vpn-summary = Connect the company VPN
problem-posture-vpn-message = { $detail } Your organization requires it. Open "This computer" on the dashboard for how to fix it.
problem-posture-secure_boot-summary = Turn on Secure Boot
problem-posture-secure_boot-message = { $detail } Your organization requires it. Open "This computer" on the dashboard for how to fix it.
