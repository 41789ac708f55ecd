// Charts of saved analysis runs (the weak-organisations view): the area's counts per run and one organisation's
// score per run, each with its numbers in a small table below, so the page states what the chart draws.

const RED = "#c0392b";
const AMBER = "#b9770e";

function when(at) {
  return String(at).replace("T", " ").slice(0, 16);
}

// The area's weak and priority counts per run (runs oldest first).
export function runsChart(ctx, el, runs) {
  const { t } = ctx;
  ctx.chart(el, {
    tooltip: { trigger: "axis" },
    legend: { top: 0, data: [t("软弱涣散", "Weak"), t("优先整顿", "Priority")] },
    grid: { left: 48, right: 16, top: 40, bottom: 40 },
    xAxis: { type: "category", data: runs.map((r) => when(r.at)) },
    yAxis: { type: "value", minInterval: 1 },
    series: [
      { name: t("软弱涣散", "Weak"), type: "line", data: runs.map((r) => r.weak ?? null), itemStyle: { color: RED } },
      { name: t("优先整顿", "Priority"), type: "line", data: runs.map((r) => r.weakPriority ?? null), itemStyle: { color: AMBER } },
    ],
  });
}

// One organisation's score per run (points oldest first); a run that did not judge it leaves a gap.
export function scoreChart(ctx, el, points, factorLabel) {
  const { t } = ctx;
  ctx.chart(el, {
    tooltip: {
      trigger: "axis",
      formatter: (items) => {
        const p = points[items[0].dataIndex];
        if (p.judged === null) return `${when(p.at)}<br>${t("该次运行未记录各组织得分", "This run kept no per-organisation scores")}`;
        if (!p.judged) return `${when(p.at)}<br>${t("该次运行未判定此组织", "This run did not judge it")}`;
        const names = p.factors.map((c) => factorLabel[c] || c).join("、") || t("无", "none");
        return `${when(p.at)}<br>${t("得分", "Score")} ${p.score}<br>${names}`;
      },
    },
    grid: { left: 48, right: 16, top: 24, bottom: 40 },
    xAxis: { type: "category", data: points.map((p) => when(p.at)) },
    yAxis: { type: "value", min: 0, max: 100 },
    series: [{
      name: t("得分", "Score"),
      type: "line",
      connectNulls: false,
      data: points.map((p) => ({ value: p.score, itemStyle: { color: p.priority ? RED : AMBER } })),
      itemStyle: { color: RED },
    }],
  });
}

// The numbers a chart draws, newest first, in a table (downloadable like every list).
export function trendTable(ctx, el, id, rows, columns) {
  const { h, t } = ctx;
  const holder = h("div", { id });
  el.append(h("details", { class: "gs-trend-data" }, h("summary", {}, t("图表数据", "Chart data")), holder));
  ctx.table(holder, {
    columns: [{ key: "at", zh: "运行时间", en: "Run at", kind: "text", format: (v) => when(v) }, ...columns,
      { key: "id", zh: "运行编号", en: "Run id", kind: "text" }],
    rows: [...rows].reverse(),
    filename: "分析运行趋势",
    sheet: "趋势",
  });
}
