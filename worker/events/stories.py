"""``story.article_added``: an article was assigned to a story (the ``stories`` handler).

Kept on a stream of its own (``Keys.story_events``) so that downstream handlers subscribe to
stories rather than raw articles, and out of ``AnyEvent`` (what the article stream's reader
decodes): article consumers never see these. ``PublishedEvent`` is every event on any stream,
the union the published JSON Schema (docs/schema/event.json) describes. Entries are flat like
the article events (``type``, ``story_id``, ``article_id``, ``event_id``, ``schema_version``,
``body`` = the JSON envelope; docs/schema/story-entry.json); old schema versions will be
upcast on read by ``STORY_UPCASTERS``, never rewritten.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any, Final, Literal

import orjson
from pydantic import Field, ValidationError

from worker.errors import EventDecodeError, UnknownEventType
from worker.events.models import SCHEMA_VERSIONS, AnyEvent, Frozen, utcnow
from worker.redisconn import to_str

STORY_ARTICLE_ADDED: Final = "story.article_added"
STORY_SCHEMA_VERSION: Final = 1


def story_event_id(story_id: str, article_id: str) -> str:
    """Derived, not random: a replay or a redelivery that re-emits an assignment carries the
    same id, so downstream handlers dedupe by it."""
    return hashlib.blake2b(f"{story_id}\x00{article_id}".encode(), digest_size=16).hexdigest()


class StoryArticleAdded(Frozen):
    """An article was assigned to a story (on the story events stream)."""

    type: Literal["story.article_added"] = "story.article_added"
    schema_version: int = STORY_SCHEMA_VERSION
    event_id: str
    story_id: str
    article_id: str
    article_version: int = Field(ge=1)
    article_event_id: str = Field(description="the article event that was assigned")
    level: str = Field(description="new | duplicate | same_story")
    similarity: float = Field(ge=0, le=1, description="estimated containment (see "
                              "worker.consumers.similarity) of the closest article of the "
                              "story; 0 for the story's first article")
    matched_article_id: str | None = None
    source: str = Field(description="the article's site name or host")
    title: str
    seen_at: datetime = Field(description="the article event's occurred_at")
    recorded_at: datetime = Field(default_factory=utcnow)


#: Every event newsworker publishes, on any of its streams, discriminated by ``type``.
PublishedEvent = AnyEvent | StoryArticleAdded
PUBLISHED_SCHEMA_VERSIONS: Final[dict[str, int]] = {
    **SCHEMA_VERSIONS, STORY_ARTICLE_ADDED: STORY_SCHEMA_VERSION}


def encode_story_event(event: StoryArticleAdded) -> dict[str, bytes]:
    return {
        "type": event.type.encode(),
        "story_id": event.story_id.encode(),
        "article_id": event.article_id.encode(),
        "event_id": event.event_id.encode(),
        "schema_version": str(event.schema_version).encode(),
        "body": event.model_dump_json().encode(),
    }


STORY_UPCASTERS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {}


def decode_story_event(entry_id: str | bytes, fields: Mapping[Any, Any]) -> StoryArticleAdded:
    """One ``story_events`` entry; EventDecodeError / UnknownEventType when it can't be read."""
    eid = to_str(entry_id)
    raw = {to_str(k): v for k, v in fields.items()}
    try:
        body = orjson.loads(raw["body"])
    except (KeyError, orjson.JSONDecodeError):
        raise EventDecodeError(f"entry {eid}: no JSON body", raw=fields, entry_id=eid) from None
    if not isinstance(body, dict) or body.get("type") != STORY_ARTICLE_ADDED:
        raise UnknownEventType(f"entry {eid}: not a {STORY_ARTICLE_ADDED}", raw=fields,
                               entry_id=eid)
    while int(body.get("schema_version", 1)) < STORY_SCHEMA_VERSION:
        fn = STORY_UPCASTERS.get(int(body.get("schema_version", 1)))
        if fn is None:
            raise UnknownEventType(f"entry {eid}: no upcaster for v{body.get('schema_version')}",
                                   raw=fields, entry_id=eid)
        body = fn(body)
    try:
        return StoryArticleAdded.model_validate(body)
    except ValidationError as exc:
        msg = str(exc).splitlines()[0]
        raise EventDecodeError(f"entry {eid}: malformed story event: {msg}", raw=fields,
                               entry_id=eid) from None
