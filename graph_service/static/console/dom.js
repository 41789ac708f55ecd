// Small DOM helpers shared by the shell and the views: build elements without innerHTML (names come from the
// API and are never parsed as HTML) and format numbers the same way everywhere.

// h("a", {href: "/console", class: "x", onclick: fn, dataset: {k: "v"}}, "text", child, [more])
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name === "class") el.className = value;
    else if (name === "dataset") Object.assign(el.dataset, value);
    else if (name.startsWith("on") && typeof value === "function") el.addEventListener(name.slice(2), value);
    else el.setAttribute(name, value === true ? "" : String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : String(child));
  }
}

export function clear(el) {
  while (el.firstChild) el.firstChild.remove();
  return el;
}

function locale(lang) {
  return lang === "en" ? "en-GB" : "zh-CN";
}

// How a value of a column kind reads on the page; the raw value stays in the cell's data-value.
export function formatValue(value, kind, lang) {
  if (value === null || value === undefined || value === "") return "—";
  switch (kind) {
    case "int":
      return Number(value).toLocaleString(locale(lang), { maximumFractionDigits: 0 });
    case "float":
      return Number(value).toLocaleString(locale(lang), { maximumFractionDigits: 2 });
    case "rate":
      return (Number(value) * 100).toLocaleString(locale(lang), { maximumFractionDigits: 1 }) + "%";
    case "bool":
      return value ? (lang === "en" ? "yes" : "是") : lang === "en" ? "no" : "否";
    default:
      return String(value);
  }
}
