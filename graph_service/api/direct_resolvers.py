"""Resolvers called without strawberry's per-call wrapper where the wrapper has nothing to do.

For a field with a resolver, strawberry's ``_resolver`` runs on every call: it builds an ``Info``, converts the
arguments (``get_arguments``), looks for ``info`` among them, wraps the call in a closure and folds the field
extensions over it with ``functools.reduce``; an ``async def`` resolver gets one more coroutine around it. For a
field with no arguments, no field extension (so no permission: ``permissions.allow`` is one) and no exception
handler, all of that comes down to calling the function with the source and an ``Info``: 16,888 such calls took a
quarter of a page of 100 pairings' execution time in the profile (issue 11).

``use_direct_resolvers`` puts that call in the GraphQL field's ``resolve``, once, when the schema is built. It
passes what strawberry's ``get_arguments`` passes (the source as ``self``, as ``root`` or ``parent`` and an
``Info`` of the schema's ``info_class``) and returns what the function returns, awaitable or not: graphql-core
awaits it as it awaited strawberry's wrapper.

Two more kinds of field qualify, the ones a list asks of every row: a field whose arguments are all of GraphQL's
own scalars or enums (``memberships(current: true)`` of each person, ``children(level:, first:)`` of each area),
which strawberry's ``convert_argument`` hands over as graphql-core coerced them (strawberry's enum types parse to
the member), so the direct call passes them under their Python names; and a field whose only
extensions are permissions (``RoleGuard``: a person's name and phone), checked before the call as the extension
checks them, raising the same error. Any other field keeps strawberry's wrapper.

A direct resolver declared with a reader (``field_readers.reads``) and no permission carries it, bound to the
field (``Ready``, ``ready_of``): the executor may then answer the field from the reader without the call.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import strawberry
from strawberry import relay
from strawberry.relay.utils import to_base64
from strawberry.types.base import StrawberryOptional
from strawberry.types.enum import StrawberryEnumDefinition, has_enum_definition
from strawberry.types.field import StrawberryField

from graph_service.api.field_readers import Reader, reader_of
from graph_service.api.permissions import Principal, Role, RoleGuard
from graphql import (
    GraphQLEnumType,
    GraphQLField,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLResolveInfo,
    GraphQLScalarType,
    specified_scalar_types,
)

#: The Python types of arguments strawberry passes on as graphql-core coerced them (besides enums).
_PLAIN_PYTHON_TYPES: tuple[object, ...] = (bool, int, float, str, strawberry.ID)
#: The names strawberry gives its wrapping resolvers (``GraphQLCoreConverter.from_resolver``).
_STRAWBERRY_WRAPPERS = frozenset({"_resolver", "_async_resolver"})

Resolve = Callable[[Any, GraphQLResolveInfo[Any]], Any]


def use_direct_resolvers(schema: strawberry.Schema) -> int:
    """Gives every field of ``schema`` that qualifies a direct resolver; answers how many."""
    if getattr(schema.schema_converter, "_exception_handler_specs", None):
        return 0  # a handler may turn any field's exception into a value: keep strawberry's wrapper everywhere
    info_class = schema.config.info_class
    graphql_name = schema.config.name_converter.get_graphql_name
    replaced = 0
    for graphql_type in schema._schema.type_map.values():
        if not isinstance(graphql_type, GraphQLObjectType) or graphql_type.name.startswith("__"):
            continue
        for name, field_def in graphql_type.fields.items():
            direct = direct_resolver(field_def, info_class, graphql_name)
            if direct is not None:
                field_def.resolve = direct
                replaced += 1
            if name == "id" and field_def.resolve is not None:
                node_id = node_id_resolver(graphql_type, field_def.resolve)
                if node_id is not None:
                    field_def.resolve = node_id
                    replaced += 1
    return replaced


def node_id_resolver(graphql_type: GraphQLObjectType, fallback: Resolve) -> Resolve | None:
    """The ``id`` of a relay node type as strawberry's ``Node._id`` answers it, when the type keeps relay's own
    ``resolve_id`` and ``resolve_typename``: the global id of the type's name and the ``NodeID`` attribute, encoded
    at once (strawberry looks both up per call, builds a ``GlobalID`` and the scalar encodes it: a page of 100
    pairings asks 100). ``None`` for any other type; any other value than one of the type's objects takes
    ``fallback``, strawberry's way."""
    definition = (graphql_type.extensions or {}).get("strawberry-definition")
    origin = getattr(definition, "origin", None)
    if not isinstance(origin, type) or not issubclass(origin, relay.Node):
        return None
    if origin.resolve_id.__func__ is not relay.Node.resolve_id.__func__:  # type: ignore[attr-defined]
        return None
    if origin.resolve_typename.__func__ is not relay.Node.resolve_typename.__func__:  # type: ignore[attr-defined]
        return None
    node_id = NodeId(origin, origin.resolve_id_attr(), graphql_type.name)

    def resolve_node_id(source: Any, info: GraphQLResolveInfo[Any]) -> Any:
        written = node_id.of(source)
        return written if written is not None else fallback(source, info)

    # What the executor needs to write the id of one of the type's objects without a call (``node_id_of``).
    resolve_node_id.node_id = node_id  # type: ignore[attr-defined]
    return resolve_node_id


@dataclass(frozen=True)
class NodeId:
    """How ``node_id_resolver``'s resolver writes the id of an object of ``origin``: ``type_name`` and the object's
    ``attr``, base64-encoded as relay's global ids are."""

    origin: type
    attr: str
    type_name: str

    def of(self, source: Any) -> str | None:
        """``source``'s global id, as the resolver answers it; ``None`` for anything but an object of ``origin``."""
        if type(source) is not self.origin:
            return None
        return to_base64(self.type_name, str(getattr(source, self.attr)))


def node_id_of(field_def: GraphQLField) -> NodeId | None:
    """How to write ``field_def``'s value without calling it, when its resolver is ``node_id_resolver``'s."""
    found = getattr(field_def.resolve, "node_id", None)
    return found if isinstance(found, NodeId) else None


def direct_resolver(field_def: GraphQLField, info_class: type, graphql_name: Callable[[Any], str]) -> Resolve | None:
    """The direct resolver of ``field_def``, or ``None`` when strawberry's wrapper has work to do for it;
    ``graphql_name``: the schema's name for an argument (its ``name_converter``)."""
    field = (field_def.extensions or {}).get("strawberry-definition")
    if not isinstance(field, StrawberryField) or field.base_resolver is None:
        return None
    if getattr(field_def.resolve, "__name__", None) not in _STRAWBERRY_WRAPPERS:
        return None
    guards = tuple(extension for extension in field.extensions if isinstance(extension, RoleGuard))
    if len(guards) != len(field.extensions):  # another extension: strawberry's wrapper folds it in
        return None
    arguments = _python_names(field, field_def, graphql_name)
    if arguments is None:
        return None
    resolver = field.base_resolver
    call = resolver.wrapped_func
    if not callable(call):
        return None
    positional = resolver.self_parameter is not None
    sources = tuple(p.name for p in (resolver.parent_parameter, resolver.root_parameter) if p is not None)
    info_name = resolver.info_parameter.name if resolver.info_parameter is not None else None
    reader = reader_of(call)
    ready = Ready(reader, info_class, field, arguments) if reader is not None and not guards and positional else None
    if positional and not sources and info_name == "info" and not guards and not arguments:
        # Nearly every resolver of ours: ``def f(self, info)``, the one call shape worth its own closure.
        def resolve_self_info(source: Any, info: GraphQLResolveInfo[Any]) -> Any:
            return call(source, info=info_class(_raw_info=info, _field=field))

        if ready is not None:
            resolve_self_info.ready = ready  # type: ignore[attr-defined]
        return resolve_self_info

    own = Own(call, tuple(guard.roles for guard in guards)) if _own_value(resolver, positional, sources, arguments) else None

    def resolve(source: Any, info: GraphQLResolveInfo[Any], **args: Any) -> Any:
        kwargs: dict[str, Any] = dict.fromkeys(sources, source)
        if info_name is not None or guards:
            strawberry_info = info_class(_raw_info=info, _field=field)
            for guard in guards:
                guard.check(strawberry_info)
            if info_name is not None:
                kwargs[info_name] = strawberry_info
        for name, value in args.items():
            kwargs[arguments[name]] = value
        return call(source, **kwargs) if positional else call(**kwargs)

    if guards and resolver.is_async:
        # strawberry checks an async field's permission inside its coroutine: a refusal is then reported when
        # graphql-core awaits it, which decides which errors a null bubbling up leaves in the answer.
        async def resolve_later(source: Any, info: GraphQLResolveInfo[Any], **args: Any) -> Any:
            return await resolve(source, info, **args)

        return resolve_later
    if own is not None:
        resolve.own = own  # type: ignore[attr-defined]
    if ready is not None and info_name in (None, "info") and not sources:
        resolve.ready = ready  # type: ignore[attr-defined]
    return resolve


@dataclass(frozen=True)
class Ready:
    """A direct resolver's ``Reader`` (``field_readers``) with what the executor needs to prepare it as the
    resolver would be called: the schema's ``Info`` class, the field, and each argument's Python name."""

    reader: Reader
    info_class: type
    field: StrawberryField
    arguments: dict[str, str]

    def prepare(self, info: GraphQLResolveInfo[Any], args: dict[str, Any]) -> Callable[[Any], Any]:
        """The reader prepared for the request and selection of ``info``; ``args`` as graphql-core coerced them."""
        named = {self.arguments[name]: value for name, value in args.items()}
        return self.reader.prepare(self.info_class(_raw_info=info, _field=self.field), **named)


def ready_of(field_def: GraphQLField) -> Ready | None:
    """How to read ``field_def`` without calling it, when its direct resolver was declared with a reader."""
    found = getattr(field_def.resolve, "ready", None)
    return found if isinstance(found, Ready) else None


def _own_value(resolver: Any, positional: bool, sources: tuple[str, ...], arguments: dict[str, str]) -> bool:
    """Whether the resolver is ``def f(self)``: a value of its object alone (a person's name behind a permission)."""
    return positional and not sources and resolver.info_parameter is None and not arguments and not resolver.is_async


@dataclass(frozen=True)
class Own:
    """A field whose resolver is ``def f(self)``, behind permissions (``roles``: each guard's) or none: the
    executor may call ``call`` on the object itself once the caller's role passes every guard (``own_of``)."""

    call: Callable[[Any], Any]
    roles: tuple[frozenset[Role], ...]

    def allows(self, principal: Principal | None) -> bool:
        """Whether every guard lets ``principal`` read the field (``RoleGuard.check`` refuses otherwise)."""
        return all(principal is not None and principal.may(roles) for roles in self.roles)


def own_of(field_def: GraphQLField) -> Own | None:
    """How to read ``field_def`` off its object without a call through graphql-core, when its direct resolver is a
    ``def f(self)``."""
    found = getattr(field_def.resolve, "own", None)
    return found if isinstance(found, Own) else None


def _python_names(field: StrawberryField, field_def: GraphQLField, graphql_name: Callable[[Any], str]) -> dict[str, str] | None:
    """Each argument's Python name by its GraphQL name, when every argument is of GraphQL's own scalars or an enum
    (strawberry passes those as graphql-core coerced them); ``None`` when one is not (an input, a list, a custom
    scalar such as a global id)."""
    names = {graphql_name(argument): argument.python_name for argument in field.arguments}
    if set(names) != set(field_def.args):
        return None
    for argument in field.arguments:
        # What strawberry converts to: a GlobalID, say, arrives as GraphQL's ID and leaves converted.
        python_type = argument.type
        if isinstance(python_type, StrawberryOptional):
            python_type = python_type.of_type
        if not any(python_type is plain for plain in _PLAIN_PYTHON_TYPES) and not _is_enum(python_type):
            return None
    for graphql_argument in field_def.args.values():
        kind = graphql_argument.type
        if isinstance(kind, GraphQLNonNull):
            kind = kind.of_type
        if isinstance(kind, GraphQLEnumType):
            continue  # strawberry's enum types parse to the member, as its resolvers receive it
        if not isinstance(kind, GraphQLScalarType) or specified_scalar_types.get(kind.name) is not kind:
            return None
    return names


def _is_enum(python_type: object) -> bool:
    """An argument's type that is one of strawberry's enums (an argument's type is the enum's definition)."""
    return isinstance(python_type, StrawberryEnumDefinition) or has_enum_definition(python_type)


__all__ = ["direct_resolver", "use_direct_resolvers"]
