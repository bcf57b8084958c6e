#!/usr/bin/env bash
# The whole app cross-built for Windows (Tauri with Debian's mingw-w64,
# x86_64-pc-windows-gnu, the front end embedded) and its command line run
# under Wine 8: `veil.exe --version`, `veil.exe policy check` on the sample
# policy, `veil.exe status` with no Veil running (exit 3). The windows
# (WebView2) and the tray are not run: Wine has no WebView2 runtime. Not part
# of scripts/test.sh: a cold build takes about 12 minutes on 2 cores (SQLCipher's
# OpenSSL is built from source for Windows), beyond CI's time. Uses the Wine
# prefix scripts/test-windows.sh makes (run that first on a new machine).
set -euo pipefail
cd "$(dirname "$0")/.."
fail() { echo "test-windows-app: FAIL: $*" >&2; exit 1; }

target_dir=${CARGO_TARGET_DIR:-$PWD/target}
prefix=$target_dir/wine/prefix
[ -f "$prefix/system.reg" ] || scripts/test-windows.sh --test windows >/dev/null
export WINEPREFIX=$prefix WINEARCH=win64 WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
unset DISPLAY WAYLAND_DISPLAY
WINE=${WINE:-$(command -v wine64 || echo /usr/lib/wine/wine64)}

scripts/build-ui.sh >/dev/null
cargo build -p veil --target x86_64-pc-windows-gnu --features tauri/custom-protocol
exe=$target_dir/x86_64-pc-windows-gnu/debug/veil.exe

want="veil $(grep -m1 '"version"' tauri.conf.json | cut -d'"' -f4)"
got=$("$WINE" "$exe" --version | tr -d '\r')
[ "$got" = "$want" ] || fail "--version: $got (want $want)"
echo "veil.exe --version: $got"
check=$("$WINE" "$exe" policy check packaging/policy.sample.toml 2>&1 | tr -d '\r')
grep -q ": valid" <<<"$check" || fail "policy check: $check"
echo "veil.exe policy check: $check"
set +e
"$WINE" "$exe" status >/dev/null 2>&1
rc=$?
set -e
[ "$rc" = 3 ] || fail "status with no Veil running exited $rc, not 3"
echo "veil.exe status: exit 3 (not running)"
"${WINESERVER:-$(command -v wineserver || echo /usr/lib/wine/wineserver)}" -k 2>/dev/null || true
echo "test-windows-app: ok"
