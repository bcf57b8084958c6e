#!/usr/bin/env bash
# Benchmarks against the real app (release build) on the headless desktop of
# scripts/e2e-session.sh. The measuring program itself is a debug build: it
# only waits on the server or the screen.
#   scripts/bench.sh mic     microphone guard latency on PulseAudio and PipeWire
#                            (100 drift, 30 plug trials, a 1,000-drift soak each)
#   scripts/bench.sh shield  idle shield latency (30 trials), CPU idle, memory
#   scripts/bench.sh camera  camera guard open/close to event latency (50 trials)
#   scripts/bench.sh fleet   audit write to stored at the receivers (200), a
#                            100,000-entry backlog drained, idle CPU with
#                            heartbeats, message sizes and the sizing note
#   scripts/bench.sh start   start to tray, first (cold when possible) and warm
#                            (VEIL_BIN=/usr/bin/veil measures the installed .deb)
set -euo pipefail
cd "$(dirname "$0")/.."
case "${1:-}" in
  mic|shield|camera|start|fleet) ;;
  *) echo "usage: scripts/bench.sh mic|shield|camera|start|fleet" >&2; exit 2 ;;
esac
(cd ui && npm run build --silent)
# The same build as scripts/test.sh and the installers (one release build).
cargo build --release -p veil --bins --features tauri/custom-protocol
cargo build -p veil-e2e --bin "$1-bench"
exec dbus-run-session -- scripts/e2e-session.sh \
  env VEIL_BIN="${VEIL_BIN:-$PWD/target/release/veil}" "target/debug/$1-bench"
