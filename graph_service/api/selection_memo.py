"""Work done once per document for each of its selections: what a list's rows load ahead, which columns a page
reads (``context.selection_memo``: the document cache's memo for the request's text, ``limits.CheckedDocument``).

What is kept must be a function of the selection's nodes and the schema alone, never of variables, the caller or
the store: every request that sends the same text reads it (the executor's steps, which depend on the caller's role,
are kept per role: ``execution_memo``)."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, TypeVar

import strawberry

T = TypeVar("T")


def per_selection(info: strawberry.Info, key: Hashable, compute: Callable[[], T]) -> T:
    """``compute()``, made once per document for the current field's selection and ``key``
    (``context.selection_memo``; made each time without one)."""
    memo: dict[Hashable, Any] | None = getattr(info.context, "selection_memo", None)
    if memo is None:
        return compute()
    # The memo lives beside the document it describes (or within one request), so the node's id stays its own.
    full = (id(info._raw_info.field_nodes[0]), key)
    if full not in memo:
        memo[full] = compute()
    found: T = memo[full]
    return found


__all__ = ["per_selection"]
