// The sortable table every list uses, with "下载 CSV" (made here, UTF-8 with BOM, Chinese headers) and
// "下载 XLSX" (made by the service: POST /tables/xlsx under the same key).
import { clear, formatValue, h } from "./dom.js";

const NUMERIC = new Set(["int", "float", "rate"]);

function compare(a, b, kind) {
  const missingA = a === null || a === undefined || a === "";
  const missingB = b === null || b === undefined || b === "";
  if (missingA || missingB) return missingA === missingB ? 0 : missingA ? 1 : -1; // blanks last
  if (NUMERIC.has(kind)) return Number(a) - Number(b);
  if (kind === "bool") return Number(a) - Number(b);
  return String(a).localeCompare(String(b), "zh-CN", { numeric: true });
}

function rawValue(row, column) {
  return column.value ? column.value(row) : row[column.key];
}

function csvCell(value) {
  if (value === null || value === undefined) return "";
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function download(blob, filename) {
  const url = URL.createObjectURL(blob);
  const link = h("a", { href: url, download: filename, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

// The table's rows as the exports carry them: Chinese headers, raw values (rates as fractions).
export function exportRows(columns, rows) {
  return {
    headers: columns.map((c) => c.zh),
    rows: rows.map((row) => columns.map((c) => {
      const value = rawValue(row, c);
      return value === undefined ? null : value;
    })),
  };
}

export function toCsv(columns, rows) {
  const table = exportRows(columns, rows);
  const lines = [table.headers, ...table.rows].map((cells) => cells.map(csvCell).join(","));
  return "\uFEFF" + lines.join("\r\n") + "\r\n";
}

// renderTable(el, spec, env): env = {lang, t, postJson(url, payload), xlsxUrl}
export function renderTable(el, spec, env) {
  const columns = spec.columns;
  const filename = (spec.filename || "table").replace(/[\\/:*?"<>|]/g, "_");
  let sort = spec.sort ? { ...spec.sort } : null;
  const status = h("span", { class: "gs-table-status", role: "status" });
  const body = h("tbody");
  const headRow = h("tr");
  const table = h("table", { class: "gs-table", dataset: { table: filename } }, h("thead", {}, headRow), body);

  function sortedRows() {
    const rows = [...spec.rows];
    if (!sort) return rows;
    const column = columns.find((c) => c.key === sort.key);
    if (!column) return rows;
    rows.sort((a, b) => compare(rawValue(a, column), rawValue(b, column), column.kind) * (sort.dir === "desc" ? -1 : 1));
    return rows;
  }

  function drawHead() {
    clear(headRow);
    for (const column of columns) {
      const active = sort && sort.key === column.key;
      const arrow = active ? (sort.dir === "desc" ? " ▼" : " ▲") : "";
      const button = h("button", { type: "button", class: "gs-sort", onclick: () => {
        sort = { key: column.key, dir: active && sort.dir === "asc" ? "desc" : "asc" };
        draw();
      } }, env.t(column.zh, column.en) + arrow);
      headRow.append(h("th", {
        scope: "col",
        class: NUMERIC.has(column.kind) ? "num" : null,
        "aria-sort": active ? (sort.dir === "desc" ? "descending" : "ascending") : null,
        dataset: { key: column.key },
      }, button));
    }
  }

  function drawBody() {
    clear(body);
    const rows = sortedRows();
    if (!rows.length) {
      body.append(h("tr", {}, h("td", { colspan: columns.length, class: "gs-empty" }, env.t("没有数据", "No rows"))));
      return;
    }
    for (const row of rows) {
      const tr = h("tr", { dataset: { row: row.id ?? "" } });
      for (const column of columns) {
        const value = rawValue(row, column);
        const text = column.format ? column.format(value, row) : formatValue(value, column.kind, env.lang);
        const tone = column.colour ? column.colour(row) : null;
        const href = column.href ? column.href(row) : null;
        const content = href ? h("a", { href }, text) : text;
        tr.append(h("td", {
          class: [NUMERIC.has(column.kind) ? "num" : "", tone ? `gs-${tone}` : ""].join(" ").trim() || null,
          dataset: { key: column.key, value: value === null || value === undefined ? "" : String(value) },
        }, content));
      }
      body.append(tr);
    }
  }

  function draw() {
    drawHead();
    drawBody();
  }

  async function xlsx() {
    status.textContent = env.t("正在生成 XLSX…", "Making the XLSX…");
    const table = exportRows(columns, sortedRows());
    let response;
    try {
      response = await env.postJson(env.xlsxUrl, {
        filename: filename + ".xlsx",
        sheet: spec.sheet || filename.slice(0, 31),
        columns: table.headers,
        rows: table.rows,
      });
    } catch (error) {
      status.textContent = env.t("服务没有应答，未能下载 XLSX", "The service did not answer: no XLSX");
      return;
    }
    if (response.status === 404) {
      status.textContent = env.t(
        "本服务尚未提供 XLSX 导出（/tables/xlsx 未找到），请先下载 CSV",
        "This service does not offer XLSX export yet (/tables/xlsx not found); download the CSV instead",
      );
      return;
    }
    if (!response.ok) {
      let message = response.statusText;
      try {
        const body = await response.json();
        message = (body.errors && body.errors.map((e) => e.message).join("; ")) || message;
      } catch (error) {
        // keep the status text
      }
      status.textContent = env.t(`XLSX 导出失败：${message}`, `XLSX export failed: ${message}`);
      return;
    }
    download(await response.blob(), filename + ".xlsx");
    status.textContent = "";
  }

  const tools = h("div", { class: "gs-table-tools" },
    h("span", { class: "gs-count" }, env.t(`共 ${spec.rows.length} 行`, `${spec.rows.length} rows`)),
    h("button", { type: "button", class: "gs-button", onclick: () => {
      download(new Blob([toCsv(columns, sortedRows())], { type: "text/csv;charset=utf-8" }), filename + ".csv");
    } }, env.t("下载 CSV", "Download CSV")),
    h("button", { type: "button", class: "gs-button", onclick: xlsx }, env.t("下载 XLSX", "Download XLSX")),
    status,
  );
  draw();
  clear(el).append(tools, h("div", { class: "gs-table-wrap" }, table));
  return { redraw: draw, table };
}
