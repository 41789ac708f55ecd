"""Over real HTTP: the GraphiQL page names only our own files, and ``/static/`` serves them with cache headers."""

from __future__ import annotations

import gzip
import hashlib
import json
import re
from pathlib import Path

import httpx
import pytest

from graph_service.api.static import IMMUTABLE

VENDOR = Path(__file__).resolve().parents[2] / "graph_service" / "static" / "vendor"


def _page(live_server) -> httpx.Response:
    return httpx.get(live_server.graphql_url, headers={"Accept": "text/html,application/xhtml+xml"})


def _asset_urls(html: str) -> list[str]:
    return re.findall(r'<(?:script src|link rel="stylesheet" href)="([^"]+)"', html)


def test_the_graphiql_page_loads_nothing_from_outside(live_server):
    page = _page(live_server)
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    policy = page.headers["content-security-policy"]
    assert "default-src 'none'" in policy and "script-src 'self'" in policy and "connect-src 'self'" in policy
    urls = _asset_urls(page.text)
    assert len(urls) == 6
    assert all(url.startswith("/static/") and "?v=" in url for url in urls), urls
    assert "https://" not in page.text and "http://" not in page.text
    assert 'data-endpoint="/graphql"' in page.text


def test_every_file_of_the_page_is_served_for_good(live_server):
    manifest = json.loads((VENDOR / "MANIFEST.json").read_text())
    checksums = {f"/static/vendor/{n}/{f}": m["sha256"] for n, e in manifest.items() for f, m in e["files"].items()}
    for url in _asset_urls(_page(live_server).text):
        response = httpx.get(live_server.base_url + url)
        assert response.status_code == 200, url
        assert response.headers["cache-control"] == IMMUTABLE, url
        kind = "text/css" if url.split("?")[0].endswith(".css") else "text/javascript"
        assert response.headers["content-type"].startswith(kind), url
        path = url.split("?")[0]
        if path in checksums:
            assert hashlib.sha256(response.content).hexdigest() == checksums[path], url


def test_gzip_etag_and_revalidation(live_server):
    url = f"{live_server.base_url}/static/vendor/graphiql/graphiql.min.js"
    raw = (VENDOR / "graphiql" / "graphiql.min.js").read_bytes()
    with httpx.stream("GET", url, headers={"Accept-Encoding": "gzip"}) as response:
        body = b"".join(response.iter_raw())
        assert response.headers["content-encoding"] == "gzip"
        etag = response.headers["etag"]
        # Without the version in the URL a browser must ask again: no-cache, and the ETag to ask with.
        assert response.headers["cache-control"] == "no-cache"
    assert len(body) < len(raw) / 2 and gzip.decompress(body) == raw
    plain = httpx.get(url, headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers and plain.content == raw
    again = httpx.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    head = httpx.head(url, headers={"Accept-Encoding": "identity"})
    assert head.status_code == 200 and int(head.headers["content-length"]) == len(raw)


def test_a_stale_version_is_not_cached_for_good(live_server):
    response = httpx.get(f"{live_server.base_url}/static/vendor/react/LICENSE?v=0000000000000000")
    assert response.status_code == 200 and response.headers["cache-control"] == "no-cache"
    assert response.headers["content-type"].startswith("text/plain") and "MIT License" in response.text


@pytest.mark.parametrize(
    "path",
    ["nope.js", "../pyproject.toml", "%2e%2e/config.py", "..%2fapi%2fapp.py", "vendor/", "graphiql", "../../README.md"],
)
def test_only_files_of_the_static_folder_are_served(live_server, path):
    response = httpx.get(f"{live_server.base_url}/static/{path}")
    assert response.status_code == 404, path
    assert "import" not in response.text


def test_static_files_need_no_key_and_ignore_one(live_server):
    url = f"{live_server.base_url}/static/graphiql/page.js"
    assert httpx.get(url).status_code == 200
    assert httpx.get(url, headers={"Authorization": "Bearer wrong"}).status_code == 200
