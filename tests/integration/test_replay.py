"""Dead letters, replay, catalog rebuild and safe trimming (real Redis; CLI via subprocesses)."""

from __future__ import annotations

import time
from collections.abc import Callable

import orjson
import pytest

from tests.handlers_for_tests import make_article
from tests.support.consume import appended_ids, archived_ids, cli, run_group
from worker.consumers.builtin.catalog import Catalog, rebuild
from worker.consumers.replay import dlq_list, replay
from worker.settings import Settings
from worker.store.eventstore import EventStore
from worker.store.groups import group_info, parse_id
from worker.store.retention import safe_minid, trim


def test_retry_of_a_trimmed_entry_goes_to_its_group_only(
        make_settings: Callable[..., Settings]) -> None:
    settings = make_settings(max_deliveries=2)
    store = EventStore.from_settings(settings)
    # Given a dead letter whose original entry is gone from the stream
    store.append_many([make_article(1)])
    (settings.data_dir).mkdir(parents=True, exist_ok=True)
    run_group(settings, store, "arch", "tests.handlers_for_tests:FlakyArchive")
    run_group(settings, store, "rec", "tests.handlers_for_tests:Record")
    (letter,) = dlq_list(store.redis, store.keys)
    store.redis.xdel(store.keys.events, letter.entry_id)
    (settings.data_dir / "fixed").touch()
    from worker.consumers.replay import dlq_retry

    assert [how for _, how in dlq_retry(store.redis, store.keys)] == ["copied"]
    # When both groups consume
    run_group(settings, store, "arch", "tests.handlers_for_tests:FlakyArchive")
    rec = run_group(settings, store, "rec", "tests.handlers_for_tests:Record")
    # Then only the dead letter's group handled the copy
    assert archived_ids(settings) == [letter.event_id]
    assert (rec.stats.handled, rec.stats.skipped) == (0, 1)


def test_replay_redelivers_and_idempotent_handlers_do_not_duplicate(
        settings: Settings, store: EventStore) -> None:
    store.append_many([make_article(i) for i in range(4)])
    run_group(settings, store, "rec", "tests.handlers_for_tests:Record")
    run_group(settings, store, "arch", "archive")
    run_group(settings, store, "cat", "catalog")
    cat_hash = Catalog(store.redis, store.keys).state_hash()
    ids = appended_ids(store)
    entry_ids = [eid for eid, _ in store.read()]
    # When each group is rewound (from 0, from the third entry id)
    res = cli(settings, "replay", "rec", "--from", entry_ids[2])
    assert res.returncode == 0, res.stderr
    replay(store.redis, store.keys, "arch", "0")
    replay(store.redis, store.keys, "cat", "0")
    for group, handler in [("rec", "tests.handlers_for_tests:Record"), ("arch", "archive"),
                           ("cat", "catalog")]:
        run_group(settings, store, group, handler)
    # Then the handlers saw those events again, with no duplicated effect
    seen = [x.decode() for x in store.redis.lrange(store.keys.handler_state("rec", "seen"), 0, -1)]
    assert seen == ids + ids[2:]
    assert sorted(archived_ids(settings)) == sorted(ids)
    assert Catalog(store.redis, store.keys).state_hash() == cat_hash
    with pytest.raises(Exception, match="no consumer group"):
        replay(store.redis, store.keys, "nope", "0")


def test_rebuild_catalog_equals_live(settings: Settings, store: EventStore) -> None:
    store.append_many([make_article(i) for i in range(5)])
    store.append_many([make_article(i, rev=1, site="Moved") for i in range(3)])
    run_group(settings, store, "cat", "catalog")
    live = Catalog(store.redis, store.keys)
    before = live.state_hash()
    assert live.count() == 5
    # Rebuilding from the stream reaches the same state, via the CLI too
    res = cli(settings, "rebuild", "catalog")
    assert res.returncode == 0 and before in res.stdout, res.stderr
    assert live.state_hash() == before
    # and repairs a damaged read model
    store.redis.hdel(store.keys.catalog("articles"), live.latest(limit=1)[0]["article_id"])
    assert live.state_hash() != before
    n, digest = rebuild(store.redis, store.keys)
    assert (n, digest) == (8, before)
    assert not store.redis.keys(store.keys.catalog("*", build=True))
    shown = cli(settings, "articles", "list", "--source", "Moved", "--json")
    assert len(shown.stdout.splitlines()) == 3
    one = orjson.loads(shown.stdout.splitlines()[0])
    detail = cli(settings, "articles", "show", one["article_id"], "--json")
    assert orjson.loads(detail.stdout)["version"] == 2


def test_trim_keeps_what_a_group_still_needs(settings: Settings, store: EventStore) -> None:
    store.append_many([make_article(i) for i in range(6)])
    entry_ids = [eid for eid, _ in store.read()]
    assert trim(store.redis, store.keys, maxlen=1) == 0  # no group yet: keep all
    run_group(settings, store, "done", "noop")
    # Given a group that has received 4 entries and acknowledged the first 2
    store.redis.xgroup_create(store.keys.events, "slow", id="0")
    got = store.redis.xreadgroup("slow", "s", {store.keys.events: ">"}, count=4)[0][1]
    store.redis.xack(store.keys.events, "slow", got[0][0], got[1][0])
    assert safe_minid(store.redis, store.keys) == entry_ids[2]
    # When trimming hard, then Only the acknowledged entries go
    res = cli(settings, "trim", "--maxlen", "1")
    assert res.returncode == 0 and "removed 2 entries" in res.stdout, res.stderr
    assert [eid for eid, _ in store.read()] == entry_ids[2:]
    store.redis.xack(store.keys.events, "slow", got[2][0], got[3][0])
    assert trim(store.redis, store.keys, minid=entry_ids[3]) == 1
    # Entries never delivered to "slow" stay even with maxlen 1
    assert trim(store.redis, store.keys, maxlen=1) == 1
    assert [eid for eid, _ in store.read()] == entry_ids[4:]
    assert group_info(store.redis, store.keys.events, "slow")[0].lag == 2


def test_processed_markers_are_trimmed_to_the_in_flight_window(settings: Settings,
                                                               store: EventStore) -> None:
    for i in range(3):  # entries in distinct milliseconds
        store.append_many([make_article(i)])
        time.sleep(0.003)
    c = run_group(settings, store, "rec", "tests.handlers_for_tests:Record")
    key = store.keys.processed("rec")
    assert store.redis.zcard(key) == 3
    last_ms = parse_id(store.read()[-1][0])[0]
    c.maintain()
    # Everything is acknowledged: only the marker from the last entry's millisecond remains
    assert store.redis.zrange(key, 0, -1, withscores=True) == \
        [(store.read()[-1][1].event_id.encode(), float(last_ms))]


def test_stream_maxlen_is_applied_by_consumers(make_settings: Callable[..., Settings]) -> None:
    settings = make_settings(stream_maxlen=2)
    store = EventStore.from_settings(settings)
    store.append_many([make_article(i) for i in range(5)])
    entry_ids = [eid for eid, _ in store.read()]
    c = run_group(settings, store, "only", "noop")
    c.maintain()
    assert [eid for eid, _ in store.read()] == entry_ids[-2:]
