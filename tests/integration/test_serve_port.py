"""``graph-service serve`` on a busy port: one clear line naming the port, status 1, before any success message."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from graph_service.api.server import PortUnavailableError, bind_listener

from .conftest import free_port


def _serve(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "GRAPH_SERVICE_DATA_DIR": str(data_dir), "GRAPH_SERVICE_API_KEYS": ""}
    command = [str(Path(sys.executable).with_name("graph-service")), "serve", *args]
    # A hang guard only: the command must give up at once, not serve.
    return subprocess.run(command, capture_output=True, text=True, env=env, cwd=data_dir, timeout=120)


def test_a_busy_port_fails_first_with_the_port_named(tmp_path: Path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = _serve(tmp_path, "--port", str(port), "--demo", "--scale", "0.01")
    assert result.returncode == 1
    lines = [line for line in (result.stdout + result.stderr).splitlines() if line.strip()]
    assert len(lines) == 1, lines
    assert f"127.0.0.1:{port}" in lines[0] and "already in use" in lines[0] and "--port" in lines[0]
    # Nothing started: no seeding, no success message, no store created.
    assert "GraphQL at" not in result.stdout and "startup complete" not in result.stderr
    assert not (tmp_path / "graph.lbdb").exists()


def test_an_unknown_host_is_named():
    with pytest.raises(PortUnavailableError, match=r"no-such-host\.invalid:8000: unknown host"):
        bind_listener("no-such-host.invalid", 8000)


def test_the_listener_is_what_serves(tmp_path: Path):
    port = free_port()
    listener = bind_listener("127.0.0.1", port)
    try:
        assert listener.getsockname() == ("127.0.0.1", port)
        # While it is held, a second serve on the same port is refused.
        with pytest.raises(PortUnavailableError, match=f"127.0.0.1:{port}"):
            bind_listener("127.0.0.1", port)
    finally:
        listener.close()
