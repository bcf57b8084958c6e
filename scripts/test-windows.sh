#!/usr/bin/env bash
# The Windows tier: veil-os and veil-core built for x86_64-pc-windows-gnu
# (mingw) and their tests run under Wine, headless (no X display; Wine's
# null display driver is enough for everything these tests do).
#
# Wine 8 (Debian 12) lacks bcryptprimitives.dll!ProcessPrng, which every
# Rust program since 1.78 imports; tests/wine/bcryptprimitives.c is a
# TEST-ONLY stand-in copied into this prefix, never shipped.
#
# A PulseAudio server of its own (null sink, a "laptop" and a "headset"
# microphone) gives winepulse endpoints to enumerate.
set -euo pipefail
cd "$(dirname "$0")/.."
started=$(date +%s)

target_dir=${CARGO_TARGET_DIR:-$PWD/target}
work=$target_dir/wine
prefix=$work/prefix
# Debian's wine64 package puts the loader here; the `wine` package would add
# a wrapper on the PATH, which these tests do not need.
WINE=${WINE:-$(command -v wine64 || echo /usr/lib/wine/wine64)}
WINESERVER=${WINESERVER:-$(command -v wineserver || echo /usr/lib/wine/wineserver)}
mkdir -p "$work"

export WINEPREFIX=$prefix WINEARCH=win64 WINEDEBUG=-all
# No Mono or Gecko download dialogs at the prefix's creation.
export WINEDLLOVERRIDES="mscoree,mshtml="
# Headless: nothing here needs a display, and a stray one must not be used.
unset DISPLAY WAYLAND_DISPLAY

dll=$work/bcryptprimitives.dll
if [ ! -f "$dll" ] || [ tests/wine/bcryptprimitives.c -nt "$dll" ]; then
  x86_64-w64-mingw32-gcc -O2 -shared -s -Wl,--kill-at \
    -o "$dll" tests/wine/bcryptprimitives.c -ladvapi32
fi
if [ ! -f "$prefix/system.reg" ]; then
  echo "test-windows: creating the Wine prefix $prefix"
  "$WINE" wineboot -i
  # What Windows writes at every start (1 BIOS, 2 UEFI) and Wine does not;
  # Wine's GetFirmwareType, the probe's other source, aborts the process.
  "$WINE" reg add 'HKLM\SYSTEM\CurrentControlSet\Control' /v PEFirmwareType \
    /t REG_DWORD /d 2 /f >/dev/null
  "$WINESERVER" -w
fi
cp "$dll" "$prefix/drive_c/windows/system32/bcryptprimitives.dll"

# The audio server, private to this run.
pulse_dir=$(mktemp -d)
cleanup() {
  [ -n "${pulse_pid:-}" ] && kill "$pulse_pid" 2>/dev/null || true
  "$WINESERVER" -k 2>/dev/null || true
  rm -rf "$pulse_dir"
}
trap cleanup EXIT
pulse_env=(env XDG_RUNTIME_DIR="$pulse_dir" HOME="$pulse_dir"
  DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent/veil-test-bus)
"${pulse_env[@]}" pulseaudio --daemonize=no --exit-idle-time=-1 --use-pid-file=no -n \
  --load=module-native-protocol-unix \
  --load="module-null-sink sink_name=virt_out" >"$work/pulse.log" 2>&1 &
pulse_pid=$!
for _ in $(seq 50); do
  "${pulse_env[@]}" pactl info >/dev/null 2>&1 && break
  sleep 0.1
done
remap() {
  "${pulse_env[@]}" pactl load-module module-remap-source source_name="$1" \
    master=virt_out.monitor \
    "source_properties='device.description=\"$2\" device.form_factor=$3 device.bus=$4'" >/dev/null
}
remap laptop_mic "Built-in Microphone" internal pci
remap usb_headset_mic "Jabra Evolve2 40" headset usb
export PULSE_SERVER=unix:$pulse_dir/pulse/native
# The Windows tests expect these endpoints (crates/veil-os/src/audio/wasapi.rs).
export VEIL_WINE_AUDIO="Built-in Microphone;Jabra Evolve2 40"

export CARGO_TARGET_X86_64_PC_WINDOWS_GNU_RUNNER=$WINE
cargo test -p veil-os -p veil-core --target x86_64-pc-windows-gnu "$@"

echo "test-windows: the Windows tier took $(($(date +%s) - started)) s"
