// The landing page: what the console offers this role, each view a link.
import { ROUTES } from "./index.js";

export async function render(root, params, ctx) {
  const { h, t } = ctx;
  const items = ROUTES.filter((r) => r.nav && r.name !== "home").map((r) =>
    h("li", {}, h("a", { href: r.href || r.path.replace(/\/:\w+\?$/, "") }, t(r.title))),
  );
  root.replaceChildren(
    h("h1", {}, t("基层党建组织体系控制台", "Community governance console")),
    h("p", { class: "gs-lead" }, t(
      "查看城市、区县、街道、社区和小区的组织覆盖情况，逐级下钻，下载清单。",
      "Look at how the organisational system covers the city, its districts, streets, communities and compounds; drill down; download the lists.",
    )),
    h("ul", { class: "gs-home-links" }, items),
    ctx.canReadPersonal ? null : h("p", { class: "gs-note" }, t("您的角色不能查看个人信息，页面不显示姓名。", "Your role may not read personal data: no names are shown.")),
  );
}
