// View 1, the coverage drill-down (/console/coverage/:areaId?, the city when absent): the area's figures, each
// child area (district → street → community → compound) with every figure and gap count in a sortable table
// beside a chart, a breadcrumb back up; the city's published figures next to the computed ones. Requests: the
// city's id when none is given, then the area with its figures and its children's figures in parallel, and for
// roles that may read analyses the compounds' scores on a community page: at most 3.
import { formatValue } from "../dom.js";
import { againstMinimum, figureKind, figureName, gapName } from "./labels.js";
import { breadcrumb } from "./parts.js";

const AREA_LEVELS = "level { code label }";
const CITY = `query ConsoleCity { areas(level: CITY, first: 1) { edges { node { domainId } } } }`;
const HERE = `query ConsoleCoverageHere($id: String!) {
  area(id: $id) { domainId name ${AREA_LEVELS} chain { domainId name ${AREA_LEVELS} } }
  coverage(areaId: $id) { figures { code label value published minimum } gaps { code label compounds } }
}`;
const CHILDREN = `query ConsoleCoverageChildren($id: String!) {
  coverageChildren(areaId: $id) {
    area { domainId name ${AREA_LEVELS} }
    figures { code label value minimum }
    gaps { code label compounds }
  }
}`;
const SCORES = `query ConsoleCoverageScores($id: ID!) {
  underCoveredCompounds(areaId: $id, first: 500) { totalCount edges { node { compoundId score underCovered priority } } }
}`;

// Figures every area has blank below the district (populations are recorded on the city and districts).
function presentFigures(children) {
  const codes = [];
  const seen = new Map();
  for (const child of children) {
    for (const figure of child.figures) {
      if (!seen.has(figure.code)) {
        seen.set(figure.code, figure);
        codes.push(figure.code);
      }
    }
  }
  return codes.filter((code) => children.some((c) => c.figures.some((f) => f.code === code && f.value !== null))).map((code) => seen.get(code));
}

function gapTone(count, compounds) {
  if (count === 0) return "good";
  return compounds && count >= compounds ? "bad" : "warn";
}

function scoreTone(row) {
  if (row.score === undefined || row.score === null) return null;
  return row.priority ? "bad" : row.underCovered ? "warn" : "good";
}

function figureRows(figures) {
  return figures.map((f) => ({ id: f.code, ...f, kind: figureKind(f.code) }));
}

function figuresTable(ctx, el, area, figures, isCity) {
  const { t } = ctx;
  const format = (value, row) => ctx.h("span", {}, value === null || value === undefined ? "—" : formatValue(value, row.kind, ctx.lang));
  const columns = [
    { key: "name", zh: "指标", en: "Figure", kind: "text", value: (row) => figureName(row, t) },
    { key: "value", zh: "计算值", en: "Computed", kind: "float", format, colour: (row) => againstMinimum(row.value, row.minimum) },
  ];
  if (isCity) columns.push({ key: "published", zh: "公布值", en: "Published", kind: "float", format });
  columns.push({ key: "minimum", zh: "标准（不低于）", en: "Standard (at least)", kind: "float", format });
  ctx.table(el, {
    columns,
    rows: figureRows(figures),
    filename: `${t("覆盖指标", "coverage-figures")}-${area.name}`,
    sheet: t("覆盖指标", "Figures"),
  });
}

function childRows(children, scores) {
  return children.map((child) => {
    const row = { id: child.area.domainId, name: child.area.name, level: child.area.level.code };
    for (const f of child.figures) {
      row[`f_${f.code}`] = f.value;
      row[`min_${f.code}`] = f.minimum;
    }
    for (const g of child.gaps) row[`g_${g.code}`] = g.compounds;
    if (scores) {
      const found = scores.get(child.area.domainId);
      // A compound the analysis does not list has no gap: its score is the full 100 (docs/console.md).
      row.score = found ? found.score : 100;
      row.underCovered = found ? found.underCovered : false;
      row.priority = found ? found.priority : false;
    }
    return row;
  });
}

function childColumns(ctx, children, scores) {
  const { t } = ctx;
  const compoundLevel = children.length && children[0].area.level.code === "COMPOUND";
  const columns = [{
    key: "name", zh: "名称", en: "Name", kind: "text",
    href: (row) => (row.level === "COMPOUND" ? `/console/compound/${encodeURIComponent(row.id)}` : `/console/coverage/${encodeURIComponent(row.id)}`),
  }];
  if (scores && compoundLevel) {
    columns.push({ key: "score", zh: "覆盖得分", en: "Score", kind: "float", colour: scoreTone });
  }
  for (const figure of presentFigures(children)) {
    const name = figureName(figure, t);
    const code = figure.code;
    columns.push({
      key: `f_${code}`, zh: figureName(figure, (zh) => zh), en: figureName(figure, (zh, en) => en), kind: figureKind(code),
      colour: (row) => againstMinimum(row[`f_${code}`], row[`min_${code}`]),
      title: name,
    });
  }
  for (const gap of children.length ? children[0].gaps : []) {
    const code = gap.code;
    columns.push({
      key: `g_${code}`, zh: `缺口：${gap.label}`, en: `Gap: ${gapName(gap, (zh, en) => en)}`, kind: "int",
      colour: (row) => gapTone(row[`g_${code}`], row.f_compounds),
    });
  }
  return columns;
}

function drawChart(ctx, el, rows, columns, key, chart) {
  const column = columns.find((c) => c.key === key) || columns[1];
  const tones = { good: "#1b7f3b", warn: "#c88a00", bad: "#b3261e" };
  const sorted = [...rows].sort((a, b) => (a[column.key] ?? -Infinity) - (b[column.key] ?? -Infinity));
  const minimum = rows.length ? rows[0][`min_${column.key.slice(2)}`] : null;
  const rate = column.kind === "rate";
  const option = {
    animation: false,
    grid: { left: 8, right: 40, top: 30, bottom: 10, containLabel: true },
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
    title: { text: ctx.t(column.zh, column.en), textStyle: { fontSize: 13 } },
    xAxis: { type: "value", axisLabel: rate ? { formatter: (v) => `${Math.round(v * 100)}%` } : {} },
    yAxis: { type: "category", data: sorted.map((r) => r.name), axisLabel: { width: 110, overflow: "truncate" } },
    series: [{
      type: "bar",
      data: sorted.map((r) => ({
        value: r[column.key],
        itemStyle: { color: tones[column.colour ? column.colour(r) : null] || "#4a6fa5" },
      })),
      label: { show: rows.length <= 20, position: "right", formatter: (p) => (p.value === null || p.value === undefined ? "—" : formatValue(p.value, column.kind, ctx.lang)) },
      markLine: minimum !== null && minimum !== undefined
        ? { symbol: "none", lineStyle: { color: "#b3261e", type: "dashed" }, label: { formatter: ctx.t("标准", "standard") }, data: [{ xAxis: minimum }] }
        : undefined,
    }],
  };
  if (chart) {
    chart.setOption(option, true);
    return chart;
  }
  return ctx.chart(el, option);
}

export async function render(root, params, ctx) {
  const { h, t } = ctx;
  let id = params.areaId;
  if (!id) {
    const found = (await ctx.gql(CITY)).areas.edges;
    if (!found.length) throw new Error(t("库中还没有城市", "The store holds no city yet"));
    id = found[0].node.domainId;
  }
  const childrenAnswer = ctx.gql(CHILDREN, { id });
  const here = await ctx.gql(HERE, { id });
  const area = here.area;
  if (!area) throw new Error(t(`没有这个区域：${id}`, `No area ${id}`));
  const level = area.level.code;
  const scoresAnswer = ctx.canReadAnalyses && level === "COMMUNITY" ? ctx.gql(SCORES, { id }) : null;
  const [children, scoreData] = await Promise.all([childrenAnswer.then((d) => d.coverageChildren), scoresAnswer]);
  const scores = scoreData ? new Map(scoreData.underCoveredCompounds.edges.map((e) => [e.node.compoundId, e.node])) : null;

  const isCity = level === "CITY";
  const title = h("h1", {}, `${area.name} · ${t("组织体系覆盖情况", "Coverage of the organisational system")}`);
  const levelName = t(area.level.label, area.level.code.toLowerCase());
  const figuresEl = h("div", { id: "gs-figures" });
  const gapsEl = h("div", { id: "gs-gaps" });
  const childrenEl = h("div", { id: "gs-children" });
  const chartEl = h("div", { class: "gs-chart", id: "gs-chart" });
  const select = h("select", { id: "gs-chart-figure", "aria-label": t("图表指标", "Chart figure") });

  root.replaceChildren(
    breadcrumb(ctx, area.chain, area.name),
    title,
    h("p", { class: "gs-lead" }, level === "COMPOUND"
      ? h("a", { href: `/console/compound/${encodeURIComponent(area.domainId)}` }, t("查看小区组织链条、楼栋和缺口 →", "The compound's chain, buildings and gaps →"))
      : t(`${levelName}的下级区域逐级下钻：点击名称进入下一级。`, `Drill down from this ${levelName}: click a name to go one level down.`)),
    children.length ? h("section", {},
      h("h2", {}, t("下级区域", "Areas inside")),
      h("div", { class: "gs-legend" },
        h("span", { class: "gs-good" }, t("达标 / 无缺口", "meets the standard / no gap")),
        h("span", { class: "gs-warn" }, t("部分小区有缺口", "gap in some compounds")),
        h("span", { class: "gs-bad" }, t("未达标 / 全部小区有缺口", "below the standard / gap everywhere")),
      ),
      h("div", { class: "gs-split" },
        childrenEl,
        h("div", { class: "gs-panel" }, h("label", {}, t("图表指标 ", "Chart: "), select), chartEl),
      ),
    ) : null,
    h("div", { class: "gs-split" },
      h("section", {}, h("h2", {}, isCity ? t("计算值与公布值", "Computed and published figures") : t("本级指标", "Figures")), figuresEl),
      h("section", {}, h("h2", {}, t("覆盖缺口（小区数）", "Coverage gaps (compounds)")), gapsEl),
    ),
  );

  figuresTable(ctx, figuresEl, area, here.coverage.figures, isCity);
  ctx.table(gapsEl, {
    columns: [
      { key: "name", zh: "缺口", en: "Gap", kind: "text", value: (row) => gapName(row, t) },
      { key: "compounds", zh: "小区数", en: "Compounds", kind: "int", colour: (row) => (row.compounds === 0 ? "good" : "warn") },
    ],
    rows: here.coverage.gaps.map((g) => ({ id: g.code, ...g })),
    sort: { key: "compounds", dir: "desc" },
    filename: `${t("覆盖缺口", "coverage-gaps")}-${area.name}`,
  });

  if (children.length) {
    const rows = childRows(children, scores);
    const columns = childColumns(ctx, children, scores);
    ctx.table(childrenEl, {
      columns,
      rows,
      sort: scores ? { key: "score", dir: "asc" } : { key: "name", dir: "asc" },
      filename: `${t("下级覆盖情况", "coverage-by-area")}-${area.name}`,
      sheet: t("下级覆盖情况", "Coverage"),
    });
    const chartable = columns.filter((c) => c.kind !== "text");
    const initial = chartable.find((c) => c.key === "f_station_coverage_rate") || chartable[0];
    for (const column of chartable) {
      select.append(h("option", { value: column.key, selected: column === initial }, t(column.zh, column.en)));
    }
    const chart = drawChart(ctx, chartEl, rows, columns, initial.key);
    select.addEventListener("change", () => drawChart(ctx, chartEl, rows, columns, select.value, chart));
  }
}
