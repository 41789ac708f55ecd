"""The application layer's reads and writes on every store adapter: embedded always, Neo4j when NEO4J_URI is set.

Every listing runs with each of its filters, and the change service, audit trail, keys, coverage figures,
analyses, exports and imports run too, each checked against answers derived from the small city's records. The
last test checks that the module made every production query and fragment run, so a query no test reaches
on Neo4j cannot hide.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from graph_service.analysis.projection import build_graph, read_tables
from graph_service.bootstrap import Services, bootstrap
from graph_service.config import Settings
from graph_service.domain.enums import (
    ActivityKind,
    AreaLevel,
    CompoundKind,
    Employment,
    NodeLabel,
    OrgKind,
    Post,
    PropertyMode,
    UnitType,
)
from graph_service.domain.gaps import GAP_RULES, Measure
from graph_service.domain.naming import natural_key
from graph_service.domain.records import NodeRecord, Record, RelRecord, to_json_line
from graph_service.domain.schema import NODES
from graph_service.domain.standards import CoverageGap
from graph_service.errors import InputError
from graph_service.services.activities import ActivityFilter
from graph_service.services.areas import AreaFilter, CompoundFilter, CompoundOrder, CompoundOrderField
from graph_service.services.bulk import bulk_insert
from graph_service.services.coverage import compound_measures, coverage_figures
from graph_service.services.measures import read_measure_columns, read_measures_of
from graph_service.services.ndjson_export import export_records
from graph_service.services.ndjson_import import import_lines
from graph_service.services.organizations import OrganizationFilter
from graph_service.services.paging import Page, Window
from graph_service.services.people import PersonFilter
from graph_service.services.reading import all_listing_filters
from graph_service.services.relations import PairingFilter, RegistrationFilter
from graph_service.services.upgrades import upgrade_store
from graph_service.store.embedded import LadybugStore
from graph_service.store.port import Store
from graph_service.store.queries import QueryCatalog, QueryRef
from tests.conftest import STORE_KINDS, neo4j_test_store
from tests.integration.conftest import build_small_city

ALL = Window(0, 500)
TODAY = date.today()
CITY = build_small_city()
RAN: dict[str, set[str]] = {}


def ids(page: Page[Any]) -> list[str]:
    return sorted(item["id"] for item in page.items)


@pytest.fixture(scope="module", params=STORE_KINDS)
def services(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Services]:
    """The services over a store holding the small city; the queries they run are recorded per adapter."""
    directory = tmp_path_factory.mktemp("application")
    store: Store = LadybugStore(directory / "graph.lbdb") if request.param == "embedded" else neo4j_test_store()
    store.ensure_schema()
    bulk_insert(store, CITY.records)
    recorded(store)
    settings = Settings(data_dir=directory, api_keys="viewer:a-viewer-key-for-the-contract-suite")
    with bootstrap(settings, store) as built:
        yield built
    store.close()


def recorded(store: Store) -> Store:
    """``store``, noting in ``RAN`` the name (and filters) of every query it runs from now on."""
    ran = RAN.setdefault(store.dialect, set())
    original = store.catalog.text

    def recording(query: QueryRef, **names: object) -> str:
        ran.add(query if isinstance(query, str) else query.name)
        if not isinstance(query, str):
            ran.update(f"fragment:{f.fragment}" for f in query.filters)
        return original(query, **names)

    store.catalog.text = recording  # type: ignore[method-assign]
    return store


# --- the readers -----------------------------------------------------------------------------------------------


def test_graph_reads_by_id(services: Services) -> None:
    graph = services.graph
    assert set(graph.nodes(NodeLabel.AREA.value, ["hz", "d1", "missing"])) == {"hz", "d1"}
    children = graph.incoming("PART_OF", "Area", "Area", ["d1"])["d1"]
    assert sorted(node["id"] for _, node in children) == sorted(CITY.under("d1", "street"))
    parent = graph.outgoing("PART_OF", "Area", "Area", ["d1s1"])["d1s1"]
    assert [node["id"] for _, node in parent] == ["d1"]
    assert [a["id"] for a in graph.ancestors("PART_OF", "Area", ["d1s1m1c1"])["d1s1m1c1"]] == ["d1s1m1", "d1s1", "d1", "hz"]
    pairing = next(r for r in CITY.rels("PAIRED_WITH"))
    rel, source, target = graph.links("PAIRED_WITH", "Organization", "Organization", [pairing.id])[pairing.id]
    assert (rel["id"], source["id"], target["id"]) == (pairing.id, pairing.from_id, pairing.to_id)


def test_graph_reads_of_a_large_batch_equal_those_key_by_key(services: Services) -> None:
    """A batch larger than an adapter runs key by key (LadybugDB: store.embedded.KEYED_UNION_MAX) gives each key
    what asking for it alone gives: the two forms of each read agree."""
    graph = services.graph
    areas = sorted(n.id for n in CITY.nodes("Area"))
    assert len(areas) > 64
    reads = {
        "incoming": lambda ids: graph.incoming("PART_OF", "Area", "Area", ids),
        "outgoing": lambda ids: graph.outgoing("PART_OF", "Area", "Area", ids),
        "ancestors": lambda ids: graph.ancestors("PART_OF", "Area", ids),
    }
    for name, read in reads.items():
        batch = read([*areas, "missing"])
        one_by_one = {key: found[key] for key in areas if key in (found := read([key]))}
        assert batch == one_by_one, name
        assert read(areas[:5]) == {key: one_by_one[key] for key in areas[:5] if key in one_by_one}, name
        assert batch, name
    assert set(graph.outgoing("PART_OF", "Area", "Area", areas)) == set(areas) - {"hz"}  # every area but the city
    building = max(areas, key=len)
    assert [a["id"] for a in graph.ancestors("PART_OF", "Area", areas)[building]][-1] == "hz"


def test_areas_by_level_parent_and_name(services: Services) -> None:
    areas = services.areas
    streets = areas.areas(AreaFilter(level=AreaLevel.STREET), ALL)
    assert ids(streets) == sorted(n.id for n in CITY.nodes("Area", level="street"))
    assert streets.total() == len(streets.items)
    under = areas.areas(AreaFilter(parent_id="d1"), ALL)
    assert ids(under) == sorted(CITY.under("d1", "street")) and under.total() == len(under.items)
    named = areas.areas(AreaFilter(name_contains="幸福01"), ALL)
    assert ids(named) and all("幸福01" in a["name"] for a in named.items)
    assert areas.areas(AreaFilter(level=AreaLevel.DISTRICT, include_abolished=True), ALL).total() == 2


def _compounds(services: Services, **filters: Any) -> list[str]:
    page = services.areas.compounds(CompoundFilter(**filters), CompoundOrder(), ALL, as_of=TODAY)
    assert page.total() == len(page.items)
    return ids(page)


def test_compounds_by_area_kind_mode_and_name(services: Services) -> None:
    in_d1 = sorted(CITY.under("d1", "compound"))
    assert _compounds(services, district_id="d1") == in_d1
    assert _compounds(services, district_id="d1", street_id="d1s1") == sorted(CITY.under("d1s1", "compound"))
    assert _compounds(services, street_id="d1s1", community_id="d1s1m1") == sorted(CITY.under("d1s1m1", "compound"))
    old = {n.id for n in CITY.nodes("Area", level="compound", compound_kind="old")}
    assert _compounds(services, kind=CompoundKind.OLD) == sorted(old)
    fallback = {r.to_id for r in CITY.rels("MANAGES") if r.props["mode"] == "state_fallback"}
    assert _compounds(services, property_mode=PropertyMode.STATE_FALLBACK) == sorted(fallback)
    assert _compounds(services, name_contains="幸福00") == ["d1s1m1c1"]
    by_households = services.areas.compounds(
        CompoundFilter(), CompoundOrder(CompoundOrderField.HOUSEHOLDS, descending=True), Window(0, 3), as_of=TODAY
    )
    households = [c["households"] for c in by_households.items]
    assert households == sorted(households, reverse=True) and by_households.has_more
    by_name = services.areas.compounds(CompoundFilter(), CompoundOrder(descending=True), Window(0, 2), as_of=TODAY)
    names = [c["name"] for c in by_name.items]
    assert names == sorted(names, reverse=True)


def test_every_gap_filter_splits_the_compounds(services: Services) -> None:
    compounds = sorted(n.id for n in CITY.nodes("Area", level="compound"))
    no_branch = sorted(c for c in compounds if not any(r.to_id == c and r.from_id.endswith("-br") for r in CITY.rels("LEADS")))
    assert _compounds(services, gaps={CoverageGap.NO_BRANCH: True}) == no_branch
    for gap in GAP_RULES:
        with_gap = _compounds(services, gaps={gap: True})
        without = _compounds(services, gaps={gap: False})
        assert not set(with_gap) & set(without), gap
        assert set(with_gap) | set(without) <= set(compounds), gap
    some = _compounds(services, some_building_without_group=True)
    most = _compounds(services, gaps={CoverageGap.BUILDINGS_WITHOUT_GROUP: True})
    assert set(most) < set(some)
    assert _compounds(services, some_building_without_leader=False, district_id="d2")


def test_organizations_by_kind_type_area_and_name(services: Services) -> None:
    read = services.organizations.organizations
    branches = read(OrganizationFilter(kind=OrgKind.COMPOUND_BRANCH), ALL)
    assert ids(branches) == sorted(n.id for n in CITY.nodes("Organization", kind="compound_branch"))
    assert branches.total() == len(branches.items)
    schools = read(OrganizationFilter(unit_type=UnitType.SCHOOL), ALL)
    assert ids(schools) == sorted(n.id for n in CITY.nodes("Organization") if n.props.get("unit_type") == "school")
    in_community = read(OrganizationFilter(area_id="d1s1m1", kind=OrgKind.COMPOUND_BRANCH), ALL)
    assert ids(in_community) == sorted(f"{c}-br" for c in CITY.under("d1s1m1", "compound") if f"{c}-br" in ids(branches))
    assert read(OrganizationFilter(area_id="d1s1m1", include_dissolved=True), ALL).total() >= in_community.total()
    assert ids(read(OrganizationFilter(name_contains="驻区单位0"), ALL)) == ["unit0", "unit0-po"]


def test_people_by_every_anchor_and_condition(services: Services) -> None:
    def read(f: PersonFilter, window: Window) -> Page[Any]:
        page = services.people.people(f, window)
        assert page.total() == len(page.items), f
        return page

    secretaries = read(PersonFilter(post=Post.SECRETARY), ALL)
    current = {r.from_id for r in CITY.rels("MEMBER_OF") if r.props["post"] == "secretary" and not r.props.get("end_date")}
    assert set(ids(secretaries)) == current
    ever = read(PersonFilter(post=Post.SECRETARY, current_posts_only=False), ALL)
    assert set(ids(ever)) == current | {"d1s1m1c1-former"}
    branch = "d1s1m1c1-br"
    assert ids(read(PersonFilter(organization_id=branch), ALL)) == ["d1s1m1c1-sec"]
    assert ids(read(PersonFilter(organization_id=branch, current_posts_only=False), ALL)) == ["d1s1m1c1-former", "d1s1m1c1-sec"]
    assert ids(read(PersonFilter(organization_id=branch, post=Post.SECRETARY, current_posts_only=False), ALL)) == [
        "d1s1m1c1-former",
        "d1s1m1c1-sec",
    ]
    assert ids(read(PersonFilter(organization_id=branch, post=Post.SECRETARY), ALL)) == ["d1s1m1c1-sec"]
    residents = read(PersonFilter(area_id="d1s1m1c1"), ALL)
    living = {r.from_id for r in CITY.rels("RESIDES_IN") if r.to_id == "d1s1m1c1" or r.to_id.startswith("d1s1m1c1b")}
    assert set(ids(residents)) == living
    in_org_and_area = read(PersonFilter(organization_id=branch, area_id="d1s1m1c1"), ALL)
    assert ids(in_org_and_area) == ["d1s1m1c1-sec"]
    with_post_in_area = read(PersonFilter(post=Post.BUILDING_LEADER, area_id="d1s1m1"), ALL)
    assert ids(with_post_in_area) and all(p["id"].endswith("-ld") for p in with_post_in_area.items)
    assert all(p["employment"] == "in_service" for p in read(PersonFilter(employment=Employment.IN_SERVICE), ALL).items)
    assert all(p.get("is_party_member") is not True for p in read(PersonFilter(is_party_member=False), ALL).items)
    assert ids(read(PersonFilter(name_contains="在职党员1"), ALL)) == ["member1"]
    assert read(PersonFilter(include_left=True), ALL).total() == len(CITY.nodes("Person"))


def test_pairings_and_registrations_by_every_filter(services: Services) -> None:
    relations = services.relations
    pairings = CITY.rels("PAIRED_WITH")

    def pair_ids(f: PairingFilter) -> list[str]:
        page = relations.pairings(f, ALL)
        assert page.total() == len(page.items), f
        return sorted(link.rel["id"] for link in page.items)

    assert pair_ids(PairingFilter()) == sorted(r.id for r in pairings)
    assert pair_ids(PairingFilter(active_on=TODAY)) == sorted(r.id for r in pairings if not r.props.get("end_date"))
    assert pair_ids(PairingFilter(source_id="unit0-po")) == sorted(r.id for r in pairings if r.from_id == "unit0-po")
    first = pairings[0]
    community = first.to_id.removesuffix("-cc")
    assert first.id in pair_ids(PairingFilter(community_id=community))
    assert first.id in pair_ids(PairingFilter(community_id=first.to_id))
    assert pair_ids(PairingFilter(district_id="d2")) == sorted(r.id for r in pairings if r.to_id.startswith("d2"))
    assert pair_ids(PairingFilter(unit_type=UnitType.SCHOOL)) == sorted(r.id for r in pairings if r.from_id == "unit2-po")
    assert pair_ids(PairingFilter(started_after=date(2021, 12, 31))) == sorted(
        r.id for r in pairings if r.props["start_date"] > date(2021, 12, 31)
    )
    registrations = CITY.rels("REGISTERED_WITH")

    def reg_ids(f: RegistrationFilter) -> list[str]:
        return sorted(link.rel["id"] for link in relations.registrations(f, ALL).items)

    assert reg_ids(RegistrationFilter()) == sorted(r.id for r in registrations)
    assert reg_ids(RegistrationFilter(registrant_label=NodeLabel.PERSON)) == sorted(
        r.id for r in registrations if r.from_label == "Person"
    )
    assert relations.registrations(RegistrationFilter(registrant_label=NodeLabel.ORGANIZATION), ALL).total() == 4


def test_cross_appointments_everywhere_and_in_an_area(services: Services) -> None:
    relations = services.relations
    everywhere = relations.cross_appointments(None, ALL, as_of=TODAY)
    assert everywhere.items and everywhere.total() == len(everywhere.items)
    assert all(
        c.branch_post["post"] == "secretary" and c.owners_committee_post["post"] == "oc_director" for c in everywhere.items
    )
    in_d1 = relations.cross_appointments("d1", ALL, as_of=TODAY)
    assert {c.compound["id"] for c in in_d1.items} <= set(CITY.under("d1", "compound"))
    assert in_d1.total() == len(in_d1.items) < everywhere.total()


def test_name_search_with_and_without_people(services: Services) -> None:
    search = services.search
    with_people = search.names("党员", ALL, people=True)
    assert {h.label for h in with_people.items} == {"Person"} and with_people.total() == 3
    assert search.names("党员", ALL, people=False).total() == 0
    assert {h.label for h in search.names("幸福00", ALL, people=False).items} >= {"Area", "Organization"}


def test_coverage_figures_and_compound_measures_on_the_city(services: Services) -> None:
    figures = services.coverage.figures("hz")
    assert figures.compounds == len(CITY.nodes("Area", level="compound"))
    assert figures.building_groups == len(CITY.nodes("Organization", kind="building_group"))
    assert figures.cross_appointed_persons == services.relations.cross_appointments(None, ALL, as_of=TODAY).total()
    city = services.coverage.compound_measures(None, TODAY)
    district = services.coverage.compound_measures("d1", TODAY)
    assert len(city) == figures.compounds and 0 < len(district) < len(city)
    assert {row["id"] for row in district} <= {row["id"] for row in city}


def test_an_areas_measures_cut_from_the_citys_are_those_read_for_it(services: Services) -> None:
    """The city's measures are read once and cut to each area (``services.measures``): every area's cut equals
    the measures read for that area alone, and its figures equal those computed from that read."""
    store, standards = services.store, services.coverage.standards
    for area in ["hz", *(n.id for n in CITY.nodes("Area") if n.props.get("level") != "building")]:
        cut = services.coverage.compound_measures(area, TODAY)
        assert cut == compound_measures(store, area, TODAY), area
        assert services.coverage.figures(area, TODAY) == coverage_figures(store, area, TODAY, standards), area


def test_some_compounds_measures_read_again_are_those_of_the_city(services: Services) -> None:
    """After a write the analyses read again only the compounds it may have touched (``services.measures``): whole
    rows by the city's statement narrowed to their ids, or single measures by their own statements."""
    store = services.store
    city = compound_measures(store, None, TODAY)
    some = {str(row["id"]) for row in city[::5]}
    assert read_measures_of(store.read, some, TODAY) == [row for row in city if row["id"] in some]
    columns = read_measure_columns(store.read, list(Measure), some, TODAY)
    assert columns == {row["id"]: {m.value: row[m.value] for m in Measure} for row in city if row["id"] in some}


def test_the_reference_day_is_the_default_day(services: Services) -> None:
    assert services.calendar.day() == (services.calendar.reference_day() or date.today())
    services.calendar.set_reference_day(date(2024, 6, 30))
    try:
        assert services.calendar.day() == date(2024, 6, 30) and services.calendar.day(TODAY) == TODAY
        assert services.analyses.thresholds().day() == date(2024, 6, 30)
    finally:
        services.calendar.set_reference_day(TODAY)  # the store is shared: later tests judge by today again


def test_activities_by_organization_area_kind_and_day(services: Services) -> None:
    held_on = {n.id: n.props["held_on"] for n in CITY.nodes("Activity")}

    def read(**given: Any) -> list[str]:
        page = services.activities.activities(ActivityFilter(**given), ALL)
        assert page.total() == len(page.items), given
        found = [a["id"] for a in page.items]
        assert [held_on[a] for a in found] == sorted((held_on[a] for a in found), reverse=True), "newest first"
        return found

    assert sorted(read()) == sorted(held_on)
    assert read(organization_id="d1s1m1c1-br") == ["act1", "act0"]
    # A building group covers a building of the compound; the joint branch sits in the community.
    assert set(read(area_id="d1s1m1c1")) == {"act0", "act1", "act2"}
    assert set(read(area_id="d1s1m1")) == {"act0", "act1", "act2", "act4"}
    assert read(kind=ActivityKind.GENERAL_MEETING) == ["act3", "act0"]
    assert read(held_from=date(2025, 1, 10), held_to=date(2025, 3, 14)) == ["act1", "act2"]
    assert read(area_id="d1s1m1", kind=ActivityKind.PARTY_LESSON, held_from=date(2025, 1, 1), held_to=date(2025, 6, 30)) == [
        "act1"
    ]
    # An organisation and an area: the organisation's activities while it is in the area.
    assert read(organization_id="d1s1m1c1-br", area_id="d1") == ["act1", "act0"]
    assert read(organization_id="d1s1m1c1-br", area_id="d2") == []
    assert read(
        organization_id="d1s1m1c1-br", kind=ActivityKind.GENERAL_MEETING, held_from=date(2024, 1, 1), held_to=date(2024, 12, 31)
    ) == ["act0"]
    with pytest.raises(InputError, match="heldTo"):
        read(held_from=date(2025, 1, 2), held_to=date(2025, 1, 1))


def test_every_listing_filter_is_known(services: Services) -> None:
    for listing, fragments in all_listing_filters().items():
        assert fragments is not None, listing


# --- analyses, writes, audit, keys, exports, imports -----------------------------------------------------------


def test_analyses_run_and_save(services: Services) -> None:
    report = services.analyses.run_all(None, as_of=TODAY)
    assert report.coverage and report.weakness and report.chains
    assert services.analyses.runs()[0].id == report.run_id
    weak = next(w for w in report.weakness if w.weak)
    [point] = [p for p in services.analyses.weakness_trend(weak.org_id) if p.run_id == report.run_id]
    assert (point.judged, point.score, point.factors) == (True, weak.score, weak.factor_codes)


def test_changes_audit_and_feeds(services: Services) -> None:
    changes, actor = services.changes, "contract"
    changes.create_node(actor, "Area", {"id": "k-new", "level": "compound", "name": "新小区"}, parent_id="d1s1m1")
    changes.update_node(actor, "Area", "k-new", {"households": 40})
    org = changes.create_node(
        actor, "Organization", {"kind": "compound_branch", "name": "新小区党支部"}, parent_id="d1s1m1-cc", leads_area_id="k-new"
    )
    changes.update_node(actor, "Organization", org["id"], {"has_plaque": True})
    person = changes.create_node(actor, "Person", {"name": "新书记", "is_party_member": True, "employment": "in_service"})
    changes.update_node(actor, "Person", person["id"], {"phone": "13800000000"})
    post = changes.create_rel(actor, "MEMBER_OF", person["id"], org["id"], {"post": "secretary", "start_date": "2024-01-01"})
    changes.update_rel(actor, "MEMBER_OF", post["id"], {"start_date": "2024-02-01"})
    pairing = changes.create_rel(actor, "PAIRED_WITH", "unit1-po", "d1s1m1-cc", {"start_date": "2024-03-01"})
    changes.update_rel(actor, "PAIRED_WITH", pairing["id"], {"resources": "资金"})
    registration = changes.create_rel(actor, "REGISTERED_WITH", person["id"], "d1s1m1-cc", {"start_date": "2024-03-01"})
    changes.update_rel(actor, "REGISTERED_WITH", registration["id"], {"start_date": "2024-03-02"})
    changes.end_rel(actor, "PAIRED_WITH", pairing["id"], "2024-12-31")
    changes.end_node(actor, "Organization", org["id"], "2025-01-31")
    assert changes.get_node("Organization", org["id"])["dissolved"] == date(2025, 1, 31)
    assert changes.get_rel("MEMBER_OF", post["id"])["end_date"] == date(2025, 1, 31)
    # The organisation's log holds its own changes and those of its links (structure, posts), oldest first.
    log = services.audit.log(org["id"], first=50)
    assert [(e.action, e.entity_type) for e in log.events] == [
        ("create", "Organization"),
        ("create", "SUB_ORG_OF"),
        ("create", "LEADS"),
        ("update", "Organization"),
        ("create", "MEMBER_OF"),
        ("update", "MEMBER_OF"),
        ("end", "Organization"),
        ("end", "MEMBER_OF"),
    ]
    assert services.audit.count(org["id"]) == 8
    community_log = services.audit.log("d1s1m1-cc", first=50).events
    assert [(e.entity_type, e.action) for e in community_log] == [
        ("SUB_ORG_OF", "create"),
        ("PAIRED_WITH", "create"),
        ("PAIRED_WITH", "update"),
        ("REGISTERED_WITH", "create"),
        ("REGISTERED_WITH", "update"),
        ("PAIRED_WITH", "end"),
    ]
    feed = services.audit.feed(["PAIRED_WITH"], None, first=10)
    assert [e.entity_id for e in feed.events] == [pairing["id"]] * 3
    assert services.audit.cursor()


def test_links_of_a_community_are_those_of_every_committee_that_led_it(services: Services) -> None:
    """A community's pairings and check-ins, asked by the community's id, are those of each organisation leading it:
    here a dissolved committee and its successor (two committees: the general statement); asked by one committee's
    id, that committee's alone (one: the statement read from it outwards); a community nobody leads has none."""
    changes, relations, actor = services.changes, services.relations, "contract"
    changes.create_node(actor, "Area", {"id": "m-succ", "level": "community", "name": "接续社区"}, parent_id="d1s1")

    def committee(suffix: str, name: str) -> dict[str, Any]:
        props = {"id": f"m-succ-{suffix}", "kind": "community_committee", "name": name}
        return changes.create_node(actor, "Organization", props, parent_id="d1s1-sc", leads_area_id="m-succ")

    old = committee("old", "原社区党委")
    person = changes.create_node(actor, "Person", {"name": "报到党员", "is_party_member": True, "employment": "in_service"})
    registration = changes.create_rel(actor, "REGISTERED_WITH", person["id"], old["id"], {"start_date": "2021-01-01"})
    pairings = [changes.create_rel(actor, "PAIRED_WITH", "unit1-po", old["id"], {"start_date": "2020-01-01"})]
    changes.end_node(actor, "Organization", old["id"], "2023-12-31")
    new = committee("new", "新社区党委")
    pairings.append(changes.create_rel(actor, "PAIRED_WITH", "unit1-po", new["id"], {"start_date": "2024-01-01"}))

    def pair_ids(community: str, **more: Any) -> list[str]:
        page = relations.pairings(PairingFilter(community_id=community, **more), ALL)
        assert page.total() == len(page.items)
        return [link.rel["id"] for link in page.items]

    def reg_ids(community: str, **more: Any) -> list[str]:
        page = relations.registrations(RegistrationFilter(community_id=community, **more), ALL)
        assert page.total() == len(page.items)
        return [link.rel["id"] for link in page.items]

    assert pair_ids("m-succ") == [p["id"] for p in pairings]  # by start date
    # Dissolving the old committee ended its pairing on the same day.
    assert pair_ids("m-succ", active_on=date(2022, 6, 1)) == [pairings[0]["id"]]
    assert pair_ids("m-succ", active_on=date(2024, 6, 1)) == [pairings[1]["id"]]
    assert pair_ids("m-succ", started_after=date(2022, 1, 1)) == [pairings[1]["id"]]
    assert pair_ids("m-succ-old") == [pairings[0]["id"]]
    assert pair_ids("m-succ-new", unit_type=UnitType.SCHOOL) == []
    assert reg_ids("m-succ") == reg_ids("m-succ-old") == [registration["id"]]
    assert reg_ids("m-succ", registrant_label=NodeLabel.ORGANIZATION) == reg_ids("m-succ-new") == []
    assert reg_ids("m-succ-old", registrant_label=NodeLabel.PERSON) == [registration["id"]]
    changes.create_node(actor, "Area", {"id": "m-none", "level": "community", "name": "无党委社区"}, parent_id="d1s1")
    assert pair_ids("m-none") == reg_ids("m-none") == pair_ids("no-such-id") == []


def _key(item: Any) -> Any:
    """What tells a listing's items apart: a row's id, a link's relationship id, a cross-appointment's pair."""
    if isinstance(item, dict):
        return item["id"]
    if hasattr(item, "rel"):
        return item.rel["id"]
    return (item.compound["id"], item.person["id"])


def test_every_listing_read_a_few_at_a_time_is_the_listing_read_at_once(services: Services) -> None:
    """Pages of one follow on from each other in the listing's order: each page's cut is made on the ordered
    rows. The pairings are also in their documented order (start date, then id). LadybugDB 0.22 drops an ORDER BY
    that a SKIP/LIMIT follows when an aggregate comes next: a page of pairings ordered that way came out right when
    read whole and wrong when cut small. Two pairings are added whose order of writing is the reverse of their
    start dates', so that an unsorted cut would differ. A page that ends its list knows the list's size, the count's."""
    changes, actor = services.changes, "contract"
    for committee, day in (("d1s1m1-cc", "2018-03-01"), ("d1s2m1-cc", "2017-03-01")):
        changes.create_rel(actor, "PAIRED_WITH", "unit3-po", committee, {"start_date": day})
    relations, areas, people = services.relations, services.areas, services.people
    listings: dict[str, Any] = {
        "pairings": lambda w: relations.pairings(PairingFilter(), w),
        "pairings in force": lambda w: relations.pairings(PairingFilter(active_on=TODAY), w),
        "registrations": lambda w: relations.registrations(RegistrationFilter(), w),
        "organizations": lambda w: services.organizations.organizations(OrganizationFilter(), w),
        "areas": lambda w: areas.areas(AreaFilter(), w),
        "compounds": lambda w: areas.compounds(CompoundFilter(), CompoundOrder(), w),
        "compounds by households": lambda w: areas.compounds(
            CompoundFilter(), CompoundOrder(CompoundOrderField.HOUSEHOLDS, descending=True), w
        ),
        "people": lambda w: people.people(PersonFilter(), w),
        "people of an organisation": lambda w: people.people(
            PersonFilter(organization_id="d1s1m1-cc", current_posts_only=False), w
        ),
        "activities": lambda w: services.activities.activities(ActivityFilter(), w),
        "cross-appointments": lambda w: relations.cross_appointments(None, w),
    }
    for name, read in listings.items():
        at_once = read(ALL)
        whole = [_key(item) for item in at_once.items]
        # The list ends on a page that holds it all: its size is known without a count, and is the count's.
        assert at_once.known_total == len(whole) == at_once.total(), name
        assert len(whole) > 1, name  # more than one page of one
        cut: list[Any] = []
        for offset in range(len(whole)):
            page = read(Window(offset, 1))
            assert page.has_more == (offset + 1 < len(whole)), (name, offset)
            assert page.known_total == (None if page.has_more else len(whole)), (name, offset)
            cut.extend(_key(item) for item in page.items)
        assert cut == whole, name
    pairings = relations.pairings(PairingFilter(), ALL).items
    assert [link.rel["id"] for link in pairings] == [
        link.rel["id"] for link in sorted(pairings, key=lambda link: (link.rel["start_date"], link.rel["id"]))
    ]


def test_a_change_is_patched_into_the_cached_projection(services: Services) -> None:
    """The entities a change's audit entries name are read by id and put into the cached projection, which then
    equals a fresh read of the whole graph."""
    projections = services.analyses.projections
    projections.get()
    plaque = (services.changes.get_node("Organization", "d2s2m2-cc") or {}).get("has_plaque")
    services.changes.update_node("contract", "Organization", "d2s2m2-cc", {"has_plaque": not plaque})
    patches = projections.counts.patches
    patched = projections.get()
    assert projections.counts.patches == patches + 1
    assert patched.nodes["d2s2m2-cc"].get("has_plaque") is (not plaque)
    fresh = build_graph(read_tables(services.store))
    assert dict(patched.nodes(data=True)) == dict(fresh.nodes(data=True))
    assert set(patched.edges(keys=True)) == set(fresh.edges(keys=True))


def test_activities_and_support_links_change_with_their_audit(services: Services) -> None:
    changes, actor = services.changes, "contract"
    activity = changes.create_node(
        actor,
        "Activity",
        {"kind": "party_lesson", "held_on": "2025-01-15", "attendance": 3},
        held_by_id="d1s1m1c2-br",
        attendee_ids=["member1", "member2"],
    )
    changes.update_node(actor, "Activity", activity["id"], {"attendance": 4, "held_on": "2025-01-16"})
    held_by = services.graph.outgoing("HELD_BY", "Activity", "Organization", [activity["id"]])[activity["id"]]
    assert [org["id"] for _, org in held_by] == ["d1s1m1c2-br"]
    present = services.graph.incoming("ATTENDED", "Person", "Activity", [activity["id"]])[activity["id"]]
    assert sorted(person["id"] for _, person in present) == ["member1", "member2"]
    log = services.audit.log(activity["id"], first=10).events
    assert [e.action for e in log if e.entity_type == "Activity"] == ["create", "update"]
    assert sorted(e.entity_type for e in log if e.entity_type != "Activity") == ["ATTENDED", "ATTENDED", "HELD_BY"]
    created = {
        "JOINS": ("unit0", "joint0", {"start_date": "2024-01-01"}, {"start_date": "2024-02-01"}),
        "SENT_DOWN_TO": ("worker0", "d2s1m1", {"duty": "包联社区"}, {"duty": "第一书记"}),
        "LIAISES_WITH": ("member0", "d2s1m1", {"role": "npc_deputy"}, {"level": "市人大"}),
    }
    for rel_type, (source, target, props, update) in created.items():
        rel = changes.create_rel(actor, rel_type, source, target, props)
        changes.update_rel(actor, rel_type, rel["id"], update)
        changes.end_rel(actor, rel_type, rel["id"], "2025-06-30")
        stored = changes.get_rel(rel_type, rel["id"])
        assert stored is not None and stored["end_date"] == date(2025, 6, 30)
        assert {name: str(stored[name]) for name in update} == update
        assert [e.action for e in services.audit.log(rel["id"], first=10).events] == ["create", "update", "end"]


def _buildings(numbers: list[int]) -> list[Record]:
    records: list[Record] = []
    for n in numbers:
        records.append(NodeRecord("Area", f"k-nat-b{n}", {"level": "building", "name": f"{n}号楼"}))
        records.append(RelRecord("PART_OF", f"k-nat-b{n}-in", f"k-nat-b{n}", "Area", "k-nat", "Area", {}))
    return records


NATURAL = [f"{n}号楼" for n in range(1, 13)]


def test_names_sort_naturally_whichever_path_wrote_them(services: Services) -> None:
    """Buildings 1..12 written by mutations, the import's upserts and the bulk path list as 1, 2, ... 12, page
    by page, as a parent's children and in search results."""
    changes = services.changes
    changes.create_node("contract", "Area", {"id": "k-nat", "level": "compound", "name": "自然小区"}, parent_id="d1s1m1")
    shuffled = [7, 1, 12, 4, 10, 2, 9, 5, 11, 3, 8, 6]
    for n in shuffled[:4]:
        changes.create_node("contract", "Area", {"id": f"k-nat-b{n}", "level": "building", "name": f"{n}号楼"}, parent_id="k-nat")
    # The file names the compound too, which is stored already: the import takes the upsert path.
    compound = NodeRecord("Area", "k-nat", {"level": "compound", "name": "自然小区"})
    assert import_lines(services.store, [to_json_line(r) for r in [compound, *_buildings(shuffled[4:8])]]).method == "upsert"
    bulk_insert(services.store, _buildings(shuffled[8:]))
    pages = [services.areas.areas(AreaFilter(parent_id="k-nat"), Window(offset, 5)) for offset in (0, 5, 10)]
    assert [a["name"] for page in pages for a in page.items] == NATURAL
    children = services.graph.incoming("PART_OF", "Area", "Area", ["k-nat"])["k-nat"]
    assert [node["name"] for _, node in children] == NATURAL
    hits = services.search.names("号楼", Window(0, 500), people=False).items
    assert [h.name for h in hits if h.id.startswith("k-nat-b")] == NATURAL


def test_upgrade_fills_in_what_an_earlier_version_did_not_derive(services: Services) -> None:
    store = services.store
    upgrade_store(store)  # the store is current: every path derived on write
    named = [label for label, spec in NODES.items() if spec.derived]
    for label in named:
        store.write("contract_forget_name_keys", label=label)
    store.write("contract_forget_audit_ends")
    assert upgrade_store(store) == 0, "a store marked current is not read again"
    assert services.audit.count("d1s1m1-cc") == 0  # what the log of a store written by an earlier version showed
    store.write("contract_forget_derived_version")
    assert upgrade_store(store) > 0
    for label in named:
        table = store.read_arrow("upgrade_name_keys", label=label).to_pylist()
        assert table and all(row["name_key"] == natural_key(row["name"]) for row in table)
    assert services.audit.count("d1s1m1-cc") > 0
    assert upgrade_store(store) == 0


def test_keys_create_list_and_revoke(services: Services) -> None:
    info, key = services.keys.create("analyst", "contract")
    assert info.id in {k.id for k in services.keys.list()} and key.startswith("gsk_")
    stored = services.keys.stored(info.id)
    assert stored is not None and stored.revoked is None
    assert services.keys.stored_count() >= 1
    services.keys.revoke(info.id)
    stored = services.keys.stored(info.id)
    assert stored is not None and stored.revoked is not None


def test_exports_and_imports(services: Services, tmp_path: Path) -> None:
    lines = list(export_records(services.store))
    assert len(lines) >= len(CITY.records)
    assert services.exports.cursor()
    assert sum(1 for _ in services.exports.ndjson()) == services.relations.pairings(PairingFilter(), ALL).total()
    assert next(iter(services.exports.csv())).lstrip("\ufeff").startswith("id,")
    assert "@context" in "".join(services.exports.popolo(with_person_names=False))
    assert "在职党员0" in "".join(services.exports.popolo(with_person_names=True))
    # Re-importing what is stored changes nothing (the upsert path's lookups, nothing written).
    report = import_lines(services.store, lines)
    assert not report.changed
    # One changed record goes through the upsert path.
    changed = [line.replace('"name":"幸福00小区"', '"name":"幸福零零小区"') for line in lines]
    assert import_lines(services.store, changed).totals().updated == 1
    # An empty store takes the bulk path; a store holding one of the file's ids, the upsert path (every label and
    # relationship type is created by its upsert query).
    for seeded in ([], [CITY.records[0]]):
        other = recorded(LadybugStore(tmp_path / f"other{len(seeded)}.lbdb"))
        other.ensure_schema()
        try:
            bulk_insert(other, seeded)
            assert import_lines(other, changed).method == ("upsert" if seeded else "bulk")
            assert list(export_records(other)) == changed  # an export is sorted; the one edit keeps its place
        finally:
            other.close()


# --- every production query ran -----------------------------------------------------------------------------------

#: Queries the application layer does not run: the contract suite's own, the adapters' internals, and DDL.
NOT_APPLICATION = ("contract_", "ladybug_", "neo4j_", "schema", "ensure_write_version", "seed_")


def test_every_production_query_and_fragment_ran(services: Services) -> None:
    ran = RAN[services.store.dialect]
    if not {"areas_page", "change_create_area", "analysis_save_run"} <= ran:
        pytest.skip("run the whole module: this test checks what the others ran")
    catalog = QueryCatalog(services.store.dialect)
    expected = {n for n in catalog.names() if not n.startswith(NOT_APPLICATION)}
    missing = sorted(expected - ran)
    assert missing == [], f"no contract test runs: {missing}"
    filters = {f for fragments in all_listing_filters().values() for f in fragments}
    unfiltered = sorted(f for f in filters if f"fragment:{f}" not in ran)
    assert unfiltered == [], f"no contract test composes: {unfiltered}"
