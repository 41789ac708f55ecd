"""``bench/bench_peer.py`` runs the shared peer harness on today's export: where the harness's converter stops at
records the peer's schema lacks, the bench runs a copy whose converter leaves them out, and says so."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))

import bench_peer  # noqa: E402

FIXTURE = ROOT / "seeds" / "fixtures" / "small_city.ndjson"
STRICT = "".join(f"x = 1\n{strict}" for strict, _ in bench_peer._LEAVE_OUT)


def test_a_strict_converter_is_changed_line_by_line_and_a_tolerant_one_left_alone() -> None:
    tolerant = bench_peer.leaving_out(STRICT)
    assert tolerant is not None
    for strict, replacement in bench_peer._LEAVE_OUT:
        assert strict not in tolerant and replacement in tolerant
    assert bench_peer.leaving_out(tolerant) is None  # changed once; a converter that leaves out already is used as is
    assert bench_peer.leaving_out("print('a converter of another design')\n") is None


def test_a_converter_with_only_some_of_the_lines_is_named_not_guessed() -> None:
    first_only = bench_peer._LEAVE_OUT[0][0]
    with pytest.raises(SystemExit, match="unmapped relationship types") as refused:
        bench_peer.leaving_out(first_only)
    assert "--strict-harness" in str(refused.value)


def _harness() -> Path:
    harness = bench_peer.default_harness()
    if not (harness / "ndjson_to_pg.py").is_file():
        pytest.skip(f"the shared peer harness is not beside the project (no {harness / 'ndjson_to_pg.py'})")
    return harness


def _convert(converter: Path, out: Path) -> subprocess.CompletedProcess[str]:
    out.mkdir()
    command = [sys.executable, str(converter), str(FIXTURE), str(out), str(ROOT)]
    return subprocess.run(command, capture_output=True, text=True, timeout=120)


def test_the_copy_loads_the_export_the_shared_converter_stops_at(tmp_path: Path) -> None:
    harness = _harness()
    strict = _convert(harness / "ndjson_to_pg.py", tmp_path / "strict")
    assert strict.returncode != 0  # organisational life: a label the peer's schema lacks

    copy = bench_peer.usable_harness(harness, tmp_path / "state")
    assert copy == tmp_path / "state" / "harness" and (copy / "run.sh").is_file()
    loaded = _convert(copy / "ndjson_to_pg.py", tmp_path / "copy")
    assert loaded.returncode == 0, loaded.stderr
    counts = json.loads(loaded.stdout.strip().splitlines()[-1])
    records = [json.loads(line) for line in FIXTURE.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert counts["pairing"] == sum(1 for r in records if r.get("rel") == "PAIRED_WITH")
    assert counts["person"] == sum(1 for r in records if r.get("node") == "Person")
    assert (harness / "ndjson_to_pg.py").read_text(encoding="utf-8") != (copy / "ndjson_to_pg.py").read_text(encoding="utf-8")
