"""Dead-worker recovery (worker.tasks.recovery) against a real Redis and real kombu unacked
entries: which messages are put back, where to, and what is left alone. A real worker killed
mid-task is in tests/e2e/test_dead_worker.py."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import orjson
import pytest

from worker.redisconn import connect
from worker.settings import Settings
from worker.store.keys import Keys
from worker.tasks.app import NewsworkerCelery, create_app
from worker.tasks.broker import queue_keys, unacked_key
from worker.tasks.recovery import Roster, Watchman

Take = Callable[[int], list[Any]]
DEAD_AFTER_S = 4.0  # silence: 2 s
LONG_AGO_MS = 60_000


@pytest.fixture
def app(make_settings: Callable[..., Settings]) -> Iterator[NewsworkerCelery]:
    app = create_app(make_settings(dead_worker_after_s=DEAD_AFTER_S))
    yield app
    app.close()


def roster(app: NewsworkerCelery) -> Roster:
    s = app.settings
    return Roster(connect(s.celery_broker), Keys(s.key_prefix), s)


@pytest.fixture
def take(app: NewsworkerCelery) -> Iterator[Callable[[int], list[Any]]]:
    """Take ``n`` messages the way a worker does with acks_late (kombu writes them to its
    unacked hash and index), without acknowledging them. The connection never puts them
    back itself: it stands for a worker that was killed."""
    conns: list[Any] = []

    def taker(n: int) -> list[Any]:
        conn = app.connection_for_read()
        conns.append(conn)
        ch = conn.default_channel
        ch.do_restore = False
        out = [ch.basic_get(app.settings.ingest_queue, no_ack=False) for _ in range(n)]
        assert all(m is not None for m in out)
        return out

    yield taker
    for conn in conns:
        conn.close()


def submit(app: NewsworkerCelery, n: int, **options: Any) -> list[str]:
    return [app.send_task("newsworker.ingest_text", [f"text {i}"], kwargs={"name": f"a{i}"},
                          queue=app.settings.ingest_queue, **options).id for i in range(n)]


def age(r: Roster, tags: list[str], now_ms: int) -> None:
    """Backdate kombu's index, as if the messages were taken a minute ago."""
    r.redis.zadd(r.kombu("unacked_index"), {t: (now_ms - LONG_AGO_MS) / 1000 for t in tags})


def queued_ids(r: Roster, key: str) -> list[str]:
    """Task ids in a queue list, next-to-run first (kombu pops from the right)."""
    return [orjson.loads(m)["headers"]["id"] for m in reversed(r.redis.lrange(key, 0, -1))]


def test_a_dead_workers_message_goes_back_to_the_head_of_its_queue_and_a_live_ones_stays(
        app: NewsworkerCelery, take: Take) -> None:
    # Given three submissions, two taken: one by a live worker, one by a worker gone silent
    ids = submit(app, 3)
    live_msg, dead_msg = take(2)
    r = roster(app)
    now = r.now_ms()
    r.hold("live@a:1", {live_msg.delivery_tag: now})
    r.hold("dead@b:2", {dead_msg.delivery_tag: now - LONG_AGO_MS})
    r.beat("live@a:1", now)
    r.beat("dead@b:2", now - LONG_AGO_MS)
    age(r, [live_msg.delivery_tag, dead_msg.delivery_tag], now)
    queue = queue_keys(app.settings, app.settings.ingest_queue)[0]

    # When the recovery runs
    done = r.recover(now)

    # Then only the dead worker's message is put back, first in line, flagged redelivered
    assert done.restored == [dead_msg.delivery_tag]
    assert done.dead == {"dead@b:2": 1}
    assert queued_ids(r, queue) == [ids[1], ids[2]]
    head = orjson.loads(r.redis.lindex(queue, -1))
    assert head["headers"]["redelivered"] is True
    assert head["properties"]["delivery_info"]["redelivered"] is True
    assert head["properties"]["delivery_tag"] == dead_msg.delivery_tag
    # And kombu's unacked hash and index hold only the live worker's message
    assert r.redis.hkeys(unacked_key(app.settings)) == [live_msg.delivery_tag.encode()]
    assert r.redis.zrange(r.kombu("unacked_index"), 0, -1) == [live_msg.delivery_tag.encode()]
    # And the dead worker's records are gone, the live one's kept
    assert r.workers(now, live=True) == ["live@a:1"]
    assert r.workers(now, live=False) == []
    assert r.redis.exists(r.held_key("dead@b:2")) == 0
    assert r.redis.hkeys(r.held_key("live@a:1")) == [live_msg.delivery_tag.encode()]
    # And a second pass changes nothing
    assert r.recover(now).restored == []
    assert r.redis.llen(queue) == 2


def test_a_put_back_message_is_taken_and_acknowledged_like_any_other(
        app: NewsworkerCelery, take: Take) -> None:
    ids = submit(app, 1)
    (msg,) = take(1)
    r = roster(app)
    now = r.now_ms()
    age(r, [msg.delivery_tag], now)
    assert r.recover(now).restored == [msg.delivery_tag]

    (again,) = take(1)
    assert again.headers["id"] == ids[0]
    assert again.delivery_info["redelivered"] is True
    again.ack()
    assert r.redis.hlen(unacked_key(app.settings)) == 0


def test_a_message_nobody_holds_is_left_alone_until_it_is_older_than_the_silence(
        app: NewsworkerCelery, take: Take) -> None:
    # A worker records its tags a moment after kombu writes them: that window is not death.
    submit(app, 1)
    (msg,) = take(1)
    r = roster(app)
    now = r.now_ms()
    assert r.recover(now).restored == []
    assert r.redis.hexists(unacked_key(app.settings), msg.delivery_tag)
    # Once older than the silence, with no live worker holding it, its worker is gone.
    assert r.recover(now + r.silence_ms + 1000).restored == [msg.delivery_tag]


def test_a_long_task_of_a_live_worker_is_never_put_back(app: NewsworkerCelery, take: Take) -> None:
    submit(app, 1)
    (msg,) = take(1)
    r = roster(app)
    now = r.now_ms()
    r.hold("busy@a:1", {msg.delivery_tag: now - LONG_AGO_MS})
    age(r, [msg.delivery_tag], now)
    for minute in range(5):  # the worker keeps beating while its task runs
        t = now + minute * 60_000
        r.beat("busy@a:1", t)
        assert r.recover(t).restored == []
    assert r.redis.hexists(unacked_key(app.settings), msg.delivery_tag)


def test_a_priority_message_goes_back_to_its_priority_list(
        app: NewsworkerCelery, take: Take) -> None:
    (task_id,) = submit(app, 1, priority=6)
    (msg,) = take(1)
    r = roster(app)
    now = r.now_ms()
    age(r, [msg.delivery_tag], now)

    assert r.recover(now).restored == [msg.delivery_tag]

    lists = queue_keys(app.settings, app.settings.ingest_queue)
    assert [r.redis.llen(k) for k in lists] == [0, 0, 1, 0]
    assert queued_ids(r, lists[2]) == [task_id]


def test_messages_that_are_not_ours_are_never_moved(app: NewsworkerCelery, take: Take) -> None:
    # Another Celery app sharing the broker (same key prefix) has its own task names.
    app.send_task("billing.charge", [1], queue=app.settings.ingest_queue)
    (foreign,) = take(1)
    # nor is an entry that is not kombu's at all; and neither blocks one that is ours
    r = roster(app)
    r.redis.hset(unacked_key(app.settings), "junk", "not json")
    (ours,) = submit(app, 1)
    (msg,) = take(1)
    now = r.now_ms()
    age(r, [foreign.delivery_tag, "junk", msg.delivery_tag], now)

    assert r.recover(now).restored == [msg.delivery_tag]
    assert r.redis.hexists(unacked_key(app.settings), foreign.delivery_tag)
    assert r.redis.hexists(unacked_key(app.settings), "junk")
    assert queued_ids(r, queue_keys(app.settings, app.settings.ingest_queue)[0]) == [ours]


def test_the_move_is_skipped_when_the_entry_changed_after_it_was_read(
        app: NewsworkerCelery, take: Take) -> None:
    # An ack (or kombu's own restore) between the read and the move: nothing is queued twice.
    submit(app, 1)
    (msg,) = take(1)
    r = roster(app)
    msg.ack()
    assert r.restore(msg.delivery_tag) is False
    assert r.redis.llen(queue_keys(app.settings, app.settings.ingest_queue)[0]) == 0


def test_the_watchman_records_what_it_holds_and_drops_what_was_acknowledged(
        app: NewsworkerCelery, take: Take) -> None:
    submit(app, 2)
    first, second = take(2)
    r = roster(app)
    w = Watchman(r, "me@host:1")
    w.received(first.delivery_tag)
    w.received(second.delivery_tag)

    w.tick()
    assert set(r.redis.hkeys(r.held_key("me@host:1"))) == {
        first.delivery_tag.encode(), second.delivery_tag.encode()}
    assert r.workers(r.now_ms(), live=True) == ["me@host:1"]

    first.ack()
    w.tick()
    assert r.redis.hkeys(r.held_key("me@host:1")) == [second.delivery_tag.encode()]

    # Counted dead by the others (records deleted), it records its tags again on its next beat.
    r.leave("me@host:1")
    w.tick()
    assert r.redis.hkeys(r.held_key("me@host:1")) == [second.delivery_tag.encode()]


def test_one_recovering_worker_at_a_time(app: NewsworkerCelery) -> None:
    r = roster(app)
    assert r.lock("a") is True
    assert r.lock("b") is False
    assert r.lock("a") is True  # renewed by its holder
