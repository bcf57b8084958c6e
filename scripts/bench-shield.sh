#!/usr/bin/env bash
# Idle shield figures against the real app (release build) on Xvfb: overlay
# latency (30 trials each way), CPU idle over 60 s, resident memory.
set -euo pipefail
cd "$(dirname "$0")/.."
(cd ui && npm run build --silent)
cargo build --release -p veil
cargo build -p veil-e2e --bin shield-bench
exec dbus-run-session -- scripts/e2e-session.sh \
  env VEIL_BIN="$PWD/target/release/veil" target/debug/shield-bench
