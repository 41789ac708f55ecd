"""Chain completeness: does an unbroken chain run from each building up to the street Party working committee?

The five-level system reaches a building through four links, checked in order:

1. a live building Party group ``COVERS`` the building;
2. the group is ``SUB_ORG_OF`` a live compound branch;
3. the branch is ``SUB_ORG_OF`` a live community Party committee;
4. the committee is ``SUB_ORG_OF`` a live street Party working committee.

A building with several groups (or a group with several parents) is complete when any path is; otherwise the
break reported is the furthest any path got. ``organization_chain`` checks the upper links for one branch or
community committee (the weakness analysis' "broken chain").
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

import networkx as nx

from graph_service.analysis.common import GraphIndex, Thresholds, check_projection, graph_index
from graph_service.domain.enums import AreaLevel, LabeledEnum, OrgKind

__all__ = [
    "ChainBreak",
    "ChainResult",
    "chain_breaks",
    "chain_completeness",
    "chain_summary",
    "organization_chain",
]


class ChainBreak(LabeledEnum):
    """The first missing link of a building's chain to the street committee."""

    NO_GROUP = ("no_group", "楼栋未建党小组")
    GROUP_WITHOUT_BRANCH = ("group_without_branch", "党小组未隶属小区党支部")
    BRANCH_WITHOUT_COMMUNITY = ("branch_without_community", "小区党支部未隶属社区党委")
    COMMUNITY_WITHOUT_STREET = ("community_without_street", "社区党委未隶属街道党工委")


# The kinds along the chain, bottom up, and the break reported when the next one is missing.
_STEPS: tuple[tuple[OrgKind, ChainBreak], ...] = (
    (OrgKind.BUILDING_GROUP, ChainBreak.NO_GROUP),
    (OrgKind.COMPOUND_BRANCH, ChainBreak.GROUP_WITHOUT_BRANCH),
    (OrgKind.COMMUNITY_COMMITTEE, ChainBreak.BRANCH_WITHOUT_COMMUNITY),
    (OrgKind.STREET_COMMITTEE, ChainBreak.COMMUNITY_WITHOUT_STREET),
)


@dataclass(frozen=True)
class ChainResult:
    """One building's chain: complete or not, the first missing link, and the organisations reached."""

    building_id: str
    compound_id: str | None
    complete: bool
    break_code: str | None
    break_label: str | None
    path: tuple[str, ...]


def chain_completeness(
    graph: nx.MultiDiGraph, thresholds: Thresholds | None = None, *, buildings: Iterable[str] | None = None
) -> list[ChainResult]:
    """The chain of every live building (or of ``buildings``), sorted by building id.

    Parameters
    ----------
    graph : networkx.MultiDiGraph
        A projection or a hand-built graph of the same shape.
    thresholds : Thresholds, optional
        Only its ``as_of`` day matters here (which organisations are live).
    buildings : iterable of str, optional
        Limit to these building ids; an id that is not a live building raises ``ValueError`` naming it.

    Returns
    -------
    list of ChainResult

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("b", label="Area", level="building", name="1号楼")
    >>> g.add_node("g", label="Organization", kind="building_group", name="党小组")
    >>> g.add_node("br", label="Organization", kind="compound_branch", name="支部")
    >>> _ = g.add_edge("g", "b", key="c1", type="COVERS")
    >>> _ = g.add_edge("g", "br", key="s1", type="SUB_ORG_OF")
    >>> [r] = chain_completeness(g)
    >>> r.complete, r.break_code, r.break_label, r.path
    (False, 'branch_without_community', '小区党支部未隶属社区党委', ('b', 'g', 'br'))
    """
    check_projection(graph)
    ix = graph_index(graph, (thresholds or Thresholds()).day())
    if buildings is None:
        ids = ix.area_levels(AreaLevel.BUILDING)
    else:
        ids = sorted(buildings)
        bad = [b for b in ids if ix.level.get(b) != AreaLevel.BUILDING.value]
        if bad:
            raise ValueError(f"not live buildings of the graph: {', '.join(map(repr, bad))}")
    return [_building_chain(ix, b) for b in ids]


def chain_breaks(graph: nx.MultiDiGraph, thresholds: Thresholds | None = None) -> list[ChainResult]:
    """Only the buildings whose chain is broken.

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("b", label="Area", level="building", name="1号楼")
    >>> [(r.building_id, r.break_code) for r in chain_breaks(g)]
    [('b', 'no_group')]
    """
    return [r for r in chain_completeness(graph, thresholds) if not r.complete]


def chain_summary(results: Iterable[ChainResult]) -> dict[str, int]:
    """How many buildings are complete, and how many break at each link.

    Examples
    --------
    >>> chain_summary([ChainResult("b", None, False, "no_group", "楼栋未建党小组", ("b",))])
    {'buildings': 1, 'complete': 0, 'no_group': 1}
    """
    counts: Counter[str] = Counter()
    total = complete = 0
    for r in results:
        total += 1
        if r.complete:
            complete += 1
        elif r.break_code:
            counts[r.break_code] += 1
    return {"buildings": total, "complete": complete, **dict(sorted(counts.items()))}


def organization_chain(ix: GraphIndex, org: str) -> tuple[bool, ChainBreak | None, tuple[str, ...]]:
    """The chain above a branch or community committee: (complete, first break, organisations).

    Examples
    --------
    >>> import networkx as nx
    >>> from datetime import date
    >>> from graph_service.analysis.common import graph_index
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("br", label="Organization", kind="compound_branch", name="支部")
    >>> g.add_node("cc", label="Organization", kind="community_committee", name="社区党委")
    >>> _ = g.add_edge("br", "cc", key="s", type="SUB_ORG_OF")
    >>> complete, brk, path = organization_chain(graph_index(g, date(2024, 1, 1)), "br")
    >>> complete, brk.label, path
    (False, '社区党委未隶属街道党工委', ('br', 'cc'))
    """
    kind = ix.kind.get(org)
    if kind == OrgKind.JOINT_BRANCH.value:
        # A joint branch sits under a community committee, or straight under the street committee (Art. 5).
        streets = sorted(ix.parents_of_kind(org, OrgKind.STREET_COMMITTEE))
        if streets:
            return True, None, (org, streets[0])
        return _climb(ix, (org,), 2)
    for position, (step_kind, _) in enumerate(_STEPS):
        if step_kind.value == kind:
            return _climb(ix, (org,), position + 1)
    raise ValueError(f"{org!r} is not a live organisation of the Party chain (kind {kind!r})")


def _building_chain(ix: GraphIndex, building: str) -> ChainResult:
    compound = ix.ancestor(building, AreaLevel.COMPOUND)
    groups = [g for g in ix.covered_by.get(building, ()) if ix.kind.get(g) == OrgKind.BUILDING_GROUP.value]
    if not groups:
        none = ChainBreak.NO_GROUP
        return ChainResult(building, compound, False, none.value, none.label, (building,))
    complete, brk, path = _complete_or_longest(_climb(ix, (building, group), 1) for group in sorted(groups))
    return ChainResult(building, compound, complete, brk.value if brk else None, brk.label if brk else None, path)


def _climb(ix: GraphIndex, path: tuple[str, ...], step: int) -> tuple[bool, ChainBreak | None, tuple[str, ...]]:
    """Follow SUB_ORG_OF from ``path[-1]`` through the remaining steps; the longest path if none completes."""
    if step >= len(_STEPS):
        return True, None, path
    kind, brk = _STEPS[step]
    parents = sorted(ix.parents_of_kind(path[-1], kind))
    if not parents:
        return False, brk, path
    return _complete_or_longest(_climb(ix, (*path, parent), step + 1) for parent in parents)


Climb = tuple[bool, ChainBreak | None, tuple[str, ...]]


def _complete_or_longest(climbs: Iterable[Climb]) -> Climb:
    """The first complete climb (later ones are not even made), else the longest; there is at least one."""
    longest: Climb | None = None
    for found in climbs:
        if found[0]:
            return found
        if longest is None or len(found[2]) > len(longest[2]):
            longest = found
    if longest is None:
        raise ValueError("no path to climb: a building or organisation without candidates was not filtered out")
    return longest
