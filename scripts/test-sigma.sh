#!/usr/bin/env bash
# The SIEM detection test: checks the Sigma rules in packaging/sigma/ with
# sigma-cli, converts them for Splunk (OTLP field names, and through the
# rsyslog JSON pipeline) and, through the syslog pipeline, for Elasticsearch
# Lucene, and runs every rule, converted to SQL, against the sample events in
# packaging/sigma/tests/events.jsonl in each of the three stored forms (OTLP,
# syslog as Elastic parses it, rsyslog's JSON lines): each event must be
# caught by exactly the rules it names, and by no other. The events are what
# packaging/sigma/tests/make-events.py writes (the wire format of
# crates/veil-core/src/fleet/wire.rs, real hashes); every record kind a rule
# names must be one crates/veil-core/src/audit.rs declares.
#
# sigma-cli and its backends come from PyPI into target/sigma-venv (made once,
# and again when the pinned versions below change). Quiet on success.
#
# `sigma check` runs every validator except the two that download MITRE data
# (ATT&CK from GitHub, D3FEND from mitre.org), which this machine and CI do not
# reach. Set SIGMA_CHECK_ATTACK=1 where they are reachable to run them too.
set -euo pipefail
cd "$(dirname "$0")/.."

fail() { echo "test-sigma: FAIL: $*" >&2; exit 1; }

RULES=packaging/sigma
SYSLOG_PIPELINE=$RULES/pipelines/veil-syslog-ecs.yaml
RSYSLOG_PIPELINE=$RULES/pipelines/veil-rsyslog-json.yaml
EVENTS=$RULES/tests/events.jsonl
AUDIT_RS=crates/veil-core/src/audit.rs
VENV=target/sigma-venv
PINS=(
  "sigma-cli==3.1.0"
  "pySigma==1.5.1"
  "pySigma-backend-splunk==2.1.0"
  "pySigma-backend-elasticsearch==2.1.1"
  "pySigma-backend-sqlite==2.0.0"
)
SIGMA=$VENV/bin/sigma

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

# --- sigma-cli, once ---------------------------------------------------------
stamp=$VENV/.veil-pins
if [ ! -x "$SIGMA" ] || [ "$(cat "$stamp" 2>/dev/null)" != "${PINS[*]}" ]; then
  rm -rf "$VENV"
  mkdir -p target
  if ! { python3 -m venv "$VENV" &&
         "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "${PINS[@]}"; } \
       >"$scratch/install.log" 2>&1; then
    cat "$scratch/install.log" >&2
    rm -rf "$VENV"
    fail "could not install sigma-cli into $VENV"
  fi
  echo "${PINS[*]}" >"$stamp"
fi

mapfile -t rules < <(find "$RULES" -name '*.yml' | sort)
n=${#rules[@]}
[ "$n" -gt 0 ] || fail "no rules in $RULES"

# --- sigma check --------------------------------------------------------------
exclude=(--exclude attacktag --exclude d3_fendtag)
if [ "${SIGMA_CHECK_ATTACK:-0}" = 1 ]; then exclude=(); fi
if ! "$SIGMA" check --fail-on-error --fail-on-issues "${exclude[@]}" "$RULES" \
     >"$scratch/check.log" 2>&1; then
  cat "$scratch/check.log" >&2
  fail "sigma check found problems"
fi
grep -q 'Found 0 errors, 0 condition errors and 0 issues' "$scratch/check.log" \
  || { cat "$scratch/check.log" >&2; fail "sigma check did not report a clean run"; }

# The check must be able to fail: the same rule twice (same id, same title)
# has to be refused.
mkdir "$scratch/dup"
cp "${rules[0]}" "$scratch/dup/a_rule.yml"
cp "${rules[0]}" "$scratch/dup/b_rule.yml"
if "$SIGMA" check --fail-on-issues "${exclude[@]}" "$scratch/dup" >"$scratch/dup.log" 2>&1; then
  cat "$scratch/dup.log" >&2
  fail "sigma check accepted two rules with the same id"
fi

# Every rule has the fields the project asks of it.
for r in "${rules[@]}"; do
  for key in id title description author date tags logsource detection falsepositives level; do
    grep -q "^$key:" "$r" || fail "$r has no $key"
  done
  grep -qx 'status: experimental' "$r" || fail "$r is not status: experimental"
  grep -qx 'author: Veil' "$r" || fail "$r: author is not Veil"
  grep -qx 'date: 2026-12-01' "$r" || fail "$r: date is not 2026-12-01"
  grep -qx '    product: veil' "$r" || fail "$r: logsource product is not veil"
done

# The rules name record kinds and actors Veil writes, spelled as it does.
"$VENV/bin/python" - "$AUDIT_RS" "${rules[@]}" <<'PY' || fail "a rule names a kind or actor Veil does not write"
import re, sys, yaml

audit = open(sys.argv[1], encoding="utf-8").read()
block = audit[audit.index("record_kinds! {"):]
kinds = set(re.findall(r'^\s*\w+ => "([a-z_]+)",', block[: block.index("\n}\n")], re.M))
assert len(kinds) > 30, f"only {len(kinds)} record kinds found in {sys.argv[1]}"
actors = {"agent", "cli", "policy", "veil", "outside"}  # state.rs ChangedBy::as_str
bad = []
for path in sys.argv[2:]:
    detection = yaml.safe_load(open(path, encoding="utf-8"))["detection"]
    for name, item in detection.items():
        for field, values in (item.items() if isinstance(item, dict) else []):
            values = values if isinstance(values, list) else [values]
            if field == "veil.audit.kind":
                bad += [f"{path}: {v} is not a record kind" for v in values if v not in kinds]
            if field == "veil.audit.actor":
                bad += [f"{path}: {v} is not an actor" for v in values if v not in actors]
for b in bad:
    print("  " + b, file=sys.stderr)
sys.exit(1 if bad else 0)
PY

# The sample events are the generator's, and the generator still agrees
# with wire.rs's own test vector (it checks that before writing).
python3 "$RULES/tests/make-events.py" >"$scratch/events.jsonl" \
  || fail "packaging/sigma/tests/make-events.py failed"
cmp -s "$scratch/events.jsonl" "$EVENTS" \
  || fail "$EVENTS is not what tests/make-events.py writes (run: python3 $RULES/tests/make-events.py > $EVENTS)"

# --- Splunk -------------------------------------------------------------------
# No Splunk pipeline knows Veil's fields: the field names stay as they are.
if ! "$SIGMA" convert --target splunk --without-pipeline \
     --output-dir "$scratch/splunk" --output-filename-template '{stem}.spl' "$RULES" \
     >"$scratch/splunk.log" 2>&1; then
  cat "$scratch/splunk.log" >&2
  fail "conversion for splunk failed"
fi
converted=$(find "$scratch/splunk" -name '*.spl' -size +0 | wc -l)
[ "$converted" -eq "$n" ] || fail "splunk: $converted of $n rules converted"
spl() { cat "$scratch/splunk/$1.spl"; }
spl veil_privacy_off | grep -q 'veil.audit.kind="privacy_off" NOT' \
  || fail "splunk: privacy_off rule: $(spl veil_privacy_off)"
spl veil_privacy_off_outside | grep -q 'veil.audit.kind="privacy_off" veil.audit.actor="outside"' \
  || fail "splunk: privacy_off outside rule: $(spl veil_privacy_off_outside)"
spl veil_unapproved_camera_microphone_use | grep -q 'camera_use_started' \
  || fail "splunk: camera rule: $(spl veil_unapproved_camera_microphone_use)"
spl veil_stopped_against_policy | grep -q "body=\"\*although the organization's policy does not allow quitting\*\"" \
  || fail "splunk: veil_stopped rule: $(spl veil_stopped_against_policy)"

# --- Elasticsearch Lucene, syslog form ----------------------------------------
if ! "$SIGMA" convert --target lucene --pipeline "$SYSLOG_PIPELINE" "$RULES" \
     >"$scratch/lucene.txt" 2>"$scratch/lucene.log"; then
  cat "$scratch/lucene.log" >&2
  fail "conversion for lucene with the syslog pipeline failed"
fi
lucene_queries=$(grep -c '^log.syslog.appname:veil AND' "$scratch/lucene.txt" || true)
[ "$lucene_queries" -eq "$n" ] || fail "lucene: $lucene_queries of $n queries are scoped to app veil"
grep -q 'log.syslog.msgid:privacy_off AND log.syslog.structured_data.veil@32473.actor:outside' "$scratch/lucene.txt" \
  || fail "lucene: no privacy_off query on the actor"
if grep -Eq 'veil\.(audit|label)\.' "$scratch/lucene.txt"; then
  fail "lucene: OTLP field names left in the syslog queries"
fi

# --- Splunk, rsyslog JSON lines -------------------------------------------------
if ! "$SIGMA" convert --target splunk --pipeline "$RSYSLOG_PIPELINE" \
     --output-dir "$scratch/rsyslog" --output-filename-template '{stem}.spl' "$RULES" \
     >"$scratch/rsyslog.log" 2>&1; then
  cat "$scratch/rsyslog.log" >&2
  fail "conversion for splunk with the rsyslog pipeline failed"
fi
rsy() { cat "$scratch/rsyslog/$1.spl"; }
rsy veil_privacy_off_outside | grep -qF 'appname="veil" msgid="privacy_off" structured_data="* actor=\"outside\"*"' \
  || fail "rsyslog: privacy_off outside rule: $(rsy veil_privacy_off_outside)"
if cat "$scratch"/rsyslog/*.spl | grep -Eq 'veil\.(audit|label)\.|(host|user)\.(id|name)'; then
  fail "rsyslog: OTLP field names left in the queries: $(cat "$scratch"/rsyslog/*.spl)"
fi
# A condition on a parameter the pipeline does not rewrite is refused, not
# left to match nothing.
mkdir "$scratch/label"
sed 's/^        veil.audit.kind: veil_paused$/        veil.label.site: porto/' "$RULES/veil_paused.yml" \
  >"$scratch/label/veil_label.yml"
grep -q 'veil.label.site: porto' "$scratch/label/veil_label.yml" || fail "could not write the label rule"
if "$SIGMA" convert --target splunk --pipeline "$RSYSLOG_PIPELINE" "$scratch/label" \
     >"$scratch/label.log" 2>&1; then
  cat "$scratch/label.log" >&2
  fail "rsyslog: a condition on a label was converted"
fi
grep -q 'inside structured_data' "$scratch/label.log" \
  || { cat "$scratch/label.log" >&2; fail "rsyslog: the label rule failed for another reason"; }

# --- The rules on sample events (SQL, run by SQLite) --------------------------
for form in otlp syslog rsyslog; do
  case $form in
    otlp) pipe=(--without-pipeline) ;;
    syslog) pipe=(--pipeline "$SYSLOG_PIPELINE") ;;
    rsyslog) pipe=(--pipeline "$RSYSLOG_PIPELINE") ;;
  esac
  if ! "$SIGMA" convert --target sqlite "${pipe[@]}" \
       --output-dir "$scratch/sql-$form" --output-filename-template '{stem}.sql' "$RULES" \
       >"$scratch/sql-$form.log" 2>&1; then
    cat "$scratch/sql-$form.log" >&2
    fail "conversion for sqlite ($form) failed"
  fi
done
"$VENV/bin/python" - "$EVENTS" "$scratch" "$RULES" <<'PY' || fail "the rules do not catch the sample events as expected"
import json, pathlib, sqlite3, sys

events_file, scratch, rules_dir = sys.argv[1], pathlib.Path(sys.argv[2]), pathlib.Path(sys.argv[3])
events = [json.loads(line) for line in open(events_file, encoding="utf-8") if line.strip()]
rules = sorted(p.stem for p in rules_dir.glob("*.yml"))
problems = []
caught = {(r, f): 0 for r in rules for f in ("otlp", "syslog", "rsyslog")}
for form in ("otlp", "syslog", "rsyslog"):
    mine = [(i, e) for i, e in enumerate(events) if e["form"] == form]
    columns = sorted({k for _, e in mine for k in e["event"]})
    db = sqlite3.connect(":memory:")
    quoted = ", ".join(f'"{c}"' for c in columns)
    db.execute(f'CREATE TABLE logs ("_event" INTEGER, {quoted})')
    for i, e in mine:
        values = [i] + [e["event"].get(c) for c in columns]
        db.execute(f"INSERT INTO logs VALUES ({', '.join('?' * len(values))})", values)
    for rule in rules:
        query = (scratch / f"sql-{form}" / f"{rule}.sql").read_text().strip().rstrip(";")
        # With --output-dir the backend writes the condition alone.
        if not query.upper().startswith("SELECT"):
            query = f"SELECT * FROM logs WHERE {query}"
        cur = db.execute(query)
        names = [d[0] for d in cur.description]
        hit = {row[names.index("_event")] for row in cur.fetchall()}
        for i, e in mine:
            want = rule in e["expect"]
            if want and i not in hit:
                problems.append(f"{rule} misses {form} event '{e['name']}'")
            if not want and i in hit:
                problems.append(f"{rule} catches {form} event '{e['name']}'")
        caught[(rule, form)] += len(hit)
for e in events:
    for r in e["expect"]:
        if r not in rules:
            problems.append(f"event '{e['name']}' names no rule: {r}")
problems += [f"{r} caught no {f} sample event" for (r, f), c in caught.items() if c == 0]
for p in problems:
    print("  " + p, file=sys.stderr)
sys.exit(1 if problems else 0)
PY

echo "test-sigma: ok ($n rules checked, converted for splunk, lucene and rsyslog JSON, $(grep -c . "$EVENTS") sample events in 3 forms)"
