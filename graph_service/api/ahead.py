"""Loading ahead: a list's resolver loads, in one batch, what its rows' fields will load, so that the rows answer
at once (issue 11).

A row field backed by a dataloader (a pairing's community, a person's memberships, an area's leading organisations)
was an ``async def``: for a page of 100 rows, 100 coroutines, each wrapped by graphql-core's awaiting
(``complete_awaitable_value``, ``with_abort_signal``, ``await_completed``, ``get_results``) and gathered as 100
tasks, all for one batched statement. That machinery was most of the executor's work on such a page.

A type names those fields once (``loads_ahead``). The list's resolver calls ``load_ahead`` with its rows; for each
named field the client's selection reaches below the list (through edges or nodes, fragments and aliases), it asks
the field's loader for every row's key, all fields side by side, and waits. The field's resolver then finds its
value held (``common.held``) and returns it without a coroutine. The statements are the ones the rows would have
caused, in the same number; only when they run moves. A failed load is left to the rows: each awaits the same
failed load and reports the error on its own field, as before.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import strawberry
from graphql.pyutils import AwaitableOrValue
from strawberry.schema.schema_converter import GraphQLCoreConverter
from strawberry.types.base import get_object_definition

from graph_service.api.columns import link_columns_below
from graph_service.api.common import Held, held, link_loader, own_id, page
from graph_service.api.loaders import BatchLoader, far_label
from graph_service.api.pagination import Connection
from graph_service.api.selection_memo import per_selection
from graph_service.services.graph import Pair
from graph_service.store.port import Row
from graph_service.store.queries import Columns
from graphql import FieldNode, FragmentSpreadNode, GraphQLObjectType, InlineFragmentNode, SelectionNode, get_named_type

T = TypeVar("T")

#: Where strawberry keeps, in a GraphQL type's extensions, the definition (and Python class) it was made from.
_DEFINITION = GraphQLCoreConverter.DEFINITION_BACKREF

#: Where a connection's rows are, below the connection field.
CONNECTION_ROWS: tuple[tuple[str, ...], ...] = (("edges", "node"), ("nodes",))
#: A plain list field's rows are the field's own selection.
LIST_ROWS: tuple[tuple[str, ...], ...] = ((),)


@dataclass(frozen=True)
class _Ahead:
    field: str  # the GraphQL name of the row's field
    loader: Callable[[Any, Columns], BatchLoader[Any]]  # the field's loader, from the request's ``Loaders``
    key: Callable[[Any], str]  # the row's key for that loader
    far: str | None = None  # for a link, the label at its far end, whose rows the loader cuts to the field's columns


_FIELDS: dict[type, list[_Ahead]] = {}


def loads_ahead(cls: type, field: str, loader: Callable[[Any], BatchLoader[Any]], key: Callable[[Any], str] = own_id) -> None:
    """Declares that ``cls``'s ``field`` (its GraphQL name) reads ``loader(loaders)`` by ``key(row)`` (the row's id
    unless said) and answers at once when the loader holds it."""
    _FIELDS.setdefault(cls, []).append(_Ahead(field, lambda loaders, _: loader(loaders), key))


def loads_linked(
    cls: type,
    field: str,
    rel: str,
    source: str,
    target: str,
    *,
    incoming: bool = False,
    key: Callable[[Any], str] = own_id,
) -> None:
    """``loads_ahead`` for a field reading the outgoing (or ``incoming``) ``rel`` relationships of ``key(row)``
    (``Loaders.out``, ``Loaders.into``) through ``common.link_loader``: the far end's rows cut to the columns the
    field's selection reads, worked out here from the list's selection as the field works them out from its own."""

    def loader(loaders: Any, columns: Columns) -> BatchLoader[Any]:
        found: BatchLoader[Any] = loaders.linked(rel, source, target, incoming=incoming, columns=columns)
        return found

    _FIELDS.setdefault(cls, []).append(_Ahead(field, loader, key, far_label(source, target, incoming=incoming)))


def loads_hierarchy(cls: type, rel: str, label: str) -> None:
    """``loads_ahead`` for the ``parent``, ``children`` and ``chain`` of a hierarchy along ``rel`` within ``label``
    (areas by PART_OF, organisations by SUB_ORG_OF)."""
    loads_linked(cls, "parent", rel, label, label)
    loads_linked(cls, "children", rel, label, label, incoming=True)
    loads_ahead(cls, "chain", lambda loaders: loaders.chain(rel, label))


def _reaches(selections: Iterable[SelectionNode], path: Sequence[str], fragments: Mapping[str, Any]) -> bool:
    """Whether ``path`` (field names) is selected from ``selections``, through aliases and fragments."""
    return bool(_field_nodes(selections, path, fragments))


def _below(raw: Any) -> list[SelectionNode]:
    """The selections right below the current field (``info._raw_info``), over all its nodes."""
    return [s for node in raw.field_nodes if node.selection_set is not None for s in node.selection_set.selections]


def selects(info: strawberry.Info, field: str) -> bool:
    """Whether the current field's selection asks for ``field`` (its GraphQL name) right below it."""
    raw = info._raw_info
    return _reaches(_below(raw), (field,), raw.fragments)


def _selected(info: strawberry.Info, fields: list[_Ahead], where: Sequence[Sequence[str]]) -> list[_Ahead]:
    """Those of ``fields`` the current field's selection reaches at ``where``; once per document and selection.

    Read from the document's own nodes: strawberry's ``info.selected_fields`` converts the whole selection below,
    arguments included, on every call (a city's districts' children: ten calls per request, 1-2 ms of 6)."""
    raw = info._raw_info

    def reached() -> list[_Ahead]:
        below = _below(raw)
        return [a for a in fields if any(_reaches(below, (*prefix, a.field), raw.fragments) for prefix in where)]

    return per_selection(info, (id(fields), tuple(map(tuple, where))), reached)


def _link_columns(info: strawberry.Info, row_type: type, ahead: _Ahead, where: Sequence[Sequence[str]]) -> Columns:
    """The columns ``common.link_loader`` works out for ``ahead``'s field on the rows below the current field: from
    the same nodes (every node of the field at ``where``, through fragments), once per document and selection."""
    raw = info._raw_info

    def worked_out() -> Columns:
        assert ahead.far is not None
        definition = get_object_definition(row_type)
        row_def = raw.schema.type_map.get(definition.name) if definition is not None else None
        field_def = row_def.fields.get(ahead.field) if isinstance(row_def, GraphQLObjectType) else None
        if field_def is None:
            return ()
        below = _below(raw)
        nodes = [found for prefix in where for found in _field_nodes(below, (*prefix, ahead.field), raw.fragments)]
        return link_columns_below(nodes, field_def.type, raw.fragments, ahead.far)

    return per_selection(info, ("link", id(ahead), tuple(map(tuple, where))), worked_out)


def _field_nodes(selections: Iterable[SelectionNode], path: Sequence[str], fragments: Mapping[str, Any]) -> list[FieldNode]:
    """The nodes of the field at ``path`` (field names) below ``selections``, through aliases and fragments (a
    fragment's fields are at the level it is spread at)."""
    found: list[FieldNode] = []
    for selection in selections:
        if isinstance(selection, FieldNode):
            if selection.name.value != path[0]:
                continue
            if len(path) == 1:
                found.append(selection)
            elif selection.selection_set is not None:
                found.extend(_field_nodes(selection.selection_set.selections, path[1:], fragments))
            continue
        if isinstance(selection, FragmentSpreadNode):
            fragment = fragments.get(selection.name.value)
            selection_set = fragment.selection_set if fragment is not None else None
        elif isinstance(selection, InlineFragmentNode):
            selection_set = selection.selection_set
        else:
            continue
        if selection_set is not None:
            found.extend(_field_nodes(selection_set.selections, path, fragments))
    return found


def _loads(info: strawberry.Info, row_type: type, where: Sequence[Sequence[str]]) -> list[tuple[_Ahead, BatchLoader[Any]]]:
    """The fields of ``row_type`` loading ahead that the selection reaches at ``where``, each with its loader."""
    fields = _FIELDS.get(row_type)
    if not fields:
        return []
    loaders = info.context.loaders
    return [
        (ahead, ahead.loader(loaders, _link_columns(info, row_type, ahead, where) if ahead.far is not None else ()))
        for ahead in _selected(info, fields, where)
    ]


def _unheld(loader: BatchLoader[Any], keys: Iterable[str]) -> list[str]:
    """Those of ``keys`` that ``loader`` does not hold yet, once each."""
    return [key for key in dict.fromkeys(keys) if held(loader, key) is None]


def load_ahead(
    info: strawberry.Info, rows: Sequence[Any], where: Sequence[Sequence[str]] = CONNECTION_ROWS
) -> Awaitable[None] | None:
    """The loads ahead ``rows`` need, as one awaitable; ``None`` when there is nothing to load (no such field
    selected, or every key already held), so that a resolver answering at once can stay without a coroutine.
    ``where``: where the rows are below the current field (``CONNECTION_ROWS``, ``LIST_ROWS``)."""
    if not rows:
        return None
    loads: list[Awaitable[Any]] = []
    for ahead, loader in _loads(info, type(rows[0]), where):
        keys = _unheld(loader, (ahead.key(row) for row in rows))
        if keys:
            loads.append(loader.load_many(keys))
    if not loads:
        return None
    return _settle(loads)


#: How many levels of linked rows below a page a prefetch follows (``prefetch``): a city's districts, their streets,
#: the streets' leading organisations. Deeper selections load on the event loop, level by level, as before.
PREFETCH_LEVELS = 3
#: The most linked rows whose own loads a prefetch runs in the same call (``prefetched``). A list field loads every
#: linked row and shows those its arguments keep (``first``, a level), so the rows below are loaded for all of them,
#: a superset of those shown; past this many they are left to the event loop, which loads them for the rows shown.
PREFETCH_BELOW_MAX = 500


@dataclass(frozen=True)
class _Load:
    """One load ahead of a prefetch, and the loads of the rows it links to (``below``: keyed by their ids)."""

    ahead: _Ahead
    loader: BatchLoader[Any]
    below: tuple[_Load, ...] = ()


@dataclass(frozen=True)
class Prefetch:
    """The loads ahead of a list's rows, worked out on the event loop before the rows are read (from the field's
    GraphQL type), so that the worker thread reading them runs the loads right after (``prefetched``). Returning
    to the loop between the two cost a page 0.6-1.2 ms: the worker's hand-back, the rows' building and a second
    hand-off, all on the request's critical path. A load of linked rows carries the loads the selection asks of
    those rows in turn (a city's districts, then their streets, then the streets' leaders), which the same call
    runs level by level: each level on the loop cost one more round trip through it."""

    row_type: type
    loads: tuple[_Load, ...]

    def covers(self, rows: Sequence[Any]) -> bool:
        """Whether ``rows`` are of the type the loads were worked out for (so ``prefetched`` runs them all)."""
        return bool(rows) and type(rows[0]) is self.row_type


Fetched = list[tuple[BatchLoader[Any], list[str], Mapping[str, Any] | Exception]]


def prefetch(info: strawberry.Info, where: Sequence[Sequence[str]] = CONNECTION_ROWS) -> Prefetch | None:
    """What the rows of the current list field will load ahead, if anything, and below them what the rows they
    link to will (on the event loop)."""
    row_type = _row_type(info, where)
    if row_type is None:
        return None
    loads = _planned(info, row_type, where, 1)
    return Prefetch(row_type, loads) if loads else None


def _planned(info: strawberry.Info, row_type: type, where: Sequence[Sequence[str]], level: int) -> tuple[_Load, ...]:
    """The loads ahead of ``row_type`` rows at ``where``, each link's with the loads of the rows it links to."""
    planned = []
    for ahead, loader in _loads(info, row_type, where):
        below: tuple[_Load, ...] = ()
        linked = _linked_rows(info, row_type, ahead) if ahead.far is not None and level < PREFETCH_LEVELS else None
        if linked is not None:
            far_type, rows_at = linked
            below_where = tuple((*prefix, ahead.field, *rows) for prefix in where for rows in rows_at)
            # Below, the rows are known by their ids alone (the linked nodes), not yet built.
            below = tuple(load for load in _planned(info, far_type, below_where, level + 1) if load.ahead.key is own_id)
        planned.append(_Load(ahead, loader, below))
    return tuple(planned)


def _linked_rows(info: strawberry.Info, row_type: type, ahead: _Ahead) -> tuple[type, tuple[tuple[str, ...], ...]] | None:
    """The Python type of the rows ``ahead``'s field of ``row_type`` answers with, and where they are below it (a
    connection's, a list's or an object's own); ``None`` when that is not one object type."""
    schema = info._raw_info.schema

    def found() -> tuple[type, tuple[tuple[str, ...], ...]] | None:
        definition = get_object_definition(row_type)
        row_def = schema.type_map.get(definition.name) if definition is not None else None
        field_def = row_def.fields.get(ahead.field) if isinstance(row_def, GraphQLObjectType) else None
        if field_def is None:
            return None
        for rows_at in (CONNECTION_ROWS, LIST_ROWS):
            origin = _rows_origin(field_def.type, rows_at)
            if origin is not None:
                return origin, rows_at
        return None

    return per_selection(info, ("linked rows", id(row_type), ahead.field), found)


def prefetched(plan: Prefetch | None, rows: Sequence[Any]) -> Fetched:
    """Runs ``plan``'s loads for ``rows`` in the calling worker thread, and those of the rows they link to: per
    loader, the keys and what its batch function found of them, or the error it raised. ``hold_fetched`` hands
    them to the loaders on the loop."""
    if plan is None or not plan.covers(rows):
        return []
    done: Fetched = []
    for load in plan.loads:
        _fetch(load, [load.ahead.key(row) for row in rows], done)
    return done


def _fetch(load: _Load, keys: Iterable[str], done: Fetched) -> None:
    loader = load.loader
    unheld = _unheld(loader, keys)
    if not unheld:
        return
    try:
        found: Mapping[str, Any] | Exception = loader.fetch(unheld)
    except Exception as error:
        found = error  # kept for the rows' fields to report, as a failed batch is
    done.append((loader, unheld, found))
    if not load.below or isinstance(found, Exception):
        return
    linked = dict.fromkeys(node["id"] for key in unheld for _, node in found.get(key, ()) if node.get("id") is not None)
    if len(linked) <= PREFETCH_BELOW_MAX:
        for below in load.below:
            _fetch(below, linked, done)


def hold_fetched(fetched: Fetched) -> None:
    """Hands what ``prefetched`` found to the loaders (on the event loop): the rows' loads then find it held."""
    for loader, keys, found in fetched:
        loader.hold(keys, found)


def _row_type(info: strawberry.Info, where: Sequence[Sequence[str]]) -> type | None:
    """The Python type of the rows at ``where`` below the current field, from its GraphQL type; ``None`` unless one
    object type (an interface's or a union's rows are known only once read)."""
    raw = info._raw_info

    return per_selection(info, ("rows", tuple(map(tuple, where))), lambda: _rows_origin(raw.return_type, where))


def _rows_origin(kind: Any, where: Sequence[Sequence[str]]) -> type | None:
    """The one Python type of the rows at ``where`` below a field of GraphQL type ``kind``; ``None`` unless one."""
    origins = {_origin(kind, path) for path in where}
    return origins.pop() if len(origins) == 1 else None


def _origin(kind: Any, path: Sequence[str]) -> type | None:
    for name in path:
        named = get_named_type(kind)
        if not isinstance(named, GraphQLObjectType) or name not in named.fields:
            return None
        kind = named.fields[name].type
    named = get_named_type(kind)
    definition = named.extensions.get(_DEFINITION) if isinstance(named, GraphQLObjectType) else None
    origin = getattr(definition, "origin", None)
    return origin if isinstance(origin, type) else None


async def _settle(loads: list[Awaitable[Any]]) -> None:
    # Failures stay in the loaders' futures for the rows' own resolvers to report (see the module's docstring).
    await asyncio.gather(*loads, return_exceptions=True)


async def _then(pending: Awaitable[None], value: T) -> T:
    await pending
    return value


def with_rows_ahead(
    info: strawberry.Info, value: T, rows: Sequence[Any], where: Sequence[Sequence[str]] = CONNECTION_ROWS
) -> T | Awaitable[T]:
    """``value`` (a page or list holding ``rows``) once its rows' loads ahead are done: at once when there are none."""
    pending = load_ahead(info, rows, where)
    return value if pending is None else _then(pending, value)


def children_page(rel: str, label: str, by: str, build: Callable[[Row], Any]) -> Held:
    """A field answering a page of the ``label`` nodes whose ``rel`` points at the object (an area's children, an
    organisation's), by the field's arguments ``first`` and ``after``, and, when the argument ``by`` is given, only
    the nodes whose property of the same name is its value (an area's children of one ``level``), built by ``build``,
    with what their own fields load loaded ahead (``common.Held``: at once when the loader holds the object's links,
    as when the level above loaded them ahead)."""

    def listed(info: strawberry.Info, _: Any, pairs: list[Pair], **args: Any) -> AwaitableOrValue[Connection[Any]]:
        wanted = args.get(by)
        nodes = [node for _, node in pairs] if wanted is None else [n for _, n in pairs if n.get(by) == wanted.value]
        found = page(info, nodes, args.get("first"), args.get("after"), build)
        return with_rows_ahead(info, found, [edge.node for edge in found.edges])

    return Held(lambda info: link_loader(info, rel, label, label, incoming=True), listed)


__all__ = [
    "CONNECTION_ROWS",
    "LIST_ROWS",
    "Fetched",
    "Prefetch",
    "children_page",
    "hold_fetched",
    "load_ahead",
    "loads_ahead",
    "loads_hierarchy",
    "loads_linked",
    "prefetch",
    "prefetched",
    "selects",
    "with_rows_ahead",
]
