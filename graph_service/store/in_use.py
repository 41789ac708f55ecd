"""LadybugDB's refusal to open a database file another process holds, said in one line with what to do.

LadybugDB allows one read-write process per database file; a second one gets ``RuntimeError: IO exception:
Could not set lock on file : <path> (Lock is held by PID 7916) ...`` (ladybug 0.22), which the adapter wraps
in a ``StoreError``. ``in_use_error`` recognises it anywhere in an exception's chain.
"""

from __future__ import annotations

import re
from pathlib import Path

from graph_service.errors import StoreError

_LOCK = re.compile(r"Could not set lock on file.*?held by PID (\d+)", re.DOTALL)


class StoreInUseError(StoreError):
    """Another process holds the embedded store's file; ``pid`` names it when LadybugDB said which."""

    def __init__(self, data_dir: Path, pid: int | None) -> None:
        who = f"another process (PID {pid})" if pid is not None else "another process"
        super().__init__(
            f"the store in {data_dir} is in use by {who}, so this command cannot open it: "
            "wait for that process to end or stop it, or use another data directory (GRAPH_SERVICE_DATA_DIR)"
        )
        self.data_dir = data_dir
        self.pid = pid


def in_use_error(exc: BaseException, data_dir: Path) -> StoreInUseError | None:
    """``exc`` as ``StoreInUseError`` when it (or an exception it came from) is LadybugDB's lock refusal."""
    seen: BaseException | None = exc
    while seen is not None:
        match = _LOCK.search(str(seen))
        if match:
            return StoreInUseError(data_dir, int(match.group(1)))
        seen = seen.__cause__ or seen.__context__
    return None


__all__ = ["StoreInUseError", "in_use_error"]
