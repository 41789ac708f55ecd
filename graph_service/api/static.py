"""Static files shipped in the package (``graph_service/static/``), served under ``/static/``.

Our users sit on intranets without internet, so every script and style a page needs (GraphiQL, React) is a
release build vendored into the package and served from here; nothing loads from a CDN.

The files are package data, fixed for the life of the process: each is read once, on first request, and kept in
memory with its SHA-256 and a gzip copy. ``url(path)`` names a file with ``?v=<hash>``; a request carrying the
current hash is cached by browsers for a year (the URL changes when the file does), any other gets
``Cache-Control: no-cache`` and an ``ETag`` to revalidate with. Only files that exist in the package are served:
a path is looked up among them, never joined onto a directory, so ``..`` cannot escape.
"""

from __future__ import annotations

import gzip
import hashlib
import mimetypes
import threading
from dataclasses import dataclass
from importlib.resources import files
from importlib.resources.abc import Traversable

from fastapi import APIRouter, Request
from fastapi.responses import PlainTextResponse, Response

PREFIX = "/static"
IMMUTABLE = "public, max-age=31536000, immutable"
_MEDIA_TYPES = {
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".html": "text/html; charset=utf-8",
    ".json": "application/json",
    ".svg": "image/svg+xml",
    ".map": "application/json",
}
# Worth compressing: text. Fonts and images come compressed already.
_COMPRESSIBLE = ("text/", "application/json", "image/svg+xml")


@dataclass(frozen=True)
class Asset:
    body: bytes
    gzipped: bytes | None
    media_type: str
    sha256: str

    @property
    def etag(self) -> str:
        return f'"{self.sha256[:32]}"'


def _media_type(name: str) -> str:
    suffix = name[name.rfind(".") :].lower() if "." in name else ""
    if suffix in _MEDIA_TYPES:
        return _MEDIA_TYPES[suffix]
    guessed, _ = mimetypes.guess_type(name)
    # LICENSE, NOTICE and other files without a known suffix are text.
    return guessed or "text/plain; charset=utf-8"


def _walk(folder: Traversable, prefix: str = "") -> dict[str, Traversable]:
    found: dict[str, Traversable] = {}
    for entry in folder.iterdir():
        name = prefix + entry.name
        if entry.is_dir():
            if entry.name != "__pycache__":
                found.update(_walk(entry, name + "/"))
        elif not entry.name.endswith(".py"):
            found[name] = entry
    return found


class StaticAssets:
    """The files under one package folder, by their path relative to it (``vendor/react/LICENSE``)."""

    def __init__(self, root: Traversable) -> None:
        self._files = _walk(root) if root.is_dir() else {}
        self._loaded: dict[str, Asset] = {}
        self._lock = threading.Lock()

    def paths(self) -> list[str]:
        return sorted(self._files)

    def get(self, path: str) -> Asset | None:
        """The file at ``path``, or ``None`` when the package has no such file."""
        source = self._files.get(path)
        if source is None:
            return None
        with self._lock:
            asset = self._loaded.get(path)
            if asset is None:
                body = source.read_bytes()
                media_type = _media_type(path)
                compress = media_type.startswith(_COMPRESSIBLE) and len(body) > 1024
                asset = Asset(
                    body=body,
                    gzipped=gzip.compress(body, compresslevel=6, mtime=0) if compress else None,
                    media_type=media_type,
                    sha256=hashlib.sha256(body).hexdigest(),
                )
                self._loaded[path] = asset
        return asset

    def url(self, path: str) -> str:
        """The URL of a packaged file, versioned by its content so that browsers may cache it for good."""
        asset = self.get(path)
        if asset is None:
            raise KeyError(f"no static file {path!r} in the package")
        return f"{PREFIX}/{path}?v={asset.sha256[:16]}"

    def response(self, request: Request, path: str) -> Response:
        asset = self.get(path)
        if asset is None:
            return PlainTextResponse(f"no static file {path!r}", status_code=404)
        versioned = request.query_params.get("v") == asset.sha256[:16]
        headers = {
            "ETag": asset.etag,
            "Cache-Control": IMMUTABLE if versioned else "no-cache",
            "Vary": "Accept-Encoding",
            "X-Content-Type-Options": "nosniff",
        }
        if asset.etag in _etags(request.headers.get("if-none-match")):
            return Response(status_code=304, headers=headers)
        body = asset.body
        if asset.gzipped is not None and _accepts_gzip(request.headers.get("accept-encoding")):
            body = asset.gzipped
            headers["Content-Encoding"] = "gzip"
        return Response(body, headers=headers, media_type=asset.media_type)

    def router(self) -> APIRouter:
        router = APIRouter()

        async def serve(request: Request, path: str) -> Response:
            return self.response(request, path)

        router.add_api_route(PREFIX + "/{path:path}", serve, methods=["GET", "HEAD"], include_in_schema=False)
        return router


def _etags(header: str | None) -> set[str]:
    if not header:
        return set()
    return {tag.strip().removeprefix("W/") for tag in header.split(",")}


def _accepts_gzip(header: str | None) -> bool:
    for part in (header or "").split(","):
        coding, _, params = part.strip().partition(";")
        if coding.strip().lower() in ("gzip", "*"):
            return params.replace(" ", "").lower() not in ("q=0", "q=0.0", "q=0.00", "q=0.000")
    return False


#: The package's own static folder; shared by every app in the process (its files never change while it runs).
ASSETS = StaticAssets(files("graph_service") / "static")

__all__ = ["ASSETS", "IMMUTABLE", "PREFIX", "Asset", "StaticAssets"]
