"""The published contract of the event stream: JSON Schema documents generated from the
event models, for consumers in any language (checked in under ``docs/schema/``; a test fails
when the models and the files disagree).

One document per event type at its current ``schema_version`` (older versions are upcast on
read, see worker.events.codec), one for any event on any stream (``PublishedEvent``, the
union discriminated by ``type``), and one per stream shape for the flat entry that carries the
event as JSON in its ``body`` field: the article streams' and the story events'.
"""

from __future__ import annotations

import logging
from typing import Annotated, Any

from pydantic import Field, TypeAdapter

from worker.events.models import (
    SCHEMA_VERSIONS,
    ArticleIngested,
    ArticleRevised,
    IngestionFailed,
)
from worker.events.stories import (
    PUBLISHED_SCHEMA_VERSIONS,
    STORY_ARTICLE_ADDED,
    PublishedEvent,
    StoryArticleAdded,
)

log = logging.getLogger(__name__)

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
MODELS: tuple[type[ArticleIngested] | type[ArticleRevised] | type[IngestionFailed]
              | type[StoryArticleAdded], ...] = (
    ArticleIngested, ArticleRevised, IngestionFailed, StoryArticleAdded)

STREAM_ENTRY: dict[str, Any] = {
    "title": "Stream entry",
    "description": (
        "One entry of the {<prefix>}:events (articles) or {<prefix>}:failures stream, as "
        "XRANGE/XREADGROUP return it: flat string fields. `type`, `article_id`, `version`, "
        "`event_id` and `schema_version` repeat the envelope's, so a consumer can route without "
        "parsing; `body` is the whole envelope as JSON (see event.json). Entries in the "
        "dead-letter stream carry the same fields plus dlq_group, dlq_handler, dlq_error, "
        "dlq_deliveries, dlq_entry_id, dlq_at (Unix ms) and dlq_stream."),
    "type": "object",
    "required": ["type", "version", "event_id", "schema_version", "body"],
    "properties": {
        "type": {"type": "string", "enum": sorted(SCHEMA_VERSIONS)},
        "article_id": {"type": "string", "description": "empty for failures of no article"},
        "version": {"type": "string", "pattern": "^[0-9]+$"},
        "event_id": {"type": "string", "description": "UUIDv7"},
        "schema_version": {"type": "string", "pattern": "^[0-9]+$"},
        "body": {"type": "string", "contentMediaType": "application/json",
                 "contentSchema": {"$ref": "event.json"}},
    },
}


STORY_ENTRY: dict[str, Any] = {
    "title": "Story event stream entry",
    "description": (
        "One entry of the {<prefix>}:story_events stream (the `stories` handler's assignments), "
        "as XRANGE/XREADGROUP return it: flat string fields. `type`, `story_id`, `article_id`, "
        "`event_id` and `schema_version` repeat the envelope's; `body` is the whole envelope "
        "as JSON (see story.article_added.v1.json). `event_id` is derived from story and "
        "article, so a re-emitted assignment carries the same id."),
    "type": "object",
    "required": ["type", "story_id", "article_id", "event_id", "schema_version", "body"],
    "properties": {
        "type": {"type": "string", "enum": [STORY_ARTICLE_ADDED]},
        "story_id": {"type": "string"},
        "article_id": {"type": "string"},
        "event_id": {"type": "string"},
        "schema_version": {"type": "string", "pattern": "^[0-9]+$"},
        "body": {"type": "string", "contentMediaType": "application/json",
                 "contentSchema": {"$ref": "event.json"}},
    },
}


def titled(schema: dict[str, Any], title: str, description: str) -> dict[str, Any]:
    return {"$schema": SCHEMA_DIALECT, "title": title, "description": description, **{
        k: v for k, v in schema.items() if k not in ("title", "description")}}


def schema_documents() -> dict[str, dict[str, Any]]:
    """File name (under docs/schema/) -> JSON Schema document."""
    docs: dict[str, dict[str, Any]] = {}
    for model in MODELS:
        etype = model.model_fields["type"].default
        version = PUBLISHED_SCHEMA_VERSIONS[etype]
        docs[f"{etype}.v{version}.json"] = titled(
            model.model_json_schema(mode="serialization"), f"{etype} (schema_version {version})",
            (model.__doc__ or f"The {etype} event.").strip())
    union: Any = Annotated[PublishedEvent, Field(discriminator="type")]
    docs["event.json"] = titled(
        TypeAdapter(union).json_schema(mode="serialization"), "Event",
        "Any event on any stream, as the JSON in a stream entry's `body`; `type` tells which.")
    docs["stream-entry.json"] = {"$schema": SCHEMA_DIALECT, **STREAM_ENTRY}
    docs["story-entry.json"] = {"$schema": SCHEMA_DIALECT, **STORY_ENTRY}
    return docs
