"""What a consumer batch costs against real Redis: one round trip per full batch (the ack, the
outcome counts and the read of the next batch together), and nothing lost or left pending
when it stops between that read and handling what it read."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import redis

from tests.support.articles import make_article
from worker.consumers.consumer import Consumer
from worker.consumers.handler import CallableHandler
from worker.events.models import AnyEvent
from worker.settings import Settings
from worker.store.eventstore import EventStore


class CountingRedis(redis.Redis):
    """A client counting its round trips: each command, and each pipeline as one."""

    round_trips = 0
    after_pipeline: Callable[[list[str]], None] | None = None

    def execute_command(self, *args: Any, **options: Any) -> Any:
        self.round_trips += 1
        return super().execute_command(*args, **options)

    def pipeline(self, transaction: bool = True, shard_hint: Any = None) -> Any:
        pipe = super().pipeline(transaction, shard_hint)
        execute = pipe.execute

        def counted(raise_on_error: bool = True) -> list[Any]:
            names = [str(c[0][0]) for c in pipe.command_stack]
            self.round_trips += 1
            out = execute(raise_on_error)
            if self.after_pipeline is not None:
                self.after_pipeline(names)
            return out

        pipe.execute = counted
        return pipe


def filled(settings: Settings, n: int) -> tuple[EventStore, CountingRedis]:
    store = EventStore.from_settings(settings)
    store.append_many([make_article(f"Story {i} body.", location=f"/rt/{i}") for i in range(n)])
    return store, CountingRedis.from_url(settings.store_url)


def consume(settings: Settings, client: redis.Redis, store: EventStore, group: str,
            seen: list[str] | None = None) -> Consumer:
    def handle(event: AnyEvent) -> None:
        if seen is not None:
            seen.append(event.event_id)

    handler = CallableHandler("count", handle, idempotent=True)
    return Consumer(client, store.keys, group, handler, settings, consumer="c1", batch=100)


def test_a_full_batch_costs_one_round_trip(make_settings: Callable[..., Settings]) -> None:
    settings = make_settings()
    # Given 1,000 events, and what a consumer spends on an empty stream (start and stop)
    store, client = filled(settings, 1000)
    empty = make_settings()
    _, idle_client = filled(empty, 0)
    consume(empty, idle_client, EventStore.from_settings(empty), "g").run(until_idle=True)

    # When a consumer handles them in batches of 100
    stats = consume(settings, client, store, "g").run(until_idle=True)

    # Then each of the 10 batches cost one round trip (was three: read, count, ack)
    assert stats.handled == 1000
    assert client.round_trips - idle_client.round_trips <= 10 + 1
    # and every event is acknowledged and counted
    assert store.redis.xpending(store.keys.events, "g")["pending"] == 0
    assert int(store.redis.hget(store.keys.counters, "handled:g|ok") or 0) == 1000


def test_stopping_after_the_read_with_the_ack_still_handles_what_it_read(
        make_settings: Callable[..., Settings]) -> None:
    # Given 300 events and a consumer told to stop right after its first ack, which read
    # the second batch in the same round trip
    settings = make_settings()
    store, client = filled(settings, 300)
    seen: list[str] = []
    consumer = consume(settings, client, store, "g", seen)

    def stop_after_read(names: list[str]) -> None:
        if "XREADGROUP" in names:
            consumer.stop_event.set()

    client.after_pipeline = stop_after_read

    # When it runs
    stats = consumer.run()

    # Then it handled and acknowledged both batches, once each; the third is still new
    assert stats.handled == 200 and len(set(seen)) == 200
    assert store.redis.xpending(store.keys.events, "g")["pending"] == 0
    rest = consume(settings, redis.Redis.from_url(settings.store_url), store, "g", seen)
    assert rest.run(until_idle=True).handled == 100
    assert len(seen) == len(set(seen)) == 300
