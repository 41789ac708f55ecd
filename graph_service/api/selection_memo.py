"""Work done once per request for each selection of the document: what a list's rows load ahead, which columns a
page reads (``context.selection_memo``, kept for one request)."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, TypeVar

import strawberry

T = TypeVar("T")


def per_selection(info: strawberry.Info, key: Hashable, compute: Callable[[], T]) -> T:
    """``compute()``, made once per request for the current field's selection and ``key``
    (``context.selection_memo``; made each time without one)."""
    memo: dict[Hashable, Any] | None = getattr(info.context, "selection_memo", None)
    if memo is None:
        return compute()
    # The request's document outlives the memo, so the node's id stays its own while the memo lives.
    full = (id(info._raw_info.field_nodes[0]), key)
    if full not in memo:
        memo[full] = compute()
    found: T = memo[full]
    return found


__all__ = ["per_selection"]
