"""Run every analysis over one projection, save the run, and print it: ``graph-service analyze``.

``run_all`` reads the projection once (cached by the store's write version), runs coverage, roll-ups, chain
completeness, weakness, structure, mobilisation reach and pairing recommendations over it, and saves an
``AnalysisRun`` node (time, parameters, summary JSON) so that staff can follow the trend after a fix
(``list_runs``). Saving the run writes only a system node, so the cached projection stays valid.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import sys
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from graph_service.analysis.chain import ChainResult, chain_completeness, chain_summary
from graph_service.analysis.common import Thresholds
from graph_service.analysis.coverage import AreaCoverage, CompoundCoverage, compound_coverage, coverage_rollups
from graph_service.analysis.projection import ProjectionStats, get_projection, keep_after_own_write, projection_stats
from graph_service.analysis.weakness import OrganizationWeakness, organization_weakness
from graph_service.domain.enums import OrgKind
from graph_service.store.port import Store

if TYPE_CHECKING:
    from graph_service.analysis.mobilization import MobilizationReach
    from graph_service.analysis.recommendations import PairingPlan
    from graph_service.analysis.structure import StructureReport
    from graph_service.config import AnalysisSettings, Settings

__all__ = [
    "ANALYSIS_NAME",
    "STEPS",
    "AnalysisReport",
    "AnalysisRunRecord",
    "Progress",
    "analyze_command",
    "list_runs",
    "render",
    "run_all",
]

#: The ``analysis`` property of the runs ``run_all`` saves.
ANALYSIS_NAME = "all"
#: The steps of ``run_all``, in order (the progress display shows them).
STEPS: tuple[str, ...] = (
    "projection",
    "coverage",
    "roll-ups",
    "chain",
    "weakness",
    "structure",
    "mobilization",
    "pairing recommendations",
    "save run",
)
#: Steps of the mobilisation reach from each street committee (and the community committee of a community area).
MOBILIZATION_STEPS = 3

#: ``progress(step, done, total)``: called when ``step`` starts, ``done`` steps being finished.
Progress = Callable[[str, int, int], None]


@dataclass
class AnalysisReport:
    """Everything one run found, the parameters it ran with, and how long each step took."""

    run_id: str
    at: datetime
    area_id: str | None
    as_of: date
    parameters: dict[str, Any]
    projection: ProjectionStats
    coverage: list[CompoundCoverage]
    rollups: list[AreaCoverage]
    chains: list[ChainResult]
    weakness: list[OrganizationWeakness]
    structure: StructureReport | None = None
    mobilization: list[MobilizationReach] = field(default_factory=list)
    pairing_plan: PairingPlan | None = None
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def under_covered(self) -> list[CompoundCoverage]:
        return [c for c in self.coverage if c.under_covered]

    @property
    def weak(self) -> list[OrganizationWeakness]:
        return [w for w in self.weakness if w.weak]

    @property
    def chain_breaks(self) -> list[ChainResult]:
        return [c for c in self.chains if not c.complete]

    def summary(self) -> dict[str, Any]:
        """The numbers saved with the run (JSON-safe): what a trend over runs is drawn from."""
        scores = [c.score for c in self.coverage]
        weak_by_kind = Counter(w.kind for w in self.weak)
        out: dict[str, Any] = {
            "nodes": self.projection.nodes,
            "edges": self.projection.edges,
            "compounds": len(self.coverage),
            "under_covered": len(self.under_covered),
            "under_covered_priority": sum(c.priority for c in self.coverage),
            "mean_coverage_score": round(sum(scores) / len(scores), 2) if scores else None,
            "gaps": dict(sorted(Counter(g for c in self.coverage for g in c.gaps).items())),
            "organizations_assessed": len(self.weakness),
            "weak": len(self.weak),
            "weak_priority": sum(w.priority for w in self.weakness),
            "weak_by_kind": dict(sorted(weak_by_kind.items())),
            "weakness_factors": dict(sorted(Counter(f for w in self.weakness for f in w.factor_codes).items())),
            "chain": chain_summary(self.chains),
        }
        if self.structure is not None:
            out["single_points_of_failure"] = len(self.structure.single_points_of_failure)
            out["critical_bridges"] = len(self.structure.bridges)
            out["overloaded_people"] = len(self.structure.overloaded)
        if self.mobilization:
            out["mobilization_unreached_compounds"] = sum(len(m.unreached) for m in self.mobilization)
        if self.pairing_plan is not None:
            out["pairing_proposals"] = len(self.pairing_plan.proposals)
            out["pairing_demand_unmet"] = sum(u.unmet for u in self.pairing_plan.unmet)
        out["seconds"] = {k: round(v, 3) for k, v in self.timings.items()}
        return out


@dataclass(frozen=True)
class AnalysisRunRecord:
    """A saved run: when, which analysis, for which area, with which parameters, and its summary."""

    id: str
    at: datetime
    analysis: str
    area_id: str | None
    params: dict[str, Any]
    summary: dict[str, Any]


def _parameters(th: Thresholds, area_id: str | None) -> dict[str, Any]:
    return {
        "area_id": area_id,
        "as_of": th.day().isoformat(),
        "standards": dataclasses.asdict(th.standards),
        "coverage_weights": {str(k): v for k, v in th.coverage_weights.items()},
        "weakness_weights": {str(k): v for k, v in th.weakness_weights.items()},
        "mobilization_steps": MOBILIZATION_STEPS,
    }


def _with_sample(parameters: dict[str, Any], settings: AnalysisSettings) -> dict[str, Any]:
    return {**parameters, "broker_sample": settings.broker_sample}


def run_all(
    store: Store,
    area_id: str | None = None,
    settings: AnalysisSettings | None = None,
    progress: Progress | None = None,
    *,
    as_of: date | None = None,
    save: bool = True,
) -> AnalysisReport:
    """Run every analysis over the projection of ``area_id`` (the whole city when ``None``) and save the run.

    Raises ``NotFoundError`` naming ``area_id`` when no area has that id. ``settings`` defaults to the
    environment's (``Settings().analysis``); ``as_of`` (the day posts must be in force) to today.
    """
    if settings is None:
        from graph_service.config import AnalysisSettings

        settings = AnalysisSettings()
    th = Thresholds.from_settings(settings, as_of=as_of)
    timings: dict[str, float] = {}

    @contextmanager
    def step(name: str) -> Iterator[None]:
        if progress:
            progress(name, STEPS.index(name), len(STEPS))
        started = time.perf_counter()
        yield
        timings[name] = time.perf_counter() - started

    with step("projection"):
        graph = get_projection(store, area_id)
        stats = projection_stats(graph)
    with step("coverage"):
        coverage = compound_coverage(graph, th)
    with step("roll-ups"):
        rollups = coverage_rollups(graph, coverage, th)
    with step("chain"):
        chains = chain_completeness(graph, th)
    with step("weakness"):
        weakness = organization_weakness(graph, th)
    with step("structure"):
        from graph_service.analysis.structure import structure_report

        structure = structure_report(
            graph,
            as_of=th.day(),
            max_posts=th.standards.max_posts_per_person,
            broker_sample=settings.broker_sample,
        )
    with step("mobilization"):
        mobilization = _mobilization(graph, th, area_id)
    with step("pairing recommendations"):
        from graph_service.analysis.recommendations import recommend_pairings

        per_community = Counter(c.community_id for c in coverage if c.under_covered and c.community_id)
        plan = recommend_pairings(graph, under_covered=dict(per_community), as_of=th.day())
    report = AnalysisReport(
        run_id=uuid.uuid4().hex,
        at=datetime.now(UTC).replace(tzinfo=None),  # microseconds kept: runs in one second stay ordered
        area_id=area_id,
        as_of=th.day(),
        parameters=_with_sample(_parameters(th, area_id), settings),
        projection=stats,
        coverage=coverage,
        rollups=rollups,
        chains=chains,
        weakness=weakness,
        structure=structure,
        mobilization=mobilization,
        pairing_plan=plan,
        timings=timings,
    )
    if save:
        with step("save run"):
            _save(store, report)
    if progress:
        progress("done", len(STEPS), len(STEPS))
    return report


def _mobilization(graph: Any, th: Thresholds, area_id: str | None) -> list[MobilizationReach]:
    from graph_service.analysis.mobilization import mobilization_reach

    kinds = {OrgKind.STREET_COMMITTEE.value}
    if area_id is not None and graph.nodes[area_id].get("level") == "community":
        kinds.add(OrgKind.COMMUNITY_COMMITTEE.value)
    starts = sorted(n for n, attrs in graph.nodes(data=True) if attrs.get("kind") in kinds and attrs.get("dissolved") is None)
    results = []
    for start in starts:
        try:
            results.append(mobilization_reach(graph, start, k=MOBILIZATION_STEPS, as_of=th.day()))
        except ValueError:
            continue  # a committee leading no street or community in this projection
    return results


def _save(store: Store, report: AnalysisReport) -> None:
    before = store.write_version()
    params = {
        "id": report.run_id,
        "at": report.at,
        "analysis": ANALYSIS_NAME,
        "params": json.dumps(report.parameters, ensure_ascii=False, sort_keys=True),
        "summary": json.dumps(report.summary(), ensure_ascii=False, sort_keys=True),
    }
    store.execute_write(lambda tx: tx.run("analysis_save_run", params))
    keep_after_own_write(store, before, store.write_version())


def list_runs(
    store: Store, analysis: str | None = ANALYSIS_NAME, area: str | None = None, *, limit: int = 50
) -> list[AnalysisRunRecord]:
    """Saved runs, newest first: of ``analysis`` (every kind when ``None``) for ``area`` (the city run when
    ``None``), at most ``limit``."""
    if limit < 1:
        raise ValueError(f"limit must be at least 1, got {limit}")
    rows = store.read("analysis_list_runs", {"analysis": analysis})
    out: list[AnalysisRunRecord] = []
    for row in rows:
        params = json.loads(row.get("params") or "{}")
        if params.get("area_id") != area:
            continue
        out.append(
            AnalysisRunRecord(
                id=row["id"],
                at=row["at"],
                analysis=row["analysis"],
                area_id=params.get("area_id"),
                params=params,
                summary=json.loads(row.get("summary") or "{}"),
            )
        )
        if len(out) >= limit:
            break
    return out


# --- output -----------------------------------------------------------------------------------------------------


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, set | frozenset):
        return sorted(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def report_json(report: AnalysisReport) -> str:
    """The whole report as JSON (every result with its factors)."""
    body = {
        "run_id": report.run_id,
        "at": report.at,
        "area_id": report.area_id,
        "as_of": report.as_of,
        "parameters": report.parameters,
        "summary": report.summary(),
        "projection": dataclasses.asdict(report.projection),
        "under_covered_compounds": [dataclasses.asdict(c) for c in report.under_covered],
        "coverage": [dataclasses.asdict(c) for c in report.coverage],
        "rollups": [dataclasses.asdict(r) for r in report.rollups],
        "chain_breaks": [dataclasses.asdict(c) for c in report.chain_breaks],
        "weak_organizations": [dataclasses.asdict(w) for w in report.weak],
        "structure": dataclasses.asdict(report.structure) if report.structure else None,
        "mobilization": [dataclasses.asdict(m) for m in report.mobilization],
        "pairing_plan": dataclasses.asdict(report.pairing_plan) if report.pairing_plan else None,
    }
    return json.dumps(body, ensure_ascii=False, indent=2, default=_jsonable)


CSV_COLUMNS = (
    "analysis",
    "entity_id",
    "entity_name",
    "kind",
    "area_id",
    "score",
    "priority",
    "code",
    "label",
    "value",
    "threshold",
    "weight",
    "detail",
)


def report_csv(report: AnalysisReport) -> str:
    """One row per fired factor of each under-covered compound and weak organisation, and per chain break."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for c in report.under_covered:
        for f in c.factors:
            if f.fired:
                writer.writerow(
                    ("coverage", c.compound_id, c.name, "compound", c.community_id, c.score, c.priority, f.code,
                     f.label, f.value, f.threshold, f.weight, f.detail)
                )  # fmt: skip
    for w in report.weak:
        for wf in w.factors:
            writer.writerow(
                ("weakness", w.org_id, w.name, w.kind, w.area_id, w.score, w.priority, wf.code, wf.label, wf.value,
                 wf.threshold, wf.weight, f"{wf.criterion}; {wf.detail}".strip("; "))
            )  # fmt: skip
    for r in report.chain_breaks:
        writer.writerow(
            ("chain", r.building_id, "", "building", r.compound_id, "", "", r.break_code, r.break_label, "", "", "",
             " -> ".join(r.path))
        )  # fmt: skip
    return buffer.getvalue()


def render(report: AnalysisReport, output_format: str, previous: AnalysisRunRecord | None = None) -> str:
    """The report as ``table`` (rich text), ``json`` or ``csv``."""
    if output_format == "json":
        return report_json(report)
    if output_format == "csv":
        return report_csv(report)
    if output_format == "table":
        return _tables(report, previous)
    raise ValueError(f"unknown output format {output_format!r}; use table, json or csv")


def _tables(report: AnalysisReport, previous: AnalysisRunRecord | None) -> str:
    from rich.console import Console
    from rich.table import Table

    console = Console(record=True, width=140, file=io.StringIO())
    s = report.summary()
    head = Table(title=f"分析结果 Analysis of {report.area_id or 'the whole city'} on {report.as_of.isoformat()}")
    head.add_column("measure")
    head.add_column("now", justify="right")
    head.add_column("previous run", justify="right")
    before = previous.summary if previous else {}
    for key, label in (
        ("compounds", "compounds 小区"),
        ("under_covered", "under-covered 覆盖不足"),
        ("under_covered_priority", f"  of which score < {report.parameters['standards']['under_covered_below']}"),
        ("mean_coverage_score", "mean coverage score"),
        ("organizations_assessed", "branches and community committees"),
        ("weak", "weak and lax 软弱涣散"),
        ("weak_priority", f"  of which score > {report.parameters['standards']['weak_above']}"),
        ("single_points_of_failure", "single points of failure"),
        ("pairing_proposals", "pairing proposals 结对建议"),
    ):
        if key in s:
            head.add_row(label, str(s[key]), str(before.get(key, "")))
    chain = s["chain"]
    head.add_row("buildings with a complete chain", f"{chain['complete']} / {chain['buildings']}", "")
    console.print(head)

    uc = Table(title="覆盖不足的小区 Under-covered compounds (lowest score first, top 20)")
    for col in ("compound", "name", "score", "gaps"):
        uc.add_column(col)
    for c in report.under_covered[:20]:
        gaps = ", ".join(f"{f.label}" for f in c.factors if f.fired)
        uc.add_row(c.compound_id, c.name, f"{c.score:.0f}", gaps)
    console.print(uc)

    wk = Table(title="软弱涣散基层党组织 Weak organisations (highest score first, top 20)")
    for col in ("organisation", "name", "score", "factors (official criterion)"):
        wk.add_column(col)
    for w in report.weak[:20]:
        factors = "; ".join(f"{f.label}({f.criterion.split()[0]})" for f in w.factors)
        wk.add_row(w.org_id, w.name, f"{w.score:.0f}", factors)
    console.print(wk)

    roll = Table(title="分区汇总 Roll-up per district")
    for col in ("district", "compounds", "under-covered", "with branch", "station share", "central households/100"):
        roll.add_column(col)
    for r in report.rollups:
        if r.level == "district":
            share = f"{r.station_share:.0%}" if r.station_share is not None else ""
            per100 = f"{r.central_households_per_100:.2f}" if r.central_households_per_100 is not None else ""
            roll.add_row(r.name, str(r.compounds), str(r.under_covered), str(r.with_branch), share, per100)
    console.print(roll)
    return console.export_text()


def analyze_command(
    settings: Settings, area: str | None, output_format: str, out: Path | None, as_of: date | None = None
) -> None:
    """``graph-service analyze``: run everything with a progress display, save the run, print or write it."""
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from graph_service.store.factory import open_store

    if output_format not in ("table", "json", "csv"):
        raise ValueError(f"unknown output format {output_format!r}; use table, json or csv")
    err = Console(stderr=True)
    store = open_store(settings)
    try:
        previous = next(iter(list_runs(store, ANALYSIS_NAME, area, limit=1)), None)
        with Progress(
            TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
            TimeElapsedColumn(), console=err, transient=False,
        ) as bar:  # fmt: skip
            task = bar.add_task("analysis", total=len(STEPS))

            def progress(step: str, done: int, total: int) -> None:
                bar.update(task, completed=done, total=total, description=f"analysis: {step}")

            report = run_all(store, area, settings.analysis, progress, as_of=as_of)
        text = render(report, output_format, previous)
    finally:
        store.close()
    if out is None:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
    else:
        out.write_text(text, encoding="utf-8")
        err.print(f"wrote {out} (run {report.run_id})")
