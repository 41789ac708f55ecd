"""``graph-service ledger`` beside a running ``graph-service serve`` on the same data directory.

Real processes, as in ``test_cli_beside_server.py``: the server owns the LadybugDB file, so the import must go
through it (and be audited as the shell's user), and a refused ledger prints its rows and exits non-zero.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from graph_service.services.keys import local_actor

from . import test_cli_beside_server as beside
from .test_cli_beside_server import Served, cli, ok

# The fixtures of the other commands beside a server: a seeded store served by `graph-service serve` (one for this
# module: they are module-scoped) and an admin key made through it.
served = beside.served
admin_key = beside.admin_key
pytestmark = beside.pytestmark

REGISTRATIONS = """query($id: String!) {
  registrations(filter: {registrantId: $id}, first: 100) { edges { node { domainId communityOrganization { domainId } } } }
}"""


def data(served: Served, key: str, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    body = served.gql(key, query, variables).json()
    assert "errors" not in body, body
    return dict(body["data"])


def filled(template: Path, out: Path, rows: list[list[Any]]) -> Path:
    """The template with its example row replaced by ``rows``, saved as an office would."""
    book = load_workbook(io.BytesIO(template.read_bytes()))
    sheet = book["双报到台账"]
    sheet.delete_rows(2, sheet.max_row)
    for row in rows:
        sheet.append(row)
    book.save(out)
    return out


def test_a_ledger_imports_through_the_running_server(served: Served, admin_key: str, tmp_path: Path) -> None:
    template = tmp_path / "模板.xlsx"
    assert "wrote the ledger template" in ok(cli(served.data_dir, "ledger", "template", str(template))).stdout
    unit = data(served, admin_key, "{ organizations(kind: UNIT_PARTY_ORG, first: 1) { nodes { domainId name } } }")
    unit_org = unit["organizations"]["nodes"][0]
    committees = data(served, admin_key, "{ organizations(kind: COMMUNITY_COMMITTEE, first: 50) { nodes { domainId } } }")
    registered = {
        e["node"]["communityOrganization"]["domainId"]
        for e in data(served, admin_key, REGISTRATIONS, {"id": unit_org["domainId"]})["registrations"]["edges"]
    }
    community = next(c["domainId"] for c in committees["organizations"]["nodes"] if c["domainId"] not in registered)
    rows = [[1, "单位", unit_org["domainId"], unit_org["name"], community, None, "2025-06-01", None, "cli-ledger-1"]]
    good = filled(template, tmp_path / "good.xlsx", rows)

    dry = ok(cli(served.data_dir, "ledger", "import", str(good), "--dry-run"))
    assert "1 row(s) of sheet '双报到台账' checked: all pass; nothing written (dry run)" in dry.stdout
    assert "cli-ledger-1" not in str(data(served, admin_key, REGISTRATIONS, {"id": unit_org["domainId"]}))

    written = ok(cli(served.data_dir, "ledger", "import", str(good)))
    assert "1 registration(s) written from 1 row(s)" in written.stdout
    after = data(served, admin_key, REGISTRATIONS, {"id": unit_org["domainId"]})["registrations"]["edges"]
    assert "cli-ledger-1" in {e["node"]["domainId"] for e in after}
    log = data(served, admin_key, '{ auditLog(entityId: "cli-ledger-1") { nodes { actor action } } }')
    assert [(e["actor"], e["action"]) for e in log["auditLog"]["nodes"]] == [(local_actor(), "CREATE")]

    # A second row with a date that is no date: refused whole, printed as a table, status 1, nothing written.
    bad_rows = [
        [1, "单位", unit_org["domainId"], None, committees["organizations"]["nodes"][-1]["domainId"], None, "2025-06-01"],
        [2, "党员", "no-such-person", None, community, None, "2025-13-01"],
    ]
    bad = filled(template, tmp_path / "bad.xlsx", bad_rows)
    refused = cli(served.data_dir, "ledger", "import", str(bad))
    assert refused.returncode == 1
    assert "Could not set lock" not in refused.stderr
    table = refused.stderr
    assert "the ledger was refused" in table and "报到日期" in table and "2025-13-01" in table
    assert "problem(s); nothing was written." in table
    assert next(line for line in table.splitlines() if "2025-13-01" in line).lstrip("│ ").startswith("3")
    before = {e["node"]["domainId"] for e in after}
    again = data(served, admin_key, REGISTRATIONS, {"id": unit_org["domainId"]})["registrations"]["edges"]
    assert {e["node"]["domainId"] for e in again} == before

    not_xlsx = tmp_path / "ledger.xlsx"
    not_xlsx.write_text("序号,报到类型\n", encoding="utf-8")
    refused = cli(served.data_dir, "ledger", "import", str(not_xlsx))
    assert refused.returncode == 1 and "not an .xlsx workbook" in refused.stderr
