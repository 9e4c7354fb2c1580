"""Entries written with schema v1 are read as v2 everywhere; the stored entry is never rewritten."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import orjson

from tests.conftest import settings_env
from tests.support.consume import archived_ids
from worker.consumers.builtin.archive import iter_archive
from worker.consumers.builtin.catalog import Catalog
from worker.consumers.consumer import Consumer
from worker.consumers.handler import CallableHandler, HandlerContext, resolve
from worker.events.models import AnyEvent, ArticleIngested, article_id_for, uuid7
from worker.settings import Settings
from worker.store.eventstore import EventStore

URL = "https://old.example/v1-story"


def v1_fields() -> dict[str, Any]:
    """What a v1 writer put in the stream: body one string, images with ``file``, no lede."""
    aid = article_id_for(URL)
    body = {
        "event_id": uuid7(), "type": "article.ingested", "schema_version": 1,
        "occurred_at": "2023-05-06T07:08:09+00:00", "article_id": aid, "version": 1,
        "correlation_id": None, "source": {"kind": "file", "location": "/old/a.html"},
        "data": {
            "title": "An old story", "body": "First paragraph.\n\nSecond paragraph.",
            "url": URL, "site_name": "Old Site", "word_count": 4, "content_hash": "h1",
            "source": {"kind": "file", "location": "/old/a.html"},
            "images": [{"file": "pic.jpg", "caption": "A picture"}],
            "published_at": "2023-05-06T06:00:00+00:00",
        },
    }
    return {"type": "article.ingested", "article_id": aid, "version": "1",
            "event_id": body["event_id"], "schema_version": "1", "body": orjson.dumps(body)}


def check_v2(ev: AnyEvent) -> None:
    assert isinstance(ev, ArticleIngested) and ev.schema_version == 2
    assert ev.data.body == ("First paragraph.", "Second paragraph.")
    assert ev.data.lede == "First paragraph." and ev.data.normaliser_version == "v1"
    assert ev.data.images[0].src == "pic.jpg" and ev.data.images[0].caption == "A picture"


def test_v1_entries_are_upcast_for_consumers_events_and_catalog(settings: Settings,
                                                                store: EventStore) -> None:
    fields = v1_fields()
    eid = store.redis.xadd(store.keys.events, fields)
    # Consumers get v2 events
    got: list[AnyEvent] = []
    spec = CallableHandler("collect", got.append)
    Consumer(store.redis, store.keys, "g", spec, settings).run(until_idle=True)
    assert len(got) == 1
    check_v2(got[0])
    # ... so do the built-in handlers
    for group, name in [("cat", "catalog"), ("arch", "archive")]:
        h = resolve(name, HandlerContext(settings, store.keys, store.redis, group))
        Consumer(store.redis, store.keys, group, h, settings).run(until_idle=True)
    doc = Catalog(store.redis, store.keys).get(fields["article_id"])
    assert doc is not None and doc["lede"] == "First paragraph." and doc["site_name"] == "Old Site"
    assert archived_ids(settings) == [fields["event_id"]]
    (row,) = iter_archive(settings.archive_path)
    assert row["schema_version"] == 2 and row["data"]["images"][0]["src"] == "pic.jpg"
    assert next(settings.archive_path.glob("*.jsonl")).name == "2023-05-06.jsonl"
    # ... and `newsworker events --full`
    res = subprocess.run([sys.executable, "-m", "worker", "events", "--full"],
                         env=settings_env(settings), capture_output=True, timeout=60)
    assert res.returncode == 0, res.stderr
    out = orjson.loads(res.stdout.splitlines()[0])
    assert out["schema_version"] == 2 and out["data"]["body"] == ["First paragraph.",
                                                                  "Second paragraph."]
    # The stored entry is untouched
    (entry,) = store.redis.xrange(store.keys.events)
    assert entry[0] == eid and entry[1][b"schema_version"] == b"1"
    assert entry[1][b"body"] == fields["body"]
