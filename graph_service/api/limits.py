"""Limits on what one GraphQL request may ask (OWASP GraphQL cheat sheet), switched on in one place.

Depth, aliases and tokens use strawberry's extensions; the query cost and the per-request timeout are ours
(strawberry has neither). The cost is estimated before execution from the requested page sizes times the
nesting: a list field multiplies the cost of everything under it by its ``first`` (or the default page size),
plain lists by ``LIST_FACTOR``. A request over ``max_query_cost`` is refused before any store query runs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from strawberry.extensions import (
    DisableIntrospection,
    MaskErrors,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    QueryDepthLimiter,
    SchemaExtension,
)

from graph_service.config import Settings
from graph_service.errors import GraphServiceError
from graphql import ExecutionResult as GraphQLExecutionResult
from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    get_named_type,
    value_from_ast_untyped,
)

#: Assumed length of a list field that takes no ``first`` (an area's leading organisations, a person's posts).
LIST_FACTOR = 10


def _unwrap(type_: Any) -> Any:
    while isinstance(type_, GraphQLNonNull):
        type_ = type_.of_type
    return type_


class CostEstimator:
    """Estimates the cost of one operation of a document against a schema."""

    def __init__(self, schema: GraphQLSchema, default_page_size: int, max_page_size: int) -> None:
        self.schema = schema
        self.default_page_size = default_page_size
        self.max_page_size = max_page_size

    def cost(
        self, operation: OperationDefinitionNode, fragments: dict[str, FragmentDefinitionNode], variables: dict[str, Any]
    ) -> int:
        root = self.schema.get_root_type(operation.operation)
        if root is None:
            return 0
        return self._selection_cost(operation.selection_set, root, fragments, variables, set())

    def _fields(
        self, selection_set: SelectionSetNode, fragments: dict[str, FragmentDefinitionNode], seen: set[str]
    ) -> Iterator[FieldNode]:
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                yield selection
            elif isinstance(selection, InlineFragmentNode):
                yield from self._fields(selection.selection_set, fragments, seen)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = fragments.get(name)
                # A fragment spread twice on one level counts twice; a cycle is refused by validation already.
                if fragment is not None and name not in seen:
                    yield from self._fields(fragment.selection_set, fragments, seen | {name})

    def _selection_cost(
        self,
        selection_set: SelectionSetNode | None,
        parent: Any,
        fragments: dict[str, FragmentDefinitionNode],
        variables: dict[str, Any],
        seen: set[str],
    ) -> int:
        if selection_set is None:
            return 0
        total = 0
        for node in self._fields(selection_set, fragments, seen):
            name = node.name.value
            field = parent.fields.get(name) if isinstance(parent, GraphQLObjectType) else None
            if field is None:
                # Interface or union parent, or introspection: price the selection against any type with the field.
                field = self._field_anywhere(parent, name)
            if field is None:
                total += 1
                continue
            child_type = get_named_type(field.type)
            # The edges (or nodes) of a connection are its page: the connection field counted the page size.
            in_page = isinstance(parent, GraphQLObjectType) and "pageInfo" in parent.fields
            multiplier = 1 if in_page else self._multiplier(node, field, variables)
            total += 1 + multiplier * self._selection_cost(node.selection_set, child_type, fragments, variables, seen)
        return total

    def _field_anywhere(self, parent: Any, name: str) -> Any:
        candidates = [parent, *self.schema.get_possible_types(parent)] if hasattr(parent, "fields") or parent else []
        if parent is not None and not hasattr(parent, "fields"):
            candidates = list(self.schema.get_possible_types(parent))
        for candidate in candidates:
            fields = getattr(candidate, "fields", {})
            if name in fields:
                return fields[name]
        return None

    def _multiplier(self, node: FieldNode, field: Any, variables: dict[str, Any]) -> int:
        if "first" in field.args:
            first = None
            for argument in node.arguments or ():
                if argument.name.value == "first":
                    first = value_from_ast_untyped(argument.value, variables)
            if first is None:
                return self.default_page_size
            return max(1, min(int(first), self.max_page_size)) if isinstance(first, int) else self.default_page_size
        if isinstance(_unwrap(field.type), GraphQLList):
            return LIST_FACTOR
        return 1


class QueryCostError(GraphServiceError):
    """The estimated cost of a request is over the limit."""


def cost_limiter(settings: Settings) -> Callable[[], SchemaExtension]:
    """An extension refusing, before execution, an operation whose estimated cost is over the limit."""

    class QueryCostLimiter(SchemaExtension):
        def on_execute(self) -> Iterator[None]:
            ctx = self.execution_context
            document = ctx.graphql_document
            if document is not None and not ctx.result:
                operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
                # The name the client sent; ``ctx.operation_name`` falls back to the document's first operation.
                name = getattr(ctx, "_provided_operation_name", ctx.operation_name)
                chosen = next((o for o in operations if name is None or (o.name and o.name.value == name)), None)
                if name is None and len(operations) > 1:
                    # The spec's rule (strawberry would run the first operation).
                    error = GraphQLError("the document has several operations: name one in operationName")
                    ctx.result = GraphQLExecutionResult(data=None, errors=[error])
                elif chosen is not None:
                    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
                    estimator = CostEstimator(ctx.schema._schema, settings.default_page_size, settings.max_page_size)
                    cost = estimator.cost(chosen, fragments, ctx.variables or {})
                    if cost > settings.max_query_cost:
                        error = GraphQLError(
                            f"query cost {cost} is over the limit of {settings.max_query_cost}: ask for smaller pages "
                            "(first) or fewer nested lists",
                            extensions={"code": "QUERY_TOO_COSTLY", "cost": cost, "limit": settings.max_query_cost},
                        )
                        ctx.result = GraphQLExecutionResult(data=None, errors=[error])
            yield

    return QueryCostLimiter


def should_mask(error: GraphQLError) -> bool:
    """Mask errors that did not come from us on purpose: driver errors may quote Cypher or internals."""
    original = error.original_error
    if original is None:
        return False  # parse, validation and limit errors: about the request, safe to show
    return not isinstance(original, GraphServiceError | GraphQLError)


def schema_extensions(settings: Settings) -> list[Callable[[], SchemaExtension]]:
    """The limits in force for ``settings``, as per-request extension factories."""
    extensions: list[Callable[[], SchemaExtension]] = [
        lambda: MaxTokensLimiter(max_token_count=settings.max_tokens),
        lambda: QueryDepthLimiter(max_depth=settings.max_query_depth),
        lambda: MaxAliasesLimiter(max_alias_count=settings.max_aliases),
        cost_limiter(settings),
    ]
    if not settings.introspection:
        extensions.append(DisableIntrospection)
    if settings.production:
        extensions.append(lambda: MaskErrors(should_mask_error=should_mask, error_message="Internal error; it was logged."))
    return extensions


__all__ = ["LIST_FACTOR", "CostEstimator", "QueryCostError", "schema_extensions", "should_mask"]
