#!/usr/bin/env bash
# The installer test: builds the .deb and .rpm with the Tauri bundler,
# checks the .deb with lintian and its desktop entries with
# desktop-file-validate, installs it with apt (so its dependencies are
# resolved from the archive, as on an agent's machine), runs the installed
# `veil --version` and `veil policy check` on the shipped sample policy,
# checks the autostart link and the icons, removes it and checks that an
# agent's data is still there. Needs root (or sudo) for the install.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
fail() { echo "test-installers: FAIL: $*" >&2; exit 1; }

scripts/build-installers.sh >/dev/null
deb=$(ls target/release/bundle/deb/*.deb)
rpm=$(ls target/release/bundle/rpm/*.rpm)
echo "built $deb ($(du -h "$deb" | cut -f1)) and $rpm ($(du -h "$rpm" | cut -f1))"

# Lintian: no errors. The warnings left are explained in the README.
lintian_out=$(lintian --fail-on none "$deb" || true)
echo "$lintian_out"
if grep -q '^E:' <<<"$lintian_out"; then fail "lintian reports errors"; fi

# Desktop entries, as packaged.
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
dpkg-deb -x "$deb" "$scratch"
desktop-file-validate "$scratch/usr/share/applications/Veil.desktop"
desktop-file-validate "$scratch/usr/share/veil/veil-autostart.desktop"
for s in 16 22 24 32 48 64 96 128 256 512; do
  [ -f "$scratch/usr/share/icons/hicolor/${s}x${s}/apps/veil.png" ] || fail "no ${s}x${s} icon"
done
[ -f "$scratch/usr/share/icons/hicolor/scalable/apps/veil.svg" ] || fail "no scalable icon"
# The user unit that restarts a Veil stopped against policy.
unit="$scratch/usr/lib/systemd/user/veil.service"
[ -f "$unit" ] || fail "no systemd user unit"
grep -q '^Restart=on-failure$' "$unit" || fail "the user unit does not restart Veil"
grep -q '^Exec=veil --autostart$' "$scratch/usr/share/veil/veil-autostart.desktop" \
  || fail "the autostart entry does not start Veil through --autostart"
if command -v systemd-analyze >/dev/null 2>&1; then
  systemd-analyze verify "$unit" 2>&1 | grep -v "Cannot add dependency job" || true
fi

# An agent's data from before: it must outlive the package.
agent_home=$(mktemp -d)
mkdir -p "$agent_home/.local/share/veil"
echo "kept" > "$agent_home/.local/share/veil/marker"

$SUDO apt-get install -y -q --no-install-recommends "./$deb" >/dev/null
trap '$SUDO dpkg -r veil >/dev/null 2>&1 || true; rm -rf "$scratch" "$agent_home"' EXIT
[ "$(command -v veil)" = /usr/bin/veil ] || fail "veil is not /usr/bin/veil"
version=$(/usr/bin/veil --version)
echo "installed: $version"
[ "$version" = "veil $(grep -m1 '"version"' tauri.conf.json | cut -d'"' -f4)" ] || fail "version: $version"
/usr/bin/veil policy check /usr/share/veil/policy.sample.toml
[ "$(readlink /etc/xdg/autostart/veil.desktop)" = /usr/share/veil/veil-autostart.desktop ] \
  || fail "no autostart entry"
man -w veil >/dev/null || fail "no man page"

$SUDO dpkg -r veil >/dev/null
[ ! -e /usr/bin/veil ] || fail "/usr/bin/veil left after removal"
[ ! -e /etc/xdg/autostart/veil.desktop ] || fail "autostart entry left after removal"
[ "$(cat "$agent_home/.local/share/veil/marker")" = kept ] || fail "the agent's data was touched"
echo "test-installers: ok"
