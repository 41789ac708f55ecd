"""Pieces every type module shares: the domain enums as GraphQL enums, ``Labeled`` values, id handling."""

from __future__ import annotations

import base64
import binascii
import dataclasses
import inspect
import weakref
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any, Generic, TypeVar, cast, overload

import strawberry
from graphql.pyutils import AwaitableOrValue
from strawberry.annotation import StrawberryAnnotation
from strawberry.dataloader import DataLoader

from graph_service.api.columns import link_columns
from graph_service.api.derived_field import DerivedField
from graph_service.api.execution import completed_once
from graph_service.api.field_readers import NOT_HELD
from graph_service.api.loaders import far_label
from graph_service.api.pagination import Connection, paginate
from graph_service.domain import enums
from graph_service.domain.enums import LabeledEnum


def _register(cls: type[LabeledEnum], description: str) -> Any:
    # The code (English) is the GraphQL enum value; the Chinese label is served beside it by ``Labeled``.
    labels = "; ".join(f"{m.name} = {m.label}" for m in cls)
    return strawberry.enum(cls, description=f"{description} ({labels})")


AreaLevel = _register(enums.AreaLevel, "Level of an area (区域层级)")
CompoundKind = _register(enums.CompoundKind, "Kind of residential compound (小区类型)")
OrgKind = _register(enums.OrgKind, "Kind of organisation (组织类型)")
UnitType = _register(enums.UnitType, "Type of a unit stationed in the area (驻区单位类型)")
PropertyMode = _register(enums.PropertyMode, "Property management mode (物业管理模式)")
Employment = _register(enums.Employment, "Employment status of a person (就业状态)")
Post = _register(enums.Post, "Post held in an organisation (职务)")
SunkRole = _register(enums.SunkRole, "Role of community staff sunk to a compound (下沉身份)")
FiveHave = _register(enums.FiveHave, "Item of the five-haves standard (五有)")
ProjectKind = _register(enums.ProjectKind, "Kind of project (项目类型)")
AppealStatus = _register(enums.AppealStatus, "Status of a residents' appeal (诉求状态)")
WorkingGroupTopic = _register(enums.WorkingGroupTopic, "Topic of a special working group (专项工作组)")
MemberStatus = _register(enums.MemberStatus, "A Party member's standing (党员身份)")
ActivityKind = _register(enums.ActivityKind, "Kind of meeting or activity of organisational life (组织生活)")
DeputyCapacity = _register(enums.DeputyCapacity, "How a deputy or committee member serves a community (代表委员)")

E = TypeVar("E")


@completed_once
@strawberry.type(description='A coded value with its Chinese label, e.g. `{ code: OLD, label: "老旧小区" }`')
class Labeled(Generic[E]):
    """Set once: ``labeled`` hands the same instance to every row and request, so none may change it."""

    code: E = strawberry.field(description="The stable code (English)")
    label: str = strawberry.field(description="The Chinese label a UI or an export shows")

    def __setattr__(self, name: str, value: Any) -> None:
        if name in self.__dict__:
            raise dataclasses.FrozenInstanceError(f"cannot assign to field {name!r} of a shared Labeled")
        object.__setattr__(self, name, value)

    def __delattr__(self, name: str) -> None:
        raise dataclasses.FrozenInstanceError(f"cannot delete field {name!r} of a shared Labeled")


L = TypeVar("L", bound=LabeledEnum)

#: One ``Labeled`` per member, built on first use: a page of rows labels the same few codes thousands of times.
#: Kept per enum (members of two enums may share a code: OrgKind.UNIT, CompoundKind.UNIT) and found by the stored
#: code itself: a member hashes through a Python ``Enum.__hash__``, a ``str`` does not.
_LABELED: dict[type[LabeledEnum], dict[Any, Labeled[Any]]] = {}


def labeled(cls: type[L], value: Any) -> Labeled[L] | None:
    """The ``Labeled`` value of a stored code (shared, immutable); ``None`` for an empty one."""
    if value is None or value == "":
        return None
    shared = _LABELED.get(cls)
    if shared is None:
        shared = _LABELED.setdefault(cls, {})
    try:
        found = shared.get(value)
    except TypeError:  # unhashable: no code, and ``parse`` says so
        found = None
    if found is None:
        member = cls.parse(value)
        found = shared.setdefault(member._value_, Labeled(code=member, label=member.label))
        shared[value] = found
    return found


def labeled_list(cls: type[L], values: Any) -> list[Labeled[L]]:
    if not values:  # most rows (and every row cut to other columns): no generator to make
        return []
    return [item for item in (labeled(cls, v) for v in values) if item is not None]


AsOf = Annotated[
    date | None,
    strawberry.argument(
        description="The day to judge by (posts in force, organisations live, meetings held in the year before); "
        "default: the store's reference day (a seeded demo city's generation day), else today. See referenceDay"
    ),
]


def active_on(start: date | None, end: date | None, day: date | None = None) -> bool:
    """Whether something that runs from ``start`` to ``end`` (inclusive, either open) is in force on ``day``."""
    day = day or date.today()
    return (start is None or start <= day) and (end is None or end >= day)


def _domain_id(self: Any) -> str:
    return str(self.id)


def _active(self: Any) -> bool:
    return active_on(self.start_date, self.end_date)


def derived_field(compute: Callable[[Any], Any], graphql_type: Any, description: str) -> Any:
    """A ``DerivedField`` of GraphQL type ``graphql_type``, declared in the class as ``name = derived_field(...)``."""
    field = DerivedField(type_annotation=StrawberryAnnotation.from_annotation(graphql_type), description=description)
    field.compute = compute
    field.init = field.repr = field.compare = False
    return field


NODE_DOMAIN_ID = "The stable identifier in the store and in NDJSON files; arguments named `...Id` take it"
REL_DOMAIN_ID = "The stable identifier of the relationship"


def domain_id_field(description: str) -> Any:
    """The ``domainId`` field of a type (its ``id`` as stored), declared in the class as ``domain_id = ...``."""
    return derived_field(_domain_id, str, description)


def active_field() -> Any:
    """The ``active`` field of a dated type (``start_date``, ``end_date``): in force today."""
    return derived_field(_active, bool, "In force today")


def local_id(value: str, type_names: tuple[str, ...] = ()) -> str:
    """A domain id from either a domain id or a Relay global id of one of ``type_names``.

    Arguments named ``...Id`` take the ``domainId`` of an object; a global ``id`` (``node(id:)``) is accepted
    too, so clients holding either can pass it.
    """
    try:
        text = base64.b64decode(value.encode("ascii"), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeError, ValueError):
        return value
    type_name, sep, inner = text.partition(":")
    if sep and inner and (type_name in type_names or (not type_names and type_name.isidentifier())):
        return inner
    return value


__all__ = [
    "NODE_DOMAIN_ID",
    "REL_DOMAIN_ID",
    "ActivityKind",
    "AppealStatus",
    "AreaLevel",
    "CompoundKind",
    "DeputyCapacity",
    "DerivedField",
    "Employment",
    "EndOf",
    "FiveHave",
    "Held",
    "Labeled",
    "MemberStatus",
    "OrgKind",
    "Post",
    "ProjectKind",
    "PropertyMode",
    "SunkRole",
    "UnitType",
    "WorkingGroupTopic",
    "active_field",
    "active_on",
    "copy_fields",
    "derived_field",
    "domain_id_field",
    "end_node",
    "from_loader",
    "held",
    "labeled",
    "labeled_list",
    "linked",
    "linked_node",
    "linked_node_soon",
    "linked_nodes",
    "linked_nodes_soon",
    "linked_one",
    "load_node",
    "load_nodes",
    "load_rels",
    "local_id",
    "own_id",
    "page",
]


def stub(node_id: str, label: str) -> dict[str, Any]:
    """A stand-in for a node known only by id; resolvers load the node when a client asks for its fields."""
    return {"id": node_id, "_label": label, "_stub": True}


def end_row(value: dict[str, Any] | str, label: str) -> dict[str, Any]:
    """A relationship end given as a node's property dict or as an id."""
    return stub(value, label) if isinstance(value, str) else value


def is_stub(row: dict[str, Any]) -> bool:
    return bool(row.get("_stub"))


R = TypeVar("R")
V = TypeVar("V")
T = TypeVar("T")
Build = Callable[[dict[str, Any]], R]


async def load_node(info: strawberry.Info, label: str, node_id: str, build: Build[R]) -> R | None:
    """The ``label`` node ``node_id`` built by ``build``; ``None`` for an unknown id."""
    row = await info.context.loaders.node(label).load(node_id)
    return build(row) if row else None


def end_node(info: strawberry.Info, label: str, row: dict[str, Any], build: Build[R]) -> AwaitableOrValue[R | None]:
    """A relationship end built by ``build``: at once from ``row`` itself, or, when ``row`` is only a stub, an
    awaitable loading it first.

    A resolver returns it as it is (``def``, not ``async def``, with the GraphQL type in ``graphql_type``):
    graphql-core awaits what is awaitable, and an end in hand, the common case, then costs no coroutine and no task
    (a page of 100 pairings made 400 tasks for ends it already held).
    """
    if not is_stub(row):
        return build(row)
    return load_node(info, label, row["id"], build)


async def load_nodes(info: strawberry.Info, label: str, node_ids: Iterable[str], build: Build[R]) -> list[R | None]:
    """``resolve_nodes`` of a node type: the ``label`` nodes by id, ``None`` for an unknown id."""
    rows = await info.context.loaders.node(label).load_many(list(node_ids))
    return [build(row) if row else None for row in rows]


async def load_rels(
    info: strawberry.Info, rel: str, source: str, target: str, rel_ids: Iterable[str], build: Build[R]
) -> list[R | None]:
    """``resolve_nodes`` of a relationship type: each ``rel`` by id with its ends as ``_from`` and ``_to``."""
    found = await info.context.loaders.rel(rel, source, target).load_many(list(rel_ids))
    return [build({**hit[0], "_from": hit[1], "_to": hit[2]}) if hit else None for hit in found]


async def linked_node(info: strawberry.Info, rel: str, source: str, target: str, node_id: str, build: Build[R]) -> R | None:
    """The node at the end of ``node_id``'s one outgoing ``rel`` (a parent, a home area), built by ``build``: for an
    ``async def`` resolver (``linked_node_soon`` for one that returns it as it is)."""
    return await _settled(linked_node_soon(info, rel, source, target, node_id, build))


def held(loader: DataLoader[str, V], key: str) -> tuple[V] | None:
    """``(value,)`` when ``loader`` has already finished loading ``key``, else ``None`` (not asked yet, still
    loading, or failed: the caller then awaits the load as usual and meets its error there)."""
    future = loader.cache_map.get(key) if loader.cache else None
    if future is None or not future.done() or future.cancelled() or future.exception() is not None:
        return None
    return (future.result(),)


def from_loader(loader: DataLoader[str, V], key: str, answer: Callable[[V], AwaitableOrValue[R]]) -> AwaitableOrValue[R]:
    """``answer`` of what ``loader`` loads for ``key``: at once when the loader already holds it (a list loaded it
    for all its rows first: ``ahead``), else an awaitable of it after the load. A resolver returns it as it is, as
    it returns ``end_node``, with its GraphQL type in ``graphql_type``."""
    found = held(loader, key)
    if found is not None:
        return answer(found[0])
    return _answer_later(loader, key, answer)


async def _answer_later(loader: DataLoader[str, V], key: str, answer: Callable[[V], AwaitableOrValue[R]]) -> R:
    return await _settled(answer(await loader.load(key)))


async def _settled(value: AwaitableOrValue[R]) -> R:
    if inspect.isawaitable(value):
        return cast(R, await value)
    return value


def own_id(source: Any) -> str:
    """The object's own id: the key its links are loaded by (ahead of its field, and by the field itself)."""
    key: str = source.id
    return key


@dataclass(frozen=True)
class EndOf:
    """A field answering a relationship's end kept on the object as ``attr`` (a node's property dict, or a stub
    when only its id is known), built by ``build``: the resolver's rule (``resolve``) and its reader's
    (``field_readers``) in one place."""

    label: str
    attr: str
    build: Build[Any]
    #: When the object has the end at all (a registration's unit for a unit's check-in); null otherwise.
    when: Callable[[Any], bool] | None = None

    def resolve(self, source: Any, info: strawberry.Info) -> AwaitableOrValue[Any]:
        if self.when is not None and not self.when(source):
            return None
        return end_node(info, self.label, getattr(source, self.attr), self.build)

    def prepare(self, info: strawberry.Info, **args: Any) -> Callable[[Any], Any]:
        attr, build, when = self.attr, self.build, self.when

        def read(source: Any) -> Any:
            if when is not None and not when(source):
                return None
            row = getattr(source, attr)
            return NOT_HELD if is_stub(row) else build(row)

        return read


@dataclass(frozen=True)
class Held:
    """A field answering ``answer(info, source, value, **args)`` of what a loader loads for the object's key
    (``from_loader``): ``loader`` finds the request's loader for the field, ``key`` reads the key off the object;
    ``info`` is the field's, for an answer that reads the request's settings or the field's selection (a page).
    The resolver's rule (``resolve``) and its reader's (``field_readers``: at once when the loader holds the key,
    as when a page loaded it ahead for all its rows) in one place."""

    loader: Callable[[strawberry.Info], DataLoader[str, Any]]
    answer: Callable[..., Any]
    #: The object's key in the loader: its own id unless told.
    key: Callable[[Any], str] = own_id

    def resolve(self, source: Any, info: strawberry.Info, **args: Any) -> AwaitableOrValue[Any]:
        answer = self.answer
        return from_loader(self.loader(info), self.key(source), lambda value: answer(info, source, value, **args))

    def prepare(self, info: strawberry.Info, **args: Any) -> Callable[[Any], Any]:
        # The loader by a weak reference: the executor keeps the prepared reader for the request, and graphql-core's
        # executor lives in a reference cycle past the answer, when the request's loaders are dropped with their rows
        # (``Loaders.clear``) and should go at once.
        loader, key, answer = weakref.ref(self.loader(info)), self.key, self.answer

        def read(source: Any) -> Any:
            held_by = loader()
            found = None if held_by is None else held(held_by, key(source))
            return NOT_HELD if found is None else answer(info, source, found[0], **args)

        return read


def linked(rel: str, source: str, target: str, build: Build[Any], *, incoming: bool = False) -> Held:
    """The nodes at the other end of the object's outgoing (or ``incoming``) ``rel`` relationships, built by
    ``build`` (``linked_nodes_soon``), for a field declared with it (``field_readers.reads``)."""
    return Held(lambda info: link_loader(info, rel, source, target, incoming=incoming), _all_built(build))


def linked_one(rel: str, source: str, target: str, build: Build[Any], key: Callable[[Any], str] = own_id) -> Held:
    """The node at the end of the object's one outgoing ``rel`` (``linked_node_soon``); ``key``: where the object
    keeps the id to follow from, its own id by default."""
    return Held(lambda info: link_loader(info, rel, source, target), _first_built(build), key)


def _first_built(build: Build[R]) -> Callable[[Any, Any, list[Any]], R | None]:
    """The answer of a link to one node: the first pair's node built, null when there is none."""

    def first(_: Any, __: Any, pairs: list[Any]) -> R | None:
        return build(pairs[0][1]) if pairs else None

    return first


def _all_built(build: Build[R]) -> Callable[[Any, Any, list[Any]], list[R]]:
    """The answer of a link to many nodes: every pair's node built."""

    def every(_: Any, __: Any, pairs: list[Any]) -> list[R]:
        return [build(node) for _, node in pairs]

    return every


def link_loader(
    info: strawberry.Info, rel: str, source: str, target: str, *, incoming: bool = False
) -> DataLoader[str, list[Any]]:
    """The loader of the outgoing (or ``incoming``) ``rel`` relationships that the current field reads, the nodes at
    the far end cut to what its selection reads of them (``columns.link_columns``)."""
    columns = link_columns(info, far_label(source, target, incoming=incoming))
    return cast(DataLoader[str, list[Any]], info.context.loaders.linked(rel, source, target, incoming=incoming, columns=columns))


def linked_node_soon(
    info: strawberry.Info, rel: str, source: str, target: str, node_id: str, build: Build[R]
) -> AwaitableOrValue[R | None]:
    """The node at the end of ``node_id``'s one outgoing ``rel``, built by ``build``, through ``from_loader``: at once
    when the loader holds ``node_id``'s relationships."""
    first = _first_built(build)
    return from_loader(link_loader(info, rel, source, target), node_id, lambda pairs: first(info, None, pairs))


def linked_nodes_soon(
    info: strawberry.Info, rel: str, source: str, target: str, node_id: str, build: Build[R], *, incoming: bool = False
) -> AwaitableOrValue[list[R]]:
    """The nodes at the other end of ``node_id``'s outgoing (or ``incoming``) ``rel`` relationships, through
    ``from_loader``: at once when the loader holds ``node_id``'s relationships."""
    every = _all_built(build)
    return from_loader(link_loader(info, rel, source, target, incoming=incoming), node_id, lambda pairs: every(info, None, pairs))


async def linked_nodes(
    info: strawberry.Info, rel: str, source: str, target: str, node_id: str, build: Build[R], *, incoming: bool = False
) -> list[R]:
    """The nodes at the other end of ``node_id``'s outgoing (or ``incoming``) ``rel`` relationships, by name: for an
    ``async def`` resolver (``linked_nodes_soon`` for one that returns them as they are)."""
    return await _settled(linked_nodes_soon(info, rel, source, target, node_id, build, incoming=incoming))


S = TypeVar("S")


@overload
def page(info: strawberry.Info, items: Sequence[T], first: int | None, after: str | None) -> Connection[T]: ...


@overload
def page(
    info: strawberry.Info, items: Sequence[S], first: int | None, after: str | None, build: Callable[[S], T]
) -> Connection[T]: ...


def page(
    info: strawberry.Info,
    items: Sequence[Any],
    first: int | None,
    after: str | None,
    build: Callable[[Any], Any] | None = None,
) -> Connection[Any]:
    """A page of an in-memory list within the server's page-size settings; with ``build``, each item of the page
    (only those) built by it."""
    settings = info.context.settings
    most, default = settings.max_page_size, settings.default_page_size
    if build is None:
        return paginate(items, first=first, after=after, max_page_size=most, default_page_size=default)
    return paginate(items, first=first, after=after, max_page_size=most, default_page_size=default, build=build)


def copy_fields(cls: type[T], source: object, **given: Any) -> T:
    """An instance of the strawberry type ``cls`` with each field read by name from ``source``, except those ``given``.

    Result types mirror the analysis and audit records they show and convert only a few fields. A field ``source``
    lacks keeps its default in ``cls`` (``cls`` raises if it has none).
    """
    values = dict(given)
    for f in dataclasses.fields(cast(Any, cls)):
        if f.init and f.name not in values and hasattr(source, f.name):
            values[f.name] = getattr(source, f.name)
    return cls(**values)
