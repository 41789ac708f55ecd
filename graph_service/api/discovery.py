"""How the shell finds the server that owns a data directory, and acts there as the local administrator.

LadybugDB lets one process open a database file, so while ``graph-service serve`` runs, the other commands go
through it. Once its port is bound and the store is open, the server writes two files into the data directory,
and it removes them when it stops cleanly (Ctrl-C, SIGTERM):

- ``server.json``: where it listens and which process it is (``url``, ``pid``, ``host``, ``started``);
- ``admin.token``: a random token, readable by its owner only (mode 0600), that the admin API (``api/admin.py``)
  accepts as the local administrator. Whoever may read it may read the database file beside it anyway, so the
  first API key can be made from the shell without having one.

A command reads them with ``find_server``: a server that answers ``/healthz`` gets the command; a file left by a
server that was killed (its process is gone, or nothing answers at its address) is ignored, with a note saying so.
Both files are written atomically (a temporary file renamed), so a reader never sees half of one.
"""

from __future__ import annotations

import json
import os
import secrets
import socket
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

import httpx

from graph_service.errors import ConflictError
from graph_service.services.ndjson_export import write_atomically

SERVER_FILE = "server.json"
TOKEN_FILE = "admin.token"
#: Local admin tokens start so; stored API keys with ``gsk_``, so neither is mistaken for the other.
TOKEN_PREFIX = "gsl_"
#: How long a command waits for ``/healthz`` before taking the server for gone.
HEALTH_TIMEOUT_SECONDS = 5.0


@dataclass(frozen=True)
class ServerInfo:
    """What ``server.json`` says: the URL to reach the server at, its process, the machine, when it started."""

    url: str
    pid: int
    host: str
    started: str

    def describe(self) -> str:
        return f"PID {self.pid} at {self.url}"


@dataclass(frozen=True)
class Found:
    """The outcome of looking: a live server (``server``), or none, with ``note`` saying why a file was ignored."""

    server: ServerInfo | None = None
    note: str | None = None


def connect_url(host: str, port: int) -> str:
    """The URL a client on this machine reaches a server listening on ``host:port`` at."""
    if host in ("", "0.0.0.0"):
        host = "127.0.0.1"
    elif host == "::":
        host = "::1"
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}"


def new_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


class Announcement:
    """The two files of one running server; ``publish`` writes them, ``withdraw`` removes them if still its own."""

    def __init__(self, data_dir: Path, url: str) -> None:
        self.data_dir = Path(data_dir)
        self.token = new_token()
        self.info = ServerInfo(
            url=url,
            pid=os.getpid(),
            host=socket.gethostname(),
            started=datetime.now(UTC).isoformat(timespec="seconds"),
        )

    def publish(self) -> None:
        # The token first, so that a reader who finds server.json finds its token. mkstemp creates each file
        # readable by its owner only (mode 0600) before a byte is written: the token is never readable by others.
        write_atomically(iter([self.token]), self.data_dir / TOKEN_FILE)
        write_atomically(iter([json.dumps(asdict(self.info))]), self.data_dir / SERVER_FILE)

    def withdraw(self) -> None:
        """Remove the files, unless another server has written its own since (then they are not ours to remove)."""
        try:
            current = read_server(self.data_dir)
        except (OSError, ValueError):
            current = None
        if current is not None and (current.pid, current.started) != (self.info.pid, self.info.started):
            return
        (self.data_dir / SERVER_FILE).unlink(missing_ok=True)
        token_path = self.data_dir / TOKEN_FILE
        try:
            if token_path.read_text(encoding="utf-8").strip() == self.token:
                token_path.unlink()
        except FileNotFoundError:
            pass


def read_server(data_dir: Path) -> ServerInfo | None:
    """``server.json`` of ``data_dir``, or ``None`` when there is none; ``ValueError`` when it is not one."""
    path = Path(data_dir) / SERVER_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    try:
        raw = json.loads(text)
        return ServerInfo(url=str(raw["url"]), pid=int(raw["pid"]), host=str(raw["host"]), started=str(raw["started"]))
    except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
        raise ValueError(f"{path} is not a server file ({exc})") from None


def read_token(data_dir: Path) -> str:
    """The local admin token of the server serving ``data_dir`` (``OSError`` when it cannot be read)."""
    return (Path(data_dir) / TOKEN_FILE).read_text(encoding="utf-8").strip()


def process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it exists, run by another user
    return True


def answers(url: str, timeout: float = HEALTH_TIMEOUT_SECONDS) -> bool:
    """Whether a graph-service answers at ``url`` (``/healthz``, any status: a 503 still holds the store)."""
    try:
        response = httpx.get(f"{url}/healthz", timeout=timeout)
    except httpx.HTTPError:
        return False
    return str(response.headers.get("content-type", "")).startswith("application/json")


class StoreServedError(ConflictError):
    """A command that cannot go through a server found the store served by one."""

    def __init__(self, data_dir: Path, server: ServerInfo, refusal: str) -> None:
        super().__init__(
            f"{refusal}: the store in {data_dir} is served by {server.describe()}; stop that server "
            "(Ctrl-C, or SIGTERM to its PID) or use another data directory (GRAPH_SERVICE_DATA_DIR)"
        )
        self.server = server


def find_server(data_dir: Path) -> Found:
    """The live server announced in ``data_dir``, or why there is none worth asking."""
    path = Path(data_dir) / SERVER_FILE
    try:
        info = read_server(data_dir)
    except (OSError, ValueError) as exc:
        return Found(note=f"ignoring {path}: {exc}")
    if info is None:
        return Found()
    if info.host == socket.gethostname() and not process_alive(info.pid):
        return Found(note=f"ignoring {path}: the server it names ({info.describe()}) is gone; it was not stopped cleanly")
    if not answers(info.url):
        return Found(note=f"ignoring {path}: the server it names ({info.describe()}) does not answer")
    return Found(server=info)


__all__ = [
    "SERVER_FILE",
    "TOKEN_FILE",
    "TOKEN_PREFIX",
    "Announcement",
    "Found",
    "ServerInfo",
    "StoreServedError",
    "answers",
    "connect_url",
    "find_server",
    "process_alive",
    "read_server",
    "read_token",
]
