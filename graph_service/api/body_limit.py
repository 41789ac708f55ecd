"""A limit on request bodies, for every route: 413 without reading the body whole.

A declared ``Content-Length`` over the limit is refused before any of the body is read; a body without one
(chunked) is counted as it arrives and refused as soon as the count passes the limit. Pure ASGI, so it sits in
front of everything else and costs a comparison per chunk.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from graph_service.api.responses import error_response
from graph_service.errors import RequestError


class BodyTooLargeError(RequestError):
    """The request body is over the limit."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"the request body is over the limit of {limit} bytes")


class BodySizeLimit:
    """Refuses request bodies over ``max_bytes`` with 413 (``REQUEST_TOO_LARGE``)."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        if declared is not None and declared > self.max_bytes:
            await self._refuse(send)
            return
        received = 0
        started = False

        async def counted_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise BodyTooLargeError(self.max_bytes)
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
                await self._refuse(send)

    async def _refuse(self, send: Send) -> None:
        # The unread rest of the body makes the connection unusable for a next request: say so.
        response = error_response(413, str(BodyTooLargeError(self.max_bytes)), headers={"Connection": "close"})
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


__all__ = ["BodySizeLimit", "BodyTooLargeError"]
