"""``graph-service serve``: uvicorn with one worker (LadybugDB allows one process per database file), announced in
the data directory so that the other commands run beside it (``api/discovery.py``)."""

from __future__ import annotations

import errno
import signal
import socket
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType

import uvicorn

from graph_service.api.discovery import SERVER_FILE, Announcement, StoreServedError, connect_url, find_server
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
        services.calendar.refresh()  # the seed recorded the day its city is generated for
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
    """Serve the API; with ``demo``, seed the Heze profile into an empty store first.

    Once the port is bound and the store open, the data directory gets ``server.json`` and the local admin token
    (``api/discovery.py``), so that the other commands go through this server; they are removed again when it
    stops cleanly (Ctrl-C or SIGTERM).
    """
    from graph_service.api.app import create_app
    from graph_service.bootstrap import bootstrap

    found = find_server(settings.data_dir)
    if found.server is not None:
        raise StoreServedError(settings.data_dir, found.server, "cannot serve a store twice")
    if found.note:
        print(f"note: {found.note}", file=sys.stderr, flush=True)
    with _sigterm_unwinds():
        listener = bind_listener(host, port)
        try:
            services = bootstrap(settings)
            try:
                if demo:
                    key = prepare_demo(services, demo_scale)
                    if key:
                        print("No API keys were configured, so an admin key was created. It is shown only this once:")
                        print(f"  Authorization: Bearer {key}")
                bound_port = int(listener.getsockname()[1])
                announcement = Announcement(settings.data_dir, connect_url(host, bound_port))
                app = create_app(settings, services, admin_token=announcement.token)
                announcement.publish()
                try:
                    print(f"GraphQL at http://{host}:{bound_port}/graphql (GraphiQL in a browser), health at /healthz")
                    print(
                        f"graph-service commands on {settings.data_dir} go through this server "
                        f"(it is named in {Path(settings.data_dir) / SERVER_FILE})",
                        flush=True,
                    )
                    # One worker: a second process could not open the LadybugDB file (ARCHITECTURE.md).
                    config = uvicorn.Config(app, workers=1, log_level="info")
                    uvicorn.Server(config).run(sockets=[listener])
                finally:
                    announcement.withdraw()
            finally:
                services.close()
        finally:
            listener.close()


class _Terminated(BaseException):
    """SIGTERM arrived: unwind like Ctrl-C does, through every ``finally``."""


@contextmanager
def _sigterm_unwinds() -> Iterator[None]:
    """Let SIGTERM stop ``serve`` cleanly: the discovery files go and the store closes, then the process still
    ends by SIGTERM, as it did before.

    uvicorn catches SIGTERM while it serves, shuts down gracefully, then raises the signal again under the handler
    it found at start; with the default handler that would end the process before any ``finally`` below it ran.
    """

    def unwind(signum: int, frame: FrameType | None) -> None:
        raise _Terminated

    try:
        previous = signal.signal(signal.SIGTERM, unwind)
    except ValueError:
        # Not the main thread (a server started by tests): signals are the main thread's to handle.
        yield
        return
    terminated = False
    try:
        yield
    except _Terminated:
        terminated = True
    finally:
        signal.signal(signal.SIGTERM, previous)
    if terminated:
        signal.raise_signal(signal.SIGTERM)


__all__ = ["PortUnavailableError", "bind_listener", "prepare_demo", "run"]
