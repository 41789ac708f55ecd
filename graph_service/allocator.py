"""The C allocator of a ``graph-service serve`` process: at most ``SERVE_ARENAS`` glibc malloc arenas.

glibc gives each thread that allocates while another holds the lock an arena of its own, up to eight per core. The
server's worker threads, LadybugDB's threads and the warm-up all allocate (query results, Arrow tables, Python
objects), and memory freed in one arena is not reused by a thread of another: under a 16-client load at scale 1
the server held about 0.1 GiB more with glibc's default than with two arenas (``bench/bench_memory.py``, see
docs/performance.md). ``limit_arenas`` sets the cap through ``mallopt`` before the server starts its threads. A
``MALLOC_ARENA_MAX`` in the environment is glibc's own setting and is left to glibc; other C libraries (musl, macOS)
are left alone.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import platform

__all__ = ["SERVE_ARENAS", "limit_arenas"]

#: Arenas for the server: one per core of the small machines it runs on, and measured at 2 cores.
SERVE_ARENAS = 2

_M_ARENA_MAX = -8  # glibc's malloc.h


def limit_arenas(arenas: int = SERVE_ARENAS) -> bool:
    """Cap glibc's malloc arenas at ``arenas`` for this process; True if the cap was set.

    Nothing is done (False) when ``MALLOC_ARENA_MAX`` is set in the environment or the C library is not glibc.
    """
    if "MALLOC_ARENA_MAX" in os.environ or platform.libc_ver()[0] != "glibc":
        return False
    name = ctypes.util.find_library("c")
    if name is None:
        return False
    mallopt = ctypes.CDLL(name).mallopt
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    mallopt.restype = ctypes.c_int
    return bool(mallopt(_M_ARENA_MAX, arenas))
