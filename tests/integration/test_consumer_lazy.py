"""A consumer decodes an entry when its handler reads the event (events.lazy): one never read
costs no decoding, and one whose body turns out malformed when read is dead-lettered with
its decode error at once, whatever the handler did with that error. Batched handlers get
events decoded up front, so a malformed entry never fails their batch."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest

import worker.events.lazy as lazy
from tests.support.articles import make_article
from worker.consumers.consumer import Consumer
from worker.consumers.handler import CallableHandler, Handler
from worker.consumers.replay import dlq_list
from worker.events.codec import decode
from worker.events.lazy import LazyEvent
from worker.events.models import AnyEvent
from worker.settings import Settings
from worker.store.eventstore import EventStore


def _stream_with_a_bad_body(store: EventStore, body: bytes | None = None) -> bytes:
    """Two articles, then an entry with the append's stream fields and a malformed body (by
    default one that opens and closes as the append's do: not found out until read), then a
    third article. Returns the bad entry's id."""
    store.append_many([make_article(location="/lz/1"), make_article(location="/lz/2")])
    (_, fields), = store.redis.xrange(store.keys.events, count=1)
    if body is None:
        body = fields[b"body"].replace(b'"data":{', b'"data":{{', 1)
    eid: bytes = store.redis.xadd(store.keys.events, {**fields, b"body": body})
    store.append_many([make_article(location="/lz/3")])
    return eid


def _run(settings: Settings, store: EventStore, handler: Handler) -> Any:
    return Consumer(store.redis, store.keys, "g", handler, settings, batch=10).run(
        until_idle=True)


def test_events_a_handler_never_reads_are_not_decoded(
        settings: Settings, store: EventStore, monkeypatch: pytest.MonkeyPatch) -> None:
    decoded: list[Any] = []
    monkeypatch.setattr(lazy, "decode", lambda e, f: decoded.append(e) or decode(e, f))
    store.append_many([make_article(location=f"/lz/{i}") for i in range(5)])
    seen: list[AnyEvent] = []
    stats = _run(settings, store, CallableHandler("count", seen.append))
    assert stats.handled == 5 and decoded == []
    assert [e.source.location for e in seen] == [f"/lz/{i}" for i in range(5)]  # read now
    assert len(decoded) == 5


@pytest.mark.parametrize("swallow", [False, True])
def test_a_body_found_malformed_when_read_is_dead_lettered_at_once(
        settings: Settings, store: EventStore, swallow: bool) -> None:
    bad = _stream_with_a_bad_body(store)
    seen: list[str] = []

    def handle(event: AnyEvent) -> None:
        try:
            seen.append(event.source.location)
        except Exception:
            if not swallow:
                raise  # a handler that catches the decode error does not save the entry

    stats = _run(settings, store, CallableHandler("reader", handle))
    assert seen == ["/lz/1", "/lz/2", "/lz/3"]
    assert (stats.handled, stats.dead_lettered, stats.failed) == (3, 1, 0)
    (letter,) = dlq_list(store.redis, store.keys)
    assert letter.entry_id == bad.decode() and letter.error.startswith("decode: entry ")
    assert "not JSON" in letter.error and letter.deliveries == 1
    assert store.redis.xpending(store.keys.events, "g")["pending"] == 0


@pytest.mark.parametrize("body", [b"not json", b'{"type": "article.ingested"', b""])
def test_a_body_unlike_the_appends_is_dead_lettered_unread(settings: Settings,
                                                           store: EventStore,
                                                           body: bytes) -> None:
    bad = _stream_with_a_bad_body(store, body)
    stats = _run(settings, store, CallableHandler("count", lambda event: None))
    assert (stats.handled, stats.dead_lettered) == (3, 1)
    assert [d.entry_id for d in dlq_list(store.redis, store.keys)] == [bad.decode()]


def test_a_handler_that_never_reads_the_body_takes_the_entry(settings: Settings,
                                                             store: EventStore) -> None:
    # The documented trade-off: a body shaped as the append's is untrusted until read, and
    # this one is never read.
    _stream_with_a_bad_body(store)
    stats = _run(settings, store, CallableHandler("count", lambda event: None))
    assert (stats.handled, stats.dead_lettered) == (4, 0)


def test_a_batched_handler_gets_decoded_events_and_keeps_its_batch(
        settings: Settings, store: EventStore) -> None:
    bad = _stream_with_a_bad_body(store)
    batches: list[list[str]] = []

    class Batched(Handler):
        batched = True

        def handle_batch(self, events: Sequence[AnyEvent]) -> None:
            assert not any(type(e) is LazyEvent for e in events)
            batches.append([e.source.location for e in events])

    stats = _run(settings, store, Batched())
    assert batches == [["/lz/1", "/lz/2", "/lz/3"]]  # one call: the bad entry left out
    assert (stats.handled, stats.dead_lettered) == (3, 1)
    assert [d.entry_id for d in dlq_list(store.redis, store.keys)] == [bad.decode()]
