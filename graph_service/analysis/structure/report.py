"""Every structure analysis at once, over one network: what ``graph-service analyze`` runs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import networkx as nx

from graph_service.analysis.common import (
    directed_projection,
)
from graph_service.analysis.structure.brokers import Broker, brokers
from graph_service.analysis.structure.cuts import (
    BlockCutTree,
    CriticalBridge,
    SinglePointOfFailure,
    critical_bridges,
    single_points_of_failure,
)
from graph_service.analysis.structure.groups import IsolatedGroups, isolated_groups
from graph_service.analysis.structure.network import OverloadedPerson, overloaded_people, people_org_network, posts_over
from graph_service.domain.standards import DEFAULT_STANDARDS
from graph_service.heap import gc_paused

# ---------------------------------------------------------------------------------------------------------------
# Everything at once


@dataclass(frozen=True)
class StructureReport:
    """All structural measures of one projection."""

    nodes: int
    edges: int
    single_points_of_failure: tuple[SinglePointOfFailure, ...]
    bridges: tuple[CriticalBridge, ...]
    brokers: tuple[Broker, ...]
    groups: IsolatedGroups
    overloaded: tuple[OverloadedPerson, ...]


@directed_projection
def structure_report(
    projection: nx.MultiDiGraph,
    *,
    as_of: date | None = None,
    max_posts: int = DEFAULT_STANDARDS.max_posts_per_person,
    broker_sample: int | None = 500,
    top_brokers: int = 20,
    seed: int = 0,
) -> StructureReport:
    """Every structural measure of ``projection`` on ``as_of`` (see the functions above for each).

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.MultiDiGraph()
    >>> g.add_nodes_from([("b", {"label": "Organization", "kind": "compound_branch"}),
    ...                   ("oc", {"label": "Organization", "kind": "owners_committee"}),
    ...                   ("s", {"label": "Person"}), ("m", {"label": "Person"}), ("x", {"label": "Person"})])
    >>> for key, (p, o, post) in enumerate([("s", "b", "secretary"), ("s", "oc", "oc_director"),
    ...                                     ("m", "oc", "oc_member"), ("x", "b", "member")]):
    ...     _ = g.add_edge(p, o, key=str(key), type="MEMBER_OF", post=post)
    >>> [s.person_id for s in structure_report(g).single_points_of_failure]
    ['s']
    """
    # The cyclic GC would walk the projection (10^6 containers at scale 1) again and again while the network and
    # its tree are built and scanned; what is made here is kept or freed by reference counting.
    on = as_of or date.today()
    with gc_paused():
        net = people_org_network(projection, as_of=on)
        tree = BlockCutTree(net)
        return StructureReport(
            nodes=net.number_of_nodes(),
            edges=net.number_of_edges(),
            single_points_of_failure=tuple(single_points_of_failure(net, tree=tree)),
            bridges=tuple(critical_bridges(net, tree=tree)),
            brokers=tuple(brokers(net, top=top_brokers, sample=broker_sample, seed=seed, tree=tree)),
            groups=isolated_groups(net, seed=seed, tree=tree),
            overloaded=tuple(overloaded_people(posts_over(net, max_posts, on), max_posts=max_posts)),
        )
