"""GET and POST ``/graphql`` sent from the server straight to the endpoint, past FastAPI's routing.

A GraphQL request went through every layer of FastAPI's application on its way in (its error middleware, its
telemetry, its own body limit, the exception handlers, the dependencies' exit stack, the router matching the path
against each route in turn, the route and its wrapper) and through their wrapped ``send`` on its way out: a tenth
of the event loop's samples with 16 clients on a city's hierarchy (py-spy), in layers the endpoint never uses (it is
one Starlette route, without dependencies, and answers its own errors). Past them, a request costs the loop 3-6%
less CPU (docs/performance.md). ``ServiceApp`` sends those two methods of
that one path through the app's own middleware (the body limit and the caller's key: the same classes and settings,
taken from the app) to the endpoint, and answers an exception it lets out with the handler the app registered for
it. Any other path or method, and any request under a root path, takes the app's whole stack.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import FastAPI
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

#: The methods the lane takes: the rest (HEAD, a refused method) need the router's answers.
LANE_METHODS = frozenset({"GET", "POST"})

Handler = Callable[[Request], Awaitable[Response]]


class ServiceApp(FastAPI):
    """FastAPI, with one path's GET and POST served by a lane (``lane``) instead of the whole stack."""

    _lane_path: str | None = None
    _lane_handler: Handler | None = None
    _lane_app: ASGIApp | None = None

    def lane(self, path: str, handler: Handler) -> None:
        """Serves GET and POST ``path`` with ``handler`` behind the app's middleware (the route stays registered
        for the other methods)."""
        self._lane_path = path
        self._lane_handler = handler
        self._lane_app = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            self._lane_path is not None
            and scope["type"] == "http"
            and scope["path"] == self._lane_path
            and scope["method"] in LANE_METHODS
            and not scope.get("root_path")
            and not self.root_path
        ):
            scope["app"] = self  # as Starlette does: the handlers find the app's state through the request
            await self._lane()(scope, receive, send)
            return
        await super().__call__(scope, receive, send)

    def _lane(self) -> ASGIApp:
        # Made on first use, as Starlette makes its stack: every middleware is added by then.
        lane = self._lane_app
        if lane is None:
            assert self._lane_handler is not None
            lane = _Endpoint(self._lane_handler, self.exception_handlers)
            for cls, args, kwargs in reversed(self.user_middleware):
                lane = cls(lane, *args, **kwargs)
            self._lane_app = lane
        return lane


class _Endpoint:
    """The handler as an ASGI app, answering an exception it raises as the app's handler for it would."""

    def __init__(self, handler: Handler, exception_handlers: dict[Any, Callable[..., Any]]) -> None:
        self.handler = handler
        self.exception_handlers = exception_handlers

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive, send)
        try:
            response = await self.handler(request)
        except Exception as exc:
            answer = self._handler_for(exc)
            if answer is None:
                raise
            answered = answer(request, exc)
            response = await answered if inspect.isawaitable(answered) else answered
        await response(scope, receive, send)

    def _handler_for(self, exc: Exception) -> Callable[..., Any] | None:
        for cls in type(exc).__mro__:
            if cls in self.exception_handlers:
                return self.exception_handlers[cls]
        return None


__all__ = ["LANE_METHODS", "ServiceApp"]
