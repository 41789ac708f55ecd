"""Maximum flow at minimum cost over a network of integer arcs: the flow ``networkx.max_flow_min_cost`` finds, faster.

The pairing plan's network (``analysis.recommendations``) has hundreds of thousands of arcs at scale 10, and
``networkx.network_simplex`` spends nearly all of its time pricing arcs one Python call at a time (the search for
an entering arc: about 10^8 calls there). Minimum-cost flows are rarely unique (many pairings cost the same), so a
different solver would give a different, equally cheap plan; this one gives the same flow as networkx, arc for
arc, by running the same algorithm on the same numbering:

* the network is numbered as ``networkx.DiGraph`` would hold it (nodes in order of first mention, each node's
  arcs in the order they were added) and as ``nx.max_flow_min_cost`` hands it to ``network_simplex``;
* the maximum flow's value comes from igraph (any exact algorithm gives the one value);
* the network simplex is networkx's, step for step (its block pivot rule, the first arc of lowest reduced cost in
  a block, its spanning-tree updates, its artificial root), with the reduced costs of a block priced by numpy
  in one step rather than arc by arc.

``tests/unit/test_analysis_flow.py`` checks the flows against networkx's on random networks.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator
from itertools import chain, islice, repeat
from math import ceil, sqrt

import igraph
import numpy as np

__all__ = ["FlowNetwork"]

#: Blocks of arcs priced in one numpy step while looking for an entering arc, once the first block after the last
#: entering arc had none (at scale 10 that first block has one for 83% of the pivots, so it is priced alone).
_WINDOW = 8
#: Subtrees of at most this many nodes have their potentials updated node by node rather than by one fancy index.
_SMALL_SUBTREE = 8


class FlowNetwork:
    """A directed network of arcs with integer capacity and cost, built arc by arc."""

    def __init__(self) -> None:
        self._index: dict[Hashable, int] = {}
        self.nodes: list[Hashable] = []
        self._out: list[list[tuple[int, int, int]]] = []  # per node: (head, capacity, cost), in the order added

    def _node(self, node: Hashable) -> int:
        found = self._index.get(node)
        if found is None:
            found = self._index[node] = len(self.nodes)
            self.nodes.append(node)
            self._out.append([])
        return found

    def add_arc(self, tail: Hashable, head: Hashable, capacity: int, cost: int) -> None:
        """An arc (at most one per ordered pair; self-loops are not allowed); ``capacity`` >= 0, ``cost`` >= 0."""
        if tail == head:
            raise ValueError(f"arc {tail!r} -> {head!r} is a self-loop")
        if capacity < 0 or cost < 0:
            raise ValueError(f"arc {tail!r} -> {head!r} needs a non-negative capacity and cost")
        # Numbered by first mention, the tail before the head; the pairing plan adds 240,000 arcs at scale 10, so
        # a node already numbered costs one dict lookup.
        index = self._index
        t = index.get(tail)
        if t is None:
            t = self._node(tail)
        h = index.get(head)
        if h is None:
            h = self._node(head)
        self._out[t].append((h, capacity, cost))

    def add_node(self, node: Hashable) -> None:
        self._node(node)

    def arcs(self) -> Iterator[tuple[Hashable, Hashable, int, int]]:
        """Every arc as (tail, head, capacity, cost), in networkx's order (by tail, then as added)."""
        for t, out in enumerate(self._out):
            for h, capacity, cost in out:
                yield self.nodes[t], self.nodes[h], capacity, cost

    def max_flow_min_cost(self, source: Hashable, sink: Hashable) -> tuple[dict[tuple[Hashable, Hashable], int], int]:
        """The flow on each arc carrying some (``{(tail, head): amount}``) and the flow's cost.

        The flow is ``networkx.max_flow_min_cost``'s on the same arcs, added in the same order.
        """
        s, t = self._node(source), self._node(sink)
        tails: list[int] = []
        heads: list[int] = []
        capacities: list[int] = []
        costs: list[int] = []
        for tail, out in enumerate(self._out):
            for head, capacity, cost in out:
                if capacity == 0:  # networkx leaves arcs of no capacity out of the simplex
                    continue
                tails.append(tail)
                heads.append(head)
                capacities.append(capacity)
                costs.append(cost)
        value = _max_flow_value(len(self.nodes), tails, heads, capacities, s, t)
        demands = [0] * len(self.nodes)
        demands[s] -= value
        demands[t] += value
        flows = _network_simplex(demands, tails, heads, capacities, costs)
        carried = {(self.nodes[tails[i]], self.nodes[heads[i]]): flows[i] for i in range(len(tails)) if flows[i]}
        return carried, sum(costs[i] * flows[i] for i in range(len(tails)))


def _max_flow_value(n: int, tails: list[int], heads: list[int], capacities: list[int], s: int, t: int) -> int:
    if not tails or s == t:
        return 0
    graph = igraph.Graph(n=n, edges=list(zip(tails, heads, strict=True)), directed=True)
    value: float = graph.maxflow_value(s, t, capacity=capacities)
    return round(value)


def _network_simplex(
    demands: list[int], tails: list[int], heads: list[int], capacities: list[int], costs: list[int]
) -> list[int]:
    """networkx's ``network_simplex`` (3.x) on numbered nodes and arcs; the flow on each arc.

    Names and steps follow networkx's ``_DataEssentialsAndFunctions`` so the two can be read side by side. Its
    quirks are kept, as they decide which of several optimal flows comes out: the artificial root is node ``-1``
    (the last slot of the tree's lists) while a potential looked up at ``-1`` is the last node's.
    """
    n = len(demands)
    edge_count = len(tails)
    if sum(demands) != 0:
        raise ValueError("total demand is not zero")
    sources = list(tails)
    targets = list(heads)
    for i, d in enumerate(demands):
        if d > 0:
            sources.append(-1)
            targets.append(i)
        else:
            sources.append(i)
            targets.append(-1)
    faux_inf = 3 * max(sum(capacities), sum(abs(w) for w in costs), sum(abs(d) for d in demands)) or 1
    weights = [*costs, *repeat(faux_inf, n)]
    caps = [*capacities, *repeat(faux_inf, n)]
    flow = list(chain(repeat(0, edge_count), (abs(d) for d in demands)))
    parent: list[int | None] = list(chain(repeat(-1, n), [None]))
    parent_edge: list[int | None] = list(range(edge_count, edge_count + n))
    subtree_size = list(chain(repeat(1, n), [n + 1]))
    next_dft = list(chain(range(1, n), [-1, 0]))
    prev_dft = list(range(-1, n))
    last_dft = list(chain(range(n), [n - 1]))

    # Node potentials (n of them: a potential looked up at -1 is the last node's, as in networkx), and for pricing
    # the real arcs' costs, ends and the sign of their reduced cost (+1 while an arc carries no flow, else -1).
    np_potential = np.array([faux_inf if d <= 0 else -faux_inf for d in demands], dtype=np.int64)
    np_w = np.array(costs, dtype=np.int64)
    np_s = np.array(tails, dtype=np.int64)
    np_t = np.array(heads, dtype=np.int64)
    np_sign = np.ones(edge_count, dtype=np.int64)

    def find_apex(p: int, q: int) -> int:
        size_p, size_q = subtree_size[p], subtree_size[q]
        while True:
            while size_p < size_q:
                p = parent[p]  # type: ignore[assignment]
                size_p = subtree_size[p]
            while size_p > size_q:
                q = parent[q]  # type: ignore[assignment]
                size_q = subtree_size[q]
            if size_p == size_q:
                if p != q:
                    p = parent[p]  # type: ignore[assignment]
                    size_p = subtree_size[p]
                    q = parent[q]  # type: ignore[assignment]
                    size_q = subtree_size[q]
                else:
                    return p

    def trace_path(p: int, w: int) -> tuple[list[int], list[int]]:
        wn, we = [p], []
        while p != w:
            we.append(parent_edge[p])
            p = parent[p]  # type: ignore[assignment]
            wn.append(p)
        return wn, we  # type: ignore[return-value]

    def find_cycle(i: int, p: int, q: int) -> tuple[list[int], list[int]]:
        w = find_apex(p, q)
        wn, we = trace_path(p, w)
        wn.reverse()
        we.reverse()
        if we != [i]:
            we.append(i)
        wn_r, we_r = trace_path(q, w)
        del wn_r[-1]
        return wn + wn_r, we + we_r

    def update_ancestors(node: int | None, size_change: int, old_last: int, new_last: int) -> None:
        """From ``node`` up: subtree sizes change by ``size_change``; a last descendant ``old_last`` becomes
        ``new_last``."""
        while node is not None:
            subtree_size[node] += size_change
            if last_dft[node] == old_last:
                last_dft[node] = new_last
            node = parent[node]

    def remove_edge(s: int | None, t: int) -> None:
        size_t = subtree_size[t]
        prev_t = prev_dft[t]
        last_t = last_dft[t]
        next_last_t = next_dft[last_t]
        parent[t] = None
        parent_edge[t] = None
        next_dft[prev_t] = next_last_t
        prev_dft[next_last_t] = prev_t
        next_dft[last_t] = t
        prev_dft[t] = last_t
        update_ancestors(s, -size_t, last_t, prev_t)

    def make_root(q: int | None) -> None:
        ancestors = []
        while q is not None:
            ancestors.append(q)
            q = parent[q]
        ancestors.reverse()
        for p, q in zip(ancestors, islice(ancestors, 1, None), strict=False):
            size_p = subtree_size[p]
            last_p = last_dft[p]
            prev_q = prev_dft[q]
            last_q = last_dft[q]
            next_last_q = next_dft[last_q]
            parent[p] = q
            parent[q] = None
            parent_edge[p] = parent_edge[q]
            parent_edge[q] = None
            subtree_size[p] = size_p - subtree_size[q]
            subtree_size[q] = size_p
            next_dft[prev_q] = next_last_q
            prev_dft[next_last_q] = prev_q
            next_dft[last_q] = q
            prev_dft[q] = last_q
            if last_p == last_q:
                last_dft[p] = prev_q
                last_p = prev_q
            prev_dft[p] = last_q
            next_dft[last_q] = p
            next_dft[last_p] = q
            prev_dft[q] = last_p
            last_dft[q] = last_p

    def add_edge(i: int, p: int | None, q: int) -> None:
        last_p = last_dft[p]  # type: ignore[index]
        next_last_p = next_dft[last_p]
        size_q = subtree_size[q]
        last_q = last_dft[q]
        parent[q] = p
        parent_edge[q] = i
        next_dft[last_p] = q
        prev_dft[q] = last_p
        prev_dft[next_last_p] = last_q
        next_dft[last_q] = next_last_p
        update_ancestors(p, size_q, last_p, last_q)

    def update_potentials(i: int, p: int, q: int) -> None:
        d = int(np_potential[p] - np_potential[q]) + (-weights[i] if q == targets[i] else weights[i])
        if d == 0:
            return
        # trace_subtree(q): the subtree cut off and re-hung, so never the root and no node twice. Most are a node
        # or two (half of them at scale 10), where a numpy call per node costs less than building an index.
        last = last_dft[q]
        if subtree_size[q] <= _SMALL_SUBTREE:
            np_potential[q] += d
            while q != last:
                q = next_dft[q]
                np_potential[q] += d
            return
        touched = [q]
        append = touched.append
        while q != last:
            q = next_dft[q]
            append(q)
        np_potential[touched] += d

    def reduced_costs(first: int, count: int) -> np.ndarray:
        """The reduced costs of ``count`` arcs from ``first`` on, cyclically."""
        if first + count <= edge_count:
            span: slice | np.ndarray = slice(first, first + count)
        else:
            span = np.arange(first, first + count) % edge_count
        c = np_potential.take(np_t[span])
        c -= np_potential.take(np_s[span])
        c += np_w[span]
        c *= np_sign[span]
        return c

    def find_entering_edges() -> Iterator[tuple[int, int, int]]:
        if edge_count == 0:
            return
        # networkx's rule: blocks of B arcs taken cyclically; in each, the first arc of the lowest reduced cost
        # enters if that cost is negative; the search ends after M blocks in a row without one. Nothing changes
        # between blocks until an arc enters, so up to WINDOW blocks are priced at once and the first block with
        # a negative cost is taken, as the block-by-block search would have.
        block = ceil(sqrt(edge_count))
        blocks = (edge_count + block - 1) // block
        m = 0  # blocks in a row without an entering arc
        f = 0  # the first arc of the next block
        window = 1
        while m < blocks:
            count = min(window, blocks - m)
            if count == 1:  # fewer numpy calls for one block
                one = reduced_costs(f, block)
                first_lowest = int(one.argmin())
                if one[first_lowest] >= 0:
                    m += 1
                    f = (f + block) % edge_count
                    window = _WINDOW
                    continue
                i = (f + first_lowest) % edge_count
                f = (f + block) % edge_count
            else:
                priced = reduced_costs(f, count * block).reshape(count, block)
                negative = priced.min(axis=1) < 0
                if not negative.any():
                    m += count
                    f = (f + count * block) % edge_count
                    continue
                k = int(negative.argmax())
                i = (f + k * block + int(priced[k].argmin())) % edge_count  # argmin: the first of the lowest
                f = (f + (k + 1) * block) % edge_count
            if flow[i] == 0:
                yield i, sources[i], targets[i]
            else:
                yield i, targets[i], sources[i]
            m = 0
            window = 1

    for i, p, q in find_entering_edges():
        wn, we = find_cycle(i, p, q)
        # The leaving arc: the first of the least residual capacity, walking the cycle backwards.
        amount, j, s = -1, -1, -1
        for edge, node in zip(reversed(we), reversed(wn), strict=False):
            residual = caps[edge] - flow[edge] if sources[edge] == node else flow[edge]
            if amount < 0 or residual < amount:
                amount, j, s = residual, edge, node
        t = targets[j] if sources[j] == s else sources[j]
        if amount:
            for edge, node in zip(we, wn, strict=False):
                before = flow[edge]
                after = flow[edge] = before + amount if sources[edge] == node else before - amount
                if edge < edge_count and (not before) != (not after):  # the sign's array only when it changes
                    np_sign[edge] = -1 if after else 1
        if i != j:
            if parent[t] != s:
                s, t = t, s
            if we.index(i) > we.index(j):
                p, q = q, p
            remove_edge(s, t)
            make_root(q)
            add_edge(i, p, q)
            update_potentials(i, p, q)

    if any(flow[i] != 0 for i in range(edge_count, edge_count + n)):
        raise ValueError("no flow satisfies the demands")
    return flow[:edge_count]
