"""Loading ahead (``ahead.load_ahead``, following the client's selection) and answering from what a loader holds
(``common.held``, ``common.linked_node_soon``), with strawberry's own dataloader and schema."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
import strawberry
from strawberry.dataloader import DataLoader

from graph_service.api import ahead as ahead_module
from graph_service.api.ahead import (
    LIST_ROWS,
    hold_fetched,
    load_ahead,
    loads_ahead,
    loads_linked,
    prefetch,
    prefetched,
    with_rows_ahead,
)
from graph_service.api.common import from_loader, held, link_loader, linked_node_soon
from graph_service.api.loaders import BatchLoader, Loaders, far_label
from graph_service.services.brief_calls import BriefCalls
from graphql import parse
from tests.run_apart import run_apart

#: Every batch in a worker thread, as before reads could run on the event loop's.
IN_WORKERS = BriefCalls(0, lambda: False)


def _loader(calls: list[list[str]], fail: bool = False) -> DataLoader[str, list[Any]]:
    async def load(keys: list[str]) -> list[list[Any]]:
        calls.append(list(keys))
        if fail:
            raise RuntimeError("the store is away")
        return [[] if key == "none" else [({"id": f"r-{key}"}, {"id": f"area-{key}"})] for key in keys]

    return DataLoader(load_fn=load)


def _info(loader: DataLoader[str, list[Any]]) -> Any:
    # A field with no selection below it: its link loader reads whole rows.
    raw = SimpleNamespace(field_nodes=[], return_type=None, fragments={})
    return SimpleNamespace(context=SimpleNamespace(loaders=SimpleNamespace(linked=lambda *_, **__: loader)), _raw_info=raw)


def test_a_node_held_is_answered_at_once_and_one_not_held_is_awaited() -> None:
    async def run() -> None:
        calls: list[list[str]] = []
        loader = _loader(calls)
        info = _info(loader)
        first = linked_node_soon(info, "LEADS", "Organization", "Area", "a", dict)
        assert inspect.isawaitable(first)
        assert await first == {"id": "area-a"}
        assert linked_node_soon(info, "LEADS", "Organization", "Area", "a", dict) == {"id": "area-a"}
        await loader.load_many(["b", "none"])
        assert linked_node_soon(info, "LEADS", "Organization", "Area", "b", dict) == {"id": "area-b"}
        assert linked_node_soon(info, "LEADS", "Organization", "Area", "none", dict) is None
        assert calls == [["a"], ["b", "none"]]

    run_apart(run())


def test_a_failed_load_is_not_held_and_its_error_reaches_the_row() -> None:
    async def run() -> None:
        calls: list[list[str]] = []
        loader = _loader(calls, fail=True)
        with pytest.raises(RuntimeError):
            await loader.load("a")
        assert held(loader, "a") is None
        later = linked_node_soon(_info(loader), "LEADS", "Organization", "Area", "a", dict)
        assert inspect.isawaitable(later)
        with pytest.raises(RuntimeError, match="the store is away"):
            await later

    run_apart(run())


SEEN: list[tuple[bool, bool]] = []


@strawberry.type
class Leaf:
    name: str = "x"

    @strawberry.field
    def inner(self) -> Leaf:
        return Leaf()


class Named:
    """A row whose ``name`` loads ahead."""

    id = "k"


class Nested:
    """A row whose ``inner`` loads ahead."""

    id = "k"


# Each ask gets a loader of its own (``info.context.loaders`` is a factory here), so that none finds the key held.
loads_ahead(Named, "name", lambda new_loader: new_loader())
loads_ahead(Nested, "inner", lambda new_loader: new_loader())


async def _asks(info: strawberry.Info, rows: list[Any], where: Any) -> bool:
    """Whether ``load_ahead`` loads anything for ``rows`` found at ``where`` below the current field."""
    pending = load_ahead(info, rows, where)
    if pending is not None:
        await pending
    return pending is not None


@strawberry.type
class Query:
    @strawberry.field
    async def top(self, info: strawberry.Info) -> Leaf:
        below_inner = await _asks(info, [Named()], [("inner",)])  # reaches inner { name }
        name_or_inner_inner = await _asks(info, [Named()], LIST_ROWS) or await _asks(info, [Nested()], [("inner",)])
        SEEN.append((below_inner, name_or_inner_inner))
        return Leaf()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("{ top { inner { name } } }", (True, False)),
        ("{ top { name } }", (False, True)),
        ("{ top { i: inner { n: name } } }", (True, False)),
        ("{ top { ...F } } fragment F on Leaf { inner { name } }", (True, False)),
        ("{ top { ... on Leaf { inner { ... on Leaf { inner { name } } } } } }", (False, True)),
    ],
)
@pytest.mark.parametrize("kept", [False, True])
def test_the_selection_is_followed_through_aliases_and_fragments(query: str, expected: tuple[bool, bool], kept: bool) -> None:
    SEEN.clear()
    memo: dict[Any, Any] | None = {} if kept else None
    context = SimpleNamespace(loaders=lambda: _loader([]), selection_memo=memo)
    result = run_apart(strawberry.Schema(query=Query).execute(query, context_value=context))
    assert result.errors is None, result.errors
    assert [expected] == SEEN
    if memo is not None:  # what each ask found is kept for the request's later asks
        assert memo and all(isinstance(found, list) for found in memo.values())


def _selecting(loader: DataLoader[str, list[Any]], *names: str) -> Any:
    """An ``info`` whose field selects ``names`` of a list's rows (what ``load_ahead`` reads of it)."""
    [operation] = parse("{ rows { " + " ".join(names) + " } }").definitions
    [field] = operation.selection_set.selections  # type: ignore[attr-defined]
    raw = SimpleNamespace(field_nodes=[field], fragments={})
    return SimpleNamespace(_raw_info=raw, context=SimpleNamespace(loaders=loader))


class Row:
    def __init__(self, key: str) -> None:
        self.id = key


loads_ahead(Row, "community", lambda loader: loader)


def test_load_ahead_loads_only_what_is_selected_and_not_yet_held() -> None:
    async def run() -> None:
        calls: list[list[str]] = []
        loader = _loader(calls)
        rows = [Row("a"), Row("a"), Row("b")]
        assert load_ahead(_selecting(loader, "name"), rows, LIST_ROWS) is None
        assert load_ahead(_selecting(loader, "name"), [], LIST_ROWS) is None
        pending = load_ahead(_selecting(loader, "name", "community"), rows, LIST_ROWS)
        assert pending is not None
        await pending
        assert calls == [["a", "b"]]
        assert held(loader, "b") == ([({"id": "r-b"}, {"id": "area-b"})],)
        # Everything held: nothing to wait for, and the value comes back as it is.
        assert with_rows_ahead(_selecting(loader, "community"), "page", rows, LIST_ROWS) == "page"
        later = with_rows_ahead(_selecting(loader, "community"), "page", [Row("c")], LIST_ROWS)
        assert inspect.isawaitable(later)
        assert await later == "page"
        assert calls[-1] == ["c"]

    run_apart(run())


def test_a_failed_load_ahead_is_left_to_the_rows() -> None:
    async def run() -> None:
        calls: list[list[str]] = []
        failing = _loader(calls, fail=True)
        pending = load_ahead(_selecting(failing, "community"), [Row("c")], LIST_ROWS)
        assert pending is not None
        await pending  # no exception here
        assert calls == [["c"]]
        assert held(failing, "c") is None
        with pytest.raises(RuntimeError, match="the store is away"):
            await failing.load("c")

    run_apart(run())


def test_a_link_read_either_way_shares_the_loader_of_its_direction() -> None:
    # The fields (common.link_loader) and the loads ahead of them (ahead.loads_linked) both go through
    # Loaders.linked and far_label, so the two cannot pick different loaders or cut the wrong end's columns.
    loaders = Loaders(graph=None, brief=IN_WORKERS)  # type: ignore[arg-type]  # no load runs: only which loader is picked
    names = (("Area", ("id", "name")),)
    assert loaders.linked("PART_OF", "Area", "Area", incoming=True, columns=names) is loaders.into(
        "PART_OF", "Area", "Area", names
    )
    assert loaders.linked("LEADS", "Organization", "Area", columns=names) is loaders.out("LEADS", "Organization", "Area", names)
    assert loaders.linked("LEADS", "Organization", "Area") is not loaders.into("LEADS", "Organization", "Area")
    assert far_label("Person", "Organization", incoming=True) == "Person"
    assert far_label("Person", "Organization") == "Organization"


# --- reading a list and its rows' loads in one worker call (``ahead.prefetch``) -----------------------------------------

FETCHES: list[list[str]] = []
HELD: list[list[bool]] = []  # per list, which rows' loads were held once the worker call was back


def _fetch(keys: list[str]) -> dict[str, str]:
    FETCHES.append(list(keys))
    if "broken" in keys:
        raise RuntimeError("the store is away")
    return {key: f"extra-{key}" for key in keys if key != "none"}


@strawberry.type
class Item:
    id: str

    @strawberry.field
    def extra(self, info: strawberry.Info) -> str | None:
        return from_loader(info.context.loaders.batch, self.id, str)  # type: ignore[return-value]


loads_ahead(Item, "extra", lambda loaders: loaders.batch)


async def _listed(info: strawberry.Info, make: Callable[[], list[Any]]) -> list[Any]:
    """What a list's resolver does (``reading.connection``): rows and their loads in one worker call, handed to
    the loaders on the loop."""
    plan = prefetch(info, LIST_ROWS)

    def read() -> tuple[list[Any], Any]:
        rows = make()
        return rows, prefetched(plan, rows)

    rows, fetched = await asyncio.to_thread(read)
    hold_fetched(fetched)
    return rows


async def _ahead(info: strawberry.Info, rows: list[Any]) -> None:
    # After a prefetch nothing is left to fetch (a failed load is awaited as it stands: its rows report it).
    pending = load_ahead(info, rows, LIST_ROWS)
    if pending is not None:
        await pending


@strawberry.type
class ListQuery:
    @strawberry.field
    async def items(self, info: strawberry.Info, keys: list[str]) -> list[Item]:
        rows = await _listed(info, lambda: [Item(id=k) for k in keys])
        HELD.append([held(info.context.loaders.batch, row.id) is not None for row in rows])
        await _ahead(info, rows)
        return rows

    @strawberry.field
    def planned(self, info: strawberry.Info) -> list[Item]:
        plan = prefetch(info, LIST_ROWS)
        assert plan is not None and plan.row_type is Item
        # Rows of another type than the field's: nothing fetched, the rows load as before.
        assert prefetched(plan, [Row("a")]) == []
        return []


def _ask_items(query: str) -> Any:
    FETCHES.clear()
    HELD.clear()
    context = SimpleNamespace(
        loaders=SimpleNamespace(batch=BatchLoader(_fetch, "missing", IN_WORKERS, ("batch",))), selection_memo={}
    )
    return run_apart(strawberry.Schema(query=ListQuery).execute(query, context_value=context))


def test_a_lists_rows_loads_run_in_the_worker_call_that_read_it() -> None:
    result = _ask_items('{ items(keys: ["a", "b", "a", "none"]) { id extra } }')
    assert result.errors is None, result.errors
    assert [row["extra"] for row in result.data["items"]] == ["extra-a", "extra-b", "extra-a", "missing"]
    assert FETCHES == [["a", "b", "none"]] and HELD == [[True] * 4]
    # Not selected: not fetched.
    result = _ask_items('{ items(keys: ["a"]) { id } }')
    assert result.errors is None and FETCHES == [] and HELD == [[False]]


def test_a_failed_prefetch_is_reported_by_each_row_without_running_again() -> None:
    result = _ask_items('{ items(keys: ["a", "broken"]) { id extra } }')
    assert result.data == {"items": [{"id": "a", "extra": None}, {"id": "broken", "extra": None}]}
    assert result.errors and all("the store is away" in e.message for e in result.errors)
    assert {tuple(e.path) for e in result.errors} == {("items", 0, "extra"), ("items", 1, "extra")}
    assert FETCHES == [["a", "broken"]]


def test_a_prefetch_knows_its_rows_type_from_the_field() -> None:
    result = _ask_items("{ planned { extra } }")
    assert result.errors is None, result.errors
    assert FETCHES == []


def test_what_a_loader_holds_is_not_replaced() -> None:
    async def run() -> None:
        loader = BatchLoader(_fetch, "missing", IN_WORKERS, ("batch",))
        assert await loader.load("a") == "extra-a"
        loader.hold(["a", "b"], {"a": "other", "b": "extra-b"})
        loader.hold(["a", "c"], RuntimeError("late"))
        assert held(loader, "a") == ("extra-a",) and held(loader, "b") == ("extra-b",)
        with pytest.raises(RuntimeError, match="late"):
            await loader.load("c")
        assert FETCHES == [["a"]]

    FETCHES.clear()
    run_apart(run())


# --- the rows a prefetch links to, and their own loads, in the same worker call ----------------------------------------

KIDS = {"p1": ["k1", "k2"], "p2": ["k2", "k3"]}
BATCHES: list[str] = []  # which loaders sent a batch from the event loop (what a prefetch spares)


def _kids(rel: str, source: str, target: str, ids: list[str], columns: Any) -> dict[str, list[Any]]:
    FETCHES.append(["kids", *ids])
    return {key: [({"id": f"{key}-{kid}"}, {"id": kid}) for kid in KIDS.get(key, [])] for key in ids}


@strawberry.type
class Parent:
    id: str

    @strawberry.field
    def kids(self, info: strawberry.Info) -> list[Item]:
        def listed(pairs: list[Any]) -> Any:
            rows = [Item(id=node["id"]) for _, node in pairs]
            return with_rows_ahead(info, rows, rows, LIST_ROWS)

        return from_loader(link_loader(info, "HAS", "Parent", "Item"), self.id, listed)  # type: ignore[return-value]


loads_linked(Parent, "kids", "HAS", "Parent", "Item")


@strawberry.type
class ParentQuery:
    @strawberry.field
    async def parents(self, info: strawberry.Info, keys: list[str]) -> list[Parent]:
        rows = await _listed(info, lambda: [Parent(id=k) for k in keys])
        await _ahead(info, rows)
        return rows


class _CountedBatches(BriefCalls):
    async def run(self, site: Any, call: Any, *args: Any) -> Any:
        BATCHES.append("batch")
        return await super().run(site, call, *args)


def _ask_parents(query: str) -> Any:
    FETCHES.clear()
    BATCHES.clear()
    graph = SimpleNamespace(outgoing=_kids)
    request_loaders = Loaders(graph, _CountedBatches(0, lambda: False))  # type: ignore[arg-type]
    request_loaders.batch = BatchLoader(_fetch, "missing", request_loaders.brief, ("batch",))  # type: ignore[attr-defined]
    context = SimpleNamespace(loaders=request_loaders, selection_memo={})
    return run_apart(strawberry.Schema(query=ParentQuery).execute(query, context_value=context))


def test_the_rows_a_prefetch_links_to_load_theirs_in_the_same_worker_call() -> None:
    result = _ask_parents('{ parents(keys: ["p1", "p2"]) { id kids { id extra } } }')
    assert result.errors is None, result.errors
    assert result.data == {
        "parents": [
            {"id": "p1", "kids": [{"id": "k1", "extra": "extra-k1"}, {"id": "k2", "extra": "extra-k2"}]},
            {"id": "p2", "kids": [{"id": "k2", "extra": "extra-k2"}, {"id": "k3", "extra": "extra-k3"}]},
        ]
    }
    # One statement a level, the kids' own once each; none left to the event loop.
    assert FETCHES == [["kids", "p1", "p2"], ["k1", "k2", "k3"]]
    assert BATCHES == []


def test_a_failed_load_below_is_reported_by_each_row_that_reads_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(KIDS, "p2", ["broken"])
    result = _ask_parents('{ parents(keys: ["p1", "p2"]) { kids { id extra } } }')
    assert result.data == {
        "parents": [
            {"kids": [{"id": "k1", "extra": None}, {"id": "k2", "extra": None}]},
            {"kids": [{"id": "broken", "extra": None}]},
        ]
    }
    assert result.errors and all("the store is away" in e.message for e in result.errors)
    assert {tuple(e.path) for e in result.errors} == {
        ("parents", 0, "kids", 0, "extra"),
        ("parents", 0, "kids", 1, "extra"),
        ("parents", 1, "kids", 0, "extra"),
    }
    assert FETCHES == [["kids", "p1", "p2"], ["k1", "k2", "broken"]] and BATCHES == []


def test_past_the_most_rows_below_a_prefetch_leaves_them_to_the_loop(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ahead_module, "PREFETCH_BELOW_MAX", 2)
    result = _ask_parents('{ parents(keys: ["p1", "p2"]) { kids { extra } } }')
    assert result.errors is None, result.errors
    assert [[kid["extra"] for kid in parent["kids"]] for parent in result.data["parents"]] == [
        ["extra-k1", "extra-k2"],
        ["extra-k2", "extra-k3"],
    ]
    # Three kids: more than two, so loaded from the loop, still in one batch.
    assert FETCHES == [["kids", "p1", "p2"], ["k1", "k2", "k3"]] and BATCHES == ["batch"]


def test_a_prefetch_follows_no_more_levels_than_it_may(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ahead_module, "PREFETCH_LEVELS", 1)
    result = _ask_parents('{ parents(keys: ["p1"]) { kids { extra } } }')
    assert result.errors is None, result.errors
    assert FETCHES == [["kids", "p1"], ["k1", "k2"]] and BATCHES == ["batch"]
