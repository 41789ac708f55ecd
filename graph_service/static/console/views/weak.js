// View 3: weak and lax Party organisations (软弱涣散) of an area, ranked, with the kind, factor and priority
// filters in the query string (?kind=&factor=&priority=1) so a link keeps them, and ?org= opening one
// organisation: its factors and its trend over the saved analysis runs. One GraphQL request per render.
import { card, select } from "./controls.js";
import { runsChart, scoreChart, trendTable } from "./trends.js";

// The highest scores first; the query-cost limit allows this many rows with their factors in one request.
const PAGE = 200;

const QUERY = `query ConsoleWeak($area: ID, $areaText: String!, $hasArea: Boolean!, $kind: String, $factor: String,
    $priority: Boolean!, $org: ID!, $hasOrg: Boolean!, $first: Int!) {
  weakOrganizations(areaId: $area, kind: $kind, factor: $factor, priorityOnly: $priority, first: $first) {
    totalCount
    nodes {
      orgId name kind kindLabel areaId communityId score weak priority members fullMembers secretaryVacantDays
      factors { code label value threshold weight criterion basis explanation detail evidence }
    }
  }
  priorityCut: weakOrganizations(areaId: $area, kind: $kind, factor: $factor, priorityOnly: true, first: 1) { totalCount }
  analysisRuns(areaId: $area, first: 100) { nodes { id at weak weakPriority } }
  weaknessCriteria { kinds { code label } factors { code label criterion weight } }
  area(id: $areaText) @include(if: $hasArea) { domainId name level { label } chain { domainId name } }
  districts: areas(level: DISTRICT, first: 100) { nodes { domainId name } }
  streets: areas(level: STREET, first: 500) { nodes { domainId name parent { domainId } } }
  weaknessTrend(orgId: $org, areaId: $area, first: 100) @include(if: $hasOrg) {
    nodes { runId at asOf judged score weak priority factors }
  }
}`;

// The view's URL with some query-string parameters changed (null drops one).
function urlWith(areaId, search, changes) {
  const next = new URLSearchParams(search);
  for (const [name, value] of Object.entries(changes)) {
    if (value === null || value === undefined || value === "" || value === false) next.delete(name);
    else next.set(name, value === true ? "1" : value);
  }
  const query = next.toString();
  return `/console/weak${areaId ? "/" + encodeURIComponent(areaId) : ""}${query ? "?" + query : ""}`;
}

export async function render(root, params, ctx) {
  const { h, t } = ctx;
  const areaId = params.areaId || null;
  root.replaceChildren(h("h1", {}, t("软弱涣散基层党组织", "Weak and lax Party organisations")));
  if (!ctx.canReadAnalyses) {
    root.append(h("p", { class: "gs-note", role: "note" }, t(
      "本页为分析结果，只有分析人员和管理员可以查看。",
      "This page shows analyses: only analysts and administrators may see it.",
    )));
    return;
  }
  const kind = ctx.search.get("kind") || null;
  const factor = ctx.search.get("factor") || null;
  const priority = ctx.search.get("priority") === "1";
  const org = ctx.search.get("org") || null;
  const data = await ctx.gql(QUERY, {
    area: areaId, areaText: areaId || "", hasArea: !!areaId, kind, factor, priority,
    org: org || "", hasOrg: !!org, first: PAGE,
  });
  const found = data.weakOrganizations;
  const rows = found.nodes.map((n, i) => ({ ...n, id: n.orgId, rank: i + 1, factorCount: n.factors.length }));
  const criteria = data.weaknessCriteria;
  const factorLabel = Object.fromEntries(criteria.factors.map((f) => [f.code, f.label]));

  // Where: breadcrumb and the area filter (the city, its districts and streets).
  const area = data.area;
  if (areaId && !area) throw new Error(t(`没有这个区域：${areaId}`, `No such area: ${areaId}`));
  const crumbs = area ? [...area.chain].reverse() : [];
  root.append(h("ul", { class: "gs-breadcrumb" },
    h("li", {}, h("a", { href: urlWith(null, ctx.search, {}) }, t("全市", "Whole city"))),
    crumbs.slice(1).map((a) => h("li", {}, h("a", { href: urlWith(a.domainId, ctx.search, {}) }, a.name))),
    area ? h("li", { "aria-current": "page" }, `${area.name}（${area.level.label}）`) : null,
  ));
  const streetsOf = (d) => data.streets.nodes.filter((s) => s.parent && s.parent.domainId === d);
  const areaOptions = [{ value: "", text: t("全市", "Whole city") }];
  for (const d of data.districts.nodes) {
    areaOptions.push({ value: d.domainId, text: d.name });
    for (const s of streetsOf(d.domainId)) areaOptions.push({ value: s.domainId, text: `\u3000${s.name}` });
  }
  if (areaId && !areaOptions.some((o) => o.value === areaId)) areaOptions.push({ value: areaId, text: area.name });
  const go = (nextArea, changes) => ctx.navigate(urlWith(nextArea, ctx.search, { org: null, ...changes }));
  root.append(h("form", { class: "gs-filters", onsubmit: (e) => e.preventDefault() },
    select(ctx, "gs-weak-area", t("区域", "Area"), areaId || "", areaOptions, (v) => go(v || null, {})),
    select(ctx, "gs-weak-kind", t("组织类型", "Kind"), kind || "",
      [{ value: "", text: t("全部", "All") }, ...criteria.kinds.map((k) => ({ value: k.code, text: k.label }))],
      (v) => go(areaId, { kind: v })),
    select(ctx, "gs-weak-factor", t("因素", "Factor"), factor || "",
      [{ value: "", text: t("全部", "All") }, ...criteria.factors.map((f) => ({ value: f.code, text: f.label }))],
      (v) => go(areaId, { factor: v })),
    h("label", { class: "gs-filter" },
      h("input", { type: "checkbox", id: "gs-weak-priority", checked: priority ? true : null,
        onchange: (e) => go(areaId, { priority: e.target.checked }) }),
      " ", t("只看优先整顿", "Priority only")),
  ));

  // The headline numbers: the API's totals under the same filters.
  const complete = rows.length === found.totalCount;
  const priorityCount = data.priorityCut.totalCount;
  root.append(h("div", { class: "gs-cards" },
    card(ctx, "weak", "软弱涣散组织", "Weak organisations", found.totalCount, "gs-bad"),
    card(ctx, "priority", "优先整顿", "Priority", priorityCount, "gs-warn"),
  ));
  if (!complete) {
    root.append(h("p", { class: "gs-note" }, t(
      `显示得分最高的 ${rows.length} 个（共 ${found.totalCount} 个）；按区域、类型或因素筛选可缩小范围。`,
      `Showing the ${rows.length} highest scores of ${found.totalCount}; filter by area, kind or factor to narrow it.`,
    )));
  }

  // One organisation opened: its factors and its own trend.
  if (org) {
    const panel = h("section", { class: "gs-panel gs-weak-detail", id: "gs-weak-detail", dataset: { org } });
    root.append(panel); // in the page before its chart is drawn: ECharts sizes itself by its element
    detail(ctx, panel, areaId, rows.find((r) => r.orgId === org), org, data.weaknessTrend, factorLabel);
  }

  // The ranked list beside the area's trend over saved runs.
  const tableEl = h("div", { class: "gs-weak-table" });
  const chartEl = h("div", { class: "gs-chart", id: "gs-weak-area-chart" });
  const runsEl = h("div");
  root.append(h("div", { class: "gs-split" }, tableEl, h("section", { class: "gs-panel" },
    h("h2", {}, t("历次分析运行中的软弱涣散组织数", "Weak organisations in the saved analysis runs")),
    chartEl, runsEl)));
  const label = area ? area.name : t("全市", "Whole city");
  ctx.table(tableEl, {
    columns: [
      { key: "rank", zh: "排名", en: "Rank", kind: "int" },
      { key: "name", zh: "组织名称", en: "Organisation", kind: "text" },
      { key: "kindLabel", zh: "组织类型", en: "Kind", kind: "text" },
      { key: "score", zh: "软弱涣散得分", en: "Score", kind: "float", colour: (r) => (r.priority ? "bad" : "warn") },
      { key: "priority", zh: "优先整顿", en: "Priority", kind: "bool" },
      { key: "factorCount", zh: "触发因素数", en: "Factors fired", kind: "int",
        format: (v) => t(`${v} 项 ▸`, `${v} ▸`), href: (r) => urlWith(areaId, ctx.search, { org: r.orgId }) },
      { key: "members", zh: "在职党员", en: "Members", kind: "int" },
      { key: "fullMembers", zh: "正式党员", en: "Full members", kind: "int" },
      { key: "secretaryVacantDays", zh: "书记空缺天数", en: "Secretary vacant (days)", kind: "int" },
      { key: "communityId", zh: "所在社区网络", en: "Community network", kind: "text",
        href: (r) => (r.communityId ? `/console/network/${encodeURIComponent(r.communityId)}` : null) },
      { key: "orgId", zh: "组织编号", en: "Id", kind: "text" },
    ],
    rows,
    filename: `软弱涣散组织-${label}`,
    sheet: "软弱涣散组织",
  });
  const runs = [...data.analysisRuns.nodes].reverse(); // oldest first, as a time axis reads
  if (!runs.length) {
    chartEl.remove();
    runsEl.append(h("p", { class: "gs-note", id: "gs-weak-no-runs" }, t(
      `${label}还没有保存的分析运行。管理员运行 graph-service analyze${areaId ? " --area " + areaId : ""} 后，这里显示趋势。`,
      `No analysis run saved for ${label} yet. An administrator's graph-service analyze${areaId ? " --area " + areaId : ""} saves one.`,
    )));
    return;
  }
  runsChart(ctx, chartEl, runs);
  trendTable(ctx, runsEl, "gs-weak-runs", runs.map((r) => ({ id: r.id, at: r.at, weak: r.weak, weakPriority: r.weakPriority })), [
    { key: "weak", zh: "软弱涣散组织数", en: "Weak", kind: "int" },
    { key: "weakPriority", zh: "优先整顿数", en: "Priority", kind: "int" },
  ]);
}

function detail(ctx, panel, areaId, row, orgId, trend, factorLabel) {
  const { h, t } = ctx;
  const close = h("a", { href: urlWith(areaId, ctx.search, { org: null }), class: "gs-close" }, t("关闭", "Close"));
  panel.append(h("h2", {}, row ? `${row.name}（${row.kindLabel}）` : orgId, " ", close));
  if (row) {
    panel.append(h("p", {}, t(`得分 ${row.score}`, `Score ${row.score}`), row.priority ? h("span", { class: "gs-tag" }, t("优先整顿", "Priority")) : null));
    const factorsEl = h("div");
    panel.append(factorsEl);
    ctx.table(factorsEl, {
      columns: [
        { key: "label", zh: "因素", en: "Factor", kind: "text" },
        { key: "value", zh: "实际值", en: "Value", kind: "text" },
        { key: "threshold", zh: "标准", en: "Threshold", kind: "text" },
        { key: "weight", zh: "权重", en: "Weight", kind: "float" },
        { key: "criterion", zh: "对应软弱涣散情形", en: "Official criterion", kind: "text" },
        { key: "basis", zh: "条例依据", en: "Regulation basis", kind: "text" },
        { key: "explanation", zh: "说明", en: "Explanation", kind: "text" },
        { key: "detail", zh: "细节", en: "Detail", kind: "text" },
        { key: "code", zh: "代码", en: "Code", kind: "text" },
      ],
      rows: row.factors.map((f) => ({ ...f, id: f.code })),
      filename: `软弱涣散因素-${row.name}`,
      sheet: "因素",
    });
  } else {
    panel.append(h("p", { class: "gs-note" }, t(
      "该组织不在当前列表中（未被判定为软弱涣散，或被筛选条件排除）。",
      "This organisation is not in the list shown (not judged weak, or outside the filters).",
    )));
  }
  const points = trend ? [...trend.nodes].reverse() : [];
  panel.append(h("h3", {}, t("该组织在历次分析运行中的得分", "Its score in the saved analysis runs")));
  if (!points.length) {
    panel.append(h("p", { class: "gs-note", id: "gs-org-no-runs" }, t("还没有保存的分析运行。", "No analysis run saved yet.")));
    return;
  }
  const chartEl = h("div", { class: "gs-chart", id: "gs-weak-org-chart" });
  const dataEl = h("div");
  panel.append(chartEl, dataEl);
  scoreChart(ctx, chartEl, points, factorLabel);
  const judged = (p) => (p.judged === null ? t("未记录", "not recorded") : p.judged ? t("已判定", "judged") : t("未判定", "not judged"));
  trendTable(ctx, dataEl, "gs-org-runs", points.map((p) => ({
    id: p.runId, at: p.at, judgedText: judged(p), score: p.score,
    factors: p.factors.map((c) => factorLabel[c] || c).join("、"),
  })), [
    { key: "judgedText", zh: "是否判定", en: "Judged", kind: "text" },
    { key: "score", zh: "得分", en: "Score", kind: "float" },
    { key: "factors", zh: "触发因素", en: "Factors", kind: "text" },
  ]);
}
