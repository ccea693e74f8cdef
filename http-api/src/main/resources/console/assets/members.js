// The Members card: one row per member with its ring status, this node's view of its
// reachability, partitions owned now and after pending transfers, and whether it reported.
import { byId, h, setText, swatch, syncTable, cell } from "./dom.js";
import { arr, num, str, count } from "./format.js";
import { colorOf } from "./colors.js";

const FIELDS = ["node", "status", "reachable", "partitions", "pending", "report"];

/** Renders snapshot.members; returns name → member for the other cards. */
export function renderMembers(snap) {
  const members = arr(snap.members);
  const byName = new Map(members.map((m) => [str(m.node), m]));
  setText("member-count", String(members.length));
  syncTable(byId("members"), members, {
    key: (m) => str(m.node),
    attrs: (m) => ({ "data-member": str(m.node) }),
    fields: FIELDS,
    numeric: ["partitions", "pending"],
    decorate: (tr, m) =>
      tr.querySelector('td[data-field="node"]').append(
        swatch(colorOf(str(m.node))),
        h("span", { class: "name" }),
        h("span", { class: "you", title: "the node serving this page" }, "this node")
      ),
    update: (tr, m) => {
      const name = str(m.node);
      const nameCell = tr.querySelector('td[data-field="node"]');
      const label = nameCell.querySelector(".name");
      label.textContent = name;
      label.title = name;
      nameCell.querySelector(".you").hidden = name !== str(snap.node);
      const status = str(m.status) || "unknown";
      cell(tr, "status", status, `badge-cell status-${status.replace(/[^a-z_]/g, "")}`);
      const up = m.reachable !== false;
      cell(tr, "reachable", up ? "up" : "unreachable", up ? "ok" : "bad");
      cell(tr, "partitions", count(num(m.partitions)), "num");
      const pending = num(m.pending_partitions);
      const moving = pending !== num(m.partitions);
      cell(tr, "pending", count(pending), moving ? "num changing" : "num");
      cell(tr, "report", m.reported === false ? "missing" : "ok", m.reported === false ? "warn" : "muted");
      tr.classList.toggle("is-unreachable", !up);
    },
  });
  setText("member-summary", summary(members));
  const missing = arr(snap.unreported).map(str);
  setText("unreported", missing.length ? `No report this round from ${missing.join(", ")}` : "");
  return byName;
}

/** "3 valid · 1 joining · 1 unreachable" */
function summary(members) {
  const by = new Map();
  for (const m of members) {
    const st = str(m.status) || "unknown";
    by.set(st, (by.get(st) || 0) + 1);
  }
  const parts = [...by.entries()].sort().map(([st, n]) => `${n} ${st}`);
  const down = members.filter((m) => m.reachable === false).length;
  parts.push(down ? `${down} unreachable` : members.length ? "all reachable" : "");
  return parts.filter(Boolean).join(" · ");
}
