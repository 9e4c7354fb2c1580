"""Per-task bookkeeping against real Redis: task runs reach the shared duration histogram in
batches (one round trip per flush, not one per task), whole or not at all."""

from __future__ import annotations

import os
import time

import pytest
import redis

from tests.conftest import wait_until
from worker import metrics
from worker.store.eventstore import EventStore


class CountingClient:
    """The store's client, counting the round trips made through it."""

    def __init__(self, client: redis.Redis) -> None:
        self.client, self.round_trips = client, 0

    def pipeline(self, transaction: bool = True) -> redis.client.Pipeline:
        pipe = self.client.pipeline(transaction=transaction)
        execute = pipe.execute

        def counted(raise_on_error: bool = True) -> list[object]:
            self.round_trips += 1
            return execute(raise_on_error)

        pipe.execute = counted  # type: ignore[method-assign]
        return pipe


def test_many_runs_reach_the_histogram_in_one_round_trip(store: EventStore) -> None:
    # Given a batch that no timer flushes during the test
    client = CountingClient(store.redis)
    batch = metrics.DurationBatch(client, store.keys, every_s=3600)

    # When 200 runs of two tasks are added, then nothing is written yet
    for i in range(100):
        batch.add("newsworker.ingest_text", 0.004 if i % 2 else 0.02)
        batch.add("newsworker.poll_feed", 400.0)
    assert client.round_trips == 0
    assert store.redis.hlen(store.keys.task_durations) == 0

    # When flushed, then one round trip wrote them all, as the per-run writes would have
    batch.flush()
    assert client.round_trips == 1
    got = metrics.read_task_durations(store.redis, store.keys)
    buckets, total, n = got["newsworker.ingest_text"]
    assert n == 100 and total == pytest.approx(50 * 0.004 + 50 * 0.02)
    assert dict(buckets)["0.005"] == 50 and dict(buckets)["0.025"] == 100
    assert got["newsworker.poll_feed"][2] == 100 and dict(got["newsworker.poll_feed"][0])[
        "300.0"] == 0

    # and a flush with nothing gathered costs no round trip
    batch.stop()
    assert client.round_trips == 1


def test_the_thread_writes_within_its_interval_and_stop_writes_the_rest(
        store: EventStore) -> None:
    batch = metrics.DurationBatch(store.redis, store.keys, every_s=0.05)
    batch.add("t", 0.01)
    wait_until(lambda: metrics.read_task_durations(store.redis, store.keys).get("t"),
               timeout=5, message="the thread flushes")
    batch.stop()
    batch.add("t", 0.01)  # after stop: the thread is gone, stop() again writes it
    batch.stop()
    assert metrics.read_task_durations(store.redis, store.keys)["t"][2] == 2


def test_runs_kept_while_redis_fails_are_written_once_later(store: EventStore) -> None:
    # Given a client whose Redis is unreachable
    dead = redis.Redis(host="127.0.0.1", port=1, socket_connect_timeout=0.2)
    batch = metrics.DurationBatch(dead, store.keys, every_s=3600)
    batch.add("t", 0.01)
    batch.flush()  # fails quietly: the run is kept, never raised into a task

    # When Redis is back (the same batch, now with a live client)
    batch.client = store.redis
    batch.add("t", 0.01)
    batch.flush()
    batch.stop()

    # Then both runs are counted, each once
    assert metrics.read_task_durations(store.redis, store.keys)["t"][2] == 2


def test_a_forked_child_writes_its_own_runs_only(store: EventStore) -> None:
    batch = metrics.DurationBatch(store.redis, store.keys, every_s=3600)
    batch.add("parent", 0.01)
    pid = os.fork()
    if pid == 0:  # the child: a fresh batch (the parent's runs are the parent's to write)
        code = 1
        try:
            batch.add("child", 0.01)
            batch.flush()
            code = 0
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    batch.stop()
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        got = metrics.read_task_durations(store.redis, store.keys)
        if "child" in got and "parent" in got:
            break
        time.sleep(0.05)
    assert got["child"][2] == 1 and got["parent"][2] == 1
