"""Named Cypher queries loaded from ``cypher/``, with a dialect's own version where the two differ.

A query file may name a label or relationship type as a placeholder, ``__label__``; it is filled only with
names from the domain catalogue (``domain.schema``), never with input, so Cypher text stays free of user data.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from graph_service.domain.schema import NODES, RELS, SYSTEM_NODES
from graph_service.errors import UnknownQueryError

CYPHER_DIR = Path(__file__).resolve().parents[1] / "cypher"
_PLACEHOLDER = re.compile(r"__([a-z][a-z_]*[a-z])__")
_KNOWN_NAMES = frozenset(NODES) | frozenset(RELS) | frozenset(SYSTEM_NODES)


class QueryCatalog:
    """Returns a query's text by name: ``cypher/<dialect>/<name>.cypher`` if present, else ``cypher/<name>.cypher``."""

    def __init__(self, dialect: str, root: Path = CYPHER_DIR) -> None:
        self.dialect = dialect
        self.root = root

    def names(self) -> list[str]:
        shared = {p.stem for p in self.root.glob("*.cypher")}
        own = {p.stem for p in (self.root / self.dialect).glob("*.cypher")}
        return sorted(shared | own)

    def text(self, name: str, **names: object) -> str:
        """The text of query ``name`` with its placeholders filled by catalogue ``names``."""
        raw = _load(self.root, self.dialect, name)
        return fill(raw, names) if names or "__" in raw else raw


def fill(text: str, names: dict[str, object]) -> str:
    """Replace ``__key__`` by ``names[key]``, which must be a label or type of the domain catalogue."""

    def substitute(match: re.Match[str]) -> str:
        key = match.group(1)
        if key not in names:
            return match.group(0)
        value = str(getattr(names[key], "value", names[key]))
        if value not in _KNOWN_NAMES:
            raise ValueError(f"{value!r} is not a label or relationship type of the domain catalogue")
        return value

    return _PLACEHOLDER.sub(substitute, text)


@lru_cache(maxsize=512)
def _load(root: Path, dialect: str, name: str) -> str:
    if not re.fullmatch(r"[a-z][a-z0-9_]*", name):
        raise UnknownQueryError(name)
    for path in (root / dialect / f"{name}.cypher", root / f"{name}.cypher"):
        if path.is_file():
            return path.read_text(encoding="utf-8").strip()
    raise UnknownQueryError(f"no query named {name!r} in {root}")


def split_statements(text: str) -> list[str]:
    """Split a DDL file into statements on ``;`` at the end of a line, ignoring ``//`` comment lines."""
    lines = [line for line in text.splitlines() if not line.strip().startswith("//")]
    statements = (s.strip().rstrip(";").strip() for s in "\n".join(lines).split(";\n"))
    return [s for s in statements if s]
