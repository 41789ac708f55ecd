"""Per-request dataloaders: every lookup of a node's neighbours is batched into one store query per field level.

A resolver asks ``info.context.loaders.out(RelType.PART_OF.value, "Area", "Area").load(area_id)``; all loads made in
the same event-loop tick become one call of the application layer's ``GraphReader`` in a worker thread, so a
GraphQL request costs a number of round trips that grows with its depth, not with the rows it returns. A batch
short enough runs on the event loop's own thread instead (``services.brief_calls``).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

from strawberry.dataloader import DataLoader

from graph_service.services.brief_calls import BriefCalls
from graph_service.services.graph import GraphReader, Pair
from graph_service.store.port import Row
from graph_service.store.queries import Columns

V = TypeVar("V")


class BatchLoader(DataLoader[str, V]):
    """A dataloader whose batch function is also at hand to a worker thread (``fetch``): a list's
    reader runs its rows' loads in the worker call that read the list (``ahead.prefetched``) and primes the loader
    with them on the event loop (``hold``), rather than returning to the loop and leaving again for one more batch."""

    def __init__(
        self, fetch: Callable[[Sequence[str]], Mapping[str, V]], missing: V, brief: BriefCalls, key: tuple[Any, ...]
    ) -> None:
        self.fetch = fetch
        self.missing = missing

        async def load(ids: Sequence[str]) -> list[V]:
            # A batch's cost grows with its size: sized by powers of two, a site of its own per size.
            found = await brief.run(("load", key, len(ids).bit_length()), fetch, ids)
            return [found.get(i, missing) for i in ids]

        super().__init__(load_fn=load)

    def hold(self, ids: Sequence[str], found: Mapping[str, V] | Exception) -> None:
        """Holds what ``fetch`` found of ``ids``, or the error it raised for each of them as a failed batch leaves
        it (the rows' fields then report it), but not over what the loader holds or loads already."""
        if not isinstance(found, Exception):
            self.prime_many({i: found.get(i, self.missing) for i in ids})
            return
        for i in ids:
            if self.cache_map.get(i) is None:
                failed: asyncio.Future[V] = asyncio.get_running_loop().create_future()
                failed.set_exception(found)
                self.cache_map.set(i, failed)


class Loaders:
    """The dataloaders of one request, created on first use and keyed by what they load."""

    def __init__(self, graph: GraphReader, brief: BriefCalls) -> None:
        self.graph = graph
        self.brief = brief
        self._loaders: dict[tuple[Any, ...], BatchLoader[Any]] = {}

    def clear(self) -> None:
        """Forget every loader, with the rows it holds: called when the request's answer is made, since graphql-core's
        executor keeps itself in a reference cycle (with its resolve-info helpers) and, through the context, these
        loaders with it until the next collection of the cyclic collector."""
        self._loaders.clear()

    def _get(self, key: tuple[Any, ...], fetch: Callable[[Sequence[str]], Mapping[str, V]], missing: V) -> BatchLoader[V]:
        loader = self._loaders.get(key)
        if loader is None:
            loader = BatchLoader(fetch, missing, self.brief, key)
            self._loaders[key] = loader
        return loader

    def node(self, label: str) -> BatchLoader[Row | None]:
        """Nodes of ``label`` by id (``None`` for an unknown id)."""
        graph = self.graph
        return self._get(("node", label), lambda ids: graph.nodes(label, ids), None)

    def out(self, rel: str, source: str, target: str, columns: Columns = ()) -> BatchLoader[list[Pair]]:
        """For a ``source`` node id, its outgoing ``rel`` relationships with their ``target`` nodes; ``columns``: only
        those properties of the nodes (``api.columns.link_columns``), a loader of its own, so that no field reads
        a row cut for another."""
        graph = self.graph
        return self._get(
            ("out", rel, source, target, columns),
            lambda ids: graph.outgoing(rel, source, target, ids, columns),
            [],
        )

    def into(self, rel: str, source: str, target: str, columns: Columns = ()) -> BatchLoader[list[Pair]]:
        """For a ``target`` node id, the incoming ``rel`` relationships with their ``source`` nodes; ``columns`` as
        in ``out``."""
        graph = self.graph
        return self._get(
            ("in", rel, source, target, columns),
            lambda ids: graph.incoming(rel, source, target, ids, columns),
            [],
        )

    def linked(
        self, rel: str, source: str, target: str, *, incoming: bool = False, columns: Columns = ()
    ) -> BatchLoader[list[Pair]]:
        """``into`` when ``incoming``, else ``out``: the one place that picks the loader of a link's direction, for the
        fields and for the loads ahead of them (``columns``: of the node at ``far_label``'s end)."""
        if incoming:
            return self.into(rel, source, target, columns)
        return self.out(rel, source, target, columns)

    def chain(self, rel: str, label: str) -> BatchLoader[list[Row]]:
        """For a node id, its ancestors along ``rel`` (nearest first): an area's chain up to the city."""
        graph = self.graph
        return self._get(("chain", rel, label), lambda ids: graph.ancestors(rel, label, ids), [])

    def rel(self, rel: str, source: str, target: str) -> BatchLoader[tuple[Row, Row, Row] | None]:
        """Relationships of type ``rel`` by id, with their source and target nodes."""
        graph = self.graph
        return self._get(("rel", rel, source, target), lambda ids: graph.links(rel, source, target, ids), None)


def far_label(source: str, target: str, *, incoming: bool = False) -> str:
    """The label at the far end of a link read from its ``source`` (or, ``incoming``, from its ``target``)."""
    return source if incoming else target


__all__ = ["BatchLoader", "Loaders", "Pair", "far_label"]
