"""The batch a consumer's ack reads ahead (pending for it before it is handled) is handled
once: a re-read of its own pending list for a retry, or a claim round, in the next step must
not hand those entries over a second time (make faults row 5 once wrote 20 dead letters for 15
bad entries: the 5 malformed ones twice)."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable

import redis

from tests.support.articles import make_article
from worker.consumers.consumer import Consumer
from worker.consumers.handler import CallableHandler
from worker.events.models import AnyEvent
from worker.settings import Settings
from worker.store.eventstore import EventStore
from worker.store.groups import ensure_group

BATCH = 4
MALFORMED = [{"type": "article.ingested", "event_id": "bad-1", "body": "not json"},
             {"foo": "bar", "event_id": "bad-2"}]


def _stream(settings: Settings) -> tuple[EventStore, list[str]]:
    """One full batch of articles, then a full batch of 2 malformed entries + 2 articles."""
    store = EventStore.from_settings(settings)
    first = store.append_many([make_article(f"Story {i} body.", location=f"/pf/{i}")
                               for i in range(BATCH)])
    for fields in MALFORMED:
        store.redis.xadd(store.keys.events, fields)
    store.append_many([make_article(f"Late {i} body.", location=f"/pf/late/{i}")
                       for i in range(BATCH - len(MALFORMED))])
    return store, [e.event_id for e in first]


def _consumer(settings: Settings, store: EventStore, calls: Counter[str],
              raising: set[str]) -> Consumer:
    def handle(event: AnyEvent) -> None:
        calls[event.event_id] += 1
        if event.event_id in raising and calls[event.event_id] == 1:
            raise RuntimeError("transient")  # the first time only

    handler = CallableHandler("once", handle, idempotent=True)
    client = redis.Redis.from_url(settings.store_url)
    ensure_group(client, store.keys.events, "g")  # run() does this; these tests step by hand
    return Consumer(client, store.keys, "g", handler, settings, consumer="c1", batch=BATCH)


def _dead_letters(store: EventStore) -> Counter[bytes]:
    return Counter(f[b"dlq_entry_id"] for _, f in store.redis.xrange(store.keys.dead_letters))


def test_a_retry_read_does_not_repeat_the_read_ahead_batch(
        make_settings: Callable[..., Settings]) -> None:
    # Given a consumer whose first batch has a failing event (a retry is scheduled in
    # claim_idle_s / 4 = 0.1 s) and whose ack read the next batch, with 2 malformed entries
    settings = make_settings(claim_idle_s=0.4, max_deliveries=5)
    store, first = _stream(settings)
    calls: Counter[str] = Counter()
    consumer = _consumer(settings, store, calls, raising={first[0]})
    consumer.step(block=False)
    assert calls[first[0]] == 1 and not _dead_letters(store)

    # When the retry is due at the next step
    time.sleep(0.15)
    consumer.step(block=False)
    consumer.run(until_idle=True)

    # Then each malformed entry is dead-lettered once, each event handled once (the failing
    # one twice: its retry) and nothing is left pending
    dead = _dead_letters(store)
    assert sorted(dead.values()) == [1, 1], dead
    assert consumer.stats.dead_lettered == 2
    assert calls.pop(first[0]) == 2
    assert sorted(calls.values()) == [1] * (BATCH - 1 + BATCH - len(MALFORMED))
    assert store.redis.xpending(store.keys.events, "g")["pending"] == 0


def test_a_claim_round_does_not_repeat_the_read_ahead_batch(
        make_settings: Callable[..., Settings]) -> None:
    # Given a consumer whose ack read the next batch (2 malformed entries), left idle longer
    # than claim_idle_s before its next step (as after a long retry round)
    settings = make_settings(claim_idle_s=0.4, max_deliveries=5)
    store, _ = _stream(settings)
    calls: Counter[str] = Counter()
    consumer = _consumer(settings, store, calls, raising=set())
    consumer.step(block=False)
    time.sleep(0.5)

    # When the next step also runs a claim round (XAUTOCLAIM takes idle entries, its own too)
    consumer.step(block=False)
    consumer.run(until_idle=True)

    # Then each malformed entry is dead-lettered once and each event handled once
    dead = _dead_letters(store)
    assert sorted(dead.values()) == [1, 1], dead
    assert consumer.stats.dead_lettered == 2
    assert sorted(calls.values()) == [1] * (BATCH + BATCH - len(MALFORMED))
    assert store.redis.xpending(store.keys.events, "g")["pending"] == 0
