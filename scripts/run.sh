#!/usr/bin/env bash
# Builds Veil and runs it with its window open (it keeps running in the tray).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build-ui.sh
exec cargo run -p veil -- --show "$@"
