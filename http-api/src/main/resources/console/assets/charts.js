// A hand-written SVG time-series line chart: y axis with 1-2-5 ticks, x axis with clock labels,
// one polyline per series, legend on the right. Each call redraws the whole chart (≤ 120 points
// per series and a handful of series: cheap).
import { s, clear } from "./dom.js";
import { clock } from "./format.js";
import { colorOf } from "./colors.js";
import { hoverable } from "./hover.js";

const H = 200;
const PAD = { left: 58, right: 150, top: 12, bottom: 26 };
const MAX_SERIES = 8;

/**
 * Draws `series` ([{name, points: [[timeMs, value], ...]}]) into `svg`, labelling values with
 * `fmt`. Options: `combine` "sum" (default) draws the 7 largest of more than 8 series and sums
 * the rest as "other", "drop" leaves the rest out (for averages and percentiles); `binary` puts
 * the grid on powers of 1024 (bytes); `minTop` is the smallest top of the y axis; `kind` "node"
 * when the series are named after nodes (they then keep the node's colour).
 */
export function drawLineChart(svg, series, fmt, { combine = "sum", binary = false, minTop = 1, kind = "series" } = {}) {
  // The drawing is as wide as the element, so text is never scaled down on a narrow card.
  const W = Math.max(360, Math.round(svg.getBoundingClientRect().width) || 600);
  svg.setAttribute("viewBox", `0 0 ${W} ${H}`);
  svg.setAttribute("preserveAspectRatio", "xMidYMid meet");
  clear(svg);
  const shown = limitSeries(series, combine);
  const all = shown.flatMap((x) => x.points);
  const x0 = PAD.left;
  const x1 = W - PAD.right;
  const y0 = H - PAD.bottom;
  const y1 = PAD.top;
  if (all.length === 0) {
    axes(svg, x0, x1, y0, y1);
    svg.append(
      s("text", { x: (x0 + x1) / 2, y: (y0 + y1) / 2, class: "chart-empty", "text-anchor": "middle" }, "no data yet")
    );
    hoverable(svg, { shown: [], sx: (t) => t, sy: (v) => v, x0, x1, y0, y1, fmt, values: [] });
    return;
  }
  const tMin = Math.min(...all.map((p) => p[0]));
  const tMax = Math.max(...all.map((p) => p[0]), tMin + 1000);
  const top = niceMax(Math.max(minTop, ...all.map((p) => p[1])), binary);
  const sx = (t) => x0 + ((t - tMin) / (tMax - tMin)) * (x1 - x0);
  const sy = (v) => y0 - (v / top) * (y0 - y1);

  for (let i = 0; i <= 4; i++) {
    const v = (top * i) / 4;
    const y = sy(v);
    svg.append(s("line", { x1: x0, x2: x1, y1: y, y2: y, class: i === 0 ? "axis" : "grid" }));
    svg.append(s("text", { x: x0 - 6, y: y + 4, class: "tick", "text-anchor": "end" }, fmt(v)));
  }
  for (const t of timeTicks(tMin, tMax, Math.max(2, Math.floor((x1 - x0) / 80)))) {
    const x = sx(t);
    svg.append(s("line", { x1: x, x2: x, y1: y0, y2: y0 + 4, class: "axis" }));
    svg.append(s("text", { x, y: y0 + 17, class: "tick", "text-anchor": "middle" }, clock(t)));
  }
  svg.append(s("line", { x1: x0, x2: x0, y1: y0, y2: y1, class: "axis" }));

  const values = shown.map((ser, i) => {
    const color = ser.color || colorOf(ser.name, kind);
    ser.stroke = color;
    const pts = ser.points.map((p) => `${sx(p[0]).toFixed(1)},${sy(p[1]).toFixed(1)}`).join(" ");
    const last = ser.points[ser.points.length - 1];
    const line = s("polyline", { points: pts, class: "series", stroke: color, "data-series": ser.name });
    line.append(s("title", {}, `${ser.name}: ${fmt(last ? last[1] : 0)}`));
    svg.append(line);
    if (ser.points.length === 1) {
      svg.append(s("circle", { cx: sx(last[0]), cy: sy(last[1]), r: 2.5, fill: color }));
    }
    return legendItem(svg, x1 + 12, y1 + 6 + i * 17, ser.name, last ? fmt(last[1]) : "", color);
  });
  hoverable(svg, { shown, sx, sy, x0, x1, y0, y1, fmt, values });
}

function axes(svg, x0, x1, y0, y1) {
  svg.append(s("line", { x1: x0, x2: x1, y1: y0, y2: y0, class: "axis" }));
  svg.append(s("line", { x1: x0, x2: x0, y1: y0, y2: y1, class: "axis" }));
}

function legendItem(svg, x, y, name, value, color) {
  const g = s("g", { class: "legend-item", transform: `translate(${x},${y})` });
  g.append(s("rect", { x: 0, y: -4, width: 10, height: 3, rx: 1, fill: color }));
  const label = name.length > 14 ? name.slice(0, 13) + "…" : name;
  g.append(s("text", { x: 14, y: 0, class: "legend-name" }, label, s("title", {}, name)));
  const valueText = s("text", { x: 136, y: 0, class: "legend-value", "text-anchor": "end" }, value);
  g.append(valueText);
  svg.append(g);
  return valueText;
}

/** The biggest series by their latest value; the rest merged into "other" (or dropped). */
function limitSeries(series, combine) {
  const nonEmpty = series.filter((x) => x.points.length > 0);
  if (nonEmpty.length <= MAX_SERIES) return nonEmpty;
  const peak = (x) => Math.max(...x.points.map((p) => p[1]));
  const sorted = [...nonEmpty].sort((a, b) => peak(b) - peak(a));
  const kept = sorted.slice(0, MAX_SERIES - 1);
  if (combine !== "sum") return kept;
  const sums = new Map();
  for (const x of sorted.slice(MAX_SERIES - 1)) {
    for (const [t, v] of x.points) sums.set(t, (sums.get(t) || 0) + v);
  }
  const points = [...sums.entries()].sort((a, b) => a[0] - b[0]);
  return [...kept, { name: "other", color: "#9ca3af", points }];
}

/**
 * A round number ≥ v (1, 2, 4, 6, 8 × 10^k, times 1024^j when `binary`) so the four grid lines
 * land on readable values.
 */
function niceMax(v, binary) {
  if (!(v > 0)) return 1;
  const unit = binary ? Math.pow(1024, Math.max(0, Math.floor(Math.log(v) / Math.log(1024)))) : 1;
  const x = v / unit;
  const p = Math.pow(10, Math.floor(Math.log10(x)));
  for (const m of [1, 2, 4, 6, 8, 10]) if (m * p >= x) return m * p * unit;
  return 10 * p * unit;
}

/** At most `most` tick times (one per 80 px of plot) on whole 5/10/15/30/60 s boundaries. */
function timeTicks(tMin, tMax, most) {
  const span = tMax - tMin;
  const step = [5e3, 10e3, 15e3, 30e3, 60e3, 120e3, 300e3].find((st) => span / st <= most) || 600e3;
  const out = [];
  for (let t = Math.ceil(tMin / step) * step; t <= tMax; t += step) out.push(t);
  return out;
}
