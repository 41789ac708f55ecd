"""``ServiceApp``'s lane: GET and POST of its path go to the handler behind the app's own middleware, answering
what the handler raises with the app's handlers; everything else takes the app's whole stack."""

from __future__ import annotations

from typing import Any

import httpx
from fastapi import Request
from fastapi.responses import PlainTextResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

from graph_service.api.graphql_lane import ServiceApp
from graph_service.errors import RequestError
from tests.run_apart import run_apart


class Stamp:
    """A middleware that writes its tag into the scope and onto the response, in order."""

    def __init__(self, app: ASGIApp, tag: str) -> None:
        self.app, self.tag = app, tag

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            scope.setdefault("stamps", []).append(self.tag)
        await self.app(scope, receive, send)


def _app() -> ServiceApp:
    app = ServiceApp()

    @app.api_route("/graphql", methods=["GET", "POST", "HEAD"])
    async def routed(request: Request) -> Response:
        return PlainTextResponse("router " + ",".join(request.scope.get("stamps", [])))

    async def lane(request: Request) -> Response:
        what = request.query_params.get("raise")
        if what == "request":
            raise RequestError(409, "a conflict")
        if what == "unexpected":
            raise RuntimeError("boom")
        if what == "unhandled":
            raise KeyError("nobody answers this")
        body = await request.body()
        assert request.app is app
        return PlainTextResponse(f"lane {request.method} {body.decode()} " + ",".join(request.scope["stamps"]))

    @app.exception_handler(RequestError)
    async def request_error(request: Request, exc: RequestError) -> Response:
        return PlainTextResponse(f"handled {exc.message}", exc.status)

    @app.exception_handler(RuntimeError)
    async def runtime_error(request: Request, exc: RuntimeError) -> Response:
        return PlainTextResponse(f"logged {exc}", 500)

    app.lane("/graphql", lane)
    app.add_middleware(Stamp, tag="inner")
    app.add_middleware(Stamp, tag="outer")
    return app


def _send(app: ServiceApp, method: str, url: str, **kwargs: Any) -> httpx.Response:
    async def go() -> httpx.Response:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://lane") as client:
            return await client.request(method, url, **kwargs)

    return run_apart(go())


def test_get_and_post_go_to_the_lane_through_the_apps_middleware_in_order() -> None:
    app = _app()
    assert _send(app, "GET", "/graphql").text == "lane GET  outer,inner"
    assert _send(app, "POST", "/graphql", content=b"{}").text == "lane POST {} outer,inner"


def test_other_methods_and_paths_take_the_whole_stack() -> None:
    app = _app()
    head = _send(app, "HEAD", "/graphql")
    assert head.status_code == 200 and head.headers["content-length"] == str(len("router outer,inner"))
    refused = _send(app, "PUT", "/graphql")
    assert refused.status_code == 405 and sorted(refused.headers["allow"].split(", ")) == ["GET", "HEAD", "POST"]
    assert _send(app, "GET", "/graphql/").status_code in (307, 404)  # never the lane: another path


def test_a_root_path_takes_the_whole_stack() -> None:
    app = _app()
    app.root_path = "/svc"
    assert _send(app, "GET", "/graphql").text.startswith("router ")


def test_what_the_handler_raises_is_answered_by_the_apps_handler_for_it() -> None:
    app = _app()
    conflict = _send(app, "GET", "/graphql?raise=request")
    assert (conflict.status_code, conflict.text) == (409, "handled a conflict")
    failed = _send(app, "GET", "/graphql?raise=unexpected")
    assert (failed.status_code, failed.text) == (500, "logged boom")


def test_an_exception_without_a_handler_escapes_as_from_the_stack() -> None:
    app = _app()
    try:
        _send(app, "GET", "/graphql?raise=unhandled")
    except KeyError as exc:
        assert "nobody answers this" in str(exc)
    else:
        raise AssertionError("the lane swallowed an exception no handler takes")
