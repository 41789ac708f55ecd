"""Validation of property values and of the domain's rules, shared by imports, mutations and the seed.

``validate_props`` checks and types one record's properties against the catalogue; ``check_rel_rules`` checks a
relationship against the kinds of its two ends. Both return ``Problem`` lists rather than raising, so an
import can report every problem of a file at once.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any

from graph_service.domain.enums import (
    LEADS_LEVEL,
    OC_POSTS,
    PARENT_LEVEL,
    PARTY_POSTS,
    AreaLevel,
    OrgKind,
    Post,
    RelType,
)
from graph_service.domain.schema import NodeSpec, Prop, PropType, RelSpec
from graph_service.errors import Problem

MAX_STRING = 2000
MAX_LIST = 200
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1


def validate_props(
    spec: NodeSpec | RelSpec,
    props: Mapping[str, Any],
    *,
    partial: bool = False,
    line: int | None = None,
    prefix: str = "",
) -> tuple[dict[str, Any], list[Problem]]:
    """Check ``props`` against ``spec`` and return them typed (ISO strings become dates) with any problems.

    ``partial`` is for updates: required properties may be absent. ``None`` clears an optional property.
    Unknown property names are problems (a typo must not vanish silently).
    """
    typed: dict[str, Any] = {}
    problems: list[Problem] = []
    known, required, allowed = _index(spec)
    for name, value in props.items():
        prop = known.get(name)
        if prop is None:
            problems.append(Problem(prefix + name, f"unknown property; allowed: {allowed}", value, line))
            continue
        if value is None:
            if prop.required:
                problems.append(Problem(prefix + name, "is required and may not be null", value, line))
            else:
                typed[name] = None
            continue
        converted, message = convert(prop, value)
        if message:
            problems.append(Problem(prefix + name, message, value, line))
        else:
            typed[name] = converted
    if not partial:
        for name in required:
            if name not in props:
                problems.append(Problem(prefix + name, "is required", None, line))
    problems.extend(_check_dates(typed, prefix, line))
    if "post" in typed and "member_status" in typed:
        problems.extend(
            Problem(prefix + p.field, p.message, p.value, line)
            for p in check_member_status(typed["post"], typed["member_status"])
        )
    return typed, problems


_INDEX: dict[int, tuple[NodeSpec | RelSpec, dict[str, Prop], tuple[str, ...], str]] = {}


def _index(spec: NodeSpec | RelSpec) -> tuple[dict[str, Prop], tuple[str, ...], str]:
    """Per spec, built once: props by name, required names, the allowed names for messages (imports call this a lot)."""
    entry = _INDEX.get(id(spec))
    if entry is None or entry[0] is not spec:
        known = {p.name: p for p in spec.props}
        entry = (spec, known, tuple(p.name for p in spec.props if p.required), ", ".join(sorted(known)))
        _INDEX[id(spec)] = entry
    return entry[1], entry[2], entry[3]


def text_problem(value: str) -> str | None:
    """Why ``value`` is not valid Unicode text, or ``None``.

    A lone surrogate (half of a UTF-16 pair, which JSON can spell as ``"\\ud800"``) is a Python ``str`` but no
    text: it cannot be encoded as UTF-8, so neither the store nor a response could hold it.
    """
    if value.isascii():
        return None
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        return f"is not valid Unicode text: a lone surrogate \\u{ord(value[exc.start]):04x} at character {exc.start}"
    return None


def convert(prop: Prop, value: Any) -> tuple[Any, str | None]:
    """One value typed for ``prop``, or the reason it cannot be."""
    kind = prop.type
    if kind is PropType.STRING:
        if not isinstance(value, str):
            return None, "must be a string"
        if len(value) > MAX_STRING:
            return None, f"is longer than {MAX_STRING} characters"
        if problem := text_problem(value):
            return None, problem
        if prop.enum is not None and value not in prop.enum._value2member_map_:
            try:
                prop.enum.parse(value)
            except ValueError as exc:
                return None, str(exc)
        return value, None
    if kind is PropType.BOOL:
        return (value, None) if isinstance(value, bool) else (None, "must be true or false")
    if kind is PropType.INT:
        if isinstance(value, bool) or not isinstance(value, int):
            return None, "must be a whole number"
        if not INT64_MIN <= value <= INT64_MAX:
            return None, "does not fit in a 64-bit integer"
        return _in_range(prop, value)
    if kind is PropType.FLOAT:
        if isinstance(value, bool) or not isinstance(value, int | float):
            return None, "must be a number"
        try:
            number = float(value)
        except OverflowError:
            number = math.inf
        if not math.isfinite(number):
            return None, "must be a finite number"
        return _in_range(prop, number)
    if kind is PropType.DATE:
        parsed, message = parse_date(value)
        if parsed is not None and prop.past and parsed > date.today():
            return None, f"is after today ({date.today().isoformat()}): it records something that has happened"
        return parsed, message
    if kind is PropType.TIMESTAMP:
        return parse_timestamp(value)
    if kind is PropType.STRING_LIST:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            return None, "must be a list of strings"
        if len(value) > MAX_LIST:
            return None, f"has more than {MAX_LIST} items"
        for index, item in enumerate(value):
            if len(item) > MAX_STRING:
                return None, f"item {index} is longer than {MAX_STRING} characters"
            if problem := text_problem(item):
                return None, f"item {index} {problem}"
        if prop.enum is not None:
            for item in value:
                if item in prop.enum._value2member_map_:
                    continue
                try:
                    prop.enum.parse(item)
                except ValueError as exc:
                    return None, str(exc)
        return list(value), None
    return None, f"unsupported type {kind}"  # pragma: no cover - the catalogue uses only the types above


def _in_range(prop: Prop, value: float) -> tuple[Any, str | None]:
    if prop.minimum is not None and value < prop.minimum:
        return None, f"must be at least {prop.minimum:g}"
    if prop.maximum is not None and value > prop.maximum:
        return None, f"must be at most {prop.maximum:g}"
    return value, None


def parse_date(value: Any) -> tuple[date | None, str | None]:
    if isinstance(value, datetime):
        return None, "must be a date (YYYY-MM-DD), not a timestamp"
    if isinstance(value, date):
        return value, None
    if not isinstance(value, str):
        return None, "must be an ISO date string YYYY-MM-DD"
    try:
        return date.fromisoformat(value), None
    except ValueError:
        return None, "must be an ISO date YYYY-MM-DD"


def parse_timestamp(value: Any) -> tuple[datetime | None, str | None]:
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            return None, "must be an ISO 8601 timestamp"
    else:
        return None, "must be an ISO 8601 timestamp"
    # Stored as naive UTC: LadybugDB drops offsets silently, so convert here where the offset is still known.
    return (parsed.astimezone(UTC).replace(tzinfo=None) if parsed.tzinfo else parsed), None


_DATE_PAIRS = (("start_date", "end_date"), ("founded", "dissolved"), ("received", "resolved"))
#: Pairs of date properties that must be in order (first <= last) wherever both are set.
DATE_PAIRS = _DATE_PAIRS


def _check_dates(props: Mapping[str, Any], prefix: str, line: int | None) -> list[Problem]:
    problems: list[Problem] = []
    if len(props) < 2:
        return problems
    for first, last in _DATE_PAIRS:
        a, b = props.get(first), props.get(last)
        if isinstance(a, date) and isinstance(b, date) and b < a:
            problems.append(Problem(prefix + last, f"is before {first} ({a.isoformat()})", b.isoformat(), line))
    return problems


def check_dates_in_order(props: Mapping[str, Any], line: int | None = None) -> list[Problem]:
    """Dates in order for a merged view of a record (an update checks the stored values with the changes)."""
    return _check_dates(props, "", line)


# --- rules about what a relationship may join ---------------------------------------------------------------

Endpoint = Mapping[str, Any]  # the properties of a node, with "_label"

_ORG_TO_AREA: dict[str, dict[str, set[str]]] = {
    RelType.LEADS.value: {
        OrgKind.STREET_COMMITTEE.value: {AreaLevel.STREET.value},
        OrgKind.COMMUNITY_COMMITTEE.value: {AreaLevel.COMMUNITY.value},
        OrgKind.COMPOUND_BRANCH.value: {AreaLevel.COMPOUND.value},
        OrgKind.LEADERSHIP_GROUP.value: {AreaLevel.CITY.value, AreaLevel.DISTRICT.value},
    },
    RelType.COVERS.value: {OrgKind.BUILDING_GROUP.value: {AreaLevel.BUILDING.value}},
    RelType.SERVES.value: {
        OrgKind.SERVICE_CENTER.value: {AreaLevel.COMMUNITY.value},
        OrgKind.SERVICE_STATION.value: {AreaLevel.COMPOUND.value},
    },
    RelType.MANAGES.value: {OrgKind.PROPERTY_COMPANY.value: {AreaLevel.COMPOUND.value}},
}

#: Which organisation kinds may sit under which (SUB_ORG_OF child -> allowed parents).
SUB_ORG_PARENTS: dict[str, set[str]] = {
    OrgKind.COMMUNITY_COMMITTEE.value: {OrgKind.STREET_COMMITTEE.value},
    OrgKind.COMPOUND_BRANCH.value: {OrgKind.COMMUNITY_COMMITTEE.value},
    OrgKind.BUILDING_GROUP.value: {OrgKind.COMPOUND_BRANCH.value},
    OrgKind.CENTRAL_HOUSEHOLD.value: {OrgKind.BUILDING_GROUP.value, OrgKind.COMPOUND_BRANCH.value},
    OrgKind.OWNERS_COMMITTEE.value: {OrgKind.COMPOUND_BRANCH.value},
    OrgKind.UNIT_PARTY_ORG.value: {OrgKind.UNIT.value},
    OrgKind.SERVICE_STATION.value: {OrgKind.SERVICE_CENTER.value, OrgKind.COMPOUND_BRANCH.value},
    OrgKind.SERVICE_CENTER.value: {OrgKind.COMMUNITY_COMMITTEE.value},
    OrgKind.WORKING_GROUP.value: {OrgKind.LEADERSHIP_GROUP.value},
    OrgKind.VOLUNTEER_TEAM.value: {OrgKind.COMMUNITY_COMMITTEE.value, OrgKind.COMPOUND_BRANCH.value},
    OrgKind.WARM_STATION.value: {OrgKind.STREET_COMMITTEE.value, OrgKind.COMMUNITY_COMMITTEE.value},
    OrgKind.JOINT_BRANCH.value: {OrgKind.STREET_COMMITTEE.value, OrgKind.COMMUNITY_COMMITTEE.value},
    OrgKind.SECRETARY_STUDIO.value: {OrgKind.STREET_COMMITTEE.value, OrgKind.COMMUNITY_COMMITTEE.value},
    OrgKind.RESERVE_POOL.value: {OrgKind.STREET_COMMITTEE.value},
}

#: Party organisations: they hold organisational life (HELD_BY) and have Party posts.
PARTY_ORG_KINDS: frozenset[str] = frozenset(
    k.value
    for k in (
        OrgKind.STREET_COMMITTEE,
        OrgKind.COMMUNITY_COMMITTEE,
        OrgKind.COMPOUND_BRANCH,
        OrgKind.BUILDING_GROUP,
        OrgKind.JOINT_BRANCH,
        OrgKind.UNIT_PARTY_ORG,
    )
)
#: Relationships from a person to the community they serve, and what they are called in messages.
_TO_COMMUNITY = {
    RelType.SENT_DOWN_TO.value: "a cadre is sent down to a community",
    RelType.LIAISES_WITH.value: "a deputy or committee member serves a community",
}


#: The endpoint properties (besides ``_label``, and ``id`` for messages) that ``check_rel_rules`` and
#: ``check_post`` read: a caller checking many relationships may reuse a result for ends that agree on these.
RULE_PROPS = ("kind", "level", "is_party_member", "held_on", "dissolved", "left_on")


def check_rel_rules(rel_type: str, source: Endpoint, target: Endpoint, line: int | None = None) -> list[Problem]:
    """The domain's rules on what ``rel_type`` may join, given both ends' properties (with ``_label``)."""
    problems: list[Problem] = []
    s_kind, t_kind = source.get("kind"), target.get("kind")
    if rel_type == RelType.PART_OF.value:
        child, parent = source.get("level"), target.get("level")
        try:
            expected = PARENT_LEVEL[AreaLevel.parse(child)]
        except ValueError:
            return problems
        if expected is None or parent != expected.value:
            want = expected.value if expected else "nothing (the city is the top)"
            problems.append(Problem("to", f"a {child} lies in a {want}, not in a {parent}", target.get("id"), line))
    elif rel_type in _ORG_TO_AREA:
        allowed = _ORG_TO_AREA[rel_type]
        if s_kind not in allowed:
            problems.append(Problem("from", f"{rel_type} starts at one of {', '.join(sorted(allowed))}", s_kind, line))
        elif target.get("level") not in allowed[str(s_kind)]:
            levels = ", ".join(sorted(allowed[str(s_kind)]))
            problems.append(Problem("to", f"a {s_kind} {rel_type} a {levels}", target.get("level"), line))
    elif rel_type == RelType.SUB_ORG_OF.value:
        parents = SUB_ORG_PARENTS.get(str(s_kind))
        if parents is None:
            problems.append(Problem("from", "this kind of organisation does not sit under another", s_kind, line))
        elif t_kind not in parents:
            problems.append(Problem("to", f"a {s_kind} sits under one of {', '.join(sorted(parents))}", t_kind, line))
    elif rel_type == RelType.PAIRED_WITH.value:
        if s_kind != OrgKind.UNIT_PARTY_ORG.value:
            problems.append(Problem("from", "a pairing starts at a unit's Party organisation", s_kind, line))
        if t_kind != OrgKind.COMMUNITY_COMMITTEE.value:
            problems.append(Problem("to", "a pairing joins a community Party organisation", t_kind, line))
    elif rel_type == RelType.REGISTERED_WITH.value:
        if source.get("_label") == "Organization" and s_kind != OrgKind.UNIT_PARTY_ORG.value:
            problems.append(Problem("from", "units check in through their Party organisation", s_kind, line))
        if source.get("_label") == "Person" and source.get("is_party_member") is False:
            problems.append(Problem("from", "only Party members check in with a community", source.get("id"), line))
        if t_kind != OrgKind.COMMUNITY_COMMITTEE.value:
            problems.append(Problem("to", "check-in is with a community Party organisation", t_kind, line))
    elif rel_type == RelType.SUNK_TO.value and target.get("level") != AreaLevel.COMPOUND.value:
        problems.append(Problem("to", "staff are sunk to a compound", target.get("level"), line))
    elif rel_type in _TO_COMMUNITY and target.get("level") != AreaLevel.COMMUNITY.value:
        problems.append(Problem("to", _TO_COMMUNITY[rel_type], target.get("level"), line))
    elif rel_type == RelType.JOINS.value:
        if s_kind != OrgKind.UNIT.value:
            problems.append(Problem("from", "a unit joins a joint branch", s_kind, line))
        if t_kind != OrgKind.JOINT_BRANCH.value:
            problems.append(Problem("to", "units join a joint Party branch (联合党支部)", t_kind, line))
    elif rel_type == RelType.HELD_BY.value:
        if t_kind not in PARTY_ORG_KINDS:
            kinds = ", ".join(sorted(PARTY_ORG_KINDS))
            problems.append(Problem("to", f"organisational life is held by a Party organisation ({kinds})", t_kind, line))
        elif _before(target.get("dissolved"), source.get("held_on")):
            message = f"was dissolved on {target['dissolved']}: it held nothing on {source['held_on']}"
            problems.append(Problem("to", message, target.get("id"), line))
    elif rel_type == RelType.ATTENDED.value and _before(source.get("left_on"), target.get("held_on")):
        message = f"left on {source['left_on']}: they attended nothing on {target['held_on']}"
        problems.append(Problem("from", message, source.get("id"), line))
    return problems


def _before(ended: Any, day: Any) -> bool:
    """Whether an end date (an organisation's dissolution, a person's departure) lies before ``day``."""
    return isinstance(ended, date) and isinstance(day, date) and ended < day


def check_post(post: str, org: Endpoint, line: int | None = None) -> list[Problem]:
    """A post must fit the organisation: OC posts in an owners' committee, Party posts in a Party organisation."""
    kind = org.get("kind")
    try:
        p = Post.parse(post)
    except ValueError:
        return []
    if p in OC_POSTS and kind != OrgKind.OWNERS_COMMITTEE.value:
        return [Problem("post", f"{p.value} is a post of an owners' committee, not of a {kind}", post, line)]
    if kind == OrgKind.OWNERS_COMMITTEE.value and p not in OC_POSTS:
        return [Problem("post", f"an owners' committee has oc_director and oc_member posts, not {p.value}", post, line)]
    if p is Post.SECRETARY and kind not in {*LEADS_LEVEL, OrgKind.UNIT_PARTY_ORG.value, OrgKind.JOINT_BRANCH.value}:
        return [Problem("post", f"a {kind} has no secretary", post, line)]
    if (p is Post.STUDIO_LEAD) != (kind == OrgKind.SECRETARY_STUDIO.value):
        return [Problem("post", f"a secretary studio has a studio_lead post, and only it: not {p.value} in a {kind}", post, line)]
    if kind == OrgKind.RESERVE_POOL.value and p is not Post.RESERVE_CADRE:
        return [Problem("post", f"a reserve pool holds reserve_cadre posts, not {p.value}", post, line)]
    return []


def check_member_status(post: str, status: object, line: int | None = None) -> list[Problem]:
    """A member's standing (full or probationary) belongs to a Party post only."""
    try:
        party = Post.parse(post) in PARTY_POSTS
    except ValueError:
        return []
    if status is not None and not party:
        return [Problem("member_status", f"only Party posts have a member status, not {post}", status, line)]
    return []
