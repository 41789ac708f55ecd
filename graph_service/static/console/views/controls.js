// Small pieces the weak-organisation, network and recommendation views share.

// A headline number: its label in the current language and the value (also in data-value, for tests).
export function card(ctx, key, zh, en, value, tone) {
  const { h, t } = ctx;
  return h("div", { class: `gs-card ${tone || ""}`.trim(), dataset: { card: key } },
    h("div", { class: "gs-card-label" }, t(zh, en)),
    h("div", { class: "gs-card-value", dataset: { value } }, String(value)));
}

// A labelled <select> of {value, text} options that calls onchange(value).
export function select(ctx, id, label, value, options, onchange) {
  const { h } = ctx;
  const el = h("select", { id, name: id, onchange: (event) => onchange(event.target.value) },
    options.map((o) => h("option", { value: o.value, selected: o.value === value ? true : null }, o.text)));
  return h("label", { class: "gs-filter" }, label, " ", el);
}
