// Hovering a time chart: a vertical line at the nearest sample, a dot on each series, the
// sample's time, and the legend showing that sample's values instead of the latest ones. The
// chart is redrawn on every snapshot, so the pointer position is kept and the hover re-applied.
import { s } from "./dom.js";
import { clock } from "./format.js";

const charts = new WeakMap(); // svg → {ctx of the last drawing, x of the pointer or null}

/**
 * Makes `svg` hoverable for its latest drawing. `ctx`: {shown (series), sx, sy, x0, x1, y0, y1,
 * fmt, values (the legend's value text elements, in series order)}.
 */
export function hoverable(svg, ctx) {
  const known = charts.get(svg);
  charts.set(svg, { ctx, x: known ? known.x : null });
  if (!known) {
    svg.addEventListener("mousemove", (e) => {
      const m = svg.getScreenCTM();
      if (!m) return;
      const p = new DOMPoint(e.clientX, e.clientY).matrixTransform(m.inverse());
      charts.get(svg).x = p.x;
      show(svg);
    });
    svg.addEventListener("mouseleave", () => {
      charts.get(svg).x = null;
      show(svg);
    });
  }
  if (charts.get(svg).x !== null) show(svg);
}

function show(svg) {
  const { ctx, x } = charts.get(svg);
  const old = svg.querySelector("g.crosshair");
  if (old) old.remove();
  const { shown, sx, sy, x0, x1, y0, y1, fmt, values } = ctx;
  const inside = x !== null && x >= x0 && x <= x1 && shown.length > 0;
  // The sample nearest the pointer, over all series' times.
  let t = null;
  if (inside) {
    for (const ser of shown) {
      for (const [pt] of ser.points) if (t === null || Math.abs(sx(pt) - x) < Math.abs(sx(t) - x)) t = pt;
    }
  }
  shown.forEach((ser, i) => {
    const p = t === null ? ser.points[ser.points.length - 1] : ser.points.find((q) => q[0] === t);
    if (values[i]) values[i].textContent = p ? fmt(p[1]) : "–";
  });
  if (t === null) return;
  const g = s("g", { class: "crosshair" });
  const cx = sx(t);
  g.append(s("line", { x1: cx, x2: cx, y1: y1, y2: y0, class: "crosshair-line" }));
  for (const ser of shown) {
    const p = ser.points.find((q) => q[0] === t);
    if (p) g.append(s("circle", { cx, cy: sy(p[1]), r: 3, class: "crosshair-dot", stroke: ser.stroke }));
  }
  const anchor = cx > (x0 + x1) / 2 ? "end" : "start";
  g.append(s("text", { x: cx + (anchor === "end" ? -5 : 5), y: y1 + 10, class: "crosshair-time", "text-anchor": anchor }, clock(t)));
  svg.append(g);
}
