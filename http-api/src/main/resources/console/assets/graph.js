// The overlay as a graph: nodes evenly on a circle, one line per connected pair. When both ends
// list each other (full mesh, HyParView's symmetric active views) the two directed edges are
// drawn as one plain line; a one-sided edge gets an arrowhead towards the neighbour.
import { s, clear } from "./dom.js";
import { arr, str } from "./format.js";
import { colorOf } from "./colors.js";

const H = 250;
const CHAR_W = 7; // width of a label character at 11 px, for the room labels need at the sides

/**
 * Draws `graph` (snapshot.graph) into svg#overlay-graph. `members` (name → member) marks
 * unreachable and unreported nodes; `serving` is outlined.
 */
export function drawGraph(svg, graph, members, serving) {
  // Drawn at the element's width so labels keep their size on a narrow card.
  const W = Math.max(240, Math.round(svg.getBoundingClientRect().width) || 300);
  svg.setAttribute("viewBox", `0 0 ${W} ${H}`);
  clear(svg);
  const edges = arr(graph && graph.edges).map((e) => [str(e.from), str(e.to)]);
  const names = new Set(arr(graph && graph.nodes).map(str));
  for (const [a, b] of edges) names.add(a).add(b);
  const nodes = [...names].sort();
  if (nodes.length === 0) {
    svg.append(s("text", { x: W / 2, y: H / 2, class: "chart-empty", "text-anchor": "middle" }, "no overlay yet"));
    return;
  }
  svg.append(arrowMarker());
  const many = nodes.length > 6;
  const maxLabel = many ? 9 : 16;
  const nodeR = nodes.length > 8 ? 11 : 15;
  const labels = shortLabels(nodes, maxLabel);
  const longest = Math.max(...[...labels.values()].map((l) => l.length));
  const room = longest * CHAR_W + nodeR + 8;
  const R = Math.max(40, Math.min(H / 2 - 34, W / 2 - room));
  const layout = { cx: W / 2, cy: H / 2, nodeR, labels };
  const pos = new Map();
  nodes.forEach((n, i) => {
    const a = (i / nodes.length) * 2 * Math.PI - Math.PI / 2;
    pos.set(n, nodes.length === 1 ? [W / 2, H / 2] : [W / 2 + R * Math.cos(a), H / 2 + R * Math.sin(a)]);
  });
  for (const e of mergeEdges(edges)) svg.append(edgeLine(e, pos, nodeR));
  for (const n of nodes) svg.append(nodeGroup(n, pos.get(n), members.get(n), n === serving, layout));
}

/**
 * Labels of at most `max` characters. When names are too long, the part they all share at the
 * start and at the end is left out ("dev-node-01.example" → "01"), then what remains is cut.
 */
export function shortLabels(names, max) {
  const out = new Map(names.map((n) => [n, n]));
  if (names.every((n) => n.length <= max) || names.length < 2) {
    for (const n of names) out.set(n, cut(n, max));
    return out;
  }
  const shortest = Math.min(...names.map((n) => n.length));
  let pre = 0;
  while (pre < shortest - 1 && names.every((n) => n[pre] === names[0][pre])) pre++;
  let suf = 0;
  while (suf < shortest - pre - 1 && names.every((n) => n[n.length - 1 - suf] === names[0][names[0].length - 1 - suf])) suf++;
  for (const n of names) out.set(n, cut(n.slice(pre, n.length - suf), max));
  return out;
}

function cut(text, max) {
  return text.length > max ? text.slice(0, max - 1) + "…" : text;
}

/** Directed edges → unique pairs, `both` when each direction is present. */
export function mergeEdges(edges) {
  const set = new Set(edges.filter(([a, b]) => a !== b).map(([a, b]) => a + "\u0000" + b));
  const out = [];
  const seen = new Set();
  for (const k of set) {
    const [a, b] = k.split("\u0000");
    const pair = a < b ? a + "\u0000" + b : b + "\u0000" + a;
    if (seen.has(pair)) continue;
    seen.add(pair);
    const both = set.has(b + "\u0000" + a);
    out.push(both ? { from: a < b ? a : b, to: a < b ? b : a, both } : { from: a, to: b, both });
  }
  return out;
}

function edgeLine(e, pos, nodeR) {
  const [x1, y1] = pos.get(e.from);
  const [x2, y2] = pos.get(e.to);
  // Stop the line at the circles' rims so the arrowhead is visible.
  const d = Math.hypot(x2 - x1, y2 - y1) || 1;
  const ux = (x2 - x1) / d;
  const uy = (y2 - y1) / d;
  const line = s("line", {
    x1: (x1 + ux * nodeR).toFixed(1),
    y1: (y1 + uy * nodeR).toFixed(1),
    x2: (x2 - ux * (nodeR + 2)).toFixed(1),
    y2: (y2 - uy * (nodeR + 2)).toFixed(1),
    class: e.both ? "edge both" : "edge one-way",
    "data-from": e.from,
    "data-to": e.to,
    "data-both": e.both ? "true" : "false",
    "marker-end": e.both ? null : "url(#graph-arrow)",
  });
  line.append(s("title", {}, e.both ? `${e.from} ↔ ${e.to}` : `${e.from} → ${e.to} (one-way)`));
  return line;
}

function nodeGroup(name, [x, y], member, serving, { cx, cy, nodeR, labels }) {
  const state = !member ? "unknown" : member.reachable === false ? "unreachable" : member.reported === false ? "unreported" : "up";
  const g = s("g", { class: `graph-node ${state}` + (serving ? " serving" : "") });
  const circle = s("circle", { cx: x, cy: y, r: nodeR, class: "node", "data-node": name, fill: colorOf(name) });
  circle.append(s("title", {}, `${name}: ${state}` + (serving ? " (serving this page)" : "")));
  g.append(circle);
  // The label sits outside the circle of nodes, on the line from the centre through the node.
  const dx = x - cx;
  const dy = y - cy;
  const d = Math.hypot(dx, dy);
  const [ux, uy] = d < 1 ? [0, 1] : [dx / d, dy / d];
  const off = nodeR + 5;
  const anchor = ux > 0.35 ? "start" : ux < -0.35 ? "end" : "middle";
  const label = labels.get(name);
  g.append(
    s(
      "text",
      { x: x + ux * off, y: y + uy * off + (uy > 0.35 ? 9 : uy < -0.35 ? -2 : 4), class: "node-label", "text-anchor": anchor },
      label
    )
  );
  return g;
}

function arrowMarker() {
  const m = s("marker", {
    id: "graph-arrow",
    viewBox: "0 0 10 10",
    refX: 9,
    refY: 5,
    markerWidth: 7,
    markerHeight: 7,
    orient: "auto-start-reverse",
  });
  m.append(s("path", { d: "M 0 0 L 10 5 L 0 10 z", class: "arrow" }));
  return s("defs", {}, m);
}
