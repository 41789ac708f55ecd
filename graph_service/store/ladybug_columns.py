"""Returned nodes and relationships read as columns of their properties (the embedded store).

LadybugDB 0.22 hands a returned node or relationship over as a struct of every property and its internal ids,
which costs far more than the same properties returned as columns: at scale 1, 64 people's posts (a union of
primary-key lookups returning ``r, t``) took 11.2 ms against 4.8 ms, 100 committees' led areas (a list filter)
11.8 against 5.0 ms, a page of 101 pairings 12.2 against 8.0 ms. ``shaped`` rewrites a statement's final
``RETURN`` (of each branch of a union) so that every bare variable bound to one node label or relationship type
becomes that table's stored properties as columns, and ``Shape.reader`` puts each row back together as the dicts
the port promises (``_label``/``_type`` beside the properties), so nothing above the store sees the difference.

A node written without a label, ``(t)``, next to a relationship whose type joins one pair of labels has the label
at that end (``(s)-[r:LEADS]->(t)``: an Area): the batched reads leave it out where LadybugDB then plans better. A
statement is left as written when it cannot be read with certainty: a variable with several labels or none, one
bound again by ``AS``, a variable-length relationship, or union branches that would give different columns.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Any

from graph_service.domain.schema import NODES, RELS, SYSTEM_NODES, primary_key
from graph_service.store.queries import Columns

_LABELS = {**NODES, **SYSTEM_NODES}

#: A node pattern's variable and its one label: ``(t:Organization)`` or ``(t:Organization {id: $key})``.
_NODE = re.compile(r"\(\s*(\w+)\s*:\s*(\w+)\s*([^\w\s])")
#: A relationship pattern's variable and its one type: ``[r:MEMBER_OF]`` (not ``[r:A|B]`` nor ``[r:A*1..3]``).
_REL = re.compile(r"\[\s*(\w+)\s*:\s*(\w+)\s*([^\w\s])")
#: A bare node beside a one-type relationship: ``(t)<-[r:MEMBER_OF]-`` (group 1, then 2: ``<`` or empty, 3: the type)
#: and ``-[r:MEMBER_OF]->(t)`` (1: the type, 2: ``>`` or empty, 3: the node).
_BARE_BEFORE = re.compile(r"\(\s*(\w+)\s*\)\s*(<?)-\s*\[\s*\w*\s*:\s*(\w+)\s*\]")
_BARE_AFTER = re.compile(r"\[\s*\w*\s*:\s*(\w+)\s*\]\s*-(>?)\s*\(\s*(\w+)\s*\)")
_REBOUND = re.compile(r"\bAS\s+(\w+)", re.IGNORECASE)
_UNION = re.compile(r"^\s*UNION(?:\s+ALL)?\s*$", re.IGNORECASE | re.MULTILINE)
_RETURN = re.compile(r"\bRETURN\s+(DISTINCT\s+)?", re.IGNORECASE)
_AFTER_RETURN = re.compile(r"\b(ORDER\s+BY|SKIP|LIMIT)\b", re.IGNORECASE)
_COMMENT = re.compile(r"//[^\n]*")
_IDENT = re.compile(r"\w+")


@dataclass(frozen=True)
class _Slot:
    """One item of the rewritten ``RETURN``: a column as it was (``props`` empty; its name is the engine's) or a node
    or relationship (``name`` is its variable)."""

    name: str
    start: int
    props: tuple[str, ...] = ()
    tag_key: str = ""
    tag: str = ""


#: ``Shape.reader``: a row of values, its columns' names, the conversion and the types that need none -> the row.
RowReader = Callable[[list[str], list[Any], Callable[[Any], Any], frozenset[type]], dict[str, Any]]


@dataclass(frozen=True)
class Shape:
    """How the columns of a rewritten statement make the rows the statement gave before."""

    slots: tuple[_Slot, ...]

    @cached_property
    def reader(self) -> RowReader:
        """A function of ``(columns, values, convert, plain)`` giving the row of ``values`` (one result row, its
        columns named ``columns``), each value passed through ``convert`` unless of a ``plain`` type.

        A node's first column is its primary key, never empty for a node that is there; a relationship's is
        ``r IS NULL``: an optional match that found nothing gives ``None`` for the variable, as before.

        Written once for this shape and taken once per statement run: each slot's positions, key and tag are
        constants in it, and each value is checked where it is read. A row of a person's posts (a key, a post with
        six properties, an organisation with two) took 3.5 us read slot by slot in a loop, 1.1 us so. The rows are
        read in the store's worker threads, under the interpreter's lock that the event loop needs."""
        lines = ["def row(columns, values, convert, plain):", "    out = {}"]
        for slot in self.slots:
            if not slot.props:
                lines += [
                    f"    v = values[{slot.start}]",
                    f"    out[columns[{slot.start}]] = v if type(v) in plain else convert(v)",
                ]
                continue
            begin = slot.start if slot.tag_key == "_label" else slot.start + 1
            entity = ", ".join(
                f"{prop!r}: (v if type(v := values[{begin + offset}]) in plain else convert(v))"
                for offset, prop in enumerate(slot.props)
            )
            lines += [
                f"    v = values[{slot.start}]",
                f"    out[{slot.name!r}] = None if v is None or v is True else {{{entity}, {slot.tag_key!r}: {slot.tag!r}}}",
            ]
        lines.append("    return out")
        written: dict[str, Any] = {}
        # Safe to run: the keys and tags are written as literals (repr), the variables are the statement's \w+
        # names, the properties the catalogue's, and every value comes in through ``values`` at run time.
        exec("\n".join(lines), written)
        reader: RowReader = written["row"]
        return reader


@lru_cache(maxsize=1024)
def shaped(text: str, columns: Columns = ()) -> tuple[str, Shape | None]:
    """``text`` with its returned nodes and relationships as property columns, and the shape to read them back;
    ``(text, None)`` when nothing is to be rewritten or the statement cannot be read with certainty. ``columns``
    (``Query.columns``): per node label, the only properties to return of its nodes (the caller reads no others)."""
    keep = dict(columns)
    branches = _UNION.split(text)
    separators = _UNION.findall(text)
    rewritten: list[str] = []
    shape: Shape | None = None
    for branch in branches:
        done = _branch(branch, keep)
        if done is None:
            return text, None
        new_text, branch_shape = done
        if shape is not None and branch_shape != shape:
            return text, None
        shape = branch_shape
        rewritten.append(new_text)
    if shape is None or all(not s.props for s in shape.slots):
        return text, None
    out = rewritten[0]
    for separator, branch in zip(separators, rewritten[1:], strict=True):
        out += separator + branch
    return out, shape


def _branch(text: str, keep: dict[str, tuple[str, ...]]) -> tuple[str, Shape] | None:
    """One union branch rewritten, or ``None`` when it cannot be read with certainty."""
    code = _COMMENT.sub(lambda m: " " * len(m.group(0)), text)  # the same offsets, comments blanked
    returns = list(_RETURN.finditer(code))
    if not returns:
        return None
    last = returns[-1]
    end_match = _AFTER_RETURN.search(code, last.end())
    end = end_match.start() if end_match else len(code)
    items = _split_items(code[last.end() : end])
    if items is None:
        return None
    bound = _bound(code[: last.start()])
    columns: list[str] = []
    slots: list[_Slot] = []
    for item in items:
        found = bound.get(item) if _IDENT.fullmatch(item) else None
        if found is None:
            slots.append(_Slot("", len(columns)))
            columns.append(item)
            continue
        kind, label = found
        if kind == "node":
            key = primary_key(label)
            kept = keep.get(label)
            props = (key, *(p.name for p in _LABELS[label].stored_props if p.name != key and (kept is None or p.name in kept)))
            slots.append(_Slot(item, len(columns), props, "_label", label))
            columns.extend(f"{item}.{p} AS `{item}|{p}`" for p in props)
        else:
            props = tuple(p.name for p in RELS[label].props)
            slots.append(_Slot(item, len(columns), props, "_type", label))
            columns.append(f"{item} IS NULL AS `{item}|`")
            columns.extend(f"{item}.{p} AS `{item}|{p}`" for p in props)
    if all(not s.props for s in slots):
        return text, Shape(tuple(slots))
    rewritten = text[: last.end()] + ", ".join(columns) + "\n" + text[end:]
    return rewritten, Shape(tuple(slots))


def _bound(code: str) -> dict[str, tuple[str, str]]:
    """Variables bound to exactly one node label or relationship type of the catalogue, and never bound again."""
    seen: dict[str, set[tuple[str, str]]] = {}
    for pattern, kind, catalogue in ((_NODE, "node", _LABELS), (_REL, "rel", RELS)):
        for match in pattern.finditer(code):
            var, label, after = match.groups()
            ok = label in catalogue and (after in ")]{" if kind == "rel" else after in "){")
            seen.setdefault(var, set()).add((kind, label) if ok else ("", ""))
    for match in _BARE_BEFORE.finditer(code):
        var, arrow, rel = match.groups()
        seen.setdefault(var, set()).add(_end_label(rel, 1 if arrow else 0))
    for match in _BARE_AFTER.finditer(code):
        rel, arrow, var = match.groups()
        seen.setdefault(var, set()).add(_end_label(rel, 1 if arrow else 0))
    rebound = set(_REBOUND.findall(code))
    return {
        var: next(iter(found)) for var, found in seen.items() if len(found) == 1 and ("", "") not in found and var not in rebound
    }


def _end_label(rel: str, end: int) -> tuple[str, str]:
    """The label at one end (0: where the relationship starts, 1: where it points) of a type joining one pair of
    labels; ``("", "")``, not readable, for any other type."""
    spec = RELS.get(rel)
    if spec is None or len(spec.pairs) != 1:
        return "", ""
    return "node", spec.pairs[0][end]


def _split_items(clause: str) -> list[str] | None:
    """The comma-separated items of a ``RETURN`` clause, at bracket depth zero; ``None`` if unbalanced."""
    items: list[str] = []
    current: list[str] = []
    depth = 0
    for char in clause:
        if char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
            if depth < 0:
                return None
        if char == "," and depth == 0:
            items.append("".join(current).strip())
            current = []
        else:
            current.append(char)
    if depth != 0 or any(q in clause for q in "'\"`"):
        return None
    items.append("".join(current).strip())
    return [i for i in items if i] or None
