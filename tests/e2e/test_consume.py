"""Consumer groups with real consumer processes: crash recovery, SIGTERM, several groups."""

from __future__ import annotations

import signal
import subprocess
from collections.abc import Callable

import pytest

from tests.conftest import Proc, settings_env, wait_until
from tests.handlers_for_tests import make_article
from tests.support.consume import appended_ids, archived_ids, consume_argv, settled
from worker.settings import Settings
from worker.store.eventstore import EventStore
from worker.store.groups import group_info

pytestmark = pytest.mark.e2e


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
