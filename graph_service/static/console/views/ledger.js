// The dual check-in ledger (双报到台账): download the template; upload a filled ledger, checked first (a dry run),
// then written. The service checks every row with the API's own rules and writes all rows or none
// (POST /ledger/registrations, docs/import-export.md); refusals name the row, the column and the value.
import { readKey } from "../api.js";

const TEMPLATE_URL = "/ledger/template.xlsx";
const UPLOAD_URL = "/ledger/registrations";
const XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

async function send(file, dryRun) {
  const response = await fetch(UPLOAD_URL + (dryRun ? "?dryRun=true" : ""), {
    method: "POST",
    headers: { "Content-Type": XLSX_TYPE, Authorization: `Bearer ${readKey()}` },
    body: file,
  });
  let body = null;
  try {
    body = await response.json();
  } catch (error) {
    body = null;
  }
  return { status: response.status, body };
}

// The service's errors as rows of the error table: row, column, value, message.
function problems(body, status) {
  const errors = (body && Array.isArray(body.errors) && body.errors) || [];
  if (!errors.length) return [{ row: null, column: null, value: null, message: `HTTP ${status}` }];
  return errors.map((e) => {
    const ext = e.extensions || {};
    return {
      row: ext.row ?? null,
      column: ext.column ?? null,
      value: ext.value === undefined || ext.value === null ? null : String(ext.value),
      message: ext.problem || e.message,
    };
  });
}

export async function render(root, params, ctx) {
  const { h, t } = ctx;
  const status = h("p", { class: "gs-card gs-ledger-status", role: "status", hidden: true });
  // tone: "good", "bad" or "" (working); an empty text hides the line.
  function say(text, tone) {
    status.textContent = text;
    status.hidden = !text;
    status.classList.toggle("gs-good", tone === "good");
    status.classList.toggle("gs-bad", tone === "bad");
  }
  const errorsBox = h("div", { class: "gs-ledger-errors" });
  const parts = [
    h("h1", {}, t("双报到台账", "Dual check-in ledger")),
    h("p", { class: "gs-lead" }, t(
      "社区按台账登记驻区单位党组织和在职党员的报到。下载模板，按“填写说明”填写后上传：先逐行检查，全部通过才写入，任何一行有误则一条也不写入。",
      "Communities keep a ledger of the unit Party organisations and in-service members who check in with them. Download the template, fill it in as its notes sheet says, and upload it: every row is checked first, and nothing is written unless every row passes.",
    )),
    h("p", {}, h("a", { href: TEMPLATE_URL, download: "双报到台账模板.xlsx", class: "gs-button gs-ledger-template" },
      t("下载台账模板（XLSX）", "Download the ledger template (XLSX)"))),
  ];
  if (!ctx.canEdit) {
    parts.push(h("p", { class: "gs-note" }, t(
      "您的角色不能导入台账；请由具有编辑权限的同事上传。",
      "Your role may not import ledgers; a colleague with the editor role can upload one.",
    )));
    root.replaceChildren(...parts);
    return;
  }

  const input = h("input", { type: "file", accept: ".xlsx," + XLSX_TYPE, id: "gs-ledger-file" });
  const check = h("button", { type: "button", class: "gs-button", disabled: true }, t("检查（不写入）", "Check (write nothing)"));
  const write = h("button", { type: "button", class: "gs-button gs-primary", disabled: true }, t("写入", "Write"));
  let checked = null; // the file that passed a dry run: only it may be written

  function showErrors(rows) {
    errorsBox.replaceChildren();
    if (!rows.length) return;
    const el = h("div", {});
    errorsBox.append(h("h2", {}, t("未通过检查的单元格", "Cells that did not pass")), el);
    ctx.table(el, {
      columns: [
        { key: "row", zh: "行", en: "Row", kind: "int" },
        { key: "column", zh: "列", en: "Column", kind: "text" },
        { key: "value", zh: "值", en: "Value", kind: "text" },
        { key: "message", zh: "问题", en: "Problem", kind: "text" },
      ],
      rows,
      sort: { key: "row", dir: "asc" },
      filename: "双报到台账-错误",
      sheet: "错误",
    });
  }

  async function run(dryRun) {
    const file = input.files && input.files[0];
    if (!file) return;
    check.disabled = true;
    write.disabled = true;
    delete status.dataset.written;
    say(dryRun ? t("正在检查…", "Checking…") : t("正在写入…", "Writing…"), "");
    let answer;
    try {
      answer = await send(file, dryRun);
    } catch (error) {
      say(t("服务没有应答：", "The service does not answer: ") + error.message, "bad");
      check.disabled = false;
      return;
    }
    const { status: code, body } = answer;
    if (code === 200 && body && typeof body.written === "number") {
      showErrors([]);
      if (body.dryRun) {
        checked = file;
        say(t(`${body.rows} 行全部通过检查，尚未写入。`, `All ${body.rows} rows pass; nothing written yet.`), "good");
        write.disabled = false;
      } else {
        checked = null;
        status.dataset.written = String(body.written);
        say(t(`已写入 ${body.written} 条双报到记录。`, `${body.written} registrations written.`), "good");
      }
    } else {
      checked = null;
      const rows = problems(body, code);
      say(code === 422
        ? t(`台账未通过检查（${rows.length} 处问题），一条也未写入。`, `The ledger did not pass (${rows.length} problems); nothing was written.`)
        : t(`台账被拒绝（HTTP ${code}）：`, `The ledger was refused (HTTP ${code}): `) + rows.map((r) => r.message).join("; "), "bad");
      showErrors(code === 422 ? rows : []);
    }
    check.disabled = false;
  }

  input.addEventListener("change", () => {
    checked = null;
    check.disabled = !(input.files && input.files.length);
    write.disabled = true;
    say("", "");
    showErrors([]);
  });
  check.addEventListener("click", () => run(true));
  write.addEventListener("click", () => {
    if (checked && input.files && input.files[0] === checked) run(false);
  });

  parts.push(
    h("section", { class: "gs-panel gs-ledger-upload" },
      h("h2", {}, t("上传台账", "Upload a ledger")),
      h("label", { for: "gs-ledger-file" }, t("台账文件（.xlsx）", "Ledger file (.xlsx)")),
      " ", input, " ", check, " ", write,
      status),
    errorsBox,
  );
  root.replaceChildren(...parts);
}
