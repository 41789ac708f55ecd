"""GraphQL surface of the network analyses, merged into the root Query by ``graph_service.api.schema``.

Every field is for the analyst role (and admin). Each asks the application layer's ``AnalysisService``, which
runs the analysis in a worker thread over the cached projection and keeps its result, so asking again (another
page, another client) costs nothing until the store is written to. ``areaId`` narrows a list to the area's part
of the graph; lists are Relay connections (``first``/``after``).

Every score shows its factors: a code, the Chinese label, the value, the threshold and (for weakness) the official
criterion it maps onto.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from functools import partial
from typing import Annotated, TypeVar, cast

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from graph_service.analysis.chain import ChainResult
from graph_service.analysis.coverage import CompoundCoverage, CoverageFactor
from graph_service.analysis.mobilization import AreaRef as UnreachedArea
from graph_service.analysis.mobilization import StepCount
from graph_service.analysis.recommendations import Proposal, Reason, UnmetDemand
from graph_service.analysis.structure import (
    Broker,
    Community,
    Component,
    OrgRef,
    OverloadedPerson,
    PostRef,
    SeparatedPart,
    SinglePointOfFailure,
)
from graph_service.analysis.weakness import ASSESSED_KINDS, FiredFactor, OrganizationWeakness
from graph_service.api.common import AsOf, copy_fields, load_node, page
from graph_service.api.derive import Shown, mirror, of
from graph_service.api.ends import area_from_row, organization_from_row
from graph_service.api.pagination import Connection
from graph_service.api.permissions import PAIRING_PLANNERS, STAFF, allow
from graph_service.api.refs import AreaRef, OrganizationRef
from graph_service.domain.enums import NodeLabel
from graph_service.domain.standards import OFFICIAL_CRITERION, WeaknessFactor
from graph_service.errors import NotFoundError, Problem, ValidationError
from graph_service.services.analyses import AnalysisService
from graph_service.services.analyses import WeaknessTrendPoint as TrendPoint
from graph_service.services.workers import in_worker

__all__ = ["AnalysisQuery"]

T = TypeVar("T")


def _text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def _analyses(info: Info) -> AnalysisService:
    service: AnalysisService = info.context.services.analyses
    return service


# ---------------------------------------------------------------------------------------------------------------
# Types


@strawberry.type(description="A saved run of `graph-service analyze`: when, for which area, and its summary counts")
class AnalysisRunResult:
    id: strawberry.ID
    at: datetime
    analysis: str
    area_id: str | None = strawberry.field(description="The area analysed; null for the whole city")
    parameters: JSON = strawberry.field(description="Thresholds, weights and the as-of day the run used")
    summary: JSON = strawberry.field(description="Counts per gap, factor and structural finding, and step timings")
    weak: int | None = strawberry.field(
        default=None, description="Weak organisations (any factor fired) the run found (summary.weak)"
    )
    weak_priority: int | None = strawberry.field(
        default=None, description="Of them, those above the priority cut (summary.weak_priority)"
    )


@strawberry.type(
    description=(
        "One organisation in one saved run. judged: true when the run judged it (score 0 and no factors: not weak),"
        " false when it did not (outside the run's area, not an assessed organisation on the run's day), null when the"
        " run was saved before runs kept each organisation's score (score and priority are null then too)"
    )
)
class WeaknessTrendPoint:
    run_id: strawberry.ID
    at: datetime
    as_of: date | None = strawberry.field(description="The day the run judged")
    judged: bool | None
    score: float | None = strawberry.field(description="Weakness score (0-100, higher is weaker); null unless judged")
    weak: bool | None = strawberry.field(description="Any factor fired; null unless judged")
    priority: bool | None = strawberry.field(description="Above the run's priority cut; null unless judged")
    factors: list[str] = strawberry.field(description="Codes of the factors fired (weakness factor codes)")

    @classmethod
    def of(cls, p: TrendPoint) -> WeaknessTrendPoint:
        return cls(
            run_id=strawberry.ID(p.run_id),
            at=p.at,
            as_of=date.fromisoformat(p.as_of) if p.as_of else None,
            judged=p.judged,
            score=p.score,
            weak=bool(p.factors) if p.judged else None,
            priority=p.priority,
            factors=list(p.factors),
        )


@strawberry.type(description="A threshold the analyses apply (GRAPH_SERVICE_ANALYSIS_*)")
class AnalysisThreshold:
    code: str
    value: float


@strawberry.type(description="One factor behind a score: code, Chinese label, value and threshold")
class AnalysisFactor:
    code: str
    label: str
    value: str | None
    threshold: str | None
    weight: float
    fired: bool
    detail: str
    criterion: str | None = strawberry.field(default=None, description="Official criterion (软弱涣散 list item)")
    evidence: str | None = None
    basis: str | None = strawberry.field(
        default=None, description="The article of the Branch Work Regulations the factor applies, where one does"
    )
    explanation: str | None = strawberry.field(
        default=None,
        description="The finding and what it rests on, in Chinese words staff can paste into a report (weakness only)",
    )

    @classmethod
    def from_coverage(cls, f: CoverageFactor) -> AnalysisFactor:
        return copy_fields(cls, f, value=_text(f.value), threshold=_text(f.threshold))

    @classmethod
    def from_weakness(cls, f: FiredFactor) -> AnalysisFactor:
        return copy_fields(
            cls,
            f,
            value=_text(f.value),
            threshold=_text(f.threshold),
            fired=True,
            evidence=f.evidence or None,
            basis=f.basis or None,
            explanation=f.report_text,
        )


@strawberry.type(description="A code and its Chinese label")
class CodeLabel:
    code: str
    label: str


@strawberry.type(description="A factor of the weakness score: code, Chinese label, official criterion, weight in force")
class WeaknessFactorInfo:
    code: str
    label: str
    criterion: str | None = strawberry.field(description="Official criterion (软弱涣散 list item) it maps onto")
    weight: float


@strawberry.type(description="What the weakness analysis judges: the kinds of organisation and the factors")
class WeaknessCriteria:
    kinds: list[CodeLabel]
    factors: list[WeaknessFactorInfo]


@strawberry.type(description="Kinds of organisation in a group, with counts")
class KindCount:
    kind: str
    count: int


def _kinds(kinds: dict[str, int]) -> list[KindCount]:
    return [KindCount(kind=k, count=v) for k, v in kinds.items()]


_KINDS = Shown(list[KindCount], _kinds)


@mirror(
    CompoundCoverage,
    description="A compound's coverage score (0-100, higher is better) and the indicators behind it",
    ids=("compound_id",),
    shown={
        "factors": Shown(list[AnalysisFactor], lambda fs: [AnalysisFactor.from_coverage(f) for f in fs]),
        "gaps": Shown(list[str], list, after="priority"),
    },
    described={"priority": "Score below the threshold: act on these first"},
)
class CompoundCoverageResult:
    compound_id: strawberry.ID

    @strawberry.field(description="The compound itself, for drilling down (its buildings, branch, staff ...)")
    async def compound(self, info: Info) -> AreaRef | None:
        return await load_node(info, NodeLabel.AREA.value, str(self.compound_id), area_from_row())


@mirror(
    OrganizationWeakness,
    description="A weakness score (0-100, higher is weaker) of a branch or community committee",
    ids=("org_id",),
    shown={"factors": Shown(list[AnalysisFactor], lambda fs: [AnalysisFactor.from_weakness(f) for f in fs])},
    described={
        "members": "People holding a current Party post in it",
        "full_members": "Of them, full members (正式党员): not recorded as probationary",
        "priority": "Score above the threshold: the first to rectify",
    },
)
class WeakOrganizationResult:
    org_id: strawberry.ID

    @strawberry.field(description="The organisation itself, for drilling down (its posts, pairings, parent ...)")
    async def organization(self, info: Info) -> OrganizationRef | None:
        return await load_node(info, NodeLabel.ORGANIZATION.value, str(self.org_id), organization_from_row())


@mirror(
    ChainResult,
    description="A building whose chain to the street Party working committee is broken, and where",
    ids=("building_id",),
    described={"path": "Organisations reached from the building upwards"},
)
class ChainBreakResult:
    pass


@mirror(OrgRef, description="An organisation named in a structural result", ids=("id",))
class AnalysisOrgRef:
    pass


@mirror(PostRef, description="A post a person holds", ids=("org_id",))
class AnalysisPost:
    pass


@mirror(
    SeparatedPart,
    description="A part of the network cut off when the person leaves",
    shown={"kinds": _KINDS},
    described={"attached_via": "Where the person's posts hold this part on"},
)
class SeparatedPartResult:
    pass


@mirror(
    SinglePointOfFailure,
    description="A person whose departure cuts organisations off from the rest of the network",
    ids=("person_id",),
    shown={"separated_size": Shown(int, int, after="component_size")},
    described={"cut_from": "Organisations that would lose the separated parts"},
)
class SinglePointOfFailureResult:
    pass


@mirror(
    Broker,
    description="A broker: high betweenness, low constraint (Burt)",
    ids=("person_id",),
    described={"sources": "Sources the betweenness estimate used (all nodes: exact)"},
)
class BrokerResult:
    pass


@mirror(OverloadedPerson, description="A person holding more current posts than the threshold", ids=("person_id",))
class OverloadedPersonResult:
    pass


@mirror(Component, description="A connected part of the network apart from the largest", shown={"kinds": _KINDS})
class ComponentResult:
    pass


@mirror(
    Community,
    description="A Louvain community; externalShare = share of its ties reaching outside it",
    skip=("index",),
    shown={"kinds": _KINDS},
)
class NetworkCommunityResult:
    pass


@strawberry.type(description="Brokers, overloaded people and isolated groups of the people–organisation network")
class NetworkStructureResult:
    nodes: int
    edges: int
    largest_component: int
    anchored_components: int = strawberry.field(description="Parts holding a street committee or leadership group")
    modularity: float
    brokers: list[BrokerResult]
    overloaded: list[OverloadedPersonResult]
    components: list[ComponentResult] = strawberry.field(description="Groups cut off from the main network")
    communities: list[NetworkCommunityResult] = strawberry.field(description="Most closed first (at most 50)")


@mirror(StepCount, description="Everyone and everything reached within `step` steps (cumulative)")
class ReachStep:
    pass


@strawberry.type(description="A compound the committee does not reach within k steps")
class UnreachedCompound:
    id: strawberry.ID
    name: str
    steps_needed: int | None = strawberry.field(description="Steps that would reach it (null: not within k+3)")

    @classmethod
    def of(cls, area: UnreachedArea) -> UnreachedCompound:
        return cls(id=strawberry.ID(area.id), name=area.name, steps_needed=area.steps_needed)


@strawberry.type(description="Whom a street or community committee reaches within k steps (平急结合)")
class MobilizationReachResult:
    start_id: strawberry.ID
    start_kind: str
    area_id: str | None
    k: int
    by_step: list[ReachStep]
    reached: ReachStep
    compounds_total: int
    unreached: Connection[UnreachedCompound]


@mirror(Reason, description="One reason behind a proposal")
class ProposalReason:
    pass


@mirror(
    Proposal,
    description="A proposed pairing (结对共建) of a unit's Party organisation with a community",
    ids=("unit_org_id", "community_id", "committee_id"),
)
class PairingProposal:
    pass


@mirror(
    UnmetDemand,
    description="Pairings a community still needs after the plan",
    ids=("community_id",),
    shown={"unmet": Shown(int, int, after="met"), "reason_label": Shown(str, str)},
    described={"reason": "Code: no_committee or no_capacity", "reason_label": "The reason in Chinese"},
)
class UnmetPairingDemand:
    pass


@strawberry.type(description="Proposed pairings by min-cost flow, and the demand left unmet")
class PairingPlanResult:
    demand_total: int
    supply_total: int
    total_cost: int
    proposals: Connection[PairingProposal]
    unmet: list[UnmetPairingDemand]


# ---------------------------------------------------------------------------------------------------------------
# The root fields


@strawberry.type
class AnalysisQuery:
    @strawberry.field(
        description=(
            "The day reads and analyses judge by when a request names none (asOf): the store's reference day (a "
            "seeded demo city records the day it was generated for), else today"
        ),
        extensions=allow(*STAFF),
    )
    async def reference_day(self, info: Info) -> date:
        return await in_worker(_analyses(info).calendar.day)

    @strawberry.field(description="The thresholds the analyses apply", extensions=allow(*STAFF))
    def analysis_thresholds(self, info: Info) -> list[AnalysisThreshold]:
        standards = info.context.settings.analysis.standards()
        return [
            AnalysisThreshold(code=name, value=float(getattr(standards, name))) for name in type(standards).__dataclass_fields__
        ]

    @strawberry.field(
        description="Saved analysis runs, newest first: compare summaries to follow the trend after a fix",
        extensions=allow(*STAFF),
    )
    async def analysis_runs(
        self, info: Info, area_id: strawberry.ID | None = None, first: int | None = None, after: str | None = None
    ) -> Connection[AnalysisRunResult]:
        analyses = _analyses(info)
        runs = await in_worker(analyses.runs, area_id, limit=1000)
        found = [
            AnalysisRunResult(
                id=strawberry.ID(r.id),
                at=r.at,
                analysis=r.analysis,
                area_id=r.area_id,
                parameters=cast(JSON, r.params),
                summary=cast(JSON, r.summary),
                weak=r.summary.get("weak"),
                weak_priority=r.summary.get("weak_priority"),
            )
            for r in runs
        ]
        return page(info, found, first, after)

    @strawberry.field(
        description=(
            "One organisation's weakness in each saved analysis run for areaId (the city runs when null), newest"
            " first: its score and fired factors then, to follow it after a fix"
        ),
        extensions=allow(*STAFF),
    )
    async def weakness_trend(
        self,
        info: Info,
        org_id: strawberry.ID,
        area_id: strawberry.ID | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[WeaknessTrendPoint]:
        if await load_node(info, NodeLabel.ORGANIZATION.value, str(org_id), organization_from_row()) is None:
            raise NotFoundError(f"orgId: no organisation {str(org_id)!r}")
        points = await in_worker(_analyses(info).weakness_trend, str(org_id), area_id, limit=1000)
        return page(info, points, first, after, WeaknessTrendPoint.of)

    @strawberry.field(
        description=(
            "Compounds the organisational system does not fully reach (any coverage gap), lowest score first, with the"
            " factors behind each score; priorityOnly keeps those scoring below GRAPH_SERVICE_ANALYSIS_UNDER_COVERED_BELOW"
        ),
        extensions=allow(*STAFF),
    )
    async def under_covered_compounds(
        self,
        info: Info,
        area_id: strawberry.ID | None = None,
        priority_only: bool = False,
        as_of: AsOf = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[CompoundCoverageResult]:
        analyses = _analyses(info)
        found = await in_worker(analyses.under_covered, area_id, as_of)
        chosen = [c for c in found if c.priority or not priority_only]
        return page(info, chosen, first, after, partial(of, CompoundCoverageResult))

    @strawberry.field(
        description=(
            "Weak and lax (软弱涣散) compound branches, joint branches and community committees (any factor fired), weakest"
            " first, each factor with the article of the Branch Work Regulations or the item of the official list behind"
            " it; kind: compound_branch, joint_branch or community_committee; priorityOnly keeps those scoring above"
            " GRAPH_SERVICE_ANALYSIS_WEAK_ABOVE"
        ),
        extensions=allow(*STAFF),
    )
    async def weak_organizations(
        self,
        info: Info,
        area_id: strawberry.ID | None = None,
        kind: str | None = None,
        factor: Annotated[
            str | None, strawberry.argument(description="Keep those with this factor fired (a code of weaknessCriteria)")
        ] = None,
        priority_only: bool = False,
        as_of: AsOf = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[WeakOrganizationResult]:
        analyses = _analyses(info)
        if factor is not None and factor not in {f.value for f in WeaknessFactor}:
            raise ValidationError([Problem("factor", "no weakness factor has this code (see weaknessCriteria)", factor)])
        found = await in_worker(analyses.weak, area_id, as_of, kind)
        chosen = [w for w in found if (w.priority or not priority_only) and (factor is None or factor in w.factor_codes)]
        return page(info, chosen, first, after, partial(of, WeakOrganizationResult))

    @strawberry.field(
        description="The kinds of organisation the weakness analysis judges and its factors, with Chinese labels",
        extensions=allow(*STAFF),
    )
    def weakness_criteria(self, info: Info) -> WeaknessCriteria:
        th = _analyses(info).thresholds()
        return WeaknessCriteria(
            kinds=[CodeLabel(code=k.value, label=k.label) for k in ASSESSED_KINDS],
            factors=[
                WeaknessFactorInfo(code=f.value, label=f.label, criterion=OFFICIAL_CRITERION.get(f), weight=th.weakness_weight(f))
                for f in WeaknessFactor
            ],
        )

    @strawberry.field(
        description="Buildings without an unbroken chain to the street Party working committee",
        extensions=allow(*STAFF),
    )
    async def chain_breaks(
        self,
        info: Info,
        area_id: strawberry.ID | None = None,
        first: int | None = None,
        after: str | None = None,
        as_of: AsOf = None,
    ) -> Connection[ChainBreakResult]:
        analyses = _analyses(info)
        found = await in_worker(analyses.chain_breaks, area_id, as_of)
        return page(info, found, first, after, partial(of, ChainBreakResult))

    @strawberry.field(
        description="People whose departure cuts organisations (with their members) off from the network, largest cut first",
        extensions=allow(*STAFF),
    )
    async def single_points_of_failure(
        self,
        info: Info,
        area_id: strawberry.ID | None = None,
        first: int | None = None,
        after: str | None = None,
        as_of: AsOf = None,
    ) -> Connection[SinglePointOfFailureResult]:
        analyses = _analyses(info)
        found = await in_worker(analyses.single_points_of_failure, area_id, as_of)
        return page(info, found, first, after, partial(of, SinglePointOfFailureResult))

    @strawberry.field(
        description="Brokers (betweenness, constraint), overloaded people and isolated groups of the network",
        extensions=allow(*STAFF),
    )
    async def network_structure(
        self,
        info: Info,
        area_id: strawberry.ID | None = None,
        as_of: AsOf = None,
    ) -> NetworkStructureResult:
        analyses = _analyses(info)
        found = await in_worker(analyses.structure, area_id, as_of)
        groups = found.groups
        return NetworkStructureResult(
            nodes=found.nodes,
            edges=found.edges,
            largest_component=groups.largest_component,
            anchored_components=groups.anchored_components,
            modularity=groups.modularity,
            brokers=[of(BrokerResult, b) for b in found.brokers],
            overloaded=[of(OverloadedPersonResult, o) for o in found.overloaded],
            components=[of(ComponentResult, c) for c in groups.components],
            communities=[of(NetworkCommunityResult, c) for c in groups.communities[:50]],
        )

    @strawberry.field(
        description="Party members, building leaders and volunteers a street or community committee reaches in k steps",
        extensions=allow(*STAFF),
    )
    async def mobilization_reach(
        self,
        info: Info,
        from_id: strawberry.ID,
        k: int = 3,
        first: int | None = None,
        after: str | None = None,
        as_of: AsOf = None,
    ) -> MobilizationReachResult:
        analyses = _analyses(info)
        reach = await in_worker(analyses.reach, str(from_id), k, as_of)
        return copy_fields(
            MobilizationReachResult,
            reach,
            by_step=[of(ReachStep, s) for s in reach.by_step],
            reached=of(ReachStep, reach.reached),
            unreached=page(info, reach.unreached, first, after, UnreachedCompound.of),
        )

    @strawberry.field(
        description=(
            "New pairings for under-covered communities by min-cost flow over the whole city, with reasons and unmet "
            "demand; areaId keeps the proposals and unmet demand of its communities (the totals stay city-wide)"
        ),
        extensions=allow(*PAIRING_PLANNERS),
    )
    async def pairing_recommendations(
        self,
        info: Info,
        area_id: strawberry.ID | None = None,
        first: int | None = None,
        after: str | None = None,
        as_of: AsOf = None,
    ) -> PairingPlanResult:
        analyses = _analyses(info)
        plan = await in_worker(analyses.pairing_plan, as_of)
        proposals: Sequence[Proposal] = plan.proposals
        unmet: Sequence[UnmetDemand] = plan.unmet
        if area_id is not None:
            inside = await in_worker(analyses.communities_in, str(area_id))
            proposals = [p for p in proposals if p.community_id in inside]
            unmet = [u for u in unmet if u.community_id in inside]
        return copy_fields(
            PairingPlanResult,
            plan,
            proposals=page(info, proposals, first, after, partial(of, PairingProposal)),
            unmet=[of(UnmetPairingDemand, u) for u in unmet],
        )
