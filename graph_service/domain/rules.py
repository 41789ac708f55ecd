"""The domain's rules across records: how many parents a node has, who leads an area, what may be in force together.

``validation`` checks one record, or one relationship against its two ends; the rules here need other records
too (the area's other parents, the area's other leaders, the other posts of the same person in the same
organisation). Each is a function of plain values that returns a list of ``Problem`` (empty when the rule
holds). The change service and the import (every path: the columnar fast lane hands the line-by-line checks
any file it cannot vouch for) call these same functions, so a broken rule is reported with the same field,
value and message however the data arrives; the import adds the line.

The rules:

* every area but the city lies in exactly one parent area (``missing_parent``, ``second_parent``), and an
  organisation sits under at most one parent organisation (``second_parent``);
* an area is led (``LEADS``) by at most one organisation in force, that is without a ``dissolved`` date: a
  new community committee takes over only once the old one is dissolved (``second_leader``);
* two pairings of the same unit Party organisation with the same community Party organisation, two
  registrations of the same unit or person with the same community, two memberships of the same unit in the same
  joint branch, two postings of the same cadre to the same community, or two liaisons of the same deputy with
  the same community, are not in force on a common day;
* two posts of one person in one organisation are not in force on a common day when they are the same post,
  or both leading posts (secretary, deputy secretary, committee member, group leader: one person holds one
  rank in a leadership at a time), or both owners' committee posts. Any other combination may be held at once:
  a member who is also the secretary or a building leader, a grid worker who is also a reserve cadre
  (``overlap``; ``clash_key`` says which relationships are compared).

Dates: a relationship without ``start_date`` is in force from the beginning, one without ``end_date`` until
further notice; two are in force together when those spans share a day (an end date is the last day).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from graph_service.domain.enums import OC_POSTS, PARENT_LEVEL, AreaLevel, Post, RelType
from graph_service.errors import Problem

#: Relationship types of which a node has at most one going out (its parent), and the rule's wording.
ONE_PARENT: dict[str, str] = {
    RelType.PART_OF.value: "every area but the city lies in exactly one parent area (a building in exactly one compound)",
    RelType.SUB_ORG_OF.value: "an organisation sits under at most one parent organisation",
}
#: Posts that rank a person in an organisation's leadership: one of them at a time in one organisation.
LEADING_POSTS: frozenset[Post] = frozenset({Post.SECRETARY, Post.DEPUTY_SECRETARY, Post.COMMITTEE_MEMBER, Post.GROUP_LEADER})
#: Dated relationships that may not be in force together with another between the same two ends.
DATED_CLASHES: frozenset[str] = frozenset(
    {
        RelType.PAIRED_WITH.value,
        RelType.REGISTERED_WITH.value,
        RelType.MEMBER_OF.value,
        RelType.JOINS.value,
        RelType.SENT_DOWN_TO.value,
        RelType.LIAISES_WITH.value,
    }
)
_SAME_ENDS = {
    RelType.PAIRED_WITH.value: "a live pairing between the same two organisations",
    RelType.REGISTERED_WITH.value: "a registration with the same community",
    RelType.JOINS.value: "the same unit's membership of the same joint branch",
    RelType.SENT_DOWN_TO.value: "the same cadre's posting to the same community",
    RelType.LIAISES_WITH.value: "the same deputy's or member's service of the same community",
}
_RANK_NAMES = {"leading": "leading post", "owners_committee": "owners' committee post"}


def missing_parent(area_id: str, level: Any) -> list[Problem]:
    """An area of ``level`` that lies in no parent area: a problem unless it is the city."""
    try:
        parent = PARENT_LEVEL[AreaLevel.parse(level)]
    except ValueError:
        return []  # an unknown level is the property check's to report
    if parent is None:
        return []
    message = f"{level} {area_id!r} lies in no {parent.value}: {ONE_PARENT[RelType.PART_OF.value]}"
    return [Problem("parent_id", message, area_id)]


def second_parent(rel_type: str, child_id: str, other_parent_id: str) -> list[Problem]:
    """``child_id`` gets a ``rel_type`` parent while it already has ``other_parent_id``."""
    verb = "lies in" if rel_type == RelType.PART_OF.value else "sits under"
    message = f"{child_id!r} already {verb} {other_parent_id!r}: {ONE_PARENT[rel_type]}"
    return [Problem("from", message, child_id)]


def second_leader(area_id: str, other_leader_ids: Iterable[str]) -> list[Problem]:
    """``area_id`` gets a leading organisation while ``other_leader_ids`` (organisations in force) lead it."""
    others = sorted(other_leader_ids)
    if not others:
        return []
    message = (
        f"area {area_id!r} is already led by {others[0]!r}: an area is led by one organisation in force at a "
        "time (dissolve the other first)"
    )
    return [Problem("to", message, area_id)]


def in_force(org: Mapping[str, Any] | None) -> bool:
    """Whether an organisation (its properties) counts as leading: it has no ``dissolved`` date."""
    return org is not None and org.get("dissolved") is None


@dataclass(frozen=True)
class Span:
    """A dated relationship as the overlap rule sees it."""

    id: str
    start: date | None = None
    end: date | None = None
    post: str | None = None

    @classmethod
    def of(cls, rel_id: str, props: Mapping[str, Any]) -> Span:
        post = props.get("post")
        return cls(rel_id, props.get("start_date"), props.get("end_date"), None if post is None else str(post))


def post_rank(post: str | None) -> str:
    """Posts with the same rank exclude each other in one organisation at one time (see the module's rules)."""
    try:
        parsed = Post.parse(post)
    except ValueError:
        return str(post)
    if parsed in LEADING_POSTS:
        return "leading"
    if parsed in OC_POSTS:
        return "owners_committee"
    return str(parsed.value)


def clash_key(rel_type: str, from_label: str, from_id: str, to_id: str, post: str | None = None) -> tuple[str, ...] | None:
    """Relationships with the same key must not be in force together; ``None`` for types without that rule."""
    if rel_type not in DATED_CLASHES:
        return None
    if rel_type == RelType.MEMBER_OF.value:
        return (rel_type, from_label, from_id, to_id, post_rank(post))
    return (rel_type, from_label, from_id, to_id)


def overlap(rel_type: str, new: Span, other: Span) -> list[Problem]:
    """``new`` and ``other`` share a ``clash_key``: a problem if they are in force on a common day."""
    if other.id == new.id or not _together(new, other):
        return []
    if rel_type == RelType.MEMBER_OF.value:
        if new.post == other.post:
            what = f"the same post ({new.post}) in the same organisation"
        else:
            what = f"another {_RANK_NAMES.get(post_rank(new.post), 'post')} ({other.post}) in the same organisation"
    else:
        what = _SAME_ENDS[rel_type]
    span = f"{_iso(other.start) or '…'} to {_iso(other.end) or 'now'}"
    return [Problem("start_date", f"overlaps {what}: {other.id} ({span})", _iso(new.start))]


def _together(a: Span, b: Span) -> bool:
    a_start, a_end = a.start or date.min, a.end or date.max
    b_start, b_end = b.start or date.min, b.end or date.max
    return a_start <= b_end and b_start <= a_end


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None
