#!/usr/bin/env bash
# Microphone guard latency against the real app (release build) and a real
# PulseAudio server: prints p50, p95 and max over 100+ trials.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -p veil -p veil-e2e --bin veil --bin mic-bench
exec dbus-run-session -- scripts/e2e-session.sh \
  env VEIL_BIN="$PWD/target/release/veil" target/release/mic-bench
