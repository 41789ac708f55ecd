// The console's views: one line per route. Helpers add their views here and nowhere else in the shell.
// path: the URL pattern (":name" a parameter, ":name?" an optional one); name: a stable id (tests, bench);
// view: loads the module (it exports `async function render(root, params, ctx)`); title: {zh, en};
// nav: shown in the header; example: a URL the bench opens, "{compound}" / "{community}" / "{organization}"
// standing for an id the bench looks up (README.md).
export const ROUTES = [
  { path: "/console", name: "home", view: () => import("./home.js"), title: { zh: "首页", en: "Home" }, nav: true, example: "/console" },
  { path: "/console/ledger", name: "ledger", view: () => import("./ledger.js"), title: { zh: "双报到台账", en: "Check-in ledger" }, nav: true, example: "/console/ledger" },
];
