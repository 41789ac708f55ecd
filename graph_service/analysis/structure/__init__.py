"""Structure of the people–organisation network: single points of failure, brokers, isolated groups, overload.

The network (``people_org_network``) is undirected and simple. Its nodes are the organisations in force and the
people holding a current post; its edges are

* a person's current posts (``MEMBER_OF``, one edge per person and organisation, the posts kept on the edge);
* the Party system's own hierarchy (``SUB_ORG_OF`` between two *formal* organisations, ``FORMAL_KINDS``), live
  pairings (``PAIRED_WITH``) and organisations' dual check-ins (``REGISTERED_WITH``).

Bodies outside the Party system — owners' committees, stations, volunteer teams, property companies — are
joined to it only through the people who hold posts in both (cross-appointment, staff, volunteers): that is how
the Party "leads" them, and it is exactly what a departure can cut. So a person is a single point of failure when
removing them splits the network, for example a branch secretary who is the owners' committee's only link to
the branch: leaving cuts the committee and its members off from the branch. Articulation points and the sizes of
the parts come from one block-cut tree (linear time), not from removing each person in turn.

The package holds one family a module: ``network`` (the network and the posts behind it, overloaded people),
``cuts`` (the block-cut tree, single points of failure, critical bridges), ``brokers``, ``groups`` (components and
communities) and ``report`` (all of them at once).
"""

from __future__ import annotations

from graph_service.analysis.common import is_current
from graph_service.analysis.structure.brokers import Broker, block_betweenness, brokers
from graph_service.analysis.structure.cuts import (
    BlockCutTree,
    CriticalBridge,
    SeparatedPart,
    SinglePointOfFailure,
    critical_bridges,
    single_points_of_failure,
)
from graph_service.analysis.structure.groups import Community, Component, IsolatedGroups, isolated_groups
from graph_service.analysis.structure.network import (
    ANCHOR_KINDS,
    FORMAL_KINDS,
    OrgRef,
    OverloadedPerson,
    PostRef,
    current_posts,
    overloaded_people,
    people_org_network,
)
from graph_service.analysis.structure.report import StructureReport, structure_report

__all__ = [
    "ANCHOR_KINDS",
    "FORMAL_KINDS",
    "BlockCutTree",
    "Broker",
    "Community",
    "Component",
    "CriticalBridge",
    "IsolatedGroups",
    "OrgRef",
    "OverloadedPerson",
    "PostRef",
    "SeparatedPart",
    "SinglePointOfFailure",
    "StructureReport",
    "block_betweenness",
    "brokers",
    "critical_bridges",
    "current_posts",
    "is_current",
    "isolated_groups",
    "overloaded_people",
    "people_org_network",
    "single_points_of_failure",
    "structure_report",
]
