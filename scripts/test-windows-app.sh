#!/usr/bin/env bash
# The whole app cross-built for Windows and its NSIS installer, run under
# Wine 8:
#  - the built veil.exe: `--version`, `policy check` on the sample policy,
#    `status` with no Veil running (exit 3);
#  - the installer (scripts/build-windows-installer.sh), installed silently
#    (`/S`): the files in Program Files, the uninstall entry, the sign-in
#    start for every account, the policy templates; the installed veil.exe
#    answers as above; then the silent uninstaller removes all of it and
#    keeps %ProgramData%\Veil.
# The windows (WebView2) and the tray are not run: Wine has no WebView2
# runtime. Uses the Wine prefix scripts/test-windows.sh makes.
set -euo pipefail
cd "$(dirname "$0")/.."
fail() { echo "test-windows-app: FAIL: $*" >&2; exit 1; }
started=$(date +%s)

target_dir=${CARGO_TARGET_DIR:-$PWD/target}
prefix=$target_dir/wine/prefix
[ -f "$prefix/system.reg" ] || scripts/test-windows.sh --test windows >/dev/null
export WINEPREFIX=$prefix WINEARCH=win64 WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
unset DISPLAY WAYLAND_DISPLAY
WINE=${WINE:-$(command -v wine64 || echo /usr/lib/wine/wine64)}
WINESERVER=${WINESERVER:-$(command -v wineserver || echo /usr/lib/wine/wineserver)}
trap '"$WINESERVER" -k 2>/dev/null || true' EXIT

setup=$(scripts/build-windows-installer.sh | tail -1)
exe=$(dirname "$setup")/veil.exe
version=$(grep -m1 '"version"' tauri.conf.json | cut -d'"' -f4)

# The checks every veil.exe must pass, built or installed.
answers() {
  local exe=$1 policy=$2 got check rc
  got=$("$WINE" "$exe" --version | tr -d '\r')
  [ "$got" = "veil $version" ] || fail "$exe --version: $got (want veil $version)"
  check=$("$WINE" "$exe" policy check "$policy" 2>&1 | tr -d '\r')
  grep -q ": valid" <<<"$check" || fail "$exe policy check: $check"
  set +e
  "$WINE" "$exe" status >/dev/null 2>&1
  rc=$?
  set -e
  [ "$rc" = 3 ] || fail "$exe status with no Veil running exited $rc, not 3"
  echo "  $exe: --version $got; policy check valid; status exit 3"
}

echo "test-windows-app: the built veil.exe"
answers "$exe" packaging/policy.sample.toml

reg_value() { # key value -> data, or nothing
  "$WINE" reg query "$1" /v "$2" 2>/dev/null | tr -d '\r' | awk -v v="$2" '$1 == v { $1 = ""; $2 = ""; sub(/^  */, ""); print }'
}
uninstall_key='HKLM\Software\Microsoft\Windows\CurrentVersion\Uninstall\Veil'
run_key='HKLM\Software\Microsoft\Windows\CurrentVersion\Run'
program_files=$prefix/drive_c/Program\ Files/Veil
program_data=$prefix/drive_c/ProgramData/Veil

# A new Wine 8 prefix says it is Windows 7, which the installer refuses;
# this installer alone is told Windows 10.
"$WINE" reg add "HKCU\\Software\\Wine\\AppDefaults\\$(basename "$setup")" /v Version /d win10 /f >/dev/null
echo "test-windows-app: installing $(basename "$setup") ($(du -h "$setup" | cut -f1)) with /S"
"$WINE" "$setup" /S || fail "the installer exited $?"
files=(veil.exe uninstall.exe policy.sample.toml policy-templates/veil.admx policy-templates/en-US/veil.adml)
[ ! -f "$(dirname "$exe")/WebView2Loader.dll" ] || files+=(WebView2Loader.dll)
for f in "${files[@]}"; do
  [ -f "$program_files/$f" ] || fail "not installed: C:\\Program Files\\Veil\\$f"
done
[ -d "$program_data" ] || fail "C:\\ProgramData\\Veil (the policy folder) not created"
[ "$(reg_value "$uninstall_key" DisplayVersion)" = "$version" ] || fail "the uninstall entry's DisplayVersion is not $version"
grep -q 'uninstall.exe" /S' <<<"$(reg_value "$uninstall_key" QuietUninstallString)" \
  || fail "the uninstall entry has no QuietUninstallString"
run=$(reg_value "$run_key" Veil)
[ "$run" = '"C:\Program Files\Veil\veil.exe" --autostart' ] || fail "the sign-in start is '$run'"
echo "  installed: files, uninstall entry ($version), sign-in start $run"
answers 'C:\Program Files\Veil\veil.exe' 'C:\Program Files\Veil\policy.sample.toml'

echo "test-windows-app: uninstalling with /S"
touch "$program_data/policy.toml"
"$WINE" 'C:\Program Files\Veil\uninstall.exe' /S || fail "the uninstaller exited $?"
# The uninstaller copies itself to %TEMP% and runs from there: wait for it.
for _ in $(seq 1 60); do
  [ -e "$program_files" ] || break
  sleep 0.5
done
[ ! -e "$program_files" ] || fail "C:\\Program Files\\Veil is still there: $(ls "$program_files")"
[ -z "$(reg_value "$uninstall_key" DisplayName)" ] || fail "the uninstall entry is still there"
[ -z "$(reg_value "$run_key" Veil)" ] || fail "the sign-in start is still there"
[ -f "$program_data/policy.toml" ] || fail "the uninstaller removed the organization's policy"
rm -f "$program_data/policy.toml"
echo "  removed: files, uninstall entry, sign-in start; the policy folder kept"
echo "test-windows-app: ok ($(( $(date +%s) - started )) s)"
