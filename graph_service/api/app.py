"""The FastAPI application: GraphQL at ``/graphql`` (GraphiQL in a browser), the console at ``/console`` (``/``
redirects there; ``api/console.py``), ``/healthz``, ``/static/``, REST exports, the dual check-in ledger and table
downloads (``api/ledger.py``, ``api/tables.py``), and the admin API under ``/admin`` (``api/admin.py``) through
which the commands work while the server runs.

The application services (``bootstrap``) are built once, in the lifespan (one LadybugDB ``Database`` per
process: ARCHITECTURE.md), unless they are given (the server builds them first; tests and benchmarks too).
Every request's ``Authorization: Bearer <key>`` is checked by a middleware that puts the caller
(``Principal``) on ``request.state``; routes decide whether they need one.

Every route answers errors in one shape (``api/responses.py``), request bodies over ``max_request_bytes`` get 413
(``api/body_limit.py``), and the OpenAPI document of the REST routes needs a key in every mode. FastAPI's
``/docs`` page is off: it loads Swagger UI from a CDN our users cannot reach and cannot send a key.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Receive, Scope, Send

from graph_service.api.admin import IMPORT_PATH
from graph_service.api.admin import install as install_admin
from graph_service.api.auth import KeyRing, bearer_token
from graph_service.api.body_limit import BodySizeLimit
from graph_service.api.console import router as console_router
from graph_service.api.graphql_lane import ServiceApp
from graph_service.api.http import GraphQLEndpoint
from graph_service.api.ledger import UPLOAD_PATHS as LEDGER_PATHS
from graph_service.api.ledger import router as ledger_router
from graph_service.api.permissions import request_principal
from graph_service.api.responses import SafeJSONResponse, error_body, error_response, log
from graph_service.api.schema import build_schema
from graph_service.api.static import ASSETS
from graph_service.api.tables import TABLE_PATH
from graph_service.api.tables import router as tables_router
from graph_service.bootstrap import Services, bootstrap
from graph_service.config import Settings
from graph_service.errors import RequestError, clip
from graph_service.heap import Settler, tune_collector
from graph_service.services.warmup import Warmer
from graph_service.services.workers import in_worker


def _services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


def create_app(settings: Settings, services: Services | None = None, admin_token: str | None = None) -> FastAPI:
    """The service for ``settings``; builds the application services in the lifespan unless they are given.

    ``admin_token``: the local administrator's token for the admin API (``serve`` writes it into the data
    directory; without one, the admin API takes admin API keys only).
    """
    schema = build_schema(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        owned = services is None
        app.state.services = await in_worker(bootstrap, settings) if services is None else services
        app.state.keys = KeyRing(settings, app.state.services.keys)
        # The heap of a started server is long-lived: kept out of the collector's walks (graph_service/heap.py), and
        # again once each warm-up has built the projection and the figures; its young objects are collected less often.
        tune_collector()
        settler = Settler()
        settler.settled()
        app.state.warmer = Warmer(app.state.services, on_warm=settler) if settings.warm_up else None
        if app.state.warmer is not None:
            app.state.warmer.start()
        try:
            yield
        finally:
            if app.state.warmer is not None:
                await in_worker(app.state.warmer.stop)
            if owned:
                app.state.services.close()

    app = ServiceApp(
        title="Organisational network service",
        description="Party-building-led urban community governance (党建引领城市基层治理): GraphQL at /graphql",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        default_response_class=SafeJSONResponse,
    )
    app.state.settings = settings
    # Fail at start, not at the first request, on weak keys in production.
    from graph_service.api.auth import check_env_keys

    check_env_keys(settings)

    @app.get("/healthz", tags=["health"])
    async def healthz(request: Request) -> Response:
        """Whether the store answers; its write version; where the warm-up is. No key needed."""
        store_ = _services(request).store
        try:
            version = await in_worker(store_.write_version)
        except Exception:
            log.exception("health check: the store does not answer")
            body = {"status": "unavailable", "store": store_.dialect}
            return SafeJSONResponse({**body, **error_body("the store does not answer", "SERVICE_UNAVAILABLE")}, 503)
        warmer = getattr(request.app.state, "warmer", None)
        warm_up = warmer.status.as_dict() if warmer is not None else {"state": "off"}
        return SafeJSONResponse({"status": "ok", "store": store_.dialect, "write_version": version, "warm_up": warm_up})

    @app.get("/openapi.json", include_in_schema=False, dependencies=[Depends(request_principal)])
    async def openapi() -> Response:
        """The OpenAPI document of the REST routes, for any valid key."""
        return SafeJSONResponse(app.openapi())

    graphql = GraphQLEndpoint(schema, settings, _services)
    app.include_router(graphql.router("/graphql"))
    app.lane("/graphql", graphql.handle)  # GET and POST straight to the endpoint (api/graphql_lane.py)
    app.include_router(ASSETS.router())
    app.include_router(console_router())

    from graph_service.api.exports import router as exports_router

    app.include_router(exports_router)
    app.include_router(ledger_router)
    app.include_router(tables_router)
    install_admin(app, admin_token)
    _answer_errors_in_one_shape(app)
    app.add_middleware(Authenticate)
    # Added last, so it runs first: nothing reads a body before its size is checked.
    app.add_middleware(
        BodySizeLimit,
        max_bytes=(settings.max_request_bytes, "GRAPH_SERVICE_MAX_REQUEST_BYTES"),
        path_limits={
            IMPORT_PATH: (settings.max_import_bytes, "GRAPH_SERVICE_MAX_IMPORT_BYTES"),
            **{path: (settings.max_ledger_bytes, "GRAPH_SERVICE_MAX_LEDGER_BYTES") for path in LEDGER_PATHS},
            TABLE_PATH: (settings.max_table_bytes, "GRAPH_SERVICE_MAX_TABLE_BYTES"),
        },
    )
    return app


class Authenticate:
    """Puts the caller of every HTTP request on ``request.state.principal`` (``None`` without a valid key).

    Pure ASGI rather than ``@app.middleware``: Starlette's ``BaseHTTPMiddleware`` wraps an error raised while a
    route reads the body (a body over the limit) in an exception group, which then answered 500.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            request = Request(scope)
            principal = None
            token = bearer_token(request.headers.get("authorization"))
            if token is not None:
                keys: KeyRing = request.app.state.keys
                # A stored key is read from the store (off the event loop); a configured one is known here.
                principal = keys.configured(token) or await in_worker(keys.authenticate, token)
            request.state.principal = principal
        await self.app(scope, receive, send)


def _answer_errors_in_one_shape(app: FastAPI) -> None:
    """FastAPI's and Starlette's own errors (401/403 from dependencies, 404, 405, validation) in our shape."""

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        return error_response(exc.status_code, str(exc.detail), headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        where = "; ".join(".".join(str(p) for p in e.get("loc", ())) + f": {e.get('msg', '')}" for e in exc.errors()[:5])
        return error_response(400, f"the request is not valid: {clip(where, 300)}")

    @app.exception_handler(RequestError)
    async def request_error(request: Request, exc: RequestError) -> Response:
        return error_response(exc.status, exc.message, exc.error_code, headers=exc.headers)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        log.error("%s %s failed", request.method, request.url.path, exc_info=exc)
        return error_response(500, "Internal error; it was logged.")


__all__ = ["create_app"]
