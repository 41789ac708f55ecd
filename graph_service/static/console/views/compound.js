// View 2, a compound (/console/compound/:areaId): its chain from the street Party working committee down to the
// building Party groups and central households (a Cytoscape tree), its buildings with and without a group or a
// leader, its coverage gaps with the numbers behind each, its owners' committee and cross-appointments, and its
// community's pairings and dual check-ins. People's names are asked for only when the role may read them.
// Requests: the compound in one document, and in parallel, for roles that may read analyses, its score and
// factors: at most 2.
import { againstMinimum, figureName, gapName } from "./labels.js";
import { breadcrumb, formatFigure } from "./parts.js";

const ORG = "domainId name kind { code label }";
const POSTS = `memberships(first: 100) { nodes { domainId post { code label } person { domainId name @include(if: $personal) } } }`;
const COMPOUND = `query ConsoleCompound($id: String!, $personal: Boolean!) {
  area(id: $id) {
    domainId name households level { code label } compoundKind { code label }
    chain { domainId name level { code label } }
    ledBy { ${ORG} hasPlaque fiveHaves { code label } chain { ${ORG} } ${POSTS} }
    organizationsLocated { ${ORG} hasPlaque fiveHaves { code label } ${POSTS} }
    servedBy { ${ORG} }
    propertyManagement { active mode { code label } feeCollectionRate company { ${ORG} } }
    sunkStaff { active role { code label } person { domainId name @include(if: $personal) } }
    children(first: 500) { totalCount nodes { domainId name households level { code } } }
    parent {
      domainId name
      ledBy {
        ${ORG}
        pairings { domainId active startDate endDate projects unitOrganization { ${ORG} unitType { code label } } }
        registrations { domainId active startDate registrantKind organization { ${ORG} } member { domainId name @include(if: $personal) } }
      }
    }
  }
  coverage(areaId: $id) { figures { code label value minimum } gaps { code label compounds } }
  groups: organizations(kind: BUILDING_GROUP, areaId: $id, first: 500) { nodes { ${ORG} parent { domainId } covers { domainId } } }
  households: organizations(kind: CENTRAL_HOUSEHOLD, areaId: $id, first: 500) {
    nodes { ${ORG} householdsServed parent { domainId } locatedIn { domainId } }
  }
  leaders: people(filter: { post: BUILDING_LEADER, areaId: $id }, first: 500) {
    nodes { domainId name @include(if: $personal) residesIn { domainId } }
  }
  crossAppointments(areaId: $id, first: 100) {
    nodes { mature person { domainId name @include(if: $personal) } branchMembership { post { label } } ownersCommitteeMembership { post { label } } }
  }
}`;
const SCORE = `query ConsoleCompoundScore($id: ID!) {
  underCoveredCompounds(areaId: $id, first: 1) {
    nodes { compoundId score underCovered priority factors { code label value threshold weight fired detail } }
  }
}`;

const KIND = {
  STREET_COMMITTEE: { colour: "#b71c1c", zh: "街道党工委", en: "Street committee" },
  COMMUNITY_COMMITTEE: { colour: "#d84315", zh: "社区党委", en: "Community committee" },
  COMPOUND_BRANCH: { colour: "#ef6c00", zh: "小区党支部", en: "Compound branch" },
  BUILDING_GROUP: { colour: "#f9a825", zh: "楼栋党小组", en: "Building group" },
  CENTRAL_HOUSEHOLD: { colour: "#7cb342", zh: "党员中心户", en: "Central household" },
};

function orgOf(list, kind) {
  return list.filter((o) => o.kind.code === kind);
}

// A person as the role may see them: the name, or the post alone.
function who(ctx, person, post) {
  if (ctx.canReadPersonal && person && person.name) return post ? `${person.name}（${post}）` : person.name;
  return post || ctx.t("（姓名不显示）", "(name hidden)");
}

function chainElements(ctx, area, branch, groups, households) {
  const { t } = ctx;
  const nodes = [];
  const edges = [];
  const add = (id, label, kind, extra = {}) => nodes.push({ data: { id, label, kind, colour: (KIND[kind] || {}).colour || "#607d8b", ...extra } });
  const link = (source, target) => edges.push({ data: { id: `${source}->${target}`, source, target } });
  let top = null;
  if (branch) {
    const upper = [...branch.chain].reverse().filter((o) => KIND[o.kind.code]); // street committee first
    for (const org of upper) {
      add(org.domainId, org.name, org.kind.code);
      if (top) link(top, org.domainId);
      top = org.domainId;
    }
    add(branch.domainId, branch.name, branch.kind.code);
    if (top) link(top, branch.domainId);
    top = branch.domainId;
  } else {
    add("missing-branch", t("（无小区党支部）", "(no compound branch)"), "MISSING", { missing: 1 });
    top = "missing-branch";
  }
  const known = new Set(nodes.map((n) => n.data.id));
  for (const group of groups) {
    add(group.domainId, group.name, group.kind.code);
    link(group.parent && known.has(group.parent.domainId) ? group.parent.domainId : top, group.domainId);
  }
  const groupIds = new Set(groups.map((g) => g.domainId));
  for (const home of households) {
    add(home.domainId, home.name, home.kind.code);
    link(home.parent && groupIds.has(home.parent.domainId) ? home.parent.domainId : top, home.domainId);
  }
  return [...nodes, ...edges];
}

function drawChain(ctx, el, elements, root) {
  return ctx.graph(el, {
    elements,
    layout: { name: "breadthfirst", directed: true, roots: [root], spacingFactor: 0.9, animate: false },
    wheelSensitivity: 0.3,
    style: [
      { selector: "node", style: {
        "background-color": "data(colour)", label: "data(label)", "font-size": 10, "text-wrap": "wrap", "text-max-width": 90,
        "text-valign": "bottom", "text-margin-y": 3, width: 16, height: 16, color: "#1f2933",
      } },
      { selector: "node[kind = 'STREET_COMMITTEE'], node[kind = 'COMMUNITY_COMMITTEE'], node[kind = 'COMPOUND_BRANCH']", style: { width: 26, height: 26, "font-size": 12, "font-weight": "bold" } },
      // Central households are many: named when tapped (below the diagram), not all at once.
      { selector: "node[kind = 'CENTRAL_HOUSEHOLD']", style: { label: "", width: 12, height: 12 } },
      { selector: "node:selected", style: { "border-width": 3, "border-color": "#0b57d0" } },
      { selector: "node[missing = 1]", style: { "background-color": "#fff", "border-width": 2, "border-style": "dashed", "border-color": "#b3261e", color: "#b3261e" } },
      { selector: "edge", style: { width: 1.5, "line-color": "#9aa5b1", "target-arrow-shape": "triangle", "target-arrow-color": "#9aa5b1", "curve-style": "bezier", "arrow-scale": 0.7 } },
    ],
  });
}

// The numbers behind each gap, from what this page has read (docs/console.md lists them).
function numbersBehind(ctx, code, facts) {
  const { t } = ctx;
  switch (code) {
    case "no_branch": return t(`小区党支部 ${facts.branches} 个`, `${facts.branches} compound branch(es)`);
    case "no_owners_committee": return t(`业委会 ${facts.ownersCommittees} 个`, `${facts.ownersCommittees} owners' committee(s)`);
    case "no_cross_appointment": return t(`交叉任职 ${facts.cross} 人`, `${facts.cross} cross-appointed`);
    case "buildings_without_group": return t(`${facts.buildings} 栋中 ${facts.withoutGroup} 栋无党小组`, `${facts.withoutGroup} of ${facts.buildings} buildings without a group`);
    case "buildings_without_leader": return t(`${facts.buildings} 栋中 ${facts.withoutLeader} 栋无楼长`, `${facts.withoutLeader} of ${facts.buildings} buildings without a leader`);
    case "few_central_households": return t(`党员中心户 ${facts.households} 户 / ${facts.homes ?? "—"} 户`, `${facts.households} central households / ${facts.homes ?? "—"} households`);
    case "no_station": return t(`服务站 ${facts.stations} 个`, `${facts.stations} station(s)`);
    case "no_property_management": return t(`在管物业 ${facts.property} 家`, `${facts.property} property manager(s)`);
    case "no_sunk_staff": return t(`下沉人员 ${facts.sunk} 人`, `${facts.sunk} sunk staff`);
    case "no_pairing": return t(`社区结对 ${facts.pairings} 个`, `${facts.pairings} community pairing(s)`);
    case "no_registered_members": return t(`在职党员报到 ${facts.members} 人`, `${facts.members} in-service member(s) checked in`);
    case "five_haves_missing": return facts.fiveHaves;
    default: return "";
  }
}

function fiveHavesText(ctx, orgs) {
  if (!orgs.length) return ctx.t("无党支部或业委会", "no branch or owners' committee");
  return orgs.map((o) => `${o.name}：${o.hasPlaque ? ctx.t("已挂牌", "plaque") : ctx.t("未挂牌", "no plaque")}，${ctx.t("五有", "five haves")} ${o.fiveHaves.length}/5`).join("；");
}

export async function render(root, params, ctx) {
  const { h, t } = ctx;
  const id = params.areaId;
  const scoreAnswer = ctx.canReadAnalyses ? ctx.gql(SCORE, { id }) : Promise.resolve(null);
  const [data, scoreData] = await Promise.all([ctx.gql(COMPOUND, { id, personal: ctx.canReadPersonal }), scoreAnswer]);
  const area = data.area;
  if (!area) throw new Error(t(`没有这个小区：${id}`, `No compound ${id}`));
  if (area.level.code !== "COMPOUND") throw new Error(t(`${area.name} 不是小区`, `${area.name} is not a compound`));

  const branch = orgOf(area.ledBy, "COMPOUND_BRANCH")[0] || null;
  const ownersCommittees = orgOf(area.organizationsLocated, "OWNERS_COMMITTEE");
  const groups = data.groups.nodes;
  const households = data.households.nodes;
  const leaders = data.leaders.nodes;
  const buildings = area.children.nodes.filter((b) => b.level.code === "BUILDING");
  const groupsOf = new Map();
  for (const g of groups) for (const b of g.covers) groupsOf.set(b.domainId, [...(groupsOf.get(b.domainId) || []), g]);
  const leadersOf = new Map();
  for (const p of leaders) if (p.residesIn) leadersOf.set(p.residesIn.domainId, [...(leadersOf.get(p.residesIn.domainId) || []), p]);
  const householdsIn = new Map();
  for (const c of households) if (c.locatedIn) householdsIn.set(c.locatedIn.domainId, (householdsIn.get(c.locatedIn.domainId) || 0) + 1);
  const buildingRows = buildings.map((b) => ({
    id: b.domainId,
    name: b.name,
    households: b.households,
    groups: (groupsOf.get(b.domainId) || []).length,
    groupNames: (groupsOf.get(b.domainId) || []).map((g) => g.name).join("、"),
    leaders: (leadersOf.get(b.domainId) || []).length,
    leaderNames: (leadersOf.get(b.domainId) || []).map((p) => who(ctx, p, "")).join("、"),
    centralHouseholds: householdsIn.get(b.domainId) || 0,
  }));
  const community = area.parent;
  const committee = community ? orgOf(community.ledBy, "COMMUNITY_COMMITTEE")[0] || null : null;
  const pairings = committee ? committee.pairings : [];
  const registrations = committee ? committee.registrations : [];
  const cross = data.crossAppointments.nodes;
  const facts = {
    branches: branch ? 1 : 0,
    ownersCommittees: ownersCommittees.length,
    cross: cross.length,
    buildings: buildingRows.length,
    withoutGroup: buildingRows.filter((r) => !r.groups).length,
    withoutLeader: buildingRows.filter((r) => !r.leaders).length,
    households: households.length,
    homes: area.households,
    stations: orgOf(area.servedBy, "SERVICE_STATION").length,
    property: area.propertyManagement.filter((m) => m.active).length,
    sunk: area.sunkStaff.filter((s) => s.active).length,
    pairings: pairings.filter((p) => p.active).length,
    members: registrations.filter((r) => r.active && r.registrantKind === "MEMBER").length,
    fiveHaves: fiveHavesText(ctx, [branch, ...ownersCommittees].filter(Boolean)),
  };
  const scored = scoreData && scoreData.underCoveredCompounds.nodes.find((n) => n.compoundId === area.domainId);
  const factors = new Map(((scored && scored.factors) || []).map((f) => [f.code, f]));

  const chainEl = h("div", { class: "gs-graph", id: "gs-chain", role: "img", "aria-label": t("组织链条图", "Chain diagram") });
  const chainInfo = h("p", { class: "gs-note", id: "gs-chain-info", role: "status" }, t("点击图中的组织查看名称。", "Click an organisation to see its name."));
  const legend = h("div", { class: "gs-legend gs-kinds" }, Object.values(KIND).map((k) => h("span", { style: `--kind: ${k.colour}` }, t(k.zh, k.en))));
  const buildingsEl = h("div", { id: "gs-buildings" });
  const gapsEl = h("div", { id: "gs-compound-gaps" });
  const figuresEl = h("div", { id: "gs-compound-figures" });
  const ocEl = h("div", { id: "gs-owners" });
  const crossEl = h("div", { id: "gs-cross" });
  const pairingsEl = h("div", { id: "gs-pairings" });
  const registrationsEl = h("div", { id: "gs-registrations" });
  const kindLabel = area.compoundKind ? t(area.compoundKind.label, area.compoundKind.code.toLowerCase()) : "";

  root.replaceChildren(
    breadcrumb(ctx, area.chain, area.name),
    h("h1", {}, `${area.name}${kindLabel ? ` · ${kindLabel}` : ""}`),
    h("div", { class: "gs-cards" },
      card(ctx, t("户数", "Households"), area.households),
      card(ctx, t("楼栋", "Buildings"), facts.buildings),
      card(ctx, t("楼栋党小组", "Building groups"), groups.length),
      card(ctx, t("无党小组楼栋", "Buildings without a group"), facts.withoutGroup, facts.withoutGroup ? "warn" : "good"),
      card(ctx, t("无楼长楼栋", "Buildings without a leader"), facts.withoutLeader, facts.withoutLeader ? "warn" : "good"),
      card(ctx, t("党员中心户", "Central households"), households.length),
      scored ? card(ctx, t("覆盖得分", "Coverage score"), scored.score, scored.priority ? "bad" : "warn")
        : ctx.canReadAnalyses ? card(ctx, t("覆盖得分", "Coverage score"), 100, "good") : null,
    ),
    h("section", {},
      h("h2", {}, t("组织链条：街道党工委 → 社区党委 → 小区党支部 → 楼栋党小组 → 党员中心户", "Chain: street committee → community committee → compound branch → building groups → central households")),
      legend, chainEl, chainInfo),
    h("div", { class: "gs-split" },
      h("section", {}, h("h2", {}, t("覆盖缺口及依据", "Coverage gaps and the numbers behind them")), gapsEl),
      h("section", {}, h("h2", {}, t("本小区指标", "Figures")), figuresEl),
    ),
    h("section", {}, h("h2", {}, t("楼栋", "Buildings")), buildingsEl),
    h("div", { class: "gs-split" },
      h("section", {}, h("h2", {}, t("业委会与党支部", "Owners' committee and branch")), ocEl),
      h("section", {}, h("h2", {}, t("交叉任职", "Cross-appointments")), crossEl),
    ),
    h("section", {}, h("h2", {}, t(`所在社区的结对共建${community ? `（${community.name}）` : ""}`, `Pairings of its community${community ? ` (${community.name})` : ""}`)), pairingsEl),
    h("section", {}, h("h2", {}, t("所在社区的双报到", "Dual check-ins with its community")), registrationsEl),
  );

  const gapRows = data.coverage.gaps.map((g) => {
    const factor = factors.get(g.code);
    return {
      id: g.code, code: g.code, label: g.label, present: g.compounds > 0, compounds: g.compounds,
      numbers: numbersBehind(ctx, g.code, facts),
      value: factor ? factor.value : null, threshold: factor ? factor.threshold : null, weight: factor ? factor.weight : null,
      detail: factor ? factor.detail : null,
    };
  });
  const gapColumns = [
    { key: "name", zh: "缺口", en: "Gap", kind: "text", value: (row) => gapName(row, t) },
    { key: "compounds", zh: "存在", en: "Present", kind: "int", format: (v) => (v ? t("是", "yes") : t("否", "no")), colour: (row) => (row.present ? "bad" : "good") },
    { key: "numbers", zh: "依据", en: "Numbers behind it", kind: "text" },
  ];
  if (ctx.canReadAnalyses) {
    gapColumns.push(
      { key: "value", zh: "测量值", en: "Value", kind: "text" },
      { key: "threshold", zh: "阈值", en: "Threshold", kind: "text" },
      { key: "weight", zh: "扣分权重", en: "Weight", kind: "float" },
      { key: "detail", zh: "说明", en: "Detail", kind: "text" },
    );
  }
  ctx.table(gapsEl, { columns: gapColumns, rows: gapRows, sort: { key: "compounds", dir: "desc" }, filename: `${t("覆盖缺口", "gaps")}-${area.name}` });

  ctx.table(figuresEl, {
    columns: [
      { key: "name", zh: "指标", en: "Figure", kind: "text", value: (row) => figureName(row, t) },
      { key: "value", zh: "数值", en: "Value", kind: "float", format: (v, row) => formatFigure(ctx, v, row.code), colour: (row) => againstMinimum(row.value, row.minimum) },
    ],
    rows: data.coverage.figures.filter((f) => f.value !== null).map((f) => ({ id: f.code, ...f })),
    filename: `${t("小区指标", "figures")}-${area.name}`,
  });

  const buildingColumns = [
    { key: "name", zh: "楼栋", en: "Building", kind: "text" },
    { key: "households", zh: "户数", en: "Households", kind: "int" },
    { key: "groups", zh: "党小组", en: "Party groups", kind: "int", colour: (row) => (row.groups ? "good" : "bad") },
    { key: "groupNames", zh: "党小组名称", en: "Group", kind: "text" },
    { key: "leaders", zh: "楼长", en: "Leaders", kind: "int", colour: (row) => (row.leaders ? "good" : "bad") },
  ];
  if (ctx.canReadPersonal) buildingColumns.push({ key: "leaderNames", zh: "楼长姓名", en: "Leader", kind: "text" });
  buildingColumns.push({ key: "centralHouseholds", zh: "党员中心户", en: "Central households", kind: "int" });
  ctx.table(buildingsEl, { columns: buildingColumns, rows: buildingRows, sort: { key: "name", dir: "asc" }, filename: `${t("楼栋", "buildings")}-${area.name}` });

  const officeRows = [branch, ...ownersCommittees].filter(Boolean).map((o) => ({
    id: o.domainId,
    name: o.name,
    kind: t(o.kind.label, o.kind.code.toLowerCase()),
    plaque: o.hasPlaque,
    fiveHaves: o.fiveHaves.length,
    posts: o.memberships.nodes.filter((m) => m.post.code !== "MEMBER").map((m) => who(ctx, m.person, t(m.post.label, m.post.code.toLowerCase()))).join("、"),
  }));
  ctx.table(ocEl, {
    columns: [
      { key: "name", zh: "组织", en: "Organisation", kind: "text" },
      { key: "kind", zh: "类型", en: "Kind", kind: "text" },
      { key: "plaque", zh: "挂牌", en: "Plaque", kind: "bool", colour: (row) => (row.plaque ? "good" : "bad") },
      { key: "fiveHaves", zh: "“五有”项数", en: "Five haves met", kind: "int", colour: (row) => (row.fiveHaves >= 5 ? "good" : "warn") },
      { key: "posts", zh: "职务", en: "Posts", kind: "text" },
    ],
    rows: officeRows,
    filename: `${t("业委会与党支部", "committees")}-${area.name}`,
  });

  ctx.table(crossEl, {
    columns: [
      { key: "person", zh: "人员", en: "Person", kind: "text" },
      { key: "branchPost", zh: "党支部职务", en: "Branch post", kind: "text" },
      { key: "ocPost", zh: "业委会职务", en: "OC post", kind: "text" },
      { key: "mature", zh: "书记兼主任", en: "Secretary is director", kind: "bool" },
    ],
    rows: cross.map((c, i) => ({
      id: c.person.domainId || String(i),
      person: who(ctx, c.person, ""),
      branchPost: c.branchMembership.post.label,
      ocPost: c.ownersCommitteeMembership.post.label,
      mature: c.mature,
    })),
    filename: `${t("交叉任职", "cross-appointments")}-${area.name}`,
  });

  ctx.table(pairingsEl, {
    columns: [
      { key: "unit", zh: "结对单位党组织", en: "Unit's Party organisation", kind: "text" },
      { key: "unitType", zh: "单位类型", en: "Unit type", kind: "text" },
      { key: "startDate", zh: "开始日期", en: "Start", kind: "text" },
      { key: "active", zh: "有效", en: "In force", kind: "bool", colour: (row) => (row.active ? "good" : null) },
      { key: "projects", zh: "共建项目", en: "Projects", kind: "text" },
    ],
    rows: pairings.map((p) => ({
      id: p.domainId,
      unit: p.unitOrganization ? p.unitOrganization.name : "—",
      unitType: p.unitOrganization && p.unitOrganization.unitType ? t(p.unitOrganization.unitType.label, p.unitOrganization.unitType.code.toLowerCase()) : null,
      startDate: p.startDate,
      active: p.active,
      projects: p.projects.join("、"),
    })),
    sort: { key: "startDate", dir: "desc" },
    filename: `${t("结对共建", "pairings")}-${community ? community.name : area.name}`,
  });

  ctx.table(registrationsEl, {
    columns: [
      { key: "kind", zh: "报到类型", en: "Kind", kind: "text" },
      { key: "registrant", zh: "报到单位/党员", en: "Unit or member", kind: "text" },
      { key: "startDate", zh: "报到日期", en: "Registered", kind: "text" },
      { key: "active", zh: "有效", en: "In force", kind: "bool", colour: (row) => (row.active ? "good" : null) },
    ],
    rows: registrations.map((r) => ({
      id: r.domainId,
      kind: r.registrantKind === "UNIT" ? t("单位", "unit") : t("在职党员", "member"),
      registrant: r.organization ? r.organization.name : who(ctx, r.member, t("党员", "member")),
      startDate: r.startDate,
      active: r.active,
    })),
    sort: { key: "startDate", dir: "desc" },
    filename: `${t("双报到", "check-ins")}-${community ? community.name : area.name}`,
  });

  const elements = chainElements(ctx, area, branch, groups, households);
  const rootId = elements.find((e) => e.data && !e.data.source).data.id;
  const graph = drawChain(ctx, chainEl, elements, rootId);
  graph.on("tap", "node", (event) => {
    const node = event.target;
    const kind = KIND[node.data("kind")];
    chainInfo.textContent = `${kind ? t(kind.zh, kind.en) : ""}：${node.data("label")}`;
  });
}

function card(ctx, label, value, tone) {
  return ctx.h("div", { class: `gs-card${tone ? ` gs-${tone}` : ""}` },
    ctx.h("div", { class: "gs-card-label" }, label),
    ctx.h("div", { class: "gs-card-value" }, value === null || value === undefined ? "—" : String(value)));
}
