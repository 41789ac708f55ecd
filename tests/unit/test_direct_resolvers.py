"""Direct resolvers (``api.direct_resolvers``) answer exactly as strawberry's wrapper does, for every way a resolver
can ask for its source and ``Info``, sync and async, raising or not; fields the wrapper has work for (arguments,
field extensions such as a permission) keep it."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import strawberry
from strawberry.extensions import FieldExtension

from graph_service.api.direct_resolvers import use_direct_resolvers


def _run_apart(awaitable: Any) -> Any:
    """``asyncio.run`` in a thread of its own: a browser test earlier in the same worker may leave a loop running
    in this one (Playwright's sync API), where ``asyncio.run`` refuses to start."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, awaitable).result()


class Shout(FieldExtension):
    def resolve(self, next_: Any, source: Any, info: strawberry.Info, **kwargs: Any) -> Any:
        return str(next_(source, info, **kwargs)).upper()


@strawberry.type
class Item:
    name: str

    @strawberry.field
    def with_info(self, info: strawberry.Info) -> str:
        return f"{self.name}:{info.field_name}:{info.path.key}:{info.context['who']}"

    @strawberry.field
    def plain(self) -> str:
        return self.name * 2

    @strawberry.field
    def by_root(root: Item) -> str:  # type: ignore[misc]
        return f"root {root.name}"

    @strawberry.field
    def by_parent(self, parent: strawberry.Parent[Item], info: strawberry.Info) -> str:
        return f"parent {parent.name} {info.python_name}"

    @strawberry.field
    @staticmethod
    def constant() -> int:
        return 7

    @strawberry.field
    async def later(self, info: strawberry.Info) -> str:
        await asyncio.sleep(0)
        return f"later {self.name} {info.field_name}"

    @strawberry.field
    def broken(self) -> str | None:
        raise ValueError(f"no value for {self.name}")

    @strawberry.field
    def null_in_non_null(self) -> str:
        return None  # type: ignore[return-value]

    @strawberry.field
    def times(self, n: int = 1) -> str:
        return self.name * n

    @strawberry.field(extensions=[Shout()])
    def loud(self) -> str:
        return self.name


@strawberry.type
class Query:
    @strawberry.field
    def items(self) -> list[Item]:
        return [Item(name="a"), Item(name="b")]


def _schema(direct: bool) -> strawberry.Schema:
    schema = strawberry.Schema(query=Query)
    if direct:
        use_direct_resolvers(schema)
    return schema


def _run(direct: bool, query: str) -> dict[str, Any]:
    result = _run_apart(_schema(direct).execute(query, context_value={"who": "me"}))
    return {"data": result.data, "errors": sorted((e.message, tuple(e.path or ())) for e in result.errors or [])}


@pytest.mark.parametrize(
    "query",
    [
        "{ items { withInfo plain byRoot byParent constant later } }",
        "{ items { name broken } }",
        "{ items { name nullInNonNull } }",
        "{ items { times(n: 3) loud } }",
        "{ a: items { w: withInfo } b: items { l: later } }",
    ],
)
def test_direct_resolvers_answer_as_strawberry_does(query: str) -> None:
    assert _run(True, query) == _run(False, query)


def test_the_wrapper_stays_on_fields_with_arguments_or_extensions() -> None:
    schema = _schema(True)
    fields = schema._schema.type_map["Item"].fields  # type: ignore[union-attr]
    direct = {name for name, field in fields.items() if field.resolve.__name__.startswith("resolve")}  # type: ignore[union-attr]
    assert direct == {"withInfo", "plain", "byRoot", "byParent", "constant", "later", "broken", "nullInNonNull"}
    assert fields["times"].resolve.__name__ == "_resolver"  # type: ignore[union-attr]
    assert fields["loud"].resolve.__name__ == "_resolver"  # type: ignore[union-attr]
    assert getattr(fields["name"].resolve, "_is_default", False)  # a plain leaf: graphql-core's short path's


def test_the_service_schema_gives_its_resolvers_direct_calls() -> None:
    from graph_service.api.schema import build_schema
    from graph_service.config import Settings

    schema = build_schema(Settings())
    pairing = schema._schema.type_map["Pairing"].fields  # type: ignore[union-attr]
    person = schema._schema.type_map["Person"].fields  # type: ignore[union-attr]
    assert pairing["unitOrganization"].resolve.__name__.startswith("resolve")  # type: ignore[union-attr]
    assert person["phone"].resolve.__name__ == "_resolver"  # personal data: the permission extension stays  # type: ignore[union-attr]
