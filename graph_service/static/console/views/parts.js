// Pieces the coverage and compound views share: the breadcrumb of areas and how a coverage figure reads.
import { formatValue } from "../dom.js";
import { figureKind } from "./labels.js";

// The areas above (`chain`, nearest first, as the API gives it) as links to their coverage, then the current name.
export function breadcrumb(ctx, chain, current) {
  const { h } = ctx;
  return h("ol", { class: "gs-breadcrumb", "aria-label": ctx.t("层级", "Levels") },
    [...chain].reverse().map((a) => h("li", {}, h("a", { href: `/console/coverage/${encodeURIComponent(a.domainId)}` }, a.name))),
    h("li", { "aria-current": "page" }, current),
  );
}

export function formatFigure(ctx, value, code) {
  return formatValue(value, figureKind(code), ctx.lang);
}
