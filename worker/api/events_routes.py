"""``GET /v1/events``: a page of the event stream, bounded in bytes (worker.ops.eventpage).

Summaries by default; ``full=true`` adds each decoded event that fits. ``max_bytes`` may lower
the ``events_max_bytes`` setting, never raise it; a page that ends early says
``truncated: true`` and continues with ``after=<next_after>``.
"""

# No `from __future__ import annotations`: the max_bytes bound is a local (the setting), which
# FastAPI can only see in an annotation evaluated here.
from typing import Annotated, Any

import redis
from fastapi import FastAPI, Query

from worker.api.errors import responses
from worker.ops.eventpage import EventsPage, page
from worker.settings import Settings
from worker.store.keys import Keys

ENTRY_ID = r"^\d{1,20}(-\d{1,20})?$"


def register(api: FastAPI, settings: Settings, auth: list[Any], client: redis.Redis,
             keys: Keys) -> None:
    ceiling = settings.events_max_bytes

    @api.get("/v1/events", dependencies=auth, tags=["events"],
             responses=responses(401, 403, 422, 503))
    def events(
        after: Annotated[str | None, Query(
            pattern=ENTRY_ID, description="Entries after this id (exclusive).")] = None,
        limit: Annotated[int, Query(ge=1, le=1000)] = 100,
        tail: Annotated[int | None, Query(ge=1, le=1000,
                                          description="Instead: the newest N.")] = None,
        full: Annotated[bool, Query(description="Each event whole, as far as max_bytes "
                                    "allows.")] = False,
        max_bytes: Annotated[int | None, Query(
            ge=4096, le=ceiling, description="Most JSON this answer carries (at most the "
            "events_max_bytes setting, its default).")] = None,
    ) -> EventsPage:
        """Event summaries (or whole events), oldest first; page with ``after=<next_after>``."""
        return page(client, keys, keys.events, max_bytes=max_bytes or ceiling, limit=limit,
                    after=after, tail=tail, full=full)
