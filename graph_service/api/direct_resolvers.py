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
awaits it as it awaited strawberry's wrapper. Any other field keeps strawberry's wrapper.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import strawberry
from strawberry.types.field import StrawberryField

from graphql import GraphQLField, GraphQLObjectType, GraphQLResolveInfo

#: The names strawberry gives its wrapping resolvers (``GraphQLCoreConverter.from_resolver``).
_STRAWBERRY_WRAPPERS = frozenset({"_resolver", "_async_resolver"})

Resolve = Callable[[Any, GraphQLResolveInfo[Any]], Any]


def use_direct_resolvers(schema: strawberry.Schema) -> int:
    """Gives every field of ``schema`` that qualifies a direct resolver; answers how many."""
    if getattr(schema.schema_converter, "_exception_handler_specs", None):
        return 0  # a handler may turn any field's exception into a value: keep strawberry's wrapper everywhere
    info_class = schema.config.info_class
    replaced = 0
    for graphql_type in schema._schema.type_map.values():
        if not isinstance(graphql_type, GraphQLObjectType) or graphql_type.name.startswith("__"):
            continue
        for field_def in graphql_type.fields.values():
            direct = direct_resolver(field_def, info_class)
            if direct is not None:
                field_def.resolve = direct
                replaced += 1
    return replaced


def direct_resolver(field_def: GraphQLField, info_class: type) -> Resolve | None:
    """The direct resolver of ``field_def``, or ``None`` when strawberry's wrapper has work to do for it."""
    field = (field_def.extensions or {}).get("strawberry-definition")
    if not isinstance(field, StrawberryField) or field.base_resolver is None:
        return None
    if field.extensions or field.arguments or field_def.args:
        return None
    if getattr(field_def.resolve, "__name__", None) not in _STRAWBERRY_WRAPPERS:
        return None
    resolver = field.base_resolver
    call = resolver.wrapped_func
    if not callable(call):
        return None
    positional = resolver.self_parameter is not None
    sources = tuple(p.name for p in (resolver.parent_parameter, resolver.root_parameter) if p is not None)
    info_name = resolver.info_parameter.name if resolver.info_parameter is not None else None
    if positional and not sources and info_name == "info":
        # Nearly every resolver of ours: ``def f(self, info)``, the one call shape worth its own closure.
        def resolve_self_info(source: Any, info: GraphQLResolveInfo[Any]) -> Any:
            return call(source, info=info_class(_raw_info=info, _field=field))

        return resolve_self_info

    def resolve(source: Any, info: GraphQLResolveInfo[Any]) -> Any:
        kwargs: dict[str, Any] = dict.fromkeys(sources, source)
        if info_name is not None:
            kwargs[info_name] = info_class(_raw_info=info, _field=field)
        return call(source, **kwargs) if positional else call(**kwargs)

    return resolve


__all__ = ["direct_resolver", "use_direct_resolvers"]
