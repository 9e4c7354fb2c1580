"""``GET /v1/search``: full-text search of the PostgreSQL read model (worker.pgstore).

Registered only when ``postgres_dsn`` is set (without it the route does not exist: 404, and
the OpenAPI document does not offer it). Answers 503 (the API's error body, ``Retry-After``)
when PostgreSQL cannot be reached or its schema is not migrated: search is optional, the rest
of the API is not. Like every 503 here, the body names no address.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Annotated, Any

import psycopg
from fastapi import FastAPI, Query
from fastapi.responses import JSONResponse

from worker.api import errors
from worker.errors import ReadModelError
from worker.pgstore.schema import check_migrated, connect
from worker.pgstore.search import MAX_LIMIT
from worker.pgstore.search import search as do_search
from worker.settings import Settings

log = logging.getLogger(__name__)


def _unavailable(message: str) -> JSONResponse:
    return errors.error(503, message, headers={"Retry-After": str(errors.RETRY_AFTER_S)})


def register(api: FastAPI, settings: Settings, auth: list[Any]) -> None:
    dsn = settings.postgres_dsn
    if not dsn:
        return

    @api.get("/v1/search", dependencies=auth, tags=["search"], response_model=None,
             responses=errors.responses(401, 403, 422, 503))
    def search(
        q: Annotated[str, Query(min_length=1, max_length=500, description="Words; "
                                "\"quoted phrase\", or, -word work.")],
        language: Annotated[str | None, Query(pattern=r"^[A-Za-z]{2,3}([-_][A-Za-z0-9]+)?$",
                                              description="Only this language.")] = None,
        since: Annotated[datetime | None, Query(description="Published on/after.")] = None,
        limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 20,
        offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
    ) -> dict[str, Any] | JSONResponse:
        """Articles matching ``q``, best first, with highlighted snippets (« »)."""
        if since is not None and since.tzinfo is None:
            since = since.replace(tzinfo=UTC)
        try:
            conn = connect(dsn)
        except ReadModelError as exc:  # logged with the address; the client learns less
            log.warning("search: %s", exc)
            return _unavailable("PostgreSQL is unavailable; retry later")
        try:
            with conn:
                check_migrated(conn, settings.postgres_schema)
                hits = do_search(conn, settings.postgres_schema, q, language=language,
                                 since=since, limit=limit, offset=offset)
        except ReadModelError as exc:
            return _unavailable(str(exc))
        except psycopg.OperationalError as exc:
            log.warning("search: PostgreSQL failed mid-query: %s", exc)
            return _unavailable("PostgreSQL is unavailable; retry later")
        return {"query": q, "results": [h.as_dict() for h in hits], "offset": offset,
                "next_offset": offset + len(hits) if len(hits) == limit else None}
