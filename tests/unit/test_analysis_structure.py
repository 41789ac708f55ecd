"""Structure measures on small hand-built graphs whose answers are known by construction."""

from __future__ import annotations

import random
from datetime import date

import networkx as nx
import numpy as np
import pytest

from graph_service.analysis.structure import (
    BlockCutTree,
    block_betweenness,
    brokers,
    critical_bridges,
    current_posts,
    isolated_groups,
    overloaded_people,
    people_org_network,
    single_points_of_failure,
    structure_report,
)
from graph_service.analysis.structure.groups import _louvain
from graph_service.analysis.structure.numbered import groups_of, numbered

AS_OF = date(2024, 6, 1)


def _org(g: nx.MultiDiGraph, oid: str, kind: str, **attrs: object) -> None:
    g.add_node(oid, label="Organization", kind=kind, name=f"{kind}-{oid}", **attrs)


def _person(g: nx.MultiDiGraph, pid: str) -> None:
    g.add_node(pid, label="Person")


def _post(g: nx.MultiDiGraph, pid: str, oid: str, post: str, **attrs: object) -> None:
    if pid not in g:
        _person(g, pid)
    g.add_edge(pid, oid, key=f"m-{pid}-{oid}-{post}", type="MEMBER_OF", post=post, **attrs)


def _sub(g: nx.MultiDiGraph, child: str, parent: str) -> None:
    g.add_edge(child, parent, key=f"s-{child}", type="SUB_ORG_OF")


@pytest.fixture
def compound() -> nx.MultiDiGraph:
    """A street committee, a community committee, a branch with two building groups and an owners' committee.

    The branch secretary ``sec`` is also the OC director, and no one else sits in both: the OC (with its two
    members) hangs on the branch through ``sec`` alone. ``gw`` is a grid worker who is the only staff of the
    service station ``st`` (which has a volunteer ``v``).
    """
    g = nx.MultiDiGraph()
    _org(g, "street", "street_committee")
    _org(g, "comm", "community_committee")
    _org(g, "br", "compound_branch")
    _org(g, "g1", "building_group")
    _org(g, "g2", "building_group")
    _org(g, "oc", "owners_committee")
    _org(g, "st", "service_station")
    for child, parent in [("comm", "street"), ("br", "comm"), ("g1", "br"), ("g2", "br"), ("oc", "br"), ("st", "comm")]:
        _sub(g, child, parent)
    _post(g, "sec", "br", "secretary")
    _post(g, "sec", "oc", "oc_director")
    _post(g, "o1", "oc", "oc_member")
    _post(g, "o2", "oc", "oc_member")
    _post(g, "m1", "br", "member")
    _post(g, "m2", "g1", "group_leader")
    _post(g, "m3", "g2", "group_leader")
    _post(g, "gw", "comm", "grid_worker")
    _post(g, "gw", "st", "staff")
    _post(g, "v", "st", "volunteer")
    _post(g, "cs", "comm", "secretary")
    return g


def test_network_keeps_formal_hierarchy_and_drops_links_to_other_bodies(compound):
    net = people_org_network(compound, as_of=AS_OF)
    assert net.has_edge("br", "comm") and net.has_edge("g1", "br")
    assert not net.has_edge("oc", "br"), "the OC joins the branch through people, not through the hierarchy"
    assert not net.has_edge("st", "comm")
    assert net["sec"]["br"]["posts"] == ("secretary",)
    assert net["o1"]["oc"] is net["o2"]["oc"], "one dict for every pair with the same posts"
    assert net["br"]["comm"] == {"type": "SUB_ORG_OF"} and net["br"]["comm"] is net["g1"]["br"]


def test_ended_posts_and_dissolved_orgs_leave_the_network(compound):
    _post(compound, "old", "br", "member", end_date=date(2020, 1, 1))
    _org(compound, "gone", "volunteer_team", dissolved=date(2021, 1, 1))
    _post(compound, "m1", "gone", "volunteer")
    net = people_org_network(compound, as_of=AS_OF)
    assert "old" not in net
    assert "gone" not in net
    assert set(net["m1"]) == {"br"}


def test_secretary_who_is_the_only_link_to_the_oc_is_a_single_point_of_failure(compound):
    found = {s.person_id: s for s in single_points_of_failure(people_org_network(compound, as_of=AS_OF))}
    assert set(found) == {"sec", "gw"}
    sec = found["sec"]
    assert [o.id for o in sec.cut_from] == ["br"]
    [part] = sec.separated
    assert (part.size, part.people, part.organizations) == (3, 2, 1)
    assert [o.id for o in part.attached_via] == ["oc"]
    assert part.kinds == {"owners_committee": 1}
    gw = found["gw"]
    assert [o.id for o in gw.cut_from] == ["comm"]
    assert [(p.size, [o.id for o in p.attached_via]) for p in gw.separated] == [(2, ["st"])]


def test_a_second_cross_appointed_person_removes_the_single_point(compound):
    _post(compound, "o1", "br", "committee_member")
    found = {s.person_id for s in single_points_of_failure(people_org_network(compound, as_of=AS_OF))}
    assert "sec" not in found
    assert "o1" not in found


def test_single_points_agree_with_removing_each_person_on_random_graphs():
    rng = random.Random(7)
    for trial in range(30):
        net = nx.Graph()
        orgs = [f"o{i}" for i in range(rng.randint(2, 8))]
        people = [f"p{i}" for i in range(rng.randint(2, 14))]
        net.add_nodes_from(orgs, label="Organization", kind="compound_branch")
        net.add_nodes_from(people, label="Person")
        for p in people:
            for o in rng.sample(orgs, rng.randint(1, min(3, len(orgs)))):
                net.add_edge(p, o, posts=["member"])
        for _ in range(rng.randint(0, 3)):
            a, b = rng.sample(orgs, 2)
            net.add_edge(a, b)
        found = {s.person_id: s for s in single_points_of_failure(net, max_listed=100)}
        for p in people:
            rest = net.copy()
            rest.remove_node(p)
            sizes = sorted((len(c) for c in nx.connected_components(rest) if any(n in net[p] for n in c)), reverse=True)
            if len(sizes) <= 1:
                assert p not in found, f"trial {trial}: {p} is not a cut vertex"
                continue
            got = found[p]
            assert sorted([p.size for p in got.separated], reverse=True) == sizes[1:], f"trial {trial}: {p}"
            comp = len(nx.node_connected_component(net, p))
            assert got.component_size == comp
            for part in got.separated:
                assert part.organizations == len(part.listed) or len(part.listed) == 100


@pytest.mark.parametrize("order", [0, 1])
def test_a_person_between_two_equal_halves_reports_one_of_them(order):
    net = nx.Graph()
    net.add_nodes_from(["A", "B"], label="Organization", kind="compound_branch")
    net.add_nodes_from(["x", "y", "s"], label="Person")
    edges = [("x", "A"), ("A", "s"), ("s", "B"), ("B", "y")]
    net.add_edges_from(edges if order == 0 else edges[::-1])
    [spof] = single_points_of_failure(net)
    assert spof.separated_size == 2 and spof.component_size == 5
    [part] = spof.separated
    assert {o.id for o in spof.cut_from} | {o.id for o in part.attached_via} == {"A", "B"}
    assert {o.id for o in spof.cut_from} != {o.id for o in part.attached_via}


def test_critical_bridges_skip_single_post_people(compound):
    found = {(b.person_id, b.organization.id): b for b in critical_bridges(people_org_network(compound, as_of=AS_OF))}
    assert set(found) == {("sec", "oc"), ("sec", "br"), ("gw", "st"), ("gw", "comm")}
    b = found[("sec", "oc")]
    assert (b.organization_side, b.person_side) == (3, 16 - 3)
    assert b.posts == ("oc_director",)


def test_brokers_rank_the_person_between_groups_first_and_report_constraint(compound):
    found = brokers(people_org_network(compound, as_of=AS_OF), top=3, sample=None)
    assert found[0].person_id in {"sec", "gw"}
    assert {b.person_id for b in found[:2]} == {"sec", "gw"}
    assert all(b.constraint is not None and 0 < b.constraint <= 1.5 for b in found)
    assert found[0].betweenness >= found[1].betweenness >= found[-1].betweenness


def test_sampled_betweenness_is_repeatable_with_a_seed():
    net = nx.relabel_nodes(nx.barabasi_albert_graph(120, 2, seed=1), str)
    nx.set_node_attributes(net, "Person", "label")
    first = brokers(net, top=5, sample=50, seed=3, max_work=1)  # over budget: the sampled estimate
    again = brokers(net, top=5, sample=50, seed=3, max_work=1)
    assert first[0].sources == 8 < net.number_of_nodes()
    assert [b.person_id for b in first] == [b.person_id for b in again]
    assert [b.betweenness for b in first] == [b.betweenness for b in again]
    exact = brokers(net, top=5, max_work=None)
    assert exact[0].sources == net.number_of_nodes()


@pytest.mark.parametrize("shape", ["gnm", "tree", "small_world", "tree_with_cycles"])
def test_block_betweenness_equals_networkx_exactly(shape):
    rng = random.Random(shape)
    for trial in range(25):
        n = rng.randint(3, 40)
        if shape == "gnm":
            g = nx.gnm_random_graph(n, rng.randint(0, 2 * n), seed=trial)
        elif shape == "tree":
            g = nx.random_labeled_tree(n, seed=trial)
        elif shape == "small_world":
            g = nx.connected_watts_strogatz_graph(max(n, 5), 4, 0.3, seed=trial)
        else:
            g = nx.barabasi_albert_graph(n, 1, seed=trial)
            g.add_edges_from((rng.randrange(n), rng.randrange(n)) for _ in range(4))
            g.remove_edges_from(list(nx.selfloop_edges(g)))
            g.add_node("alone")
        ours, theirs = block_betweenness(g), nx.betweenness_centrality(g)
        assert ours == pytest.approx(theirs, abs=1e-12), f"{shape} trial {trial}"
        raw = block_betweenness(g, normalized=False)
        assert raw == pytest.approx(nx.betweenness_centrality(g, normalized=False), abs=1e-9)


def test_isolated_groups_report_components_apart_from_the_main_one(compound):
    _org(compound, "team", "volunteer_team")
    _post(compound, "t1", "team", "volunteer")
    _post(compound, "t2", "team", "volunteer")
    groups = isolated_groups(people_org_network(compound, as_of=AS_OF), seed=1)
    assert (groups.largest_component, groups.anchored_components) == (16, 1)
    assert [(c.size, c.people, [o.id for o in c.listed]) for c in groups.components] == [(3, 2, ["team"])]
    assert sum(c.size for c in groups.communities) == 16 + 3
    assert all(0 <= c.external_share <= 1 for c in groups.communities)


def test_a_second_street_is_not_isolated_but_a_branch_without_chain_is(compound):
    _org(compound, "street2", "street_committee")
    _post(compound, "s2", "street2", "secretary")
    _org(compound, "lost", "compound_branch")  # no SUB_ORG_OF: its chain is broken
    for i in range(4):
        _post(compound, f"l{i}", "lost", "member")
    groups = isolated_groups(people_org_network(compound, as_of=AS_OF))
    assert groups.anchored_components == 2
    assert [[o.id for o in c.listed] for c in groups.components] == [["lost"]]
    assert groups.components[0].kinds == {"compound_branch": 1}


def test_louvain_finds_two_planted_cliques():
    net = nx.Graph()
    left = [f"a{i}" for i in range(6)]
    right = [f"b{i}" for i in range(6)]
    net.add_nodes_from(left + right, label="Person")
    net.add_edges_from((u, v) for group in (left, right) for i, u in enumerate(group) for v in group[i + 1 :])
    net.add_edge("a0", "b0")
    groups = isolated_groups(net, seed=0)
    assert sorted(c.size for c in groups.communities) == [6, 6]
    assert all(c.external_edges == 1 for c in groups.communities)
    assert groups.modularity > 0.3


def test_folding_leaves_keeps_modularity_and_every_node():
    net = nx.relabel_nodes(nx.barabasi_albert_graph(200, 1, seed=4), str)  # a tree: half its nodes are leaves
    net.add_edges_from(("0", str(i)) for i in range(150, 200))  # and some cycles
    net.add_node("alone")
    nx.set_node_attributes(net, "Person", "label")
    groups = isolated_groups(net, seed=2, min_size=1)
    numbers = numbered(net)
    community, modularity = _louvain(numbers, 1.0, 2)
    parts = [{numbers.nodes[i] for i in members} for members in groups_of(community)]
    assert set().union(*parts) == set(net) - {"alone"}
    assert sum(len(p) for p in parts) == net.number_of_nodes() - 1
    assert modularity == pytest.approx(nx.community.modularity(net.subgraph(set(net) - {"alone"}), parts))
    assert groups.modularity == pytest.approx(modularity, abs=1e-6)
    assert len(groups.communities) == len(parts)


def test_overloaded_people_counts_current_posts_only(compound):
    for i in range(4):
        _org(compound, f"t{i}", "volunteer_team")
        _post(compound, "sec", f"t{i}", "volunteer")
    _post(compound, "m1", "g1", "member", end_date=date(2023, 1, 1))
    found = overloaded_people(current_posts(compound, as_of=AS_OF), max_posts=4)
    assert [(o.person_id, o.post_count, o.threshold) for o in found] == [("sec", 6, 4)]
    assert {p.post_label for p in found[0].posts} >= {"书记", "业委会主任", "志愿者"}
    assert overloaded_people(current_posts(compound, as_of=AS_OF), max_posts=6) == []


def test_report_runs_everything(compound):
    report = structure_report(compound, as_of=AS_OF, broker_sample=None)
    assert {s.person_id for s in report.single_points_of_failure} == {"sec", "gw"}
    assert report.nodes == 16


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda net: single_points_of_failure(net, max_listed=0), "max_listed"),
        (lambda net: brokers(net, top=0), "top"),
        (lambda net: brokers(net, sample=-1), "sample"),
        (lambda net: isolated_groups(net, resolution=0), "resolution"),
        (lambda net: overloaded_people({}, max_posts=-1), "max_posts"),
    ],
)
def test_bad_parameters_are_refused_by_name(call, message):
    with pytest.raises(ValueError, match=message):
        call(nx.Graph())


def test_wrong_graph_kinds_are_refused():
    with pytest.raises(nx.NetworkXNotImplemented):
        single_points_of_failure(nx.DiGraph())
    with pytest.raises(nx.NetworkXNotImplemented):
        people_org_network(nx.Graph())


def test_igraph_agrees_on_articulation_points_bridges_and_betweenness():
    ig = pytest.importorskip("igraph", reason="igraph is not installed (pip install igraph; a runtime dependency)")
    rng = random.Random(11)
    net = nx.Graph()
    orgs = [f"o{i}" for i in range(25)]
    people = [f"p{i}" for i in range(60)]
    net.add_nodes_from(orgs, label="Organization", kind="compound_branch")
    net.add_nodes_from(people, label="Person")
    for i, o in enumerate(orgs):
        if i % 5:
            net.add_edge(o, orgs[i - 1 - rng.randrange(i % 5)])  # five trees of five organisations
    for p in people:
        for o in rng.sample(orgs, rng.choice([1, 1, 1, 1, 1, 1, 2])):
            net.add_edge(p, o, posts=["member"])
    # An island organisation with two members that hangs on the rest through one person: two bridges at least.
    net.add_node("island", label="Organization", kind="owners_committee")
    net.add_nodes_from(["i1", "i2", "link"], label="Person")
    net.add_edges_from([("i1", "island"), ("i2", "island"), ("link", "island"), ("link", "o0")])
    nodes = list(net)
    index = {n: i for i, n in enumerate(nodes)}
    g = ig.Graph(n=len(nodes), edges=[(index[u], index[v]) for u, v in net.edges()])
    ig_cuts = {nodes[i] for i in g.articulation_points()}
    ours = {s.person_id for s in single_points_of_failure(net)}
    assert ours == {n for n in ig_cuts if net.nodes[n]["label"] == "Person"}
    ig_bridges = {frozenset((nodes[g.es[e].source], nodes[g.es[e].target])) for e in g.bridges()}
    wanted = {
        b
        for b in ig_bridges
        if all(net.degree(x) > 1 for x in b) and {net.nodes[x]["label"] for x in b} == {"Person", "Organization"}
    }
    assert wanted, "the random graph should hold some non-trivial bridges"
    assert {frozenset((b.person_id, b.organization.id)) for b in critical_bridges(net)} == wanted
    n = len(nodes)
    scale = 2 / ((n - 1) * (n - 2))  # igraph counts raw pair paths; networkx normalises
    ig_between = {nodes[i]: b * scale for i, b in enumerate(g.betweenness())}
    for broker in brokers(net, top=10, sample=None):
        assert broker.betweenness == pytest.approx(ig_between[broker.person_id], abs=1e-6)


def _random_networks() -> list[nx.Graph]:
    """Small networks of every shape the tree and the groups meet: trees, cycles, lone nodes, several parts."""
    rng = random.Random(5)
    nets = [nx.Graph(), nx.empty_graph(["a", "b"]), nx.relabel_nodes(nx.path_graph(2), str)]
    for trial in range(30):
        n = rng.randint(3, 40)
        g = nx.gnm_random_graph(n, rng.randint(0, 2 * n), seed=trial) if trial % 2 else nx.random_labeled_tree(n, seed=trial)
        g = nx.relabel_nodes(g, lambda i, t=trial: f"n{t}-{i}")
        g.add_nodes_from(f"lone{trial}-{i}" for i in range(trial % 3))
        nets.append(g)
    return nets


def test_the_block_cut_tree_has_networkx_blocks_edges_and_cut_vertices():
    for trial, net in enumerate(_random_networks()):
        tree = BlockCutTree(net)
        assert sorted(map(sorted, tree.blocks)) == sorted(map(sorted, nx.biconnected_components(net))), trial

        def undirected(blocks):
            return sorted(sorted(tuple(sorted(edge)) for edge in edges) for edges in blocks)

        assert undirected(tree.block_edges) == undirected(nx.biconnected_component_edges(net)), trial
        assert tree.cut_vertices == set(nx.articulation_points(net)), trial
        for index, block in enumerate(tree.blocks):  # an edge's ends lie in its block, every block's nodes are listed
            assert {n for edge in tree.block_edges[index] for n in edge} == set(block), trial


def test_a_self_loop_joins_no_block():
    net = nx.Graph([("a", "b"), ("b", "c"), ("c", "c")])
    tree = BlockCutTree(net)
    assert sorted(map(sorted, tree.blocks)) == [["a", "b"], ["b", "c"]]
    assert all(u != v for edges in tree.block_edges for u, v in edges)
    assert tree.cut_vertices == {"b"}


def test_groups_count_every_part_and_every_tie_once():
    for trial, net in enumerate(_random_networks()):
        nx.set_node_attributes(net, "Person", "label")
        groups = isolated_groups(net, seed=3, min_size=1, max_listed=1000)
        sizes = sorted((len(c) for c in nx.connected_components(net)), reverse=True)
        assert groups.largest_component == (sizes[0] if sizes else 0), trial
        assert sorted(c.size for c in groups.components) == sorted(sizes[1:]), trial  # no anchors: all but the largest
        assert sum(c.size for c in groups.communities) == sum(1 for n in net if net.degree(n)), trial
        ties = sum(c.internal_edges for c in groups.communities) * 2 + sum(c.external_edges for c in groups.communities)
        assert ties == 2 * net.number_of_edges(), trial


def test_numbered_edges_name_the_networks_own_edges_and_degrees():
    net = nx.Graph([("a", "b"), ("b", "c"), ("c", "c")])
    net.add_node("alone")
    numbers = numbered(net)
    pairs = [(numbers.nodes[u], numbers.nodes[v]) for u, v in zip(numbers.source, numbers.target, strict=True)]
    assert pairs == list(net.edges())
    assert dict(zip(numbers.nodes, numbers.degrees().tolist(), strict=True)) == dict(net.degree())
    assert numbers.graph().ecount() == 3


def test_groups_of_gathers_positions_by_label_and_skips_negative_ones():
    found = groups_of(np.array([1, -1, 0, 1, 2, 0], dtype=np.int64))
    assert [g.tolist() for g in found] == [[2, 5], [0, 3], [4]]
    assert groups_of(np.array([-1, -1], dtype=np.int64)) == []
