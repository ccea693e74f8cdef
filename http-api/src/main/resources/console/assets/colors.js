// Stable colours: a name keeps its colour for the life of the page, so a node is the same colour
// in the ring, the overlay graph, the legends and the charts. The palette is chosen to stay
// distinguishable for common colour-vision deficiencies (Okabe-Ito and Tableau hues, darkened
// for contrast on white).

const PALETTE = [
  "#2f6fb3", // blue
  "#e07b00", // orange
  "#1b9e77", // green
  "#c2417a", // magenta
  "#7a5cc4", // violet
  "#8c6d31", // brown
  "#0f8fa8", // teal
  "#d1495b", // red
  "#5b7f1f", // olive
  "#6b7280", // grey
];

// One map per kind of name: nodes, and chart series (channels, ops, node pairs), so each kind
// starts at the most distinct colours.
const assigned = { node: new Map(), series: new Map() };

/** The colour of a name of `kind` ("node" or "series"): the next palette entry on first sight. */
export function colorOf(name, kind = "node") {
  const map = assigned[kind] || assigned.node;
  let c = map.get(name);
  if (!c) {
    c = PALETTE[map.size % PALETTE.length];
    map.set(name, c);
  }
  return c;
}

/** Gives nodes colours in sorted order first, so the same cluster looks the same on reload. */
export function preassign(names) {
  for (const n of [...names].sort()) colorOf(n);
}
