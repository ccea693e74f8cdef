// The ring as a donut: one arc per partition in ring order, coloured by owner. A partition with
// a pending ownership transfer is hatched in the next owner's colour and outlined, and the legend
// counts partitions and pending transfers per owner.
import { s, h, clear, swatch } from "./dom.js";
import { arr, num, str, count } from "./format.js";
import { colorOf } from "./colors.js";

const SIZE = 260;
const C = SIZE / 2;
const R_OUT = 118;
const R_IN = 74;

/** Draws `ring` (snapshot.ring) into svg#ring-chart and #ring-legend; returns pending count. */
export function drawRing(svg, legend, ring) {
  svg.setAttribute("viewBox", `0 0 ${SIZE} ${SIZE}`);
  clear(svg);
  const parts = arr(ring && ring.partitions);
  const defs = s("defs");
  svg.append(defs);
  const n = parts.length;
  const owners = new Map();
  let pending = 0;
  parts.forEach((p, i) => {
    const owner = str(p.owner);
    const next = p.next_owner == null ? null : str(p.next_owner);
    const o = owners.get(owner) || { owned: 0, incoming: 0, outgoing: 0 };
    o.owned++;
    owners.set(owner, o);
    if (next !== null) {
      pending++;
      o.outgoing++;
      const t = owners.get(next) || { owned: 0, incoming: 0, outgoing: 0 };
      t.incoming++;
      owners.set(next, t);
    }
    const a0 = (i / n) * 2 * Math.PI;
    const a1 = ((i + 1) / n) * 2 * Math.PI;
    const path = s("path", {
      d: arc(a0, a1),
      class: next === null ? "partition" : "partition pending",
      "data-index": num(p.index),
      "data-owner": owner,
      "data-next-owner": next,
      fill: next === null ? colorOf(owner) : `url(#${hatch(defs, owner, next)})`,
    });
    path.append(
      s("title", {}, `partition ${num(p.index)}: ${owner}` + (next === null ? "" : ` → ${next} (pending)`))
    );
    svg.append(path);
  });
  centre(svg, ring, n);
  drawLegend(legend, owners);
  return pending;
}

function centre(svg, ring, n) {
  if (n === 0) {
    svg.append(s("circle", { cx: C, cy: C, r: (R_OUT + R_IN) / 2, class: "ring-empty" }));
    svg.append(s("text", { x: C, y: C + 4, class: "ring-centre", "text-anchor": "middle" }, "no ring yet"));
    return;
  }
  svg.append(s("text", { x: C, y: C - 6, class: "ring-size", "text-anchor": "middle" }, String(n)));
  svg.append(s("text", { x: C, y: C + 12, class: "ring-centre", "text-anchor": "middle" }, "partitions"));
  svg.append(
    s("text", { x: C, y: C + 28, class: "ring-centre muted", "text-anchor": "middle" }, `version ${num(ring.version)}`)
  );
}

/** An SVG pattern: the owner's colour with stripes of the next owner's colour. */
function hatch(defs, owner, next) {
  const id = "hatch-" + idPart(owner) + "-" + idPart(next);
  if (!defs.querySelector(`#${id}`)) {
    const p = s("pattern", { id, width: 6, height: 6, patternUnits: "userSpaceOnUse", patternTransform: "rotate(45)" });
    p.append(s("rect", { width: 6, height: 6, fill: colorOf(owner) }));
    p.append(s("rect", { width: 3, height: 6, fill: colorOf(next) }));
    defs.append(p);
  }
  return id;
}

/** A name made safe for an element id (which ends up in a url(#...) reference). */
function idPart(name) {
  return Array.from(name, (ch) => (/[A-Za-z0-9_-]/.test(ch) ? ch : "_" + ch.codePointAt(0).toString(16))).join("");
}

function arc(a0, a1) {
  const gap = 0.004;
  const b0 = a0 + gap;
  const b1 = Math.max(a1 - gap, b0 + 0.001);
  const large = b1 - b0 > Math.PI ? 1 : 0;
  const p = (r, a) => `${(C + r * Math.sin(a)).toFixed(2)} ${(C - r * Math.cos(a)).toFixed(2)}`;
  return (
    `M ${p(R_OUT, b0)} A ${R_OUT} ${R_OUT} 0 ${large} 1 ${p(R_OUT, b1)} ` +
    `L ${p(R_IN, b1)} A ${R_IN} ${R_IN} 0 ${large} 0 ${p(R_IN, b0)} Z`
  );
}

function drawLegend(legend, owners) {
  clear(legend);
  for (const name of [...owners.keys()].sort()) {
    const o = owners.get(name);
    const moves = [];
    if (o.outgoing) moves.push(`${count(o.outgoing)} out`);
    if (o.incoming) moves.push(`${count(o.incoming)} in`);
    legend.append(
      h(
        "li",
        { "data-owner": name },
        swatch(colorOf(name)),
        h("span", { class: "legend-name" }, name),
        h("span", { class: "legend-count" }, count(o.owned)),
        h("span", { class: "legend-moves" }, moves.join(" · "))
      )
    );
  }
}
