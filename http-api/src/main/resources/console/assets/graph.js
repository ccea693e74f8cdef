// The overlay as a graph: nodes evenly on a circle, one line per connected pair. When both ends
// list each other (full mesh, HyParView's symmetric active views) the two directed edges are
// drawn as one plain line; a one-sided edge gets an arrowhead towards the neighbour.
import { s, clear } from "./dom.js";
import { arr, str } from "./format.js";
import { colorOf } from "./colors.js";

const W = 300;
const H = 260;
const R = 92;
const NODE_R = 15;

/**
 * Draws `graph` (snapshot.graph) into svg#overlay-graph. `members` (name → member) marks
 * unreachable and unreported nodes; `serving` is outlined.
 */
export function drawGraph(svg, graph, members, serving) {
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
  const pos = new Map();
  nodes.forEach((n, i) => {
    const a = (i / nodes.length) * 2 * Math.PI - Math.PI / 2;
    pos.set(n, nodes.length === 1 ? [W / 2, H / 2] : [W / 2 + R * Math.cos(a), H / 2 + R * Math.sin(a)]);
  });
  for (const e of mergeEdges(edges)) svg.append(edgeLine(e, pos));
  for (const n of nodes) svg.append(nodeGroup(n, pos.get(n), members.get(n), n === serving));
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

function edgeLine(e, pos) {
  const [x1, y1] = pos.get(e.from);
  const [x2, y2] = pos.get(e.to);
  // Stop the line at the circles' rims so the arrowhead is visible.
  const d = Math.hypot(x2 - x1, y2 - y1) || 1;
  const ux = (x2 - x1) / d;
  const uy = (y2 - y1) / d;
  const line = s("line", {
    x1: (x1 + ux * NODE_R).toFixed(1),
    y1: (y1 + uy * NODE_R).toFixed(1),
    x2: (x2 - ux * (NODE_R + 2)).toFixed(1),
    y2: (y2 - uy * (NODE_R + 2)).toFixed(1),
    class: e.both ? "edge both" : "edge one-way",
    "data-from": e.from,
    "data-to": e.to,
    "data-both": e.both ? "true" : "false",
    "marker-end": e.both ? null : "url(#graph-arrow)",
  });
  line.append(s("title", {}, e.both ? `${e.from} ↔ ${e.to}` : `${e.from} → ${e.to} (one-way)`));
  return line;
}

function nodeGroup(name, [x, y], member, serving) {
  const state = !member ? "unknown" : member.reachable === false ? "unreachable" : member.reported === false ? "unreported" : "up";
  const g = s("g", { class: `graph-node ${state}` + (serving ? " serving" : "") });
  const circle = s("circle", { cx: x, cy: y, r: NODE_R, class: "node", "data-node": name, fill: colorOf(name) });
  circle.append(s("title", {}, `${name}: ${state}` + (serving ? " (serving this page)" : "")));
  g.append(circle);
  const below = y >= H / 2 - 1;
  const label = name.length > 18 ? name.slice(0, 17) + "…" : name;
  g.append(
    s("text", { x, y: below ? y + NODE_R + 13 : y - NODE_R - 6, class: "node-label", "text-anchor": "middle" }, label)
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
