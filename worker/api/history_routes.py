"""Article history over HTTP: ``GET /v1/articles/{id}/history``, ``.../diff`` and the article
as it stood at a version or a moment (``?version=`` / ``?as_of=`` on ``/v1/articles/{id}``).

All of it reads the per-article history index and point reads of the article's own entries
(worker.store.history), never the whole stream; see docs/history.md.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Annotated, Any

import redis
from fastapi import FastAPI, HTTPException, Query
from fastapi import Path as PathParam

from worker.api.errors import ErrorBody, responses
from worker.errors import VersionNotFound, VersionTrimmed
from worker.store.history import History
from worker.store.keys import Keys

log = logging.getLogger(__name__)

ARTICLE_ID = r"^[A-Za-z0-9_-]{1,128}$"


COMMON: dict[int | str, dict[str, Any]] = {
    **responses(401, 403, 404, 422, 503),
    404: {"model": ErrorBody, "description": "No such article, no such version, or the "
          "article did not exist yet at that moment"},
}
TRIMMED: dict[int | str, dict[str, Any]] = {
    410: {"model": ErrorBody, "description": "The version is in the history but its event "
          "was trimmed from the stream (its text is in the archive)"}}
# What GET /v1/articles/{id} answers, with ?version= / ?as_of= too.
ARTICLE_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"description": "The article's event (latest, or as of the version / moment), with "
                         "its stream ``entry_id``"},
    **COMMON, **TRIMMED,
}


def article_at(client: redis.Redis, keys: Keys, article_id: str, *, version: int | None,
               as_of: datetime | None) -> dict[str, Any]:
    """The event of the article at ``version`` or ``as_of``, as ``/v1/articles/{id}`` shows
    events: ``entry_id`` then the decoded envelope."""
    if as_of is not None and as_of.tzinfo is None:
        as_of = as_of.replace(tzinfo=UTC)
    try:
        v, event = History(client, keys).at(article_id, version=version, as_of=as_of)
    except VersionNotFound as exc:
        raise HTTPException(404, str(exc)) from None
    except VersionTrimmed as exc:
        raise HTTPException(410, str(exc)) from None
    return {"entry_id": v.entry_id, **event.model_dump(mode="json")}


def register(api: FastAPI, client: redis.Redis, keys: Keys, auth: list[Any]) -> None:
    history = History(client, keys)

    @api.get("/v1/articles/{article_id}/history", dependencies=auth, tags=["history"],
             responses={**COMMON, 200: {"description": "Every version, oldest first."}})
    def article_history(article_id: Annotated[str, PathParam(pattern=ARTICLE_ID)]
                        ) -> dict[str, Any]:
        """Every version of the article, oldest first: ``version``, ``type``, ``entry_id``,
        ``event_id``, ``occurred_at``, ``title``, ``word_count``, ``content_hash`` and
        ``changes`` (fields changed, body words added/removed, old and new title; null for
        the first version, or when unknown). Versions trimmed from the stream are listed."""
        try:
            versions = history.require(article_id)
        except VersionNotFound as exc:
            raise HTTPException(404, str(exc)) from None
        return {"article_id": article_id,
                "versions": [v.model_dump(mode="json") for v in versions]}

    @api.get("/v1/articles/{article_id}/diff", dependencies=auth, tags=["history"],
             responses={**COMMON,
                        200: {"description": "Word-level diff of title and body."},
                        **TRIMMED})
    def article_diff(
        article_id: Annotated[str, PathParam(pattern=ARTICLE_ID)],
        start: Annotated[int | None, Query(alias="from", ge=1, description="Old version "
                                           "(default: the one before `to`).")] = None,
        end: Annotated[int | None, Query(alias="to", ge=1, description="New version "
                                         "(default: the latest).")] = None,
    ) -> dict[str, Any]:
        """Word-level diff between two versions: ``title`` and ``body`` are lists of
        ``{"op": "equal" | "delete" | "insert", "text"}``; ``from``/``to`` are the two
        versions' history rows, ``changes`` their summary."""
        try:
            return history.diff(article_id, start, end)
        except VersionNotFound as exc:
            raise HTTPException(404, str(exc)) from None
        except VersionTrimmed as exc:
            raise HTTPException(410, str(exc)) from None
