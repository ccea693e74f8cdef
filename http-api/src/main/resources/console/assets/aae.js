// The AAE card: per node, whether active anti-entropy runs, exchanges done, keys repaired and
// the repair queue.
import { byId, syncTable, cell } from "./dom.js";
import { arr, num, str, count } from "./format.js";

const FIELDS = ["node", "enabled", "exchanges", "repaired", "queue"];

export function renderAae(snap) {
  const rows = [...arr(snap.aae)].sort((a, b) => str(a.node).localeCompare(str(b.node)));
  syncTable(byId("aae-table"), rows, {
    key: (r) => str(r.node),
    attrs: (r) => ({ "data-node": str(r.node) }),
    fields: FIELDS,
    numeric: ["exchanges", "repaired", "queue"],
    update: (tr, r) => {
      cell(tr, "node", str(r.node));
      cell(tr, "enabled", r.enabled ? "on" : "off", r.enabled ? "ok" : "muted");
      cell(tr, "exchanges", count(r.exchanges), "num");
      cell(tr, "repaired", count(r.keys_repaired), num(r.keys_repaired) ? "num warn" : "num");
      cell(tr, "queue", count(r.repair_queue), "num");
    },
  });
}
