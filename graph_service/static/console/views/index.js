// The console's views: one line per route. Helpers add their views here and nowhere else in the shell.
// path: the URL pattern (":name" a parameter, ":name?" an optional one); name: a stable id (tests, bench);
// view: loads the module (it exports `async function render(root, params, ctx)`); title: {zh, en};
// nav: shown in the header; example: a URL the bench opens, "{compound}" / "{community}" / "{organization}"
// standing for an id the bench looks up (README.md).
export const ROUTES = [
  { path: "/console", name: "home", view: () => import("./home.js"), title: { zh: "首页", en: "Home" }, nav: true, example: "/console" },
  { path: "/console/coverage/:areaId?", name: "coverage", view: () => import("./coverage.js"), title: { zh: "覆盖情况", en: "Coverage" }, nav: true, example: "/console/coverage" },
  { path: "/console/compound/:areaId", name: "compound", view: () => import("./compound.js"), title: { zh: "小区", en: "Compound" }, nav: false, example: "/console/compound/{compound}" },
  { path: "/console/weak/:areaId?", name: "weak", view: () => import("./weak.js"), title: { zh: "软弱涣散", en: "Weak organisations" }, nav: true, example: "/console/weak" },
  { path: "/console/network/:communityId", name: "network", view: () => import("./network.js"), title: { zh: "社区网络", en: "Community network" }, example: "/console/network/{community}" },
  { path: "/console/recommendations/:areaId?", name: "recommendations", view: () => import("./recommendations.js"), title: { zh: "结对推荐", en: "Pairing recommendations" }, nav: true, example: "/console/recommendations" },
  { path: "/console/ledger", name: "ledger", view: () => import("./ledger.js"), title: { zh: "双报到台账", en: "Check-in ledger" }, nav: true, example: "/console/ledger" },
];
