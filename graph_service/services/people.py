"""People and their posts: by name (personal data), employment, membership, post, organisation and home area."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from graph_service.domain.enums import Employment, Post
from graph_service.services.calendar import Calendar
from graph_service.services.paging import Page, Window
from graph_service.services.reading import listing, listings, normalise
from graph_service.store.port import Row, Store
from graph_service.store.queries import Filter, filters

_FILTERS = (
    "person_post",
    "person_current_post",
    "person_currently_in_organization",
    "person_post_in_organization",
    "person_current_post_in_organization",
    "person_lives_in",
    "name_contains",
    "person_employment",
    "person_party_member",
    "person_present",
)
listings({name: _FILTERS for name in ("people", "people_in_area", "people_in_organization", "people_with_post")})


@dataclass(frozen=True)
class PersonFilter:
    """``post`` and ``organization_id`` ask for someone holding (``current_posts_only``: now) such a post."""

    name_contains: str | None = None
    post: Post | None = None
    organization_id: str | None = None
    current_posts_only: bool = True
    area_id: str | None = None
    is_party_member: bool | None = None
    employment: Employment | None = None
    include_left: bool = False


class PeopleReader:
    def __init__(self, store: Store, calendar: Calendar | None = None) -> None:
        self.store = store
        self.calendar = calendar or Calendar(store)

    def people(self, f: PersonFilter, window: Window, as_of: date | None = None) -> Page[Row]:
        """A page of people by id. The most selective of organisation, home area and post anchors the statement;
        the others become conditions of it."""
        held = _post_condition(f)
        if f.organization_id:
            name = "people_in_organization"
        elif f.area_id:
            name = "people_in_area"
        elif f.post is not None:
            name = "people_with_post"
        else:
            name = "people"
        conditions: list[Filter] = []
        if held is not None:
            conditions.append(Filter(held))
        if f.area_id and name != "people_in_area":
            conditions.append(Filter("person_lives_in"))
        conditions += filters(
            ("name_contains", True if f.name_contains else None),
            ("person_employment", True if f.employment is not None else None),
            ("person_party_member", f.is_party_member),
            ("person_present", None if f.include_left else True),
        )
        params = {
            "name": normalise(f.name_contains or ""),
            "employment": f.employment.value if f.employment is not None else None,
            "organization": f.organization_id,
            "area": f.area_id,
            "post": f.post.value if f.post is not None else None,
            "as_of": self.calendar.day(as_of),
        }
        return listing(self.store, name, tuple(conditions), params, window).map(lambda row: row["p"])


def _post_condition(f: PersonFilter) -> str | None:
    """The fragment saying the person holds (or held) the post and/or a post in the organisation asked for;
    ``None`` when the statement's anchor says it already (any post, ever, in the organisation)."""
    current = "current_" if f.current_posts_only else ""
    if f.organization_id and f.post is not None:
        return f"person_{current}post_in_organization"
    if f.organization_id:
        return "person_currently_in_organization" if f.current_posts_only else None
    if f.post is not None:
        return f"person_{current}post"
    return None


__all__ = ["PeopleReader", "PersonFilter"]
