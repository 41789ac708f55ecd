"""Pairings (结对共建), dual check-ins (双报到) and cross-appointments (交叉任职): what integrations pull."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from graph_service.domain.enums import OC_POSTS, PARTY_POSTS, NodeLabel, UnitType
from graph_service.services.calendar import Calendar
from graph_service.services.paging import Page, Window
from graph_service.services.reading import listing, listings
from graph_service.store.port import Row, Store
from graph_service.store.queries import Filter, Query, filters

_LINK_FILTERS = ("link_from", "link_to_district", "link_in_force", "link_started_after")
listings(
    {
        "pairings": ("link_from_unit_type", *_LINK_FILTERS),
        "registrations": ("link_from_label", *_LINK_FILTERS),
        "cross_appointments": (),
        "cross_appointments_under": (),
    }
)


@dataclass(frozen=True)
class Link:
    """A relationship with both its ends: ``rel`` its properties, ``source`` and ``target`` the nodes."""

    rel: Row
    source: Row
    target: Row


@dataclass(frozen=True)
class LinkFilter:
    """Filters shared by pairings and check-ins. ``community_id`` is a community (area) or its committee."""

    source_id: str | None = None
    community_id: str | None = None
    district_id: str | None = None
    active_on: date | None = None
    started_after: date | None = None


@dataclass(frozen=True)
class PairingFilter(LinkFilter):
    unit_type: UnitType | None = None


@dataclass(frozen=True)
class RegistrationFilter(LinkFilter):
    """``registrant_label``: ``Organization`` for units' Party organisations, ``Person`` for members."""

    registrant_label: NodeLabel | None = None


@dataclass(frozen=True)
class CrossAppointment:
    """One person with a current Party post in a compound's branch and a current post in its owners' committee."""

    compound: Row
    person: Row
    branch: Row
    branch_post: Row
    owners_committee: Row
    owners_committee_post: Row


def cross_appointment_params(area_id: str | None, as_of: date) -> dict[str, Any]:
    """The parameters of the cross-appointments listings: the area, the day, and the posts that count on each side."""
    return {
        "area": area_id,
        "as_of": as_of,
        "party_posts": sorted(p.value for p in PARTY_POSTS),
        "oc_posts": sorted(p.value for p in OC_POSTS),
    }


class RelationReader:
    def __init__(self, store: Store, calendar: Calendar | None = None) -> None:
        self.store = store
        self.calendar = calendar or Calendar(store)

    def pairings(self, f: PairingFilter, window: Window) -> Page[Link]:
        extra = filters(("link_from_unit_type", True if f.unit_type is not None else None))
        params = {"unit_type": f.unit_type.value if f.unit_type is not None else None}
        page = self._links("pairings", f, extra, params, window)
        return page.map(lambda row: Link(row["r"], row["u"], row["c"]))

    def registrations(self, f: RegistrationFilter, window: Window) -> Page[Link]:
        label = f.registrant_label.value if f.registrant_label is not None else None
        if f.community_id is not None and label is not None:
            # The registrant's label in the pattern: see registrations_of_community_by_kind.
            of_kind = "registrations_of_community_by_kind"
            page = self._links("registrations", f, (), {}, window, of_community=of_kind, registrant=label)
        else:
            extra = filters(("link_from_label", True if label is not None else None))
            page = self._links("registrations", f, extra, {"label": label}, window)
        return page.map(lambda row: Link(row["r"], row["x"], row["c"]))

    def _links(
        self,
        name: str,
        f: LinkFilter,
        extra: tuple[Filter, ...],
        params: dict[str, Any],
        window: Window,
        of_community: str | None = None,
        **names: str,
    ) -> Page[Row]:
        """A page of ``name``'s listing; filtered by a community, the links read by ``of_community`` (default:
        ``<name>_of_community``) with the placeholders ``names``."""
        conditions = extra + filters(
            ("link_from", True if f.source_id else None),
            ("link_to_district", True if f.district_id else None),
            ("link_in_force", True if f.active_on is not None else None),
            ("link_started_after", True if f.started_after is not None else None),
        )
        values = {
            **params,
            "source": f.source_id,
            "district": f.district_id,
            "as_of": f.active_on,
            "started_after": f.started_after,
        }
        if f.community_id is None:
            return listing(self.store, name, conditions, values, window)
        # A community's links are read from its committee outwards, all at once, and paged here in the order
        # <name>_page lists them (start date, nulls last as both engines sort them, then id). Their nodes carry what
        # the caller reads, as a listing's page does (a member's phone and address are not read for a check-in's
        # date).
        query = Query(of_community or f"{name}_of_community", conditions, columns=window.columns)
        rows = self.store.read(query, {**values, "community": f.community_id}, **names)
        unique = {row["r"]["id"]: row for row in rows}
        ordered = sorted(
            unique.values(), key=lambda row: (row["r"].get("start_date") is None, row["r"].get("start_date"), row["r"]["id"])
        )
        return Page.of_list(ordered, window)

    def cross_appointments(self, area_id: str | None, window: Window, as_of: date | None = None) -> Page[CrossAppointment]:
        """Cross-appointments in the compounds of ``area_id`` (everywhere when ``None``), by compound and person."""
        params = cross_appointment_params(area_id, self.calendar.day(as_of))
        name = "cross_appointments_under" if area_id else "cross_appointments"
        page = listing(self.store, name, (), params, window)
        return page.map(lambda r: CrossAppointment(r["c"], r["p"], r["b"], r["m1"], r["o"], r["m2"]))


__all__ = [
    "CrossAppointment",
    "Link",
    "LinkFilter",
    "PairingFilter",
    "RegistrationFilter",
    "RelationReader",
    "cross_appointment_params",
]
