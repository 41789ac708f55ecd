"""Service errors become user errors naming the input field in GraphQL spelling, never engine text."""

from __future__ import annotations

from graph_service.api.user_errors import from_exception
from graph_service.errors import ConflictError, Problem, StoreError, ValidationError
from graph_service.services.changes import ChangeConflictError, EntityNotFoundError


def test_problems_keep_field_and_value_in_camel_case() -> None:
    errors = from_exception(
        ValidationError(
            [Problem("end_date", "is before start_date", "2023-01-01"), Problem("capacity", "must be at least 0", -1)]
        )
    )
    assert [(e.field, e.message, e.value) for e in errors] == [
        ("endDate", "is before start_date", "2023-01-01"),
        ("capacity", "must be at least 0", "-1"),
    ]


def test_service_errors_carry_their_field() -> None:
    [error] = from_exception(EntityNotFoundError("parent_id", "nowhere", "no Area with id 'nowhere'"))
    assert (error.field, error.value) == ("parentId", "nowhere")
    [error] = from_exception(ChangeConflictError("start_date", "2024-01-01", "overlaps a live pairing"))
    assert (error.field, error.message) == ("startDate", "overlaps a live pairing")


def test_engine_errors_do_not_leak_their_text() -> None:
    engine_text = "Runtime exception: Found duplicated primary key value x, which violates the uniqueness constraint"
    [conflict] = from_exception(ConflictError(engine_text), field="input")
    [failure] = from_exception(StoreError("Binder exception: Cannot find property foo"), field="input")
    assert "Runtime" not in conflict.message and "nothing was written" in conflict.message
    assert "Binder" not in failure.message and failure.field == "input"
