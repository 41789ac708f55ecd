"""`graph-service analyze --as-of`: posts and pairings are judged as in force on the day asked for."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from graph_service.cli.analyze import number_text
from graph_service.seed.heze import AS_OF
from graph_service.seed.runner import seed_into
from graph_service.store.embedded import LadybugStore

CLI = [sys.executable, "-m", "graph_service.cli"]


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("analyze")
    store = LadybugStore(directory / "graph.lbdb")
    store.ensure_schema()
    seed_into(store, scale=0.01, seed=7, data_dir=directory)
    store.close()
    return directory


def _analyze(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "GRAPH_SERVICE_DATA_DIR": str(data_dir)}
    return subprocess.run([*CLI, "analyze", *args], env=env, capture_output=True, text=True, timeout=300)


def test_as_of_moves_the_day_the_network_is_judged_on(data_dir: Path, tmp_path: Path) -> None:
    early, seeded = tmp_path / "early.json", tmp_path / "seeded.json"
    assert _analyze(data_dir, "--as-of", "2010-01-01", "--format", "json", "--out", str(early)).returncode == 0
    assert _analyze(data_dir, "--as-of", AS_OF.isoformat(), "--format", "json", "--out", str(seeded)).returncode == 0
    before, after = json.loads(early.read_text()), json.loads(seeded.read_text())
    assert before["as_of"] == "2010-01-01" and after["as_of"] == AS_OF.isoformat()
    # In 2010 no post, pairing or check-in of the demo city had started yet, so more compounds lack them.
    assert before["summary"]["under_covered"] > after["summary"]["under_covered"]
    truth = json.loads((data_dir / "ground_truth.json").read_text())
    assert after["summary"]["under_covered"] == len(truth["planted_under_covered_compounds"])


def test_a_bad_day_is_refused_naming_the_value(data_dir: Path) -> None:
    result = _analyze(data_dir, "--as-of", "2024-13-01")
    assert result.returncode == 2
    assert "2024-13-01" in result.stderr and "--as-of" in result.stderr


def test_the_table_shows_each_factor_with_its_value_threshold_and_finding(data_dir: Path, tmp_path: Path) -> None:
    report, table = tmp_path / "report.json", tmp_path / "report.txt"
    assert _analyze(data_dir, "--format", "json", "--out", str(report)).returncode == 0
    assert _analyze(data_dir, "--format", "table", "--out", str(table)).returncode == 0
    weakest = json.loads(report.read_text())["weak_organizations"][0]
    text = _collapsed(table.read_text())
    factor = weakest["factors"][0]
    # The weakest organisation's first factor: label, value against its threshold, and the finding in words.
    shown = _collapsed(f"{factor['label']} {number_text(factor['value'])} / {number_text(factor['threshold'])}")
    assert shown in text, f"{shown!r} not in the table"
    assert _collapsed(factor["explanation"] or factor["detail"])[:16] in text


def _collapsed(text: str) -> str:
    """The text without spaces, line breaks and the table's box characters, which wrap cells at any width."""
    return "".join(ch for ch in text if not ch.isspace() and ch not in "│┃")
