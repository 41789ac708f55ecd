"""Every example operation answers over HTTP exactly as before when its selections are completed by the functions
written for them (``api.compiled_selection``): the same data, keys in the same order, and the same errors, for each
role, the caller whose guarded fields are refused included (their selections take the general path, which reports
the refusal)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from graph_service.api.execution import LeafFastExecutionContext
from tests.integration.test_api_examples import CHECKS, EXAMPLES, operations


def _settled(body: bytes) -> tuple[str, list[str]]:
    """The answer's data as written (keys in order), and its errors in order of their text: those at a root field
    and those below a root field that has a value. Below a root field that is null, whether an error is in is a
    race: graphql-core stops completing once a null has reached the root, so a sibling's error (the organisation's
    staff-only flags beside a refused ``people``) is in when its field finished first, with either path."""
    answer = json.loads(body)
    data = answer.get("data")
    kept = [
        json.dumps(error, sort_keys=True)
        for error in answer.get("errors", [])
        if len(error.get("path") or ()) <= 1 or (data or {}).get(error["path"][0]) is not None
    ]
    return json.dumps(data, ensure_ascii=False), sorted(kept)


@pytest.fixture(scope="module")
def uncached_server(start_server: Any, small_city: Any) -> Any:
    """A server without the response cache, which would answer the second request from the first's answer."""
    return start_server(records=small_city.records, max_page_size=100, default_page_size=20, response_cache_mb=0)


@pytest.mark.parametrize(("user", "operation"), operations())
@pytest.mark.parametrize("role", ["viewer", "integration", "admin"])
def test_written_selections_answer_as_the_general_path(
    uncached_server: Any, small_city: Any, monkeypatch: pytest.MonkeyPatch, user: str, operation: str, role: str
) -> None:
    variables_of, _ = CHECKS[(user, operation)]
    text = (EXAMPLES / f"{user}.graphql").read_text(encoding="utf-8")

    def answer(written: bool) -> tuple[str, list[str]]:
        monkeypatch.setattr(LeafFastExecutionContext, "writes_selections", written)
        response = uncached_server.gql(text, variables_of(small_city), role=role, operation_name=operation)
        assert response.status_code == 200, response.text
        return _settled(response.content)

    general = answer(False)
    # Twice: the first request writes the functions, the second finds them kept with the document.
    assert answer(True) == general
    assert answer(True) == general
    assert answer(False) == general
