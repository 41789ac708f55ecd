"""Per-request dataloaders: every lookup of a node's neighbours is batched into one store query per field level.

A resolver asks ``info.context.loaders.out(RelType.PART_OF.value, "Area", "Area").load(area_id)``; all loads made in
the same event-loop tick become one call of the application layer's ``GraphReader`` in a worker thread, so a
GraphQL request costs a number of round trips that grows with its depth, not with the rows it returns.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

from strawberry.dataloader import DataLoader

from graph_service.services.graph import GraphReader, Pair
from graph_service.services.workers import in_worker
from graph_service.store.port import Row
from graph_service.store.queries import Columns

V = TypeVar("V")


class Loaders:
    """The dataloaders of one request, created on first use and keyed by what they load."""

    def __init__(self, graph: GraphReader) -> None:
        self.graph = graph
        self._loaders: dict[tuple[Any, ...], DataLoader[Any, Any]] = {}

    def _get(self, key: tuple[Any, ...], fetch: Callable[[Sequence[str]], Mapping[str, V]], missing: V) -> DataLoader[str, V]:
        loader = self._loaders.get(key)
        if loader is None:

            async def load(ids: Sequence[str]) -> list[V]:
                found = await in_worker(fetch, ids)
                return [found.get(i, missing) for i in ids]

            loader = DataLoader(load_fn=load)
            self._loaders[key] = loader
        return loader

    def node(self, label: str) -> DataLoader[str, Row | None]:
        """Nodes of ``label`` by id (``None`` for an unknown id)."""
        return self._get(("node", label), lambda ids: self.graph.nodes(label, ids), None)

    def out(self, rel: str, source: str, target: str, columns: Columns = ()) -> DataLoader[str, list[Pair]]:
        """For a ``source`` node id, its outgoing ``rel`` relationships with their ``target`` nodes; ``columns``: only
        those properties of the nodes (``api.columns.link_columns``), a loader of its own, so that no field reads
        a row cut for another."""
        return self._get(
            ("out", rel, source, target, columns),
            lambda ids: self.graph.outgoing(rel, source, target, ids, columns),
            [],
        )

    def into(self, rel: str, source: str, target: str, columns: Columns = ()) -> DataLoader[str, list[Pair]]:
        """For a ``target`` node id, the incoming ``rel`` relationships with their ``source`` nodes; ``columns`` as
        in ``out``."""
        return self._get(
            ("in", rel, source, target, columns),
            lambda ids: self.graph.incoming(rel, source, target, ids, columns),
            [],
        )

    def linked(
        self, rel: str, source: str, target: str, *, incoming: bool = False, columns: Columns = ()
    ) -> DataLoader[str, list[Pair]]:
        """``into`` when ``incoming``, else ``out``: the one place that picks the loader of a link's direction, for the
        fields and for the loads ahead of them (``columns``: of the node at ``far_label``'s end)."""
        if incoming:
            return self.into(rel, source, target, columns)
        return self.out(rel, source, target, columns)

    def chain(self, rel: str, label: str) -> DataLoader[str, list[Row]]:
        """For a node id, its ancestors along ``rel`` (nearest first): an area's chain up to the city."""
        return self._get(("chain", rel, label), lambda ids: self.graph.ancestors(rel, label, ids), [])

    def rel(self, rel: str, source: str, target: str) -> DataLoader[str, tuple[Row, Row, Row] | None]:
        """Relationships of type ``rel`` by id, with their source and target nodes."""
        return self._get(("rel", rel, source, target), lambda ids: self.graph.links(rel, source, target, ids), None)


def far_label(source: str, target: str, *, incoming: bool = False) -> str:
    """The label at the far end of a link read from its ``source`` (or, ``incoming``, from its ``target``)."""
    return source if incoming else target


__all__ = ["Loaders", "Pair", "far_label"]
