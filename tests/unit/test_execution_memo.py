"""What execution keeps with a document (``api.execution_memo``): every request that sends the text again answers
exactly as graphql-core's own path answers it, whatever its variables, while the document's selections are neither
collected nor stepped through again; a selection that a variable can change (``@skip(if: $x)``, an argument read
from a variable) is worked out per request."""

from __future__ import annotations

import json
from typing import Any

import pytest
import strawberry
from graphql.execution import executor

from graph_service.api.execution import LeafFastExecutionContext
from graph_service.api.execution_memo import uses_variables
from graph_service.api.limits import request_limits
from graph_service.config import Settings
from graphql import FieldNode, OperationDefinitionNode, parse
from tests.run_apart import run_apart
from tests.unit.test_execution import Query


class Context:
    """What the service's request context offers the executor: the document's memo and the caller."""

    def __init__(self) -> None:
        self.selection_memo: dict[Any, Any] = {}
        self.principal = None


def _schemas() -> tuple[strawberry.Schema, strawberry.Schema]:
    # The real request limits keep each text's document (and its memo) in their document cache.
    kept = strawberry.Schema(
        query=Query,
        extensions=[request_limits(Settings())],
        execution_context_class=LeafFastExecutionContext,
    )
    return kept, strawberry.Schema(query=Query)


def _answer(schema: strawberry.Schema, query: str, variables: dict[str, Any] | None) -> str:
    context = Context()
    if any(name in query for name in ("later", "waits")):
        result = run_apart(schema.execute(query, variable_values=variables, context_value=context))
    else:
        result = schema.execute_sync(query, variable_values=variables, context_value=context)
    return json.dumps({"data": result.data, "errors": [(e.message, e.path) for e in result.errors or []]})


CASES: list[tuple[str, list[dict[str, Any] | None]]] = [
    ("{ items { name note day colour tags maybeTags count } }", [None, None]),
    ("{ holders { named { label ... on Tag { weight } } tags { label } } }", [None, None]),
    ("{ holders { maybeBadge { code label } b: maybeBadge { code } badge { label } } }", [None, None, None]),
    ("{ holders { later { label } laterBroken { label } waits { label broken } } }", [None, None]),
    ("{ holders { tag @skip(if: true) { label } badge { code } maybeTag @include(if: true) { label } } }", [None, None]),
    # Arguments from variables: a value, none, a null, one that does not coerce.
    (
        "query ($times: Int) { holders { repeat(times: $times) r: repeat(times: 2) tag { label } } }",
        [{"times": 2}, {}, {"times": None}, {"times": "two"}, {"times": 3}],
    ),
    # Directives reading variables: the same text selects other fields on each request.
    (
        "query ($skip: Boolean!) { holders { tag @skip(if: $skip) { label } badge { code } } }",
        [{"skip": True}, {"skip": False}, {"skip": True}],
    ),
    (
        "query ($with: Boolean!) { holders { ...Held @include(if: $with) maybeTag { label } } }"
        " fragment Held on Holder { tag { label weight } }",
        [{"with": False}, {"with": True}, {"with": False}],
    ),
]


@pytest.mark.parametrize(("query", "requests"), CASES)
def test_every_request_of_a_kept_document_answers_as_graphql_core_does(query: str, requests: list[dict[str, Any] | None]) -> None:
    kept, plain = _schemas()
    for variables in requests:
        assert _answer(kept, query, variables) == _answer(plain, query, variables), variables


def _counting(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """How often graphql-core collects a selection's fields and the executor makes a field's step, from now on."""
    counts = {"collected": 0, "steps": 0}
    collect, step = executor.collect_subfields, LeafFastExecutionContext._step

    def collecting(*args: Any) -> Any:
        counts["collected"] += 1
        return collect(*args)

    def stepping(self: Any, *args: Any) -> Any:
        counts["steps"] += 1
        return step(self, *args)

    monkeypatch.setattr(executor, "collect_subfields", collecting)
    monkeypatch.setattr(LeafFastExecutionContext, "_step", stepping)
    return counts


def test_a_document_sent_again_is_neither_collected_nor_stepped_through_again(monkeypatch: pytest.MonkeyPatch) -> None:
    kept, _ = _schemas()
    counts = _counting(monkeypatch)
    query = "{ holders { tag { label weight } badge { code } r: repeat(times: 2) } }"
    first = _answer(kept, query, None)
    assert counts["collected"] >= 2 and counts["steps"] >= 6
    counts.update(collected=0, steps=0)
    assert _answer(kept, query, None) == first
    # Only the root's fields, which graphql-core collects per request: one step, the root field's.
    assert counts == {"collected": 0, "steps": 1}


def test_a_selection_a_variable_changes_is_worked_out_per_request(monkeypatch: pytest.MonkeyPatch) -> None:
    kept, _ = _schemas()
    counts = _counting(monkeypatch)
    skipping = "query ($skip: Boolean!) { holders { tag @skip(if: $skip) { label } badge { code } } }"
    _answer(kept, skipping, {"skip": False})
    counts.update(collected=0, steps=0)
    _answer(kept, skipping, {"skip": False})
    assert counts["collected"] >= 2  # the holders' fields, the tag's and the badge's, collected again
    repeating = "query ($times: Int) { holders { repeat(times: $times) tag { label } } }"
    _answer(kept, repeating, {"times": 2})
    counts.update(collected=0, steps=0)
    _answer(kept, repeating, {"times": 3})
    # Collected once for the document; the holder's steps made again (one argument reads a variable), the tag's not.
    assert counts == {"collected": 0, "steps": 1 + 2}


@pytest.mark.parametrize(
    ("field", "reads"),
    [
        ("f", False),
        ("f(a: 1, b: [1, 2], c: {d: [{e: RED}]})", False),
        ("f(a: $x)", True),
        ("f(b: [1, $x])", True),
        ("f(c: {d: [{e: $x}]})", True),
    ],
)
def test_a_variable_is_found_however_deep_in_the_arguments(field: str, reads: bool) -> None:
    operation = parse(f"query ($x: Int) {{ {field} }}").definitions[0]
    assert isinstance(operation, OperationDefinitionNode)
    [node] = operation.selection_set.selections
    assert isinstance(node, FieldNode)
    assert uses_variables(node.arguments) is reads
