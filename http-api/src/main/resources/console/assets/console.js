// Entry point of the console page: receives snapshots and hands each to the cards. Everything
// runs on the page's one JS thread; a card that throws on odd data must not stop the others, so
// each is rendered on its own and a failure is shown in the page (not thrown).
import { byId, setText } from "./dom.js";
import { arr, str, clock, num, count } from "./format.js";
import { preassign } from "./colors.js";
import { record } from "./history.js";
import { connect } from "./connection.js";
import { renderMembers } from "./members.js";
import { renderSummary } from "./summary.js";
import { drawGraph } from "./graph.js";
import { drawRing } from "./ring.js";
import { initTraffic, renderTraffic } from "./traffic.js";
import { renderLatency } from "./latency.js";
import { renderHandoff } from "./handoff.js";
import { renderAae } from "./aae.js";
import { initAdmin, renderAdmin } from "./admin.js";

let last = null;
let receivedAt = 0;

function receive(snap) {
  preassign(arr(snap.members).map((m) => str(m.node)));
  record(snap);
  last = snap;
  receivedAt = Date.now();
  renderHeader(snap);
  render(snap);
}

function renderHeader(snap) {
  const t = num(snap.time_ms) || Date.now();
  setText("serving-node", str(snap.node) || "?");
  setText("last-update", clock(t));
  byId("last-update").setAttribute("datetime", new Date(t).toISOString());
  setText("overlay-name", str(snap.overlay) || "?");
  setText("security-state", snap.security === true ? "on" : "off");
  document.title = `${str(snap.node) || "?"} · partisan-kv console`;
}

function render(snap) {
  const serving = str(snap.node);
  let members = new Map();
  guard("members", () => {
    members = renderMembers(snap);
    renderSummary(snap);
  });
  guard("overlay", () => drawGraph(byId("overlay-graph"), snap.graph, members, serving));
  guard("ring", () => {
    const ring = snap.ring || {};
    const pending = drawRing(byId("ring-chart"), byId("ring-legend"), ring);
    setText("pending-transfers", String(pending));
    setText("ring-claimant", str(ring.claimant) || "—");
    setText("ring-version", ring.version == null ? "–" : count(ring.version));
  });
  guard("traffic", () => renderTraffic(snap));
  guard("latency", () => renderLatency(snap));
  guard("handoff", () => renderHandoff(snap));
  guard("aae", () => renderAae(snap));
  guard("admin", () => renderAdmin(snap));
}

/** Runs one card's rendering; a bug shows as a note on the page instead of an exception. */
function guard(card, f) {
  const note = byId("render-problem");
  try {
    f();
    if (note.dataset.card === card) {
      note.hidden = true;
      note.dataset.card = "";
    }
  } catch (e) {
    note.hidden = false;
    note.dataset.card = card;
    note.textContent = `The ${card} card could not show this snapshot: ${e && e.message ? e.message : e}`;
    console.warn(`console: ${card} card`, e);
  }
}

initTraffic();
initAdmin();
render({});
connect(receive);
// A stream can stay open and still stop delivering (a stalled proxy, a paused node): the last
// update turns amber when no snapshot came for three intervals.
setInterval(() => {
  if (!last) return;
  const quiet = Date.now() - receivedAt;
  const stale = quiet > 3 * Math.max(num(last.interval_ms), 1000);
  const el = byId("last-update");
  el.classList.toggle("stale", stale);
  el.title = stale ? `no snapshot for ${Math.round(quiet / 1000)} s` : "";
}, 1000);
// The charts are drawn at the width of their card: redraw after the window changes size.
let resizeTimer = 0;
window.addEventListener("resize", () => {
  clearTimeout(resizeTimer);
  resizeTimer = setTimeout(() => render(last || {}), 150);
});
