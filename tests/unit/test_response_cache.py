"""The response cache's own rules (api/response_cache.py): keys, versions, what is kept and how much."""

from __future__ import annotations

from datetime import date

from graph_service.api.permissions import Principal, Role
from graph_service.api.response_cache import KeptResponse, ResponseCache

VIEWER = Principal(Role.VIEWER, "k1")
DAYS = (date(2025, 6, 30), date(2026, 12, 3))
QUERY = "{ areas { totalCount } }"


def kept(size: int) -> KeptResponse:
    return KeptResponse(b"x" * size, 200, "application/json")


def key(principal: Principal = VIEWER, variables: dict[str, object] | None = None, days: tuple[date, date] = DAYS) -> bytes:
    found = ResponseCache.key(principal, "application/json", QUERY, None, variables, days)
    assert found is not None
    return found


def test_a_key_changes_with_each_thing_an_answer_depends_on() -> None:
    base = key()
    assert key() == base and key(variables={}) == base
    assert key(principal=Principal(Role.ANALYST, "k1")) != base
    assert key(principal=Principal(Role.VIEWER, "k2")) != base
    assert key(variables={"level": "CITY"}) != base
    assert key(days=(DAYS[0], date(2026, 12, 4))) != base
    assert ResponseCache.key(VIEWER, "application/json", '{ a(x: "\ud800") }', None, None, DAYS) is None


def test_a_new_write_version_forgets_every_answer() -> None:
    cache = ResponseCache(1 << 20)
    cache.put(1, key(), QUERY, None, kept(10))
    assert cache.get(1, key()) == kept(10)
    assert cache.get(2, key()) is None
    assert cache.get(1, key()) is None, "an older version's answers are gone too"


def test_only_queries_are_kept() -> None:
    cache = ResponseCache(1 << 20)
    mutation = 'mutation { endArea(input: {id: "a", endDate: "2025-01-01"}) { area { name } } }'
    cache.put(1, b"m", mutation, None, kept(10))
    cache.put(1, b"named", "query A { a } mutation B { b }", "B", kept(10))
    cache.put(1, b"q", "query A { a } mutation B { b }", "A", kept(10))
    assert cache.get(1, b"m") is None and cache.get(1, b"named") is None and cache.get(1, b"q") is not None


def test_bodies_beyond_the_budget_push_out_the_least_recently_used() -> None:
    cache = ResponseCache(1000)
    cache.put(1, b"a", QUERY, None, kept(240))
    cache.put(1, b"b", QUERY, None, kept(240))
    cache.put(1, b"c", QUERY, None, kept(240))
    assert cache.get(1, b"a") is not None  # now the most recently used
    cache.put(1, b"d", QUERY, None, kept(240))
    cache.put(1, b"e", QUERY, None, kept(240))
    assert cache.get(1, b"b") is None and cache.get(1, b"a") is not None
    assert cache.stats()["bytes"] <= 1000
    cache.put(1, b"big", QUERY, None, kept(251))
    assert cache.get(1, b"big") is None, "one answer may take at most a quarter of the budget"
