#!/usr/bin/env bash
# Microphone guard latency against the real app (release build) and a real
# PulseAudio server: prints p50, p95 and max over 100+ trials. The measuring
# program itself is a debug build (it only waits on the server).
set -euo pipefail
cd "$(dirname "$0")/.."
(cd ui && npm run build --silent)
cargo build --release -p veil
cargo build -p veil-e2e --bin mic-bench
exec dbus-run-session -- scripts/e2e-session.sh \
  env VEIL_BIN="$PWD/target/release/veil" target/debug/mic-bench
