"""Create, update and end areas, organisations, people and their relationships, one transaction per change.

Each method validates its input with the domain rules (``domain.validation``; across records ``domain.rules``,
which imports apply too), then runs the whole change and its audit entries in one write transaction: either
all of it commits or nothing does. Ending sets an end date and keeps the record (history is never deleted);
ending an organisation or a person also ends their live posts, pairings and registrations on the same day,
each with its own audit entry.

Editable through the API:

* nodes: ``Area``, ``Organization``, ``Person`` (create, update, end); ``Activity`` (create, update: a meeting
  that was held is corrected, never ended), created with its ``HELD_BY`` organisation and the ``ATTENDED`` of
  the people recorded as present, in the same transaction;
* ``MEMBER_OF`` (posts), ``PAIRED_WITH`` (pairings), ``REGISTERED_WITH`` (dual check-in), ``JOINS`` (a unit in a
  joint branch), ``SENT_DOWN_TO`` (a cadre sent down to a community), ``LIAISES_WITH`` (a deputy or committee
  member serving a community): create, update, end;
* ``PART_OF``, ``SUB_ORG_OF``, ``LEADS`` (structure): create only. They carry no dates, so they are not ended;
  an area or organisation that goes away is ended itself and keeps its place in the structure as history.

Projects, appeals and the other relationships come from imports only.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from graph_service.domain import rules
from graph_service.domain.enums import NodeLabel, RelType
from graph_service.domain.records import NodeRecord, RelRecord
from graph_service.domain.schema import NODES, RELS, NodeSpec, RelSpec
from graph_service.domain.validation import (
    MAX_LIST,
    check_dates_in_order,
    check_member_status,
    check_post,
    check_rel_rules,
    parse_date,
    validate_props,
)
from graph_service.errors import ConflictError, GraphServiceError, NotFoundError, Problem, ValidationError
from graph_service.services import audit
from graph_service.store.derived import derived_values
from graph_service.store.port import Row, Store, Tx

EDITABLE_NODES: tuple[str, ...] = (
    NodeLabel.AREA.value,
    NodeLabel.ORGANIZATION.value,
    NodeLabel.PERSON.value,
    NodeLabel.ACTIVITY.value,
)
#: The property that records a node's end (its ``end_node`` date); an activity has none: it was held.
END_PROP: dict[str, str] = {
    NodeLabel.AREA.value: "abolished",
    NodeLabel.ORGANIZATION.value: "dissolved",
    NodeLabel.PERSON.value: "left_on",
}
#: Properties that decide which rules apply to a node's relationships: changing them would silently break
#: rules checked when those relationships were made, so a different kind means a new node.
IMMUTABLE: dict[str, frozenset[str]] = {
    NodeLabel.AREA.value: frozenset({"level"}),
    NodeLabel.ORGANIZATION.value: frozenset({"kind"}),
}
DATED_RELS: tuple[str, ...] = (
    RelType.MEMBER_OF.value,
    RelType.PAIRED_WITH.value,
    RelType.REGISTERED_WITH.value,
    RelType.JOINS.value,
    RelType.SENT_DOWN_TO.value,
    RelType.LIAISES_WITH.value,
)
STRUCTURE_RELS: tuple[str, ...] = (RelType.PART_OF.value, RelType.SUB_ORG_OF.value, RelType.LEADS.value)
EDITABLE_RELS: tuple[str, ...] = DATED_RELS + STRUCTURE_RELS
#: An activity's relationships: made with the activity (``create_node``), never on their own, and kept with it.
ACTIVITY_RELS: tuple[str, ...] = (RelType.HELD_BY.value, RelType.ATTENDED.value)
#: Relationships that carry nothing but their id.
ID_ONLY_RELS: tuple[str, ...] = STRUCTURE_RELS + ACTIVITY_RELS
ID_PREFIX: dict[str, str] = {
    NodeLabel.AREA.value: "area",
    NodeLabel.ORGANIZATION.value: "org",
    NodeLabel.PERSON.value: "person",
    NodeLabel.ACTIVITY.value: "activity",
    RelType.MEMBER_OF.value: "post",
    RelType.PAIRED_WITH.value: "pairing",
    RelType.REGISTERED_WITH.value: "registration",
    RelType.PART_OF.value: "part-of",
    RelType.SUB_ORG_OF.value: "sub-org-of",
    RelType.LEADS.value: "leads",
    RelType.JOINS.value: "joins",
    RelType.SENT_DOWN_TO.value: "sent-down",
    RelType.LIAISES_WITH.value: "liaison",
    RelType.HELD_BY.value: "held-by",
    RelType.ATTENDED.value: "attended",
}
#: Relationships ended together with a node: (type, the node's side).
CASCADE: dict[str, tuple[tuple[str, str], ...]] = {
    NodeLabel.ORGANIZATION.value: (
        (RelType.MEMBER_OF.value, "to"),
        (RelType.PAIRED_WITH.value, "from"),
        (RelType.PAIRED_WITH.value, "to"),
        (RelType.REGISTERED_WITH.value, "from"),
        (RelType.REGISTERED_WITH.value, "to"),
        (RelType.JOINS.value, "from"),
        (RelType.JOINS.value, "to"),
    ),
    NodeLabel.PERSON.value: (
        (RelType.MEMBER_OF.value, "from"),
        (RelType.REGISTERED_WITH.value, "from"),
        (RelType.SENT_DOWN_TO.value, "from"),
        (RelType.LIAISES_WITH.value, "from"),
    ),
    NodeLabel.AREA.value: ((RelType.SENT_DOWN_TO.value, "to"), (RelType.LIAISES_WITH.value, "to")),
}
MAX_ID_LENGTH = 200


class _InputFieldError(GraphServiceError):
    """An error about one input field: ``field`` and ``value`` say which; the message is written for users."""

    def __init__(self, field: str, value: Any, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.value = value


class EntityNotFoundError(_InputFieldError, NotFoundError):
    """An id given in the input names nothing; ``field`` and ``value`` say which."""


class ChangeConflictError(_InputFieldError, ConflictError):
    """The change clashes with what is stored (a duplicate id, a second live pairing, an end already set)."""


def new_id(kind: str) -> str:
    """A fresh id: a readable prefix naming the kind, then a random uuid4."""
    return f"{ID_PREFIX.get(kind, kind.lower())}-{uuid.uuid4().hex}"


class ChangeService:
    """The write side of the service over one store. ``actor`` names who asks, for the audit trail."""

    def __init__(self, store: Store) -> None:
        self.store = store

    # --- nodes -------------------------------------------------------------------------------------------

    def create_node(
        self,
        actor: str,
        label: str,
        props: Mapping[str, Any],
        *,
        parent_id: str | None = None,
        leads_area_id: str | None = None,
        held_by_id: str | None = None,
        attendee_ids: Sequence[str] = (),
    ) -> Row:
        """Create a node; ``parent_id`` also places it (``PART_OF`` for an area, ``SUB_ORG_OF`` for an
        organisation), ``leads_area_id`` makes an organisation lead an area, ``held_by_id`` names the Party
        organisation that held an activity (required for one) and ``attendee_ids`` the people recorded as present,
        all in the same transaction."""
        spec = _node_spec(label)
        values = dict(props)
        node_id = values.pop("id", None) or new_id(label)
        typed, problems = validate_props(spec, {"id": node_id, **values})
        problems += _check_id("id", node_id)
        links: list[_Link] = []
        if parent_id is not None:
            if label == NodeLabel.AREA.value:
                links.append(_Link(RelType.PART_OF.value, parent_id, "parent_id"))
            elif label == NodeLabel.ORGANIZATION.value:
                links.append(_Link(RelType.SUB_ORG_OF.value, parent_id, "parent_id"))
            else:
                problems.append(Problem("parent_id", f"a {label} has no parent", parent_id))
        elif label == NodeLabel.AREA.value and not problems:
            problems += rules.missing_parent(node_id, typed.get("level"))
        if leads_area_id is not None:
            if label == NodeLabel.ORGANIZATION.value:
                links.append(_Link(RelType.LEADS.value, leads_area_id, "leads_area_id"))
            else:
                problems.append(Problem("leads_area_id", "only an organisation leads an area", leads_area_id))
        activity_links, more = _activity_links(label, held_by_id, attendee_ids)
        links += activity_links
        _raise_if(problems + more)

        def work(tx: Tx) -> Row:
            if _get_node(tx, label, node_id) is not None:
                raise ChangeConflictError("id", node_id, f"a {label} with id {node_id!r} already exists")
            row = _write_node(tx, "create", label, node_id, typed)
            _audit_node(tx, actor, audit.CREATE, label, node_id, None, row)
            # A rule the new node breaks on its own side is about its kind (level, day held); on the other, the id
            # given.
            own = OWN_FIELD.get(label, "kind")
            for link in links:
                rel_props = {"id": new_id(link.rel_type)}
                if link.incoming:
                    rename = {"from": link.field, "to": own}
                    self._create_rel_tx(tx, actor, link.rel_type, link.other_id, node_id, rel_props, rename=rename)
                else:
                    rename = {"from": own, "to": link.field}
                    self._create_rel_tx(tx, actor, link.rel_type, node_id, link.other_id, rel_props, rename=rename)
            return row

        return self.store.execute_write(work)

    def update_node(self, actor: str, label: str, node_id: str, changes: Mapping[str, Any]) -> Row:
        """Change some properties of a node; ``None`` clears an optional one. Returns the node as stored."""
        spec = _node_spec(label)
        values = dict(changes)
        problems: list[Problem] = []
        if "id" in values and values.pop("id") != node_id:
            problems.append(Problem("id", "cannot be changed; create a new one and end this one", changes["id"]))
        for name in sorted(IMMUTABLE.get(label, frozenset()) & values.keys()):
            problems.append(Problem(name, "cannot be changed; create a new one and end this one", values.pop(name)))
        typed, more = validate_props(spec, values, partial=True)
        _raise_if(problems + more)

        def work(tx: Tx) -> Row:
            old = _require_node(tx, label, node_id, "id")
            merged = {**_props(old), **typed}
            _raise_if(check_dates_in_order(merged))
            if merged == _props(old):
                raise _Unchanged(old)
            if label == NodeLabel.ACTIVITY.value and merged.get("held_on") != old.get("held_on"):
                _raise_if(_activity_end_problems(tx, node_id, {**merged, "id": node_id, "_label": label}))
            row = _write_node(tx, "update", label, node_id, merged)
            _audit_node(tx, actor, audit.UPDATE, label, node_id, old, row)
            return row

        return _unless_unchanged(self.store, work)

    def end_node(self, actor: str, label: str, node_id: str, end: date | str) -> Row:
        """End a node on ``end`` (an organisation's ``dissolved``, an area's ``abolished``, a person's
        ``left_on``) and end its live posts, pairings and registrations on the same day."""
        _node_spec(label)
        if label not in END_PROP:
            _raise_if([Problem("label", f"a {label} is not ended: it happened; correct it with an update", label)])
        prop = END_PROP[label]
        end_date = _parse_end(end, prop)

        def work(tx: Tx) -> Row:
            old = _require_node(tx, label, node_id, "id")
            if old.get(prop) is not None:
                raise ChangeConflictError(prop, old[prop].isoformat(), f"{label} {node_id!r} already ended")
            merged = {**_props(old), prop: end_date}
            _raise_if(check_dates_in_order(merged))
            row = _write_node(tx, "update", label, node_id, merged)
            _audit_node(tx, actor, audit.END, label, node_id, old, row)
            self._cascade_end(tx, actor, label, node_id, end_date)
            return row

        return self.store.execute_write(work)

    def _cascade_end(self, tx: Tx, actor: str, label: str, node_id: str, end_date: date) -> None:
        problems: list[Problem] = []
        for rel_type, side in CASCADE[label]:
            for from_label, to_label in RELS[rel_type].pairs:
                if (from_label if side == "from" else to_label) != label:
                    continue
                query = "change_rels_out" if side == "from" else "change_rels_in"
                for found in tx.run(query, {"id": node_id}, rel=rel_type, **{"from": from_label, "to": to_label}):
                    rel = found["r"]
                    if rel.get("end_date") is not None:
                        continue
                    start = rel.get("start_date")
                    if start is not None and start > end_date:
                        problems.append(
                            Problem(
                                END_PROP[label],
                                f"is before the start ({start.isoformat()}) of its live {rel_type} {rel['id']}; "
                                "end or correct that first",
                                end_date.isoformat(),
                            )
                        )
                        continue
                    _end_rel(tx, actor, (rel_type, from_label, to_label), rel, found["from_id"], found["to_id"], end_date)
        _raise_if(problems)

    # --- relationships -----------------------------------------------------------------------------------

    def create_rel(self, actor: str, rel_type: str, from_id: str, to_id: str, props: Mapping[str, Any]) -> Row:
        """Create a relationship after checking both ends exist and fit the domain rules."""
        spec = _rel_spec(rel_type)
        values = dict(props)
        given_id = bool(values.get("id"))
        values["id"] = values.get("id") or new_id(rel_type)
        typed, problems = validate_props(spec, values)
        problems += _check_id("id", values["id"])
        _raise_if(problems)
        return self.store.execute_write(
            lambda tx: self._create_rel_tx(tx, actor, rel_type, from_id, to_id, typed, given_id=given_id)
        )

    def create_rels(
        self,
        actor: str,
        rel_type: str,
        items: Sequence[NewRel],
        *,
        dry_run: bool = False,
        check: Callable[[NewRel, Row, Row], list[Problem]] | None = None,
    ) -> int:
        """Create many relationships of ``rel_type`` in one write transaction, each exactly as ``create_rel`` does
        (the same checks, the same audit entries), all or nothing.

        Every item is checked, also after one has failed, so the refusal names every problem: each ``Problem``
        carries the item's ``line``. Items are written in order inside the transaction, so a later item clashing
        with an earlier one (two live registrations of the same pair) is refused as it would be over the API.
        ``check`` sees each item's two ends as stored and may add problems (an expected name, say). With
        ``dry_run`` everything is checked and nothing is kept. Returns how many were (or would be) created.
        """
        spec = _rel_spec(rel_type)
        typed_items: list[tuple[NewRel, dict[str, Any], bool]] = []
        problems: list[Problem] = []
        for item in items:
            values = dict(item.props)
            given_id = bool(values.get("id"))
            values["id"] = values.get("id") or new_id(rel_type)
            typed, found = validate_props(spec, values, line=item.line)
            found += [_at(p, item.line) for p in _check_id("id", values["id"])]
            problems += found
            typed_items.append((item, typed, given_id))
        _raise_if(problems)

        def work(tx: Tx) -> int:
            refused: list[Problem] = []
            for item, typed, given_id in typed_items:
                try:
                    source = _find_node(tx, list(item.from_labels or _from_labels(rel_type)), item.from_id, "from")
                    target = _find_node(tx, _to_labels(rel_type, str(source["_label"])), item.to_id, "to")
                    more = check(item, source, target) if check is not None else []
                    if more:
                        refused += [_at(p, item.line) for p in more]
                        continue
                    self._create_rel_tx(
                        tx, actor, rel_type, item.from_id, item.to_id, typed, given_id=given_id, ends=(source, target)
                    )
                except ValidationError as exc:
                    refused += [_at(p, item.line) for p in exc.problems]
                except _InputFieldError as exc:
                    refused.append(Problem(exc.field, str(exc), exc.value, item.line))
            _raise_if(refused)
            if dry_run:
                raise _DryRun(len(typed_items))
            return len(typed_items)

        try:
            return self.store.execute_write(work)
        except _DryRun as done:
            return done.count

    def _create_rel_tx(
        self,
        tx: Tx,
        actor: str,
        rel_type: str,
        from_id: str,
        to_id: str,
        props: Mapping[str, Any],
        *,
        given_id: bool = False,
        rename: Mapping[str, str] | None = None,
        ends: tuple[Row, Row] | None = None,
    ) -> Row:
        """Create a relationship inside ``tx``; ``props`` are validated and typed, with an ``id``; ``ends`` are both
        nodes when the caller has read them in ``tx`` already."""
        spec = RELS[rel_type]
        typed = dict(props)
        rel_id = str(typed["id"])
        rename = rename or {}
        if ends is None:
            source = _find_node(tx, _from_labels(rel_type), from_id, rename.get("from", "from"))
            target = _find_node(tx, _to_labels(rel_type, str(source["_label"])), to_id, rename.get("to", "to"))
        else:
            source, target = ends
        key = (rel_type, source["_label"], target["_label"])
        problems = check_rel_rules(rel_type, source, target)
        if rel_type == RelType.MEMBER_OF.value:
            problems += check_post(str(typed["post"]), target)
        if rel_type not in ACTIVITY_RELS:  # an activity's dates against its ends are check_rel_rules' to judge
            problems += _check_live_ends(rel_type, typed, source, target)
        _raise_if([_renamed(p, rename) for p in problems])
        # A generated id is a fresh uuid; only an id the client chose can exist already (and looking a
        # relationship up by id scans its table on LadybugDB).
        if given_id and _find_rel(tx, rel_type, rel_id) is not None:
            raise ChangeConflictError("id", rel_id, f"a {rel_type} with id {rel_id!r} already exists")
        self._check_clashes(tx, key, from_id, to_id, typed, rename)
        params = {name: typed.get(name) for name in spec.prop_names}
        params.update(from_id=from_id, to_id=to_id)
        if rel_type in ID_ONLY_RELS:
            created = tx.run("change_create_structure", params, rel=rel_type, **{"from": key[1], "to": key[2]})
        else:
            created = tx.run(_rel_query("create", rel_type), params, **{"from": key[1]})
        if not created:  # pragma: no cover - both ends were read in this transaction
            raise ChangeConflictError("id", rel_id, "the relationship could not be created")
        return _rel_row(_audit_rel(tx, actor, audit.CREATE, key, None, created[0]))

    def _check_clashes(
        self,
        tx: Tx,
        key: tuple[str, str, str],
        from_id: str,
        to_id: str,
        props: Mapping[str, Any],
        rename: Mapping[str, str],
        *,
        ignore_id: str | None = None,
    ) -> None:
        rel_type, from_label, to_label = key
        if rel_type in ACTIVITY_RELS:
            return  # made with a new activity, from distinct ids: nothing else joins its ends
        labels = {"rel": rel_type, "from": from_label, "to": to_label}
        problems: list[Problem] = []
        if rel_type in rules.ONE_PARENT:
            parents = tx.run("change_rels_out", {"id": from_id}, **labels)
            if parents:
                problems += rules.second_parent(rel_type, from_id, str(parents[0]["to_id"]))
        new = rules.Span.of(str(props.get("id") or ""), dict(props))
        key_of_new = rules.clash_key(rel_type, from_label, from_id, to_id, new.post)
        for row in tx.run("change_rels_between", {"from_id": from_id, "to_id": to_id}, **labels) if not problems else []:
            other = row["r"]
            if other["id"] == ignore_id:
                continue
            if rel_type in STRUCTURE_RELS:
                raise ChangeConflictError(rename.get("to", "to"), to_id, f"{rel_type} {other['id']} already joins them")
            span = rules.Span.of(str(other["id"]), other)
            if key_of_new is not None and rules.clash_key(rel_type, from_label, from_id, to_id, span.post) == key_of_new:
                problems += rules.overlap(rel_type, new, span)
                if problems:
                    break
        if rel_type == RelType.LEADS.value and not problems:
            leaders = tx.run("change_area_leaders", {"id": to_id})
            problems += rules.second_leader(to_id, [str(r["org_id"]) for r in leaders if rules.in_force(r)])
        if problems:
            first = _renamed(problems[0], rename)
            raise ChangeConflictError(first.field, first.value, first.message)

    def update_rel(self, actor: str, rel_type: str, rel_id: str, changes: Mapping[str, Any]) -> Row:
        """Change some properties of a dated relationship (dates, post, projects ...); its ends stay."""
        spec = _rel_spec(rel_type)
        values = dict(changes)
        problems: list[Problem] = []
        if rel_type in STRUCTURE_RELS:
            problems.append(Problem("type", "a structure relationship has no properties to change", rel_type))
        for name in ("from", "to", "from_id", "to_id"):
            if name in values:
                problems.append(
                    Problem(name, "the ends of a relationship cannot change; end it and create another", values.pop(name))
                )
        if "id" in values and values.pop("id") != rel_id:
            problems.append(Problem("id", "cannot be changed", changes["id"]))
        typed, more = validate_props(spec, values, partial=True)
        _raise_if(problems + more)

        def work(tx: Tx) -> Row:
            key, old, from_id, to_id = _require_rel(tx, rel_type, rel_id)
            merged = {**_props(old), **typed}
            if merged == _props(old):
                raise _Unchanged(_rel_row(_rel_record(key, old, from_id, to_id)))
            problems = check_dates_in_order(merged)
            if rel_type == RelType.MEMBER_OF.value and "post" in typed:
                problems += check_post(str(merged["post"]), _require_node(tx, key[2], to_id, "to"))
            if rel_type == RelType.MEMBER_OF.value:
                problems += check_member_status(str(merged["post"]), merged.get("member_status"))
            _raise_if(problems)
            self._check_clashes(tx, key, from_id, to_id, merged, {}, ignore_id=rel_id)
            params = {name: merged.get(name) for name in spec.prop_names}
            params.update(from_id=from_id, to_id=to_id)
            row = tx.run(_rel_query("update", rel_type), params, **{"from": key[1]})[0]
            return _rel_row(_audit_rel(tx, actor, audit.UPDATE, key, _rel_record(key, old, from_id, to_id), row))

        return _unless_unchanged(self.store, work)

    def end_rel(self, actor: str, rel_type: str, rel_id: str, end: date | str) -> Row:
        """Set the ``end_date`` of a post, pairing or registration; the relationship stays as history."""
        _rel_spec(rel_type)
        if rel_type not in DATED_RELS:
            _raise_if([Problem("type", "structure relationships are not ended; end the area or organisation", rel_type)])
        end_date = _parse_end(end, "end_date")

        def work(tx: Tx) -> Row:
            key, old, from_id, to_id = _require_rel(tx, rel_type, rel_id)
            if old.get("end_date") is not None:
                raise ChangeConflictError("end_date", old["end_date"].isoformat(), f"{rel_type} {rel_id!r} already ended")
            _raise_if(check_dates_in_order({**_props(old), "end_date": end_date}))
            return _rel_row(_end_rel(tx, actor, key, old, from_id, to_id, end_date))

        return self.store.execute_write(work)

    # --- reads the API uses to show a result ------------------------------------------------------------------

    def get_node(self, label: str, node_id: str) -> Row | None:
        _node_spec(label)
        return self.store.execute_read(lambda tx: _get_node(tx, label, node_id))

    def get_rel(self, rel_type: str, rel_id: str) -> Row | None:
        _rel_spec(rel_type)

        def work(tx: Tx) -> Row | None:
            found = _find_rel(tx, rel_type, rel_id)
            if found is None:
                return None
            key, row = found
            return _rel_row(_rel_record(key, row["r"], row["from_id"], row["to_id"]))

        return self.store.execute_read(work)


# --- helpers ---------------------------------------------------------------------------------------------------

#: The input field a rule about the new node's own side names, per label (``kind`` for the others).
OWN_FIELD: dict[str, str] = {NodeLabel.AREA.value: "level", NodeLabel.ACTIVITY.value: "held_on"}


@dataclass(frozen=True)
class _Link:
    """A relationship made with a new node: to ``other_id`` (or from it, when ``incoming``); ``field`` is the input
    field that named ``other_id``."""

    rel_type: str
    other_id: str
    field: str
    incoming: bool = False


def _activity_links(label: str, held_by_id: str | None, attendee_ids: Sequence[str]) -> tuple[list[_Link], list[Problem]]:
    """The ``HELD_BY`` and ``ATTENDED`` relationships a new activity is made with, or why they cannot be."""
    problems: list[Problem] = []
    if label != NodeLabel.ACTIVITY.value:
        if held_by_id is not None:
            problems.append(Problem("organization_id", f"only an activity is held by an organisation, not a {label}", held_by_id))
        if attendee_ids:
            problems.append(Problem("attendee_ids", f"only an activity has attendees, not a {label}", list(attendee_ids)))
        return [], problems
    if held_by_id is None:
        problems.append(Problem("organization_id", "is required: an activity is held by a Party organisation", None))
    if len(attendee_ids) > MAX_LIST:
        message = f"names more than {MAX_LIST} people; record how many came in attendance"
        problems.append(Problem("attendee_ids", message, len(attendee_ids)))
    seen: set[str] = set()
    for person_id in attendee_ids:
        if person_id in seen:
            problems.append(Problem("attendee_ids", "names the same person twice", person_id))
        seen.add(person_id)
    if problems:
        return [], problems
    links = [_Link(RelType.HELD_BY.value, str(held_by_id), "organization_id")]
    links += [_Link(RelType.ATTENDED.value, person_id, "attendee_ids", incoming=True) for person_id in attendee_ids]
    return links, []


def _activity_end_problems(tx: Tx, activity_id: str, activity: Row) -> list[Problem]:
    """An activity moved to another day: its organisation must not have been dissolved, nor its recorded attendees
    have left, before that day (``validation.check_rel_rules``)."""
    found: list[Problem] = []
    held_by, attended = RelType.HELD_BY.value, RelType.ATTENDED.value
    activity_label, org_label, person_label = NodeLabel.ACTIVITY.value, NodeLabel.ORGANIZATION.value, NodeLabel.PERSON.value
    for row in tx.run("change_rels_out", {"id": activity_id}, rel=held_by, **{"from": activity_label, "to": org_label}):
        org = _require_node(tx, org_label, row["to_id"], "organization_id")
        found += check_rel_rules(held_by, activity, org)
    for row in tx.run("change_rels_in", {"id": activity_id}, rel=attended, **{"from": person_label, "to": activity_label}):
        person = _require_node(tx, person_label, row["from_id"], "attendee_ids")
        found += check_rel_rules(attended, person, activity)
    # The rule names the organisation or person; the change at fault is the new day.
    return [Problem("held_on", f"{p.value!r} {p.message}", _iso(activity.get("held_on"))) for p in found]


@dataclass(frozen=True)
class NewRel:
    """One relationship for ``create_rels``: its ends, its properties (``id`` optional) and the ``line`` (a file's
    line or a sheet's row) its problems name; ``from_labels`` narrows what the source may be."""

    from_id: str
    to_id: str
    props: Mapping[str, Any]
    line: int
    from_labels: tuple[str, ...] = ()


def _from_labels(rel_type: str) -> list[str]:
    return sorted({s for s, _ in RELS[rel_type].pairs})


def _to_labels(rel_type: str, from_label: str) -> list[str]:
    return sorted({t for s, t in RELS[rel_type].pairs if s == from_label})


def _at(problem: Problem, line: int) -> Problem:
    return Problem(problem.field, problem.message, problem.value, line)


class _DryRun(Exception):
    """Raised at the end of a dry run's transaction: the rollback keeps nothing; ``count`` would have been made."""

    def __init__(self, count: int) -> None:
        super().__init__("dry run")
        self.count = count


class _Unchanged(Exception):
    """Raised inside a transaction whose change changes nothing: the rollback leaves no audit entry and no new
    write version, and the caller answers with the stored ``row``."""

    def __init__(self, row: Row) -> None:
        super().__init__("unchanged")
        self.row = row


def _unless_unchanged(store: Store, work: Callable[[Tx], Row]) -> Row:
    try:
        return store.execute_write(work)
    except _Unchanged as unchanged:
        return unchanged.row


def _raise_if(problems: list[Problem]) -> None:
    if problems:
        raise ValidationError(problems)


def _node_spec(label: str) -> NodeSpec:
    if label not in EDITABLE_NODES:
        raise ValidationError([Problem("label", f"is not editable; one of {', '.join(EDITABLE_NODES)}", label)])
    return NODES[label]


def _rel_spec(rel_type: str) -> RelSpec:
    if rel_type not in EDITABLE_RELS:
        raise ValidationError([Problem("type", f"is not editable; one of {', '.join(EDITABLE_RELS)}", rel_type)])
    return RELS[rel_type]


def _check_id(field: str, value: Any) -> list[Problem]:
    if not isinstance(value, str) or not value.strip():
        return [Problem(field, "must be a non-empty string", value)]
    if len(value) > MAX_ID_LENGTH or value != value.strip():
        return [Problem(field, f"must be at most {MAX_ID_LENGTH} characters without surrounding spaces", value)]
    return []


def _parse_end(value: date | str, field: str) -> date:
    parsed, message = parse_date(value)
    if message or parsed is None:
        raise ValidationError([Problem(field, message or "is required", value)])
    return parsed


def _props(row: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in row.items() if not k.startswith("_")}


def _iso(value: Any) -> str | None:
    return value.isoformat() if isinstance(value, date) else value


def _renamed(problem: Problem, rename: Mapping[str, str]) -> Problem:
    if problem.field not in rename:
        return problem
    return Problem(rename[problem.field], problem.message, problem.value, problem.line)


def _check_live_ends(rel_type: str, props: Mapping[str, Any], source: Row, target: Row) -> list[Problem]:
    """A relationship may not be in force after one of its ends was ended."""
    problems = []
    end = props.get("end_date")
    for field, node in (("from", source), ("to", target)):
        ended = node.get(END_PROP.get(node["_label"], ""))
        if ended is None:
            continue
        if rel_type in STRUCTURE_RELS:
            problems.append(Problem(field, f"ended on {ended.isoformat()}; nothing new joins it", node["id"]))
        elif end is None or end > ended:
            message = f"ended on {ended.isoformat()}; the relationship needs an end_date on or before it"
            problems.append(Problem(field, message, node["id"]))
    return problems


def _get_node(tx: Tx, label: str, node_id: str) -> Row | None:
    rows = tx.run("change_get_node", {"id": node_id}, label=label)
    if not rows:
        return None
    node: Row = rows[0]["n"]
    # Unlabelled reads on LadybugDB carry other tables' columns as nulls; keep only this label's.
    names = set(NODES[label].prop_names)
    return {**{k: v for k, v in node.items() if k in names}, "_label": label}


def _require_node(tx: Tx, label: str, node_id: str, field: str) -> Row:
    node = _get_node(tx, label, node_id)
    if node is None:
        raise EntityNotFoundError(field, node_id, f"no {label} with id {node_id!r}")
    return node


def _find_node(tx: Tx, labels: list[str], node_id: str, field: str) -> Row:
    for label in labels:
        node = _get_node(tx, label, node_id)
        if node is not None:
            return node
    raise EntityNotFoundError(field, node_id, f"no {' or '.join(labels)} with id {node_id!r}")


def _find_rel(tx: Tx, rel_type: str, rel_id: str) -> tuple[tuple[str, str, str], Row] | None:
    for from_label, to_label in RELS[rel_type].pairs:
        rows = tx.run("change_get_rel", {"id": rel_id}, rel=rel_type, **{"from": from_label, "to": to_label})
        if rows:
            return (rel_type, from_label, to_label), rows[0]
    return None


def _require_rel(tx: Tx, rel_type: str, rel_id: str) -> tuple[tuple[str, str, str], Row, str, str]:
    found = _find_rel(tx, rel_type, rel_id)
    if found is None:
        raise EntityNotFoundError("id", rel_id, f"no {rel_type} with id {rel_id!r}")
    key, row = found
    rel = {k: v for k, v in row["r"].items() if k in RELS[rel_type].prop_names or k == "_type"}
    return key, rel, row["from_id"], row["to_id"]


def _write_node(tx: Tx, verb: str, label: str, node_id: str, props: Mapping[str, Any]) -> Row:
    spec = NODES[label]
    params = {name: props.get(name) for name in spec.prop_names}
    params["id"] = node_id
    params.update(derived_values(label, params))
    rows = tx.run(f"change_{verb}_{label.lower()}", params)
    if not rows:  # pragma: no cover - the node was read in this transaction
        raise EntityNotFoundError("id", node_id, f"no {label} with id {node_id!r}")
    node: Row = rows[0]["n"]
    return {**{k: v for k, v in node.items() if k in spec.prop_names}, "_label": label}


def _audit_node(tx: Tx, actor: str, action: str, label: str, node_id: str, before: Row | None, after: Row) -> None:
    before_record = None if before is None else _node_record(before)
    audit.write_entry(
        tx, actor=actor, action=action, entity_type=label, entity_id=node_id, before=before_record, after=_node_record(after)
    )


def _audit_rel(tx: Tx, actor: str, action: str, key: tuple[str, str, str], before: RelRecord | None, row: Row) -> RelRecord:
    """Audit a change of a relationship; ``row`` is the writing query's answer (``r``, ``from_id``, ``to_id``).
    Returns the relationship's record after the change."""
    after = _rel_record(key, row["r"], row["from_id"], row["to_id"])
    audit.write_entry(tx, actor=actor, action=action, entity_type=key[0], entity_id=after.id, before=before, after=after)
    return after


def _end_rel(tx: Tx, actor: str, key: tuple[str, str, str], rel: Row, from_id: str, to_id: str, end_date: date) -> RelRecord:
    """Set ``end_date`` on a live relationship (``rel``: its properties) and audit it; returns its record after."""
    params = {"id": rel["id"], "end_date": end_date, "from_id": from_id, "to_id": to_id}
    row = tx.run("change_end_rel", params, rel=key[0], **{"from": key[1], "to": key[2]})[0]
    return _audit_rel(tx, actor, audit.END, key, _rel_record(key, rel, from_id, to_id), row)


def _rel_query(verb: str, rel_type: str) -> str:
    return f"change_{verb}_{rel_type.lower()}"


def _node_record(row: Mapping[str, Any]) -> NodeRecord:
    return NodeRecord(str(row["_label"]), str(row["id"]), _props(row))


def _rel_record(key: tuple[str, str, str], rel: Mapping[str, Any], from_id: str, to_id: str) -> RelRecord:
    rel_type, from_label, to_label = key
    props = {k: v for k, v in rel.items() if k in RELS[rel_type].prop_names}
    return RelRecord(rel_type, str(rel["id"]), from_id, from_label, to_id, to_label, props)


def _rel_row(record: RelRecord) -> Row:
    """A relationship as the API's types read it: its properties, ``_type`` and both ends."""
    return {
        **record.props,
        "id": record.id,
        "_type": record.type,
        "from_id": record.from_id,
        "from_label": record.from_label,
        "to_id": record.to_id,
        "to_label": record.to_label,
    }
