#!/usr/bin/env bash
# Installs everything Veil needs to build and test on Debian 12 / Ubuntu:
# system packages (mingw and Wine for the Windows tier), Rust targets for
# the cross-checks and the Windows tier, tauri-driver and the UI's npm
# packages. Safe to run again: it only installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

PACKAGES=(
  # build: WebKitGTK, tray, audio, D-Bus
  build-essential pkg-config curl file
  libwebkit2gtk-4.1-dev libayatana-appindicator3-dev librsvg2-dev libxdo-dev
  libssl-dev libxss-dev libasound2-dev libdbus-1-dev libpulse-dev
  # a real desktop for the end-to-end tests
  xvfb openbox trayer xcompmgr xdotool x11-utils x11-xserver-utils imagemagick
  dbus dbus-x11 gnome-keyring libsecret-tools webkit2gtk-driver
  pulseaudio pulseaudio-utils desktop-file-utils librsvg2-bin
  # the microphone tests on PipeWire, as Debian 12, Ubuntu and Fedora run it
  pipewire pipewire-pulse pipewire-bin wireplumber
  # the browser softphone test (WebRTC from the real default microphone)
  chromium
  # real compositors (headless) for the Wayland idle-time tests: GNOME's,
  # and KDE's (ext-idle-notify)
  mutter kwin-wayland
  # nokhwa's V4L2 bindings (camera cover check); the installer test
  libclang-dev lintian man-db
  # logind's stand-in (it needs systemd as PID 1, which CI has not),
  # running a test's Veil as an unprivileged account, its X access
  python3-dbusmock util-linux x11-xserver-utils
  # the organization's receivers: rsyslog with TLS (mutual, x509/name),
  # certificates (certtool), the OTLP receiver's venv, certificates dated
  # in the past
  rsyslog rsyslog-gnutls gnutls-bin python3-venv faketime
  # device posture: GNOME's real settings schemas and the gsettings tool,
  # PackageKit's daemon (run on a private system bus) and its client
  gsettings-desktop-schemas libglib2.0-bin packagekit packagekit-tools
  # a real notification daemon for the notification test
  dunst
  # a real X screen locker for the shield's lock stage (tests/tests/locker.rs),
  # reached the way desktops reach it (xdg-screensaver); the StatusNotifierItem
  # tray test's watcher is Python with dbus-python and GLib
  xscreensaver xdg-utils python3-dbus python3-gi
  # the Windows tier (scripts/test-windows.sh): veil-os built with mingw,
  # its tests run under Wine (the 64-bit loader is enough)
  gcc-mingw-w64-x86-64 wine64
  # the Windows installer (scripts/build-windows-installer.sh, tried under
  # Wine by scripts/test-windows-app.sh)
  nsis
)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Node.js for the front end (Vite 7 needs Node 20.19 or newer); the
# distribution's package only when no node is on the PATH.
command -v node >/dev/null 2>&1 || missing+=(nodejs npm)
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

if ! command -v cargo >/dev/null 2>&1; then
  echo "setup: Rust is not installed; install it with rustup, then run this again" >&2
  exit 1
fi
installed_targets=$(rustup target list --installed)
for t in x86_64-pc-windows-msvc x86_64-pc-windows-gnu x86_64-apple-darwin; do
  grep -qx "$t" <<<"$installed_targets" || rustup target add "$t"
done
rustup component list --installed | grep -q '^clippy' || rustup component add clippy
rustup component list --installed | grep -q '^rustfmt' || rustup component add rustfmt

if ! command -v tauri-driver >/dev/null 2>&1 && [ ! -x "${CARGO_HOME:-$HOME/.cargo}/bin/tauri-driver" ]; then
  cargo install tauri-driver --locked
fi

if [ ! -d ui/node_modules ] || [ ui/package-lock.json -nt ui/node_modules/.package-lock.json ]; then
  npm --prefix ui ci --no-audit --no-fund
fi
# The Tauri CLI that builds the installers.
if [ ! -d node_modules/@tauri-apps/cli ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
