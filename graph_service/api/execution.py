"""GraphQL execution with a short path for plain leaf fields.

Most fields of a page are leaves read straight off the object (``domainId``, ``name``, ``startDate``): strawberry
marks them basic (no resolver, no extension, no permission), yet graphql-core still builds a resolve info, looks
for arguments, calls strawberry's wrapper and walks ``complete_value`` for each one, about 3 us a field (a page of
100 pairings has about 1,900 fields). ``LeafFastExecutionContext`` reads such a field's value as strawberry would
(``StrawberryField.get_result``, through a getter made once per field: ``_reader``) and coerces it as graphql-core
would (``coerce_output_value``; a string or a flag of the exact type passes as it is), or gives null where the field
may be null; anything else, a null where it may not be, a value that does not coerce, an exception, a
field with arguments, or a schema extension that wraps resolvers, takes graphql-core's own path, which then gives
the same answer or error it always gave.

An object's fields are looked up once per request and selection (``_steps``, kept with the selection graphql-core
already keeps per request), not once per object: a page of 100 pairings completes about 600 objects of the same
few selections, and graphql-core found each field's definition and built its path for every one of them. A field
that is no plain leaf (an object, a resolver) is called from its step as graphql-core's ``execute_field`` calls
it, without working out again per object its definition, its middleware, its nodes and its argument values
(``_call``: 0.4-0.5 ms of the 8 ms a page of 100 pairings takes in Python; a city's hierarchy coerced each area's
``children(first: 20)`` again). And an object value goes
straight to its fields when graphql-core would do nothing else on the way (``complete_value``), as does each ready
object of a list of objects (``complete_list_value``: 1-6% of the event loop's CPU per request on five example
operations, most on a city's hierarchy and an organisation's post holders).

A selection kept with its document whose every field can be read so is completed by a function written for it
(``compiled_selection``; ``_bound``): the steps are then walked once, when the function is written, not per object.
Whatever that function does not expect sends the object back through the path above.
"""

from __future__ import annotations

from collections.abc import AsyncIterable, Callable, Hashable, Iterable
from dataclasses import dataclass
from functools import partial
from operator import attrgetter
from typing import Any, TypeVar, cast

from graphql.execution.collect_fields import CollectedFields, FieldDetailsList
from graphql.execution.values import get_argument_values
from graphql.pyutils import Path, gather_with_cancel
from graphql.type.introspection import TypeNameMetaFieldDef
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.types.field import StrawberryField

from graph_service.api.compiled_selection import How, Part, Written, write
from graph_service.api.derived_field import DerivedField
from graph_service.api.direct_resolvers import NodeId, Own, Ready, node_id_of, own_of, ready_of
from graph_service.api.execution_memo import Selection, collected, selection_of, uses_variables
from graph_service.api.field_readers import NOT_HELD
from graph_service.api.permissions import Principal
from graphql import (
    FieldNode,
    GraphQLBoolean,
    GraphQLEnumType,
    GraphQLField,
    GraphQLID,
    GraphQLLeafType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLResolveInfo,
    GraphQLScalarType,
    GraphQLString,
    Undefined,
)


@dataclass(frozen=True)
class _Leaf:
    """How to read and coerce one plain leaf field: ``listed`` when it is a list of leaves, ``nullable`` when the
    field may be null (its items' nullability aside)."""

    field: StrawberryField
    #: How strawberry reads the value off the object (``_reader``).
    read: Callable[[Any], Any]
    leaf: GraphQLLeafType
    listed: bool
    nullable: bool
    #: For an enum of strawberry's, each Python member's GraphQL name: strawberry's ``coerce_output_value`` looks a
    #: member up by comparing it with every value of the enum in turn, 100 times for a page's unit types.
    names: dict[Any, str] | None = None
    enum: type | None = None
    #: For a field that is not a list, the Python type whose values the scalar gives back unchanged (``str`` for
    #: String and ID, ``bool`` for Boolean): such a value is the field's answer, with no call of
    #: ``coerce_output_value``.
    exact: type | None = None


P = TypeVar("P")

#: Per schema field (graphql-core's field objects live as long as the schema), its plan or ``None`` (not plain).
_PLANS: dict[int, tuple[GraphQLField, _Leaf | None]] = {}


def _per_field(plans: dict[int, tuple[GraphQLField, P]], field_def: GraphQLField, make: Callable[[GraphQLField], P]) -> P:
    """``make(field_def)``, once per schema field (kept in ``plans`` by the field's id, with the field itself)."""
    kept = plans.get(id(field_def))
    if kept is not None and kept[0] is field_def:
        return kept[1]
    plan = make(field_def)
    plans[id(field_def)] = (field_def, plan)
    return plan


def _plan(field_def: GraphQLField) -> _Leaf | None:
    return _per_field(_PLANS, field_def, _leaf_plan)


def _leaf_plan(field_def: GraphQLField) -> _Leaf | None:
    field = (field_def.extensions or {}).get("strawberry-definition")
    resolve = field_def.resolve
    if not isinstance(field, StrawberryField) or not getattr(resolve, "_is_default", False) or field_def.args:
        return None
    return _leaf_of(field_def, field)


#: Per schema field, how to read it off its object when its resolver is ``def f(self)`` and it is a leaf.
_OWN_PLANS: dict[int, tuple[GraphQLField, tuple[Own, _Leaf] | None]] = {}


def _own_plan(field_def: GraphQLField) -> tuple[Own, _Leaf] | None:
    return _per_field(_OWN_PLANS, field_def, _own_leaf)


def _own_leaf(field_def: GraphQLField) -> tuple[Own, _Leaf] | None:
    own = own_of(field_def)  # only on a resolver without arguments (``direct_resolvers._own_value``)
    field = (field_def.extensions or {}).get("strawberry-definition")
    leaf = _leaf_of(field_def, field) if own is not None and isinstance(field, StrawberryField) else None
    return (own, leaf) if own is not None and leaf is not None else None


def _leaf_of(field_def: GraphQLField, field: StrawberryField) -> _Leaf | None:
    """How to coerce ``field_def``'s value, when it is a leaf or a list of leaves."""
    kind = _nullable(field_def.type)
    listed = isinstance(kind, GraphQLList)
    if isinstance(kind, GraphQLList):
        kind = _nullable(kind.of_type)
    if not isinstance(kind, GraphQLScalarType | GraphQLEnumType):
        return None
    nullable = not isinstance(field_def.type, GraphQLNonNull)
    enum = getattr(kind, "wrapped_cls", None)
    exact = None if listed else _PASSES.get(kind)
    return _Leaf(field, _reader(field), kind, listed, nullable, _enum_names(kind), enum, exact)


#: graphql-core's scalars that give a value of these exact types back as it is (``serialize_string``, ``_id``,
#: ``_boolean``): a name, an id, a flag is written without the call.
_PASSES: dict[GraphQLLeafType, type] = {GraphQLString: str, GraphQLID: str, GraphQLBoolean: bool}


def _reader(field: StrawberryField) -> Callable[[Any], Any]:
    """What ``field.get_result`` does with the object, without the method's own lookups: the attribute read
    straight (``operator.attrgetter``) when strawberry reads it with ``getattr`` (no resolver, the config's default
    resolver), a ``DerivedField``'s ``compute``, else the method itself."""
    get_result = type(field).get_result
    if get_result is DerivedField.get_result:
        return cast(DerivedField, field).compute
    if get_result is StrawberryField.get_result and field.base_resolver is None and field.default_resolver is getattr:
        return attrgetter(field.python_name)
    return partial(_get_result, field)


def _get_result(field: StrawberryField, source: Any) -> Any:
    return field.get_result(source, None, [], {})


def _enum_names(kind: GraphQLLeafType) -> dict[Any, str] | None:
    """The GraphQL name of each member of the Python enum behind ``kind``, as strawberry's ``coerce_output_value``
    finds it (the first name whose value equals the member's); ``None`` for anything else."""
    wrapped = getattr(kind, "wrapped_cls", None)
    if not isinstance(kind, GraphQLEnumType) or wrapped is None:
        return None
    names: dict[Any, str] = {}
    for member in wrapped:
        for name, value in kind.values.items():
            if member.value == value.value:
                names[member] = name
                break
    return names


def _nullable(kind: Any) -> Any:
    return kind.of_type if isinstance(kind, GraphQLNonNull) else kind


#: ``_complete_plain``'s "take graphql-core's own path".
_MISS = object()


class _Slow(Exception):
    """The value needs graphql-core's own path (a null, a value that does not coerce)."""


def _coerce(leaf: GraphQLLeafType, value: Any) -> Any:
    if value is None:
        raise _Slow
    coerced = leaf.coerce_output_value(value)
    if coerced is None or coerced is Undefined:
        raise _Slow
    return coerced


def _coerced(leaf: _Leaf, value: Any) -> Any:
    """``value`` of ``leaf``'s field coerced as graphql-core would; ``_Slow`` when it needs graphql-core's path."""
    if value is None and leaf.nullable:  # most end dates: graphql-core would complete it to null, as here
        return None
    if type(value) is leaf.exact:
        return value
    if not leaf.listed:
        if leaf.names is not None and type(value) is leaf.enum:
            # A member of the enum is named at once; anything else is coerced as graphql-core would.
            name = leaf.names.get(value)
            if name is not None:
                return name
        return _coerce(leaf.leaf, value)
    if not isinstance(value, list | tuple):
        raise _Slow
    return [_coerce(leaf.leaf, item) for item in value]


#: Classes whose instances are shared and never change (``common.Labeled``): one selection of one instance always
#: completes to the same answer, so a request completes it once (``completed_once``).
_SHARED: set[type] = set()

S = TypeVar("S", bound=type)


def completed_once(cls: S) -> S:
    """Declares that ``cls``'s instances are shared and immutable: a request completes each instance once per
    selection and answers its other occurrences with the same result (a page of 100 pairings has 100 unit types,
    of a dozen codes; a city's streets, the kind of each leading organisation)."""
    _SHARED.add(cls)
    return cls


@dataclass(frozen=True)
class _Plain:
    """How to complete a plain object field (no resolver, no arguments, no extension): the field its value is read
    with, the object type, and whether its instances are ``completed_once``."""

    field: StrawberryField
    #: As a leaf's (``_reader``).
    read: Callable[[Any], Any]
    kind: GraphQLObjectType
    shared: bool


def _plain_object(field_def: GraphQLField) -> _Plain | None:
    return _plain_field(field_def, listed=False)


def _plain_field(field_def: GraphQLField, *, listed: bool) -> _Plain | None:
    """How to read a plain field (no resolver, no arguments, no extension) that is an object, or a list of objects
    when ``listed``, of a type that checks an object without the info."""
    field = (field_def.extensions or {}).get("strawberry-definition")
    if not isinstance(field, StrawberryField) or not getattr(field_def.resolve, "_is_default", False) or field_def.args:
        return None
    found = _objects_of(field_def.type)
    if found is None or found[1] is not listed:
        return None
    kind = found[0]
    definition = (kind.extensions or {}).get("strawberry-definition")
    origin = getattr(definition, "origin", None)
    shared = isinstance(origin, type) and any(issubclass(origin, cls) for cls in _SHARED)
    return _Plain(field, _reader(field), kind, shared)


def _objects_of(field_type: GraphQLOutputType) -> tuple[GraphQLObjectType, bool] | None:
    """The object type a field of ``field_type`` answers (its list's items' for a list) and whether it is a list;
    ``None`` unless that type checks an object without the info."""
    kind = _nullable(field_type)
    listed = isinstance(kind, GraphQLList)
    if listed:
        kind = _nullable(kind.of_type)
    if not isinstance(kind, GraphQLObjectType) or not _checks_without_info(kind):
        return None
    return kind, listed


def _checks_without_info(kind: GraphQLObjectType) -> bool:
    """Whether ``kind`` has no ``is_type_of`` or strawberry's own, which reads the object alone (not the info)."""
    check = kind.is_type_of
    return check is None or getattr(check, "__qualname__", "").endswith("_get_is_type_of.<locals>.is_type_of")


@dataclass(frozen=True)
class _ReadyPlan:
    """How to answer a field from its reader (``field_readers``): the reader bound to the field, the object type
    its value is (or its list's items are), whether the field may be null, and whether it is a list."""

    ready: Ready
    kind: GraphQLObjectType
    nullable: bool
    listed: bool


#: Per schema field, its reader's plan or ``None``.
_READY_PLANS: dict[int, tuple[GraphQLField, _ReadyPlan | None]] = {}


def _ready_plan(field_def: GraphQLField) -> _ReadyPlan | None:
    return _per_field(_READY_PLANS, field_def, _make_ready_plan)


def _make_ready_plan(field_def: GraphQLField) -> _ReadyPlan | None:
    """A reader's plan for an object field or a list of objects whose type checks an object without the info."""
    ready = ready_of(field_def)
    found = _objects_of(field_def.type) if ready is not None else None
    if ready is None or found is None:
        return None
    kind, listed = found
    return _ReadyPlan(ready, kind, not isinstance(field_def.type, GraphQLNonNull), listed)


#: Per schema field, its reader and leaf plan (``_Step.ready_leaf``) or ``None``.
_READY_LEAF_PLANS: dict[int, tuple[GraphQLField, tuple[Ready, _Leaf] | None]] = {}


def _ready_leaf_plan(field_def: GraphQLField) -> tuple[Ready, _Leaf] | None:
    return _per_field(_READY_LEAF_PLANS, field_def, _make_ready_leaf_plan)


def _make_ready_leaf_plan(field_def: GraphQLField) -> tuple[Ready, _Leaf] | None:
    ready = ready_of(field_def)
    field = (field_def.extensions or {}).get("strawberry-definition")
    leaf = _leaf_of(field_def, field) if ready is not None and isinstance(field, StrawberryField) else None
    return (ready, leaf) if ready is not None and leaf is not None else None


#: Per schema field, how to read it when it is a plain list of objects (``_plain_objects``) or ``None``.
_PLAIN_LISTS: dict[int, tuple[GraphQLField, _Plain | None]] = {}


def _plain_objects(field_def: GraphQLField) -> _Plain | None:
    """``_plain_field`` for a list of objects (a page's ``edges``), once per schema field."""
    return _per_field(_PLAIN_LISTS, field_def, partial(_plain_field, listed=True))


def _parts(kind: GraphQLObjectType, steps: list[_Step]) -> list[Part] | None:
    """``steps`` as a written function reads them (``compiled_selection``); ``None`` when one of them has to be
    called (a resolver) or carries a directive."""
    parts: list[Part] = []
    for step in steps:
        part = _part(kind, step)
        if part is None or any(detail.node.directives for detail in step.details):
            return None
        parts.append(part)
    return parts


def _part(kind: GraphQLObjectType, step: _Step) -> Part | None:
    if step.node_id is not None:
        return Part(step.name, How.ID, step, read=step.node_id.of)
    leaf = step.leaf or (step.own[1] if step.own is not None else None)
    if leaf is not None:
        read = leaf.read if step.leaf is not None else cast(tuple[Callable[[Any], Any], _Leaf], step.own)[0]
        return Part(step.name, How.VALUE, step, read=read, leaf=leaf, exact=leaf.exact, nullable=leaf.nullable)
    if step.ready_leaf is not None:
        leaf = step.ready_leaf[1]
        return Part(step.name, How.VALUE, step, leaf=leaf, exact=leaf.exact, nullable=leaf.nullable)
    call = step.call
    if call is None:
        return None
    nullable = not isinstance(call.field_def.type, GraphQLNonNull)
    if step.plain is not None:
        plain = step.plain
        check = plain.kind.is_type_of
        return Part(step.name, How.OBJECT, step, plain.read, nullable=nullable, check=check, kind=plain.kind, shared=plain.shared)
    if step.ready is not None:
        ready = step.ready
        how = How.OBJECTS if ready.listed else How.OBJECT
        return Part(step.name, how, step, nullable=ready.nullable, check=ready.kind.is_type_of, kind=ready.kind)
    if call.field_def is TypeNameMetaFieldDef:
        return Part(step.name, How.TYPENAME, step, typename=kind.name)
    listed = _plain_objects(call.field_def) if not call.args else None
    if listed is not None:
        return Part(step.name, How.OBJECTS, step, listed.read, nullable=nullable, check=listed.kind.is_type_of, kind=listed.kind)
    return None


#: A selection's written function, made ready for a request (``LeafFastExecutionContext._bound``).
Complete = Callable[[Any], dict[str, Any]]

#: How many raises of a written function a request takes before completing its selection's objects without it.
_MISSES_ALLOWED = 3


def _bound_items(
    bound: Complete, items: list[Any], is_type_of: Callable[..., Any] | None, info: Any, is_awaitable: Callable[[Any], bool]
) -> list[Any] | None:
    """Each item completed by ``bound``, when every item is an object of the type (any object but an awaitable or
    an error, for a type without a check of its own) and ``bound`` completes it; ``None`` otherwise (the general
    path then completes the list)."""
    try:
        for item in items:
            if is_type_of is not None:
                if is_type_of(item, info) is not True:
                    return None
            elif item is None or is_awaitable(item) or isinstance(item, Exception):
                return None
        return [bound(item) for item in items]
    except Exception:
        return None


@dataclass(frozen=True)
class _Call:
    """What graphql-core's ``execute_field`` works out for a field before it calls the resolver, which is the same
    for every object of one selection in one request: the definition, the nodes and the argument values."""

    field_def: GraphQLField
    nodes: list[FieldNode]
    args: dict[str, Any]


@dataclass(frozen=True)
class _Step:
    """One field of a selection: its response name, graphql-core's field details, its leaf plan if plain, and how
    to call its resolver."""

    name: str
    details: Any
    leaf: _Leaf | None
    call: _Call | None
    #: For a plain object field, how to complete it without calling it (``_Plain``).
    plain: _Plain | None = None
    #: For a relay node's ``id``, how to write it without calling its resolver (``direct_resolvers.NodeId``).
    node_id: NodeId | None = None
    #: For a leaf whose resolver is ``def f(self)`` and whose permissions let this request's caller read it: the
    #: function and how to coerce its value (``direct_resolvers.Own``).
    own: tuple[Callable[[Any], Any], _Leaf] | None = None
    #: For a field whose resolver was declared with a reader (``field_readers``): how to read and complete it.
    ready: _ReadyPlan | None = None
    #: For a leaf whose resolver was declared with a reader (a page's ``totalCount`` in hand): the reader and how to
    #: coerce its value. Only a written selection (``compiled_selection``) reads it; the general path calls the
    #: resolver.
    ready_leaf: tuple[Ready, _Leaf] | None = None


R = TypeVar("R", dict[str, Any], list[Any])


async def _gathered(results: R, awaitable: list[Any]) -> R:
    """``results`` (an object's fields, a list's items) with its awaitable entries awaited side by side
    (graphql-core's ``get_results``, ``get_completed_results``)."""
    if len(awaitable) == 1:
        key = awaitable[0]
        results[key] = await results[key]
    else:
        awaited = await gather_with_cancel(*(results[key] for key in awaitable))
        for key, value in zip(awaitable, awaited, strict=True):
            results[key] = value
    return results


class LeafFastExecutionContext(StrawberryGraphQLCoreExecutionContext):
    """Strawberry's execution context, with plain leaf fields read and coerced without the per-field machinery."""

    #: Per parent type and selection (by id), the selection itself and its steps; made on first use in a request.
    _kept_steps: dict[tuple[int, int], tuple[Any, list[_Step]]]
    #: Per ``completed_once`` step and value (by id), the value and its answer; made on first use in a request.
    _completed: dict[tuple[int, int], tuple[Any, dict[str, Any]]]
    #: Per object field's step (by id), the step and its selection's steps (``_selection_steps``).
    _kept_selection_steps: dict[int, tuple[_Step, list[_Step] | None]]
    #: Per step with a reader (by id), the step and its reader prepared for the request (``_prepared_reader``).
    _ready_reads: dict[int, tuple[_Step, Callable[[Any], Any] | None]]
    #: Whether selections kept with their document are completed by a written function (``compiled_selection``).
    writes_selections = True
    #: Per steps kept with the document (by id), the steps, their selection and the caller's role.
    _kept_with_document: dict[int, tuple[list[_Step], Selection, Hashable]]
    #: Per steps (by id), the steps and their written function made ready for the request, or ``None`` (``_bound``).
    _bound_steps: dict[int, tuple[list[_Step], Complete | None]]
    #: Per steps (by id), how often their written function raised in this request (``_missed``).
    _misses: dict[int, int]

    def _step(self, parent_type: GraphQLObjectType, name: str, details: Any) -> tuple[_Step, bool]:
        """The step of the field ``details`` ask for on ``parent_type``: graphql-core's own path (no leaf plan, no
        call) when a middleware wraps resolvers or the arguments do not coerce (graphql-core reports it); and
        whether the step is the same for every request of the caller's role (no argument reads a variable)."""
        first = details[0]
        node = first.node
        manager = self.middleware_manager
        field_def = self.schema.get_field(parent_type, node.name.value)
        wrapped = manager is not None and manager.middlewares  # strawberry passes an empty manager when none do
        if field_def is None or wrapped:
            return _Step(name, details, None, None), True
        args: dict[str, Any] = {}
        static = first.fragment_variable_values is None and not uses_variables(node.arguments)
        if field_def.args or node.arguments:
            # The values come from the document and the request's variables alone: the same for every object.
            try:
                args = get_argument_values(
                    field_def, node, self.variable_values, first.fragment_variable_values, self.hide_suggestions
                )
            except Exception:
                return _Step(name, details, None, None), static
        plain = not (args or node.arguments)
        leaf = _plan(field_def) if plain else None
        whole = _plain_object(field_def) if plain and leaf is None else None
        node_id = node_id_of(field_def) if plain else None
        own = _own_plan(field_def) if plain and leaf is None else None
        # The caller's role is the request's: checked here once for every object of the selection, not per call.
        if own is not None and not own[0].allows(self._principal()):
            own = None
        read_own = (own[0].call, own[1]) if own is not None else None
        ready = _ready_plan(field_def) if leaf is None and whole is None and read_own is None and node_id is None else None
        ready_leaf = _ready_leaf_plan(field_def) if ready is None and leaf is None and read_own is None else None
        call = _Call(field_def, [d.node for d in details], args)
        return _Step(name, details, leaf, call, whole, node_id, read_own, ready, ready_leaf), static

    def _principal(self) -> Principal | None:
        return getattr(self.context_value, "principal", None)

    def _memo(self) -> dict[Hashable, Any] | None:
        """The document's memo (``execution_memo``), when the request has one."""
        return getattr(self.context_value, "selection_memo", None)

    def _steps(self, parent_type: GraphQLObjectType, grouped_field_set: Any) -> list[_Step]:
        """The steps of ``grouped_field_set`` on ``parent_type``, made once per request, or once per document and
        role when the selection is the document's (``execution_memo``) and no argument reads a variable."""
        kept = self.__dict__.get("_kept_steps")
        if kept is None:
            kept = self._kept_steps = {}
        key = (id(parent_type), id(grouped_field_set))
        found = kept.get(key)
        if found is not None:
            return found[1]
        memo = self._memo()
        selection = selection_of(memo, parent_type, grouped_field_set) if memo is not None else None
        principal = self._principal()
        role = principal.role if principal is not None else None
        steps = selection.steps.get(role) if selection is not None else None
        if steps is None:
            made = [self._step(parent_type, name, details) for name, details in grouped_field_set.items()]
            steps = [step for step, _ in made]
            if selection is not None and all(static for _, static in made):
                selection.steps[role] = steps
        if selection is not None and selection.steps.get(role) is steps:
            # Kept with the document: a function may be written for it, once (``_bound``).
            kept_with_document = self.__dict__.get("_kept_with_document")
            if kept_with_document is None:
                kept_with_document = self._kept_with_document = {}
            kept_with_document[id(steps)] = (steps, selection, role)
        # The selection is kept with its steps so that its id cannot be reused by another while this request runs.
        kept[key] = (grouped_field_set, steps)
        return steps

    def collect_subfields(self, return_type: GraphQLObjectType, field_details_list: Any) -> CollectedFields:
        # graphql-core's, kept with the document when the collection cannot depend on the request (execution_memo).
        relevant = self._relevant_sub_fields
        cached = relevant.get((return_type, id(field_details_list)))
        if cached is not None:
            return cached[1]
        memo = self._memo()
        if memo is None:
            return super().collect_subfields(return_type, field_details_list)
        fields = collected(
            memo,
            self.operation,
            self.fragments,
            return_type,
            field_details_list,
            lambda: super(LeafFastExecutionContext, self).collect_subfields(return_type, field_details_list),
        )
        relevant[(return_type, id(field_details_list))] = (field_details_list, fields)
        return fields

    def execute_fields(
        self,
        parent_type: GraphQLObjectType,
        source_value: Any,
        path: Path | None,
        grouped_field_set: Any,
        position_context: Any,
    ) -> Any:
        # graphql-core's execute_fields, with each plain leaf read straight from the step: no path, no definition
        # lookup, no execute_field call. Everything else, and a leaf whose value is unusual, goes to graphql-core's
        # execute_field (a mutation's root fields, run serially, all have resolvers).
        steps = self._steps(parent_type, grouped_field_set)
        return self._execute_steps(parent_type, steps, source_value, path, position_context)

    def _execute_steps(
        self, parent_type: GraphQLObjectType, steps: list[_Step], source_value: Any, path: Path | None, position_context: Any
    ) -> Any:
        """``execute_fields`` with the selection's steps found: a list's items and a plain field's values find them
        once per list and selection, not once per object. The selection's written function answers first, when
        there is one; anything it raises sends the object through the general path below."""
        if position_context is None:
            bound = self._bound(parent_type, steps, path)
            if bound is not None:
                try:
                    return bound(source_value)
                except Exception:
                    self._missed(steps)
        results: dict[str, Any] = {}
        is_awaitable = self.is_awaitable
        awaitable_fields: list[str] = []
        type_name = parent_type.name
        execute_field = super().execute_field
        try:
            for step in steps:
                if step.node_id is not None:
                    # A relay id, as its resolver writes it and graphql-core's ID passes a string on; anything but
                    # an object of the node's own type goes to the resolver.
                    written = step.node_id.of(source_value)
                    if written is not None:
                        results[step.name] = written
                        continue
                leaf = step.leaf
                if leaf is not None:
                    try:
                        value = leaf.read(source_value)
                        # A string, an id, a flag of the exact type or an allowed null is its own answer (``_coerced``
                        # says so too, one call later: most of a page's fields are such values).
                        if type(value) is leaf.exact or (value is None and leaf.nullable):
                            results[step.name] = value
                        else:
                            results[step.name] = _coerced(leaf, value)
                        continue
                    except Exception:  # graphql-core's path below reads it again and reports it
                        pass
                elif step.own is not None:
                    try:
                        results[step.name] = _coerced(step.own[1], step.own[0](source_value))
                        continue
                    except Exception:  # likewise: the resolver is called again there and its error reported
                        pass
                if position_context is None and (step.plain is not None or step.ready is not None):
                    # A plain object field, or one whose reader has its value in hand: completed without a call.
                    if step.plain is not None:
                        result = self._complete_plain(step, step.plain, source_value, path, type_name)
                    else:
                        result = self._complete_ready(step, cast(_ReadyPlan, step.ready), parent_type, source_value, path)
                    if result is not _MISS:
                        results[step.name] = result
                        if is_awaitable(result):
                            awaitable_fields.append(step.name)
                        continue
                field_path = Path(path, step.name, type_name)
                if step.call is None:
                    result = execute_field(parent_type, source_value, step.details, field_path, position_context)
                else:
                    result = self._call(step.call, step.details, parent_type, source_value, field_path, position_context)
                if result is not Undefined:
                    results[step.name] = result
                    if is_awaitable(result):
                        awaitable_fields.append(step.name)
        except Exception:
            if awaitable_fields:
                self.settle_in_background([results[name] for name in awaitable_fields])
            raise
        if not awaitable_fields:
            return results
        return _gathered(results, awaitable_fields)

    def _complete_plain(self, step: _Step, plain: _Plain, source: Any, path: Path | None, type_name: str) -> Any:
        """A plain object field's answer as ``_call`` gives it, without an info or a call: the value read off
        ``source``, checked and completed straight to its fields; the same answer again for a ``completed_once``
        value this request completed before. ``_MISS`` when the value needs graphql-core's own path (a null, an
        error, anything unusual), which then reads it again."""
        try:
            value = plain.read(source)
        except Exception:
            return _MISS
        if value is None or self.is_awaitable(value):
            return _MISS
        check = plain.kind.is_type_of
        # strawberry's own check reads the object alone (``_checks_without_info``): no info is built for it.
        if check is not None and check(value, None) is not True:  # type: ignore[arg-type]
            return _MISS
        key = (id(step), id(value)) if plain.shared and type(value) in _SHARED else None
        completed = self.__dict__.get("_completed")
        if completed is None:
            completed = self._completed = {}
        if key is not None:
            kept = completed.get(key)
            if kept is not None and kept[0] is value:
                return kept[1]
        steps = self._selection_steps(step, plain.kind)
        if steps is None:
            return _MISS
        field_path = Path(path, step.name, type_name)
        errors = len(self.collected_errors.errors)
        try:
            answer = self._execute_steps(plain.kind, steps, value, field_path, None)
        except Exception as raw_error:
            assert step.call is not None
            self.handle_field_error(raw_error, step.call.field_def.type, step.details, field_path)
            return None
        if self.is_awaitable(answer):
            assert step.call is not None
            return self._await_completed(answer, step.call.field_def.type, step.details, field_path)
        if key is not None and len(self.collected_errors.errors) == errors:
            # Only an answer without an error is given again: a field error is reported at its own path.
            completed[key] = (value, answer)
        return answer

    def _complete_ready(
        self, step: _Step, plan: _ReadyPlan, parent_type: GraphQLObjectType, source: Any, path: Path | None
    ) -> Any:
        """A field with a reader answered as ``_call`` answers it, without the resolver: the value the reader has in
        hand, completed straight to its fields (a list of them through ``complete_value``). ``_MISS`` when the
        reader has nothing in hand, fails, or gives anything unusual: the resolver then runs as before."""
        read = self._prepared_reader(step, plan.ready, parent_type, path)
        if read is None:
            return _MISS
        try:
            value = read(source)
        except Exception:  # the resolver runs it again and reports it
            return _MISS
        if value is NOT_HELD:
            return _MISS
        if value is None:
            return None if plan.nullable else _MISS
        call = cast(_Call, step.call)
        field_path = Path(path, step.name, parent_type.name)
        if self.is_awaitable(value):  # in hand once something the reader started is done: awaited as a resolver's
            info = self.build_resolve_info(call.field_def, call.nodes, parent_type, field_path)
            return self.complete_awaitable_value(call.field_def.type, step.details, info, field_path, value, None)
        if plan.listed:
            if type(value) is not list:
                return _MISS
            info = self.build_resolve_info(call.field_def, call.nodes, parent_type, field_path)
            return self._complete_result(call.field_def.type, step.details, info, field_path, value)
        check = plan.kind.is_type_of
        if check is not None and check(value, None) is not True:  # type: ignore[arg-type]
            return _MISS
        steps = self._selection_steps(step, plan.kind)
        if steps is None:
            return _MISS
        try:
            answer = self._execute_steps(plan.kind, steps, value, field_path, None)
        except Exception as raw_error:
            self.handle_field_error(raw_error, call.field_def.type, step.details, field_path)
            return None
        if self.is_awaitable(answer):
            return self._await_completed(answer, call.field_def.type, step.details, field_path)
        return answer

    def _prepared_reader(
        self, step: _Step, ready: Ready, parent_type: GraphQLObjectType, path: Path | None
    ) -> Callable[[Any], Any] | None:
        """``step``'s reader prepared for this request, once (with the first object's info: a reader reads the
        selection and the context, never the path); ``None`` when preparing it failed."""
        return self._per_step("_ready_reads", step, self._prepare, step, ready, parent_type, path)

    def _prepare(
        self, step: _Step, ready: Ready, parent_type: GraphQLObjectType, path: Path | None
    ) -> Callable[[Any], Any] | None:
        call = cast(_Call, step.call)
        info = self.build_resolve_info(call.field_def, call.nodes, parent_type, Path(path, step.name, parent_type.name))
        try:
            return ready.prepare(info, call.args)
        except Exception:  # the resolver meets the same trouble and reports it
            return None

    def _bound(self, kind: GraphQLObjectType, steps: list[_Step], path: Path | None) -> Complete | None:
        """The written function (``compiled_selection``) completing an object of ``kind`` with ``steps``, made
        ready for this request once (``path``: the first object's, for preparing readers); ``None`` when the steps
        are not kept with the document, one of them has to be called, or a nested selection cannot be written."""
        kept = self.__dict__.get("_bound_steps")
        if kept is None:
            kept = self._bound_steps = {}
        found = kept.get(id(steps))
        if found is not None and found[0] is steps:
            return found[1]
        bound = self._bind(kind, steps, path)
        kept[id(steps)] = (steps, bound)
        return bound

    def _bind(self, kind: GraphQLObjectType, steps: list[_Step], path: Path | None) -> Complete | None:
        with_document = self.__dict__.get("_kept_with_document", {}).get(id(steps)) if self.writes_selections else None
        if with_document is None or with_document[0] is not steps:
            return None  # steps made for this request alone: writing a function would cost more than it saves
        _, selection, role = with_document
        written: Written | None = selection.written.get(role, _MISS)
        if written is _MISS:
            parts = _parts(kind, steps)
            written = selection.written[role] = (
                write(parts, _coerced, NOT_HELD, _SHARED, self.is_awaitable) if parts is not None else None
            )
        if written is None:
            return None
        values: list[Any] = []
        for need in written.needs:
            step = need.part.step
            value: Any
            if need.what == "reader":
                ready = step.ready.ready if step.ready is not None else step.ready_leaf[0]
                value = self._prepared_reader(step, ready, kind, path)
            elif need.what == "selection":
                nested = cast(GraphQLObjectType, need.part.kind)
                nested_steps = self._selection_steps(step, nested)
                value = self._bound(nested, nested_steps, Path(path, step.name, kind.name)) if nested_steps else None
            else:
                value = {}
            if value is None:
                return None
            values.append(value)
        return written.make(*values)

    def _missed(self, steps: list[_Step]) -> None:
        """Counts a written function's raise for an object of ``steps``; after a few in one request, the request
        completes its objects through the general path alone (each raise costs the work done before it)."""
        misses = self.__dict__.get("_misses")
        if misses is None:
            misses = self._misses = {}
        count = misses[id(steps)] = misses.get(id(steps), 0) + 1
        if count >= _MISSES_ALLOWED:
            self._bound_steps[id(steps)] = (steps, None)

    def _per_step(self, name: str, step: _Step, make: Callable[..., P], *args: Any) -> P:
        """``make(*args)``, once per request and ``step``: kept in this context's dict ``name`` by the step's id, with
        the step itself, so that its id cannot be reused by another step meanwhile. (Called for every object of a
        selection: the dict is made once, not offered anew to ``setdefault`` on each call.)"""
        kept: dict[int, tuple[_Step, Any]] | None = self.__dict__.get(name)
        if kept is None:
            kept = self.__dict__[name] = {}
        found = kept.get(id(step))
        if found is not None and found[0] is step:
            made: P = found[1]
            return made
        made = make(*args)
        kept[id(step)] = (step, made)
        return made

    def _selection_steps(self, step: _Step, kind: GraphQLObjectType) -> list[_Step] | None:
        """The steps of an object field's selection on its type ``kind``, found once per request and step; ``None``
        when a fragment of it is deferred (graphql-core's own path)."""
        return self._per_step("_kept_selection_steps", step, self._object_steps, kind, step.details)

    def _object_steps(self, kind: GraphQLObjectType, field_details_list: Any) -> list[_Step] | None:
        """The steps of the selection ``field_details_list`` makes on an object of ``kind``; ``None`` when a fragment
        of it is deferred (graphql-core's own path)."""
        grouped_field_set, new_defer_usages, _ = self.collect_subfields(kind, field_details_list)
        return None if new_defer_usages else self._steps(kind, grouped_field_set)

    def _call(
        self, call: _Call, details: Any, parent_type: GraphQLObjectType, source: Any, path: Path, position_context: Any
    ) -> Any:
        # graphql-core's execute_field, with what it works out per call found once per request and selection.
        field_def = call.field_def
        return_type = field_def.type
        info = self.build_resolve_info(field_def, call.nodes, parent_type, path)
        try:
            result = (field_def.resolve or self.field_resolver)(source, info, **call.args)
            if self.is_awaitable(result):
                return self.complete_awaitable_value(return_type, details, info, path, result, position_context)
        except Exception as raw_error:
            self.handle_field_error(raw_error, return_type, details, path)
            return None
        return self._complete_result(return_type, details, info, path, result, position_context)

    def _complete_result(
        self, return_type: Any, details: Any, info: GraphQLResolveInfo[Any], path: Path, result: Any, position_context: Any = None
    ) -> Any:
        """``result`` of a field completed as graphql-core's ``execute_field`` completes it, errors reported at ``path``."""
        try:
            completed = self.complete_value(return_type, details, info, path, result, position_context)
            if self.is_awaitable(completed):
                return self._await_completed(completed, return_type, details, path)
        except Exception as raw_error:
            self.handle_field_error(raw_error, return_type, details, path)
            return None
        return completed

    async def _await_completed(self, completed: Any, return_type: Any, details: Any, path: Path) -> Any:
        try:
            return await completed
        except Exception as raw_error:
            self.handle_field_error(raw_error, return_type, details, path)
            return None

    def complete_value(
        self,
        return_type: GraphQLOutputType,
        field_details_list: FieldDetailsList,
        info: GraphQLResolveInfo[Any],
        path: Path,
        result: Any,
        position_context: Any,
    ) -> Any:
        # An object (or a non-null one) goes straight to its fields when graphql-core would do nothing else on the
        # way: the value is there, is of the type, and no fragment of the selection is deferred. graphql-core passes
        # it through four more calls to get there (non-null, object, collect, execute), for each of the ~600
        # objects of a page of pairings. Anything else takes graphql-core's own path.
        if result is not None and position_context is None:
            kind = return_type.of_type if type(return_type) is GraphQLNonNull else return_type
            if type(kind) is GraphQLObjectType and not isinstance(result, Exception):
                is_type_of = kind.is_type_of
                if is_type_of is None or is_type_of(result, info) is True:
                    steps = self._object_steps(kind, field_details_list)
                    if steps is not None:
                        return self._execute_steps(kind, steps, result, path, None)
        return super().complete_value(return_type, field_details_list, info, path, result, position_context)

    def complete_list_value(
        self,
        return_type: GraphQLList[GraphQLOutputType],
        field_details_list: FieldDetailsList,
        info: GraphQLResolveInfo[Any],
        path: Path,
        result: AsyncIterable[Any] | Iterable[Any],
        position_context: Any,
    ) -> Any:
        # A list of objects: each item straight to its fields, the selection collected once for the list. graphql-core
        # passes each item through three calls to get there (the list item, complete_value and ours), and looks for
        # a @stream directive once per list without keeping the answer. A list of anything else, one under a
        # directive (@stream), or a deferred selection takes graphql-core's own path, and so does any one item that is
        # not a ready object of the type (a null, an awaitable, an error, another type): graphql-core completes it.
        item_type = return_type.of_type
        kind = item_type.of_type if type(item_type) is GraphQLNonNull else item_type
        if (
            type(result) is not list
            or position_context is not None
            or type(kind) is not GraphQLObjectType
            or field_details_list[0].node.directives
        ):
            return super().complete_list_value(return_type, field_details_list, info, path, result, position_context)
        steps = self._object_steps(kind, field_details_list)
        if steps is None:
            return super().complete_list_value(return_type, field_details_list, info, path, result, position_context)
        is_type_of = kind.is_type_of
        bound = self._bound(kind, steps, path)
        if bound is not None:
            answers = _bound_items(bound, result, is_type_of, info, self.is_awaitable)
            if answers is not None:
                return answers
            self._missed(steps)
        is_awaitable = self.is_awaitable
        execute_steps = self._execute_steps
        completed: list[Any] = []
        awaitable: list[int] = []
        try:
            for index, item in enumerate(result):
                item_path = path.add_key(index, None)
                if item is not None and not is_awaitable(item) and not isinstance(item, Exception):
                    try:
                        fits = is_type_of is None or is_type_of(item, info) is True
                    except Exception:  # graphql-core's path below checks it again and reports it
                        fits = False
                    if fits:
                        try:
                            answer = execute_steps(kind, steps, item, item_path, None)
                        except Exception as raw_error:
                            self.handle_field_error(raw_error, item_type, field_details_list, item_path)
                            answer = None
                        else:
                            if is_awaitable(answer):
                                answer = self._await_completed(answer, item_type, field_details_list, item_path)
                                awaitable.append(index)
                        completed.append(answer)
                        continue
                if is_awaitable(item):
                    completed.append(
                        self.complete_awaitable_list_item_value(item, item_type, field_details_list, info, item_path, None)
                    )
                    awaitable.append(index)
                elif self.complete_list_item_value(item, completed, item_type, field_details_list, info, item_path, None):
                    awaitable.append(index)
        except Exception:
            if awaitable:
                self.settle_in_background([completed[index] for index in awaitable])
            raise
        return _gathered(completed, awaitable) if awaitable else completed
