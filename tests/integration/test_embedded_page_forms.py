"""The embedded store's listings filtered by key: ``areas_page`` and ``organizations_page`` have a form that reads
only the ids of every row before it filters (``ladybug_<name>_by_key``); both forms give the same page for every
filter, offset and set of columns, and the store keeps, per filter and values, the one that ran faster."""

from __future__ import annotations

import pytest

from graph_service.store import embedded, form_choice
from graph_service.store.embedded import LadybugStore
from graph_service.store.queries import Filter, Query

#: Per listing, filters with their parameters: keeping one row, a few, many, or all.
CASES: list[tuple[str, tuple[Filter, ...], dict[str, object]]] = [
    ("areas_page", (Filter("area_at_level"), Filter("area_not_abolished")), {"level": "city"}),
    ("areas_page", (Filter("area_at_level"),), {"level": "district"}),
    ("areas_page", (Filter("area_at_level"),), {"level": "compound"}),
    ("areas_page", (Filter("area_at_level"), Filter("area_not_abolished", negate=True)), {"level": "building"}),
    ("areas_page", (), {}),
    ("organizations_page", (Filter("org_of_kind"),), {"kind": "community_committee"}),
    ("organizations_page", (Filter("org_of_kind"), Filter("org_not_dissolved")), {"kind": "unit_party_org"}),
    ("organizations_page", (Filter("org_of_kind"),), {"kind": "no_such_kind"}),
    ("organizations_page", (), {}),
]
COLUMNS = [(), (("Area", ("id", "name")), ("Organization", ("id", "kind", "name")))]


@pytest.fixture(scope="module")
def store(small_city_store: LadybugStore) -> LadybugStore:
    return small_city_store


@pytest.mark.parametrize(("name", "filters", "values"), CASES)
@pytest.mark.parametrize("columns", COLUMNS)
def test_both_forms_give_the_same_page(
    store: LadybugStore, name: str, filters: tuple[Filter, ...], values: dict[str, object], columns: embedded.Columns
) -> None:
    listing = Query(name, filters, columns=columns)
    by_key = Query(f"ladybug_{name}_by_key", filters, columns=columns)
    whole = store._read_one(listing, {**values, "offset": 0, "limit": 10_000}, {})
    assert whole == store.read(by_key, {**values, "offset": 0, "limit": 10_000})
    for offset, limit in ((0, 1), (1, 3), (5, 7), (len(whole), 2)):
        params = {**values, "offset": offset, "limit": limit}
        page = store._read_one(listing, params, {})
        assert page == whole[offset : offset + limit]
        assert store.read(by_key, params) == page


def test_each_filter_and_its_values_keep_the_faster_form(store: LadybugStore) -> None:
    store._pages.forget()
    city = Query("areas_page", (Filter("area_at_level"),))
    ran: list[str] = []
    original = store._read_one

    def recording(query: object, params: object, names: dict[str, object]) -> object:
        ran.append(query.name if isinstance(query, Query) else str(query))
        return original(query, params, names)  # type: ignore[arg-type]

    store._read_one = recording  # type: ignore[method-assign]
    try:
        pages = [store.read(city, {"level": "city", "offset": n % 2, "limit": 5}) for n in range(2 * form_choice.TRIALS + 3)]
        store.read(city, {"level": "district", "offset": 0, "limit": 5})
    finally:
        del store._read_one
    # Each form ran TRIALS times for the city, the faster was kept, and the districts are a shape of their own.
    assert ran[: 2 * form_choice.TRIALS].count("areas_page") == form_choice.TRIALS
    assert len(set(ran[2 * form_choice.TRIALS : -1])) == 1
    chosen = store._pages.chosen()
    assert len(chosen) == 1 and next(iter(chosen.values())) == ran[-2]
    assert ran[-1] in {"areas_page", "ladybug_areas_page_by_key"} and len(store._pages) == 2
    assert all(page == pages[n % 2] for n, page in enumerate(pages))


def test_the_shapes_kept_are_bounded(store: LadybugStore, monkeypatch: pytest.MonkeyPatch) -> None:
    store._pages.forget()
    monkeypatch.setattr(embedded, "PAGE_SHAPES_MAX", 3)
    query = Query("organizations_page", (Filter("org_of_kind"),))
    for kind in ("a", "b", "c", "d", "e"):
        store.read(query, {"kind": kind, "offset": 0, "limit": 5})
        assert len(store._pages) <= 4
