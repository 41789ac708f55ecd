// View 4: the network of one community (/console/network/:communityId) drawn with Cytoscape.js: its
// organisations and their parent links, the units paired with it (结对共建) and registered with it (双报到),
// the people holding cross-appointments (交叉任职) and the single points of failure (单点失效: people whose
// departure cuts organisations off), who stand out in red. Clicking a node shows its details.
// People's names only for roles that may read them: for the others the query does not even ask. At most two
// GraphQL requests: the community's network, then (roles reading names) the names of the single points of failure.
import { ROUTES } from "./index.js";
import { card } from "./controls.js";
import { breadcrumb } from "./parts.js";

const QUERY = `query ConsoleNetwork($c: String!, $cid: ID!, $personal: Boolean!, $analyses: Boolean!) {
  area(id: $c) {
    domainId name level { code label } chain { domainId name }
    ledBy { domainId name kind { code label } }
  }
  organizations(areaId: $c, first: 300) {
    totalCount
    nodes {
      domainId name kind { code label } unitType { label } parent { domainId }
      leads { domainId } locatedIn { domainId name } serves { domainId name }
    }
  }
  pairings(filter: { communityId: $c }, first: 200) {
    totalCount
    nodes {
      domainId active startDate projects
      unitOrganization { domainId name kind { code label } unitType { label } }
      communityOrganization { domainId name }
    }
  }
  registrations(filter: { communityId: $c }, first: 500) {
    totalCount
    nodes {
      domainId active registrantKind startDate
      organization { domainId name kind { code label } unitType { label } }
      member { domainId employment { label } name @include(if: $personal) }
      communityOrganization { domainId }
    }
  }
  crossAppointments(areaId: $c, first: 200) {
    totalCount
    nodes {
      mature compound { domainId name }
      person { domainId name @include(if: $personal) }
      branchMembership { post { label } organization { domainId } }
      ownersCommitteeMembership { post { label } organization { domainId } }
    }
  }
  singlePointsOfFailure(areaId: $cid, first: 100) @include(if: $analyses) {
    totalCount
    nodes { personId componentSize separatedSize posts { orgId orgKind postLabel } cutFrom { id name kindLabel } }
  }
}`;

const COLOURS = {
  community_committee: "#c0392b",
  street_committee: "#922b21",
  compound_branch: "#d35400",
  joint_branch: "#d35400",
  building_group: "#e59866",
  owners_committee: "#2471a3",
  property_company: "#5d6d7e",
  service_station: "#7d3c98",
  unit_party_org: "#1e8449",
  unit: "#52be80",
};

const STYLE = [
  { selector: "node", style: {
    label: "data(label)", "font-size": 10, "text-wrap": "ellipsis", "text-max-width": 120,
    "background-color": "data(colour)", width: 18, height: 18, color: "#1c2833", "text-valign": "bottom",
  } },
  { selector: "node.person", style: { shape: "diamond", "background-color": "#566573" } },
  { selector: "node.member", style: { shape: "diamond", "background-color": "#82e0aa", width: 12, height: 12 } },
  { selector: "node.spof", style: {
    "background-color": "#e74c3c", width: 30, height: 30, "border-width": 4, "border-color": "#78281f",
    "font-weight": "bold", color: "#78281f",
  } },
  { selector: "node.cut", style: { "border-width": 3, "border-color": "#e74c3c" } },
  { selector: "node:selected", style: { "overlay-opacity": 0.25, "overlay-color": "#f1c40f" } },
  { selector: "edge", style: { width: 1.5, "line-color": "#aab7b8", "curve-style": "bezier", "font-size": 8 } },
  { selector: "edge.place", style: { "line-style": "dotted", "line-color": "#ccd1d1" } },
  { selector: "edge.pairing", style: { "line-color": "#2e86c1", width: 3, label: "data(label)" } },
  { selector: "edge.registration", style: { "line-color": "#28b463", "line-style": "dashed", width: 2 } },
  { selector: "edge.post", style: { "line-color": "#616a6b", label: "data(label)" } },
  { selector: "edge.spof-post", style: { "line-color": "#e74c3c", width: 3 } },
];

function routeFor(name) {
  return ROUTES.find((r) => r.name === name) || null;
}

// A console link to one thing, when a view for it exists: an organisation's weakness, a compound's page.
function linkTo(ctx, kind, id) {
  if (kind === "organization" && ctx.canReadAnalyses && routeFor("weak")) return `/console/weak?org=${encodeURIComponent(id)}`;
  const route = kind === "compound" ? routeFor("compound") : null;
  return route ? route.path.replace(/:\w+\??$/, encodeURIComponent(id)) : null;
}

export async function render(root, params, ctx) {
  const { h, t } = ctx;
  const communityId = params.communityId;
  const data = await ctx.gql(QUERY, {
    c: communityId, cid: communityId, personal: !!ctx.canReadPersonal, analyses: !!ctx.canReadAnalyses,
  });
  const area = data.area;
  if (!area) throw new Error(t(`没有这个区域：${communityId}`, `No such area: ${communityId}`));
  if (area.level.code !== "COMMUNITY") {
    throw new Error(t(`此页面显示一个社区的网络；${area.name}是${area.level.label}`, `This page shows a community's network; ${area.name} is a ${area.level.label}`));
  }
  const spofs = data.singlePointsOfFailure ? data.singlePointsOfFailure.nodes : [];
  const names = new Map();
  if (ctx.canReadPersonal) {
    for (const c of data.crossAppointments.nodes) names.set(c.person.domainId, c.person.name);
    const unnamed = spofs.map((s) => s.personId).filter((id) => !names.has(id));
    if (unnamed.length) {
      const aliases = unnamed.map((_, i) => `p${i}: person(id: $p${i}) { domainId name }`).join(" ");
      const vars = unnamed.map((_, i) => `$p${i}: String!`).join(", ");
      const found = await ctx.gql(`query ConsoleNetworkNames(${vars}) { ${aliases} }`,
        Object.fromEntries(unnamed.map((id, i) => [`p${i}`, id])));
      for (const person of Object.values(found)) if (person) names.set(person.domainId, person.name);
    }
  }

  const nodes = new Map();
  const edges = [];
  const addNode = (id, data, classes = "") => {
    if (!nodes.has(id)) nodes.set(id, { data: { id, ...data }, classes });
    else if (classes) nodes.get(id).classes += " " + classes;
    return nodes.get(id);
  };
  const orgNode = (o, extra = {}) => addNode(o.domainId, {
    type: "organization", label: o.name, colour: COLOURS[o.kind.code.toLowerCase()] || "#95a5a6", kind: o.kind.label,
    unitType: o.unitType ? o.unitType.label : null, ...extra,
  });
  const personLabel = (id, role) => (ctx.canReadPersonal && names.get(id) ? names.get(id) : `${role} · ${id}`);

  for (const o of area.ledBy) orgNode(o);
  for (const o of data.organizations.nodes) orgNode(o);
  // Each organisation hangs on its parent; one without (an owners' committee, a service station) on the
  // organisation leading the compound it sits in or serves, else on the community's committee.
  const leader = new Map();
  for (const o of [...area.ledBy, ...data.organizations.nodes]) for (const a of o.leads || []) if (!leader.has(a.domainId)) leader.set(a.domainId, o.domainId);
  const top = area.ledBy.length ? area.ledBy[0].domainId : null;
  for (const o of data.organizations.nodes) {
    if (o.parent && nodes.has(o.parent.domainId)) {
      edges.push({ data: { id: `sub:${o.domainId}`, source: o.domainId, target: o.parent.domainId }, classes: "sub" });
      continue;
    }
    const place = o.locatedIn || (o.serves && o.serves[0]) || null;
    const anchor = (place && leader.get(place.domainId)) || top;
    if (place) nodes.get(o.domainId).data.place = place.name;
    if (anchor && anchor !== o.domainId && nodes.has(anchor)) {
      edges.push({ data: { id: `at:${o.domainId}`, source: o.domainId, target: anchor }, classes: "place" });
    }
  }
  const pairings = data.pairings.nodes.filter((p) => p.active);
  for (const p of pairings) {
    if (!p.unitOrganization || !p.communityOrganization) continue;
    orgNode(p.unitOrganization, { outside: true });
    addNode(p.communityOrganization.domainId, { type: "organization", label: p.communityOrganization.name, colour: COLOURS.community_committee });
    edges.push({ data: { id: `pair:${p.domainId}`, source: p.unitOrganization.domainId, target: p.communityOrganization.domainId, label: t("结对", "paired"), projects: p.projects.join("、"), startDate: p.startDate }, classes: "pairing" });
  }
  const registrations = data.registrations.nodes.filter((r) => r.active);
  for (const r of registrations) {
    if (!r.communityOrganization) continue;
    let source;
    if (r.organization) {
      source = r.organization.domainId;
      orgNode(r.organization, { outside: true });
    } else if (r.member) {
      source = r.member.domainId;
      const role = r.member.employment ? `${t("报到党员", "Registered member")}（${r.member.employment.label}）` : t("报到党员", "Registered member");
      addNode(source, { type: "person", label: ctx.canReadPersonal && r.member.name ? r.member.name : `${t("报到党员", "Member")} · ${source}`, role }, "member");
    } else continue;
    addNode(r.communityOrganization.domainId, { type: "organization", label: r.communityOrganization.domainId, colour: COLOURS.community_committee });
    edges.push({ data: { id: `reg:${r.domainId}`, source, target: r.communityOrganization.domainId, startDate: r.startDate }, classes: "registration" });
  }
  for (const c of data.crossAppointments.nodes) {
    const pid = c.person.domainId;
    const role = `${c.branchMembership.post.label}+${c.ownersCommitteeMembership.post.label}`;
    addNode(pid, { type: "person", label: personLabel(pid, role), role, compound: c.compound.name, compoundId: c.compound.domainId }, "person cross");
    for (const m of [c.branchMembership, c.ownersCommitteeMembership]) {
      if (m.organization && nodes.has(m.organization.domainId)) {
        edges.push({ data: { id: `post:${pid}:${m.organization.domainId}`, source: pid, target: m.organization.domainId, label: m.post.label }, classes: "post" });
      }
    }
  }
  for (const s of spofs) {
    const role = s.posts.map((p) => p.postLabel).join("、");
    const node = addNode(s.personId, { type: "person", label: personLabel(s.personId, role), role }, "person spof");
    Object.assign(node.data, { spof: true, separatedSize: s.separatedSize, cutFrom: s.cutFrom.map((o) => `${o.name}（${o.kindLabel}）`).join("、") });
    for (const p of s.posts) {
      if (!nodes.has(p.orgId)) continue;
      const id = `post:${s.personId}:${p.orgId}`;
      const existing = edges.find((e) => e.data.id === id);
      if (existing) existing.classes += " spof-post";
      else edges.push({ data: { id, source: s.personId, target: p.orgId, label: p.postLabel }, classes: "post spof-post" });
    }
    for (const o of s.cutFrom) if (nodes.has(o.id)) nodes.get(o.id).classes += " cut";
  }

  // The page: the place, the counts (the API's totals), the graph beside the clicked node's details.
  root.replaceChildren(
    breadcrumb(ctx, area.chain, area.name),
    h("h1", {}, t(`${area.name} · 组织网络`, `${area.name} · network`)),
  );
  root.append(h("div", { class: "gs-cards" },
    card(ctx, "organizations", "组织", "Organisations", data.organizations.totalCount),
    card(ctx, "pairings", "在期结对", "Live pairings", pairings.length, "gs-good"),
    card(ctx, "registrations", "在期报到", "Live check-ins", registrations.length, "gs-good"),
    card(ctx, "crossAppointments", "交叉任职", "Cross-appointments", data.crossAppointments.totalCount),
    data.singlePointsOfFailure ? card(ctx, "singlePointsOfFailure", "单点失效人员", "Single points of failure", data.singlePointsOfFailure.totalCount, "gs-bad") : null,
  ));
  const notes = [];
  if (!ctx.canReadPersonal) notes.push(t("您的角色不能查看个人信息：人员只显示职务和编号。", "Your role may not read personal data: people show their posts and ids only."));
  if (!ctx.canReadAnalyses) notes.push(t("单点失效分析只有分析人员可以查看。", "Single points of failure are shown to analysts only."));
  for (const note of notes) root.append(h("p", { class: "gs-note" }, note));
  root.append(h("div", { class: "gs-legend" },
    h("span", { class: "gs-bad" }, t("单点失效人员（红色菱形）", "Single point of failure (red diamond)")),
    h("span", { class: "gs-good" }, t("结对单位（蓝线）、报到（绿色虚线）", "Paired unit (blue), check-in (green dashed)")),
    h("span", {}, t("交叉任职人员（灰色菱形）", "Cross-appointed person (grey diamond)")),
  ));
  const graphEl = h("div", { class: "gs-graph", id: "gs-network-graph" });
  const info = h("section", { class: "gs-panel", id: "gs-network-detail", "aria-live": "polite" },
    h("p", { class: "gs-note" }, t("点击图中的节点查看详情。", "Click a node to see its details.")));
  root.append(h("div", { class: "gs-split" }, graphEl, info));

  const elements = [...nodes.values(), ...edges];
  const graph = ctx.graph(graphEl, {
    elements,
    style: STYLE,
    layout: { name: "cose", animate: false, randomize: false, nodeRepulsion: 12000, idealEdgeLength: 70 },
  });
  graphEl.dataset.nodes = String(graph.nodes().length);
  graphEl.dataset.spof = graph.nodes(".spof").map((n) => n.id()).join(" ");
  graph.on("tap", "node", (event) => showNode(ctx, info, event.target.data()));
  // Tests and keyboard users: the same details by id (window.__consoleNetworkSelect("id")), and the labels
  // drawn on the canvas (window.__consoleNetworkLabels()), which no text search of the page can see.
  window.__consoleNetworkLabels = () => graph.nodes().map((n) => String(n.data("label")));
  window.__consoleNetworkPosition = (id) => {
    const node = graph.getElementById(id);
    if (node.empty()) return null;
    const at = node.renderedPosition();
    const box = graphEl.getBoundingClientRect();
    return { x: box.x + at.x, y: box.y + at.y };
  };
  window.__consoleNetworkSelect = (id) => {
    const node = graph.getElementById(id);
    if (node.nonempty()) {
      graph.elements().unselect();
      node.select();
      showNode(ctx, info, node.data());
    }
  };
}

function showNode(ctx, info, d) {
  const { h, t } = ctx;
  const rows = [];
  const row = (zh, en, value) => (value === null || value === undefined || value === "" ? null : rows.push(h("tr", {}, h("th", {}, t(zh, en)), h("td", {}, String(value)))));
  row("编号", "Id", d.id);
  if (d.type === "organization") {
    row("名称", "Name", d.label);
    row("类型", "Kind", d.kind);
    row("单位类型", "Unit type", d.unitType);
    row("所在小区", "Compound", d.place);
    if (d.outside) row("位置", "Where", t("社区外的驻区单位", "A unit outside the community"));
  } else {
    if (ctx.canReadPersonal) row("姓名", "Name", d.label);
    row("职务", "Posts", d.role);
    row("小区", "Compound", d.compound);
    if (d.spof) {
      row("单点失效", "Single point of failure", t("是：此人离开后，部分组织与网络断开", "yes: when this person leaves, organisations are cut off"));
      row("断开的节点数", "Nodes cut off", d.separatedSize);
      row("受影响组织", "Organisations affected", d.cutFrom);
    }
  }
  const link = d.type === "organization" ? linkTo(ctx, "organization", d.id) : d.compoundId ? linkTo(ctx, "compound", d.compoundId) : null;
  const parts = [
    h("h2", {}, d.type === "organization" ? d.label : d.spof ? t("单点失效人员", "Single point of failure") : t("人员", "Person")),
    h("table", { class: "gs-table gs-node-detail", dataset: { node: d.id } }, h("tbody", {}, rows)),
  ];
  if (link) parts.push(h("p", {}, h("a", { href: link }, d.type === "organization" ? t("查看软弱涣散分析", "See its weakness analysis") : t("查看小区", "See the compound"))));
  info.replaceChildren(...parts);
}
