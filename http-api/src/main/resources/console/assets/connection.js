// Getting snapshots: the SSE stream /console/api/events (event "snapshot"), and when it fails
// for good (the browser gives up, the node refuses with 503 because too many consoles stream, a
// proxy drops event streams) polling /console/api/snapshot every 2 s, with a fresh try of the
// stream every 30 s. #connection-status reads "live" only while the stream is open.
import { byId } from "./dom.js";

const EVENTS = "/console/api/events";
const SNAPSHOT = "/console/api/snapshot";
const POLL_MS = 2000;
const RETRY_STREAM_MS = 30000;
const MAX_ERRORS = 3;

/** Starts receiving; `onSnapshot(json)` gets each snapshot parsed. */
export function connect(onSnapshot) {
  let source = null;
  let errors = 0;
  let pollTimer = null;
  let retryTimer = null;

  const deliver = (text) => {
    let snap;
    try {
      snap = JSON.parse(text);
    } catch {
      detail("the server sent a snapshot that is not JSON", "bad");
      return;
    }
    if (snap && typeof snap === "object") onSnapshot(snap);
  };

  const openStream = () => {
    if (typeof EventSource !== "function") return startPolling();
    source = new EventSource(EVENTS);
    source.onopen = () => {
      errors = 0;
      stopPolling();
      status(true);
      detail("streaming", "ok");
    };
    source.addEventListener("snapshot", (e) => {
      errors = 0;
      status(true);
      deliver(e.data);
    });
    source.onerror = () => {
      status(false);
      errors++;
      // CLOSED: the browser will not retry (HTTP error, wrong content type); otherwise it retries
      // by itself, and we stop it after a few failures in a row.
      if (source.readyState === EventSource.CLOSED || errors >= MAX_ERRORS) {
        source.close();
        source = null;
        startPolling();
      } else {
        detail("stream interrupted, retrying", "warn");
      }
    };
  };

  const startPolling = () => {
    clearTimeout(retryTimer);
    retryTimer = setTimeout(() => {
      errors = 0;
      openStream();
    }, RETRY_STREAM_MS);
    if (pollTimer) return;
    detail(`polling every ${POLL_MS / 1000} s`, "warn");
    const poll = async () => {
      try {
        const res = await fetch(SNAPSHOT, { headers: { Accept: "application/json" }, cache: "no-store" });
        if (!res.ok) {
          detail(`snapshot: HTTP ${res.status}`, "bad");
        } else {
          deliver(await res.text());
          detail(`polling every ${POLL_MS / 1000} s`, "warn");
        }
      } catch {
        detail("server unreachable", "bad");
      }
    };
    poll();
    pollTimer = setInterval(poll, POLL_MS);
  };

  const stopPolling = () => {
    clearInterval(pollTimer);
    clearTimeout(retryTimer);
    pollTimer = null;
    retryTimer = null;
  };

  status(false);
  openStream();
}

function status(live) {
  const el = byId("connection-status");
  const text = live ? "live" : "reconnecting";
  if (el.textContent !== text) el.textContent = text;
  el.className = live ? "status live" : "status reconnecting";
}

function detail(text, cls) {
  const el = byId("connection-detail");
  el.textContent = text;
  el.className = `status-detail ${cls}`;
}
