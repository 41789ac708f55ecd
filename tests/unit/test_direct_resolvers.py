"""Direct resolvers (``api.direct_resolvers``) answer exactly as strawberry's wrapper does, for every way a resolver
can ask for its source and ``Info``, sync and async, raising or not, with arguments of GraphQL's own scalars and enums (given,
defaulted, null, camel-cased) and behind a permission (allowed or refused); fields the wrapper has work for (other
arguments, other field extensions) keep it."""

from __future__ import annotations

import asyncio
from enum import Enum
from typing import Any

import pytest
import strawberry
from strawberry.extensions import FieldExtension

from graph_service.api.direct_resolvers import use_direct_resolvers
from graph_service.api.execution import LeafFastExecutionContext
from graph_service.api.permissions import Principal, Role, allow
from tests.run_apart import run_apart


class Shout(FieldExtension):
    def resolve(self, next_: Any, source: Any, info: strawberry.Info, **kwargs: Any) -> Any:
        return str(next_(source, info, **kwargs)).upper()


@strawberry.enum
class Colour(Enum):
    RED = "red"
    BLUE = "blue"


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

    @strawberry.field
    def joined(self, info: strawberry.Info, with_text: str | None = "-", times: int = 1, upper: bool = False) -> str:
        text = f"{self.name}{with_text}{info.field_name}" * times
        return text.upper() if upper else text

    @strawberry.field
    async def later_times(self, n: int) -> str:
        await asyncio.sleep(0)
        return self.name * n

    @strawberry.field
    def coloured(self, colour: Colour = Colour.RED) -> str:
        return f"{self.name} {colour.value}"

    @strawberry.field
    def maybe_coloured(self, colour: Colour | None = Colour.BLUE) -> str:
        return f"{self.name} {colour.value if colour else 'none'}"

    @strawberry.field
    def tagged(self, tags: list[str]) -> str:
        return ",".join(tags)

    @strawberry.field
    def global_ref(self, node_id: strawberry.relay.GlobalID) -> str:
        return f"{node_id.type_name} {node_id.node_id}"

    @strawberry.field(extensions=allow(Role.ANALYST))
    def secret(self, info: strawberry.Info) -> str | None:
        return f"secret {self.name} {info.field_name}"

    @strawberry.field(extensions=allow(Role.ANALYST))
    async def secret_later(self, n: int = 2) -> str:
        await asyncio.sleep(0)
        return "s" * n

    @strawberry.field(extensions=[*allow(Role.ANALYST), Shout()])
    def loud_secret(self) -> str:
        return self.name

    # ``def f(self)`` behind a permission or none: read off the object by the executor once the role passes.
    @strawberry.field(extensions=allow(Role.ANALYST))
    def own_secret(self) -> str | None:
        return f"own {self.name}"

    @strawberry.field(extensions=allow(Role.ANALYST))
    def own_required(self) -> str:
        return self.name

    @strawberry.field(extensions=allow(Role.ANALYST))
    def own_broken(self) -> str | None:
        raise ValueError(f"no own value for {self.name}")

    @strawberry.field
    def own_count(self) -> int:
        return "many" if self.name == "b" else 3  # type: ignore[return-value]

    @strawberry.field
    def own_colour(self) -> Colour:
        return Colour.BLUE


@strawberry.type
class Fruit(strawberry.relay.Node):
    code: strawberry.relay.NodeID[str]


@strawberry.type
class Tree(strawberry.relay.Node):
    """A node with its own ``resolve_id``: strawberry's way stays."""

    code: strawberry.relay.NodeID[int]

    @classmethod
    def resolve_id(cls, root: Tree, *, info: strawberry.Info) -> str:
        return f"tree-{root.code}"


class RedFruit(Fruit):
    """Not a strawberry type of its own: answered as a Fruit through strawberry's way."""


@strawberry.type
class Query:
    @strawberry.field
    def items(self) -> list[Item]:
        return [Item(name="a"), Item(name="b")]

    @strawberry.field
    def fruits(self) -> list[Fruit]:
        return [Fruit(code="apple"), Fruit(code="中文 id"), RedFruit(code="cherry")]

    @strawberry.field
    def trees(self) -> list[Tree]:
        return [Tree(code=1), Tree(code=22)]


def _schema(direct: bool, fast: bool = False) -> strawberry.Schema:
    schema = strawberry.Schema(query=Query, execution_context_class=LeafFastExecutionContext if fast else None)
    if direct:
        use_direct_resolvers(schema)
    return schema


class _Context(dict[str, Any]):
    principal: Principal


def _run(direct: bool, query: str, role: Role = Role.ANALYST, fast: bool = False) -> dict[str, Any]:
    context = _Context(who="me")
    context.principal = Principal(role, "k1")
    result = run_apart(_schema(direct, fast).execute(query, context_value=context))
    return {"data": result.data, "errors": sorted((e.message, tuple(e.path or ())) for e in result.errors or [])}


@pytest.mark.parametrize(
    "query",
    [
        "{ items { withInfo plain byRoot byParent constant later } }",
        "{ items { name broken } }",
        "{ items { name nullInNonNull } }",
        "{ items { times(n: 3) loud } }",
        "{ a: items { w: withInfo } b: items { l: later } }",
        '{ items { joined a: joined(withText: null) b: joined(withText: "+", times: 2, upper: true) laterTimes(n: 2) } }',
        '{ items { coloured(colour: BLUE) tagged(tags: ["x", "y"]) } }',
        "{ items { coloured maybeColoured n: maybeColoured(colour: null) r: maybeColoured(colour: RED) } }",
        '{ items { globalRef(nodeId: "SXRlbTox") } }',
        "{ items { secret secretLater s: secretLater(n: 3) loudSecret } }",
        "{ fruits { id code } trees { id code } }",
    ],
)
@pytest.mark.parametrize("role", [Role.ANALYST, Role.VIEWER])
def test_direct_resolvers_answer_as_strawberry_does(query: str, role: Role) -> None:
    assert _run(True, query, role) == _run(False, query, role)


def test_a_nodes_id_is_encoded_directly_only_where_relay_would_encode_it_so() -> None:
    schema = _schema(True)
    resolve = schema._schema.type_map["Fruit"].fields["id"].resolve  # type: ignore[union-attr]
    assert getattr(resolve, "__name__", "") == "resolve_node_id"
    assert getattr(schema._schema.type_map["Tree"].fields["id"].resolve, "__name__", "") != "resolve_node_id"  # type: ignore[union-attr]
    ids = _run(True, "{ fruits { id } }")["data"]["fruits"]
    assert [strawberry.relay.GlobalID.from_id(f["id"]).node_id for f in ids] == ["apple", "中文 id", "cherry"]


def test_a_refused_field_is_refused_on_the_direct_path_too() -> None:
    answer = _run(True, "{ items { name secret } }", Role.VIEWER)
    assert answer["data"] == {"items": [{"name": "a", "secret": None}, {"name": "b", "secret": None}]}
    refusal = "field 'Item.secret' needs role admin, analyst; this API key has role viewer"
    assert answer["errors"] == [(refusal, ("items", 0, "secret")), (refusal, ("items", 1, "secret"))]


def test_the_wrapper_stays_on_fields_with_arguments_or_extensions() -> None:
    schema = _schema(True)
    fields = schema._schema.type_map["Item"].fields  # type: ignore[union-attr]
    direct = {name for name, field in fields.items() if field.resolve.__name__.startswith("resolve")}  # type: ignore[union-attr]
    assert direct == {
        "withInfo", "plain", "byRoot", "byParent", "constant", "later", "broken", "nullInNonNull",
        "times", "joined", "laterTimes", "secret", "secretLater", "coloured", "maybeColoured",
        "ownSecret", "ownRequired", "ownBroken", "ownCount", "ownColour",
    }  # fmt: skip
    assert fields["secretLater"].resolve.__name__ == "resolve_later"  # type: ignore[union-attr]
    # Another extension; a list or a global id argument (strawberry converts those).
    for kept in ("loud", "tagged", "globalRef", "loudSecret"):
        assert fields[kept].resolve.__name__ in ("_resolver", "_async_resolver"), kept  # type: ignore[union-attr]
    assert getattr(fields["name"].resolve, "_is_default", False)  # a plain leaf: graphql-core's short path's


def test_the_service_schema_gives_its_resolvers_direct_calls() -> None:
    from graph_service.api.schema import build_schema
    from graph_service.config import Settings

    schema = build_schema(Settings())
    pairing = schema._schema.type_map["Pairing"].fields  # type: ignore[union-attr]
    person = schema._schema.type_map["Person"].fields  # type: ignore[union-attr]
    assert pairing["unitOrganization"].resolve.__name__.startswith("resolve")  # type: ignore[union-attr]
    # Personal data: the permission is checked on the direct path (tests/integration for the roles' answers).
    assert person["phone"].resolve.__name__ == "resolve"  # type: ignore[union-attr]
    assert person["memberships"].resolve.__name__ == "resolve"  # type: ignore[union-attr]


def _fast_calls(query: str, role: Role, monkeypatch: pytest.MonkeyPatch) -> tuple[dict[str, Any], list[str]]:
    """The answer through ``LeafFastExecutionContext`` and direct resolvers, and the fields it called (``_call``)."""
    called: list[str] = []
    real = LeafFastExecutionContext._call

    def recorded(self: Any, call: Any, details: Any, parent_type: Any, *rest: Any) -> Any:
        called.append(f"{parent_type.name}.{call.nodes[0].name.value}")
        return real(self, call, details, parent_type, *rest)

    monkeypatch.setattr(LeafFastExecutionContext, "_call", recorded)
    return _run(True, query, role, fast=True), called


def test_the_executor_writes_a_nodes_id_without_calling_its_resolver(monkeypatch: pytest.MonkeyPatch) -> None:
    """``LeafFastExecutionContext`` writes a node's id from the step (``NodeId``), the same as the resolver and
    graphql-core write it; an object of a subclass (``RedFruit``) and a type with its own ``resolve_id`` still call
    the resolver."""
    query = "{ fruits { id } trees { id } }"
    expected = _run(False, query)
    answer, called = _fast_calls(query, Role.ANALYST, monkeypatch)
    assert answer == expected and expected["errors"] == [] and len(expected["data"]["fruits"]) == 3
    assert sorted(name for name in called if not name.startswith("Query.")) == ["Fruit.id", "Tree.id", "Tree.id"]


OWN = "{ items { name ownSecret ownBroken ownCount ownColour } }"


@pytest.mark.parametrize("query", [OWN, "{ items { ownRequired name } }"])
@pytest.mark.parametrize("role", [Role.ANALYST, Role.VIEWER, Role.ADMIN])
def test_the_executor_reads_a_def_self_field_off_its_object_once_the_role_passes(
    query: str, role: Role, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A ``def f(self)`` leaf answers as strawberry answers it, for a role its permission lets through and one it
    refuses (a refused non-null field nulls its parent); let through, it is read without a resolve info or a
    call through graphql-core, unless its value needs graphql-core's path (an error, a value that does not
    coerce)."""
    answer, called = _fast_calls(query, role, monkeypatch)
    assert answer == _run(False, query, role)
    own = sorted(name for name in called if name.startswith("Item."))
    if query != OWN:
        # Refused, every row asks the resolver, which reports it; let through, none does.
        assert ("Item.ownRequired" in own) == (role is Role.VIEWER) and set(own) <= {"Item.ownRequired"}
    elif role is Role.VIEWER:
        assert own == ["Item.ownBroken", "Item.ownBroken", "Item.ownCount", "Item.ownSecret", "Item.ownSecret"]
    else:
        # Read off the object, but for the error and the value that does not coerce (item "b"'s count).
        assert own == ["Item.ownBroken", "Item.ownBroken", "Item.ownCount"]
