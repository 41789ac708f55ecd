// View 5: pairing recommendations (结对共建推荐) for the under-covered communities of an area
// (/console/recommendations/:areaId?): each proposal with the reasons behind it, and the demand left unmet.
// An editor accepts a proposal: createPairing through the API (its user errors shown in the proposal, field and
// value), then the change feed since this page was drawn and the new pairing's audit log are shown. Requests:
// one to draw, one per acceptance and one to show the feed and audit log after it.

import { card, select } from "./controls.js";

const QUERY = `query ConsoleRecommendations($area: ID, $areaText: String!, $hasArea: Boolean!) {
  pairingRecommendations(areaId: $area, first: 200) {
    demandTotal supplyTotal totalCost
    proposals {
      totalCount
      nodes {
        unitOrgId unitOrgName communityId communityName committeeId cost livePairings capacity proposedForUnit
        reasons { code label value }
      }
    }
    unmet { communityId communityName committeeId demand met unmet reason reasonLabel }
  }
  area(id: $areaText) @include(if: $hasArea) { domainId name level { label } chain { domainId name } }
  districts: areas(level: DISTRICT, first: 100) { nodes { domainId name } }
  changesCursor
}`;

const ACCEPT = `mutation ConsoleAcceptPairing($input: CreatePairingInput!) {
  createPairing(input: $input) {
    pairing { domainId startDate active unitOrganization { domainId name } communityOrganization { domainId name } }
    errors { field message value }
  }
}`;

const AFTER = `query ConsoleAcceptedPairing($since: String, $id: ID!) {
  pairingChanges(since: $since, first: 50) { events { seq at action entityType entityId after } cursor }
  auditLog(entityId: $id, first: 20) { totalCount nodes { seq at actor action entityType entityId } }
}`;

function proposalId(p) {
  return `${p.unitOrgId}→${p.committeeId}`;
}

export async function render(root, params, ctx) {
  const { h, t } = ctx;
  const areaId = params.areaId || null;
  root.replaceChildren(h("h1", {}, t("结对共建推荐", "Pairing recommendations")));
  // Staff read the proposals and the change feed; editors too, since they accept them (the API allows both).
  if (!ctx.canReadAnalyses && !ctx.canEdit) {
    root.append(h("p", { class: "gs-note", role: "note" }, t(
      "结对推荐只有分析人员、编辑和管理员可以查看。",
      "Pairing recommendations are shown to analysts, editors and administrators only.",
    )));
    return;
  }
  const data = await ctx.gql(QUERY, { area: areaId, areaText: areaId || "", hasArea: !!areaId });
  const plan = data.pairingRecommendations;
  const area = data.area;
  if (areaId && !area) throw new Error(t(`没有这个区域：${areaId}`, `No such area: ${areaId}`));
  const label = area ? area.name : t("全市", "Whole city");

  const here = (id) => `/console/recommendations${id ? "/" + encodeURIComponent(id) : ""}`;
  root.append(h("ul", { class: "gs-breadcrumb" },
    h("li", {}, h("a", { href: here(null) }, t("全市", "Whole city"))),
    area ? [...area.chain].reverse().slice(1).map((a) => h("li", {}, h("a", { href: here(a.domainId) }, a.name))) : null,
    area ? h("li", { "aria-current": "page" }, area.name) : null,
  ));
  const options = [{ value: "", text: t("全市", "Whole city") }, ...data.districts.nodes.map((d) => ({ value: d.domainId, text: d.name }))];
  if (areaId && !options.some((o) => o.value === areaId)) options.push({ value: areaId, text: area.name });
  root.append(h("form", { class: "gs-filters", onsubmit: (e) => e.preventDefault() },
    select(ctx, "gs-rec-area", t("区域", "Area"), areaId || "", options, (v) => ctx.navigate(here(v || null))),
  ));

  const unmetTotal = plan.unmet.reduce((sum, u) => sum + u.unmet, 0);
  root.append(h("div", { class: "gs-cards" },
    card(ctx, "proposals", `推荐结对（${label}）`, `Proposals (${label})`, plan.proposals.totalCount, "gs-good"),
    card(ctx, "unmet", `未满足需求（${label}）`, `Unmet demand (${label})`, unmetTotal, unmetTotal ? "gs-warn" : "gs-good"),
    card(ctx, "demandTotal", "全市需求", "City-wide demand", plan.demandTotal),
    card(ctx, "supplyTotal", "全市可结对余量", "City-wide spare capacity", plan.supplyTotal),
  ));
  root.append(h("p", { class: "gs-note" }, t(
    "推荐由最小费用流算出：为覆盖不足的社区匹配仍有结对余量的驻区单位党组织，费用越低越优先。",
    "Proposed by min-cost flow: units' Party organisations with spare capacity matched to under-covered communities, lowest cost first.",
  )));

  const state = { cursor: data.changesCursor, accepted: [] };
  const confirmation = h("section", { class: "gs-panel", id: "gs-accepted", hidden: true, "aria-live": "polite" });
  root.append(confirmation);

  const list = h("div", { class: "gs-proposals", id: "gs-proposals" });
  if (!plan.proposals.nodes.length) {
    list.append(h("p", { class: "gs-note" }, t(`${label}没有推荐的结对。`, `No pairing is proposed for ${label}.`)));
  }
  for (const p of plan.proposals.nodes) list.append(proposal(ctx, p, state, confirmation));
  if (plan.proposals.totalCount > plan.proposals.nodes.length) {
    list.append(h("p", { class: "gs-note" }, t(
      `显示前 ${plan.proposals.nodes.length} 条（共 ${plan.proposals.totalCount} 条），选择区县可缩小范围。`,
      `Showing ${plan.proposals.nodes.length} of ${plan.proposals.totalCount}; choose a district to narrow it.`,
    )));
  }
  root.append(h("h2", {}, t("推荐清单", "Proposals")), list);

  const unmetEl = h("div", { id: "gs-unmet" });
  root.append(h("h2", {}, t("未满足的结对需求", "Demand left unmet")), unmetEl);
  ctx.table(unmetEl, {
    columns: [
      { key: "communityName", zh: "社区", en: "Community", kind: "text",
        href: (r) => `/console/network/${encodeURIComponent(r.communityId)}` },
      { key: "demand", zh: "需求", en: "Demand", kind: "int" },
      { key: "met", zh: "已满足", en: "Met", kind: "int" },
      { key: "unmet", zh: "未满足", en: "Unmet", kind: "int", colour: (r) => (r.unmet ? "warn" : null) },
      { key: "reasonLabel", zh: "原因", en: "Reason", kind: "text" },
      { key: "communityId", zh: "社区编号", en: "Community id", kind: "text" },
    ],
    rows: plan.unmet.map((u) => ({ ...u, id: u.communityId })),
    filename: `结对未满足需求-${label}`,
    sheet: "未满足需求",
  });
  const tableEl = h("div", { id: "gs-proposals-table" });
  root.append(h("details", {}, h("summary", {}, t("推荐清单（表格，可下载）", "Proposals as a table (downloadable)")), tableEl));
  ctx.table(tableEl, {
    columns: [
      { key: "unitOrgName", zh: "驻区单位党组织", en: "Unit's Party organisation", kind: "text" },
      { key: "communityName", zh: "社区", en: "Community", kind: "text" },
      { key: "cost", zh: "费用", en: "Cost", kind: "int" },
      { key: "livePairings", zh: "现有结对", en: "Live pairings", kind: "int" },
      { key: "capacity", zh: "结对容量", en: "Capacity", kind: "int" },
      { key: "reasonText", zh: "推荐理由", en: "Reasons", kind: "text" },
      { key: "unitOrgId", zh: "单位党组织编号", en: "Unit org id", kind: "text" },
      { key: "committeeId", zh: "社区党组织编号", en: "Community committee id", kind: "text" },
    ],
    rows: plan.proposals.nodes.map((p) => ({ ...p, id: proposalId(p), reasonText: p.reasons.map((r) => `${r.label}：${r.value}`).join("；") })),
    filename: `结对推荐-${label}`,
    sheet: "结对推荐",
  });
}

function proposal(ctx, p, state, confirmation) {
  const { h, t } = ctx;
  const errors = h("ul", { class: "gs-error gs-user-errors", role: "alert" });
  const button = ctx.canEdit
    ? h("button", { type: "button", class: "gs-button gs-primary gs-accept", onclick: () => accept(ctx, p, state, confirmation, button, errors) },
      t("接受并创建结对", "Accept: create the pairing"))
    : null;
  return h("article", { class: "gs-panel gs-proposal", dataset: { row: proposalId(p), unit: p.unitOrgId, committee: p.committeeId } },
    h("h3", {}, `${p.unitOrgName} → ${p.communityName}`),
    h("ul", { class: "gs-reasons" }, p.reasons.map((r) => h("li", { dataset: { code: r.code } }, `${r.label}：${r.value}`))),
    h("p", { class: "gs-note" }, t(
      `费用 ${p.cost}；该单位现有结对 ${p.livePairings} 个，容量 ${p.capacity}，本次推荐 ${p.proposedForUnit} 个。`,
      `Cost ${p.cost}; the unit has ${p.livePairings} live pairings of a capacity of ${p.capacity}, ${p.proposedForUnit} proposed now.`,
    )),
    button, errors,
  );
}

async function accept(ctx, p, state, confirmation, button, errors) {
  const { h, t } = ctx;
  button.disabled = true;
  errors.replaceChildren();
  let result;
  try {
    result = (await ctx.gql(ACCEPT, { input: { unitOrgId: p.unitOrgId, communityOrgId: p.committeeId } })).createPairing;
  } catch (error) {
    errors.append(h("li", {}, error.message));
    button.disabled = false;
    return;
  }
  if (result.errors.length) {
    for (const e of result.errors) {
      errors.append(h("li", { dataset: { field: e.field } }, `${e.field}：${e.message}`, e.value ? `（${e.value}）` : ""));
    }
    button.disabled = false;
    return;
  }
  const pairing = result.pairing;
  button.textContent = t("已接受", "Accepted");
  button.closest(".gs-proposal").classList.add("gs-accepted");
  state.accepted.push(pairing.domainId);
  const after = await ctx.gql(AFTER, { since: state.cursor, id: pairing.domainId });
  showAccepted(ctx, confirmation, p, pairing, after);
}

function showAccepted(ctx, panel, p, pairing, after) {
  const { h, t } = ctx;
  const when = (at) => String(at).replace("T", " ").slice(0, 19);
  const events = after.pairingChanges.events;
  panel.hidden = false;
  panel.dataset.pairing = pairing.domainId;
  panel.replaceChildren(
    h("h2", {}, t("已创建结对", "Pairing created")),
    h("p", {},
      t(`${pairing.unitOrganization.name} 与 ${pairing.communityOrganization.name} 结对，编号 `, `${pairing.unitOrganization.name} paired with ${pairing.communityOrganization.name}, id `),
      h("code", { class: "gs-pairing-id" }, pairing.domainId), "。 ",
      h("a", { href: `/console/network/${encodeURIComponent(p.communityId)}` }, t("查看该社区网络", "See the community's network")),
      " · ",
      h("a", { href: location.pathname + location.search }, t("重新计算推荐", "Recompute the proposals")),
    ),
    h("h3", {}, t("变更推送（本页打开以来的结对变更）", "Change feed (pairing changes since this page opened)")),
    h("ul", { id: "gs-accepted-feed" }, events.map((e) => h("li", { dataset: { entity: e.entityId, action: e.action } },
      `#${e.seq} ${when(e.at)} ${e.action} ${e.entityId}`))),
    h("h3", {}, t("审计日志", "Audit log")),
    h("ul", { id: "gs-accepted-audit" }, after.auditLog.nodes.map((e) => h("li", { dataset: { entity: e.entityId, action: e.action } },
      `#${e.seq} ${when(e.at)} ${e.action} ${e.entityType} ${e.entityId} · ${e.actor}`))),
  );
}
