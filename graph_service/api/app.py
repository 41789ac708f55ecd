"""The FastAPI application: GraphQL at ``/graphql`` (GraphiQL in a browser), ``/healthz``, ``/static/``, REST exports,
and the admin API under ``/admin`` (``api/admin.py``) through which the commands work while the server runs.

The application services (``bootstrap``) are built once, in the lifespan (one LadybugDB ``Database`` per
process: ARCHITECTURE.md), unless they are given (the server builds them first; tests and benchmarks too).
Every request's ``Authorization: Bearer <key>`` is checked by a middleware that puts the caller
(``Principal``) on ``request.state``; routes decide whether they need one.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response

from graph_service.api.auth import KeyRing, bearer_token
from graph_service.api.http import GraphQLEndpoint
from graph_service.api.schema import build_schema
from graph_service.api.static import ASSETS
from graph_service.bootstrap import Services, bootstrap
from graph_service.config import Settings
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
        try:
            yield
        finally:
            if owned:
                app.state.services.close()

    app = FastAPI(
        title="Organisational network service",
        description="Party-building-led urban community governance (党建引领城市基层治理): GraphQL at /graphql",
        lifespan=lifespan,
        docs_url=None if settings.production else "/docs",
        redoc_url=None,
        openapi_url=None if settings.production else "/openapi.json",
    )
    app.state.settings = settings
    # Fail at start, not at the first request, on weak keys in production.
    from graph_service.api.auth import check_env_keys

    check_env_keys(settings)

    @app.middleware("http")
    async def authenticate(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        request.state.principal = None
        token = bearer_token(request.headers.get("authorization"))
        if token is not None:
            keys: KeyRing = request.app.state.keys
            request.state.principal = await in_worker(keys.authenticate, token)
        return await call_next(request)

    @app.get("/healthz", tags=["health"])
    async def healthz(request: Request) -> Response:
        """Whether the store answers; its write version. No key needed."""
        store_ = _services(request).store
        try:
            version = await in_worker(store_.write_version)
        except Exception:
            return JSONResponse({"status": "unavailable", "store": store_.dialect}, status_code=503)
        return JSONResponse({"status": "ok", "store": store_.dialect, "write_version": version})

    app.include_router(GraphQLEndpoint(schema, settings, _services).router("/graphql"))
    app.include_router(ASSETS.router())

    from graph_service.api.exports import router as exports_router

    app.include_router(exports_router)

    from graph_service.api.admin import install as install_admin

    install_admin(app, admin_token)

    @app.exception_handler(401)
    async def unauthorized(request: Request, exc: Any) -> Response:
        detail = getattr(exc, "detail", "missing or invalid API key")
        return JSONResponse(
            {"errors": [{"message": str(detail), "extensions": {"code": "UNAUTHENTICATED"}}]},
            status_code=401,
            headers={"WWW-Authenticate": "Bearer"},
        )

    return app


__all__ = ["create_app"]
