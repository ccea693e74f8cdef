// The AAE card: per node, whether active anti-entropy runs, exchanges done, keys repaired and
// the repair queue.
import { byId, syncRows, cell, rowWithFields, emptyState } from "./dom.js";
import { arr, num, str, count } from "./format.js";

const FIELDS = ["node", "enabled", "exchanges", "repaired", "queue"];

export function renderAae(snap) {
  const rows = [...arr(snap.aae)].sort((a, b) => str(a.node).localeCompare(str(b.node)));
  const table = byId("aae-table");
  emptyState(table, rows.length === 0);
  syncRows(
    table.tBodies[0],
    rows,
    (r) => str(r.node),
    (r) => rowWithFields({ "data-node": str(r.node) }, FIELDS, ["exchanges", "repaired", "queue"]),
    (tr, r) => {
      cell(tr, "node", str(r.node));
      cell(tr, "enabled", r.enabled ? "on" : "off", r.enabled ? "ok" : "muted");
      cell(tr, "exchanges", count(r.exchanges), "num");
      cell(tr, "repaired", count(r.keys_repaired), num(r.keys_repaired) ? "num warn" : "num");
      cell(tr, "queue", count(r.repair_queue), "num");
    }
  );
}
