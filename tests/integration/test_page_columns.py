"""A page reads only the properties its selection asks of its nodes (``api/columns.py``), and so does each load of
linked nodes (``link_columns``), and both answer every field as they do from whole rows: over real HTTP on the
small city, each field of an organisation, an area and a person, alone, through every list that returns them,
through the links loaded ahead for a list's rows and through the rows a person hands on (a membership's person), is
asked twice, with the columns cut and with every property read, and the answers compared."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from typing import Any

import pytest

from graph_service.api import ahead, columns, reading
from graph_service.api.columns import page_columns
from graph_service.api.schema import build_schema
from graph_service.config import Settings
from graph_service.domain.records import NodeRecord
from graph_service.store.embedded import LadybugStore
from graphql import GraphQLObjectType, get_named_type, is_abstract_type, is_leaf_type

SCHEMA = build_schema(Settings(data_dir=".", api_keys="admin:an-admin-key-for-reading-the-schema-only"))._schema

#: A community's links, read from its committee outwards (``relations._links``), as ``PLACES`` has them; the tests
#: name the committee with the most of them in place of REGISTERED_WITH or PAIRED_WITH.
COMMUNITY_PLACES: list[tuple[str, str, str]] = [
    ('registrations(first: 100, filter: {communityId: "REGISTERED_WITH"})', "edges { node { member { %s } } }", "Person"),
    (
        'registrations(first: 100, filter: {communityId: "REGISTERED_WITH", registrantKind: UNIT})',
        "edges { node { organization { %s } } }",
        "Organization",
    ),
    (
        'registrations(first: 100, filter: {communityId: "REGISTERED_WITH", registrantKind: MEMBER})',
        "edges { node { member { %s } } }",
        "Person",
    ),
    (
        'pairings(first: 100, filter: {communityId: "PAIRED_WITH"})',
        "edges { node { unitOrganization { %s } communityOrganization { %s } } }",
        "Organization",
    ),
]

#: Where each list's rows put objects of a type: (list field and its arguments, path to the object, type).
PLACES: list[tuple[str, str, str]] = [
    ("organizations(first: 100)", "edges { node { %s } }", "Organization"),
    ("organizations(first: 100, kind: COMMUNITY_COMMITTEE)", "edges { node { parent { %s } } }", "Organization"),
    ("areas(first: 100)", "edges { node { %s } }", "Area"),
    ("compounds(first: 100)", "edges { node { %s } }", "Area"),
    ("compounds(first: 100)", "edges { node { ledBy { %s } } }", "Organization"),
    ("people(first: 100, filter: {currentPostsOnly: false})", "edges { node { %s } }", "Person"),
    ("people(first: 100, filter: {currentPostsOnly: false})", "edges { node { memberships { person { %s } } } }", "Person"),
    ("pairings(first: 100)", "edges { node { unitOrganization { %s } communityOrganization { %s } } }", "Organization"),
    ("registrations(first: 100)", "edges { node { organization { %s } } }", "Organization"),
    ("registrations(first: 100)", "edges { node { member { %s } } }", "Person"),
    ("crossAppointments(first: 100)", "edges { node { compound { %s } } }", "Area"),
    ("crossAppointments(first: 100)", "edges { node { person { %s } } }", "Person"),
    ("activities(first: 100)", "edges { node { heldBy { %s } } }", "Organization"),
    *COMMUNITY_PLACES,
    # Linked nodes loaded for a page's rows (``ahead.loads_linked``) and for one node.
    ("areas(first: 100)", "edges { node { children(first: 100) { edges { node { %s } } } } }", "Area"),
    ("areas(first: 100)", "edges { node { parent { %s } } }", "Area"),
    ("areas(first: 100)", "edges { node { servedBy { %s } coveredBy { %s } } }", "Organization"),
    ("organizations(first: 100)", "edges { node { children(first: 100) { nodes { %s } } } }", "Organization"),
    ("areas(first: 100)", "edges { node { children(level: COMMUNITY, first: 100) { nodes { %s } } } }", "Area"),
    (
        "organizations(first: 100)",
        "edges { node { children(kind: COMPOUND_BRANCH, first: 100) { nodes { %s } } } }",
        "Organization",
    ),
    ("organizations(first: 100)", "edges { node { leads { %s } locatedIn { %s } } }", "Area"),
    ("pairings(first: 100)", "edges { node { community { %s } } }", "Area"),
    (
        "people(first: 100, filter: {currentPostsOnly: false})",
        "edges { node { memberships { organization { %s } } } }",
        "Organization",
    ),
]


def _selection(type_name: str, field: str) -> str | None:
    """``field`` of ``type_name`` with a sub-selection if it needs one; ``None`` when it takes a required argument."""
    field_def = SCHEMA.get_type(type_name).fields[field]  # type: ignore[union-attr]
    if any(arg.type.__class__.__name__ == "GraphQLNonNull" and arg.default_value is None for arg in field_def.args.values()):
        return None
    named = get_named_type(field_def.type)
    if is_leaf_type(named):
        return field
    if is_abstract_type(named):
        return f"{field} {{ __typename }}"
    assert isinstance(named, GraphQLObjectType)
    if "totalCount" in named.fields:
        return f"{field} {{ totalCount }}"
    leaves = [name for name, f in named.fields.items() if is_leaf_type(get_named_type(f.type)) and not f.args]
    return f"{field} {{ __typename {' '.join(leaves)} }}"


def _cases() -> list[tuple[str, str, str, str]]:
    cases = []
    for listing, path, type_name in PLACES:
        for field in SCHEMA.get_type(type_name).fields:  # type: ignore[union-attr]
            selection = _selection(type_name, field)
            if selection is not None:
                cases.append((listing, path, type_name, selection))
    return cases


@pytest.fixture(scope="module")
def server(start_server, small_city):
    # Every organisation with recorded flags, so that the fields reading them have something to read; no response
    # cache: both answers are worked out.
    records = [
        replace(r, props={**r.props, "flags": ["weak_leadership"], "flag_evidence": "谈话记录"})
        if isinstance(r, NodeRecord) and r.label == "Organization"
        else r
        for r in small_city.records
    ]
    return start_server(records=records, max_page_size=100, response_cache_mb=0, max_query_cost=10**7)


def test_every_type_of_every_place_has_fields_to_ask():
    assert {type_name for _, _, type_name in PLACES} == {"Organization", "Area", "Person"}
    assert len(_cases()) > 300


def _with_committees(listing: str, city: Any) -> str:
    """``listing`` with REGISTERED_WITH and PAIRED_WITH replaced by the node the most such relationships point at (a
    community committee)."""
    for rel_type in ("REGISTERED_WITH", "PAIRED_WITH"):
        busiest = Counter(r.to_id for r in city.rels(rel_type)).most_common(1)[0][0]
        listing = listing.replace(f'"{rel_type}"', f'"{busiest}"')
    return listing


@pytest.mark.parametrize(("listing", "path", "type_name", "selection"), _cases())
def test_a_field_read_from_a_cut_page_is_the_field_read_from_whole_rows(
    server, small_city, monkeypatch: pytest.MonkeyPatch, listing: str, path: str, type_name: str, selection: str
) -> None:
    inner = f"domainId {selection}"
    listing = _with_committees(listing, small_city)
    query = f"{{ list: {listing} {{ {path.replace('%s', inner)} }} }}"
    cut: list[Any] = []

    def recorded(info: Any) -> Any:
        found = page_columns(info)
        cut.append(found)
        return found

    monkeypatch.setattr(reading, "page_columns", recorded)
    pruned = server.gql(query).json()
    monkeypatch.setattr(reading, "page_columns", lambda info: ())
    for module in (columns, ahead):
        monkeypatch.setattr(module, "link_columns_below", lambda *args: ())
    # Another text: the columns worked out for the first are kept with its document (``selection_memo``).
    whole = server.gql(f"# whole rows\n{query}").json()
    assert pruned == whole
    assert "errors" not in whole or all("not allowed" not in str(e) for e in whole["errors"]), whole["errors"]
    assert cut and dict(cut[0]).get(type_name), (cut, pruned)  # the page was cut for this type


@pytest.mark.parametrize(("listing", "path", "label"), COMMUNITY_PLACES)
def test_a_communitys_links_read_only_what_the_page_asks_of_their_nodes(
    server, small_city, monkeypatch: pytest.MonkeyPatch, listing: str, path: str, label: str
) -> None:
    """A community's links are read from its committee outwards, all at once, not by a listing's page statement;
    their statement carries the page's columns too, so that a check-in's member is read without their phone or
    address when the client asks for neither."""
    listing = _with_committees(listing, small_city)
    read: list[Any] = []
    original = LadybugStore.read

    def recorded(self: LadybugStore, query: Any, *args: Any, **kwargs: Any) -> Any:
        read.append(query)
        return original(self, query, *args, **kwargs)

    monkeypatch.setattr(LadybugStore, "read", recorded)
    answer = server.gql(f"{{ list: {listing} {{ totalCount {path.replace('%s', 'domainId')} }} }}").json()
    assert "errors" not in answer and answer["data"]["list"]["edges"], answer
    [statement] = [query for query in read if "_of_community" in getattr(query, "name", "")]
    kept = dict(statement.columns).get(label)
    assert kept is not None and "phone" not in kept and "address" not in kept, statement.columns
