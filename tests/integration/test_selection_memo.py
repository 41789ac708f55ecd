"""What resolvers work out from a document's selections (which columns a page reads, what a list's rows load ahead)
is kept with the document in the document cache (``CheckedDocument.selection_memo``) and shared by every request
that sends the same text: over real HTTP, a document sent again by another role with other variables answers as a
text never seen before does, and its selections are not worked out again."""

from __future__ import annotations

from typing import Any

import pytest

from graph_service.api import columns

DOCUMENT = """
query Q($first: Int!, $level: AreaLevel) {
  areas(level: $level, first: $first) { edges { node { ...Place } } }
  people(first: $first, filter: {currentPostsOnly: false}) {
    edges { node { domainId name phone memberships { organization { name kind { code } } } } }
  }
}
fragment Place on Area {
  domainId name parent { name }
  children(first: 5) { edges { node { domainId name ledBy { name kind { label } } } } }
}
"""

REQUESTS: list[tuple[str, dict[str, Any]]] = [
    ("admin", {"first": 5, "level": "DISTRICT"}),
    ("viewer", {"first": 3, "level": "STREET"}),
    ("admin", {"first": 7, "level": None}),
    ("viewer", {"first": 5, "level": "DISTRICT"}),
]


def test_a_document_sent_again_answers_as_a_new_one_and_is_not_worked_out_again(
    live_server: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    worked_out: list[str] = []
    below = columns.columns_below

    def counted(*args: Any) -> Any:
        worked_out.append("columns")
        return below(*args)

    monkeypatch.setattr(columns, "columns_below", counted)
    first = live_server.gql(DOCUMENT, REQUESTS[0][1], role=REQUESTS[0][0]).json()
    assert "errors" not in first, first
    assert worked_out, "the page's columns were worked out from the selection"
    worked_out.clear()
    for n, (role, variables) in enumerate(REQUESTS):
        shared = live_server.gql(DOCUMENT, variables, role=role).json()
        # A text of its own (trailing blanks: the errors' locations stay the same).
        fresh = live_server.gql(DOCUMENT + " " * (n + 1), variables, role=role).json()
        assert shared == fresh, (role, variables)
        assert ("errors" in shared) == (role == "viewer"), shared  # the viewer may not read names and phones
    assert len(worked_out) >= len(REQUESTS)  # for each fresh text
    worked_out.clear()
    live_server.gql(DOCUMENT, REQUESTS[1][1], role=REQUESTS[1][0])
    assert worked_out == []  # the document's own, kept from its first request
