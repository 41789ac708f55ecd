"""The console (``/console``): the web application for planners and leadership-group staff (issue 9).

One HTML page for ``/console`` and every ``/console/...`` path, so each view has a URL a colleague can open; the
page's own modules (``static/console/``, plain ES modules, no build step) route by ``location.pathname``. The
console is a client of ``POST /graphql`` under the signed-in API key: it has no data path of its own.

Everything loads from our origin: the vendored release builds of ECharts and Cytoscape.js and the console's
modules, each under its content-hashed ``/static`` URL. An import map names every console module by its hashed
URL, so a module's relative imports (``./views/index.js``) are cached for good too; the Content-Security-Policy
allows that one inline script by its SHA-256 and nothing else inline.
"""

from __future__ import annotations

import base64
import hashlib
import json
from html import escape

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from graph_service.api.static import ASSETS, PREFIX, StaticAssets

ROOT = "/console"
FOLDER = "console/"

_PAGE = """<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>基层党建组织体系 · 控制台</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="{css}">
<script type="importmap">{import_map}</script>
<script type="module" src="{app}"></script>
</head>
<body>
<div id="console" data-graphql="/graphql" data-root="{root}" data-xlsx="/tables/xlsx"
  data-echarts="{echarts}" data-cytoscape="{cytoscape}">加载中…</div>
</body>
</html>
"""


def _import_map(assets: StaticAssets) -> str:
    imports = {
        f"{PREFIX}/{path}": assets.url(path) for path in assets.paths() if path.startswith(FOLDER) and path.endswith(".js")
    }
    return json.dumps({"imports": imports}, separators=(",", ":"), sort_keys=True)


def _content_security_policy(import_map: str) -> str:
    digest = base64.b64encode(hashlib.sha256(import_map.encode()).digest()).decode()
    return "; ".join(
        (
            "default-src 'none'",
            f"script-src 'self' 'sha256-{digest}'",
            # ECharts and Cytoscape size their canvases with inline styles.
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data: blob:",
            "font-src 'self' data:",
            "connect-src 'self'",
            "base-uri 'none'",
            "form-action 'none'",
            "frame-ancestors 'none'",
        )
    )


def console_page(assets: StaticAssets = ASSETS) -> HTMLResponse:
    """The console's page: never cached (it names the current asset versions), own origin only."""
    import_map = _import_map(assets)
    html = _PAGE.format(
        css=escape(assets.url(FOLDER + "console.css"), quote=True),
        import_map=import_map,
        echarts=escape(assets.url("vendor/echarts/echarts.min.js"), quote=True),
        cytoscape=escape(assets.url("vendor/cytoscape/cytoscape.min.js"), quote=True),
        app=escape(assets.url(FOLDER + "app.js"), quote=True),
        root=ROOT,
    )
    return HTMLResponse(
        html,
        headers={
            "Content-Security-Policy": _content_security_policy(import_map),
            "Cache-Control": "no-cache",
            "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "no-referrer",
        },
    )


def router() -> APIRouter:
    """``/console`` and every path under it answer the page; ``/`` sends a browser there."""
    routes = APIRouter()

    async def page() -> Response:
        return console_page()

    async def sub_page(path: str) -> Response:
        return console_page()

    async def root() -> Response:
        return RedirectResponse(ROOT, status_code=307)

    routes.add_api_route(ROOT, page, methods=["GET", "HEAD"], include_in_schema=False)
    routes.add_api_route(ROOT + "/{path:path}", sub_page, methods=["GET", "HEAD"], include_in_schema=False)
    routes.add_api_route("/", root, methods=["GET", "HEAD"], include_in_schema=False)
    return routes


__all__ = ["ROOT", "console_page", "router"]
