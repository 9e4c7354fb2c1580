"""Time-based retention (worker.store.expiry): old stream entries go, articles whose latest event
went are forgotten from the catalog and history, a compact state keeps dedupe and versions,
and nothing a group still needs is touched."""

from __future__ import annotations

import time
from collections.abc import Callable

from tests.support.articles import make_article
from tests.support.consume import run_group
from worker.consumers.builtin.catalog import Catalog
from worker.events.models import Article
from worker.redisconn import to_str
from worker.settings import Settings
from worker.store.eventstore import EventStore
from worker.store.expiry import expire
from worker.store.groups import ensure_group, parse_id


def _art(n: int, body: str = "") -> Article:
    return make_article(body or f"Paragraph number {n} of a story about retention.",
                        location=f"/in/{n}.txt", title=f"Story {n}")


def _settings(make_settings: Callable[..., Settings]) -> tuple[Settings, EventStore]:
    # Retention off here: the tests call expire() themselves, with their own clock
    s = make_settings(retention_s=0)
    return s, EventStore.from_settings(s)


def _old_then_new(store: EventStore) -> tuple[list[str], int]:
    """Articles 0 and 1 (1 revised), then a pause, then article 2 and article 1's v3 would be
    recent. Returns the article ids 0..2 and the ms at the pause."""
    old = store.append_many([_art(0), _art(1)])
    store.append(_art(1, "A revised paragraph of story one, with new facts."))
    time.sleep(0.02)
    pause_ms = int(time.time() * 1000)
    time.sleep(0.02)
    new = store.append(_art(2))
    return [old[0].article_id, old[1].article_id, new.article_id], pause_ms


def test_articles_whose_latest_event_is_past_retention_are_forgotten_but_still_dedupe(
        make_settings: Callable[..., Settings]) -> None:
    # Given two old articles (one revised) and one recent one, all handled by the catalog
    settings, store = _settings(make_settings)
    ids, pause_ms = _old_then_new(store)
    run_group(settings, store, "catalog", "catalog")
    catalog = Catalog(store.redis, store.keys)
    assert catalog.count() == 3

    # (article 0 also has a history sorted set, as append.lua wrote before the versions list)
    store.redis.zadd(store.keys.history(ids[0]), {b"0-1\n{}": 1})

    # When retention passes with the window ending at the pause
    done = expire(store.redis, store.keys, retention_s=1.0, now_ms=pause_ms + 1000)

    # Then the old entries are trimmed and the old articles forgotten, the recent one kept
    assert (done.entries_read, done.articles_forgotten, done.trimmed) == (3, 2, 3)
    assert [ev.article_id for _, ev in store.read()] == [ids[2]]
    assert catalog.get(ids[0]) is None and catalog.get(ids[1]) is None
    assert catalog.get(ids[2]) is not None and catalog.count() == 1
    assert store.redis.zcard(store.keys.catalog("by_published")) == 1
    assert store.redis.zcard(store.keys.catalog("by_source:kind:file")) == 1
    assert not store.redis.exists(store.keys.history(ids[0]), store.keys.versions(ids[0]),
                                  store.keys.versions(ids[1]))
    assert store.redis.exists(store.keys.versions(ids[2]))
    # ... and the forgotten state keeps what dedupe and versions need, nothing else
    state = {to_str(k): to_str(v) for k, v in
             store.redis.hgetall(store.keys.article(ids[1])).items()}
    assert state["version"] == "2" and state["content_hash"]
    assert state["entry_id"] == "" and state["event_id"] == "" and "type" not in state

    # When the old articles come again: the same content, then changed content
    same = store.append(_art(0))
    changed = store.append(_art(1, "A third telling of story one, corrected again."))

    # Then the same content appends nothing, and a change continues the version sequence
    assert (same.status, same.version, same.entry_id) == ("unchanged", 1, "")
    assert (changed.status, changed.version) == ("appended", 3)
    event = store.read()[-1][1]
    assert event.type == "article.revised" and event.version == 3
    assert event.changes is None  # the v2 text is gone from Redis
    # ... and a recent article still dedupes as before
    assert store.append(_art(2)).status == "unchanged"
    # A second pass finds nothing more to do
    again = expire(store.redis, store.keys, retention_s=1.0, now_ms=pause_ms + 1000)
    assert (again.entries_read, again.articles_forgotten) == (0, 0)


def test_retention_never_passes_what_a_group_still_needs(
        make_settings: Callable[..., Settings]) -> None:
    # Given old entries that one group handled and another has not read yet
    settings, store = _settings(make_settings)
    ids, pause_ms = _old_then_new(store)
    run_group(settings, store, "catalog", "catalog")
    ensure_group(store.redis, store.keys.events, "slow", "0")

    # When retention passes
    done = expire(store.redis, store.keys, retention_s=1.0, now_ms=pause_ms + 1000)

    # Then nothing is trimmed or forgotten
    assert (done.entries_read, done.articles_forgotten, done.trimmed) == (0, 0, 0)
    assert len(store.read()) == 4 and Catalog(store.redis, store.keys).count() == 3

    # When the slow group has read and acknowledged the first two entries (article 0, and
    # article 1 v1)
    store.redis.xgroup_setid(store.keys.events, "slow", store.read()[1][0])
    done = expire(store.redis, store.keys, retention_s=1.0, now_ms=pause_ms + 1000)

    # Then retention goes up to its floor: article 0 is forgotten, article 1 (whose latest
    # event the slow group still needs) keeps its catalog document and history
    assert (done.entries_read, done.articles_forgotten, done.trimmed) == (2, 1, 2)
    assert Catalog(store.redis, store.keys).get(ids[0]) is None
    assert Catalog(store.redis, store.keys).get(ids[1]) is not None
    assert store.redis.exists(store.keys.versions(ids[1]))


def test_a_pass_is_bounded_and_the_rest_waits_for_the_next(
        make_settings: Callable[..., Settings]) -> None:
    # Given ten old entries, all handled
    settings, store = _settings(make_settings)
    store.append_many([_art(n) for n in range(10)])
    run_group(settings, store, "catalog", "catalog")
    now_ms = parse_id(store.read()[-1][0])[0] + 10_000

    # When a pass may read only four (in pages of three)
    done = expire(store.redis, store.keys, retention_s=1.0, now_ms=now_ms, max_entries=4,
                  page=3)

    # Then it trims exactly the four it read; the next passes finish the rest
    assert (done.entries_read, done.articles_forgotten, done.trimmed) == (4, 4, 4)
    assert store.length() == 6
    while expire(store.redis, store.keys, retention_s=1.0, now_ms=now_ms,
                 max_entries=4, page=3).entries_read:
        pass
    assert store.length() == 0 and Catalog(store.redis, store.keys).count() == 0


def test_old_ingestion_failures_age_out(make_settings: Callable[..., Settings]) -> None:
    # Given a recorded ingestion failure
    _, store = _settings(make_settings)
    store.record_failure(_art(0).source, "no article text found")
    now_ms = parse_id(store.read_failures()[-1][0])[0]

    # When retention passes before and after its window
    kept = expire(store.redis, store.keys, retention_s=60.0, now_ms=now_ms + 1000)
    gone = expire(store.redis, store.keys, retention_s=60.0, now_ms=now_ms + 61_000)

    # Then it is kept within the window and trimmed after
    assert (kept.failures_trimmed, gone.failures_trimmed) == (0, 1)
    assert store.read_failures() == []


def test_consumers_apply_retention_and_zero_turns_it_off(
        make_settings: Callable[..., Settings]) -> None:
    for retention_s, kept in ((0.0, 2), (0.001, 0)):
        # Given two handled entries older than a 1 ms window, with retention off / on
        settings = make_settings(retention_s=retention_s)
        store = EventStore.from_settings(settings)
        store.append_many([_art(0), _art(1)])
        time.sleep(0.01)
        consumer = run_group(settings, store, "catalog", "catalog")

        # When the consumer does its housekeeping
        consumer.maintain()

        # Then retention ran only when on
        assert store.length() == kept, retention_s
        assert Catalog(store.redis, store.keys).count() == kept
