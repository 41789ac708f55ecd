"""The hand-off from the event loop to a worker thread: every store call and analysis blocks for a while.

The API's resolvers await ``in_worker(service.method, ...)`` instead of calling the application layer on the
event loop, so one slow request never holds up the others. The worker runs in a copy of the caller's context,
so a request's round-trip counter counts what its worker does.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import ParamSpec, TypeVar

T = TypeVar("T")
P = ParamSpec("P")


async def in_worker(call: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """Run ``call`` in a worker thread and wait for it without blocking the event loop."""
    return await asyncio.to_thread(call, *args, **kwargs)


__all__ = ["in_worker"]
