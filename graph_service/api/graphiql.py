"""The GraphiQL page a browser gets at ``GET /graphql``: every script and style from our own ``/static/``.

GraphiQL 3 (its UMD build) on React 18, vendored from the npm registry (``web/package-lock.json``,
``scripts/vendor_assets.sh``). The page needs no key; a field at its top takes the API key and the page sends it as
``Authorization: Bearer <key>`` with every request (a header set in GraphiQL's Headers tab wins). A
Content-Security-Policy lets the page load and connect to its own origin only, so a library that tried to reach
the internet could not.
"""

from __future__ import annotations

from html import escape

from fastapi.responses import HTMLResponse

from graph_service.api.static import ASSETS, StaticAssets

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'none'",
        "script-src 'self'",
        # GraphiQL's editors and popovers set inline styles.
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
    )
)

_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>GraphiQL · graph-service</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="{graphiql_css}">
<link rel="stylesheet" href="{page_css}">
</head>
<body>
<header class="gs-bar">
  <span class="gs-title">graph-service · GraphiQL</span>
  <form id="gs-key-form" class="gs-key" autocomplete="off">
    <label for="gs-api-key">API key</label>
    <input id="gs-api-key" name="api-key" type="password" spellcheck="false" placeholder="gsk_…">
    <button type="submit">Use key</button>
    <span id="gs-key-state" role="status"></span>
  </form>
</header>
<main id="graphiql" data-endpoint="{endpoint}">Loading…</main>
<script src="{react}"></script>
<script src="{react_dom}"></script>
<script src="{graphiql_js}"></script>
<script src="{page_js}"></script>
</body>
</html>
"""


def graphiql_html(endpoint: str = "/graphql", assets: StaticAssets = ASSETS) -> str:
    """The page, with the GraphQL endpoint it talks to and versioned URLs of its files."""
    return _PAGE.format(
        endpoint=escape(endpoint, quote=True),
        graphiql_css=assets.url("vendor/graphiql/graphiql.min.css"),
        page_css=assets.url("graphiql/page.css"),
        react=assets.url("vendor/react/react.production.min.js"),
        react_dom=assets.url("vendor/react-dom/react-dom.production.min.js"),
        graphiql_js=assets.url("vendor/graphiql/graphiql.min.js"),
        page_js=assets.url("graphiql/page.js"),
    )


def graphiql_page(endpoint: str = "/graphql") -> HTMLResponse:
    """The GraphiQL page as a response: never cached (it names the current asset versions), own origin only."""
    return HTMLResponse(
        graphiql_html(endpoint),
        headers={
            "Content-Security-Policy": CONTENT_SECURITY_POLICY,
            "Cache-Control": "no-cache",
            "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "no-referrer",
        },
    )


__all__ = ["CONTENT_SECURITY_POLICY", "graphiql_html", "graphiql_page"]
