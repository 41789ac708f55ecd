"""``from_value`` of the embedded store: LadybugDB's values as the port promises them (the contract tests run the
same through a real store; these pin each shape, including the ones passed through without a call)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

from graph_service.store.embedded import from_value


def test_nodes_and_relationships_become_property_dicts_with_label_or_type() -> None:
    node = {"_ID": {"offset": 3, "table": 1}, "_LABEL": "Organization", "id": "o1", "five_haves": ["venue"], "capacity": None}
    rel = {
        "_SRC": {"offset": 3, "table": 1},
        "_DST": {"offset": 4, "table": 1},
        "_ID": {"offset": 0, "table": 9},
        "_LABEL": "PAIRED_WITH",
        "id": "p1",
        "start_date": date(2020, 1, 2),
    }
    assert from_value(node) == {"id": "o1", "five_haves": ["venue"], "capacity": None, "_label": "Organization"}
    assert from_value(rel) == {"id": "p1", "start_date": date(2020, 1, 2), "_type": "PAIRED_WITH"}
    assert from_value([node, None]) == [from_value(node), None]
    assert from_value({"n": node, "k": 1}) == {"n": from_value(node), "k": 1}


def test_timestamps_with_a_zone_become_naive_utc_at_any_depth() -> None:
    beijing = datetime(2024, 6, 1, 8, 0, tzinfo=timezone(timedelta(hours=8)))
    naive_utc = datetime(2024, 6, 1, 0, 0)
    assert from_value(beijing) == naive_utc and from_value(beijing).tzinfo is None
    assert from_value([beijing]) == [naive_utc]
    assert from_value({"at": beijing}) == {"at": naive_utc}
    node = {"_ID": {"offset": 1, "table": 2}, "_LABEL": "Activity", "held_at": beijing}
    assert from_value(node) == {"held_at": naive_utc, "_label": "Activity"}
    assert from_value(datetime(2024, 6, 1, tzinfo=UTC)).tzinfo is None


def test_plain_values_are_the_same_objects() -> None:
    for value in ("文本", 7, 2.5, True, None, date(2024, 1, 1), datetime(2024, 1, 1, 9), timedelta(days=2)):
        assert from_value(value) is value
