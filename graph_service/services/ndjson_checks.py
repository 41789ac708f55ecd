"""The import's checks across records: each file record against the others and against what the store holds.

``ndjson_import`` parses every line (one record's own problems) and reads the store's side (``StoreView``);
``check_records`` then applies what needs more than one record: an area's level and an organisation's kind stay
as stored, both ends of a relationship exist and fit ``validation.check_rel_rules``/``check_post``, a stored
relationship id is not reused between other nodes, and the domain's rules across records (``domain.rules``:
one parent per area and organisation, a parent for every area but the city, one leading organisation in force
per area, no two pairings, registrations or clashing posts in force together). The file's records replace the
stored ones with the same id, so each rule is applied to the store as it would be after the import, and
reported on the file's lines it concerns.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from graph_service.domain import rules
from graph_service.domain.enums import RelType
from graph_service.domain.records import NodeRecord, RelRecord
from graph_service.domain.validation import RULE_PROPS, check_post, check_rel_rules
from graph_service.errors import Problem

#: Properties that decide which relationships a node may have: changing them could break stored relationships.
IDENTITY_PROPS = {"Area": "level", "Organization": "kind"}
StoredRel = tuple[str, str, str, str, dict[str, Any]]  # from id, from label, to id, to label, props


@dataclass
class ParsedFile:
    """The file's records after phase one, typed, with the line each came from."""

    nodes: dict[str, dict[str, NodeRecord]] = field(default_factory=lambda: defaultdict(dict))
    rels: dict[str, dict[str, RelRecord]] = field(default_factory=lambda: defaultdict(dict))
    lines: dict[tuple[str, str], int] = field(default_factory=dict)
    line_count: int = 0
    duplicates: int = 0


@dataclass
class StoreView:
    """What the store already holds of the file's ids, of the nodes its relationships point to, and of the
    relationships the checks compare with (``rel_types_to_read``)."""

    empty: bool
    nodes: dict[str, dict[str, dict[str, Any]]]
    rels: dict[str, dict[str, StoredRel]]


def rel_types_to_read(parsed: ParsedFile) -> set[str]:
    """The relationship types whose stored relationships the checks need: the file's, and PART_OF when the file
    has areas (to know whether each has a parent)."""
    types = set(parsed.rels)
    if parsed.nodes.get("Area"):
        types.add(RelType.PART_OF.value)
    return types


def extra_nodes_to_read(view_rels: dict[str, dict[str, StoredRel]]) -> dict[str, set[str]]:
    """Nodes the checks need besides the ends of the file's relationships: the organisations that lead areas
    (whether they are dissolved decides who leads)."""
    leads = view_rels.get(RelType.LEADS.value, {})
    return {"Organization": {from_id for from_id, *_ in leads.values()}} if leads else {}


def check_records(parsed: ParsedFile, view: StoreView) -> list[Problem]:
    """Every problem across records (see the module's list)."""
    return [
        *_check_nodes(parsed, view),
        *_check_rels(parsed, view),
        *_check_parents(parsed, view),
        *_check_leaders(parsed, view),
        *_check_overlaps(parsed, view),
    ]


def _at(problems: list[Problem], line: int) -> list[Problem]:
    return [dataclasses.replace(problem, line=line) for problem in problems]


def _merged(parsed: ParsedFile, view: StoreView, rel_type: str) -> dict[str, tuple[StoredRel, int | None]]:
    """The relationships of ``rel_type`` as they would be after the import: the stored ones, replaced by the
    file's with the same id; each with its line (``None``: stored and not in the file)."""
    out: dict[str, tuple[StoredRel, int | None]] = {rid: (rest, None) for rid, rest in view.rels.get(rel_type, {}).items()}
    for rid, rel in parsed.rels.get(rel_type, {}).items():
        out[rid] = ((rel.from_id, rel.from_label, rel.to_id, rel.to_label, rel.props), parsed.lines[(rel_type, rid)])
    return out


def _check_nodes(parsed: ParsedFile, view: StoreView) -> Iterator[Problem]:
    for label, prop in IDENTITY_PROPS.items():
        stored = view.nodes.get(label, {})
        for node_id, record in parsed.nodes.get(label, {}).items():
            before = stored.get(node_id)
            if before is not None and before.get(prop) != record.props.get(prop):
                line = parsed.lines[(label, node_id)]
                message = f"cannot change from {before.get(prop)!r} by import: the stored relationships depend on it"
                yield Problem(f"props.{prop}", message, record.props.get(prop), line)


def _check_rels(parsed: ParsedFile, view: StoreView) -> Iterator[Problem]:
    endpoints: dict[tuple[str, str], dict[str, Any] | None] = {}
    # The rules read only a few properties of each end (RULE_PROPS), so a verdict holds for every relationship
    # whose ends agree on them: a city's hundreds of thousands of relationships need a few dozen rule checks.
    passed: set[tuple[Any, ...]] = set()

    def endpoint(label: str, node_id: str) -> dict[str, Any] | None:
        key = (label, node_id)
        if key not in endpoints:
            record = parsed.nodes.get(label, {}).get(node_id)
            props = record.props if record is not None else view.nodes.get(label, {}).get(node_id)
            endpoints[key] = None if props is None else {**props, "id": node_id, "_label": label}
        return endpoints[key]

    for rel_type, records in parsed.rels.items():
        stored = view.rels.get(rel_type, {})
        is_membership = rel_type == RelType.MEMBER_OF.value
        for rel in records.values():
            source, target = endpoint(rel.from_label, rel.from_id), endpoint(rel.to_label, rel.to_id)
            if source is None or target is None:
                line = parsed.lines[(rel_type, rel.id)]
                if source is None:
                    yield Problem("from", f"no {rel.from_label} with this id in the file or the store", rel.from_id, line)
                if target is None:
                    yield Problem("to", f"no {rel.to_label} with this id in the file or the store", rel.to_id, line)
            else:
                post = rel.props.get("post") if is_membership else None
                verdict = (
                    rel_type,
                    rel.from_label,
                    *(source.get(name) for name in RULE_PROPS),
                    rel.to_label,
                    *(target.get(name) for name in RULE_PROPS),
                    post,
                )
                if verdict not in passed:
                    line = parsed.lines[(rel_type, rel.id)]
                    found = check_rel_rules(rel_type, source, target, line)
                    if post is not None:
                        found += check_post(post, target, line)
                    if found:
                        yield from found
                    else:
                        passed.add(verdict)
            before = stored.get(rel.id)
            if before is not None and (before[0], before[1], before[2], before[3]) != (
                rel.from_id,
                rel.from_label,
                rel.to_id,
                rel.to_label,
            ):
                where = f"{before[1]} {before[0]!r} to {before[3]} {before[2]!r}"
                line = parsed.lines[(rel_type, rel.id)]
                yield Problem("id", f"is already the id of a {rel_type} from {where} in the store", rel.id, line)


def _check_parents(parsed: ParsedFile, view: StoreView) -> Iterator[Problem]:
    """One parent per area and per organisation; a parent for every area of the file but the city."""
    part_of = RelType.PART_OF.value
    for rel_type in rules.ONE_PARENT:
        file_rels = parsed.rels.get(rel_type, {})
        areas = parsed.nodes.get("Area", {}) if rel_type == part_of else {}
        if not file_rels and not areas:
            continue
        parents: dict[str, dict[str, str]] = defaultdict(dict)  # child id -> {relationship id: parent id}
        for rid, ((child, _, parent, _, _), _) in _merged(parsed, view, rel_type).items():
            parents[child][rid] = parent
        for rid, rel in file_rels.items():
            others = {other: parent for other, parent in parents[rel.from_id].items() if other != rid}
            if others:
                _, other_parent = min(others.items())
                found = rules.second_parent(rel_type, rel.from_id, other_parent)
                yield from _at(found, parsed.lines[(rel_type, rid)])
        for area_id, record in areas.items():
            if not parents.get(area_id):
                yield from _at(rules.missing_parent(area_id, record.props.get("level")), parsed.lines[("Area", area_id)])


def _check_leaders(parsed: ParsedFile, view: StoreView) -> Iterator[Problem]:
    """One leading organisation in force per area, counting the file's relationships and the stored ones."""
    leads = RelType.LEADS.value
    file_rels = parsed.rels.get(leads, {})
    if not file_rels:
        return
    file_orgs = parsed.nodes.get("Organization", {})
    stored_orgs = view.nodes.get("Organization", {})

    def leading(org_id: str) -> bool:
        record = file_orgs.get(org_id)
        return rules.in_force(record.props if record is not None else stored_orgs.get(org_id))

    leaders: dict[str, dict[str, str]] = defaultdict(dict)  # area id -> {relationship id: organisation id}
    for rid, ((org_id, _, area_id, _, _), _) in _merged(parsed, view, leads).items():
        if leading(org_id):
            leaders[area_id][rid] = org_id
    for rid, rel in file_rels.items():
        if rid in leaders[rel.to_id]:
            others = [org for other, org in leaders[rel.to_id].items() if other != rid]
            yield from _at(rules.second_leader(rel.to_id, others), parsed.lines[(leads, rid)])


def _check_overlaps(parsed: ParsedFile, view: StoreView) -> Iterator[Problem]:
    """No two pairings, registrations or clashing posts in force together; each pair is reported once, on the
    file line that comes later (or the file's line when the other is stored)."""
    for rel_type in sorted(rules.DATED_CLASHES & parsed.rels.keys()):
        file_rels = parsed.rels[rel_type]
        keys = {
            rid: rules.clash_key(rel_type, r.from_label, r.from_id, r.to_id, r.props.get("post")) for rid, r in file_rels.items()
        }
        groups: dict[tuple[str, ...], list[tuple[int, str, rules.Span]]] = defaultdict(list)
        wanted = set(keys.values())
        for rid, ((from_id, from_label, to_id, _, props), line) in _merged(parsed, view, rel_type).items():
            key = rules.clash_key(rel_type, from_label, from_id, to_id, props.get("post"))
            if key in wanted and key is not None:
                groups[key].append((line or 0, rid, rules.Span.of(rid, props)))
        for rid, rel in file_rels.items():
            key = keys[rid]
            group = groups.get(key, []) if key is not None else []
            if len(group) < 2:
                continue
            line = parsed.lines[(rel_type, rid)]
            span = rules.Span.of(rid, rel.props)
            for other_line, _, other in sorted(group, key=lambda item: (item[0], item[1])):
                if other_line >= line:
                    break  # a later line reports the pair itself
                found = rules.overlap(rel_type, span, other)
                if found:
                    yield from _at(found, line)
                    break
