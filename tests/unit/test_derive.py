"""GraphQL result types derived from dataclasses (``api/derive.py``): a field added to a result appears in the
API, nested results convert through their own types, and a field with no GraphQL form is named, not guessed."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
import strawberry

from graph_service.analysis.weakness import OrganizationWeakness
from graph_service.api.analyses.schema import WeakOrganizationResult
from graph_service.api.derive import Shown, mirror, of


@dataclass(frozen=True)
class _Leaf:
    code: str
    share: float | None


@dataclass(frozen=True)
class _Tree:
    id: str
    leaves: tuple[_Leaf, ...]
    tags: frozenset[str]
    hidden: int

    @property
    def size(self) -> int:
        return len(self.leaves)


@mirror(_Leaf, description="a leaf")
class LeafResult:
    pass


@mirror(_Tree, description="a tree", ids=("id",), skip=("hidden",), shown={"size": Shown(int, int, after="id")})
class TreeResult:
    pass


@strawberry.type
class _Query:
    @strawberry.field
    def tree(self) -> TreeResult:
        return of(TreeResult, _Tree("t1", (_Leaf("a", 0.5), _Leaf("b", None)), frozenset({"x"}), 7))


def test_every_field_of_the_dataclass_is_in_the_type_in_its_order() -> None:
    sdl = str(strawberry.Schema(query=_Query))
    assert "type TreeResult {\n  id: ID!\n  size: Int!\n  leaves: [LeafResult!]!\n  tags: [String!]!\n}" in sdl
    assert "hidden" not in sdl


def test_a_result_converts_with_its_nested_results() -> None:
    result = strawberry.Schema(query=_Query).execute_sync("{ tree { id size tags leaves { code share } } }")
    assert result.errors is None
    assert result.data == {
        "tree": {"id": "t1", "size": 2, "tags": ["x"], "leaves": [{"code": "a", "share": 0.5}, {"code": "b", "share": None}]}
    }


def test_a_field_with_no_graphql_form_is_named() -> None:
    @dataclass(frozen=True)
    class Odd:
        mapping: dict[str, int]

    with pytest.raises(TypeError, match=r"Odd\.mapping"):

        @mirror(Odd, description="odd")
        class OddResult:
            pass


def test_the_weakness_result_has_every_field_of_the_analysis() -> None:
    shown = {f.python_name for f in WeakOrganizationResult.__strawberry_definition__.fields}
    assert set(OrganizationWeakness.__dataclass_fields__) <= shown
