#!/usr/bin/env bash
# Runs a command on a real headless desktop: Xvfb with openbox and an X system
# tray, the D-Bus session it is started in (dbus-run-session), an unlocked
# gnome-keyring Secret Service. (Each test home starts its own PulseAudio
# server: tests/src/pulse.rs, or PipeWire: tests/src/pipewire.rs.) Every background
# process logs to a file and is ended by PID, so nothing outlives the run.
set -euo pipefail
cd "$(dirname "$0")/.."

LOGS="${VEIL_E2E_LOGS:-$PWD/tests/artifacts}"
mkdir -p "$LOGS"
export XDG_RUNTIME_DIR
XDG_RUNTIME_DIR=$(mktemp -d)
chmod 700 "$XDG_RUNTIME_DIR"

pids=()
cleanup() {
  for ((i=${#pids[@]}-1; i>=0; i--)); do kill "${pids[$i]}" 2>/dev/null || true; done
  wait 2>/dev/null || true
  # A document portal activated on the bus may still have its FUSE mount in
  # the runtime dir until the bus ends; what is left goes with the temp dir.
  rm -rf "$XDG_RUNTIME_DIR" 2>/dev/null || true
}
trap cleanup EXIT

# Xvfb picks a free display itself and says which when it is ready
# (-displayfd): two runs started at once cannot take the same number.
displayfile="$XDG_RUNTIME_DIR/display"
# Started again (up to three times) when it says a display but does not
# answer on it: seen once with both groups starting at the same moment.
xvfb_up=""
: >"$LOGS/xvfb.log"
for attempt in 1 2 3; do
  : >"$displayfile"
  Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp 3>"$displayfile" >>"$LOGS/xvfb.log" 2>&1 &
  xvfb=$!
  # Up to 30 s: a loaded CI machine can be slow to start it.
  for _ in $(seq 300); do [ -s "$displayfile" ] && break; sleep 0.1; done
  if [ -s "$displayfile" ]; then
    export DISPLAY=":$(tr -d '[:space:]' <"$displayfile")"
    for _ in $(seq 200); do xdpyinfo >/dev/null 2>&1 && break; sleep 0.1; done
    if xdpyinfo >/dev/null 2>&1; then xvfb_up=yes; pids+=($xvfb); break; fi
    echo "Xvfb (attempt $attempt) on $DISPLAY does not answer; starting another" >&2
  else
    echo "Xvfb (attempt $attempt) did not start" >&2
  fi
  kill "$xvfb" 2>/dev/null || true
  wait "$xvfb" 2>/dev/null || true
done
[ -n "$xvfb_up" ] || { echo "Xvfb did not start; its log:" >&2; cat "$LOGS/xvfb.log" >&2; exit 1; }

openbox >"$LOGS/openbox.log" 2>&1 &
pids+=($!)
trayer --edge top --align right --width 10 --height 32 --transparent false --tint 0xffffff \
  >"$LOGS/trayer.log" 2>&1 &
pids+=($!)

# No accessibility bus: nothing here uses it and it would outlive the tests.
export NO_AT_BRIDGE=1
dbus-update-activation-environment DISPLAY XDG_RUNTIME_DIR NO_AT_BRIDGE
# The keyring daemon forks; its PID comes from its control socket's owner.
# Its keyring files in this session's own folder: the daemon keeps them in
# $XDG_DATA_HOME/keyrings and reloads them when they change, so two sessions
# at once (the e2e groups) sharing ~/.local/share/keyrings rewrote each
# other's files and lost each other's store keys.
mkdir -p "$XDG_RUNTIME_DIR/keyring-data"
echo -n "veil-e2e" | XDG_DATA_HOME="$XDG_RUNTIME_DIR/keyring-data" \
  gnome-keyring-daemon --unlock --components=secrets >"$LOGS/keyring.env" 2>"$LOGS/keyring.log"
# Another run may have its own keyring on another display: take the one
# started on this session's bus.
kr=""
for p in $(pgrep -u "$(id -u)" gnome-keyring-d || true); do
  if tr '\0' '\n' <"/proc/$p/environ" 2>/dev/null | grep -qxF "DBUS_SESSION_BUS_ADDRESS=$DBUS_SESSION_BUS_ADDRESS"; then
    kr=$p
  fi
done
[ -n "$kr" ] && pids+=("$kr")

# Each test home starts its own PulseAudio server (tests/src/pulse.rs).

sleep 0.5
"$@"
