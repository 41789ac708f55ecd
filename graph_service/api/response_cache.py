"""Whole answers to GraphQL queries, kept until the store's next write (``GRAPH_SERVICE_RESPONSE_CACHE_MB``).

Dashboards and integrations ask the same questions again and again between writes: the console reloads a view,
an integration pulls the same pairings every few minutes. An answer is kept under everything it depends on: the
caller's key and role (what they may see), the document, the operation, the variables, the media type and the
days (a query without ``asOf`` is judged on the reference day or today; ``active`` flags on today), and only for
the write version it was computed at; the first request after any write computes again. Only queries that
succeeded without any error are kept (an error may be passing: a timeout, a full buffer pool). A kept answer is
served after the caller's key was checked, as every request is, so a revoked key gets nothing from it.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date
from typing import Any

import orjson

from graph_service.api.permissions import Principal
from graphql import GraphQLError, OperationType, get_operation_ast, parse

#: Documents whose operation types are remembered (a document is parsed once more, after it first succeeds).
KNOWN_DOCUMENTS = 512


@dataclass(frozen=True)
class KeptResponse:
    body: bytes
    status: int
    media_type: str


class ResponseCache:
    """Query answers by request, for one write version at a time, at most ``max_bytes`` of bodies (LRU)."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._lock = threading.Lock()
        self._version: int | None = None
        self._items: OrderedDict[bytes, KeptResponse] = OrderedDict()
        self._bytes = 0
        self._queries: OrderedDict[tuple[str, str | None], bool] = OrderedDict()

    @property
    def enabled(self) -> bool:
        return self.max_bytes > 0

    @staticmethod
    def key(
        principal: Principal,
        media: str,
        query: str,
        operation: str | None,
        variables: dict[str, Any] | None,
        days: tuple[date, date],
    ) -> bytes | None:
        """The request's key, or ``None`` when it cannot have one (text that is not valid Unicode: never kept)."""
        parts = [principal.role.value, principal.key_id, media, operation, variables or {}, [d.isoformat() for d in days], query]
        try:
            encoded = orjson.dumps(parts, option=orjson.OPT_SORT_KEYS)
        except TypeError:
            return None
        return hashlib.blake2b(encoded, digest_size=20).digest()

    def get(self, version: int, key: bytes) -> KeptResponse | None:
        with self._lock:
            if version != self._version:
                self._forget(version)
                return None
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
            return found

    def put(self, version: int, key: bytes, query: str, operation: str | None, response: KeptResponse) -> None:
        """Keep ``response`` if the document's operation is a query and the body fits."""
        size = len(response.body)
        if size > self.max_bytes // 4 or not self._is_query(query, operation):
            return
        with self._lock:
            if version != self._version:
                self._forget(version)
            old = self._items.pop(key, None)
            if old is not None:
                self._bytes -= len(old.body)
            self._items[key] = response
            self._bytes += size
            while self._bytes > self.max_bytes:
                _, dropped = self._items.popitem(last=False)
                self._bytes -= len(dropped.body)

    def _forget(self, version: int) -> None:
        self._items.clear()
        self._bytes = 0
        self._version = version

    def _is_query(self, query: str, operation: str | None) -> bool:
        with self._lock:
            known = self._queries.get((query, operation))
        if known is not None:
            return known
        try:  # the document already passed the limits and ran without error: parsing it is safe and bounded
            found = get_operation_ast(parse(query, no_location=True), operation)
        except GraphQLError:
            found = None
        is_query = found is not None and found.operation is OperationType.QUERY
        with self._lock:
            self._queries[(query, operation)] = is_query
            while len(self._queries) > KNOWN_DOCUMENTS:
                self._queries.popitem(last=False)
        return is_query

    def stats(self) -> dict[str, int]:
        with self._lock:
            return {"entries": len(self._items), "bytes": self._bytes}


__all__ = ["KeptResponse", "ResponseCache"]
