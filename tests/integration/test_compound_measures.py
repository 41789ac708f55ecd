"""The city's compound measures, read once per write version and day and cut to each area (services.measures)."""

from __future__ import annotations

from datetime import date

from graph_service.services.bulk import bulk_insert
from graph_service.services.changes import ChangeService
from graph_service.services.coverage import compound_measures
from graph_service.services.measures import CompoundMeasures
from graph_service.store.embedded import LadybugStore
from graph_service.store.port import count_round_trips
from tests.integration.conftest import build_small_city

DAY = date(2025, 6, 30)
COMPOUND = "d1s1m1c1"


def test_kept_until_a_write_then_read_again_with_the_change(store: LadybugStore) -> None:
    bulk_insert(store, build_small_city().records)
    measures = CompoundMeasures(store)
    before = measures.under(COMPOUND, DAY)
    assert [row["id"] for row in before] == [COMPOUND] and before[0]["branches"] == 1

    with count_round_trips() as trips:
        assert measures.under("d1", DAY) == compound_measures(store, "d1", DAY)
    assert trips.count == 1, "the cut of a kept read costs the direct read only"
    with count_round_trips() as trips:
        measures.under("d1s1", DAY)
    assert trips.count == 0, "kept: no statement"

    ChangeService(store).end_node("key:test(editor)", "Organization", f"{COMPOUND}-br", date(2025, 1, 1))
    after = measures.under(COMPOUND, DAY)
    assert after[0]["branches"] == 0, "the write is seen"
    assert after == compound_measures(store, COMPOUND, DAY)


def test_each_day_is_its_own_read_and_an_unknown_area_has_no_compounds(store: LadybugStore) -> None:
    bulk_insert(store, build_small_city().records)
    measures = CompoundMeasures(store)
    assert measures.under("nowhere", DAY) == []
    city = measures.under(None, DAY)
    assert len(city) == len(measures.under("hz", DAY)) > 0
    long_ago = measures.under(None, date(1990, 1, 1))
    assert long_ago == compound_measures(store, None, date(1990, 1, 1))
    assert long_ago != city, "a day before anything was founded counts nothing live"
