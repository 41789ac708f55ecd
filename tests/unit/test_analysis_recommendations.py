"""Pairing recommendations on small hand-built cities where the right plan is known (or found by brute force)."""

from __future__ import annotations

import itertools
import random
from datetime import date

import networkx as nx
import pytest

from graph_service.analysis.recommendations import PairingCosts, community_demand, recommend_pairings

AS_OF = date(2024, 6, 1)
COSTS = PairingCosts()


class City:
    """Districts D1, D2; streets S1 (in D1), S2 (in D1), S3 (in D2); communities and units placed in streets."""

    def __init__(self) -> None:
        self.g = nx.MultiDiGraph()
        self.n = 0
        for area, level in [("D1", "district"), ("D2", "district"), ("S1", "street"), ("S2", "street"), ("S3", "street")]:
            self.g.add_node(area, label="Area", level=level, name=area)
        self.edge("S1", "D1", "PART_OF")
        self.edge("S2", "D1", "PART_OF")
        self.edge("S3", "D2", "PART_OF")

    def edge(self, u: str, v: str, rel: str, **attrs: object) -> None:
        self.n += 1
        self.g.add_edge(u, v, key=f"r{self.n}", type=rel, **attrs)

    def community(self, cid: str, street: str) -> str:
        self.g.add_node(cid, label="Area", level="community", name=f"{cid}社区")
        self.g.add_node(f"cc-{cid}", label="Organization", kind="community_committee", name=f"{cid}社区党委")
        self.edge(cid, street, "PART_OF")
        self.edge(f"cc-{cid}", cid, "LEADS")
        return cid

    def unit(self, uid: str, street: str | None, capacity: int | None, unit_type: str = "state_enterprise") -> str:
        attrs = {} if capacity is None else {"capacity": capacity}
        self.g.add_node(uid, label="Organization", kind="unit_party_org", name=f"{uid}党支部", unit_type=unit_type, **attrs)
        self.g.add_node(f"unit-{uid}", label="Organization", kind="unit", name=f"{uid}")
        self.edge(uid, f"unit-{uid}", "SUB_ORG_OF")
        if street is not None:
            self.edge(f"unit-{uid}", street, "LOCATED_IN")
        return uid

    def pair(self, uid: str, cid: str, **attrs: object) -> None:
        self.edge(uid, f"cc-{cid}", "PAIRED_WITH", **attrs)


def _pairs(plan) -> list[tuple[str, str]]:
    return sorted((p.unit_org_id, p.community_id) for p in plan.proposals)


def test_same_street_then_same_district_is_preferred():
    city = City()
    city.community("A", "S1")
    city.unit("far", "S3", 1)
    city.unit("district", "S2", 1)
    city.unit("street", "S1", 1)
    plan = recommend_pairings(city.g, as_of=AS_OF)
    assert _pairs(plan) == [("street", "A")]
    [proposal] = plan.proposals
    assert proposal.reasons[0].code == "same_street" and proposal.reasons[0].label == "同一街道"
    assert plan.unmet == ()
    # Without the unit of the street, the one in the same district wins over the other district.
    city.g.remove_node("street")
    assert _pairs(recommend_pairings(city.g, as_of=AS_OF)) == [("district", "A")]


def test_a_unit_at_capacity_gets_no_proposal_and_unmet_demand_is_reported():
    city = City()
    city.community("A", "S1")
    city.community("B", "S1")
    city.unit("full", "S1", 1)
    city.pair("full", "A")
    plan = recommend_pairings(city.g, as_of=AS_OF)
    assert plan.proposals == ()
    assert [(u.community_id, u.demand, u.met, u.unmet, u.reason) for u in plan.unmet] == [("B", 1, 0, 1, "no_capacity")]
    assert plan.supply_total == 0


def test_a_live_pairing_is_never_duplicated_but_an_ended_one_may_be_renewed():
    city = City()
    city.community("A", "S1")
    city.unit("paired", "S1", 3)
    city.pair("paired", "A")
    city.unit("other", "S3", 1)
    # Demand 1 more for A (three under-covered compounds): the near unit already pairs with A.
    plan = recommend_pairings(city.g, demand={"A": 1}, as_of=AS_OF)
    assert _pairs(plan) == [("other", "A")]
    # The pairing ended last year: renewing it is allowed, and preferred (same street).
    city2 = City()
    city2.community("A", "S1")
    city2.unit("paired", "S1", 3)
    city2.pair("paired", "A", end_date=date(2023, 1, 1))
    city2.unit("other", "S3", 1)
    assert _pairs(recommend_pairings(city2.g, as_of=AS_OF)) == [("paired", "A")]


def test_lightly_loaded_units_are_preferred_and_proposals_spread():
    city = City()
    for c in ("A", "B", "C", "X"):
        city.community(c, "S1")
    city.unit("busy", "S1", 5)
    city.pair("busy", "X")
    city.unit("idle", "S1", 5)
    plan = recommend_pairings(city.g, demand={"A": 1, "B": 1, "C": 1}, as_of=AS_OF)
    per_unit = {u: sum(1 for p in plan.proposals if p.unit_org_id == u) for u in ("busy", "idle")}
    # Load costs 5 per pairing held: idle's 1st and 2nd (0, 5) and busy's 2nd (5) beat idle's 3rd (10).
    assert per_unit == {"busy": 1, "idle": 2}
    assert plan.total_cost == 3 * COSTS.not_registered + 0 + 5 + 5
    busy = next(p for p in plan.proposals if p.unit_org_id == "busy")
    reasons = {r.code: r.value for r in busy.reasons}
    assert reasons["live_pairings"] == "1" and reasons["capacity"] == "5" and reasons["spare_after"] == "3"


def test_a_unit_registered_with_the_community_is_preferred():
    city = City()
    city.community("A", "S1")
    city.unit("u1", "S1", 1)
    city.unit("u2", "S1", 1)
    city.edge("u2", "cc-A", "REGISTERED_WITH")
    plan = recommend_pairings(city.g, as_of=AS_OF)
    assert _pairs(plan) == [("u2", "A")]
    assert plan.proposals[0].reasons[1].code == "registered"


def test_units_without_a_recorded_capacity_are_offered_only_with_a_default():
    city = City()
    city.community("A", "S1")
    city.unit("u", "S1", None)
    assert recommend_pairings(city.g, as_of=AS_OF).proposals == ()
    assert _pairs(recommend_pairings(city.g, default_capacity=1, as_of=AS_OF)) == [("u", "A")]


def test_demand_follows_live_pairings_and_under_covered_compounds():
    city = City()
    city.community("A", "S1")
    city.community("B", "S1")
    city.community("C", "S1")
    city.unit("u", "S1", 2)
    city.pair("u", "A")
    city.pair("u", "B")
    assert community_demand(city.g, as_of=AS_OF) == {"C": 1}
    assert community_demand(city.g, under_covered={"A": 3, "C": 7}, as_of=AS_OF) == {"A": 1, "C": 3}
    assert community_demand(city.g, under_covered={"A": 3}, compounds_per_pairing=4, as_of=AS_OF) == {"C": 1}


def _brute_force(units, communities, live_pairs, costs):
    """Max number of new pairings, then min cost, by enumerating every set of unit–community pairs."""
    arcs = [(u, c) for u in units for c in communities if (u, c) not in live_pairs]
    best = None
    for r in range(len(arcs) + 1):
        for chosen in itertools.combinations(arcs, r):
            per_unit = {u: sum(1 for a in chosen if a[0] == u) for u in units}
            per_comm = {c: sum(1 for a in chosen if a[1] == c) for c in communities}
            if any(per_unit[u] > units[u]["capacity"] - units[u]["live"] for u in units):
                continue
            if any(per_comm[c] > communities[c]["demand"] for c in communities):
                continue
            total = sum(costs[a] for a in chosen)
            total += sum(COSTS.load_step * (units[u]["live"] + i) for u in units for i in range(per_unit[u]))
            key = (-r, total)
            if best is None or key < best:
                best = key
    return -best[0], best[1]


@pytest.mark.parametrize("trial", range(12))
def test_the_plan_is_optimal_against_brute_force(trial):
    rng = random.Random(trial)
    streets = ["S1", "S2", "S3"]
    district = {"S1": "D1", "S2": "D1", "S3": "D2"}
    city = City()
    communities = {}
    for i in range(3):
        street = rng.choice(streets)
        cid = city.community(f"C{i}", street)
        communities[cid] = {"street": street, "demand": rng.randint(0, 2)}
    units = {}
    live_pairs = set()
    for i in range(3):
        street = rng.choice(streets)
        capacity = rng.randint(0, 2)
        uid = city.unit(f"U{i}", street, capacity)
        live = 0
        for cid in communities:
            if live < capacity and rng.random() < 0.25:
                city.pair(uid, cid)
                live_pairs.add((uid, cid))
                live += 1
        units[uid] = {"street": street, "capacity": capacity, "live": live}
    costs = {}
    for u, uinfo in units.items():
        for c, cinfo in communities.items():
            if uinfo["street"] == cinfo["street"]:
                place = COSTS.same_street
            elif district[uinfo["street"]] == district[cinfo["street"]]:
                place = COSTS.same_district
            else:
                place = COSTS.other_district
            costs[(u, c)] = place + COSTS.not_registered
    demand = {c: info["demand"] for c, info in communities.items()}
    plan = recommend_pairings(city.g, demand=demand, as_of=AS_OF)
    count, total = _brute_force(units, communities, live_pairs, costs)
    assert len(plan.proposals) == count
    assert plan.total_cost == total
    assert not set(_pairs(plan)) & live_pairs
    assert sum(u.unmet for u in plan.unmet) == sum(demand.values()) - count


def test_bad_input_is_refused_by_name():
    city = City()
    city.community("A", "S1")
    with pytest.raises(ValueError, match="'S1'"):
        recommend_pairings(city.g, demand={"S1": 1})
    with pytest.raises(ValueError, match=r"demand\['A'\]"):
        recommend_pairings(city.g, demand={"A": -1})
    with pytest.raises(ValueError, match="load_step"):
        PairingCosts(load_step=-1)
    with pytest.raises(ValueError, match="compounds_per_pairing"):
        community_demand(city.g, compounds_per_pairing=0)
    with pytest.raises(ValueError, match="default_capacity"):
        recommend_pairings(city.g, default_capacity=-2)
