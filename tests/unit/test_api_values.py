"""Values the API types build from stored rows: the shared ``Labeled`` of each code."""

from __future__ import annotations

import copy
import dataclasses
from datetime import date, timedelta

import pytest
import strawberry

from graph_service.api.common import DerivedField, Labeled, active_field, domain_id_field, labeled, labeled_list
from graph_service.domain import enums


def test_labeled_is_one_shared_value_per_member() -> None:
    first = labeled(enums.OrgKind, "compound_branch")
    assert first is not None
    assert (first.code, first.label) == (enums.OrgKind.COMPOUND_BRANCH, "小区(网格)党支部")
    assert labeled(enums.OrgKind, "compound_branch") is first
    assert labeled(enums.OrgKind, enums.OrgKind.COMPOUND_BRANCH) is first


def test_a_shared_labeled_cannot_be_changed_for_the_next_row() -> None:
    shared = labeled(enums.AreaLevel, "city")
    assert shared is not None
    with pytest.raises(dataclasses.FrozenInstanceError):
        shared.label = "village"
    with pytest.raises(dataclasses.FrozenInstanceError):
        shared.code = enums.AreaLevel.DISTRICT  # type: ignore[assignment]
    with pytest.raises(dataclasses.FrozenInstanceError):
        del shared.label
    again = labeled(enums.AreaLevel, "city")
    assert again is shared and (again.code, again.label) == (enums.AreaLevel.CITY, "市")


def test_codes_shared_by_two_enums_keep_their_own_labels() -> None:
    # OrgKind.UNIT and CompoundKind.UNIT are both "unit" and compare and hash alike.
    org, compound = labeled(enums.OrgKind, "unit"), labeled(enums.CompoundKind, "unit")
    assert org is not None and compound is not None
    assert (org.code, org.label) == (enums.OrgKind.UNIT, "驻区单位")
    assert (compound.code, compound.label) == (enums.CompoundKind.UNIT, "单位院落")
    staff = labeled_list(enums.FiveHave, ["staff", "venue"])
    assert [(item.code, item.label) for item in staff] == [
        (enums.FiveHave.STAFF, "有得力人员"),
        (enums.FiveHave.VENUE, "有明亮场所"),
    ]
    assert labeled(enums.Post, "staff") == Labeled(code=enums.Post.STAFF, label="工作人员")


def test_empty_codes_are_none_and_unknown_codes_name_the_allowed_ones() -> None:
    assert labeled(enums.UnitType, None) is None
    assert labeled(enums.UnitType, "") is None
    assert labeled_list(enums.FiveHave, None) == []
    with pytest.raises(ValueError, match="'bank' is not one of agency, state_enterprise"):
        labeled(enums.UnitType, "bank")
    with pytest.raises(ValueError, match=r"\['school'\] is not one of agency, state_enterprise"):
        labeled(enums.UnitType, ["school"])  # unhashable: the same error, not a TypeError


def test_an_end_in_hand_is_built_at_once_not_awaited() -> None:
    # The common case on a page of pairings: no coroutine, no task, just the object (the resolver returns it).
    from graph_service.api.common import end_node
    from graph_service.api.organizations.types import Organization

    built = end_node(None, "Organization", {"id": "o1", "name": "第一党支部", "kind": "compound_branch"}, Organization.from_row)  # type: ignore[arg-type]
    assert isinstance(built, Organization)
    assert (built.id, built.name, built.kind.code) == ("o1", "第一党支部", enums.OrgKind.COMPOUND_BRANCH)


@strawberry.type
class _Dated:
    id: int
    start_date: date | None
    end_date: date | None
    domain_id = domain_id_field("the id")
    active = active_field()


@strawberry.type
class _Query:
    @strawberry.field
    def dated(self) -> list[_Dated]:
        yesterday = date.today() - timedelta(days=1)
        return [_Dated(id=7, start_date=None, end_date=None), _Dated(id=8, start_date=None, end_date=yesterday)]


def test_derived_fields_are_computed_from_the_object_on_strawberry_s_attribute_path() -> None:
    schema = strawberry.Schema(query=_Query)
    result = schema.execute_sync("{ dated { domainId active } }")
    assert result.errors is None
    assert result.data == {"dated": [{"domainId": "7", "active": True}, {"domainId": "8", "active": False}]}
    assert "domainId: String!" in str(schema) and "active: Boolean!" in str(schema)
    fields = {f.python_name: f for f in _Dated.__strawberry_definition__.fields}  # type: ignore[attr-defined]
    derived = fields["domain_id"]
    assert isinstance(derived, DerivedField) and derived.is_basic_field and not derived.init
    twin = copy.copy(derived)
    assert twin.compute is derived.compute and not twin.init and not twin.compare
