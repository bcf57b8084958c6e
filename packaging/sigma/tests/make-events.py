#!/usr/bin/env python3
"""Writes events.jsonl: the sample events the Sigma rules are tested on.

Each sample is an audit record (or a heartbeat, a checkpoint, another
program's line) rendered the way Veil sends it (crates/veil-core/src/fleet/
wire.rs) and then stored the way a receiver stores it, in three forms:

  otlp     an OTLP log record as a SIEM shows it: the resource attributes and
           the record's attributes by name, `body`, severity, event name
  syslog   the RFC 5424 frame as Elastic's syslog processor lays it out
           (log.syslog.*, the SD element parsed into
           log.syslog.structured_data.veil@32473.*, MSG in `message`)
  rsyslog  the same frame written by rsyslog with the JSON template in the
           README (received, timereported, hostname, appname, msgid,
           structured_data as sent, escaping and all, msg)

The audit chain is real: every record's hash is computed as audit.rs does,
host ids as identity.rs does, so `veil fleet verify` would accept the
records. Each event names the rules that must catch it; every other rule
must not (scripts/test-sigma.sh).

    python3 packaging/sigma/tests/make-events.py > packaging/sigma/tests/events.jsonl
"""

import hashlib
import hmac
import json
import pathlib
import re
import sys
from datetime import datetime, timezone

ROOT = pathlib.Path(__file__).resolve().parents[3]

SD_ID = "veil@32473"
FACILITY = 13  # log audit
VERSION = "0.1.0"

# wire.rs is_warning: records IT should look at go out as WARN.
WARNING_KINDS = {
    "policy_rejected", "policy_missing", "policy_override", "policy_override_refused",
    "policy_cache_rejected", "store_reset", "session_lock_failed", "lock_failed",
    "veil_absent", "veil_paused", "autostart_override_removed", "window_attach_refused",
    "control_rate_limited", "camera_cover_check_failed", "fleet_gap",
}
ACTORS = {"agent", "cli", "policy", "veil", "outside"}  # state.rs ChangedBy::as_str


def record_kinds():
    """The kinds audit.rs declares (record_kinds!), in order."""
    text = (ROOT / "crates/veil-core/src/audit.rs").read_text(encoding="utf-8")
    block = text[text.index("record_kinds! {"):]
    block = block[: block.index("\n}\n")]
    return re.findall(r'^\s*\w+ => "([a-z_]+)",', block, re.M)


# ---- audit.rs, identity.rs, timefmt.rs -------------------------------------

GENESIS = bytes(32)


def entry_hash(prev, seq, at_ms, kind, actor, user, details):
    h = hashlib.sha256()
    h.update(b"veil-audit-v1")
    h.update(prev)
    h.update(seq.to_bytes(8, "big", signed=True))
    h.update(at_ms.to_bytes(8, "big", signed=True))
    for field in (kind, actor, user, details):
        b = field.encode("utf-8")
        h.update(len(b).to_bytes(8, "big"))
        h.update(b)
    return h.digest()


def host_id(machine_id):
    return hmac.new(b"veil host id v1", machine_id.strip().encode(), hashlib.sha256).digest()[:16].hex()


def rfc3339(ms):
    t = datetime.fromtimestamp(ms // 1000, tz=timezone.utc)
    return t.strftime("%Y-%m-%dT%H:%M:%S") + f".{ms % 1000:03d}Z"


def utc_ms(text):
    return int(datetime.strptime(text, "%Y-%m-%dT%H:%M:%S").replace(tzinfo=timezone.utc).timestamp() * 1000)


def duration_words(ms):
    """lifecycle.rs duration_words."""
    s = max(ms, 0) // 1000
    if s < 120:
        return f"{s} s"
    if s < 7200:
        return f"{s // 60} min"
    return f"{s // 3600} h {(s % 3600) // 60} min"


def compact(value):
    """serde_json::to_string."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


# ---- wire.rs: syslog ---------------------------------------------------------


def sd_escape(v):
    return re.sub(r'(["\\\]])', r"\\\1", v)


def header_field(v, limit):
    clean = "".join(c for c in v if "!" <= c <= "~")[:limit]
    return clean or "-"


def syslog_message(origin, pid, at_ms, warn, msgid, params, body):
    """SYSLOG-MSG, as syslog_frame writes it (the octet count aside)."""
    params = [("host_id", origin["host_id"])] + params + [("install_id", origin["install_id"])]
    params += [(f"label.{header_field(k, 26)}", v) for k, v in sorted(origin["labels"].items())]
    sd = f"[{SD_ID}" + "".join(f' {k}="{sd_escape(v)}"' for k, v in params) + "]"
    msg = (
        f"<{FACILITY * 8 + (4 if warn else 6)}>1 {rfc3339(at_ms)} "
        f"{header_field(origin['host_name'], 255)} veil {pid} {header_field(msgid, 32)} {sd}"
    )
    if body:
        msg += " " + body
    return msg


def parse_sd(sd):
    """wire.rs parse_sd: the parameters of the veil@32473 element, unescaped."""
    start = sd.index(f"[{SD_ID}") + len(SD_ID) + 1
    out, i = {}, start
    while True:
        while sd[i] == " ":
            i += 1
        if sd[i] == "]":
            return out, i + 1
        eq = sd.index("=", i)
        name, i = sd[i:eq], eq + 1
        assert sd[i] == '"', sd
        i += 1
        value = []
        while sd[i] != '"':
            if sd[i] == "\\":
                i += 1
            value.append(sd[i])
            i += 1
        out[name] = "".join(value)
        i += 1


def split_message(msg):
    """The header fields, the SD element (as sent) and MSG of a SYSLOG-MSG."""
    pri_version, timestamp, hostname, appname, procid, msgid, rest = msg.split(" ", 6)
    if rest.startswith("-"):
        sd, tail = "-", rest[1:]
    else:
        _, end = parse_sd(rest)
        sd, tail = rest[:end], rest[end:]
    assert tail == "" or tail.startswith(" "), msg
    pri = int(pri_version[1:pri_version.index(">")])
    return {
        "pri": pri, "timestamp": timestamp, "hostname": hostname, "appname": appname,
        "procid": procid, "msgid": msgid, "sd": sd, "msg": tail[1:],
    }


SEVERITY_NAMES = {4: "Warning", 6: "Informational"}


def ecs_form(msg):
    """What Elastic's syslog processor makes of the frame."""
    m = split_message(msg)
    ev = {
        "@timestamp": m["timestamp"],
        "log.syslog.priority": m["pri"],
        "log.syslog.facility.code": m["pri"] // 8,
        "log.syslog.severity.code": m["pri"] % 8,
        "log.syslog.severity.name": SEVERITY_NAMES.get(m["pri"] % 8, "Notice"),
        "log.syslog.version": 1,
        "log.syslog.hostname": m["hostname"],
        "log.syslog.appname": m["appname"],
        "log.syslog.procid": m["procid"],
        "log.syslog.msgid": m["msgid"],
    }
    if m["sd"] != "-":
        params, _ = parse_sd(m["sd"])
        for k, v in params.items():
            ev[f"log.syslog.structured_data.{SD_ID}.{k}"] = v
    if m["msg"]:
        ev["message"] = m["msg"]
    return ev


def rsyslog_time(ms):
    """rsyslog's rfc3339 of its own receipt time (microseconds, an offset)."""
    t = datetime.fromtimestamp(ms / 1000, tz=timezone.utc)
    return t.strftime("%Y-%m-%dT%H:%M:%S.%f") + "+00:00"


def rsyslog_form(msg, at_ms):
    """What the README's rsyslog template (veil_json) writes for the frame."""
    m = split_message(msg)
    return {
        "received": rsyslog_time(at_ms + 180),
        "timereported": m["timestamp"],
        "hostname": m["hostname"],
        "appname": m["appname"],
        "msgid": m["msgid"],
        "structured_data": m["sd"],
        "msg": m["msg"],
    }


# ---- wire.rs: OTLP -----------------------------------------------------------


def otlp_form(origin, at_ms, warn, name, body, attributes):
    """One log record: resource attributes, then the record's, by name."""
    ev = {
        "service.name": "veil",
        "service.version": VERSION,
        "host.id": origin["host_id"],
        "host.name": origin["host_name"],
        "os.type": origin["os_type"],
        "user.name": origin["os_user"],
        "veil.install.id": origin["install_id"],
    }
    for k, v in sorted(origin["labels"].items()):
        ev[f"veil.label.{k}"] = v
    ev.update({
        "time_unix_nano": str(at_ms * 1_000_000),
        "severity_number": 13 if warn else 9,
        "severity_text": "WARN" if warn else "INFO",
        "event_name": name,
        "body": body,
    })
    ev.update(attributes)
    ev["event.name"] = name
    return ev


# ---- the machines and what they recorded --------------------------------------


def origin(machine_id, host_name, os_user, labels):
    return {
        "host_id": host_id(machine_id),
        "install_id": hashlib.sha256(b"install " + machine_id.encode()).hexdigest()[:32],
        "host_name": host_name,
        "os_type": "linux",
        "os_user": os_user,
        "labels": labels,
    }


HOSTS = {
    # A label with a bracket: the SD element escapes it.
    "lis017": origin("3d1219c7c4c5404aaa1f6d2a48adfda4", "cc-lis-017", "maria.silva",
                     {"site": "lisbon", "team": "claims [night]"}),
    "lis022": origin("9b51f0a3e27d4c6f8d0a51c2b7e4f690", "cc-lis-022", "joao.pereira",
                     {"site": "lisbon", "team": "retention"}),
    "por004": origin("c0ffee00c4c5404aaa1f6d2a48ad0004", "cc-por-004", "ana.costa",
                     {"site": "porto", "team": "claims"}),
    "pilot": origin("5eed5eed12345678aa1f6d2a48ad0001", "it-pilot-01", "rui.it",
                    {"site": "lisbon", "team": "it"}),
}

P_LIS = hashlib.sha256(b"policy lisbon").hexdigest()
P_LIS_NEW = hashlib.sha256(b"policy lisbon, shorter idle").hexdigest()
P_BROKEN = hashlib.sha256(b"policy with a typo").hexdigest()
P_PILOT = hashlib.sha256(b"pilot policy").hexdigest()
CACHE = hashlib.sha256(b"a hand-edited cache").hexdigest()
FP = "settings_sha256=none privacy=on"

SOFTPHONE = "softphone (pid 2211, /opt/softphone/bin/softphone, user maria.silva)"
OBS = "obs (pid 3120, /usr/bin/obs, user maria.silva)"
HEADSET = "Jabra Evolve2 40 Mono"

PRIVACY_OFF = ["veil_privacy_off"]
OUTSIDE = ["veil_privacy_off_outside"]
USE = ["veil_unapproved_camera_microphone_use"]
CONTROL = ["veil_control_tampering"]
NOT_IN_FORCE = ["veil_policy_not_in_force"]
LOST = ["veil_audit_records_lost"]

# Per host: where its records begin (the chain's anchor number; 0: a new
# store), the process id, then (time, kind, actor, details, rules).
# A `pid` row starts a new run; `heartbeat` and `checkpoint` rows send those.
SAMPLES = {
    "lis017": (1203, [
        ("pid", 4242),
        ("2026-12-01T08:00:00", "veil_started", "veil",
         "pid 4242; the previous run stopped: SIGTERM from pid 1 (/usr/lib/systemd/systemd): "
         f"the computer is shutting down; {FP}; {FP}", []),
        ("2026-12-01T08:00:00", "policy_loaded", "policy", f"/etc/veil/policy.toml (sha256 {P_LIS})", []),
        ("2026-12-01T08:05:12", "camera_use_started", "veil",
         f"{SOFTPHONE} on Integrated Camera; allowed by policy", []),
        ("2026-12-01T08:05:13", "microphone_use_started", "veil", f"{SOFTPHONE} on {HEADSET}; allowed by policy", []),
        ("2026-12-01T08:12:40", "privacy_off", "agent", "", PRIVACY_OFF),
        ("2026-12-01T08:14:02", "privacy_on", "agent", "", []),
        ("2026-12-01T08:15:30", "privacy_off", "cli", "", PRIVACY_OFF),
        ("2026-12-01T08:15:50", "privacy_on", "cli", "", []),
        ("2026-12-01T08:20:01", "camera_use_started", "veil",
         f"{OBS} on Integrated Camera; not on the allow-list", USE),
        ("2026-12-01T08:20:43", "camera_use_stopped", "veil",
         f"{OBS} on Integrated Camera; not on the allow-list; after 42 s", []),
        ("2026-12-01T08:25:09", "microphone_use_started", "veil",
         "unknown program (pid 0, claims to be /opt/softphone/bin/softphone (pid 2211), user maria.silva) "
         f"on {HEADSET}; its pid and program are only its own claim", USE),
        # The allow-listed softphone's process now runs a shell.
        ("2026-12-01T08:26:30", "camera_use_changed", "veil",
         "sh (pid 2211, /usr/bin/sh, user maria.silva) on Integrated Camera; not on the allow-list; "
         "was /opt/softphone/bin/softphone", USE),
        ("2026-12-01T08:30:00", "control_rate_limited", "veil",
         "more than 5 requests a second changed Veil's state; refused for now (first: a CLI request)", CONTROL),
        ("2026-12-01T08:31:00", "window_attach_refused", "veil",
         "a window process attach was refused: process 5150 is not the window process Veil started", CONTROL),
        ("2026-12-01T08:40:00", "veil_stopped", "veil",
         "SIGTERM from pid 5120 (/usr/bin/pkill), although the organization's policy does not allow "
         f"quitting Veil; {FP}", ["veil_stopped_against_policy"]),
        ("pid", 5177),
        # Names the stop in its details, but it is a start: no rule.
        ("2026-12-01T08:56:00", "veil_started", "veil",
         lambda last, now: f"pid 5177; the previous run stopped: {last['veil_stopped'][1]}; "
         "settings_sha256=none privacy=off", []),
        ("2026-12-01T08:56:00", "veil_absent", "veil",
         lambda last, now: f"not running for {duration_words(now - last['veil_stopped'][0])} (since the "
         f"previous run, from {rfc3339(last['veil_stopped'][0])} to {rfc3339(now)}); meanwhile the "
         "privacy-mode file was changed to off outside Veil", ["veil_absent"]),
        ("2026-12-01T08:56:00", "privacy_off", "outside",
         "the privacy-mode file was changed while Veil was not running", OUTSIDE),
        ("2026-12-01T08:56:00", "policy_loaded", "policy", f"/etc/veil/policy.toml (sha256 {P_LIS})", []),
        ("2026-12-01T09:10:35", "veil_paused", "veil",
         "Veil's process did not run for 95 s (stopped with SIGSTOP, or starved)", ["veil_paused"]),
        ("2026-12-01T09:20:00", "autostart_override_removed", "veil",
         "a per-user autostart entry would have kept Veil at sign-in; policy locks start_at_login = true", CONTROL),
        ("2026-12-01T09:30:00", "shield_shown", "veil", "screen covered (idle)", []),
        ("2026-12-01T09:31:10", "lock_failed", "veil",
         "this computer could not be locked: logind: nothing confirmed the lock; "
         "/usr/bin/xdg-screensaver lock: nothing confirmed the lock", ["veil_lock_failed"]),
        ("2026-12-01T09:35:00", "fleet_gap", "veil",
         compact({"destination": "syslog", "endpoint": "logs.example.com:6514", "from_seq": 412,
                  "through_seq": 1180, "count": 769, "backlog_days": 30}), LOST),
        ("heartbeat", "2026-12-01T09:39:00", "off",
         {"camera": "compliant", "microphone": "compliant", "policy": "compliant",
          "shield": "not_compliant", "training": "compliant"}, P_LIS),
        ("checkpoint", "2026-12-01T09:40:00"),
    ]),
    "lis022": (877, [
        ("pid", 3866),
        # Written by an earlier version, sent with the backlog.
        ("2026-11-20T16:02:11", "session_lock_failed", "veil",
         "loginctl lock-session failed: exit status 1", ["veil_lock_failed"]),
        ("2026-12-01T08:00:00", "policy_changed", "policy",
         f"/etc/veil/policy.toml (sha256 {P_LIS_NEW}): shield.idle_seconds: 300 -> 120 (policy)",
         ["veil_policy_changed"]),
        ("2026-12-01T08:10:00", "policy_rejected", "veil",
         "/etc/veil/policy.toml:3:1: key `start_at_logon`: unknown key (did you mean `start_at_login`?) "
         f"(sha256 {P_BROKEN})", NOT_IN_FORCE),
        ("2026-12-01T08:20:00", "policy_removed", "policy", "/etc/veil/policy.toml", NOT_IN_FORCE),
        ("2026-12-01T08:20:00", "privacy_off", "policy", "", PRIVACY_OFF),
        ("2026-12-01T08:30:00", "session_locked", "veil", "the computer was locked (idle; confirmed after logind)", []),
        ("heartbeat", "2026-12-01T08:31:00", "off",
         {"camera": "compliant", "microphone": "compliant", "policy": "not_compliant",
          "shield": "compliant", "training": "not_compliant"}, None),
        ("2026-12-01T09:38:00", "veil_stopped", "veil",
         f"SIGTERM from pid 1 (/usr/lib/systemd/systemd): the session is ending (logout); {FP}", []),
    ]),
    "por004": (0, [
        ("pid", 3101),
        ("2026-12-01T08:00:00", "store_reset", "veil",
         lambda last, now: "the previous store could not be opened with this key; kept at "
         f"/home/ana.costa/.local/share/veil/veil.db.damaged-{now // 1000}", LOST),
        ("2026-12-01T08:00:00", "veil_started", "veil", f"pid 3101; first start of Veil for this account; {FP}", []),
        ("2026-12-01T08:00:00", "policy_missing", "policy", "/etc/veil/policy.toml", NOT_IN_FORCE),
        ("2026-12-01T08:00:00", "policy_override_refused", "veil",
         "VEIL_POLICY=/home/ana.costa/policy.toml is ignored: this computer has had an organization policy",
         NOT_IN_FORCE),
        ("2026-12-01T08:00:00", "policy_cache_rejected", "veil",
         f"/home/ana.costa/.local/share/veil/policy-last-good.toml: sha256 {CACHE} is not the policy on "
         "record; removed; the fail-closed policy is in force", NOT_IN_FORCE),
        ("2026-12-01T08:10:00", "microphone_use_started", "veil",
         "zoom (pid 900, /home/ana.costa/.local/bin/zoom, user ana.costa) on Built-in Audio Analog Stereo; "
         "its program is not in a folder only an administrator can write", USE),
        ("2026-12-01T08:12:00", "camera_cover_checked", "veil", "/dev/video0: covered (mean luminance 3.2)", []),
    ]),
    "pilot": (55, [
        ("pid", 1877),
        ("2026-12-01T08:00:00", "policy_override", "veil",
         "VEIL_POLICY names the policy in force: /opt/veil-pilot/policy.toml", ["veil_policy_override"]),
        ("2026-12-01T08:00:00", "policy_loaded", "policy", f"/opt/veil-pilot/policy.toml (sha256 {P_PILOT})", []),
        ("heartbeat", "2026-12-01T09:39:30", "protected",
         {"camera": "compliant", "microphone": "compliant", "policy": "compliant",
          "shield": "compliant", "training": "compliant"}, P_PILOT),
    ]),
}


def events():
    kinds = set(record_kinds())
    out = []

    def emit(name, expect, otlp, msg, at_ms):
        out.append({"name": name, "form": "otlp", "expect": expect, "event": otlp})
        out.append({"name": "syslog: " + name, "form": "syslog", "expect": expect, "event": ecs_form(msg)})
        out.append({"name": "rsyslog: " + name, "form": "rsyslog", "expect": expect,
                    "event": rsyslog_form(msg, at_ms)})

    for key, (anchor_seq, rows) in SAMPLES.items():
        o = HOSTS[key]
        seq = anchor_seq
        prev = GENESIS if anchor_seq == 0 else hashlib.sha256(f"{key} #{anchor_seq}".encode()).digest()
        pid = None
        millis = 0
        last = {}  # kind -> (at_ms, details) of this host's newest such record
        for row in rows:
            if row[0] == "pid":
                pid = row[1]
                continue
            millis = (millis + 137) % 1000
            if row[0] == "heartbeat":
                _, at, state, compliance, policy = row
                at_ms = utc_ms(at) + millis
                hb = {
                    "at_ms": at_ms, "interval_seconds": 60, "version": VERSION,
                    "privacy_mode": "on" if state == "protected" else "off", "state": state,
                    "compliance": dict(sorted(compliance.items())),
                    "training_completed": 4, "training_modules": 6, "policy_sha256": policy,
                    "head_seq": seq, "head_hash": prev.hex(),
                }
                warn = state != "protected"
                attrs = {
                    "veil.privacy_mode": hb["privacy_mode"], "veil.state": state,
                    "veil.heartbeat.interval_seconds": 60, "veil.audit.head_seq": seq,
                    "veil.audit.head_hash": prev.hex(), "veil.training.completed": 4,
                    "veil.training.modules": 6, "veil.policy.sha256": policy or "",
                }
                attrs.update({f"veil.compliance.{k}": v for k, v in hb["compliance"].items()})
                body = compact(hb)
                msg = syslog_message(o, pid, at_ms, warn, "heartbeat", [
                    ("kind", "heartbeat"), ("privacy_mode", hb["privacy_mode"]), ("state", state),
                    ("head_seq", str(seq)), ("head_hash", prev.hex()), ("interval", "60"),
                    ("policy_sha256", policy or ""),
                ], body)
                emit(f"{o['host_name']}: heartbeat, state {state}", [],
                     otlp_form(o, at_ms, warn, "veil.heartbeat", body, attrs), msg, at_ms)
                continue
            if row[0] == "checkpoint":
                at_ms = utc_ms(row[1]) + millis
                count = seq  # never pruned: every record since #1 is in the store
                body = compact({"at_ms": at_ms, "seq": seq, "hash": prev.hex(), "count": count})
                attrs = {"veil.audit.seq": seq, "veil.audit.hash": prev.hex(), "veil.audit.count": count}
                msg = syslog_message(o, pid, at_ms, False, "checkpoint", [
                    ("kind", "checkpoint"), ("seq", str(seq)), ("hash", prev.hex()), ("count", str(count)),
                ], body)
                emit(f"{o['host_name']}: checkpoint", [],
                     otlp_form(o, at_ms, False, "veil.audit.checkpoint", body, attrs), msg, at_ms)
                continue
            at, kind, actor, details, expect = row
            if kind not in kinds:
                sys.exit(f"make-events: {kind} is not a record kind in audit.rs")
            if actor not in ACTORS:
                sys.exit(f"make-events: {actor} is not an actor")
            at_ms = utc_ms(at) + millis
            if callable(details):
                details = details(last, at_ms)
            last[kind] = (at_ms, details)
            seq += 1
            user = o["os_user"]
            h = entry_hash(prev, seq, at_ms, kind, actor, user, details)
            warn = kind in WARNING_KINDS
            record_id = f"{o['host_id']}:{seq}"
            attrs = {
                "veil.audit.id": record_id, "veil.audit.seq": seq, "veil.audit.prev_hash": prev.hex(),
                "veil.audit.hash": h.hex(), "veil.audit.kind": kind, "veil.audit.actor": actor,
                "user.name": user,
            }
            msg = syslog_message(o, pid, at_ms, warn, kind, [
                ("id", record_id), ("seq", str(seq)), ("prev", prev.hex()), ("hash", h.hex()),
                ("kind", kind), ("actor", actor), ("user", user), ("at", str(at_ms)),
            ], details)
            label = f"{o['host_name']} #{seq}: {kind} by {actor}"
            emit(label, expect, otlp_form(o, at_ms, warn, f"veil.audit.{kind}", details, attrs), msg, at_ms)
            prev = h

    # Other programs on the same receivers.
    at_ms = utc_ms("2026-12-01T08:13:00")
    other = "<134>1 2026-12-01T08:13:00.000Z cc-lis-017 otherapp 777 privacy_off - from the tray"
    for form, event in (("syslog", ecs_form(other)), ("rsyslog", rsyslog_form(other, at_ms))):
        out.append({"name": f"{form}: another program with Veil's MSGID", "form": form, "expect": [],
                    "event": event})
    out.append({"name": "another service's OTLP record", "form": "otlp", "expect": [], "event": {
        "service.name": "softphone", "host.name": "cc-lis-017", "time_unix_nano": str(at_ms * 1_000_000),
        "severity_text": "INFO", "severity_number": 9, "event_name": "", "body": "privacy_off",
        "user.name": "maria.silva",
    }})
    return out


def self_test():
    """The frame wire.rs's own test expects, byte for byte."""
    o = {"host_id": "0123456789abcdef0123456789abcdef", "install_id": "inst", "host_name": "seat 17",
         "os_type": "linux", "os_user": "alice", "labels": {"site": "lisbon"}}
    at = 1_764_590_400_123
    h = entry_hash(GENESIS, 1, at, "privacy_off", "agent", 'al"i]ce\\', '{"reason":"break"}')
    msg = syslog_message(o, 42, at, False, "privacy_off", [
        ("id", o["host_id"] + ":1"), ("seq", "1"), ("prev", GENESIS.hex()), ("hash", h.hex()),
        ("kind", "privacy_off"), ("actor", "agent"), ("user", 'al"i]ce\\'), ("at", str(at)),
    ], '{"reason":"break"}')
    assert msg.startswith(
        '<110>1 2025-12-01T12:00:00.123Z seat17 veil 42 privacy_off [veil@32473 '
        'host_id="0123456789abcdef0123456789abcdef" id="0123456789abcdef0123456789abcdef:1" seq="1"'), msg
    assert msg.endswith('] {"reason":"break"}'), msg
    assert 'user="al\\"i\\]ce\\\\"' in msg, msg
    assert 'label.site="lisbon"' in msg, msg
    assert ecs_form(msg)[f"log.syslog.structured_data.{SD_ID}.user"] == 'al"i]ce\\'
    assert ecs_form(msg)["message"] == '{"reason":"break"}'
    mac = hmac.new(b"Jefe", b"what do ya want for nothing?", hashlib.sha256).hexdigest()
    assert mac == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"


if __name__ == "__main__":
    self_test()
    for e in events():
        print(json.dumps(e, ensure_ascii=False))
