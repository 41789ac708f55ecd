"""How many cores this process may run on: what the thread counts that follow the machine start from."""

from __future__ import annotations

import os


def usable_cores() -> int:
    """The cores the process may run on (its CPU affinity where the system has one, which a container's limit
    narrows, else every core), at least one."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1


__all__ = ["usable_cores"]
