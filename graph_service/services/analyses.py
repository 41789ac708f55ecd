"""The analyses as an application service: the API and the CLI ask it, it keeps the results.

``AnalysisService`` answers each analysis for an area and a day over the cached projection
(``analysis.projection.ProjectionCache``) and keeps every result with the projection it was computed on, so
asking again (another page, another client) costs nothing until the store is written to. The API awaits its
methods through ``services.workers.in_worker``, as every other call of the application layer.

``run_all`` (``graph-service analyze``) reads the projection once, runs coverage, roll-ups, chain completeness,
weakness, structure, mobilisation reach and pairing recommendations over it, and saves an ``AnalysisRun`` node
(time, parameters, summary JSON, and apart from the summary each judged organisation's weakness: ``run_weakness``)
so that staff can follow the trend after a fix (``list_runs``, and per organisation ``weakness_trend``). Saving the
run writes only a system node, so the cached projection stays valid.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import threading
import time
import uuid
import weakref
from collections import Counter, OrderedDict
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

import networkx as nx

from graph_service.analysis.chain import ChainResult, chain_breaks, chain_completeness, chain_summary
from graph_service.analysis.common import Thresholds, forget_index, index_kept
from graph_service.analysis.coverage import AreaCoverage, CompoundCoverage, compound_coverage, coverage_rollups
from graph_service.analysis.mobilization import MobilizationReach, mobilization_reach, resolve_start
from graph_service.analysis.projection import (
    ProjectionCache,
    ProjectionPatch,
    ProjectionStats,
    projection_stats,
)
from graph_service.analysis.projection_patch import compounds_near
from graph_service.analysis.recommendations import PairingPlan, community_demand, recommend_pairings
from graph_service.analysis.structure import (
    BlockCutTree,
    Broker,
    IsolatedGroups,
    OverloadedPerson,
    SinglePointOfFailure,
    StructureReport,
    brokers,
    current_posts,
    isolated_groups,
    overloaded_people,
    people_org_network,
    single_points_of_failure,
    structure_report,
)
from graph_service.analysis.weakness import (
    ASSESSED_KINDS,
    OrganizationWeakness,
    organization_weakness,
    rejudged,
    weak_organizations,
)
from graph_service.domain.enums import AreaLevel, NodeLabel, OrgKind
from graph_service.domain.gaps import MEASURE_REACH
from graph_service.errors import Problem, ValidationError
from graph_service.heap import gc_paused
from graph_service.services.calendar import Calendar
from graph_service.services.coverage import compound_measures
from graph_service.services.kept import KeptResults
from graph_service.services.measures import CompoundMeasures, MeasuresPatch
from graph_service.store.port import Row, Store, Tx

if TYPE_CHECKING:
    from graph_service.config import AnalysisSettings

__all__ = [
    "ANALYSIS_NAME",
    "CSV_COLUMNS",
    "STEPS",
    "AnalysisReport",
    "AnalysisRunRecord",
    "AnalysisService",
    "NetworkStructure",
    "Progress",
    "WeaknessTrendPoint",
    "list_runs",
    "report_csv",
    "report_json",
    "run_all",
    "run_weakness",
    "weakness_trend",
]

T = TypeVar("T")
P = ParamSpec("P")


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
    projections: ProjectionCache,
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
        # With the projection's millions of containers alive, each full collection of the cyclic GC walks them
        # all, and the analyses allocate enough to trigger many: at scale 10 that was a third of the pairing
        # step. What the steps make is freed by reference counting; the GC runs again after each step.
        with gc_paused():
            yield
        timings[name] = time.perf_counter() - started

    with step("projection"):
        graph, measures = graph_and_measures(projections, area_id, th)
        stats = projection_stats(graph)
        index_was_kept = index_kept(graph, th.day())
    with step("coverage"):
        coverage = compound_coverage(graph, measures, th)
    with step("roll-ups"):
        rollups = coverage_rollups(graph, coverage, th)
    with step("chain"):
        chains = chain_completeness(graph, th)
    with step("weakness"):
        weakness = organization_weakness(graph, measures, th)
        if not index_was_kept:
            # The steps below do not read the day's index; one this run made goes now rather than with the graph.
            forget_index(graph, th.day())
    with step("structure"):
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
            _save(projections, report)
    if progress:
        progress("done", len(STEPS), len(STEPS))
    return report


def graph_and_measures(projections: ProjectionCache, area_id: str | None, th: Thresholds) -> tuple[nx.MultiDiGraph, list[Row]]:
    """The projection of ``area_id`` and its compounds' measures on ``th``'s day, read at one write version.

    The measures are a second read: when a write lands between the two, both are read again (a few times; under
    a steady stream of writes the last pair is returned, the measures then being at most that much newer).
    """
    for _ in range(3):
        graph = projections.get(area_id)
        measures = compound_measures(projections.store, area_id, th.day())
        if projections.get(area_id) is graph:
            break
    return graph, measures


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


def _save(projections: ProjectionCache, report: AnalysisReport) -> None:
    store = projections.store
    params = {
        "id": report.run_id,
        "at": report.at,
        "analysis": ANALYSIS_NAME,
        "params": json.dumps(report.parameters, ensure_ascii=False, sort_keys=True),
        "summary": json.dumps(report.summary(), ensure_ascii=False, sort_keys=True),
        "weakness": json.dumps(run_weakness(report), ensure_ascii=False, sort_keys=True, separators=(",", ":")),
    }

    def save(tx: Tx) -> None:
        # A system node, no domain change: the cached projection is kept across this write (``Tx.described``).
        tx.described = True
        tx.run("analysis_save_run", params)

    store.execute_write(save)


def list_runs(
    store: Store, analysis: str | None = ANALYSIS_NAME, area: str | None = None, *, limit: int = 50
) -> list[AnalysisRunRecord]:
    """Saved runs, newest first: of ``analysis`` (every kind when ``None``) for ``area`` (the city run when
    ``None``), at most ``limit``."""
    if limit < 1:
        raise ValidationError([Problem("limit", "must be at least 1", limit)])
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


def run_weakness(report: AnalysisReport) -> dict[str, Any]:
    """Each organisation the run judged, as saved with it:
    ``{"weak": {org_id: [score, [codes], priority]}, "sound": [ids]}``.

    ``weak`` holds those with a factor fired (their score, the codes fired, and whether the score made the priority
    cut, kept as judged rather than judged again from the parameters), ``sound`` those judged with none.
    Keeping the sound ones is what tells "judged and not weak" from "not judged" (outside the run's area, not yet
    founded, dissolved) in a trend; they cost an id each.
    """
    weak = {w.org_id: [w.score, list(w.factor_codes), w.priority] for w in report.weakness if w.factors}
    sound = sorted(w.org_id for w in report.weakness if not w.factors)
    return {"weak": dict(sorted(weak.items())), "sound": sound}


@dataclass(frozen=True)
class WeaknessTrendPoint:
    """One organisation in one saved run.

    ``judged`` is True when the run judged it (``score`` 0 and no ``factors``: it was not weak), False when it did
    not (outside the run's area, not an assessed organisation on the run's day), and None when the run was saved
    before runs kept per-organisation scores (nothing is known then: ``score`` and ``priority`` are None too).
    """

    run_id: str
    at: datetime
    as_of: str | None
    judged: bool | None
    score: float | None
    priority: bool | None
    factors: tuple[str, ...]


def weakness_trend(
    store: Store, org_id: str, analysis: str | None = ANALYSIS_NAME, area: str | None = None, *, limit: int = 50
) -> list[WeaknessTrendPoint]:
    """``org_id``'s weakness in each saved run of ``analysis`` for ``area`` (the city runs when ``None``), newest
    first, at most ``limit`` runs."""
    if limit < 1:
        raise ValidationError([Problem("first", "must be at least 1", limit)])
    out: list[WeaknessTrendPoint] = []
    for row in store.read("analysis_list_run_weakness", {"analysis": analysis}):
        params = json.loads(row.get("params") or "{}")
        if params.get("area_id") != area:
            continue
        out.append(_trend_point(row, params, org_id))
        if len(out) >= limit:
            break
    return out


def _trend_point(row: Row, params: dict[str, Any], org_id: str) -> WeaknessTrendPoint:
    base = {"run_id": row["id"], "at": row["at"], "as_of": params.get("as_of")}
    if not row.get("weakness"):
        return WeaknessTrendPoint(**base, judged=None, score=None, priority=None, factors=())
    saved = json.loads(row["weakness"])
    if org_id in saved.get("weak", {}):
        score, codes, priority = saved["weak"][org_id]
        return WeaknessTrendPoint(**base, judged=True, score=score, priority=priority, factors=tuple(codes))
    judged = org_id in saved.get("sound", ())
    return WeaknessTrendPoint(
        **base, judged=judged, score=0.0 if judged else None, priority=False if judged else None, factors=()
    )


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
    "basis",
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
                     f.label, f.value, f.threshold, f.weight, f.detail, "")
                )  # fmt: skip
    for w in report.weak:
        for wf in w.factors:
            writer.writerow(
                ("weakness", w.org_id, w.name, w.kind, w.area_id, w.score, w.priority, wf.code, wf.label, wf.value,
                 wf.threshold, wf.weight, f"{wf.criterion}; {wf.detail}".strip("; "), wf.basis)
            )  # fmt: skip
    for r in report.chain_breaks:
        writer.writerow(
            ("chain", r.building_id, "", "building", r.compound_id, "", "", r.break_code, r.break_label, "", "", "",
             " -> ".join(r.path), "")
        )  # fmt: skip
    return buffer.getvalue()


@dataclass(frozen=True)
class NetworkStructure:
    """The network's shape for one area and day: brokers, overloaded people and isolated groups."""

    nodes: int
    edges: int
    groups: IsolatedGroups
    brokers: list[Broker]
    overloaded: list[OverloadedPerson]


class AnalysisService:
    """Every analysis of one store, for any area and day, with results kept per projection.

    Results are kept with the (frozen) projection object they were computed on, for the last few days asked about
    (``services.kept``): a write gives a new projection, and the old results go with the old graph. The
    people-organisation network and its block-cut tree, which single points of failure and the network structure
    are computed from, are kept for one projection and day only (the last built): at scale 10 they are hundreds of
    megabytes, and they are asked for together, not area after area.

    After a write the cache patches the projection (``ProjectionPatch``), and two results are patched with it
    rather than computed again: the compounds' measures (only the compounds within ``MEASURE_REACH`` of a changed
    entity are read again, ``services.measures``) and the weak organisations, whose last verdicts per area, day
    and thresholds are remembered with the projection's generation (``analysis.weakness.rejudged`` judges again
    only the organisations a change of attributes can move; a change of relationships or of what the day index
    reads is judged whole).
    """

    def __init__(
        self,
        projections: ProjectionCache,
        settings: AnalysisSettings,
        calendar: Calendar | None = None,
        measures: CompoundMeasures | None = None,
    ) -> None:
        self.projections = projections
        self.settings = settings
        self.calendar = calendar or Calendar(projections.store)
        self.measures = measures or CompoundMeasures(projections.store)
        #: The results kept per projection and day (read by tests and benchmarks).
        self.results = KeptResults()
        #: How the weak organisations were found: judged whole or judged again after a patch (tests, benchmarks).
        self.counts: Counter[str] = Counter()
        self._network_of: tuple[weakref.ref[nx.MultiDiGraph], date] | None = None
        self._lock = threading.Lock()
        # The last weak organisations found per (area, day, thresholds), with the generation of the city graph and
        # the measures they were found on: what the next patch starts from. Verdict lists, not graphs: the old
        # projection is not kept alive for them.
        self._judged: OrderedDict[Hashable, tuple[int, list[OrganizationWeakness], list[Row]]] = OrderedDict()
        self._reach: tuple[ProjectionPatch, frozenset[str]] | None = None  # the compounds in reach of the last patch

    def thresholds(self, as_of: date | None = None) -> Thresholds:
        """The settings' thresholds on ``as_of`` (else the store's reference day, else today: ``Calendar``)."""
        return Thresholds.from_settings(self.settings, as_of=self.calendar.day(as_of))

    def clear(self) -> None:
        """Forget every kept result (tests, benchmarks)."""
        self.results.clear()

    def _kept(self, graph: nx.MultiDiGraph, th: Thresholds, key: Hashable, compute: Callable[[], T]) -> T:
        return self.results.get(graph, th.day(), key, compute)

    # --- the analyses --------------------------------------------------------------------------------------

    def coverage(self, area_id: str | None = None, as_of: date | None = None) -> list[CompoundCoverage]:
        """Every live compound's coverage, lowest score first."""
        th = self.thresholds(as_of)
        graph, _, patch = self.projections.get_with_patch(area_id)
        return self._kept(
            graph, th, ("coverage", _key(th)), lambda: compound_coverage(graph, self._measures(graph, th, patch), th)
        )

    def under_covered(self, area_id: str | None = None, as_of: date | None = None) -> list[CompoundCoverage]:
        return [c for c in self.coverage(area_id, as_of) if c.under_covered]

    def weak(self, area_id: str | None = None, as_of: date | None = None, kind: str | None = None) -> list[OrganizationWeakness]:
        """Weak and lax compound branches and community committees (of ``kind``), weakest first."""
        if kind is not None and kind not in {k.value for k in ASSESSED_KINDS}:
            allowed = ", ".join(k.value for k in ASSESSED_KINDS)
            raise ValidationError([Problem("kind", f"must be one of {allowed}", kind)])
        th = self.thresholds(as_of)
        graph, generation, patch = self.projections.get_with_patch(area_id)
        key = ("weak", _key(th))

        def compute() -> list[OrganizationWeakness]:
            measures = self._measures(graph, th, patch)
            found = self._rejudged(graph, th, key, generation, patch, measures)
            rejudged = found is not None
            if found is None:
                found = weak_organizations(graph, measures, th)
            with self._lock:
                self.counts["weak rejudged" if rejudged else "weak judged"] += 1
                self._judged[(area_id, th.day(), key)] = (generation, found, measures)
                self._judged.move_to_end((area_id, th.day(), key))
                while len(self._judged) > JUDGED_KEPT:
                    self._judged.popitem(last=False)
            return found

        found = self._kept(graph, th, key, compute)
        return [w for w in found if kind is None or w.kind == kind]

    def _rejudged(
        self,
        graph: nx.MultiDiGraph,
        th: Thresholds,
        key: Hashable,
        generation: int,
        patch: ProjectionPatch | None,
        measures: list[Row],
    ) -> list[OrganizationWeakness] | None:
        """The weak organisations of ``graph`` patched from those found on the previous projection, when the patch
        changed attributes only and they were found there; else ``None``."""
        if patch is None or patch.generation != generation or not patch.attributes_only:
            return None
        with self._lock:
            last = self._judged.get((graph.graph.get("area_id"), th.day(), key))
        if last is None or last[0] != patch.previous:
            return None
        before = {str(row["id"]): row for row in last[2]}
        now = {str(row["id"]): row for row in measures}
        moved = {c for c in before.keys() | now.keys() if before.get(c) != now.get(c)}
        return rejudged(last[1], graph, measures, th, patch.changed_attributes(), moved)

    def _measures(self, graph: nx.MultiDiGraph, th: Thresholds, patch: ProjectionPatch | None = None) -> list[Row]:
        """The measures of the compounds of ``graph`` (a projection of this service's cache), kept with it;
        ``patch``, how the projection came from the previous one, says which compounds to read again."""
        area_id = graph.graph.get("area_id")
        return self._kept(
            graph,
            th,
            ("measures", th.standards),
            lambda: self.measures.under(area_id, th.day(), self._measures_patch(patch)),
        )

    def _measures_patch(self, patch: ProjectionPatch | None) -> MeasuresPatch | None:
        """Which compounds' measures ``patch`` may have moved: those within ``MEASURE_REACH`` of what it changed."""
        if patch is None:
            return None
        with self._lock:
            reach = self._reach
        if reach is None or reach[0] is not patch:
            reach = (patch, frozenset(compounds_near(patch.city, patch.touched, MEASURE_REACH)))
            with self._lock:
                self._reach = reach
        # A change of node properties alone (no relationship, no new node): only the measures reading them can move.
        properties = frozenset().union(*patch.changed_attributes().values()) if patch.attributes_only else None
        return MeasuresPatch(patch.since.version, patch.now.version, reach[1], properties)

    def chain_breaks(self, area_id: str | None = None, as_of: date | None = None) -> list[ChainResult]:
        th = self.thresholds(as_of)
        graph = self.projections.get(area_id)
        return self._kept(graph, th, ("chain_breaks", _key(th)), lambda: chain_breaks(graph, th))

    def _network(self, graph: nx.MultiDiGraph, th: Thresholds) -> nx.Graph:
        def build() -> nx.Graph:
            net = people_org_network(graph, as_of=th.day())
            self._keep_one_network(graph, th.day())
            return net

        return self._kept(graph, th, _NETWORK, build)

    def _tree(self, graph: nx.MultiDiGraph, th: Thresholds) -> BlockCutTree:
        return self._kept(graph, th, _TREE, lambda: BlockCutTree(self._network(graph, th)))

    def _keep_one_network(self, graph: nx.MultiDiGraph, day: date) -> None:
        """Drop the network and tree kept for another projection or day: the one of ``graph`` on ``day`` replaces
        them (results computed from them stay)."""
        with self._lock:
            previous, self._network_of = self._network_of, (weakref.ref(graph), day)
        if previous is None:
            return
        old_graph, old_day = previous[0](), previous[1]
        if old_graph is not None and (old_graph is not graph or old_day != day):
            self.results.forget(old_graph, old_day, _NETWORK, _TREE)

    def single_points_of_failure(self, area_id: str | None = None, as_of: date | None = None) -> list[SinglePointOfFailure]:
        th = self.thresholds(as_of)
        graph = self.projections.get(area_id)
        return self._kept(
            graph,
            th,
            ("spof",),
            lambda: single_points_of_failure(self._network(graph, th), tree=self._tree(graph, th)),
        )

    def structure(self, area_id: str | None = None, as_of: date | None = None) -> NetworkStructure:
        th = self.thresholds(as_of)
        graph = self.projections.get(area_id)

        def compute() -> NetworkStructure:
            net, tree = self._network(graph, th), self._tree(graph, th)
            overloaded = overloaded_people(current_posts(graph, as_of=th.day()), max_posts=th.standards.max_posts_per_person)
            return NetworkStructure(
                nodes=net.number_of_nodes(),
                edges=net.number_of_edges(),
                groups=isolated_groups(net, seed=0, tree=tree),
                brokers=brokers(net, top=20, sample=500, seed=0, tree=tree),
                overloaded=overloaded,
            )

        return self._kept(graph, th, ("structure", _key(th)), compute)

    def reach(self, from_id: str, k: int = 3, as_of: date | None = None) -> MobilizationReach:
        """Who a street or community committee (or the area one leads) reaches in ``k`` steps."""
        if not 1 <= k <= 20:
            raise ValidationError([Problem("k", "steps must be from 1 to 20", k)])
        th = self.thresholds(as_of)
        graph = self.projections.get()
        start = _reach_start(graph, from_id)
        return self._kept(graph, th, ("reach", start, k), lambda: mobilization_reach(graph, start, k=k, as_of=th.day()))

    def pairing_plan(self, as_of: date | None = None) -> PairingPlan:
        """New pairings for under-covered communities over the whole city (min-cost flow)."""
        th = self.thresholds(as_of)
        graph = self.projections.get()

        def compute() -> PairingPlan:
            per_community = Counter(c.community_id for c in self.under_covered(None, as_of) if c.community_id)
            demand = community_demand(graph, under_covered=dict(per_community), as_of=th.day())
            return recommend_pairings(graph, demand=demand, as_of=th.day())

        return self._kept(graph, th, ("pairing_plan", _key(th)), compute)

    def communities_in(self, area_id: str) -> set[str]:
        """The communities of ``area_id``'s projection (``NotFoundError`` for an unknown area)."""
        graph = self.projections.get(area_id)
        return {
            str(n)
            for n, a in graph.nodes(data=True)
            if a.get("label") == NodeLabel.AREA.value and a.get("level") == AreaLevel.COMMUNITY.value
        }

    # --- saved runs ---------------------------------------------------------------------------------------------

    def run_all(
        self, area_id: str | None = None, progress: Progress | None = None, *, as_of: date | None = None, save: bool = True
    ) -> AnalysisReport:
        return run_all(self.projections, area_id, self.settings, progress, as_of=self.calendar.day(as_of), save=save)

    def runs(self, area_id: str | None = None, *, limit: int = 50) -> list[AnalysisRunRecord]:
        return list_runs(self.projections.store, ANALYSIS_NAME, area_id, limit=limit)

    def weakness_trend(self, org_id: str, area_id: str | None = None, *, limit: int = 50) -> list[WeaknessTrendPoint]:
        return weakness_trend(self.projections.store, org_id, ANALYSIS_NAME, area_id, limit=limit)


#: Keys of the network and its block-cut tree among a projection's kept results.
#: How many (area, day, thresholds) an ``AnalysisService`` remembers its last weak organisations for.
JUDGED_KEPT = 32

_NETWORK: Hashable = ("network",)
_TREE: Hashable = ("block_cut_tree",)


def _reach_start(graph: nx.MultiDiGraph, from_id: str) -> str:
    """The committee a reach from ``from_id`` starts at; ``ValidationError`` naming ``fromId`` when none does."""
    try:
        return resolve_start(graph, from_id)
    except ValueError as error:  # resolve_start's documented refusal of a start that is no committee
        raise ValidationError([Problem("fromId", str(error), from_id)]) from None


def _key(th: Thresholds) -> Hashable:
    """A hashable stand-in for ``th`` (its weight maps are dicts) to key kept results by."""
    return (
        th.standards,
        tuple(sorted((str(k), v) for k, v in th.coverage_weights.items())),
        tuple(sorted((str(k), v) for k, v in th.weakness_weights.items())),
        th.as_of,
    )
