#!/usr/bin/env bash
# Cross-builds veil.exe for Windows (Tauri with Debian's mingw-w64,
# x86_64-pc-windows-gnu, the front end embedded) and wraps it in the NSIS
# installer packaging/windows/veil.nsi with Debian's makensis.
#
#   scripts/build-windows-installer.sh            debug build (what the tests install)
#   scripts/build-windows-installer.sh --release  the installer to ship
#
# Prints the installer's path on its last line.
set -euo pipefail
cd "$(dirname "$0")/.."

profile=debug
cargo_profile=()
if [ "${1:-}" = "--release" ]; then
  profile=release
  cargo_profile=(--release)
fi
target_dir=${CARGO_TARGET_DIR:-$PWD/target}
out_dir=$target_dir/x86_64-pc-windows-gnu/$profile
version=$(grep -m1 '"version"' tauri.conf.json | cut -d'"' -f4)

command -v makensis >/dev/null || { echo "build-windows-installer: makensis missing (Debian package nsis)" >&2; exit 1; }
scripts/build-ui.sh >/dev/null
cargo build "${cargo_profile[@]}" -p veil --bin veil \
  --target x86_64-pc-windows-gnu --features tauri/custom-protocol >&2

defines=(-DVERSION="$version" -DEXE="$out_dir/veil.exe" -DOUTFILE="$out_dir/Veil_${version}_x64-setup.exe")
# webview2-com puts the loader beside the exe for the gnu target; it must
# ship with it (the msvc target links it statically).
if [ -f "$out_dir/WebView2Loader.dll" ]; then
  defines+=(-DWEBVIEW2LOADER="$out_dir/WebView2Loader.dll")
fi
makensis -V2 -NOCD "${defines[@]}" packaging/windows/veil.nsi >&2
echo "$out_dir/Veil_${version}_x64-setup.exe"
