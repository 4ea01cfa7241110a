"""``veille serve``: the read-only web app (FastAPI on uvicorn), pages and JSON API over one
:class:`storage.db.Store`.

Every response carries a Content-Security-Policy that allows no script at all and nothing
from another origin; titles, sentences and names from the web are escaped by Jinja2's
autoescape (pages) and are plain JSON strings (API). OpenAPI schema at ``/openapi.json``.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from pipeline import api, pages
from pipeline.http_errors import HttpProblem
from storage.db import Store

log = logging.getLogger(__name__)
CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
    "base-uri 'none'; frame-ancestors 'none'"
)
_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}


def create_app(store: Store) -> FastAPI:
    """The ASGI app over ``store``; nothing in it writes."""
    app = FastAPI(
        title="veille", version="0.1.0", docs_url=None, redoc_url=None,
        description="Read-only API over veille's articles, facts and contradictions.",
    )
    app.state.store = store
    app.include_router(api.router)
    app.include_router(pages.router)

    @app.middleware("http")
    async def _security_headers(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        response = await call_next(request)
        response.headers.update(_HEADERS)
        return response

    @app.exception_handler(HttpProblem)
    async def _problem(request: Request, exc: HttpProblem) -> Response:
        return _error(request, exc.status, str(exc))

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        first = exc.errors()[0] if exc.errors() else {}
        where = first.get("loc", ("request",))
        name = str(where[-1]) if where else "request"
        reason = " ".join(str(first.get("msg", "invalid")).split())
        if first.get("type") == "missing":
            reason = "required"
        return _error(request, 400, f"{name}: {reason}")

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        return _error(request, exc.status_code, f"{request.url.path}: {exc.detail}")

    return app


def _error(request: Request, status: int, message: str) -> Response:
    if request.url.path.startswith("/api/") or request.url.path == "/api":
        return JSONResponse({"error": message}, status_code=status)
    return pages.page("error.html.j2", status, code=status, message=message)


def serve(store: Store, *, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Serve the app until SIGINT/SIGTERM (uvicorn's own signal handling)."""
    import uvicorn

    log.info("serving %s on http://%s:%d", store.safe_url, host, port)
    uvicorn.run(create_app(store), host=host, port=port, log_level="info", access_log=False)
