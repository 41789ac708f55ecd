"""``graph-service serve``: uvicorn with one worker (LadybugDB allows one process per database file)."""

from __future__ import annotations

import errno
import socket

import uvicorn

from graph_service.bootstrap import Services
from graph_service.config import Settings
from graph_service.errors import GraphServiceError
from graph_service.services.keys import parse_env_keys


def prepare_demo(services: Services, scale: float, seed: int = 7) -> str | None:
    """Seed the Heze profile into an empty store; create an admin key when none is configured.

    Returns the new admin key (to print once), or ``None``.
    """
    from graph_service.seed.runner import seed_into, store_is_empty

    settings, store = services.settings, services.store
    if store_is_empty(store):
        print(f"Seeding the Heze demo dataset at scale {scale:g} into {settings.data_dir} ...", flush=True)
        seed_into(store, scale, seed, settings.data_dir)
    else:
        print("The store already holds data; --demo does not seed again.", flush=True)
    if not parse_env_keys(settings.api_keys.get_secret_value()) and services.keys.stored_count() == 0:
        _, key = services.keys.create("admin", "created by serve --demo")
        return key
    return None


class PortUnavailableError(GraphServiceError):
    """The address to serve on cannot be listened on (taken, not ours, not allowed)."""


def _reason(exc: OSError) -> str:
    if exc.errno == errno.EADDRINUSE:
        return "the port is already in use (is another graph-service or program listening there?)"
    if exc.errno == errno.EACCES:
        return "permission denied (ports below 1024 need privileges)"
    if exc.errno == errno.EADDRNOTAVAIL:
        return "the address is not one of this machine's"
    return exc.strerror or str(exc)


def bind_listener(host: str, port: int) -> socket.socket:
    """A socket listening on ``host:port``, or ``PortUnavailableError`` naming the address and why.

    Bound before anything else starts (the store, seeding, uvicorn), so a busy port fails at once and before any
    success message; uvicorn then serves on this very socket.
    """
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)[0]
    except socket.gaierror as exc:
        raise PortUnavailableError(f"cannot listen on {host}:{port}: unknown host ({exc.strerror})") from None
    sock = socket.socket(family, kind, proto)
    try:
        # As uvicorn does: a port left in TIME_WAIT by a previous run may be reused; one still listening may not.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(2048)
    except OSError as exc:
        sock.close()
        raise PortUnavailableError(f"cannot listen on {host}:{port}: {_reason(exc)}; choose another with --port") from None
    return sock


def run(settings: Settings, host: str = "127.0.0.1", port: int = 8000, demo: bool = False, demo_scale: float = 1.0) -> None:
    """Serve the API; with ``demo``, seed the Heze profile into an empty store first."""
    from graph_service.api.app import create_app
    from graph_service.bootstrap import bootstrap

    listener = bind_listener(host, port)
    try:
        services = bootstrap(settings)
        try:
            if demo:
                key = prepare_demo(services, demo_scale)
                if key:
                    print("No API keys were configured, so an admin key was created. It is shown only this once:")
                    print(f"  Authorization: Bearer {key}")
            app = create_app(settings, services)
            print(f"GraphQL at http://{host}:{port}/graphql (GraphiQL in a browser), health at /healthz", flush=True)
            # One worker: a second process could not open the LadybugDB file (ARCHITECTURE.md).
            config = uvicorn.Config(app, workers=1, log_level="info")
            uvicorn.Server(config).run(sockets=[listener])
        finally:
            services.close()
    finally:
        listener.close()


__all__ = ["PortUnavailableError", "bind_listener", "prepare_demo", "run"]
