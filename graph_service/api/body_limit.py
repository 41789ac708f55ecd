"""A limit on request bodies, for every route: 413 without reading the body whole.

A declared ``Content-Length`` over the limit is refused before any of the body is read; a body without one
(chunked) is counted as it arrives and refused as soon as the count passes the limit. Pure ASGI, so it sits in
front of everything else and costs a comparison per chunk.
"""

from __future__ import annotations

from collections.abc import Mapping

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from graph_service.api.responses import error_response
from graph_service.errors import RequestError


class BodyTooLargeError(RequestError):
    """The request body is over the limit (``setting`` names what changes it)."""

    def __init__(self, limit: int, setting: str) -> None:
        super().__init__(413, f"the request body is over the limit of {limit} bytes ({setting})")


#: A limit on bodies: the number of bytes and the setting that changes it.
Limit = tuple[int, str]


class BodySizeLimit:
    """Refuses request bodies over ``max_bytes`` with 413 (``REQUEST_TOO_LARGE``); a path in ``path_limits`` has
    its own limit instead (the admin import takes whole city files)."""

    def __init__(self, app: ASGIApp, max_bytes: Limit, path_limits: Mapping[str, Limit] | None = None) -> None:
        self.app = app
        self.default = max_bytes
        self.path_limits = dict(path_limits or {})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.path_limits.get(scope.get("path", ""), self.default)
        max_bytes = limit[0]
        declared = _content_length(scope)
        if declared is not None and declared > max_bytes:
            await self._refuse(send, limit)
            return
        received = 0
        started = False

        async def counted_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > max_bytes:
                    raise BodyTooLargeError(*limit)
            return message

        async def watched_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted_receive, watched_send)
        except BodyTooLargeError:
            # Routes answer it through the app's handler; this is for a reader that let it escape.
            if not started:
                await self._refuse(send, limit)

    async def _refuse(self, send: Send, limit: Limit) -> None:
        # The unread rest of the body makes the connection unusable for a next request: say so.
        response = error_response(413, str(BodyTooLargeError(*limit)), headers={"Connection": "close"})
        await send({"type": "http.response.start", "status": 413, "headers": response.raw_headers})
        await send({"type": "http.response.body", "body": response.body})


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


__all__ = ["BodySizeLimit", "BodyTooLargeError", "Limit"]
