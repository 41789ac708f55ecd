"""Mobilisation reach on a hand-built street whose step distances are known by construction.

    street committee S ─leads→ street ST
      ├ community committee C1 ─leads→ community comm1 ⊃ compounds k1, k2
      │   ├ branch B1 ─leads→ k1 ⊃ building b1; group G1 ─covers→ b1; sec1 secretary of B1; bl1 building leader in G1
      │   └ worker w (post in C1) sunk to k2; volunteer team T located in k2 with volunteer v1
      └ community committee C2 ─leads→ comm2 ⊃ compound k3 (nothing reaches it)

Distances from S: 1 C1, C2, ST · 2 B1, w, comm1, comm2 · 3 G1, sec1, k1, k2 · 4 bl1, b1, T · 5 v1.
"""

from __future__ import annotations

from datetime import date

import networkx as nx
import pytest

from graph_service.analysis.mobilization import mobilization_reach, resolve_start
from graph_service.errors import NotFoundError

AS_OF = date(2024, 6, 1)


@pytest.fixture
def street() -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    orgs = {
        "S": "street_committee",
        "C1": "community_committee",
        "C2": "community_committee",
        "B1": "compound_branch",
        "G1": "building_group",
        "T": "volunteer_team",
    }
    for oid, kind in orgs.items():
        g.add_node(oid, label="Organization", kind=kind, name=oid)
    areas = {"ST": "street", "comm1": "community", "comm2": "community", "k1": "compound", "k2": "compound"}
    areas |= {"k3": "compound", "b1": "building"}
    for aid, level in areas.items():
        g.add_node(aid, label="Area", level=level, name=f"区域{aid}")
    people = {"sec1": True, "bl1": False, "w": False, "v1": False, "old": True}
    for pid, member in people.items():
        g.add_node(pid, label="Person", is_party_member=member)
    edges = [
        ("S", "ST", "LEADS", {}),
        ("C1", "S", "SUB_ORG_OF", {}),
        ("C2", "S", "SUB_ORG_OF", {}),
        ("C1", "comm1", "LEADS", {}),
        ("C2", "comm2", "LEADS", {}),
        ("comm1", "ST", "PART_OF", {}),
        ("comm2", "ST", "PART_OF", {}),
        ("k1", "comm1", "PART_OF", {}),
        ("k2", "comm1", "PART_OF", {}),
        ("k3", "comm2", "PART_OF", {}),
        ("b1", "k1", "PART_OF", {}),
        ("B1", "C1", "SUB_ORG_OF", {}),
        ("B1", "k1", "LEADS", {}),
        ("G1", "B1", "SUB_ORG_OF", {}),
        ("G1", "b1", "COVERS", {}),
        ("T", "k2", "LOCATED_IN", {}),
        ("sec1", "B1", "MEMBER_OF", {"post": "secretary"}),
        ("bl1", "G1", "MEMBER_OF", {"post": "building_leader"}),
        ("w", "C1", "MEMBER_OF", {"post": "community_worker"}),
        ("w", "k2", "SUNK_TO", {"role": "full_time_worker"}),
        ("v1", "T", "MEMBER_OF", {"post": "volunteer"}),
        ("old", "C2", "MEMBER_OF", {"post": "member", "end_date": date(2023, 1, 1)}),
    ]
    for i, (u, v, t, attrs) in enumerate(edges):
        g.add_edge(u, v, key=f"e{i}", type=t, **attrs)
    return g


def test_counts_grow_step_by_step_as_constructed(street):
    reach = mobilization_reach(street, "S", k=5, as_of=AS_OF)
    rows = [
        (s.step, s.people, s.party_members, s.building_leaders, s.volunteers, s.organizations, s.compounds) for s in reach.by_step
    ]
    assert rows == [
        (0, 0, 0, 0, 0, 0, 0),
        (1, 0, 0, 0, 0, 2, 0),
        (2, 1, 0, 0, 0, 3, 0),
        (3, 2, 1, 0, 0, 4, 2),
        (4, 3, 1, 1, 0, 5, 2),
        (5, 4, 1, 1, 1, 5, 2),
    ]
    assert reach.compounds_total == 3
    assert [(a.id, a.steps_needed) for a in reach.unreached] == [("k3", None)]
    assert reach.area_id == "ST"


def test_compounds_just_out_of_reach_say_how_many_steps_they_need(street):
    reach = mobilization_reach(street, "S", k=2, as_of=AS_OF)
    assert [(a.id, a.steps_needed) for a in reach.unreached] == [("k1", 3), ("k2", 3), ("k3", None)]
    assert reach.reached.compounds == 0


def test_ended_posts_do_not_reach(street):
    reach = mobilization_reach(street, "C2", k=3, as_of=AS_OF)
    assert reach.reached.people == 0
    earlier = mobilization_reach(street, "C2", k=3, as_of=date(2022, 6, 1))
    assert earlier.reached.people == 1 and earlier.reached.party_members == 1


def test_sinking_reaches_a_compound_without_a_branch(street):
    reach = mobilization_reach(street, "comm1", k=2, as_of=AS_OF)
    assert reach.start_id == "C1"
    assert reach.unreached == ()
    assert reach.reached.compounds == 2
    street.remove_edge("w", "k2", key="e19")
    without = mobilization_reach(street, "comm1", k=4, as_of=AS_OF)
    assert [a.id for a in without.unreached] == ["k2"]


def test_a_volunteer_team_member_reaches_the_team(street):
    street.add_edge("sec1", "T", key="x", type="MEMBER_OF", post="volunteer")
    reach = mobilization_reach(street, "C1", k=3, as_of=AS_OF)
    # sec1 at 2 -> T at 3 -> v1 at 4: T is an organisation reached at step 3, v1 still out of reach.
    assert reach.reached.organizations == 3
    assert reach.reached.volunteers == 1  # sec1 now volunteers too


@pytest.mark.parametrize("start", ["B1", "k1", "sec1"])
def test_start_must_be_a_street_or_community_committee(street, start):
    with pytest.raises(ValueError, match=start):
        mobilization_reach(street, start, as_of=AS_OF)


def test_unknown_start_and_bad_k_are_refused(street):
    with pytest.raises(NotFoundError, match="nowhere"):
        resolve_start(street, "nowhere")
    with pytest.raises(ValueError, match="k must be"):
        mobilization_reach(street, "S", k=0)
    with pytest.raises(ValueError, match="look_beyond"):
        mobilization_reach(street, "S", look_beyond=-1)
