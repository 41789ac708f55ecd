"""The serve process caps glibc's malloc arenas, unless glibc's own MALLOC_ARENA_MAX says otherwise."""

from __future__ import annotations

import platform

import pytest

from graph_service.allocator import limit_arenas

glibc = pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="the C library is not glibc: nothing to cap")


@glibc
def test_the_cap_is_set_through_mallopt(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MALLOC_ARENA_MAX", raising=False)
    assert limit_arenas(64) is True  # more than glibc makes on this machine: the test process is not held back


def test_an_explicit_malloc_arena_max_is_left_to_glibc(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MALLOC_ARENA_MAX", "4")
    assert limit_arenas() is False
