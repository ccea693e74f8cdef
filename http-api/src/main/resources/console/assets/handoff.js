// The Handoff card: totals, each node's limits and counters, the running transfers with their
// progress, and the bytes/s each node sends over time.
import { byId, setText, syncTable, cell } from "./dom.js";
import { arr, num, str, count, bytes, byteRate } from "./format.js";
import { drawLineChart } from "./charts.js";
import { handoffSeries } from "./history.js";

const NODE_FIELDS = ["node", "limit", "rate_limit", "waiting", "completed", "failed", "sent", "rate"];
const ACTIVE_FIELDS = ["partition", "from", "to", "type", "phase", "objects", "bytes", "rate"];

export function renderHandoff(snap) {
  const nodes = [...arr(snap.handoff)].sort((a, b) => str(a.node).localeCompare(str(b.node)));
  setText("handoff-completed", count(nodes.reduce((t, n) => t + num(n.completed), 0)));
  setText("handoff-rate", byteRate(nodes.reduce((t, n) => t + num(n.bytes_per_s), 0)));
  const active = nodes.flatMap((n) => arr(n.active));
  setText("handoff-running", count(active.length));
  setText("handoff-failed", count(nodes.reduce((t, n) => t + num(n.failed), 0)));

  syncTable(byId("handoff-nodes"), nodes, {
    key: (n) => str(n.node),
    attrs: (n) => ({ "data-node": str(n.node) }),
    fields: NODE_FIELDS,
    numeric: NODE_FIELDS.slice(1),
    update: (tr, n) => {
      const limit = num(n.transfer_limit);
      cell(tr, "node", str(n.node));
      cell(tr, "limit", limit === 0 ? "0 (paused)" : String(limit), limit === 0 ? "num warn" : "num");
      cell(tr, "rate_limit", num(n.rate_limit_bytes_per_s) ? byteRate(n.rate_limit_bytes_per_s) : "none", "num");
      cell(tr, "waiting", count(n.waiting), "num");
      cell(tr, "completed", count(n.completed), "num");
      cell(tr, "failed", count(n.failed), num(n.failed) ? "num bad" : "num");
      cell(tr, "sent", `${count(n.objects_sent)} obj · ${bytes(n.bytes_sent)}`, "num");
      cell(tr, "rate", byteRate(n.bytes_per_s), "num");
    },
  });

  syncTable(byId("handoff-active"), active, {
    key: (t) => [num(t.partition), str(t.from), str(t.to), str(t.direction)].join("\u0000"),
    attrs: (t) => ({ class: "transfer", "data-partition": num(t.partition), "data-from": str(t.from), "data-to": str(t.to) }),
    fields: ACTIVE_FIELDS,
    numeric: ["partition", "objects", "bytes", "rate"],
    update: (tr, t) => {
      cell(tr, "partition", String(num(t.partition)), "num");
      cell(tr, "from", str(t.from));
      cell(tr, "to", str(t.to));
      cell(tr, "type", [str(t.type), str(t.direction)].filter(Boolean).join(" · "), "muted");
      cell(tr, "phase", str(t.phase), "phase");
      cell(tr, "objects", count(t.objects), "num");
      cell(tr, "bytes", bytes(t.bytes), "num");
      cell(tr, "rate", byteRate(t.bytes_per_s), "num");
    },
  });
  drawLineChart(byId("chart-handoff"), handoffSeries(), bytes, { binary: true, minTop: 1024, kind: "node" });
}
