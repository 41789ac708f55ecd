"""Bulk exports for integrations: pairings as NDJSON or CSV, and the organisational network as Popolo JSON.

Each export is a generator of text chunks: one bulk (Arrow) read per section, converted and sent in batches, so a response
can stream a city's data without holding it in memory. Nothing personal leaves through the pairing exports;
the Popolo export carries person ids in memberships, and names and the people present at activities (as ids)
only when the caller may see them, never phone, address or ID numbers.
"""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from collections.abc import Iterator
from datetime import date
from functools import lru_cache
from typing import Any

from graph_service.domain.enums import ActivityKind, AreaLevel, OrgKind, Post, UnitType
from graph_service.store.port import Row, Store

BATCH = 1000
ALL = 2**62  # LIMIT of a one-shot export read

PAIRING_COLUMNS = (
    "id",
    "unit_org_id",
    "unit_org_name",
    "unit_type",
    "unit_type_label",
    "unit_id",
    "unit_name",
    "community_org_id",
    "community_org_name",
    "community_id",
    "community_name",
    "street_id",
    "street_name",
    "district_id",
    "district_name",
    "start_date",
    "end_date",
    "active",
    "projects",
    "resources",
)


def _batches(store: Store, query: str, batch: int = BATCH, **names: str) -> Iterator[Row]:
    """Every row of an export query, once each, in id order.

    One bulk read (``read_arrow``) then converted ``batch`` rows at a time: on LadybugDB a keyset page
    (``WHERE id > $after ORDER BY id LIMIT n``) rescans and sorts the whole table per page, which made the
    Popolo export of the Heze city 15 times slower; the Arrow table of the largest section (posts held) is
    about 8 MB at scale 1.
    """
    table = store.read_arrow(query, {"after": "", "limit": ALL}, **names)
    last = None
    for record_batch in table.to_batches(max_chunksize=batch):
        for row in record_batch.to_pylist():
            # An OPTIONAL MATCH that finds two rows (an organisation leading two areas) repeats the id: keep one.
            if row["id"] != last:
                yield row
            last = row["id"]


def _iso(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


@lru_cache(maxsize=1024)
def _label(enum: Any, code: Any) -> str | None:
    try:
        return str(enum.parse(code).label) if code else None
    except ValueError:
        return None


def _active(row: Row, today: date) -> bool:
    start, end = row.get("start_date"), row.get("end_date")
    return (start is None or start <= today) and (end is None or end >= today)


def iter_pairings(store: Store, batch: int = BATCH) -> Iterator[dict[str, Any]]:
    """Every pairing as a flat dict of ``PAIRING_COLUMNS`` (dates as ISO strings), ordered by id."""
    today = date.today()
    for row in _batches(store, "export_api_pairings", batch):
        yield {
            **{k: _iso(row.get(k)) for k in PAIRING_COLUMNS if k in row},
            "unit_type_label": _label(UnitType, row.get("unit_type")),
            "active": _active(row, today),
            "projects": list(row.get("projects") or []),
        }


def _ref(row: dict[str, Any], prefix: str) -> dict[str, Any] | None:
    if row.get(f"{prefix}_id") is None:
        return None
    return {"id": row[f"{prefix}_id"], "name": row.get(f"{prefix}_name")}


def pairing_object(row: dict[str, Any]) -> dict[str, Any]:
    """The NDJSON object of one pairing: both organisations, the unit, the community's place, dates, projects."""
    return {
        "id": row["id"],
        "unit_org": _ref(row, "unit_org"),
        "unit_type": {"code": row["unit_type"], "label": row["unit_type_label"]} if row.get("unit_type") else None,
        "unit": _ref(row, "unit"),
        "community_org": _ref(row, "community_org"),
        "community": _ref(row, "community"),
        "street": _ref(row, "street"),
        "district": _ref(row, "district"),
        "start_date": row.get("start_date"),
        "end_date": row.get("end_date"),
        "active": row["active"],
        "projects": row["projects"],
        "resources": row.get("resources"),
    }


def pairings_ndjson(store: Store, batch: int = BATCH) -> Iterator[str]:
    """One JSON object per line per pairing."""
    for row in iter_pairings(store, batch):
        yield json.dumps(pairing_object(row), ensure_ascii=False, separators=(",", ":")) + "\n"


def pairings_csv(store: Store, batch: int = BATCH) -> Iterator[str]:
    """CSV with a header row; starts with a byte-order mark so spreadsheet programs read the Chinese names."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=PAIRING_COLUMNS, lineterminator="\r\n")
    buffer.write("\ufeff")
    writer.writeheader()
    for count, row in enumerate(iter_pairings(store, batch), start=1):
        writer.writerow({**row, "projects": "; ".join(row["projects"]), "active": "true" if row["active"] else "false"})
        if count % 200 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


# --- Popolo -------------------------------------------------------------------------------------------------------

_XSD_DATE = "http://www.w3.org/2001/XMLSchema#date"

#: JSON-LD context after the Popolo project's contexts (popoloproject.com/contexts/*.jsonld) and the W3C
#: Organization Ontology; type-scoped where Popolo maps one key differently per class (``parent_id``).
POPOLO_CONTEXT: dict[str, Any] = {
    "@version": 1.1,
    "org": "http://www.w3.org/ns/org#",
    "opengov": "http://www.w3.org/ns/opengov#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "schema": "http://schema.org/",
    "dcterms": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "id": "@id",
    "type": "@type",
    "name": "skos:prefLabel",
    "label": "skos:prefLabel",
    "classification": "org:classification",
    "role": "org:role",
    "identifier": "dcterms:identifier",
    "start_date": {"@id": "schema:validFrom", "@type": _XSD_DATE},
    "end_date": {"@id": "schema:validThrough", "@type": _XSD_DATE},
    "founding_date": {"@id": "schema:foundingDate", "@type": _XSD_DATE},
    "dissolution_date": {"@id": "opengov:dissolutionDate", "@type": _XSD_DATE},
    "organization_id": {"@id": "org:organization", "@type": "@id"},
    "person_id": {"@id": "org:member", "@type": "@id"},
    "member": {"@id": "org:member", "@type": "@id"},
    "post_id": {"@id": "opengov:post", "@type": "@id"},
    "on_behalf_of_id": {"@id": "opengov:onBehalfOf", "@type": "@id"},
    "area_id": {"@id": "opengov:area", "@type": "@id"},
    "Organization": {
        "@id": "org:Organization",
        "@context": {"parent_id": {"@id": "org:subOrganizationOf", "@type": "@id"}},
    },
    "OrganizationalCollaboration": "org:OrganizationalCollaboration",
    "Membership": "org:Membership",
    "Post": {"@id": "org:Post", "@context": {"organization_id": {"@id": "org:postIn", "@type": "@id"}}},
    "Person": "foaf:Person",
    "description": "schema:description",
    "attendees": {"@id": "schema:attendee", "@type": "@id"},
    "Event": {
        "@id": "schema:Event",
        "@context": {
            "start_date": {"@id": "schema:startDate", "@type": _XSD_DATE},
            "organization_id": {"@id": "schema:organizer", "@type": "@id"},
        },
    },
    "Area": {
        "@id": "http://www.geonames.org/ontology#Feature",
        "@context": {
            "name": "schema:name",
            "classification": "http://www.geonames.org/ontology#featureCode",
            "parent_id": {"@id": "schema:containedIn", "@type": "@id"},
        },
    },
}

PAIRING_ROLE = ("co_construction_pairing", "结对共建")
REGISTRATION_ROLE = ("dual_checkin", "双报到")


def _clean(obj: dict[str, Any]) -> dict[str, Any]:
    return {k: _iso(v) for k, v in obj.items() if v is not None and v != []}


def post_id(organization_id: str, post: str) -> str:
    return f"{organization_id}/post/{post}"


def popolo_areas(store: Store) -> Iterator[dict[str, Any]]:
    for row in _batches(store, "export_api_areas"):
        yield _clean(
            {
                "type": "Area",
                "id": row["id"],
                "name": row["name"],
                "classification": row["level"],
                "classification_label": _label(AreaLevel, row["level"]),
                "identifier": row.get("code"),
                "parent_id": row.get("parent_id"),
                "dissolution_date": row.get("abolished"),
            }
        )


def popolo_organizations(store: Store) -> Iterator[dict[str, Any]]:
    for row in _batches(store, "export_api_organizations"):
        yield _clean(
            {
                "type": "Organization",
                "id": row["id"],
                "name": row["name"],
                "classification": row["kind"],
                "classification_label": _label(OrgKind, row["kind"]),
                "unit_type": row.get("unit_type"),
                "parent_id": row.get("parent_id"),
                "area_id": row.get("area_id"),
                "founding_date": row.get("founded"),
                "dissolution_date": row.get("dissolved"),
            }
        )


def popolo_collaborations(store: Store) -> Iterator[tuple[dict[str, Any], list[dict[str, Any]]]]:
    """Each pairing as an ``org:OrganizationalCollaboration`` with its two organisations as memberships."""
    for row in iter_pairings(store):
        pid = row["id"]
        collaboration = _clean(
            {
                "type": ["Organization", "OrganizationalCollaboration"],
                "id": pid,
                "name": f"{row.get('unit_org_name') or row['unit_org_id']} — "
                f"{row.get('community_org_name') or row['community_org_id']} {PAIRING_ROLE[1]}",
                "classification": PAIRING_ROLE[0],
                "classification_label": PAIRING_ROLE[1],
                "area_id": row.get("community_id"),
                "founding_date": row.get("start_date"),
                "dissolution_date": row.get("end_date"),
                "projects": row["projects"],
                "resources": row.get("resources"),
            }
        )
        common = {"organization_id": pid, "start_date": row.get("start_date"), "end_date": row.get("end_date")}
        memberships = [
            _clean(
                {
                    "type": "Membership",
                    "id": f"{pid}#unit",
                    "member": {"type": "Organization", "id": row["unit_org_id"]},
                    "role": "unit_party_org",
                    "label": PAIRING_ROLE[1],
                    # The unit's Party organisation acts for its unit (机关, 企业, 学校 ...).
                    "on_behalf_of_id": row.get("unit_id"),
                    **common,
                }
            ),
            _clean(
                {
                    "type": "Membership",
                    "id": f"{pid}#community",
                    "member": {"type": "Organization", "id": row["community_org_id"]},
                    "role": "community_committee",
                    "label": PAIRING_ROLE[1],
                    "area_id": row.get("community_id"),
                    **common,
                }
            ),
        ]
        yield collaboration, memberships


def popolo_posts(store: Store) -> Iterator[dict[str, Any]]:
    for row in store.read_arrow("export_api_posts").to_pylist():
        label = _label(Post, row["post"]) or row["post"]
        yield {
            "type": "Post",
            "id": post_id(row["organization_id"], row["post"]),
            "label": f"{row.get('organization_name') or row['organization_id']} {label}",
            "role": row["post"],
            "organization_id": row["organization_id"],
        }


def popolo_memberships(store: Store) -> Iterator[dict[str, Any]]:
    for row in _batches(store, "export_api_memberships"):
        yield _clean(
            {
                "type": "Membership",
                "id": row["id"],
                "person_id": row["person_id"],
                "organization_id": row["organization_id"],
                "post_id": post_id(row["organization_id"], row["post"]),
                "role": row["post"],
                "label": _label(Post, row["post"]),
                "start_date": row.get("start_date"),
                "end_date": row.get("end_date"),
                "full_time": row.get("full_time"),
            }
        )
    for member_label in ("Organization", "Person"):
        for row in _batches(store, "export_api_registrations", BATCH, **{"from": member_label}):
            ref = "person_id" if member_label == "Person" else "member"
            yield _clean(
                {
                    "type": "Membership",
                    "id": row["id"],
                    ref: row["member_id"] if member_label == "Person" else {"type": "Organization", "id": row["member_id"]},
                    "organization_id": row["organization_id"],
                    "role": REGISTRATION_ROLE[0],
                    "label": REGISTRATION_ROLE[1],
                    "start_date": row.get("start_date"),
                    "end_date": row.get("end_date"),
                }
            )


def popolo_events(store: Store, *, with_attendees: bool) -> Iterator[dict[str, Any]]:
    """Each activity of organisational life as a Popolo ``Event``: its kind as the classification, the day held as
    the start date, the organisation that held it; ``attendees`` (person ids) only ``with_attendees``."""
    present: dict[str, list[str]] = defaultdict(list)
    if with_attendees:
        for row in store.read_arrow("export_api_attendees").to_pylist():
            present[row["activity_id"]].append(row["person_id"])
    for row in _batches(store, "export_api_activities"):
        label = _label(ActivityKind, row["kind"])
        held_by = row.get("organization_name") or row.get("organization_id")
        yield _clean(
            {
                "type": "Event",
                "id": row["id"],
                "name": f"{held_by} {label or row['kind']}" if held_by else label,
                "classification": row["kind"],
                "classification_label": label,
                "start_date": row.get("held_on"),
                "organization_id": row.get("organization_id"),
                "description": row.get("topic"),
                "attendance": row.get("attendance"),
                "attendees": present.get(row["id"]) if with_attendees else None,
            }
        )


def popolo_persons(store: Store) -> Iterator[dict[str, Any]]:
    for row in _batches(store, "export_api_persons"):
        yield _clean({"type": "Person", "id": row["id"], "name": row.get("name")})


def popolo_json(store: Store, *, with_person_names: bool) -> Iterator[str]:
    """The whole network as one Popolo JSON document, streamed in chunks.

    Sections: ``areas``, ``organizations`` (pairings among them as ``OrganizationalCollaboration``), ``posts``,
    ``memberships`` (posts held, the two sides of each pairing, dual check-ins), ``events`` (organisational life;
    the people present only when ``with_person_names``) and, only when ``with_person_names``, ``persons`` with id
    and name.
    """
    pairing_memberships: list[dict[str, Any]] = []

    def organizations() -> Iterator[dict[str, Any]]:
        yield from popolo_organizations(store)
        for collaboration, memberships in popolo_collaborations(store):
            pairing_memberships.extend(memberships)
            yield collaboration

    def memberships() -> Iterator[dict[str, Any]]:
        yield from popolo_memberships(store)
        yield from pairing_memberships

    sections: list[tuple[str, Iterator[dict[str, Any]]]] = [
        ("areas", popolo_areas(store)),
        ("organizations", organizations()),
        ("posts", popolo_posts(store)),
        ("memberships", memberships()),
        ("events", popolo_events(store, with_attendees=with_person_names)),
    ]
    if with_person_names:
        sections.append(("persons", popolo_persons(store)))
    yield '{"@context":' + _dumps(POPOLO_CONTEXT)
    for name, items in sections:
        yield f',"{name}":['
        first = True
        chunk: list[str] = []
        for item in items:
            chunk.append(("" if first else ",") + _dumps(item))
            first = False
            if len(chunk) >= 500:
                yield "".join(chunk)
                chunk = []
        yield "".join(chunk) + "]"
    yield "}\n"


def _dumps(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


class PairingExports:
    """The bulk exports of one store, each streamed batch by batch, and the feed cursor to follow them with."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def cursor(self) -> str:
        """The change-feed cursor now: taken before an export's reads, so the feed after it misses nothing."""
        from graph_service.services.audit import current_cursor

        return current_cursor(self.store)

    def ndjson(self) -> Iterator[str]:
        return pairings_ndjson(self.store)

    def csv(self) -> Iterator[str]:
        return pairings_csv(self.store)

    def popolo(self, *, with_person_names: bool) -> Iterator[str]:
        return popolo_json(self.store, with_person_names=with_person_names)
