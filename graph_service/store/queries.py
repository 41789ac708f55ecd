"""Named Cypher queries loaded from ``cypher/``, with a dialect's own version where the two differ.

Three things may stand in a query file besides Cypher, all resolved here from trusted files, never from input:

* ``__label__``: a label or relationship type, filled only with names of the domain catalogue (``domain.schema``);
* ``{{name}}`` or ``{{name(x, y)}}``: the text of the fragment ``cypher/fragments/<name>.cypher``, whose first
  line declares its variables (``// fragment name(a, b)``), renamed to the ones given. A definition used by
  several queries (what "current" means, when a building has a leader, each coverage gap) is written once;
* ``{{filters(x)}}``: the predicates a ``Query`` asks for, each a fragment over the variable ``x``, joined with
  ``AND`` (so the slot follows a ``WHERE``; each branch of a ``UNION`` has a slot of its own, and each gets them
  all). A query therefore holds only the conditions a request uses, so no engine evaluates an unused branch
  (LadybugDB runs every branch of an ``OR``) and "no filter" never travels as a sentinel parameter. A form may
  split them: ``{{plain_filters(x)}}`` holds those without a subquery and ``{{subquery_filters(x)}}`` those with
  one (``COUNT {``, ``EXISTS {``, ``COLLECT {``), so that the second apply to the rows the first kept (LadybugDB
  plans a subquery as a join over its whole table, whatever rows the query holds).

A dialect may override any query or fragment by a file of the same name under ``cypher/<dialect>/``.

A query over one key, ``$key`` (``ladybug_links_in_key``: one node's incoming relationships), can be asked for a batch of
keys as ``Query(name, keys=n)``: ``n`` copies of it joined by ``UNION ALL``, the ``i``-th taking ``$key<i>``.
LadybugDB plans a match on one key as a primary-key lookup and a match over a list of keys as a scan (see
``store.embedded.LadybugStore.read_keyed``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from graph_service.domain.schema import NODES, RELS, SYSTEM_NODES
from graph_service.errors import UnknownQueryError

CYPHER_DIR = Path(__file__).resolve().parents[1] / "cypher"
_PLACEHOLDER = re.compile(r"__([a-z][a-z_]*[a-z])__")
_INCLUDE = re.compile(r"\{\{\s*([a-z][a-z0-9_]*)\s*(?:\(([^)]*)\))?\s*\}\}")
_DECLARATION = re.compile(r"^//\s*fragment\s+([a-z][a-z0-9_]*)\s*(?:\(([^)]*)\))?\s*$")
_NAME = re.compile(r"[a-z][a-z0-9_]*")
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_PARAMETER = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
_STRINGS = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"")
_KNOWN_NAMES = frozenset(NODES) | frozenset(RELS) | frozenset(SYSTEM_NODES)
#: The slots a query's filters go in (see the module's docstring): all of them, or those without or with a subquery.
FILTERS_SLOTS = frozenset({"filters", "plain_filters", "subquery_filters"})
_SLOT = re.compile(r"\{\{\s*(" + "|".join(sorted(FILTERS_SLOTS)) + r")\s*(?:\(([^)]*)\))?\s*\}\}")
_SUBQUERY = re.compile(r"\b(?:COUNT|EXISTS|COLLECT)\s*\{", re.IGNORECASE)
MAX_INCLUDE_DEPTH = 8


@dataclass(frozen=True)
class Filter:
    """One condition of a ``Query``: a fragment (a Cypher predicate), kept when true or, ``negate``d, when false.

    A predicate that is null (a share of no buildings) keeps the row neither way: it neither has nor lacks it.
    """

    fragment: str
    negate: bool = False
    on: tuple[str, ...] | None = None
    """The query's variables the fragment takes; ``None``: those its ``{{filters(...)}}`` slot names."""


#: Per node label, the only properties a caller reads of the nodes a query returns: ``(label, (prop, ...))``, sorted.
Columns = tuple[tuple[str, tuple[str, ...]], ...]


@dataclass(frozen=True)
class Query:
    """A named query with the ``filters`` its ``{{filters(x)}}`` slot should hold: the store port's unit of reading."""

    name: str
    filters: tuple[Filter, ...] = ()
    keys: int = 0
    """When above 0: the query is over one ``$key``; run it for ``keys`` keys, ``$key0`` ..., as one ``UNION ALL``."""
    columns: Columns = ()
    """Per node label, the only properties the caller reads of the nodes the query returns (the primary key among
    them); a label not here: all. An adapter may return fewer properties then, or ignore it (``api/columns.py``)."""

    def where(self, *filters: Filter) -> Query:
        return Query(self.name, self.filters + filters, self.keys, self.columns)


QueryRef = str | Query


class QueryCatalog:
    """Returns a query's text by name: ``cypher/<dialect>/<name>.cypher`` if present, else ``cypher/<name>.cypher``."""

    def __init__(self, dialect: str, root: Path = CYPHER_DIR) -> None:
        self.dialect = dialect
        self.root = root

    def names(self) -> list[str]:
        shared = {p.stem for p in self.root.glob("*.cypher")}
        own = {p.stem for p in (self.root / self.dialect).glob("*.cypher")}
        return sorted(shared | own)

    def fragment_names(self) -> list[str]:
        shared = {p.stem for p in (self.root / "fragments").glob("*.cypher")}
        own = {p.stem for p in (self.root / self.dialect / "fragments").glob("*.cypher")}
        return sorted(shared | own)

    def text(self, query: QueryRef, **names: object) -> str:
        """The text of ``query`` with its fragments included, its filters composed and placeholders filled."""
        if isinstance(query, str):
            query = Query(query)
        return _text(self.root, self.dialect, query.name, query.filters, query.keys, _named(names))

    def has(self, name: str) -> bool:
        """Whether a query of this name exists for the dialect (asked per batched read: kept, as the texts are)."""
        return _exists(self.root, self.dialect, name)


#: A query's placeholder values, as names and text (``_named``).
Named = tuple[tuple[str, str], ...]


@lru_cache(maxsize=512)
def _text(root: Path, dialect: str, name: str, filters: tuple[Filter, ...], keys: int, names: Named) -> str:
    # Kept per query and names: a request's batched reads ask for the same few texts again and again, and making
    # one (a union per key, the placeholders filled over the whole of it) was 2.4% of the interpreter's time with
    # 16 clients on a city's hierarchy (py-spy). Bounded lower than the composed texts: a union can be long.
    raw = _composed(root, dialect, name, filters)
    if keys:
        raw = _per_key(raw, name, keys)
    return _fill(raw, names) if names or "__" in raw else raw


def _named(names: dict[str, object]) -> Named:
    return tuple((key, str(getattr(value, "value", value))) for key, value in names.items())


def fill(text: str, names: dict[str, object]) -> str:
    """Replace ``__key__`` by ``names[key]``, which must be a label or type of the domain catalogue."""
    return _fill(text, _named(names))


def _fill(text: str, names: Named) -> str:
    values = dict(names)

    def substitute(match: re.Match[str]) -> str:
        key = match.group(1)
        if key not in values:
            return match.group(0)
        value = values[key]
        if value not in _KNOWN_NAMES:
            raise ValueError(f"{value!r} is not a label or relationship type of the domain catalogue")
        return value

    return _PLACEHOLDER.sub(substitute, text)


@lru_cache(maxsize=4096)
def parameters(text: str) -> frozenset[str]:
    """The ``$parameters`` a query text uses (string literals and comments aside)."""
    code = _STRINGS.sub("''", "\n".join(line for line in text.splitlines() if not line.strip().startswith("//")))
    return frozenset(_PARAMETER.findall(code))


def bind(query: QueryRef, text: str, params: Mapping[str, Any]) -> dict[str, Any]:
    """The parameters ``text`` uses, taken from ``params``.

    A query composed of fragments uses only some of the parameters its caller knows of, and LadybugDB refuses
    parameters a statement does not name; a parameter the text needs but ``params`` lacks would silently be null
    on LadybugDB, so it is refused here, naming the query.
    """
    used = parameters(text)
    missing = sorted(used - params.keys())
    if missing:
        name = query.name if isinstance(query, Query) else query
        raise UnknownQueryError(f"query {name!r} needs parameter(s) {', '.join('$' + m for m in missing)}")
    return {key: value for key, value in params.items() if key in used}


@lru_cache(maxsize=1024)
def _exists(root: Path, dialect: str, name: str) -> bool:
    return any(p.is_file() for p in (root / dialect / f"{name}.cypher", root / f"{name}.cypher"))


@lru_cache(maxsize=1024)
def _composed(root: Path, dialect: str, name: str, filters: tuple[Filter, ...]) -> str:
    text = _expand(root, dialect, _load(root, dialect, name, fragment=False), 0, name)
    if _SLOT.search(text) is None:
        if filters:
            raise UnknownQueryError(f"query {name!r} takes no filters (it has no {{{{filters(...)}}}} slot)")
        return text.strip()

    def conditions(slot: re.Match[str]) -> str:
        kind, args = slot.group(1), _arguments(slot.group(2))
        found = (_condition(root, dialect, f, args) for f in filters)
        if kind == "filters":
            return "".join(found)
        return "".join(c for c in found if bool(_SUBQUERY.search(c)) == (kind == "subquery_filters"))

    # Every slot gets the filters: each branch of a UNION has one.
    return _SLOT.sub(conditions, text).strip()


_KEY = re.compile(r"\$key\b")


@lru_cache(maxsize=256)
def _per_key(text: str, name: str, keys: int) -> str:
    """``text`` (over ``$key``) once per key, ``$key0`` ... ``$key<keys-1>``, joined by ``UNION ALL``."""
    if not _KEY.search(text):
        raise UnknownQueryError(f"query {name!r} takes no $key, so it cannot run per key")
    return "\nUNION ALL\n".join(_KEY.sub(f"$key{i}", text) for i in range(keys))


def keyed_params(keys: list[str]) -> dict[str, str]:
    """The parameters of a ``Query(..., keys=len(keys))``: ``key0`` ... for each key."""
    return {f"key{i}": key for i, key in enumerate(keys)}


def _condition(root: Path, dialect: str, f: Filter, args: tuple[str, ...]) -> str:
    variables = f.on if f.on is not None else args
    predicate = _expand(root, dialect, _fragment_body(root, dialect, f.fragment, variables), 0, f.fragment)
    # "= true" / "= false": a null predicate keeps the row neither when asked for nor when negated. (Not
    # coalesce(): LadybugDB 0.22 binds a subquery inside a function call to the wrong rows.)
    return f"\n  AND ({predicate.strip()}) = {'false' if f.negate else 'true'}"


def _arguments(text: str | None) -> tuple[str, ...]:
    return tuple(a.strip() for a in text.split(",")) if text else ()


def _expand(root: Path, dialect: str, text: str, depth: int, within: str) -> str:
    if "{{" not in text:
        return text
    if depth > MAX_INCLUDE_DEPTH:
        raise UnknownQueryError(f"fragments nest more than {MAX_INCLUDE_DEPTH} deep in {within!r}")

    def include(match: re.Match[str]) -> str:
        name = match.group(1)
        if name in FILTERS_SLOTS:
            return match.group(0)
        body = _fragment_body(root, dialect, name, _arguments(match.group(2)))
        return _expand(root, dialect, body, depth + 1, name)

    return _INCLUDE.sub(include, text)


def _fragment_body(root: Path, dialect: str, name: str, args: tuple[str, ...]) -> str:
    text = _load(root, dialect, name, fragment=True)
    first, _, body = text.partition("\n")
    declared = _DECLARATION.match(first.strip())
    if declared is None or declared.group(1) != name:
        raise UnknownQueryError(f"fragment {name!r} must start with '// fragment {name}(...)'")
    params = _arguments(declared.group(2))
    if len(args) != len(params):
        raise UnknownQueryError(f"fragment {name!r} takes {len(params)} variable(s) {params}, got {args}")
    for arg in args:
        if not _IDENTIFIER.fullmatch(arg):
            raise UnknownQueryError(f"fragment {name!r}: {arg!r} is not a variable name")
    renames = {p: a for p, a in zip(params, args, strict=True) if p != a}
    lines = [line for line in body.splitlines() if not line.strip().startswith("//")]
    body = "\n".join(lines).strip()
    if renames:
        pattern = re.compile(r"(?<![\w$.])(" + "|".join(map(re.escape, renames)) + r")\b")
        body = pattern.sub(lambda m: renames[m.group(1)], body)
    return body


def _load(root: Path, dialect: str, name: str, *, fragment: bool) -> str:
    if not _NAME.fullmatch(name):
        raise UnknownQueryError(name)
    folder = "fragments" if fragment else ""
    for path in (root / dialect / folder / f"{name}.cypher", root / folder / f"{name}.cypher"):
        if path.is_file():
            return path.read_text(encoding="utf-8").strip()
    kind = "fragment" if fragment else "query"
    raise UnknownQueryError(f"no {kind} named {name!r} in {root}")


def split_statements(text: str) -> list[str]:
    """Split a DDL file into statements on ``;`` at the end of a line, ignoring ``//`` comment lines."""
    lines = [line for line in text.splitlines() if not line.strip().startswith("//")]
    statements = (s.strip().rstrip(";").strip() for s in "\n".join(lines).split(";\n"))
    return [s for s in statements if s]


def filters(*pairs: tuple[str, bool | None], on: tuple[str, ...] | None = None) -> tuple[Filter, ...]:
    """Filters from (fragment, wanted) pairs: ``True`` keeps rows where it holds, ``False`` where it does not,
    ``None`` asks nothing."""
    return tuple(Filter(name, negate=not wanted, on=on) for name, wanted in pairs if wanted is not None)


__all__ = [
    "CYPHER_DIR",
    "Filter",
    "Query",
    "QueryCatalog",
    "QueryRef",
    "UnknownQueryError",
    "bind",
    "fill",
    "filters",
    "keyed_params",
    "parameters",
    "split_statements",
]
