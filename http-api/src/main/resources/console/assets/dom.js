// Small DOM helpers. Text from the server only ever goes in through textContent or attribute
// setters, never through innerHTML, so a node or channel name cannot inject markup.

const SVG_NS = "http://www.w3.org/2000/svg";

/** The element with this id (the page declares every one the scripts use). */
export function byId(id) {
  return document.getElementById(id);
}

/** An HTML element with attributes and children (strings become text nodes). */
export function h(tag, attrs = {}, ...children) {
  return fill(document.createElement(tag), attrs, children);
}

/** An SVG element with attributes and children. */
export function s(tag, attrs = {}, ...children) {
  return fill(document.createElementNS(SVG_NS, tag), attrs, children);
}

function fill(el, attrs, children) {
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") el.setAttribute("class", v);
    else if (k === "text") el.textContent = v;
    else el.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children) {
    if (c === null || c === undefined) continue;
    el.append(typeof c === "string" ? document.createTextNode(c) : c);
  }
  return el;
}

/**
 * A colour swatch. The colour is set through the CSSOM, not a style attribute, so the page works
 * under a Content-Security-Policy without 'unsafe-inline' styles.
 */
export function swatch(color) {
  const el = h("span", { class: "swatch" });
  el.style.backgroundColor = color;
  return el;
}

/** Sets the text of the element with this id. */
export function setText(id, text) {
  const el = byId(id);
  if (el && el.textContent !== text) el.textContent = text;
}

/** Removes every child. */
export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
}

/**
 * Replaces the rows of a table body with one row per item, reusing the rows whose key is
 * unchanged so that Selenium's element references and the user's text selection survive an
 * update. `key(item)` names the row, `build(item)` makes a new one, `update(tr, item)` fills it.
 */
export function syncRows(tbody, items, key, build, update) {
  const old = new Map();
  for (const tr of Array.from(tbody.rows)) old.set(tr.dataset.key, tr);
  let prev = null;
  for (const item of items) {
    const k = key(item);
    let tr = old.get(k);
    if (tr) old.delete(k);
    else {
      tr = build(item);
      tr.dataset.key = k;
    }
    update(tr, item);
    const next = prev ? prev.nextSibling : tbody.firstChild;
    if (next !== tr) tbody.insertBefore(tr, next);
    prev = tr;
  }
  for (const tr of old.values()) tr.remove();
}

/** Sets the text of the `td[data-field=NAME]` cell of a row, and an optional class. */
export function cell(tr, field, text, cls) {
  const td = tr.querySelector(`td[data-field="${field}"]`);
  if (!td) return;
  if (td.textContent !== text) {
    td.textContent = text;
    // Long names are cut with an ellipsis by the stylesheet; the tooltip shows them whole.
    if (text.length > 16) td.title = text;
    else td.removeAttribute("title");
  }
  if (cls !== undefined) td.className = cls;
}

/**
 * Fills a table's body with one row per item (see syncRows) and shows its empty-state footer
 * when there are none. A new row is a `tr` with `attrs(item)` and one `td[data-field]` per name
 * in `fields` (those in `numeric` right-aligned), then `decorate(tr, item)` if given; every row is
 * then filled by `update(tr, item)`.
 */
export function syncTable(table, items, { key, attrs, fields, numeric = [], decorate, update }) {
  table.classList.toggle("is-empty", items.length === 0);
  const build = (item) => {
    const tr = h(
      "tr",
      attrs(item),
      ...fields.map((f) => h("td", { "data-field": f, class: numeric.includes(f) ? "num" : null }))
    );
    if (decorate) decorate(tr, item);
    return tr;
  };
  syncRows(table.tBodies[0], items, key, build, update);
}
