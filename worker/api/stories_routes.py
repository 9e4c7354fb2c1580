"""``GET /v1/stories`` and ``GET /v1/stories/{story_id}``: the stories read model.

Status codes: 200 with the JSON; 401 without the API token (when one is set); 404 for an
unknown story id; 422 for a malformed parameter (bad id, ``since`` not ISO-8601,
``min_size`` < 1, ``limit`` out of 1..1000).
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import FastAPI, HTTPException, Query
from fastapi import Path as PathParam

from worker.api.errors import responses
from worker.consumers.builtin.stories import Stories
from worker.settings import Settings
from worker.store.keys import Keys

log = logging.getLogger(__name__)


def register(api: FastAPI, settings: Settings, auth: list[Any], client: Any,
             keys: Keys) -> None:
    stories = Stories(client, keys, settings)

    @api.get("/v1/stories", dependencies=auth, tags=["stories"],
             responses=responses(401, 403, 422, 503))
    def list_stories(
        since: Annotated[datetime | None, Query(description="Last seen on/after.")] = None,
        min_size: Annotated[int, Query(ge=1, description="At least this many articles.")] = 1,
        limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    ) -> dict[str, Any]:
        """Stories, largest first (then most recently seen)."""
        if since is not None and since.tzinfo is None:
            since = since.replace(tzinfo=UTC)
        return {"stories": stories.listing(since=since, min_size=min_size, limit=limit)}

    @api.get("/v1/stories/{story_id}", dependencies=auth, tags=["stories"],
             responses=responses(401, 403, 404, 422, 503))
    def get_story(story_id: Annotated[str, PathParam(pattern=r"^[0-9a-f]{1,64}$")]
                  ) -> dict[str, Any]:
        """One story: title, first/last seen, sources, size, article ids."""
        doc = stories.get(story_id)
        if doc is None:
            raise HTTPException(404, "no such story")
        return doc
