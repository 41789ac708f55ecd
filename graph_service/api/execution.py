"""GraphQL execution with a short path for plain leaf fields.

Most fields of a page are leaves read straight off the object (``domainId``, ``name``, ``startDate``): strawberry
marks them basic (no resolver, no extension, no permission), yet graphql-core still builds a resolve info, looks
for arguments, calls strawberry's wrapper and walks ``complete_value`` for each one, about 3 us a field (a page of
100 pairings has about 1,900 fields). ``LeafFastExecutionContext`` reads such a field's value as strawberry would
(``StrawberryField.get_result``) and coerces it as graphql-core would (``coerce_output_value``); anything else,
a null, a value that does not coerce, an exception, a field with arguments, or a schema extension that wraps
resolvers, takes graphql-core's own path, which then gives the same answer or error it always gave.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from graphql.pyutils import Path
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.types.field import StrawberryField

from graphql import (
    GraphQLEnumType,
    GraphQLField,
    GraphQLLeafType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    Undefined,
)


@dataclass(frozen=True)
class _Leaf:
    """How to read and coerce one plain leaf field: ``listed`` when it is a list of leaves."""

    field: StrawberryField
    leaf: GraphQLLeafType
    listed: bool


#: Per schema field (graphql-core's field objects live as long as the schema), its plan or ``None`` (not plain).
_PLANS: dict[int, tuple[GraphQLField, _Leaf | None]] = {}


def _plan(field_def: GraphQLField) -> _Leaf | None:
    kept = _PLANS.get(id(field_def))
    if kept is not None and kept[0] is field_def:
        return kept[1]
    plan = _leaf_plan(field_def)
    _PLANS[id(field_def)] = (field_def, plan)
    return plan


def _leaf_plan(field_def: GraphQLField) -> _Leaf | None:
    field = (field_def.extensions or {}).get("strawberry-definition")
    resolve = field_def.resolve
    if not isinstance(field, StrawberryField) or not getattr(resolve, "_is_default", False) or field_def.args:
        return None
    kind = _nullable(field_def.type)
    listed = isinstance(kind, GraphQLList)
    if isinstance(kind, GraphQLList):
        kind = _nullable(kind.of_type)
    if not isinstance(kind, GraphQLScalarType | GraphQLEnumType):
        return None
    return _Leaf(field, kind, listed)


def _nullable(kind: Any) -> Any:
    return kind.of_type if isinstance(kind, GraphQLNonNull) else kind


class _Slow(Exception):
    """The value needs graphql-core's own path (a null, a value that does not coerce)."""


def _coerce(leaf: GraphQLLeafType, value: Any) -> Any:
    if value is None:
        raise _Slow
    coerced = leaf.coerce_output_value(value)
    if coerced is None or coerced is Undefined:
        raise _Slow
    return coerced


class LeafFastExecutionContext(StrawberryGraphQLCoreExecutionContext):
    """Strawberry's execution context, with plain leaf fields read and coerced without the per-field machinery."""

    def execute_field(
        self,
        parent_type: GraphQLObjectType,
        source: Any,
        field_details_list: Any,
        path: Path,
        position_context: Any,
    ) -> Any:
        manager = self.middleware_manager
        if manager is None or not manager.middlewares:  # strawberry passes an empty manager when nothing wraps resolvers
            node = field_details_list[0].node
            field_def = self.schema.get_field(parent_type, node.name.value)
            plan = _plan(field_def) if field_def is not None and not node.arguments else None
            if plan is not None:
                try:
                    value = plan.field.get_result(source, None, [], {})
                    if not plan.listed:
                        return _coerce(plan.leaf, value)
                    if isinstance(value, list | tuple):
                        return [_coerce(plan.leaf, item) for item in value]
                except Exception:
                    pass
        return super().execute_field(parent_type, source, field_details_list, path, position_context)
