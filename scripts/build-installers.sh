#!/usr/bin/env bash
# Builds Veil's installers with the Tauri bundler (the CLI from the npm
# registry, pinned in package.json). On Linux: .deb and .rpm in
# target/release/bundle/{deb,rpm}/. On Windows run it from Git Bash for NSIS
# and MSI; on macOS for the .app and .dmg.
set -euo pipefail
cd "$(dirname "$0")/.."

case "$(uname -s)" in
  Linux) bundles="deb,rpm" ;;
  Darwin) bundles="app,dmg" ;;
  MINGW*|MSYS*|CYGWIN*) bundles="nsis,msi" ;;
  *) echo "build-installers: unsupported system $(uname -s)" >&2; exit 1 ;;
esac

if [ ! -d node_modules/@tauri-apps/cli ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
[ -d ui/node_modules ] || npm --prefix ui ci --no-audit --no-fund

# The man page and changelog are compressed at build time (reproducibly: no name, no time).
mkdir -p target/packaging
gzip -9n -c packaging/linux/veil.1 > target/packaging/veil.1.gz
gzip -9n -c packaging/linux/changelog > target/packaging/changelog.gz

scripts/build-ui.sh
# The CLI's copy of the root tauri.conf.json (see the script for why).
trap 'rm -f src-tauri/tauri.conf.json src-tauri/tauri.linux.conf.json' EXIT
node scripts/tauri-cli-config.mjs
# From src-tauri/: the CLI takes the first tauri.conf.json it finds from
# where it runs, and the root one has no app crate beside it.
(cd src-tauri && ../node_modules/.bin/tauri build --bundles "$bundles" "$@")
ls -l target/release/bundle/*/* 2>/dev/null | grep -E '\.(deb|rpm|msi|exe|dmg)$' || true
