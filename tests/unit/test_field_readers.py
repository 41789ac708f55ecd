"""Fields declared with a reader (``field_readers.reads``) answer exactly what their resolvers answer through
graphql-core: objects and lists in hand, nulls, values of another type, a reader that fails or has nothing in hand
(then the resolver runs, with its value or its error where graphql-core puts it), nested errors, arguments; and in
hand, the resolver is not called and the reader is prepared once per selection."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
import strawberry

from graph_service.api.direct_resolvers import use_direct_resolvers
from graph_service.api.execution import LeafFastExecutionContext
from graph_service.api.field_readers import NOT_HELD, reads
from tests.run_apart import run_apart

#: Calls of each resolver and each reader's ``prepare``, by name.
CALLS: Counter[str] = Counter()


@strawberry.type
class Tag:
    label: str
    weight: int | None = None

    @strawberry.field
    def broken(self) -> str:
        raise ValueError("a broken tag")


class Shelf:
    """A reader answering ``pick(source, **args)``: what the object holds, or ``NOT_HELD``."""

    def __init__(self, name: str, pick: Callable[..., Any]) -> None:
        self.name, self.pick = name, pick

    def prepare(self, info: strawberry.Info, **args: Any) -> Callable[[Any], Any]:
        CALLS[f"prepare {self.name}"] += 1
        return lambda source: self.pick(source, **args)

    def resolve(self, source: Any, info: strawberry.Info, **args: Any) -> Any:
        CALLS[f"resolve {self.name}"] += 1
        value = self.pick(source, **args)
        return source.fallback if value is NOT_HELD else value


def _raise(_: Any) -> Any:
    raise ValueError("the shelf broke")


async def _soon(value: Any) -> Any:
    if isinstance(value, Tag) and value.weight == 1:
        raise ValueError("this one never came")
    return value


def _later(source: Any) -> Any:
    """What the object holds once a load it started is done: an awaitable."""
    return NOT_HELD if source.tag is NOT_HELD else _soon(source.tag)


SHELVES = {
    "tag": Shelf("tag", lambda s: s.tag),
    "required": Shelf("required", lambda s: s.tag),
    "tags": Shelf("tags", lambda s: s.tags),
    "required_tags": Shelf("required_tags", lambda s: s.tags),
    "failing": Shelf("failing", _raise),
    "later": Shelf("later", _later),
    "heavy": Shelf("heavy", lambda s, least=0: [t for t in s.tags if (t.weight or 0) >= least]),
}


@strawberry.type
class Holder:
    tag: strawberry.Private[Any]
    tags: strawberry.Private[Any]
    fallback: strawberry.Private[Any]

    @strawberry.field(graphql_type=Tag | None)
    @reads(SHELVES["tag"])
    def maybe_tag(self, info: strawberry.Info) -> Any:
        return SHELVES["tag"].resolve(self, info)

    @strawberry.field(graphql_type=Tag)
    @reads(SHELVES["required"])
    def tag_required(self, info: strawberry.Info) -> Any:
        return SHELVES["required"].resolve(self, info)

    @strawberry.field(graphql_type=list[Tag | None] | None)
    @reads(SHELVES["tags"])
    def maybe_tags(self, info: strawberry.Info) -> Any:
        return SHELVES["tags"].resolve(self, info)

    @strawberry.field(graphql_type=list[Tag])
    @reads(SHELVES["required_tags"])
    def tags_required(self, info: strawberry.Info) -> Any:
        return SHELVES["required_tags"].resolve(self, info)

    @strawberry.field(graphql_type=Tag | None)
    @reads(SHELVES["failing"])
    def failing(self, info: strawberry.Info) -> Any:
        return self.fallback

    @strawberry.field(graphql_type=Tag | None)
    @reads(SHELVES["later"])
    def later(self, info: strawberry.Info) -> Any:
        return SHELVES["later"].resolve(self, info)

    @strawberry.field(graphql_type=list[Tag])
    @reads(SHELVES["heavy"])
    def heavy(self, info: strawberry.Info, least: int = 0) -> Any:
        return SHELVES["heavy"].resolve(self, info, least=least)


TAG = Tag(label="t", weight=3)
LIGHT = Tag(label="l", weight=1)
HOLDERS = [
    # In hand.
    Holder(tag=TAG, tags=[TAG, LIGHT], fallback=None),
    # Not in hand: the resolver answers the fallback (an object, a null, a list).
    Holder(tag=NOT_HELD, tags=NOT_HELD, fallback=Tag(label="f")),
    # Nulls in hand, in nullable and non-null fields.
    Holder(tag=None, tags=None, fallback=None),
    # A value of another type, a list with a null and one of another type.
    Holder(tag="not a tag", tags=[TAG, None, "x"], fallback=None),
    # A null inside an object in hand: its non-null label fails where graphql-core says.
    Holder(tag=Tag(label=None), tags=[Tag(label=None, weight=2)], fallback=None),  # type: ignore[arg-type]
    # An awaitable in hand that fails.
    Holder(tag=LIGHT, tags=[], fallback=None),
]


@strawberry.type
class Query:
    @strawberry.field
    def holders(self) -> list[Holder]:
        return HOLDERS

    @strawberry.field
    def in_hand(self) -> list[Holder]:
        return [HOLDERS[0]] * 3


def _run(fast: bool, query: str) -> str:
    if fast:
        schema = strawberry.Schema(query=Query, execution_context_class=LeafFastExecutionContext)
        use_direct_resolvers(schema)
    else:
        schema = strawberry.Schema(query=Query)
    result = run_apart(schema.execute(query))
    return json.dumps({"data": result.data, "errors": sorted((e.message, str(e.path)) for e in result.errors or [])})


QUERIES = [
    "{ holders { maybeTag { label weight } } }",
    "{ holders { tagRequired { label } } }",
    "{ holders { maybeTags { label weight } } }",
    "{ holders { tagsRequired { label } } }",
    "{ holders { failing { label } } }",
    "{ holders { maybeTag { label broken } } }",
    "{ holders { heavy(least: 2) { label } h: heavy { label } } }",
    "{ holders { later { label weight } maybeTag { label } } }",
    "{ holders { a: maybeTag { label } b: maybeTag { weight } maybeTags { label } } }",
]


@pytest.mark.parametrize("query", QUERIES)
def test_a_field_with_a_reader_answers_as_its_resolver_does(query: str) -> None:
    assert _run(True, query) == _run(False, query)


def test_in_hand_the_resolver_is_not_called_and_the_reader_is_prepared_once() -> None:
    CALLS.clear()
    answer = json.loads(_run(True, "{ inHand { maybeTag { label } heavy(least: 2) { label } later { label } } }"))
    assert answer["data"]["inHand"] == [{"maybeTag": {"label": "t"}, "heavy": [{"label": "t"}], "later": {"label": "t"}}] * 3
    assert Counter({"prepare tag": 1, "prepare heavy": 1, "prepare later": 1}) == CALLS


def test_with_nothing_in_hand_the_resolver_runs() -> None:
    CALLS.clear()
    answer = json.loads(_run(True, "{ holders { maybeTag { label } } }"))
    assert answer["data"]["holders"][1] == {"maybeTag": {"label": "f"}}
    # Only the second holder has nothing in hand; a value of another type fails in completion on either path.
    assert CALLS["resolve tag"] == 1


def test_a_reader_gets_the_fields_arguments_by_python_name() -> None:
    answer = json.loads(_run(True, "{ inHand { heavy(least: 2) { label } all: heavy { label } } }"))
    assert answer["data"]["inHand"][0] == {"heavy": [{"label": "t"}], "all": [{"label": "t"}, {"label": "l"}]}
