"""The short paths of GraphQL execution (``api.execution``) give exactly what graphql-core's own path gives: for
leaves, values, coerced enums and dates, lists, nulls, and the errors of a null in a non-null field or a value that
does not coerce; for objects, nested values, nulls, abstract types, a value of the wrong type and a resolver's
error, each where graphql-core puts it. So do the functions written for a document's selections
(``compiled_selection``), which the executor uses when the request has a document memo, as the server's have."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from enum import Enum
from types import SimpleNamespace
from typing import Any

import pytest
import strawberry

from graph_service.api import compiled_selection, execution
from graph_service.api.common import derived_field
from graph_service.api.execution import LeafFastExecutionContext
from tests.run_apart import run_apart


class Shout(str):
    def __str__(self) -> str:
        return self.upper()


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
    flag: bool | None = None
    code: strawberry.ID | None = None

    # Derived from the object alone (``DerivedField``), as ``domainId`` is.
    loud = derived_field(lambda item: item.name.upper() if isinstance(item.name, str) else item.name, str, "Loud")

    @strawberry.field
    def shout(self, times: int = 1) -> str:
        return self.name.upper() * times


ITEMS = [
    Item(name="a", note=None, day=date(2024, 6, 1), colour=Colour.RED, tags=["x", "y"], maybe_tags=[None, "z"], count=1),
    Item(name=None, note="n", day=None, colour=Colour.BLUE, tags=[], maybe_tags=None, count=2),  # type: ignore[arg-type]
    Item(name="c", note="m", day=None, colour="green", tags=["q"], maybe_tags=[], count="many"),  # type: ignore[arg-type]
    # A member's value rather than the member: graphql-core's path names it.
    Item(name="d", note=None, day=None, colour="blue", tags=[], maybe_tags=None, count=4),  # type: ignore[arg-type]
    # Values of another Python type than the scalar gives back unchanged: graphql-core converts or refuses them.
    Item(name=5, note=True, day=None, colour=Colour.RED, tags=[1], maybe_tags=None, count=5, flag=1, code=7),  # type: ignore[arg-type]
    Item(name="f", note=2.5, day=None, colour=Colour.RED, tags=[], maybe_tags=None, count=6, flag="yes", code=[1]),  # type: ignore[arg-type]
    # A text where a list of texts is due: graphql-core refuses it (a string is no list of strings).
    Item(name="k", note=None, day=None, colour=Colour.RED, tags="xy", maybe_tags="z", count=8),  # type: ignore[arg-type]
    # A subclass of the exact types the short path passes unchanged: graphql-core's path coerces it.
    Item(
        name=Shout("g"),
        note=Shout("h"),
        day=None,
        colour=Colour.BLUE,
        tags=[Shout("i")],
        maybe_tags=None,
        count=7,
        flag=False,
        code=Shout("j"),
    ),
]


@strawberry.interface
class Named:
    label: str


@strawberry.type
class Tag(Named):
    weight: int | None


@execution.completed_once
@strawberry.type
class Badge:
    """Shared and immutable, as ``common.Labeled`` is: a request completes each instance once per selection."""

    code: str
    label: str | None
    weight: int


GOLD = Badge(code="g", label="Gold", weight=1)
#: A label that does not coerce (a nullable field's error) and a weight that does not (a non-null field's error).
ODD_LABEL = Badge(code="o", label=["x"], weight=2)  # type: ignore[arg-type]
HEAVY = Badge(code="h", label="Heavy", weight="heavy")  # type: ignore[arg-type]


@strawberry.type
class Holder:
    tag: Tag
    maybe_tag: Tag | None
    named: Named
    tags: list[Tag]
    maybe_tags: list[Tag | None] | None

    @strawberry.field
    def broken(self) -> Tag:
        raise ValueError("no tag here")

    @strawberry.field
    def maybe_broken(self) -> Tag | None:
        raise ValueError("no tag either")

    @strawberry.field
    def wrong(self) -> Tag | None:
        return ITEMS[0]  # type: ignore[return-value]

    @strawberry.field
    def null_inside(self) -> Tag | None:
        return Tag(label=None, weight=1)  # type: ignore[arg-type]

    @strawberry.field
    async def later(self) -> Tag | None:
        return self.tag

    @strawberry.field
    async def later_broken(self) -> Tag | None:
        raise ValueError("not later either")

    @strawberry.field
    async def later_required(self) -> Tag:
        raise ValueError("a required tag, never")

    @strawberry.field
    def repeat(self, times: int = 1) -> str:
        return self.tag.label * times

    @strawberry.field
    def waits(self) -> Waiting | None:
        return Waiting(tag=self.tag)

    @strawberry.field
    def waits_required(self) -> Waiting:
        return Waiting(tag=self.tag)

    # Lists of objects (``complete_list_value``): items of every kind, in nullable and non-null positions.
    @strawberry.field
    def mixed(self) -> list[Tag | None]:
        return [self.tag, None, ITEMS[0], Tag(label=None, weight=1), self.tag]  # type: ignore[list-item,arg-type]

    @strawberry.field
    def required_items(self) -> list[Tag] | None:
        return [self.tag, None]  # type: ignore[list-item]

    @strawberry.field
    def required_null_inside(self) -> list[Tag] | None:
        return [self.tag, Tag(label=None, weight=2)]  # type: ignore[arg-type]

    @strawberry.field
    def with_error(self) -> list[Tag | None]:
        return [self.tag, ValueError("not an item")]  # type: ignore[list-item]

    @strawberry.field
    def awaited_items(self) -> list[Tag | None]:
        async def later(tag: Tag | None) -> Tag | None:
            return tag

        async def broken() -> Tag:
            raise ValueError("an item never came")

        return [later(self.tag), self.tag, later(None), broken()]  # type: ignore[list-item]

    @strawberry.field
    def grid(self) -> list[list[Tag]]:
        return [[self.tag], [], [self.tag, Tag(label="g", weight=9)]]

    @strawberry.field
    def tuple_tags(self) -> list[Tag]:
        return tuple(self.tags)  # type: ignore[return-value]

    @strawberry.field
    def waiting_items(self) -> list[Waiting | None]:
        return [Waiting(tag=self.tag), Waiting(tag=self.tag)]

    badge: Badge = strawberry.field(default_factory=lambda: GOLD)
    maybe_badge: Badge | None = None
    other_badge: Badge | None = None
    odd: Tag | None = None  # a plain field holding a value of another type


@strawberry.type
class Waiting:
    """An object answered at once whose own fields are awaited: its completion is awaitable."""

    tag: strawberry.Private[Tag]

    @strawberry.field
    async def label(self) -> str:
        return self.tag.label

    @strawberry.field
    async def broken(self) -> str:
        raise ValueError("broken while waiting")


HOLDERS = [
    Holder(
        tag=Tag(label="t", weight=1),
        maybe_tag=None,
        named=Tag(label="n", weight=None),
        tags=[Tag(label="a", weight=2)],
        maybe_tags=[None, Tag(label="b", weight=3)],
        maybe_badge=ODD_LABEL,
        other_badge=HEAVY,
        odd=ITEMS[0],  # type: ignore[arg-type]
    ),
    Holder(
        tag=Tag(label="u", weight=None),
        maybe_tag=Tag(label="m", weight=4),
        named=Tag(label="o", weight=5),
        tags=[],
        maybe_tags=None,
        maybe_badge=ODD_LABEL,
        other_badge=GOLD,
    ),
]


@strawberry.type
class Query:
    @strawberry.field
    def items(self) -> list[Item]:
        return ITEMS

    @strawberry.field
    def holders(self) -> list[Holder]:
        return HOLDERS

    @strawberry.field
    def odd_counts(self) -> list[Item | None]:
        """Ten items whose count does not coerce: each is null in the answer, with its error."""
        return [ITEMS[2]] * 10


def _run(fast: bool, query: str, variables: dict[str, Any] | None = None, memo: dict[Any, Any] | None = None) -> str:
    """The answer as JSON, so that a value of another type (``1`` for ``true``) differs though Python finds them
    equal; run asynchronously when a resolver of the query is ``async``. With a ``memo`` (the document's, as the
    server keeps it), selections kept in it are completed by their written functions."""
    kwargs = {"execution_context_class": LeafFastExecutionContext} if fast else {}
    schema = strawberry.Schema(query=Query, **kwargs)  # type: ignore[arg-type]
    context = SimpleNamespace(selection_memo=memo) if memo is not None else None
    awaited = any(name in query for name in ("later", "waits", "waiting", "awaited"))
    if awaited:
        result = run_apart(schema.execute(query, variable_values=variables, context_value=context))
    else:
        result = schema.execute_sync(query, variable_values=variables, context_value=context)
    return json.dumps({"data": result.data, "errors": [(e.message, e.path) for e in result.errors or []]})


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
        "{ items { name flag code loud } }",  # exact types pass; others are converted or refused as graphql-core does
        "{ items { flag } }",
        "{ items { code note } }",
        "{ holders { tag { label weight } maybeTag { label } named { label ... on Tag { weight } } } }",
        "{ holders { tags { label weight } maybeTags { label } } }",
        "{ holders { tag { label } broken { label } } }",  # a resolver's error nulls the nullable parent
        "{ holders { maybeBroken { label } tag { weight } } }",
        "{ holders { wrong { label } } }",  # a value of another type
        "{ holders { nullInside { label weight } } }",  # a null in a non-null field of a nested object
        "{ holders { t: tag { l: label } t2: tag { weight } } }",
        # Resolvers without arguments are called straight from the step (``_call``): awaited values, their errors
        # in nullable and non-null fields, and objects whose own completion is awaited and fails.
        "{ holders { later { label } laterBroken { label } tag { label } } }",
        "{ holders { tag { label } laterRequired { label } } }",
        "{ holders { waits { label } waitsRequired { label } } }",
        "{ holders { waits { label broken } tag { weight } } }",
        "{ holders { waitsRequired { broken } maybeTag { label } } }",
        # Arguments are worked out once per selection: given, defaulted, and on each object its own result.
        "{ holders { repeat r2: repeat(times: 2) tag { label } } }",
        "{ holders { waits { label } repeat(times: 3) } }",
        # Plain object fields are completed without a call; a shared value once per selection, but an answer
        # holding an error is made again, so that every occurrence reports its own.
        "{ holders { badge { code label weight } otherBadge { code weight } } }",
        "{ holders { maybeBadge { code label } b: maybeBadge { code } badge { label } } }",
        "{ holders { otherBadge { code label weight } badge { code label weight } } }",
        "{ holders { odd { label } tag { label } } }",
        "{ holders { badge { code } ... on Holder { badge { label } } } }",
        # Lists of objects: ready items straight to their fields, any other item (a null, an awaitable, an error,
        # another type) through graphql-core, and its error where graphql-core puts it.
        "{ holders { mixed { label weight } tag { label } } }",
        "{ holders { requiredItems { label } tag { label } } }",
        "{ holders { requiredNullInside { label weight } tag { label } } }",
        "{ holders { withError { label } } }",
        "{ holders { awaitedItems { label } tag { label } } }",
        "{ holders { grid { label weight } } }",
        "{ holders { tupleTags { label } } }",
        "{ holders { waitingItems { label } } }",
        "{ holders { waitingItems { label broken } tag { label } } }",
        "{ holders { tags @include(if: true) { label } maybeTags @skip(if: false) { weight } } }",
    ],
)
def test_the_short_path_answers_as_graphql_core_does(query: str) -> None:
    expected = _run(False, query)
    assert _run(True, query) == expected
    # With the document's memo, the selections that can be are completed by written functions; anything they do
    # not expect (a null in a non-null field, a value that does not coerce, another type) goes the general path.
    assert _run(True, query, memo={}) == expected


def test_plain_leaves_take_the_short_path_and_fields_with_resolvers_do_not() -> None:
    schema = strawberry.Schema(query=Query)
    fields = schema._schema.type_map["Item"].fields  # type: ignore[attr-defined]
    assert execution._leaf_plan(fields["name"]) is not None
    assert execution._leaf_plan(fields["tags"]) is not None and execution._leaf_plan(fields["tags"]).listed  # type: ignore[union-attr]
    assert execution._leaf_plan(fields["shout"]) is None
    assert execution._leaf_plan(schema._schema.query_type.fields["items"]) is None  # type: ignore[union-attr]


def _type_name(graphql_type: Any, *_: Any) -> str:
    name: str = graphql_type.name
    return name


def _field_name(_: Any, __: Any, details: Any, *___: Any) -> str:
    name: str = details[0].node.name.value
    return name


def _recorded(monkeypatch: pytest.MonkeyPatch, cls: type, method: str, name: Callable[..., str]) -> list[str]:
    """The names (``name`` of the call's arguments) of every call of ``cls.method`` from now on."""
    seen: list[str] = []
    original = getattr(cls, method)

    def counted(self: Any, *args: Any) -> Any:
        seen.append(name(*args))
        return original(self, *args)

    monkeypatch.setattr(cls, method, counted)
    return seen


def test_objects_of_a_plain_selection_skip_graphql_cores_object_completion(monkeypatch: pytest.MonkeyPatch) -> None:
    from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

    completed = _recorded(monkeypatch, StrawberryGraphQLCoreExecutionContext, "complete_object_value", _type_name)
    query = "{ holders { tag { label } maybeTag { label } named { label } wrong { label } } }"
    fast = _run(True, query)
    # Per holder, only the abstract field's value and the value of the wrong type take graphql-core's path.
    assert completed == ["Tag", "Tag"] * 2
    completed.clear()
    assert _run(False, query) == fast
    assert completed.count("Holder") == 2 and completed.count("Tag") == 7


@pytest.mark.parametrize("variables", [{"times": 2}, {}, {"times": None}, {"times": "two"}])
def test_arguments_from_variables_are_as_graphql_core_makes_them(variables: dict[str, Any]) -> None:
    query = "query ($times: Int) { holders { repeat(times: $times) later { label } } }"
    expected = _run(False, query, variables)
    assert _run(True, query, variables) == expected
    assert _run(True, query, variables, memo={}) == expected


def test_fields_skip_graphql_cores_execute_field(monkeypatch: pytest.MonkeyPatch) -> None:
    from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

    executed = _recorded(monkeypatch, StrawberryGraphQLCoreExecutionContext, "execute_field", _field_name)
    query = "{ items { note } holders { tag { label } later { label } repeat(times: 2) waits { label } } }"
    fast = _run(True, query)
    # Every field is called from its step, arguments or not; graphql-core's own path gives the same answer.
    assert executed == []
    assert _run(False, query) == fast


def test_a_shared_value_is_completed_once_per_selection(monkeypatch: pytest.MonkeyPatch) -> None:
    completed = _recorded(monkeypatch, LeafFastExecutionContext, "_execute_steps", _type_name)
    query = "{ holders { badge { code } otherBadge { code } maybeBadge { label } } }"
    fast = _run(True, query)
    # Each selection completes GOLD once (the badge of both holders; the other badge of the second) and HEAVY once;
    # ODD_LABEL's answer holds an error, so each holder completes it again and reports its own.
    assert completed.count("Badge") == 1 + 1 + 1 + 2
    assert json.loads(fast)["errors"] == [
        ["String cannot represent value: ['x']", ["holders", 0, "maybeBadge", "label"]],
        ["String cannot represent value: ['x']", ["holders", 1, "maybeBadge", "label"]],
    ]
    assert _run(False, query) == fast


def test_a_leaf_is_read_as_strawberry_reads_it() -> None:
    schema = strawberry.Schema(query=Query)
    fields = schema._schema.type_map["Item"].fields  # type: ignore[attr-defined]
    name, loud, flag, count = (execution._leaf_plan(fields[n]) for n in ("name", "loud", "flag", "count"))
    assert name is not None and loud is not None and flag is not None and count is not None
    # The attribute read straight; a derived field computed from the object, as its get_result does.
    assert [name.read(item) for item in ITEMS] == [item.name for item in ITEMS]
    assert [loud.read(item) for item in ITEMS if isinstance(item.name, str)] == [
        item.name.upper() for item in ITEMS if isinstance(item.name, str)
    ]
    # Strings and flags of the exact type are written as they are; numbers are coerced (a range to check), and so
    # is a list of strings item by item (a string where the list is due is no answer).
    tags = execution._leaf_plan(fields["tags"])
    assert tags is not None
    assert (name.exact, flag.exact, count.exact, tags.exact) == (str, bool, None, None)


def test_an_enum_leaf_names_each_member_as_strawberry_does() -> None:
    schema = strawberry.Schema(query=Query)
    colour = schema._schema.get_type("Item").fields["colour"]  # type: ignore[union-attr]
    plan = execution._leaf_plan(colour)
    assert plan is not None and plan.enum is Colour
    assert plan.names == {member: plan.leaf.serialize(member) for member in Colour} == {Colour.RED: "RED", Colour.BLUE: "BLUE"}


def _item_path(*args: Any) -> str:
    return str(args[5].as_list())


def test_ready_items_of_a_list_skip_graphql_cores_item_completion(monkeypatch: pytest.MonkeyPatch) -> None:
    from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

    items = _recorded(monkeypatch, StrawberryGraphQLCoreExecutionContext, "complete_list_item_value", _item_path)
    query = "{ holders { tags { label } maybeTags { label } mixed { label } } }"
    fast = _run(True, query)
    # Only the items that are no ready Tag go to graphql-core: the nulls and the value of another type.
    assert items == [
        "['holders', 0, 'maybeTags', 0]",
        "['holders', 0, 'mixed', 1]",
        "['holders', 0, 'mixed', 2]",
        "['holders', 1, 'mixed', 1]",
        "['holders', 1, 'mixed', 2]",
    ]
    items.clear()
    assert _run(False, query) == fast
    assert len(items) == 2 + 1 + 2 + 2 * 5  # every holder, tag and item


def _written_calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the fields of every object a written function completes from now on (each call, raising or
    not)."""
    calls: list[str] = []
    original = compiled_selection.write

    def counted(parts: list[compiled_selection.Part], *args: Any) -> compiled_selection.Written:
        written = original(parts, *args)
        names = ",".join(part.name for part in parts)

        def make(*values: Any) -> Callable[[Any], dict[str, Any]]:
            complete = written.make(*values)

            def counting(obj: Any) -> dict[str, Any]:
                calls.append(names)
                return complete(obj)

            return counting

        return compiled_selection.Written(make, written.needs)

    monkeypatch.setattr(execution, "write", counted)
    return calls


def test_a_plain_selection_is_completed_by_its_written_function(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = _written_calls(monkeypatch)
    plain = _recorded(monkeypatch, LeafFastExecutionContext, "_complete_plain", _type_name)
    query = "{ holders { tag { label weight } tags { label } badge { code label } t: __typename } }"
    written = _run(True, query, memo={})
    # Each holder is one call, its tag, its tags (one between the two) and its badge each completed inside it: the
    # badge, shared, once for both.
    assert calls == ["tag,tags,badge,t", "label,weight", "label", "code,label", "tag,tags,badge,t", "label,weight"]
    assert plain == []
    calls.clear()
    # Without the document's memo, nothing is written: each request would pay for writing.
    assert _run(True, query) == written and calls == []
    assert _run(False, query) == written


def test_a_selection_that_keeps_raising_goes_the_general_path(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = _written_calls(monkeypatch)
    schema_query = "{ oddCounts { name count } }"
    answer = _run(True, schema_query, memo={})
    # The list is tried once as a whole; then its items one by one, until the third raise sends the rest straight
    # to the general path, which reports each item's error.
    assert calls == ["name,count"] * execution._MISSES_ALLOWED
    assert len(json.loads(answer)["errors"]) == 10
    assert answer == _run(False, schema_query)
