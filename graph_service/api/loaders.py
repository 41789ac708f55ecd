"""Per-request dataloaders: every lookup of a node's neighbours is batched into one store query per field level.

A resolver asks ``info.context.loaders.out(RelType.PART_OF, "Area", "Area").load(area_id)``; all loads made in
the same event-loop tick become one ``UNWIND $ids`` query run in a worker thread, so a GraphQL request costs a
number of round trips that grows with its depth, not with the rows it returns (ARCHITECTURE.md).
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from strawberry.dataloader import DataLoader

from graph_service.store.port import Row, Store

Pair = tuple[Row, Row]  # (relationship properties, node at the other end)


class Loaders:
    """The dataloaders of one request, created on first use and keyed by what they load."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._loaders: dict[tuple[str, ...], DataLoader[Any, Any]] = {}

    async def _read(self, query: str, params: dict[str, Any], **names: object) -> list[Row]:
        return await asyncio.to_thread(self.store.read, query, params, **names)

    def _get(self, key: tuple[str, ...], factory: Any) -> DataLoader[Any, Any]:
        loader = self._loaders.get(key)
        if loader is None:
            loader = DataLoader(load_fn=factory)
            self._loaders[key] = loader
        return loader

    def node(self, label: str) -> DataLoader[str, Row | None]:
        """Nodes of ``label`` by id (``None`` for an unknown id)."""

        async def load(ids: Sequence[str]) -> list[Row | None]:
            rows = await self._read("api_nodes_by_id", {"ids": list(ids)}, label=label)
            found = {row["key"]: row["n"] for row in rows}
            return [found.get(i) for i in ids]

        return self._get(("node", label), load)

    def out(self, rel: str, source: str, target: str) -> DataLoader[str, list[Pair]]:
        """For a ``source`` node id, its outgoing ``rel`` relationships with their ``target`` nodes."""

        async def load(ids: Sequence[str]) -> list[list[Pair]]:
            rows = await self._read("api_out", {"ids": list(ids)}, rel=rel, source=source, target=target)
            return _group(ids, rows)

        return self._get(("out", rel, source, target), load)

    def into(self, rel: str, source: str, target: str) -> DataLoader[str, list[Pair]]:
        """For a ``target`` node id, the incoming ``rel`` relationships with their ``source`` nodes."""

        async def load(ids: Sequence[str]) -> list[list[Pair]]:
            rows = await self._read("api_in", {"ids": list(ids)}, rel=rel, source=source, target=target)
            return _group(ids, rows)

        return self._get(("in", rel, source, target), load)

    def chain(self, rel: str, label: str) -> DataLoader[str, list[Row]]:
        """For a node id, its ancestors along ``rel`` (nearest first): an area's chain up to the city."""

        async def load(ids: Sequence[str]) -> list[list[Row]]:
            rows = await self._read("api_chain", {"ids": list(ids)}, rel=rel, label=label)
            grouped: dict[str, list[tuple[int, Row]]] = defaultdict(list)
            for row in rows:
                grouped[row["key"]].append((int(row["hops"]), row["t"]))
            result = []
            for i in ids:
                seen: dict[str, tuple[int, Row]] = {}
                for hops, node in grouped.get(i, []):
                    # Several paths may reach one ancestor; keep its shortest distance.
                    if node["id"] not in seen or hops < seen[node["id"]][0]:
                        seen[node["id"]] = (hops, node)
                result.append([node for _, node in sorted(seen.values(), key=lambda item: (item[0], item[1]["id"]))])
            return result

        return self._get(("chain", rel, label), load)

    def rel(self, rel: str, source: str, target: str) -> DataLoader[str, tuple[Row, Row, Row] | None]:
        """Relationships of type ``rel`` by id, with their source and target nodes."""

        async def load(ids: Sequence[str]) -> list[tuple[Row, Row, Row] | None]:
            rows = await self._read("api_rels_by_id", {"ids": list(ids)}, rel=rel, source=source, target=target)
            found = {row["key"]: (row["r"], row["s"], row["t"]) for row in rows}
            return [found.get(i) for i in ids]

        return self._get(("rel", rel, source, target), load)


def _group(ids: Sequence[str], rows: list[Row]) -> list[list[Pair]]:
    grouped: dict[str, list[Pair]] = defaultdict(list)
    for row in rows:
        grouped[row["key"]].append((row["r"], row["t"]))
    for pairs in grouped.values():
        pairs.sort(key=lambda pair: (str(pair[1].get("name") or ""), str(pair[1].get("id"))))
    return [grouped.get(i, []) for i in ids]


__all__ = ["Loaders", "Pair"]
