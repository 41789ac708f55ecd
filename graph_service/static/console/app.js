// The console's shell: sign-in, header (nav, language, sign-out), the router over location.pathname and the
// context every view renders with. The contract views build against is in README.md next to this file.
import { ApiError, graphql, keepKey, postJson, readKey } from "./api.js";
import { clear, h } from "./dom.js";
import { currentLang, keepLang, translator } from "./i18n.js";
import { renderTable } from "./table.js";
import { ROUTES } from "./views/index.js";

const mount = document.getElementById("console");
const ENDPOINT = mount.dataset.graphql;
const ROOT = mount.dataset.root;
const XLSX_URL = mount.dataset.xlsx;
const ME = "query ConsoleMe { me { keyId role canReadPersonal canReadAnalyses canEdit } }";

// ECharts and Cytoscape.js (classic scripts: window.echarts, window.cytoscape) load beside the shell's first
// requests instead of before the shell starts: ECharts alone is 1.1 MB of script to evaluate, which now overlaps
// the wait for the server. A view's GraphQL answers arrive only once both are there (ctx.gql), so a view draws
// its charts and graphs after its data as before.
function loadScript(src) {
  return new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = src;
    script.async = true;
    script.onload = () => resolve();
    script.onerror = () => reject(new Error(`could not load ${src}`));
    document.head.append(script);
  });
}
const LIBRARIES = Promise.all([mount.dataset.echarts, mount.dataset.cytoscape].map(loadScript));

const ROLE_NAMES = {
  viewer: { zh: "浏览", en: "viewer" },
  analyst: { zh: "分析", en: "analyst" },
  integration: { zh: "系统对接", en: "integration" },
  editor: { zh: "编辑", en: "editor" },
  admin: { zh: "管理员", en: "admin" },
};

// `me` as the views use it: the role in lower case ("viewer" | "analyst" | "integration" | "editor" | "admin").
function caller(me) {
  return { ...me, role: String(me.role).toLowerCase() };
}

const state = { key: readKey(), me: null, lang: currentLang(), render: 0, charts: [], graphs: [] };

// Route patterns ("/console/coverage/:areaId?") as regular expressions with their parameter names.
function compile(path) {
  const names = [];
  const source = path
    .split("/")
    .filter(Boolean)
    .map((part) => {
      const match = /^:(\w+)(\?)?$/.exec(part);
      if (!match) return "/" + part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      names.push(match[1]);
      return match[2] ? "(?:/([^/]+))?" : "/([^/]+)";
    })
    .join("");
  return { regex: new RegExp(`^${source}/?$`), names };
}

const COMPILED = ROUTES.map((route) => ({ ...route, ...compile(route.path) }));
window.__consoleRoutes = ROUTES.map((r) => ({ path: r.path, name: r.name, title: r.title, example: r.example || null, nav: !!r.nav }));

function match(pathname) {
  for (const route of COMPILED) {
    const found = route.regex.exec(pathname);
    if (found) {
      const params = {};
      route.names.forEach((name, i) => {
        if (found[i + 1] !== undefined) params[name] = decodeURIComponent(found[i + 1]);
      });
      return { route, params };
    }
  }
  return null;
}

function disposeVisuals() {
  for (const chart of state.charts) chart.dispose();
  for (const graph of state.graphs) graph.destroy();
  state.charts = [];
  state.graphs = [];
}

function signOut() {
  keepKey("");
  state.key = "";
  state.me = null;
  disposeVisuals();
  showSignIn();
}

function showSignIn(message) {
  const t = translator(state.lang);
  const input = h("input", { id: "gs-key", name: "api-key", type: "password", autocomplete: "off", spellcheck: "false", placeholder: "gsk_…", required: true });
  const error = h("p", { class: "gs-error", role: "alert" }, message || "");
  const form = h("form", { class: "gs-signin", onsubmit: async (event) => {
    event.preventDefault();
    const key = input.value.trim();
    if (!key) return;
    try {
      state.me = caller((await graphql(ENDPOINT, key, ME)).me);
    } catch (failure) {
      error.textContent = failure.status === 401
        ? t("API 密钥无效或已撤销", "The API key is not valid or was revoked")
        : failure.message;
      return;
    }
    state.key = key;
    keepKey(key);
    route();
  } },
    h("h1", {}, t("基层党建组织体系 · 控制台", "Community governance network · Console")),
    h("p", {}, t("请输入管理员发给您的 API 密钥。密钥只保存在本标签页，关闭即清除。", "Enter the API key you were given. It is kept in this tab only.")),
    h("label", { for: "gs-key" }, t("API 密钥", "API key")),
    input,
    h("button", { type: "submit", class: "gs-button gs-primary" }, t("登录", "Sign in")),
    error,
    languageSwitch(() => showSignIn(error.textContent)),
  );
  clear(mount).append(h("main", { class: "gs-signin-page" }, form));
  input.focus();
}

function languageSwitch(after) {
  const other = state.lang === "en" ? "zh" : "en";
  return h("button", { type: "button", class: "gs-lang", lang: other === "en" ? "en" : "zh-CN", onclick: () => {
    state.lang = other;
    keepLang(other);
    after();
  } }, other === "en" ? "English" : "中文");
}

function header(current) {
  const t = translator(state.lang);
  const nav = h("nav", { class: "gs-nav", "aria-label": t("主导航", "Main") },
    ROUTES.filter((r) => r.nav).map((r) => {
      const href = r.href || r.path.replace(/\/:\w+\?$/, "");
      const active = current && current.route.path === r.path;
      return h("a", { href, class: active ? "active" : null, "aria-current": active ? "page" : null }, t(r.title));
    }),
  );
  return h("header", { class: "gs-header" },
    h("a", { href: ROOT, class: "gs-brand" }, t("组织体系控制台", "Governance console")),
    nav,
    h("span", { class: "gs-who", "data-role": state.me.role }, `${t("角色", "Role")}: ${t(ROLE_NAMES[state.me.role] || { zh: state.me.role, en: state.me.role })}`),
    languageSwitch(() => route()),
    h("button", { type: "button", class: "gs-button", onclick: signOut }, t("退出", "Sign out")),
  );
}

function context(render, view, root) {
  const t = translator(state.lang);
  const stats = { view, path: location.pathname, requests: 0, renderedAt: null, ms: null, sincePageStart: null, startedAt: performance.now() };
  window.__consoleStats = stats;
  const ctx = {
    lang: state.lang,
    t,
    role: state.me.role,
    keyId: state.me.keyId,
    canReadPersonal: state.me.canReadPersonal,
    canReadAnalyses: state.me.canReadAnalyses,
    canEdit: state.me.canEdit,
    search: new URLSearchParams(location.search),
    h,
    async gql(query, variables) {
      if (render === state.render) stats.requests += 1;
      try {
        const [answer] = await Promise.all([graphql(ENDPOINT, state.key, query, variables), LIBRARIES]);
        return answer;
      } catch (error) {
        if (error.status === 401) signOut();
        throw error;
      }
    },
    postJson: (url, payload) => postJson(url, state.key, payload),
    navigate,
    chart(el, option) {
      const chart = window.echarts.init(el, null, { renderer: "canvas" });
      chart.setOption({ animation: false, textStyle: { fontFamily: "inherit" }, ...option });
      state.charts.push(chart);
      return chart;
    },
    graph(el, options) {
      const graph = window.cytoscape({ container: el, ...options });
      // What was drawn, for tests and the bench: the canvas itself says nothing.
      el.dataset.nodes = String(graph.nodes().length);
      el.dataset.edges = String(graph.edges().length);
      state.graphs.push(graph);
      return graph;
    },
    table(el, spec) {
      return renderTable(el, spec, { lang: state.lang, t, postJson: ctx.postJson, xlsxUrl: XLSX_URL });
    },
  };
  return { ctx, stats, root };
}

function failure(root, error, t) {
  const details = error instanceof ApiError && error.errors.length
    ? h("ul", {}, error.errors.map((e) => h("li", {}, e.message + (e.path ? ` (${e.path.join(".")})` : ""))))
    : null;
  clear(root).append(h("div", { class: "gs-failure", role: "alert" },
    h("h2", {}, t("无法显示此页面", "This page could not be shown")),
    h("p", {}, error.message),
    details,
  ));
}

async function route() {
  if (!state.key) return showSignIn();
  if (!state.me) {
    try {
      state.me = caller((await graphql(ENDPOINT, state.key, ME)).me);
    } catch (error) {
      keepKey("");
      state.key = "";
      return showSignIn(error.status === 401 ? "" : error.message);
    }
  }
  const render = ++state.render;
  disposeVisuals();
  const found = match(location.pathname);
  const t = translator(state.lang);
  document.documentElement.lang = state.lang === "en" ? "en" : "zh-CN";
  const root = h("main", { class: "gs-view", id: "gs-view" });
  clear(mount).append(header(found), root);
  if (!found) {
    failure(root, new Error(t(`没有这个页面：${location.pathname}`, `No such page: ${location.pathname}`)), t);
    root.dataset.failed = "not-found";
    return;
  }
  const { route: current, params } = found;
  document.title = `${t(current.title)} · ${t("组织体系控制台", "Governance console")}`;
  const { ctx, stats } = context(render, current.name, root);
  root.dataset.view = current.name;
  root.append(h("p", { class: "gs-loading" }, t("加载中…", "Loading…")));
  try {
    const module = await current.view();
    await module.render(root, params, ctx);
    if (render !== state.render) return;
    stats.renderedAt = Date.now();
    stats.ms = Math.round(performance.now() - stats.startedAt);
    stats.sincePageStart = Math.round(performance.now());
    root.dataset.rendered = current.name;
  } catch (error) {
    if (render !== state.render) return;
    failure(root, error, t);
    root.dataset.failed = current.name;
  }
}

export function navigate(url, { replace = false } = {}) {
  if (replace) history.replaceState(null, "", url);
  else history.pushState(null, "", url);
  route();
}

// Real links (<a href="/console/...">) that the shell follows without reloading the page.
document.addEventListener("click", (event) => {
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const link = event.target.closest("a[href]");
  if (!link || link.target || link.hasAttribute("download")) return;
  const url = new URL(link.href, location.href);
  if (url.origin !== location.origin || !(url.pathname === ROOT || url.pathname.startsWith(ROOT + "/"))) return;
  event.preventDefault();
  navigate(url.pathname + url.search);
});
window.addEventListener("popstate", () => route());

route();
