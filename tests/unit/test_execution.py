"""The leaf short path of GraphQL execution (``api.execution``) gives exactly what graphql-core's own path gives:
values, coerced enums and dates, lists, nulls, and the errors of a null in a non-null field or a value that does
not coerce."""

from __future__ import annotations

from datetime import date
from enum import Enum
from typing import Any

import pytest
import strawberry

from graph_service.api import execution
from graph_service.api.execution import LeafFastExecutionContext


@strawberry.enum
class Colour(Enum):
    RED = "red"
    BLUE = "blue"


@strawberry.type
class Item:
    name: str
    note: str | None
    day: date | None
    colour: Colour
    tags: list[str]
    maybe_tags: list[str | None] | None
    count: int

    @strawberry.field
    def shout(self, times: int = 1) -> str:
        return self.name.upper() * times


ITEMS = [
    Item(name="a", note=None, day=date(2024, 6, 1), colour=Colour.RED, tags=["x", "y"], maybe_tags=[None, "z"], count=1),
    Item(name=None, note="n", day=None, colour=Colour.BLUE, tags=[], maybe_tags=None, count=2),  # type: ignore[arg-type]
    Item(name="c", note="m", day=None, colour="green", tags=["q"], maybe_tags=[], count="many"),  # type: ignore[arg-type]
]


@strawberry.type
class Query:
    @strawberry.field
    def items(self) -> list[Item]:
        return ITEMS


def _run(fast: bool, query: str) -> dict[str, Any]:
    kwargs = {"execution_context_class": LeafFastExecutionContext} if fast else {}
    schema = strawberry.Schema(query=Query, **kwargs)  # type: ignore[arg-type]
    result = schema.execute_sync(query)
    return {"data": result.data, "errors": [(e.message, e.path) for e in result.errors or []]}


@pytest.mark.parametrize(
    "query",
    [
        "{ items { name note day colour tags maybeTags count } }",
        "{ items { note day tags shout(times: 2) } }",
        "{ a: items { n: name, colour } b: items { count } }",
        "{ items { __typename note } }",
        "{ items { colour } }",  # an enum value that does not coerce
        "{ items { count } }",  # an int that does not coerce
        "{ items { note day maybeTags } }",
    ],
)
def test_the_short_path_answers_as_graphql_core_does(query: str) -> None:
    assert _run(True, query) == _run(False, query)


def test_plain_leaves_take_the_short_path_and_fields_with_resolvers_do_not() -> None:
    schema = strawberry.Schema(query=Query)
    fields = schema._schema.type_map["Item"].fields  # type: ignore[union-attr]
    assert execution._leaf_plan(fields["name"]) is not None
    assert execution._leaf_plan(fields["tags"]) is not None and execution._leaf_plan(fields["tags"]).listed  # type: ignore[union-attr]
    assert execution._leaf_plan(fields["shout"]) is None
    assert execution._leaf_plan(schema._schema.query_type.fields["items"]) is None  # type: ignore[union-attr]
