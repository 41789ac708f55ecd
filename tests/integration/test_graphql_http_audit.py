"""The server follows the GraphQL-over-HTTP spec: graphql-http's ``auditServer`` passes every audit, no warnings."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TOOLS = ROOT / "tools"


def test_all_graphql_over_http_audits_pass(live_server):
    if not (TOOLS / "node_modules" / "graphql-http").is_dir():
        pytest.skip("tools/node_modules missing: run `npm ci --prefix tools`")
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed: the audit runs graphql-http under Node.js 18 or later")
    result = subprocess.run(
        [node, str(TOOLS / "audit_graphql.mjs"), live_server.graphql_url, live_server.keys["viewer"]],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    lines = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    audits = [line for line in lines if "id" in line]
    problems = [a for a in audits if a["status"] != "ok"]
    assert not problems, json.dumps(problems, ensure_ascii=False, indent=1)
    assert result.returncode == 0, result.stderr
    # graphql-http 1.23 defines 61 server audits; all of them ran.
    assert len(audits) == 61
