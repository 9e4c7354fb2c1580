"""Real stream entries validate against the published JSON Schemas (docs/schema/), read
the way a consumer in another language reads them: flat fields, then `body` as JSON."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator, ValidationError

from tests.support.articles import make_article
from tests.support.consume import run_group
from worker.events.models import Source
from worker.settings import Settings
from worker.store.eventstore import EventStore

SCHEMA_DIR = Path(__file__).resolve().parents[2] / "docs" / "schema"


def validator(name: str) -> Draft202012Validator:
    schema = json.loads((SCHEMA_DIR / name).read_text())
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def valid_bodies(entries: list[dict[str, str]], entry_schema: str) -> list[dict[str, Any]]:
    """Validate each flat entry per ``entry_schema`` and the JSON in its body per event.json
    and its type's own schema; returns the bodies."""
    entry_validator, event_validator = validator(entry_schema), validator("event.json")
    bodies = []
    for entry in entries:
        entry_validator.validate(entry)
        body: dict[str, Any] = json.loads(entry["body"])
        event_validator.validate(body)
        validator(f"{body['type']}.v{body['schema_version']}.json").validate(body)
        bodies.append(body)
    return bodies


def text_fields(fields: dict[bytes, bytes]) -> dict[str, str]:
    return {k.decode(): v.decode() for k, v in fields.items()}


def raw_entries(store: EventStore, key: str) -> list[dict[str, str]]:
    return [text_fields(f) for _, f in store.redis.xrange(key)]


def test_stream_entries_validate_against_the_published_schema(store: EventStore) -> None:
    # Given an ingested article, a revision of it and a rejected input
    store.append(make_article("First version of the story."))
    store.append(make_article("Second version of the story, with more words."))
    store.record_failure(Source(kind="file", location="/in/b.bin"), "bytes are not text",
                         code="binary")
    entries = raw_entries(store, store.keys.events) + raw_entries(store, store.keys.failures)
    assert [e["type"] for e in entries] == [
        "article.ingested", "article.revised", "ingestion.failed"]

    # Then each flat entry, and the JSON in its body, is valid per docs/schema/
    for entry, body in zip(entries, valid_bodies(entries, "stream-entry.json"), strict=True):
        assert entry["event_id"] == body["event_id"]
        assert entry["schema_version"] == str(body["schema_version"])


def test_a_broken_body_is_rejected_by_the_schema(store: EventStore) -> None:
    # Given a real entry whose body lost a required field
    store.append(make_article("A story."))
    [entry] = raw_entries(store, store.keys.events)
    body = json.loads(entry["body"])
    del body["data"]["title"]
    # Then the published schema says so (the check can fail)
    with pytest.raises(ValidationError, match="title"):
        validator("event.json").validate(body)


def test_story_events_validate_against_the_published_schema(
        settings: Settings, store: EventStore) -> None:
    # Given two copies of one story and another story through the stories handler
    wire = ("Flood water rose through the night across the valley, and rescue crews moved "
            "families from the lowest streets before dawn, the county said on Tuesday.")
    other = ("The central bank held its main rate for a third month, saying prices were "
             "still rising faster than it wanted and that cuts would have to wait.")
    store.append_many([make_article(wire, location="/in/a.txt"),
                       make_article(wire + " Advertisement", location="/in/b.txt"),
                       make_article(other, location="/in/c.txt")])
    run_group(settings, store, "stories", "stories")
    entries = raw_entries(store, store.keys.story_events)
    assert [e["type"] for e in entries] == ["story.article_added"] * 3

    # Then each flat entry, and the JSON in its body, is valid per docs/schema/
    for entry, body in zip(entries, valid_bodies(entries, "story-entry.json"), strict=True):
        assert (entry["event_id"], entry["story_id"]) == (body["event_id"], body["story_id"])
    assert [json.loads(e["body"])["level"] for e in entries] == ["new", "duplicate", "new"]
    # An article entry is no story entry: the schemas tell the streams apart
    with pytest.raises(ValidationError):
        validator("story-entry.json").validate(raw_entries(store, store.keys.events)[0])
