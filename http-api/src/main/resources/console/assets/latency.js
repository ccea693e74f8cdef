// The Latency card: percentiles per node, client API (http, pb) and operation over the node's
// recent window, and the p99 of each API's operation over time (the worst node at each sample).
import { byId, syncTable, cell } from "./dom.js";
import { arr, num, str, count, ms } from "./format.js";
import { drawLineChart } from "./charts.js";
import { latencySeries } from "./history.js";

const FIELDS = ["node", "api", "op", "count", "p50", "p95", "p99"];
const ORDER = ["get", "put", "delete"];

export function renderLatency(snap) {
  const rows = [...arr(snap.latency)].sort(
    (a, b) =>
      opRank(a.op) - opRank(b.op) ||
      str(a.op).localeCompare(str(b.op)) ||
      str(a.api).localeCompare(str(b.api)) ||
      str(a.node).localeCompare(str(b.node))
  );
  syncTable(byId("latency-table"), rows, {
    key: (r) => str(r.node) + "\u0000" + str(r.api) + "\u0000" + str(r.op),
    attrs: (r) => ({ "data-node": str(r.node), "data-api": str(r.api), "data-op": str(r.op) }),
    fields: FIELDS,
    numeric: ["count", "p50", "p95", "p99"],
    update: (tr, r) => {
      cell(tr, "node", str(r.node));
      cell(tr, "api", str(r.api));
      cell(tr, "op", str(r.op));
      cell(tr, "count", count(r.count), "num");
      cell(tr, "p50", ms(r.p50_ms), "num");
      cell(tr, "p95", ms(r.p95_ms), "num");
      cell(tr, "p99", ms(r.p99_ms), "num strong");
    },
  });
  drawLineChart(byId("chart-latency"), latencySeries(), ms, { combine: "drop", minTop: 1 });
}

function opRank(op) {
  const i = ORDER.indexOf(str(op));
  return i < 0 ? ORDER.length : i;
}
