"""Chain completeness from buildings to the street committee: each broken link on its own."""

from __future__ import annotations

from datetime import date

import networkx as nx
import pytest

from graph_service.analysis.chain import ChainBreak, chain_breaks, chain_completeness, chain_summary
from graph_service.analysis.common import Thresholds
from tests.unit.analysis_graphs import AS_OF, area, edge, healthy_city, org, remove_edges

TH = Thresholds(as_of=AS_OF)


def _chains(g: nx.MultiDiGraph):
    return {r.building_id: r for r in chain_completeness(g, TH)}


def test_healthy_buildings_have_complete_chains() -> None:
    chains = _chains(healthy_city())
    assert set(chains) == {"b1", "b2"}
    assert chains["b1"].complete and chains["b1"].break_code is None
    assert chains["b1"].path == ("b1", "g1", "br", "cc", "sc")
    assert chains["b1"].compound_id == "k"


@pytest.mark.parametrize(
    ("mutate", "expected", "path"),
    [
        (lambda g: remove_edges(g, "COVERS", "g1", "b1"), ChainBreak.NO_GROUP, ("b1",)),
        (lambda g: g.nodes["g1"].update(dissolved=date(2024, 1, 1)), ChainBreak.NO_GROUP, ("b1",)),
        (lambda g: remove_edges(g, "SUB_ORG_OF", "g1", "br"), ChainBreak.GROUP_WITHOUT_BRANCH, ("b1", "g1")),
        (lambda g: remove_edges(g, "SUB_ORG_OF", "br", "cc"), ChainBreak.BRANCH_WITHOUT_COMMUNITY, ("b1", "g1", "br")),
        (lambda g: g.remove_node("sc"), ChainBreak.COMMUNITY_WITHOUT_STREET, ("b1", "g1", "br", "cc")),
    ],
)
def test_each_link_breaks_on_its_own(mutate, expected: ChainBreak, path: tuple[str, ...]) -> None:
    g = healthy_city()
    mutate(g)
    result = _chains(g)["b1"]
    assert not result.complete
    assert (result.break_code, result.break_label, result.path) == (expected.value, expected.label, path)


def test_any_complete_path_is_enough() -> None:
    g = healthy_city()
    org(g, "orphan", "building_group")  # a second group on b1 that hangs on nothing
    edge(g, "orphan", "b1", "COVERS")
    assert _chains(g)["b1"].complete


def test_breaks_and_summary() -> None:
    g = healthy_city()
    area(g, "b3", "building", "k")
    remove_edges(g, "SUB_ORG_OF", "g2", "br")
    breaks = chain_breaks(g, TH)
    assert [(r.building_id, r.break_code) for r in breaks] == [("b2", "group_without_branch"), ("b3", "no_group")]
    assert chain_summary(chain_completeness(g, TH)) == {
        "buildings": 3,
        "complete": 1,
        "group_without_branch": 1,
        "no_group": 1,
    }


def test_bad_building_id_is_refused_by_name() -> None:
    with pytest.raises(ValueError, match="'k'"):
        chain_completeness(healthy_city(), TH, buildings=["k"])
