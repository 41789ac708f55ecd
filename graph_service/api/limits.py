"""Limits on what one GraphQL request may ask (OWASP GraphQL cheat sheet), switched on in one place.

Every limit is checked before any expensive work, on a budget bounded by the document's size, in this order:

1. the document's length in characters (``max_query_length``), before it is lexed;
2. one pass of the lexer: at most ``max_tokens`` tokens, brackets nested at most ``nesting_limit`` deep (so the
   parser's, our own and graphql-core's recursions stay shallow);
3. the parse, once;
4. the shape of the document, with each fragment summarised once, in dependency order (a fragment spread twice
   costs a lookup, not a second walk; a fragment that spreads itself is refused): the depth of fields
   (``max_query_depth``), the aliases (``max_aliases``), the field selections once fragments are spread out, and
   the estimated cost (``max_query_cost``).

Only then does strawberry validate the document (graphql-core's overlapping-fields rule is super-linear in the
expanded size, which step 4 has bounded) and run it. Strawberry's own depth and alias limiters expand every
fragment spread again without memoising (a 20-level fragment bomb of 800 bytes held the event loop for 18 s), so
they are not used.

Clients send the same few documents over and over, and lexing, parsing and validating one cost more than
running it (15 ms for the planner's examples, against a few ms of execution). ``DocumentCache`` keeps, per
document text, what steps 2-3 and validation concluded (the parsed document, or the error) and, per operation
and values of the variables that set a page size, what step 4 concluded. Each is a pure function of the text
(and those values) for one schema and one set of limits, so a cached verdict is the verdict; the length check
of step 1 still runs first on every request, and the cache is bounded in entries and in the size of the
documents it keeps.

The cost: a list field multiplies the cost of everything under it by its ``first`` (or the default page size),
plain lists by ``LIST_FACTOR``; the edges of a connection are its page, already counted. Every field selection
costs at least one, so the cost bounds the expanded size too.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from dataclasses import dataclass, field
from typing import Any

from strawberry.extensions import DisableIntrospection, SchemaExtension

from graph_service.api.responses import MaskUnexpected, unexpected
from graph_service.config import Settings
from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLSyntaxError,
    InlineFragmentNode,
    Lexer,
    OperationDefinitionNode,
    SelectionSetNode,
    Source,
    TokenKind,
    VariableNode,
    get_named_type,
    is_abstract_type,
    parse,
    value_from_ast_untyped,
)

#: Assumed length of a list field that takes no ``first`` (an area's leading organisations, a person's posts).
LIST_FACTOR = 10
#: The deepest nesting of arrays and objects accepted in JSON (request bodies, ``variables``, ``extensions``).
MAX_JSON_DEPTH = 32
#: How many distinct documents ``DocumentCache`` keeps, and the longest it keeps (integrations send a few short
#: ones; a longer or rarer document is checked again on every request, as without a cache).
DOCUMENT_CACHE_ENTRIES = 512
DOCUMENT_CACHE_MAX_LENGTH = 20_000

_OPENING = frozenset({TokenKind.BRACE_L, TokenKind.BRACKET_L, TokenKind.PAREN_L})
_CLOSING = frozenset({TokenKind.BRACE_R, TokenKind.BRACKET_R, TokenKind.PAREN_R})


def nesting_limit(settings: Settings) -> int:
    """How deep brackets may nest in a document: every field level twice (inline fragments) and room for
    argument values (input objects and lists)."""
    return 2 * settings.max_query_depth + 16


def limit_error(message: str, code: str, **extensions: Any) -> GraphQLError:
    return GraphQLError(message, extensions={"code": code, **extensions})


def parse_bounded(query: str, settings: Settings) -> DocumentNode:
    """The document, parsed once after checking its length, tokens and nesting; ``GraphQLError`` otherwise."""
    if len(query) > settings.max_query_length:
        raise _too_long(query, settings)
    source = Source(query)
    lexer = Lexer(source)
    tokens = depth = 0
    deepest = nesting_limit(settings)
    try:
        while (token := lexer.advance()).kind is not TokenKind.EOF:
            tokens += 1
            if tokens > settings.max_tokens:
                raise limit_error(
                    f"the query document has more than {settings.max_tokens} tokens, the limit",
                    "TOO_MANY_TOKENS",
                    limit=settings.max_tokens,
                )
            if token.kind in _OPENING:
                depth += 1
                if depth > deepest:
                    raise limit_error(
                        f"the query document nests brackets more than {deepest} deep (line {token.line})",
                        "QUERY_TOO_DEEP",
                        limit=deepest,
                    )
            elif token.kind in _CLOSING:
                depth -= 1
        return parse(source)  # tokens and nesting are known to be within the limits
    except GraphQLSyntaxError as error:
        error.extensions = {**(error.extensions or {}), "code": "GRAPHQL_PARSE_FAILED"}
        raise


@dataclass(frozen=True)
class Shape:
    """What a selection set asks for once its fragments are spread out."""

    depth: int = 0  # field levels below it (strawberry's QueryDepthLimiter counting: introspection fields add none)
    aliases: int = 0
    fields: int = 0  # field selections
    cost: int = 0

    def __add__(self, other: Shape) -> Shape:
        return Shape(
            max(self.depth, other.depth), self.aliases + other.aliases, self.fields + other.fields, self.cost + other.cost
        )


EMPTY = Shape()


class DocumentShape:
    """Summarises the operations of one document against a schema; each fragment is walked once."""

    def __init__(self, schema: GraphQLSchema, document: DocumentNode, variables: dict[str, Any], settings: Settings) -> None:
        self.schema = schema
        self.variables = variables
        self.default_page_size = settings.default_page_size
        self.max_page_size = settings.max_page_size
        self.operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
        definitions: dict[str, FragmentDefinitionNode] = {}
        for definition in document.definitions:
            if isinstance(definition, FragmentDefinitionNode):
                definitions.setdefault(definition.name.value, definition)
        self.fragments: dict[str, Shape] = {}
        for name in _dependency_order(definitions):
            fragment = definitions[name]
            self.fragments[name] = self.selection(fragment.selection_set, self._type(fragment.type_condition.name.value))

    def operation(self, operation: OperationDefinitionNode) -> Shape:
        return self.selection(operation.selection_set, self.schema.get_root_type(operation.operation))

    def selection(self, selection_set: SelectionSetNode | None, parent: Any) -> Shape:
        """The shape of ``selection_set`` on type ``parent`` (``None`` when unknown: every field costs one)."""
        if selection_set is None:
            return EMPTY
        total = EMPTY
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                total += self._field(selection, parent)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                inner_type = self._type(condition.name.value) if condition else parent
                total += self.selection(selection.selection_set, inner_type)
            elif isinstance(selection, FragmentSpreadNode):
                # An unknown fragment adds nothing here; validation names it.
                total += self.fragments.get(selection.name.value, EMPTY)
        return total

    def _field(self, node: FieldNode, parent: Any) -> Shape:
        name = node.name.value
        field = self._field_def(parent, name)
        child = self.selection(node.selection_set, get_named_type(field.type) if field else None) if node.selection_set else EMPTY
        # Introspection fields do not count toward the depth (as in strawberry's limiter).
        depth = 1 + child.depth if node.selection_set and not name.startswith("__") else 0
        # The edges (or nodes) of a connection are its page: the connection field counted the page size.
        in_page = isinstance(parent, GraphQLObjectType) and "pageInfo" in parent.fields
        multiplier = 1 if field is None or in_page else self._multiplier(node, field)
        return Shape(depth, child.aliases + (1 if node.alias else 0), 1 + child.fields, 1 + multiplier * child.cost)

    def _type(self, name: str) -> Any:
        return self.schema.get_type(name)

    def _field_def(self, parent: Any, name: str) -> Any:
        if parent is None:
            return None
        fields = getattr(parent, "fields", None) or {}
        if name in fields:
            return fields[name]
        if is_abstract_type(parent):
            for candidate in self.schema.get_possible_types(parent):
                if name in candidate.fields:
                    return candidate.fields[name]
        return None

    def _multiplier(self, node: FieldNode, field: Any) -> int:
        if "first" in field.args:
            first = None
            for argument in node.arguments or ():
                if argument.name.value == "first":
                    first = value_from_ast_untyped(argument.value, self.variables)
            if isinstance(first, int):
                return max(1, min(first, self.max_page_size))
            return self.default_page_size
        type_ = field.type
        while isinstance(type_, GraphQLNonNull):
            type_ = type_.of_type
        return LIST_FACTOR if isinstance(type_, GraphQLList) else 1


def _spreads(selection_set: SelectionSetNode) -> set[str]:
    """The fragments spread anywhere in ``selection_set`` (not through them)."""
    names: set[str] = set()
    pending = [selection_set]
    while pending:
        for selection in pending.pop().selections:
            if isinstance(selection, FragmentSpreadNode):
                names.add(selection.name.value)
            elif isinstance(selection, FieldNode | InlineFragmentNode) and selection.selection_set is not None:
                pending.append(selection.selection_set)
    return names


def _dependency_order(fragments: dict[str, FragmentDefinitionNode]) -> list[str]:
    """Fragment names, each after the fragments it spreads; ``GraphQLError`` when one spreads itself."""
    needs = {name: _spreads(f.selection_set) & fragments.keys() for name, f in fragments.items()}
    users: dict[str, list[str]] = {name: [] for name in fragments}
    for name, needed in needs.items():
        for other in needed:
            users[other].append(name)
    waiting = {name: len(needed) for name, needed in needs.items()}
    ready = [name for name, count in waiting.items() if count == 0]
    order: list[str] = []
    while ready:
        name = ready.pop()
        order.append(name)
        for user in users[name]:
            waiting[user] -= 1
            if waiting[user] == 0:
                ready.append(user)
    if len(order) < len(fragments):
        cyclic = sorted(name for name, count in waiting.items() if count > 0)
        raise limit_error(
            f"fragment {cyclic[0]!r} spreads itself (through {', '.join(repr(n) for n in cyclic)})",
            "GRAPHQL_VALIDATION_FAILED",
        )
    return order


def check_shape(
    schema: GraphQLSchema, document: DocumentNode, operation_name: str | None, variables: dict[str, Any], settings: Settings
) -> None:
    """Refuse, with a ``GraphQLError``, a document too deep, with too many aliases or fields, or too costly."""
    shape = DocumentShape(schema, document, variables, settings)
    operations = shape.operations
    if operation_name is None and len(operations) > 1:
        raise limit_error("the document has several operations: name one in operationName", "OPERATION_RESOLUTION_FAILURE")
    shapes = [(operation, shape.operation(operation)) for operation in operations]
    for operation, summary in shapes:
        if summary.depth > settings.max_query_depth:
            name = operation.name.value if operation.name else "anonymous"
            raise limit_error(
                f"'{name}' exceeds maximum operation depth of {settings.max_query_depth}",
                "QUERY_TOO_DEEP",
                depth=summary.depth,
                limit=settings.max_query_depth,
            )
    aliases = sum(summary.aliases for _, summary in shapes)
    if aliases > settings.max_aliases:
        raise limit_error(
            f"{aliases} aliases found. Allowed: {settings.max_aliases}", "TOO_MANY_ALIASES", limit=settings.max_aliases
        )
    chosen = next(
        (s for o, s in shapes if operation_name is None or (o.name is not None and o.name.value == operation_name)), None
    )
    if chosen is None:
        return  # no such operation: the HTTP layer answers that
    limit = settings.max_query_cost
    if chosen.fields > limit:
        raise limit_error(
            f"the query selects {chosen.fields} fields once its fragments are spread out, over the limit of {limit}: "
            "spread fragments fewer times",
            "QUERY_TOO_COSTLY",
            fields=chosen.fields,
            limit=limit,
        )
    if chosen.cost > limit:
        raise limit_error(
            f"query cost {chosen.cost} is over the limit of {limit}: ask for smaller pages (first) or fewer nested lists",
            "QUERY_TOO_COSTLY",
            cost=chosen.cost,
            limit=limit,
        )


class _Lru:
    """A small thread-safe LRU map."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> Any:
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def put(self, key: Hashable, value: Any) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def __len__(self) -> int:
        return len(self._items)


@dataclass
class CheckedDocument:
    """What the limits and validation concluded about one document text."""

    document: DocumentNode | None = None
    error: GraphQLError | None = None  # the limit or syntax error the text always gets
    page_variables: frozenset[str] = frozenset()  # variables that set a ``first`` somewhere: the shape depends on them
    validation_errors: list[GraphQLError] | None = None  # None until validated once
    shapes: _Lru = field(default_factory=lambda: _Lru(64))  # (operation, page variable values) -> error or True
    #: What resolvers work out from this document's selections (``selection_memo.per_selection``): pure functions
    #: of the document and the schema, so every request that sends the text shares them.
    selection_memo: dict[Hashable, Any] = field(default_factory=dict)


class DocumentCache:
    """Per document text, the outcome of the limits (lexing, parsing, shape) and of validation, kept so that a
    document a client sends again is neither lexed, parsed nor validated again (see the module's docstring)."""

    def __init__(self, settings: Settings, entries: int = DOCUMENT_CACHE_ENTRIES) -> None:
        self.settings = settings
        self._documents = _Lru(entries)

    def __len__(self) -> int:
        return len(self._documents)

    def checked(self, query: str) -> CheckedDocument:
        """The parsed document of ``query`` or the error it gets (raised by the caller), cached when short enough."""
        if len(query) > self.settings.max_query_length:  # step 1, on every request: no lookup of a huge text
            return CheckedDocument(error=_too_long(query, self.settings))
        found: CheckedDocument | None = self._documents.get(query)
        if found is not None:
            return found
        try:
            document = parse_bounded(query, self.settings)
            found = CheckedDocument(document=document, page_variables=_page_variables(document))
        except GraphQLError as error:
            found = CheckedDocument(error=error)
        if len(query) <= DOCUMENT_CACHE_MAX_LENGTH:
            self._documents.put(query, found)
        return found

    def check_shape(
        self, schema: GraphQLSchema, checked: CheckedDocument, operation_name: str | None, variables: dict[str, Any]
    ) -> None:
        """``check_shape`` for this operation and page sizes, remembered per document."""
        if checked.document is None:
            return  # nothing parsed: the caller raises ``checked.error``
        key = (operation_name, _values(variables, checked.page_variables))
        verdict = checked.shapes.get(key)
        if verdict is None:
            try:
                check_shape(schema, checked.document, operation_name, variables, self.settings)
                verdict = True
            except GraphQLError as error:
                verdict = error
            checked.shapes.put(key, verdict)
        if isinstance(verdict, GraphQLError):
            raise fresh(verdict)


def fresh(error: GraphQLError) -> GraphQLError:
    """A remembered error, ready to be raised again: without its last traceback, which each raise would otherwise
    extend (keeping every refused request's frames alive)."""
    return error.with_traceback(None)


def _too_long(query: str, settings: Settings) -> GraphQLError:
    return limit_error(
        f"the query document has {len(query)} characters, over the limit of {settings.max_query_length}",
        "QUERY_TOO_LONG",
        limit=settings.max_query_length,
    )


def _page_variables(document: DocumentNode) -> frozenset[str]:
    """The variables given to a ``first`` argument anywhere in ``document``: the cost depends on their values."""
    names: set[str] = set()
    pending: list[Any] = list(document.definitions)
    while pending:
        node = pending.pop()
        if isinstance(node, FieldNode):
            for argument in node.arguments or ():
                if argument.name.value == "first" and isinstance(argument.value, VariableNode):
                    names.add(argument.value.name.value)
        selection_set = getattr(node, "selection_set", None)
        if selection_set is not None:
            pending.extend(selection_set.selections)
    return frozenset(names)


def _values(variables: dict[str, Any], names: frozenset[str]) -> str:
    """The values of ``names`` in ``variables`` as one hashable key."""
    if not names:
        return ""
    return json.dumps([variables.get(name) for name in sorted(names)], default=repr)


def request_limits(settings: Settings, cache: DocumentCache | None = None) -> Callable[[], SchemaExtension]:
    """An extension that parses each document itself, within the limits, and checks its shape before validation;
    the outcomes are kept in ``cache`` (one per schema: validation depends on the schema and its rules)."""
    documents = cache or DocumentCache(settings)

    class RequestLimits(SchemaExtension):
        checked: CheckedDocument | None = None

        def on_parse(self) -> Iterator[None]:
            ctx = self.execution_context
            if ctx.graphql_document is None and ctx.query:
                checked = documents.checked(ctx.query)
                if checked.error is not None:
                    raise fresh(checked.error)
                # The name the client sent; ``ctx.operation_name`` falls back to the document's first operation.
                name = getattr(ctx, "_provided_operation_name", ctx.operation_name)
                variables = ctx.variables if isinstance(ctx.variables, dict) else {}
                documents.check_shape(ctx.schema._schema, checked, name, variables)
                ctx.graphql_document = checked.document
                if hasattr(ctx.context, "selection_memo"):
                    ctx.context.selection_memo = checked.selection_memo
                self.checked = checked
            yield

        def on_validate(self) -> Iterator[None]:
            ctx = self.execution_context
            checked = self.checked
            if checked is not None and checked.validation_errors is not None and ctx.pre_execution_errors is None:
                # Validated before: strawberry skips validation when the errors are already known.
                ctx.pre_execution_errors = list(checked.validation_errors)
            yield
            for error in ctx.pre_execution_errors or ():
                error.extensions = {"code": "GRAPHQL_VALIDATION_FAILED", **(error.extensions or {})}
            if checked is not None and checked.validation_errors is None and ctx.pre_execution_errors is not None:
                checked.validation_errors = list(ctx.pre_execution_errors)

    return RequestLimits


def schema_extensions(settings: Settings) -> list[Callable[[], SchemaExtension]]:
    """The limits in force for ``settings``, as per-request extension factories (with one document cache)."""
    extensions: list[Callable[[], SchemaExtension]] = [request_limits(settings, DocumentCache(settings))]
    if not settings.introspection:
        extensions.append(DisableIntrospection)
    if settings.production:
        extensions.append(lambda: MaskUnexpected(should_mask_error=unexpected, error_message="Internal error; it was logged."))
    return extensions


__all__ = [
    "DOCUMENT_CACHE_ENTRIES",
    "DOCUMENT_CACHE_MAX_LENGTH",
    "LIST_FACTOR",
    "MAX_JSON_DEPTH",
    "CheckedDocument",
    "DocumentCache",
    "DocumentShape",
    "Shape",
    "check_shape",
    "fresh",
    "nesting_limit",
    "parse_bounded",
    "request_limits",
    "schema_extensions",
]
