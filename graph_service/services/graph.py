"""Batched reads of nodes and their neighbours, by id: what the API's per-request dataloaders ask for.

Each call is one statement for any number of ids, so a GraphQL request costs round trips that grow with its
depth, not with the rows it returns.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from graph_service.domain.naming import name_order
from graph_service.store.port import Row, Store
from graph_service.store.queries import Columns

Pair = tuple[Row, Row]  # (relationship properties, node at the other end)


class GraphReader:
    def __init__(self, store: Store) -> None:
        self.store = store

    def nodes(self, label: str, ids: Sequence[str]) -> dict[str, Row]:
        """The ``label`` nodes with these ids (unknown ids are absent)."""
        rows = self.store.read("nodes_by_id", {"ids": list(ids)}, label=label)
        return {row["key"]: row["n"] for row in rows}

    def outgoing(self, rel: str, source: str, target: str, ids: Sequence[str], columns: Columns = ()) -> dict[str, list[Pair]]:
        """For each ``source`` node id, its outgoing ``rel`` relationships with their ``target`` nodes (``columns``:
        only those properties of them, as in ``Query.columns``)."""
        rows = self.store.read_keyed("links_out", ids, columns=columns, rel=rel, source=source, target=target)
        return _group(rows)

    def incoming(self, rel: str, source: str, target: str, ids: Sequence[str], columns: Columns = ()) -> dict[str, list[Pair]]:
        """For each ``target`` node id, its incoming ``rel`` relationships with their ``source`` nodes (``columns``:
        only those properties of them)."""
        rows = self.store.read_keyed("links_in", ids, columns=columns, rel=rel, source=source, target=target)
        return _group(rows)

    def ancestors(self, rel: str, label: str, ids: Sequence[str]) -> dict[str, list[Row]]:
        """For each node id, its ancestors along ``rel``, nearest first (several paths: the shortest counts)."""
        rows = self.store.read_keyed("ancestors", ids, rel=rel, label=label)
        found: dict[str, dict[str, tuple[int, Row]]] = defaultdict(dict)
        for row in rows:
            hops, node = int(row["hops"]), row["t"]
            seen = found[row["key"]]
            if node["id"] not in seen or hops < seen[node["id"]][0]:
                seen[node["id"]] = (hops, node)
        return {
            key: [node for _, node in sorted(seen.values(), key=lambda item: (item[0], item[1]["id"]))]
            for key, seen in found.items()
        }

    def links(self, rel: str, source: str, target: str, ids: Sequence[str]) -> dict[str, tuple[Row, Row, Row]]:
        """Relationships of type ``rel`` by id, each with its source and target node."""
        rows = self.store.read("links_by_id", {"ids": list(ids)}, rel=rel, source=source, target=target)
        return {row["key"]: (row["r"], row["s"], row["t"]) for row in rows}


def _group(rows: list[Row]) -> dict[str, list[Pair]]:
    grouped: dict[str, list[Pair]] = defaultdict(list)
    for row in rows:
        grouped[row["key"]].append((row["r"], row["t"]))
    for pairs in grouped.values():
        # The relationship's id settles ties (two posts in one organisation): the store's row order differs by form.
        pairs.sort(key=lambda pair: (*name_order(pair[1].get("name"), pair[1].get("id")), str(pair[0].get("id"))))
    return grouped


__all__ = ["GraphReader", "Pair"]
