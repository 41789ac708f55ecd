"""An import killed with SIGKILL at any point leaves the store as it was before, or holding the whole file.

A small Heze city (``graph-service seed --scale 0.01 --out``) is imported in a child process
(``import_child``: the import service on the real embedded store, printing each step) that is killed with
SIGKILL; then the store is opened here (which undoes a bulk load the kill cut short) and exported, and the
export must equal, byte for byte, the export before the import or the export after an uninterrupted one.

Both write paths are covered: the bulk path (an empty store: one COPY FROM per table, each committing on its
own, made all-or-nothing by the load journal) and the upsert path (a store that already holds part of the
file: every batch in one write transaction). Kills land at known points, where the child pauses inside the
write after its first, middle or last table or batch, and at points spread over the measured run, including
one of the real ``graph-service import`` command. Timing decides only where the unpaused kills land; the
assertions hold wherever that is. The only time limit is a hang guard.
"""

from __future__ import annotations

import json
import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from graph_service.domain.records import NodeRecord, Record, RelRecord, parse_record
from graph_service.services.ndjson_export import export_records
from graph_service.services.ndjson_import import import_lines, read_lines
from graph_service.store.embedded import LadybugStore
from graph_service.store.load_journal import journal_path

REPO = Path(__file__).resolve().parents[2]
CLI = Path(sys.executable).with_name("graph-service")
HANG_GUARD = 180.0  # seconds for any one child to reach a step: only a guard against hanging, never a measure
DB = "graph.lbdb"
UPSERT_BATCH = 400


def export_text(path: Path) -> str:
    """Open the database at ``path`` (undoing any cut-short load) and export it."""
    with LadybugStore(path) as store:
        store.ensure_schema()
        return "".join(line + "\n" for line in export_records(store))


def copy_database(source: Path, target_dir: Path) -> Path:
    """A closed database's files (the file and whatever lies beside it) copied into ``target_dir``."""
    target_dir.mkdir(parents=True)
    for path in source.parent.glob(source.name + "*"):
        shutil.copy2(path, target_dir / path.name)
    return target_dir / source.name


class Child:
    """A child process whose standard output lines are read by a thread, so waiting for one can time out."""

    def __init__(self, args: list[str], env: dict[str, str] | None = None) -> None:
        self.started = time.monotonic()
        self.proc = subprocess.Popen(
            args, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8"
        )
        self.lines: queue.Queue[tuple[float, str | None]] = queue.Queue()
        self.seen: list[tuple[float, str]] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put((time.monotonic() - self.started, line.strip()))
        self.lines.put((time.monotonic() - self.started, None))

    def wait_for(self, prefix: str) -> float:
        """Seconds from the start until a line starting with ``prefix``; fails if the child ends without one."""
        deadline = time.monotonic() + HANG_GUARD
        while True:
            try:
                at, line = self.lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                self.kill()
                pytest.fail(f"no {prefix!r} from the child within {HANG_GUARD} s; it printed {self.seen}")
            if line is None:
                self.proc.wait()
                stderr = self.proc.stderr.read() if self.proc.stderr else ""
                pytest.fail(f"the child ended (status {self.proc.returncode}) before {prefix!r}: {self.seen} {stderr}")
            self.seen.append((at, line))
            if line.startswith(prefix):
                return at

    def kill(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=HANG_GUARD)


def import_child(db: Path, ndjson: Path, pause_at: int, batch_size: int) -> Child:
    args = [sys.executable, "-m", "tests.integration.import_child", str(db), str(ndjson), str(pause_at), str(batch_size)]
    return Child(args)


@dataclass
class Run:
    """An uninterrupted import: when it started writing and ended (seconds from launch), and its steps."""

    writing: float
    done: float
    steps: int


@dataclass
class Scenario:
    name: str
    ndjson: Path
    before_db: Path | None  # a closed database to start from; None for an empty store
    method: str  # the write path the import takes: "bulk" or "upsert"
    batch_size: int
    before: str
    after: str

    def fresh_store(self, directory: Path) -> Path:
        if self.before_db is None:
            directory.mkdir(parents=True)
            return directory / DB
        return copy_database(self.before_db, directory)

    def calibrate(self, directory: Path) -> Run:
        db = self.fresh_store(directory)
        child = import_child(db, self.ndjson, 0, self.batch_size)
        writing = child.wait_for("phase writing")
        done = child.wait_for("done")
        child.proc.wait(timeout=HANG_GUARD)
        assert child.seen[-1][1] == f"done {self.method}"
        assert export_text(db) == self.after
        return Run(writing, done, sum(1 for _, line in child.seen if line.startswith("step ")))


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small Heze city as NDJSON, written by the real ``graph-service seed --out``."""
    base = tmp_path_factory.mktemp("seeded")
    out = base / "city.ndjson"
    env = {**os.environ, "GRAPH_SERVICE_DATA_DIR": str(base / "data")}
    subprocess.run(
        [str(CLI), "seed", "--scale", "0.01", "--out", str(out)], env=env, check=True, capture_output=True, timeout=HANG_GUARD
    )
    return out


def _whole_store(tmp: Path, lines: list[str]) -> str:
    with LadybugStore(tmp / DB) as store:
        store.ensure_schema()
        import_lines(store, lines)
        return "".join(line + "\n" for line in export_records(store))


@pytest.fixture(scope="module")
def after(city: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    return _whole_store(tmp_path_factory.mktemp("after"), read_lines(city))


def _is_area_tree(record: Record) -> bool:
    return (isinstance(record, NodeRecord) and record.label == "Area") or (
        isinstance(record, RelRecord) and record.type == "PART_OF"
    )


def _split(city: Path) -> tuple[list[str], list[str]]:
    """The city's lines in two parts: the area tree (areas and PART_OF), and everything else."""
    tree, rest = [], []
    for line in read_lines(city):
        record, problems = parse_record(json.loads(line))
        assert not problems and record is not None
        (tree if _is_area_tree(record) else rest).append(line)
    return tree, rest


def _renamed_people(lines: list[str]) -> list[str]:
    """The Person lines of ``lines`` with each name as it was before the file (the import updates them)."""
    out = []
    for line in lines:
        obj = json.loads(line)
        if obj.get("node") == "Person":
            obj["props"]["name"] += "（旧名）"
            out.append(json.dumps(obj, ensure_ascii=False))
    return out


@pytest.fixture(scope="module")
def scenarios(city: Path, after: str, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Scenario]:
    tree, rest = _split(city)
    # Into a store holding the area tree, the rest of the city is all new: the bulk path, journaling its ids.
    tree_dir, rest_file = tmp_path_factory.mktemp("tree"), tmp_path_factory.mktemp("rest") / "rest.ndjson"
    rest_file.write_text("".join(line + "\n" for line in rest), encoding="utf-8")
    before_tree = _whole_store(tree_dir, tree)
    # Into a store holding the tree and the people under older names, the whole city: the upsert path.
    people_dir = tmp_path_factory.mktemp("people")
    before_people = _whole_store(people_dir, tree + _renamed_people(rest))
    return {
        "bulk into an empty store": Scenario("bulk", city, None, "bulk", 5000, "", after),
        "bulk into a filled store": Scenario("bulk", rest_file, tree_dir / DB, "bulk", 5000, before_tree, after),
        "upsert": Scenario("upsert", city, people_dir / DB, "upsert", UPSERT_BATCH, before_people, after),
    }


@dataclass
class Kill:
    """Where to kill: at a pause after step ``pause_at`` of the write, or ``fraction`` of the way through the
    write (from its start to the end of the uninterrupted run), or ``during_checks``."""

    pause_at: int = 0
    fraction: float | None = None
    during_checks: bool = False


def _kill_once(scenario: Scenario, run: Run, kill: Kill, directory: Path) -> tuple[str, bool]:
    """Run the import, kill it as ``kill`` says, and return the export after reopening and whether a load
    journal was there to undo."""
    db = scenario.fresh_store(directory)
    child = import_child(db, scenario.ndjson, kill.pause_at, scenario.batch_size)
    if kill.during_checks:
        child.wait_for("phase checking")
    elif kill.pause_at:
        child.wait_for("paused")
    else:
        assert kill.fraction is not None
        child.wait_for("phase writing")
        time.sleep(kill.fraction * (run.done - run.writing))
    child.kill()
    journal = journal_path(db).exists()
    return export_text(db), journal


def _check_kills(scenario: Scenario, tmp_path: Path, run: Run, kills: list[Kill]) -> list[tuple[Kill, bool, bool]]:
    outcomes = []
    for number, kill in enumerate(kills):
        exported, journal = _kill_once(scenario, run, kill, tmp_path / f"kill{number}")
        assert exported in (scenario.before, scenario.after), f"{scenario.name}: {kill} left a third state"
        if kill.pause_at or kill.during_checks:
            # Killed inside the write (or before it): nothing of the file may stay.
            assert exported == scenario.before, f"{scenario.name}: {kill} kept part or all of the file"
        outcomes.append((kill, exported == scenario.after, journal))
    return outcomes


@pytest.mark.parametrize("name", ["bulk into an empty store", "bulk into a filled store"])
def test_a_killed_bulk_load_leaves_the_store_as_before_or_whole(scenarios, name, tmp_path):
    scenario = scenarios[name]
    run = scenario.calibrate(tmp_path / "calibration")
    assert run.steps >= 3, run  # one step per table
    kills = [
        Kill(during_checks=True),
        Kill(pause_at=1),
        Kill(pause_at=run.steps // 2),
        Kill(pause_at=run.steps),
        Kill(fraction=0.5),
    ]
    outcomes = _check_kills(scenario, tmp_path, run, kills)
    # A kill inside the load found its journal, and the next open undid it.
    assert all(journal for kill, _, journal in outcomes if kill.pause_at)
    assert not any(journal for kill, _, journal in outcomes if kill.during_checks)


def test_a_killed_upsert_import_leaves_the_store_as_before_or_whole(scenarios, tmp_path):
    scenario = scenarios["upsert"]
    run = scenario.calibrate(tmp_path / "calibration")
    assert run.steps >= 3, run  # one step per batch
    kills = [Kill(pause_at=1), Kill(pause_at=run.steps), Kill(fraction=0.5)]
    outcomes = _check_kills(scenario, tmp_path, run, kills)
    # One write transaction: no journal is needed, and none is ever left.
    assert not any(journal for _, _, journal in outcomes)


def test_the_import_command_killed_part_way_leaves_the_store_empty_or_whole(city, after, tmp_path):
    env = {**os.environ, "GRAPH_SERVICE_DATA_DIR": str(tmp_path / "data")}
    full = Child([str(CLI), "import", str(city)], env=env)
    full.proc.wait(timeout=HANG_GUARD)
    assert full.proc.returncode == 0
    duration = time.monotonic() - full.started
    assert export_text(tmp_path / "data" / DB) == after
    for number, fraction in enumerate((0.6, 0.9)):
        env = {**os.environ, "GRAPH_SERVICE_DATA_DIR": str(tmp_path / f"kill{number}")}
        child = Child([str(CLI), "import", str(city)], env=env)
        time.sleep(fraction * duration)
        child.kill()
        assert export_text(tmp_path / f"kill{number}" / DB) in ("", after)
