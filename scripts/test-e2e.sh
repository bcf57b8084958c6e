#!/usr/bin/env bash
# The end-to-end tests in two groups at once, each on its own desktop (its
# own Xvfb display, D-Bus session and keyring; every test home has its own
# PulseAudio): most of a test is waiting for the app, so two groups share
# two cores well. Within a group, one test at a time. Each group's output
# goes to tests/artifacts/e2e-GROUP.log and is printed when it ends.
# Usage: scripts/test-e2e.sh            (both groups)
#        scripts/test-e2e.sh a|b        (one group)
set -uo pipefail
cd "$(dirname "$0")/.."

# Split by running time (tests/artifacts/e2e-*.log show each file's).
group_a=(hardening foundation microphone posture store training accessibility)
group_b=(fleet shield locker sni_tray camera wayland notifications languages)

run_group() {
  local name=$1; shift
  local args=()
  for t in "$@"; do args+=(--test "$t"); done
  local logs="$PWD/tests/artifacts/e2e-$name"
  mkdir -p "$logs"
  VEIL_E2E_LOGS="$logs" dbus-run-session -- scripts/e2e-session.sh \
    cargo test -p veil-e2e --no-fail-fast "${args[@]}" -- --test-threads=1 \
    >"$PWD/tests/artifacts/e2e-$name.log" 2>&1
}

mkdir -p tests/artifacts
case "${1:-all}" in
  a) run_group a "${group_a[@]}"; rc=$?; cat tests/artifacts/e2e-a.log; exit $rc ;;
  b) run_group b "${group_b[@]}"; rc=$?; cat tests/artifacts/e2e-b.log; exit $rc ;;
esac

start=$(date +%s)
run_group a "${group_a[@]}" & pa=$!
run_group b "${group_b[@]}" & pb=$!
wait $pa; ra=$?
wait $pb; rb=$?
for g in a b; do
  printf '\n---- end-to-end group %s ----\n' "$g"
  # The test harness's lines, not the apps' chatter (all of it is in the file).
  # A panic's message (the lines after "panicked at") is kept, a few lines
  # of it, so that a failure in CI says what was waited for.
  # So is the tail of Veil's log that a failed test's home prints; the
  # stack backtrace between the two is not.
  awk '/^thread .* panicked/ { n = 8 }
       /^stack backtrace:/ { n = 0 }
       /the failed test.s home is kept at/ { n = 42 }
       n > 0 { print; n--; next }
       /^(test |running |test result|failures:|---- |  left|  right|Running )/' \
    "tests/artifacts/e2e-$g.log" || true
done
printf '\nend-to-end tests took %s s (group a: exit %s, group b: exit %s)\n' "$(( $(date +%s) - start ))" "$ra" "$rb"
if [ "$ra" -ne 0 ] || [ "$rb" -ne 0 ]; then
  echo "end-to-end failures: see tests/artifacts/e2e-a.log and e2e-b.log" >&2
  exit 1
fi
