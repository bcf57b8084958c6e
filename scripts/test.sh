#!/usr/bin/env bash
# Runs every test: formatting, lints, unit tests, the Windows and macOS
# cross-checks, the Windows tests under Wine, the UI's tests, the Sigma
# rules, the end-to-end tests on a real desktop (with real rsyslog and OTLP
# receivers), and the installer test (build, lint, install, run, remove the
# .deb).
set -euo pipefail
cd "$(dirname "$0")/.."
# One pass over a fresh tree gains nothing from incremental state, which is
# gigabytes on disk.
export CARGO_INCREMENTAL=${CARGO_INCREMENTAL:-0}

# Each step says when it starts, in minutes and seconds since the command
# began, so a slow run (a fresh machine, CI) shows where the time went.
began=$(date +%s)
step() {
  local t=$(( $(date +%s) - began ))
  printf '\n==> [%d:%02d] %s\n' $(( t / 60 )) $(( t % 60 )) "$*"
}

step "system packages and toolchains"
scripts/setup.sh

step "cargo fmt"
cargo fmt --all -- --check

step "UI: type-check, build and unit tests"
scripts/build-ui.sh
npm --prefix ui test

step "clippy"
cargo clippy --workspace --all-targets -- -D warnings

step "unit and integration tests"
cargo test --workspace --exclude veil-e2e

step "cross-check veil-os for Windows and macOS"
cargo check -p veil-os --target x86_64-pc-windows-msvc
cargo check -p veil-os --target x86_64-apple-darwin

step "Windows tier: veil-os and veil-core tests built with mingw, run under Wine"
scripts/test-windows.sh

step "SIEM detection content: Sigma rules checked, converted, run against sample events"
scripts/test-sigma.sh

step "release build (the hardening tests run it; the installers reuse it)"
scripts/build-ui.sh >/dev/null
cargo build --release -p veil --bins --features tauri/custom-protocol

step "end-to-end tests (Xvfb, openbox, tray, D-Bus, Secret Service, PulseAudio)"
cargo build -p veil
cargo test -p veil-e2e --no-run
scripts/test-e2e.sh

step "installers: build the .deb and .rpm, lintian, install, run, remove"
scripts/test-installers.sh

t=$(( $(date +%s) - began ))
printf '\n==> every test passed in %d:%02d\n' $(( t / 60 )) $(( t % 60 ))
