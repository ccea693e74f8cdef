// The Traffic card: channel and node filters, four time charts (messages/s, bytes/s, queue depth,
// send wait) and the per-lane table of the latest snapshot.
import { byId, h, syncTable, cell } from "./dom.js";
import { arr, num, str, rate, byteRate, bytes, count, compact, ms } from "./format.js";
import { drawLineChart } from "./charts.js";
import { seenTrafficKeys, trafficSeries } from "./history.js";

const FIELDS = ["node", "peer", "channel", "lane", "class", "messages", "bytes", "queued", "wait", "wait_max"];
const NUMERIC = ["lane", "messages", "bytes", "queued", "wait", "wait_max"];

let latest = [];

/** Wires the filters; a change redraws from the kept samples at once. */
export function initTraffic() {
  for (const id of ["traffic-channel", "traffic-node"]) {
    byId(id).addEventListener("change", () => redraw());
  }
}

/** Renders the latest snapshot's traffic and the charts. */
export function renderTraffic(snap) {
  latest = arr(snap.traffic);
  const { channels, nodes } = seenTrafficKeys();
  syncOptions(byId("traffic-channel"), channels, "all channels");
  syncOptions(byId("traffic-node"), nodes, "all nodes");
  redraw();
}

function redraw() {
  const channel = byId("traffic-channel").value || "all";
  const node = byId("traffic-node").value || "all";
  const sr = trafficSeries(channel, node);
  // One channel from one node: the lines are that node's peers, in their node colours.
  const kind = channel !== "all" && node !== "all" ? "node" : "series";
  drawLineChart(byId("chart-messages"), sr.messages, compact, { minTop: 10, kind });
  drawLineChart(byId("chart-bytes"), sr.bytes, bytes, { binary: true, minTop: 1024, kind });
  drawLineChart(byId("chart-queue"), sr.queue, compact, { minTop: 10, kind });
  drawLineChart(byId("chart-wait"), sr.wait, ms, { combine: "drop", minTop: 0.1, kind });
  renderTable(channel, node);
}

function renderTable(channel, node) {
  const rows = latest
    .filter((r) => (channel === "all" || str(r.channel) === channel) && (node === "all" || str(r.node) === node))
    .sort((a, b) => cmp(a.node, b.node) || cmp(a.peer, b.peer) || cmp(a.channel, b.channel) || num(a.lane) - num(b.lane));
  syncTable(byId("traffic-table"), rows, {
    key: (r) => [str(r.node), str(r.peer), str(r.channel), num(r.lane)].join("\u0000"),
    attrs: (r) => ({ "data-node": str(r.node), "data-peer": str(r.peer), "data-channel": str(r.channel), "data-lane": num(r.lane) }),
    fields: FIELDS,
    numeric: NUMERIC,
    update: (tr, r) => {
      cell(tr, "node", str(r.node));
      cell(tr, "peer", str(r.peer));
      cell(tr, "channel", str(r.channel));
      cell(tr, "lane", String(num(r.lane)), "num");
      cell(tr, "class", str(r.class), "muted");
      cell(tr, "messages", rate(r.messages_per_s), "num");
      cell(tr, "bytes", byteRate(r.bytes_per_s), "num");
      const queued = num(r.queued_messages);
      cell(tr, "queued", queued ? `${count(queued)} (${bytes(r.queued_bytes)})` : "0", queued ? "num warn" : "num");
      cell(tr, "wait", ms(r.send_wait_ms), "num");
      cell(tr, "wait_max", ms(r.send_wait_max_ms), "num");
      tr.classList.toggle("idle", num(r.messages_per_s) === 0 && queued === 0);
    },
  });
}

function cmp(a, b) {
  return str(a) < str(b) ? -1 : str(a) > str(b) ? 1 : 0;
}

/** Keeps a select's options to "all" + `values`, keeping the user's choice. */
export function syncOptions(select, values, allLabel) {
  const chosen = select.value || "all";
  const wanted = ["all", ...values.filter((v) => v !== "all")];
  if (chosen !== "all" && !wanted.includes(chosen)) wanted.push(chosen);
  const have = Array.from(select.options).map((o) => o.value);
  if (have.join("\u0000") === wanted.join("\u0000")) return;
  select.replaceChildren(...wanted.map((v) => h("option", { value: v }, v === "all" ? allLabel : v)));
  select.value = chosen;
}
