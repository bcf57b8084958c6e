#!/usr/bin/env python3
"""An OTLP/HTTP logs receiver for Veil's end-to-end tests.

It decodes each POST to /v1/logs with the OpenTelemetry project's own
protobuf classes (PyPI opentelemetry-proto), so the test holds Veil's
encoding to the official schema, and stores every accepted request as one
line of OTLP/JSON: the same form an OpenTelemetry Collector's file exporter
writes, which `veil fleet verify` reads.

Faults are injected through a control file (JSON, re-read on each
request): {"status": 503, "retry_after": 2} answers 503 with Retry-After: 2
until the file changes; {"status": 200} (or no file) accepts;
"delay_after_store": N holds the answer N seconds after storing.

Every request, accepted or not, is logged to --requests as
{"t": unix seconds (after the store), "status": N, "records": N,
"bytes": the body's size on the wire, "seqs": audit record numbers,
"events": event names, "tls_client": CN or null}.
"""

import argparse
import gzip
import json
import os
import ssl
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from google.protobuf.json_format import MessageToJson
from opentelemetry.proto.collector.logs.v1.logs_service_pb2 import (
    ExportLogsServiceRequest,
    ExportLogsServiceResponse,
)

LOCK = threading.Lock()


def control(path):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return {"status": 200}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        sys.stderr.write("otlp-receiver: " + (fmt % args) + "\n")

    def client_name(self):
        try:
            cert = self.connection.getpeercert()
        except AttributeError:
            return None
        if not cert:
            return None
        for rdn in cert.get("subject", ()):
            for key, value in rdn:
                if key == "commonName":
                    return value
        return None

    def answer(self, status, body=b"", headers=()):
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)
        self.close_connection = True

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        raw = self.rfile.read(length)
        self.wire_bytes = length
        self.seqs = []
        self.events = []
        records = 0
        status = 200
        ctl = control(self.server.control_path)
        try:
            if self.path != "/v1/logs":
                status = 404
                raise ValueError("not /v1/logs")
            if self.headers.get("Content-Type") != "application/x-protobuf":
                status = 415
                raise ValueError("not protobuf")
            if self.headers.get("Content-Encoding") == "gzip":
                raw = gzip.decompress(raw)
            want = self.server.token
            if want and self.headers.get("Authorization") != "Bearer " + want:
                status = 401
                raise ValueError("no token")
            req = ExportLogsServiceRequest.FromString(raw)
            for rl in req.resource_logs:
                for sl in rl.scope_logs:
                    for lr in sl.log_records:
                        records += 1
                        self.events.append(lr.event_name)
                        if lr.event_name != "veil.audit.checkpoint":
                            for a in lr.attributes:
                                if a.key == "veil.audit.seq":
                                    self.seqs.append(a.value.int_value)
            status = int(ctl.get("status", 200))
        except Exception as e:  # noqa: BLE001 - a test receiver reports all
            if status == 200:
                status = 400
            body = str(e).encode()
            self.log_requests(status, records)
            self.answer(status, body, [("Content-Type", "text/plain")])
            return
        with LOCK:
            if 200 <= status < 300:
                with open(self.server.out_path, "a") as f:
                    f.write(MessageToJson(req, indent=None) + "\n")
                    f.flush()
                    os.fsync(f.fileno())
            self.log_requests(status, records)
        # The worst moment for the sender to die: stored, not yet answered.
        time.sleep(float(ctl.get("delay_after_store", 0)))
        if 200 <= status < 300:
            self.answer(
                status,
                ExportLogsServiceResponse().SerializeToString(),
                [("Content-Type", "application/x-protobuf")],
            )
        else:
            headers = [("Content-Type", "text/plain")]
            if "retry_after" in ctl:
                headers.append(("Retry-After", str(ctl["retry_after"])))
            self.answer(status, b"injected by the test", headers)

    def log_requests(self, status, records):
        with open(self.server.requests_path, "a") as f:
            f.write(
                json.dumps(
                    {
                        "t": time.time(),
                        "status": status,
                        "records": records,
                        "bytes": getattr(self, "wire_bytes", 0),
                        "seqs": getattr(self, "seqs", []),
                        "events": getattr(self, "events", []),
                        "tls_client": self.client_name(),
                    }
                )
                + "\n"
            )


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--requests", required=True)
    p.add_argument("--control", required=True)
    p.add_argument("--cert")
    p.add_argument("--key")
    p.add_argument("--client-ca", help="require a client certificate from this CA")
    p.add_argument("--token", help="require Authorization: Bearer TOKEN")
    a = p.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", a.port), Handler)
    server.out_path = a.out
    server.requests_path = a.requests
    server.control_path = a.control
    server.token = a.token
    if a.cert:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(a.cert, a.key)
        if a.client_ca:
            ctx.verify_mode = ssl.CERT_REQUIRED
            ctx.load_verify_locations(a.client_ca)
        server.socket = ctx.wrap_socket(server.socket, server_side=True)
    print("listening", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
