"""Every example operation answers over HTTP exactly as before when its selections are completed by the functions
written for them (``api.compiled_selection``): the same JSON, byte for byte, for each role, the caller whose
guarded fields are refused included (their selections take the general path, which reports the refusal)."""

from __future__ import annotations

from typing import Any

import pytest

from graph_service.api.execution import LeafFastExecutionContext
from tests.integration.test_api_examples import CHECKS, EXAMPLES, operations


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

    def answer(written: bool) -> bytes:
        monkeypatch.setattr(LeafFastExecutionContext, "writes_selections", written)
        response = uncached_server.gql(text, variables_of(small_city), role=role, operation_name=operation)
        assert response.status_code == 200, response.text
        return bytes(response.content)

    general = answer(False)
    # Twice: the first request writes the functions, the second finds them kept with the document.
    assert answer(True) == general
    assert answer(True) == general
    assert answer(False) == general
