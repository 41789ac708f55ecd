"""What execution works out from a document alone, kept with the document for every request that sends it.

graphql-core collects each selection's fields for an object type (``collect_subfields``) and the executor works out
each field's step (``execution.LeafFastExecutionContext._steps``) once per request: 12 selections and 26 steps for a
city's hierarchy, about a tenth of its time in Python, the same for every request that sends the text. The document
cache already keeps a memo per text (``limits.CheckedDocument.selection_memo``, made per request without a cache),
so both are kept there when they cannot depend on the request:

* a selection's collected fields, when no directive of the document reads a variable (``@skip(if: $x)``), no
  fragment takes arguments and nothing is deferred: they then depend on the nodes, the type and the schema alone;
* a selection's steps, per role of the caller (a step reads a ``def f(self)`` field straight off the object only
  where the role passes its guards), when no argument of its fields reads a variable.

Anything else is worked out per request, as before.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from typing import Any

from graphql.execution.collect_fields import CollectedFields, FieldDetails, FragmentDetails
from graphql.language import (
    ArgumentNode,
    DirectiveNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    ListValueNode,
    ObjectValueNode,
    OperationDefinitionNode,
    ValueNode,
    VariableNode,
    Visitor,
    visit,
)

from graphql import FieldNode, GraphQLObjectType

#: Keys of this module's entries in a document's memo (``selection_memo.per_selection`` keys by node id first).
_STATIC = "execution: collection static"
_COLLECTED = "execution: collected"
_SELECTION = "execution: selection"


@dataclass
class Selection:
    """One selection of a document collected for an object type: graphql-core's collected fields (the type and the
    field nodes are kept with it, so that the ids they are found by stay theirs) and, per role of the caller, the
    executor's steps for it and their written function."""

    kind: GraphQLObjectType
    nodes: tuple[FieldNode, ...]
    collected: CollectedFields
    steps: dict[Hashable, list[Any]] = field(default_factory=dict)
    #: Per role, the steps' written function (``compiled_selection.Written``), or ``None`` when they cannot have one.
    written: dict[Hashable, Any] = field(default_factory=dict)


def collected(
    memo: dict[Hashable, Any],
    operation: OperationDefinitionNode,
    fragments: dict[str, FragmentDetails],
    kind: GraphQLObjectType,
    details: list[FieldDetails],
    collect: Callable[[], CollectedFields],
) -> CollectedFields:
    """``collect()``, the fields ``details`` select on ``kind``: made once per document when they cannot depend on
    the request's variables, per call otherwise."""
    if not _collection_is_static(memo, operation, fragments) or any(
        detail.defer_usage is not None or detail.fragment_variable_values is not None for detail in details
    ):
        return collect()
    key = (_COLLECTED, id(kind), tuple(id(detail.node) for detail in details))
    found: Selection | None = memo.get(key)
    if found is None:
        fields = collect()
        if fields.new_defer_usages or fields.forbidden_directive_instances:
            return fields
        found = memo[key] = Selection(kind, tuple(detail.node for detail in details), fields)
        memo[(_SELECTION, id(fields.grouped_field_set))] = found
    return found.collected


def selection_of(memo: dict[Hashable, Any], kind: GraphQLObjectType, grouped_field_set: Any) -> Selection | None:
    """The document's ``Selection`` whose collected fields are ``grouped_field_set`` on ``kind``, if ``collected``
    kept it (a request's root fields are collected per request and have none)."""
    found: Selection | None = memo.get((_SELECTION, id(grouped_field_set)))
    if found is None or found.collected.grouped_field_set is not grouped_field_set or found.kind is not kind:
        return None
    return found


def uses_variables(arguments: Sequence[ArgumentNode] | None) -> bool:
    """Whether a variable occurs in the values of ``arguments`` (a field's or a directive's), however deep."""
    return any(_reads_variable(argument.value) for argument in arguments or ())


def _reads_variable(value: ValueNode) -> bool:
    if isinstance(value, VariableNode):
        return True
    if isinstance(value, ListValueNode):
        return any(_reads_variable(item) for item in value.values)
    if isinstance(value, ObjectValueNode):
        return any(_reads_variable(item.value) for item in value.fields)
    return False


def _collection_is_static(
    memo: dict[Hashable, Any], operation: OperationDefinitionNode, fragments: dict[str, FragmentDetails]
) -> bool:
    """Whether collecting ``operation``'s fields reads no variable: no directive with a variable among its
    arguments, no fragment with arguments (graphql-core's experimental fragment variables). Found once per
    operation of the document."""
    key = (_STATIC, id(operation))
    found = memo.get(key)
    if found is None:
        finder = _CollectionReads()
        for node in (operation, *(details.definition for details in fragments.values())):
            visit(node, finder)
        static = not finder.found and not any(details.variable_signatures for details in fragments.values())
        # The operation is kept with the verdict, so that the id it is found by stays its own.
        found = memo[key] = (operation, static)
    return bool(found[1])


class _CollectionReads(Visitor):
    """Finds what makes collecting fields read the request: a directive reading a variable, a fragment's argument
    or variable definition."""

    def __init__(self) -> None:
        super().__init__()
        self.found = False

    def enter_directive(self, node: DirectiveNode, *_args: Any) -> None:
        self.found = self.found or uses_variables(node.arguments)

    def enter_fragment_spread(self, node: FragmentSpreadNode, *_args: Any) -> None:
        self.found = self.found or bool(node.arguments)

    def enter_fragment_definition(self, node: FragmentDefinitionNode, *_args: Any) -> None:
        self.found = self.found or bool(node.variable_definitions)
