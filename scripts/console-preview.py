#!/usr/bin/env python3
"""Serves the console page with a fixture snapshot, without a cluster (for working on the page).

  scripts/console-preview.py FIXTURE.json [--port 8099] [--speed 1]

/console and /console/assets/* come from http-api/src/main/resources/console; /console/api/snapshot
and the SSE stream /console/api/events send the fixture with time_ms advancing and the rates
jittered, so the time charts move. --speed N sends N snapshots per second of real time (each one
interval_ms later in snapshot time) to fill the charts quickly. POSTs to /admin/... answer like
the node's admin routes (?format=json), fault injection and transfer limits show up in later
snapshots, and bad input gets a text/plain 400, so the actions can be tried. Standard library only.
"""
import argparse, copy, json, os, random, threading, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlparse, parse_qs

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "http-api", "src", "main", "resources", "console")
TYPES = {".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".svg": "image/svg+xml"}


class State:
    def __init__(self, fixture, speed):
        with open(fixture) as f:
            self.base = json.load(f)
        self.speed = speed
        self.lock = threading.Lock()
        self.step = 0
        self.start = int(time.time() * 1000) - (120 * self.base["interval_ms"] if speed > 1 else 0)

    def snapshot(self):
        """The next snapshot: time advanced one interval, rates and latencies jittered."""
        with self.lock:
            self.step += 1
            s = copy.deepcopy(self.base)
            k = self.step
        s["time_ms"] = self.start + k * s["interval_ms"]
        wave = 1 + 0.35 * __import__("math").sin(k / 9)
        for r in s["traffic"]:
            f = wave * random.uniform(0.85, 1.15)
            r["messages_per_s"] = round(r["messages_per_s"] * f, 1)
            r["bytes_per_s"] = round(r["bytes_per_s"] * f, 1)
            r["send_wait_ms"] = round(r["send_wait_ms"] * random.uniform(0.7, 1.5), 3)
        for r in s["latency"]:
            for p in ("p50_ms", "p95_ms", "p99_ms"):
                r[p] = round(r[p] * random.uniform(0.8, 1.25), 2)
        for h in s["handoff"]:
            h["bytes_per_s"] = round(h["bytes_per_s"] * random.uniform(0.6, 1.3), 1)
            for a in h["active"]:
                a["objects"] += k * 12
                a["bytes"] += k * 12 * 700
        return s

    def admin(self, path, q):
        """(status, body) like AdminRoutes with ?format=json; mutates the base snapshot."""
        one = lambda name: (q.get(name) or [""])[0].strip()
        node = self.base["node"]
        with self.lock:
            if path == "/admin/cluster/join":
                seed = one("seed")
                if ":" not in seed:
                    return 400, "seed: expected host:port, got '%s'\n" % seed
                return 200, {"message": "Success: %s is joining the cluster via %s" % (node, seed)}
            if path == "/admin/cluster/leave":
                return 200, {"message": "Success: staged leave request for %s\nRun `cluster plan` to review" % (one("node") or node)}
            if path == "/admin/cluster/plan":
                return 200, {"base_version": self.base["ring"]["version"], "changes": [], "members_after_commit": {},
                             "transfers": 0, "warnings": [], "text": "Planned against ring version %d\nStaged changes:\n  (none)\n" % self.base["ring"]["version"]}
            if path == "/admin/cluster/commit":
                return 400, "There are no staged changes to commit\n"
            if path == "/admin/cluster/clear":
                return 200, {"message": "Cleared staged cluster changes"}
            if path == "/admin/transfer-limit":
                v = one("limit")
                if not v.isdigit() or int(v) > 64:
                    return 400, "limit must be 0..64: %s\n" % v
                for h in self.base["handoff"]:
                    if h["node"] == node:
                        h["transfer_limit"] = int(v)
                return 200, {"node": node, "transfer_limit": int(v)}
            if path == "/admin/transfer-rate":
                v = one("bytes_per_second")
                if not v.isdigit():
                    return 400, "bytes_per_second must be a number: '%s'\n" % v
                for h in self.base["handoff"]:
                    if h["node"] == node:
                        h["rate_limit_bytes_per_s"] = int(v)
                return 200, {"node": node, "bytes_per_second": int(v)}
            if path == "/admin/faults/partition":
                cut = [n for n in one("nodes").split(",") if n]
                self.base["faults"]["partitioned_from"] = sorted(set(self.base["faults"]["partitioned_from"]) | set(cut))
                for m in self.base["members"]:
                    if m["node"] in cut:
                        m["reachable"] = False
                return 200, {"node": node, "partitioned_from": self.base["faults"]["partitioned_from"], "rules": 0}
            if path == "/admin/faults/heal":
                self.base["faults"]["partitioned_from"] = []
                for m in self.base["members"]:
                    m["reachable"] = True
                return 200, {"node": node, "partitioned_from": [], "rules": 0}
        return 404, "not found\n"


def handler(state):
    class H(BaseHTTPRequestHandler):
        def log_message(self, *a):
            pass

        def send(self, code, body, ctype):
            data = body.encode() if isinstance(body, str) else body
            self.send_response(code)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):
            path = urlparse(self.path).path
            if path in ("/console", "/console/", "/console/index.html"):
                return self.file("index.html")
            if path.startswith("/console/assets/"):
                return self.file("assets/" + path[len("/console/assets/"):])
            if path == "/console/api/snapshot":
                return self.send(200, json.dumps(state.snapshot()), "application/json")
            if path == "/console/api/events":
                return self.events()
            self.send(404, "not found\n", "text/plain")

        def do_POST(self):
            u = urlparse(self.path)
            code, body = state.admin(u.path, parse_qs(u.query))
            if isinstance(body, dict):
                self.send(code, json.dumps(body), "application/json")
            else:
                self.send(code, body, "text/plain; charset=utf-8")

        def file(self, rel):
            name = os.path.basename(rel)
            full = os.path.join(ROOT, os.path.dirname(rel), name)
            if "/" in rel.replace("assets/", "", 1) or not os.path.isfile(full):
                return self.send(404, "not found\n", "text/plain")
            with open(full, "rb") as f:
                self.send(200, f.read(), TYPES.get(os.path.splitext(name)[1], "application/octet-stream"))

        def events(self):
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            try:
                while True:
                    s = state.snapshot()
                    self.wfile.write(("event: snapshot\ndata: %s\n\n" % json.dumps(s)).encode())
                    self.wfile.flush()
                    time.sleep(s["interval_ms"] / 1000 / state.speed)
            except (BrokenPipeError, ConnectionResetError):
                pass

    return H


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("fixture")
    p.add_argument("--port", type=int, default=8099)
    p.add_argument("--speed", type=float, default=1.0)
    a = p.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", a.port), handler(State(a.fixture, a.speed)))
    server.daemon_threads = True
    print("console preview on http://127.0.0.1:%d/console" % server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
