"""What the coverage, chain and weakness analyses share: thresholds, input checks, and one index of the graph.

``GraphIndex`` walks the projection's edges once and files what the analyses ask about (who leads which area,
which groups cover which building, current posts, pairings, check-ins, sinking, appeals ...), keeping only what
is in force on ``as_of``: relationships whose ``end_date`` is empty or not yet passed (and whose ``start_date``
has come), organisations not dissolved, areas not abolished, people who have not left. It is cached per graph
and day for frozen graphs (projections), so coverage, chain and weakness over one projection pay for one walk.
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict, defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, TypeVar, cast

import networkx as nx
from networkx.utils import not_implemented_for

from graph_service.domain.enums import (
    OC_POSTS,
    PARTY_POSTS,
    AreaLevel,
    Employment,
    MemberStatus,
    NodeLabel,
    OrgKind,
    RelType,
)
from graph_service.domain.standards import DEFAULT_STANDARDS, CoverageGap, Standards, WeaknessFactor
from graph_service.heap import gc_paused, long_lived

if TYPE_CHECKING:
    from graph_service.config import AnalysisSettings

__all__ = [
    "DAYS_KEPT",
    "DEFAULT_COVERAGE_WEIGHTS",
    "DEFAULT_WEAKNESS_WEIGHTS",
    "OC_POST_CODES",
    "PARTY_POST_CODES",
    "GraphIndex",
    "Thresholds",
    "check_graph",
    "check_positive",
    "check_projection",
    "directed_projection",
    "forget_index",
    "graph_index",
    "index_kept",
    "is_current",
    "org_active",
    "simple_undirected",
]

#: Points a fired coverage gap takes off a compound's score of 100 (settings may override).
DEFAULT_COVERAGE_WEIGHTS: Mapping[CoverageGap, float] = MappingProxyType(
    {
        CoverageGap.NO_BRANCH: 35.0,
        CoverageGap.NO_OWNERS_COMMITTEE: 10.0,
        CoverageGap.NO_CROSS_APPOINTMENT: 5.0,
        CoverageGap.BUILDINGS_WITHOUT_GROUP: 20.0,
        CoverageGap.BUILDINGS_WITHOUT_LEADER: 15.0,
        CoverageGap.FEW_CENTRAL_HOUSEHOLDS: 10.0,
        CoverageGap.NO_STATION: 10.0,
        CoverageGap.NO_PROPERTY_MANAGEMENT: 15.0,
        CoverageGap.NO_SUNK_STAFF: 10.0,
        CoverageGap.NO_PAIRING: 10.0,
        CoverageGap.NO_REGISTERED_MEMBERS: 5.0,
        CoverageGap.FIVE_HAVES_MISSING: 5.0,
    }
)

#: Points a fired weakness factor adds to an organisation's weakness score (capped at 100).
DEFAULT_WEAKNESS_WEIGHTS: Mapping[WeaknessFactor, float] = MappingProxyType(
    {
        WeaknessFactor.SECRETARY_VACANT: 35.0,
        WeaknessFactor.FEW_MEMBERS: 35.0,
        WeaknessFactor.NO_COMMITTEE: 5.0,
        WeaknessFactor.NO_CROSS_APPOINTMENT: 10.0,
        WeaknessFactor.NO_PAIRING: 10.0,
        WeaknessFactor.FEW_REGISTERED: 10.0,
        WeaknessFactor.UNRESOLVED_APPEALS: 20.0,
        WeaknessFactor.NO_VENUE: 15.0,
        WeaknessFactor.ONE_PERSON_DEPENDENCE: 20.0,
        WeaknessFactor.BROKEN_CHAIN: 35.0,
        WeaknessFactor.STAFF_FLAG: 35.0,
        WeaknessFactor.TOO_MANY_MEMBERS: 10.0,
        WeaknessFactor.JOINT_BRANCH_TOO_WIDE: 10.0,
        WeaknessFactor.ELECTION_OVERDUE: 20.0,
        WeaknessFactor.IRREGULAR_GENERAL_MEETING: 15.0,
        WeaknessFactor.IRREGULAR_COMMITTEE_MEETING: 10.0,
        WeaknessFactor.IRREGULAR_GROUP_MEETING: 5.0,
        WeaknessFactor.IRREGULAR_PARTY_LESSON: 10.0,
        WeaknessFactor.IRREGULAR_PARTY_DAY: 10.0,
        WeaknessFactor.NO_ORG_LIFE_MEETING: 15.0,
        WeaknessFactor.NO_MEMBER_APPRAISAL: 10.0,
        WeaknessFactor.INACTIVE: 35.0,
    }
)


@dataclass(frozen=True)
class Thresholds:
    """Thresholds (``Standards``), factor weights and the day the analyses look at (today when ``None``)."""

    standards: Standards = DEFAULT_STANDARDS
    coverage_weights: Mapping[CoverageGap, float] = field(default_factory=lambda: DEFAULT_COVERAGE_WEIGHTS)
    weakness_weights: Mapping[WeaknessFactor, float] = field(default_factory=lambda: DEFAULT_WEAKNESS_WEIGHTS)
    as_of: date | None = None

    @classmethod
    def from_settings(cls, settings: AnalysisSettings, as_of: date | None = None) -> Thresholds:
        """Thresholds from ``Settings.analysis``: its standards, and its weights over the defaults."""
        coverage = {**DEFAULT_COVERAGE_WEIGHTS, **{CoverageGap(k): v for k, v in settings.coverage_weights.items()}}
        weakness = {**DEFAULT_WEAKNESS_WEIGHTS, **{WeaknessFactor(k): v for k, v in settings.weakness_weights.items()}}
        return cls(settings.standards(), coverage, weakness, as_of)

    def day(self) -> date:
        return self.as_of or date.today()

    def coverage_weight(self, gap: CoverageGap) -> float:
        return float(self.coverage_weights.get(gap, DEFAULT_COVERAGE_WEIGHTS[gap]))

    def weakness_weight(self, factor: WeaknessFactor) -> float:
        return float(self.weakness_weights.get(factor, DEFAULT_WEAKNESS_WEIGHTS[factor]))


def is_current(attrs: Mapping[str, Any], as_of: date) -> bool:
    """Whether a dated relationship is in force on ``as_of``: started (or no start) and not ended before it.

    ``end_date`` is the last day in force (Popolo), so a post ending today still counts today. Either date may be
    missing. Every analysis judges posts, pairings and sinkings with this one test.

    Examples
    --------
    >>> from datetime import date
    >>> is_current({"end_date": date(2020, 1, 1)}, date(2024, 1, 1))
    False
    >>> is_current({"start_date": date(2020, 1, 1)}, date(2024, 1, 1))
    True
    """
    start, end = attrs.get("start_date"), attrs.get("end_date")
    return (start is None or start <= as_of) and (end is None or end >= as_of)


_F = TypeVar("_F", bound=Callable[..., Any])


def simple_undirected(func: _F) -> _F:
    """Refuse a directed graph or a multigraph (the first argument) with networkx's own error."""
    return cast(_F, not_implemented_for("directed")(not_implemented_for("multigraph")(func)))


def directed_projection(func: _F) -> _F:
    """Refuse an undirected graph where the store's projection (a ``MultiDiGraph``) is expected."""
    return cast(_F, not_implemented_for("undirected")(func))


def org_active(attrs: Mapping[str, Any], as_of: date) -> bool:
    """Whether the node is an organisation still live on ``as_of`` (a later dissolution is still to come)."""
    dissolved = attrs.get("dissolved")
    return attrs.get("label") == NodeLabel.ORGANIZATION.value and (dissolved is None or dissolved > as_of)


def check_graph(graph: object, name: str = "graph") -> None:
    """``TypeError`` naming ``name`` unless ``graph`` is a networkx graph."""
    if not isinstance(graph, nx.Graph):
        raise TypeError(f"{name} must be a networkx graph, got {type(graph).__name__}")


def check_positive(name: str, value: int) -> None:
    """``ValueError`` naming ``name`` unless ``value`` is a positive integer."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")


def check_projection(graph: object) -> nx.MultiDiGraph:
    """``graph`` if it is a projection-shaped ``MultiDiGraph``; ``TypeError`` naming what it got otherwise."""
    if not isinstance(graph, nx.MultiDiGraph):
        raise TypeError(f"graph must be a networkx MultiDiGraph (see analysis.projection), got {type(graph).__name__}")
    return graph


def _gone(value: object, as_of: date) -> bool:
    return isinstance(value, date) and value <= as_of


#: Post codes that make a person a member of a Party organisation; of an owners' committee.
PARTY_POST_CODES: frozenset[str] = frozenset(p.value for p in PARTY_POSTS)
OC_POST_CODES: frozenset[str] = frozenset(p.value for p in OC_POSTS)


@dataclass
class GraphIndex:
    """The projection filed for the analyses; lists hold only what is in force on ``as_of``."""

    as_of: date
    level: dict[str, str] = field(default_factory=dict)  # area -> AreaLevel code (live areas only)
    parent: dict[str, str] = field(default_factory=dict)  # area -> parent area (PART_OF)
    children: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    kind: dict[str, str] = field(default_factory=dict)  # live organisation -> OrgKind code
    leaders: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))  # area -> orgs LEADing it
    led: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))  # org -> areas it LEADS
    org_parents: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))  # SUB_ORG_OF targets
    org_children: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    covered_by: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))  # building -> groups
    covers: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))  # group -> buildings
    served_by: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))  # area -> SERVES sources
    located: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))  # area -> orgs LOCATED_IN it
    located_in: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))  # org -> areas
    managers: dict[str, list[tuple[str, dict[str, Any]]]] = field(default_factory=lambda: defaultdict(list))
    posts: dict[str, list[tuple[str, str]]] = field(default_factory=lambda: defaultdict(list))  # org -> (person, post)
    post_count: dict[str, int] = field(default_factory=lambda: defaultdict(int))  # person -> current posts
    ended_posts: dict[str, list[tuple[str, date]]] = field(default_factory=lambda: defaultdict(list))  # (post, end)
    pairings: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))  # org -> partner orgs
    registered_people: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))  # org -> in-service
    registered_orgs: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))  # org -> unit orgs
    sunk: dict[str, list[tuple[str, str]]] = field(default_factory=lambda: defaultdict(list))  # area -> (person, role)
    projects: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))  # org -> projects listed
    claims: dict[str, int] = field(default_factory=lambda: defaultdict(int))  # project -> claims by live people
    open_appeals: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))  # area -> open appeals
    probationary: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  # org -> probationary holders
    held: dict[str, dict[str, list[date]]] = field(default_factory=dict)  # org -> activity kind -> days held
    joined_by: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))  # joint branch -> units

    def area_levels(self, level: AreaLevel) -> list[str]:
        """Live areas of one level, sorted by id."""
        return sorted(a for a, lv in self.level.items() if lv == level.value)

    def led_by(self, area: str, kind: OrgKind) -> list[str]:
        """Live organisations of ``kind`` leading ``area``."""
        return [o for o in self.leaders.get(area, ()) if self.kind.get(o) == kind.value]

    def parents_of_kind(self, org: str, kind: OrgKind) -> list[str]:
        return [p for p in self.org_parents.get(org, ()) if self.kind.get(p) == kind.value]

    def ancestor(self, area: str, level: AreaLevel) -> str | None:
        """The area of ``level`` above (or equal to) ``area``."""
        current: str | None = area
        seen = 0
        while current is not None and seen < 10:
            if self.level.get(current) == level.value:
                return current
            current = self.parent.get(current)
            seen += 1
        return None

    def descendants(self, area: str, level: AreaLevel) -> list[str]:
        """Live areas of ``level`` under ``area`` (``area`` itself if it has that level)."""
        found: list[str] = []
        frontier = [area]
        while frontier:
            current = frontier.pop()
            if self.level.get(current) == level.value:
                found.append(current)
                continue
            frontier.extend(self.children.get(current, ()))
        return sorted(found)

    def holders(self, org: str, posts: frozenset[str] | None = None) -> set[str]:
        """People holding a current post (of ``posts``, or any) in ``org``."""
        return {p for p, post in self.posts.get(org, ()) if posts is None or post in posts}


#: Days a frozen graph keeps an index (and the analysis service its results) for: asking about another drops
#: the one asked about least recently. Each day asked (``asOf``) would otherwise keep its own until the next write.
DAYS_KEPT = 4

_INDEXES: weakref.WeakKeyDictionary[nx.MultiDiGraph, OrderedDict[date, GraphIndex]] = weakref.WeakKeyDictionary()
_INDEX_LOCK = threading.Lock()


def graph_index(graph: nx.MultiDiGraph, as_of: date) -> GraphIndex:
    """The ``GraphIndex`` of ``graph`` on ``as_of``, built once per frozen graph (a projection) and day, and kept for
    the ``DAYS_KEPT`` days last asked about.

    A graph that can still change is indexed afresh at every call: a cached index would go stale.
    """
    check_projection(graph)
    if not nx.is_frozen(graph):
        return _build_index(graph, as_of)
    with _INDEX_LOCK:
        by_day = _INDEXES.get(graph)
        if by_day is None:
            by_day = _INDEXES[graph] = OrderedDict()
        index = by_day.get(as_of)
        if index is None:
            index = by_day[as_of] = _build_index(graph, as_of, kept=True)
            while len(by_day) > DAYS_KEPT:
                by_day.popitem(last=False)
        else:
            by_day.move_to_end(as_of)
        return index


#: The node attributes ``_walk`` reads. An index built for a graph holds for another with the same nodes and edges
#: whose nodes differ in other attributes only (a plaque, a name); ``tests`` check the list against the walk.
INDEXED_NODE_ATTRIBUTES = frozenset(
    {"label", "level", "abolished", "kind", "dissolved", "left_on", "employment", "held_on", "status"}
)


def carry_indexes(old: nx.MultiDiGraph, new: nx.MultiDiGraph) -> None:
    """Let the frozen graph ``new`` use the day indexes built for ``old``, whose nodes and edges it has, differing
    from it only in node attributes outside ``INDEXED_NODE_ATTRIBUTES`` (the caller checks: a patch that moved
    nothing the walk reads). A district's index took 0.9 s to build again after every edit at scale 1."""
    with _INDEX_LOCK:
        built = _INDEXES.get(old)
        if built:
            _INDEXES.setdefault(new, OrderedDict()).update(built)


def index_kept(graph: nx.MultiDiGraph, as_of: date) -> bool:
    """Whether ``graph_index`` keeps an index of ``graph`` on ``as_of`` already."""
    with _INDEX_LOCK:
        return as_of in _INDEXES.get(graph, {})


def forget_index(graph: nx.MultiDiGraph, as_of: date) -> None:
    """Drop the kept index of ``graph`` on ``as_of``, if any: the next ``graph_index`` builds it again.

    For a caller that is done with an index it made (``run_all``, after its last step reading one): an index is a
    list or two per node, hundreds of megabytes at scale 10, and would otherwise live as long as the graph."""
    with _INDEX_LOCK:
        by_day = _INDEXES.get(graph)
        if by_day is not None:
            by_day.pop(as_of, None)


def _build_index(graph: nx.MultiDiGraph, as_of: date, kept: bool = False) -> GraphIndex:
    """``_walk`` with the collector paused; a ``kept`` index lasts as long as its graph, and is frozen out of the
    collector's walks as it is made, as the projection is (``heap.long_lived``: millions of lists at scale 10)."""
    with long_lived() if kept else gc_paused():
        return _walk(graph, as_of)


# Plain-string codes for the hot loop below: an Enum member's ``.value`` is a descriptor call each time.
_AREA, _ORG, _PERSON = NodeLabel.AREA.value, NodeLabel.ORGANIZATION.value, NodeLabel.PERSON.value
_PART_OF, _MEMBER_OF, _SUB_ORG_OF = RelType.PART_OF.value, RelType.MEMBER_OF.value, RelType.SUB_ORG_OF.value
_LEADS, _COVERS, _SERVES = RelType.LEADS.value, RelType.COVERS.value, RelType.SERVES.value
_LOCATED_IN, _MANAGES, _PAIRED_WITH = RelType.LOCATED_IN.value, RelType.MANAGES.value, RelType.PAIRED_WITH.value
_REGISTERED_WITH, _SUNK_TO, _RESIDES_IN = RelType.REGISTERED_WITH.value, RelType.SUNK_TO.value, RelType.RESIDES_IN.value
_LISTED_BY, _CLAIMED, _CONCERNS = RelType.LISTED_BY.value, RelType.CLAIMED.value, RelType.CONCERNS.value
_HELD_BY, _JOINS = RelType.HELD_BY.value, RelType.JOINS.value
_IN_SERVICE = Employment.IN_SERVICE.value
_PROBATIONARY = MemberStatus.PROBATIONARY.value
_OPEN = "open"


def _walk(graph: nx.MultiDiGraph, as_of: date) -> GraphIndex:
    ix = GraphIndex(as_of)
    node_attrs = graph._node  # the adjacency itself: the views cost a call per item on 10^6 items
    level, kind = ix.level, ix.kind
    # Local names: attribute lookups on ``ix`` cost as much as the work in this loop.
    (
        parent,
        children,
        posts,
        post_count,
        ended_posts,
        leaders,
        led,
        covered_by,
        covers,
        served_by,
        located,
        located_in,
        managers,
        org_parents,
        org_children,
        pairings,
        registered_orgs,
        registered_people,
        sunk,
        projects,
        claims,
        open_appeals,
        probationary,
        held,
        joined_by,
    ) = (
        ix.parent,
        ix.children,
        ix.posts,
        ix.post_count,
        ix.ended_posts,
        ix.leaders,
        ix.led,
        ix.covered_by,
        ix.covers,
        ix.served_by,
        ix.located,
        ix.located_in,
        ix.managers,
        ix.org_parents,
        ix.org_children,
        ix.pairings,
        ix.registered_orgs,
        ix.registered_people,
        ix.sunk,
        ix.projects,
        ix.claims,
        ix.open_appeals,
        ix.probationary,
        ix.held,
        ix.joined_by,
    )
    left: set[str] = set()
    for node, attrs in node_attrs.items():
        label = attrs.get("label")
        if label == _AREA:
            if not _gone(attrs.get("abolished"), as_of):
                level[node] = str(attrs.get("level"))
        elif label == _ORG:
            if not _gone(attrs.get("dissolved"), as_of):
                kind[node] = str(attrs.get("kind"))
        elif label == _PERSON and _gone(attrs.get("left_on"), as_of):
            left.add(node)
    for u, neighbours in graph._succ.items():
        u_area, u_org, u_gone = u in level, u in kind, u in left
        for v, keyed in neighbours.items():
            for attrs in keyed.values():
                rel = attrs.get("type")
                if rel == _PART_OF:
                    if u_area and v in level:
                        parent[u] = v
                        children[v].append(u)
                elif rel == _MEMBER_OF:
                    if u_gone or v not in kind:
                        continue
                    post = str(attrs.get("post"))
                    if is_current(attrs, as_of):
                        posts[v].append((u, post))
                        post_count[u] += 1
                        if attrs.get("member_status") == _PROBATIONARY:
                            probationary[v].add(u)
                    elif isinstance(attrs.get("end_date"), date):
                        ended_posts[v].append((post, attrs["end_date"]))
                elif rel == _RESIDES_IN:
                    continue  # no analysis reads who lives where
                elif u_org and v in level:  # organisation -> area
                    if rel == _LEADS:
                        leaders[v].append(u)
                        led[u].append(v)
                    elif rel == _COVERS:
                        covered_by[v].append(u)
                        covers[u].append(v)
                    elif rel == _SERVES:
                        served_by[v].append(u)
                    elif rel == _LOCATED_IN:
                        located[v].append(u)
                        located_in[u].append(v)
                    elif rel == _MANAGES and is_current(attrs, as_of):
                        managers[v].append((u, attrs))
                elif rel == _SUB_ORG_OF:
                    if u_org and v in kind:
                        org_parents[u].append(v)
                        org_children[v].append(u)
                elif rel == _PAIRED_WITH:
                    if u_org and v in kind and is_current(attrs, as_of):
                        pairings[v].append(u)
                        pairings[u].append(v)
                elif rel == _REGISTERED_WITH:
                    if v not in kind or not is_current(attrs, as_of):
                        continue
                    if u_org:
                        registered_orgs[v].append(u)
                    elif not u_gone:
                        person = node_attrs.get(u, {})
                        if person.get("label") == _PERSON and person.get("employment") == _IN_SERVICE:
                            registered_people[v].append(u)
                elif rel == _SUNK_TO:
                    if not u_gone and v in level and is_current(attrs, as_of):
                        sunk[v].append((u, str(attrs.get("role"))))
                elif rel == _LISTED_BY:
                    if v in kind:
                        projects[v].append(u)
                elif rel == _CLAIMED:
                    if not u_gone:
                        claims[v] += 1
                elif rel == _HELD_BY:
                    activity = node_attrs.get(u, {})
                    day = activity.get("held_on")
                    if v in kind and isinstance(day, date) and day <= as_of:
                        held.setdefault(v, {}).setdefault(str(activity.get("kind")), []).append(day)
                elif rel == _JOINS:
                    if u_org and v in kind and is_current(attrs, as_of):
                        joined_by[v].append(u)
                elif rel == _CONCERNS and v in level and node_attrs.get(u, {}).get("status") == _OPEN:
                    open_appeals[v].append(u)
    return ix
