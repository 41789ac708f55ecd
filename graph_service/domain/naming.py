"""How names are compared and ordered: one definition for every search, listing and table.

Names sort *naturally*: a run of digits counts as the number it spells, so ``2号楼`` comes before ``10号楼``
(plain text order puts ``10号楼`` first, because ``1`` < ``2``). ``natural_key`` turns a name into an ASCII
text whose plain order is that natural order. Python sorts by it, and the store keeps it beside each name
(``NAME_KEY``, written by every path that writes a node), so a Cypher listing that orders by it pages in the
same order as a Python sort: the store compares ASCII the same way Python does, on either engine.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

#: The stored property holding ``natural_key(name)`` on every node with a name. Derived on write, never in a
#: record, an export or an answer.
NAME_KEY = "name_key"

_RUNS = re.compile(r"[0-9]+|[^0-9]+")


def normalise(text: str) -> str:
    """Text as names are compared: NFKC (full-width to half-width), lower case, outer spaces removed."""
    return unicodedata.normalize("NFKC", text).strip().lower()


@lru_cache(maxsize=65536)
def natural_key(name: str | None) -> str:
    """An ASCII sort key for ``name``: numbers by value, other characters one by one, after ``normalise``.

    Each digit run becomes ``0``, its length in four digits and its digits without leading zeros (a longer
    number is a larger one); each other character becomes ``1`` and its code point in six hex digits. So a
    number sorts before a letter at the same place, and a name before any longer name it begins. Names equal
    under this key (``1号楼`` and ``01号楼``, ``A`` and ``a``) are told apart by the name itself, then the id
    (see ``name_order``).

    >>> sorted(["10号楼", "2号楼", "1号楼"], key=natural_key)
    ['1号楼', '2号楼', '10号楼']
    >>> natural_key("２号楼") == natural_key("2号楼")
    True
    """
    if not name:
        return ""
    parts: list[str] = []
    for run in _RUNS.findall(normalise(name)):
        if run[0] in "0123456789":
            digits = run.lstrip("0") or "0"
            parts.append(f"0{len(digits):04d}{digits}")
        else:
            parts.extend(f"1{ord(char):06x}" for char in run)
    return "".join(parts)


def name_order(name: str | None, ident: object = "") -> tuple[str, str, str]:
    """The sort key of a named thing: its name's natural key, then the name, then its id (the listings' order)."""
    return natural_key(name), name or "", str(ident)


def name_key_of(props: Mapping[str, Any]) -> str | None:
    """The ``NAME_KEY`` a node with these properties is stored with (``None`` without a name)."""
    name = props.get("name")
    return None if name is None else natural_key(str(name))


__all__ = ["NAME_KEY", "name_key_of", "name_order", "natural_key", "normalise"]
