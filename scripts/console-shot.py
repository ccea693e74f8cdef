#!/usr/bin/env python3
"""Loads a page in headless Debian chromium, waits, saves a screenshot and reports console errors.

  scripts/console-shot.py URL OUT.png [--size 1280x900] [--wait 4] [--full] [--eval JS]...

Talks to chromium over --remote-debugging-pipe (DevTools protocol, standard library only), so it
can wait for live data (chromium's own --screenshot fires at the load event, before the first
snapshot arrives). Prints every uncaught exception, console.error/warn and browser log error, and
the value of each --eval expression; exits 1 if there was an exception or console.error.
"""
import argparse, base64, json, os, subprocess, sys, tempfile, threading, time

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


class Browser:
    def __init__(self, width, height):
        r1, w1 = os.pipe()  # we write commands -> chromium reads fd 3
        r2, w2 = os.pipe()  # chromium writes fd 4 -> we read
        self.profile = tempfile.mkdtemp(prefix="console-shot-")
        args = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars",
                "--disable-background-timer-throttling", "--disable-renderer-backgrounding",
                "--disable-backgrounding-occluded-windows",
                f"--user-data-dir={self.profile}", f"--window-size={width},{height}", "--remote-debugging-pipe"]

        def fds():
            os.dup2(r1, 3)
            os.dup2(w2, 4)

        # The child gets the pipe ends as fds 3 and 4 (dup2 runs before close_fds keeps only these).
        self.proc = subprocess.Popen(args, pass_fds=(3, 4), preexec_fn=fds,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(r1)
        os.close(w2)
        self.out = os.fdopen(w1, "wb")
        self.inp = os.fdopen(r2, "rb")
        self.next_id = 0
        self.replies = {}
        self.events = []
        self.cond = threading.Condition()
        threading.Thread(target=self.read, daemon=True).start()

    def read(self):
        buf = b""
        while True:
            chunk = self.inp.read1(65536)
            if not chunk:
                return
            buf += chunk
            while b"\0" in buf:
                msg, buf = buf.split(b"\0", 1)
                m = json.loads(msg)
                with self.cond:
                    if "id" in m:
                        self.replies[m["id"]] = m
                    else:
                        self.events.append(m)
                    self.cond.notify_all()

    def call(self, method, params=None, session=None, timeout=30):
        self.next_id += 1
        i = self.next_id
        msg = {"id": i, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        self.out.write(json.dumps(msg).encode() + b"\0")
        self.out.flush()
        with self.cond:
            if not self.cond.wait_for(lambda: i in self.replies, timeout):
                raise TimeoutError(method)
            r = self.replies.pop(i)
        if "error" in r:
            raise RuntimeError(f"{method}: {r['error']}")
        return r.get("result", {})

    def close(self):
        try:
            self.call("Browser.close", timeout=5)
        except Exception:
            pass
        try:
            self.proc.wait(5)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def problems(events):
    """(fatal, text) for each exception, console error/warning and browser log error."""
    out = []
    for e in events:
        m, p = e.get("method"), e.get("params", {})
        if m == "Runtime.exceptionThrown":
            d = p["exceptionDetails"]
            out.append((True, "exception: " + d.get("exception", {}).get("description", d.get("text", ""))))
        elif m == "Runtime.consoleAPICalled" and p["type"] in ("error", "warning", "assert"):
            args = " ".join(str(a.get("value", a.get("description", ""))) for a in p["args"])
            out.append((p["type"] != "warning", f"console.{p['type']}: {args}"))
        elif m == "Log.entryAdded" and p["entry"]["level"] == "error":
            out.append((False, f"log: {p['entry'].get('text')} {p['entry'].get('url', '')}"))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("url")
    ap.add_argument("out")
    ap.add_argument("--size", default="1280x900")
    ap.add_argument("--wait", type=float, default=4.0, help="seconds to wait after loading")
    ap.add_argument("--full", action="store_true", help="capture the whole page, not just the window")
    ap.add_argument("--eval", action="append", default=[], help="JS expression to print after the wait")
    a = ap.parse_args()
    w, h = (int(x) for x in a.size.split("x"))
    b = Browser(w, h)
    try:
        target = b.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        s = b.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for d in ("Runtime.enable", "Log.enable", "Page.enable"):
            b.call(d, session=s)
        b.call("Emulation.setDeviceMetricsOverride", {"width": w, "height": h, "deviceScaleFactor": 1, "mobile": False}, s)
        b.call("Page.navigate", {"url": a.url}, s)
        time.sleep(a.wait)
        for expr in a.eval:
            r = b.call("Runtime.evaluate", {"expression": expr, "returnByValue": True, "awaitPromise": True}, s, timeout=120)
            short = " ".join(expr.split())
            short = short if len(short) <= 70 else short[:67] + "..."
            print(f"eval {short}: {json.dumps(r.get('result', {}).get('value'), indent=1)}")
        shot = b.call("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": a.full}, s)
        with open(a.out, "wb") as f:
            f.write(base64.b64decode(shot["data"]))
        print(f"screenshot {a.out}")
        found = problems(b.events)
        for fatal, text in found:
            print(("ERROR " if fatal else "note  ") + text)
        return 1 if any(f for f, _ in found) else 0
    finally:
        b.close()


if __name__ == "__main__":
    sys.exit(main())
