// Number and time formatting for the console: every figure on the page goes through here so
// units and precision stay the same across cards.

const group = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });

/** A finite number, or 0 for anything else (null, missing fields, strings). */
export function num(value) {
  return typeof value === "number" && Number.isFinite(value) ? value : 0;
}

/** An array, or an empty one for anything else. */
export function arr(value) {
  return Array.isArray(value) ? value : [];
}

/** A string, or "" for anything else. */
export function str(value) {
  return typeof value === "string" ? value : value == null ? "" : String(value);
}

/** Whole count with thousands separators: 1,234,567. */
export function count(value) {
  return group.format(Math.round(num(value)));
}

/** Compact number: 950, 9.5, 12.3k, 4.1M. */
export function compact(value) {
  const v = num(value);
  const a = Math.abs(v);
  if (a >= 1e9) return trim(v / 1e9) + "G";
  if (a >= 1e6) return trim(v / 1e6) + "M";
  if (a >= 1e4) return trim(v / 1e3) + "k";
  if (a >= 100 || Number.isInteger(v)) return group.format(Math.round(v));
  if (a >= 10) return v.toFixed(1);
  return v.toFixed(a >= 1 ? 1 : 2);
}

function trim(v) {
  return (Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(1)).replace(/\.0$/, "");
}

const UNITS = ["B", "KiB", "MiB", "GiB", "TiB"];

/** Bytes in binary units: 512 B, 3.4 KiB, 12 MiB. */
export function bytes(value) {
  let v = num(value);
  let i = 0;
  while (Math.abs(v) >= 1024 && i < UNITS.length - 1) {
    v /= 1024;
    i++;
  }
  const digits = i === 0 || Math.abs(v) >= 100 ? 0 : 1;
  return v.toFixed(digits) + " " + UNITS[i];
}

/** A byte rate: 3.4 KiB/s. */
export function byteRate(value) {
  return bytes(value) + "/s";
}

/** A count rate: 12.5/s. */
export function rate(value) {
  return compact(value) + "/s";
}

/** Milliseconds with 1-2 decimals: 0.05 ms, 7.9 ms, 125.3 ms. */
export function ms(value) {
  const v = num(value);
  if (v === 0) return "0 ms";
  if (v >= 1000) return (v / 1000).toFixed(2) + " s";
  return v.toFixed(v < 10 ? 2 : 1) + " ms";
}

/** Wall-clock time of day, 24 h, local: 14:03:59. */
export function clock(timeMs) {
  const d = new Date(num(timeMs));
  return [d.getHours(), d.getMinutes(), d.getSeconds()]
    .map((n) => String(n).padStart(2, "0"))
    .join(":");
}
