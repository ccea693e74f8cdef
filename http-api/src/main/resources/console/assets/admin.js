// The Admin card: the operator's actions on the serving node, as POSTs to the existing /admin
// endpoints with ?format=json. A failure (HTTP status >= 400) shows the server's text in
// #action-result with class "error"; nothing asks for confirmation: plan before commit is the
// safety step, as with riak-admin.
import { byId, h, setText } from "./dom.js";
import { arr, num, str, bytes } from "./format.js";

let serving = "";

/** Wires the buttons once. */
export function initAdmin() {
  on("join-button", () => {
    const seed = byId("join-seed").value.trim();
    if (!seed) return fail("enter the host:port of a member's cluster address to join");
    return post("/admin/cluster/join", { seed }, messageOf);
  });
  on("leave-button", () => {
    const node = byId("leave-node").value;
    return post("/admin/cluster/leave", node ? { node } : {}, messageOf);
  });
  on("plan-button", () => post("/admin/cluster/plan", {}, showPlan));
  on("commit-button", () => post("/admin/cluster/commit", {}, showCommit));
  on("clear-button", () =>
    post("/admin/cluster/clear", {}, (j) => {
      setText("plan-output", "");
      return messageOf(j);
    })
  );
  on("transfer-limit-button", () => {
    const limit = byId("transfer-limit").value.trim();
    // Only an empty field is refused here; the node checks the value and says what is wrong.
    if (!limit) return fail("transfer limit: enter a whole number 0..64 (0 pauses handoff)");
    return post("/admin/transfer-limit", { limit }, (j) =>
      `${str(j.node)}: transfer limit ${num(j.transfer_limit)}` + (num(j.transfer_limit) === 0 ? " (handoff paused)" : "")
    );
  });
  on("transfer-rate-button", () => {
    const rate = byId("transfer-rate").value.trim();
    if (!rate) return fail("transfer rate: enter bytes per second, 0 for unlimited");
    return post("/admin/transfer-rate", { bytes_per_second: rate }, (j) =>
      `${str(j.node)}: handoff rate limit ` + (num(j.bytes_per_second) === 0 ? "none" : `${bytes(j.bytes_per_second)}/s`)
    );
  });
  on("partition-button", () => {
    const nodes = Array.from(document.querySelectorAll("#partition-targets input.partition-target:checked")).map(
      (c) => c.value
    );
    if (nodes.length === 0) return fail("tick the nodes to cut this node off from");
    return post("/admin/faults/partition", { nodes: nodes.join(",") }, showFaults);
  });
  on("heal-button", () => post("/admin/faults/heal", {}, showFaults));
}

/** Shows or hides the panel and keeps its member lists current. */
export function renderAdmin(snap) {
  const panel = byId("admin");
  panel.hidden = snap.admin !== true;
  serving = str(snap.node);
  const names = arr(snap.members).map((m) => str(m.node)).sort();
  syncLeaveOptions(names);
  syncPartitionTargets(names.filter((n) => n !== serving));
  setFaultStatus(arr(snap.faults && snap.faults.partitioned_from).map(str));
  const own = arr(snap.handoff).find((n) => str(n.node) === serving);
  if (own) {
    byId("transfer-limit").placeholder = String(num(own.transfer_limit));
    byId("transfer-rate").placeholder = String(num(own.rate_limit_bytes_per_s));
  }
  setText("admin-node", serving);
}

function syncLeaveOptions(names) {
  const select = byId("leave-node");
  const have = Array.from(select.options).map((o) => o.value);
  if (have.join("\u0000") === names.join("\u0000")) return;
  const chosen = select.value || serving;
  select.replaceChildren(...names.map((n) => h("option", { value: n }, n)));
  select.value = names.includes(chosen) ? chosen : serving;
}

function syncPartitionTargets(names) {
  const box = byId("partition-targets");
  const have = Array.from(box.querySelectorAll("input.partition-target")).map((c) => c.value);
  if (have.join("\u0000") === names.join("\u0000")) return;
  const checked = new Set(
    Array.from(box.querySelectorAll("input.partition-target:checked")).map((c) => c.value)
  );
  box.replaceChildren(
    ...names.map((n) =>
      h("label", { class: "check" }, h("input", { type: "checkbox", class: "partition-target", value: n, checked: checked.has(n) }), n)
    )
  );
  if (names.length === 0) box.append(h("span", { class: "muted" }, "no other members"));
}

function setFaultStatus(nodes) {
  setText("fault-status", nodes.length ? nodes.join(", ") : "none");
  byId("fault-status").classList.toggle("bad", nodes.length > 0);
}

function on(id, action) {
  const button = byId(id);
  button.addEventListener("click", async () => {
    button.disabled = true;
    try {
      await action();
    } finally {
      button.disabled = false;
    }
  });
}

/**
 * POSTs to `path` with `params` and ?format=json; `describe(json)` turns a success into the
 * text shown. Errors are the server's text (the admin routes answer text/plain on failure).
 */
async function post(path, params, describe) {
  const query = new URLSearchParams({ ...params, format: "json" });
  result("…", "pending");
  let res;
  try {
    res = await fetch(`${path}?${query}`, { method: "POST", headers: { Accept: "application/json" } });
  } catch (e) {
    return fail(`request failed: ${e && e.message ? e.message : e}`);
  }
  const body = await res.text().catch(() => "");
  if (res.status >= 400) {
    return fail(body.trim() || `HTTP ${res.status} ${res.statusText}`);
  }
  let json = {};
  try {
    json = body ? JSON.parse(body) : {};
  } catch {
    return result(body.trim() || `HTTP ${res.status}`, "ok");
  }
  result(describe(json) || `HTTP ${res.status}`, "ok");
}

function messageOf(j) {
  return str(j.message);
}

function showPlan(j) {
  setText("plan-output", str(j.text));
  const changes = arr(j.changes).length;
  const warnings = arr(j.warnings).map(str);
  return (
    `Plan against ring version ${num(j.base_version)}: ${changes} change${changes === 1 ? "" : "s"}, ` +
    `${num(j.transfers)} transfer${num(j.transfers) === 1 ? "" : "s"}` +
    (warnings.length ? `. Warnings: ${warnings.join("; ")}` : "")
  );
}

function showCommit(j) {
  if (typeof j.plan === "string" && j.plan) setText("plan-output", j.plan);
  return `${str(j.message) || "Committed"} (ring version ${num(j.ring_version)})`;
}

function showFaults(j) {
  const nodes = arr(j.partitioned_from).map(str);
  setFaultStatus(nodes);
  return nodes.length ? `${str(j.node)} is cut off from ${nodes.join(", ")}` : `${str(j.node)}: partitions healed`;
}

function fail(text) {
  result(text, "error");
}

function result(text, cls) {
  const el = byId("action-result");
  el.textContent = text;
  el.className = cls;
}
