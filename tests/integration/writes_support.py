"""A real server for the write-side and export tests: uvicorn on 127.0.0.1 on a free port, over an embedded store."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import httpx
import uvicorn
from pydantic import SecretStr

from graph_service.config import Settings
from graph_service.store.port import Store

ROLES = ("viewer", "analyst", "integration", "editor", "admin")
KEYS = {role: f"{role}-key-7f3a9c2e5b" for role in ROLES}


@dataclass
class Server:
    url: str
    store: Store

    def client(self, role: str | None) -> httpx.Client:
        headers = {"Accept": "application/graphql-response+json, application/json"}
        if role is not None:
            headers["Authorization"] = f"Bearer {KEYS[role]}"
        return httpx.Client(base_url=self.url, headers=headers, timeout=30)

    def graphql(self, role: str | None, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        with self.client(role) as client:
            response = client.post("/graphql", json={"query": query, "variables": variables or {}})
        body: dict[str, Any] = response.json()
        body["_status"] = response.status_code
        return body


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def running_server(store: Store) -> Iterator[Server]:
    """The service's app over ``store``, served by uvicorn in a thread until the block ends."""
    from graph_service.api.app import create_app
    from graph_service.bootstrap import bootstrap

    settings = Settings(api_keys=SecretStr(",".join(f"{r}:{k}" for r, k in KEYS.items())))
    app = create_app(settings, bootstrap(settings, store))
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    try:
        yield Server(f"http://127.0.0.1:{port}", store)
    finally:
        server.should_exit = True
        thread.join(timeout=20)
