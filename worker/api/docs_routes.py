"""``GET /openapi.json`` (behind the API token) and ``GET /docs``, a page that reads it.

The page is a shell like the dashboard's (no data in it): its script fetches the document
with the token kept in the tab (the dashboard's sessionStorage key) and lists every
operation. Everything is served from ``static/``; no third-party script. Swagger UI is not
used: the copy on PyPI (swagger-ui-bundle 1.1, Swagger UI 4.15) cannot render the OpenAPI 3.1
FastAPI writes, and its inline styles would need ``style-src 'unsafe-inline'``.
``api_docs = false`` serves neither (404).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.responses import FileResponse, JSONResponse

from worker.api.errors import responses
from worker.api.security import CSP
from worker.settings import Settings

STATIC_DIR = Path(__file__).parent / "static"


def register(api: FastAPI, settings: Settings, auth: list[Any]) -> None:
    if not settings.api_docs:
        return

    @api.get("/openapi.json", dependencies=auth, include_in_schema=False,
             responses=responses(401, 403))
    def openapi() -> JSONResponse:
        return JSONResponse(api.openapi())

    @api.get("/docs", include_in_schema=False)
    def docs() -> FileResponse:
        return FileResponse(STATIC_DIR / "docs.html",
                            headers={"Content-Security-Policy": CSP, "Cache-Control": "no-cache"})
