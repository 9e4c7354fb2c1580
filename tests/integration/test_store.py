"""Event store guarantees against a real Redis: dedupe, versions, conflicts, failures."""

from __future__ import annotations

import threading

import pytest

from tests.support.articles import make_article
from worker.errors import VersionConflict
from worker.events.models import Source
from worker.store.eventstore import EventStore


def test_first_append_is_ingested_v1(store: EventStore) -> None:
    res = store.append(make_article())
    assert (res.status, res.version, res.type) == ("appended", 1, "article.ingested")
    [(eid, event)] = store.read()
    assert eid == res.entry_id and event.type == "article.ingested" and event.version == 1


def test_same_content_appends_nothing(store: EventStore) -> None:
    first = store.append(make_article())
    again = store.append(make_article())
    assert again.status == "unchanged" and again.entry_id == first.entry_id
    assert store.length() == 1


def test_changed_content_is_revised_v2(store: EventStore) -> None:
    store.append(make_article("one"))
    res = store.append(make_article("two"))
    assert (res.status, res.version, res.type) == ("appended", 2, "article.revised")
    assert [e.version for _, e in store.read()] == [1, 2]


def test_identity_prefers_canonical_url(store: EventStore) -> None:
    # The same URL from another file is the same article (its id), yet only the origin that
    # established it may revise it (docs/identity.md; tests/integration/test_source_integrity.py).
    a = make_article("one", location="/a.txt", url="https://example.com/x")
    b = make_article("two", location="/elsewhere.txt", url="https://example.com/x")
    assert a.article_id == b.article_id
    store.append(a)
    res = store.append(b)
    assert (res.status, res.code, res.version) == ("failed", "source_conflict", 1)
    assert store.append(make_article("two", location="/a.txt",
                                     url="https://example.com/x")).version == 2


def test_expected_version_mismatch_raises(store: EventStore) -> None:
    store.append(make_article("one"))
    with pytest.raises(VersionConflict):
        store.append(make_article("two"), expected_version=0)
    assert store.append(make_article("two"), expected_version=1).version == 2


def test_concurrent_revisions_never_share_a_version(store: EventStore) -> None:
    # Given one article, when 8 threads append 8 different revisions at once,
    # then the versions are exactly 1..9 with no duplicates.
    store.append(make_article("base"))
    barrier = threading.Barrier(8)

    def revise(i: int) -> None:
        s = EventStore(store.redis.__class__(connection_pool=store.redis.connection_pool),
                       store.keys)
        barrier.wait()
        s.append(make_article(f"revision {i}"))

    threads = [threading.Thread(target=revise, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    versions = [e.version for _, e in store.read()]
    assert sorted(versions) == list(range(1, 10))


def test_append_many_in_one_batch_keeps_order(store: EventStore) -> None:
    res = store.append_many([make_article("a", location="/1"), make_article("b", location="/2"),
                             make_article("a", location="/1")])
    assert [r.status for r in res] == ["appended", "appended", "unchanged"]


def test_failures_go_to_their_own_stream_once_per_submission(store: EventStore) -> None:
    src = Source(kind="file", location="/in/empty.txt")
    first = store.record_failure(src, "empty file", code="empty", correlation_id="sub-1")
    again = store.record_failure(src, "empty file", code="empty", correlation_id="sub-1")
    assert first and again is None
    [(_, ev)] = store.read_failures()
    assert ev.type == "ingestion.failed" and ev.data.reason == "empty file"
    assert ev.source.location == "/in/empty.txt" and store.length() == 0


def test_keys_share_one_hash_tag(store: EventStore) -> None:
    store.append(make_article())
    keys = [k.decode() for k in store.redis.scan_iter(match=store.keys.tag + ":*")]
    assert keys and all(k.startswith("{" + store.keys.prefix + "}:") for k in keys)


# --- batched append.lua ---------------------------------------------------------------------
def test_repeats_in_one_batch_are_applied_in_order(store: EventStore) -> None:
    # Given one article three times in a batch (x, y, x again) among others
    res = store.append_many([make_article("x", location="/1"), make_article("b", location="/2"),
                             make_article("y", location="/1"), make_article("x", location="/1"),
                             make_article("b", location="/2")])
    # Then each revision lands in input order, the repeat of /2 is unchanged
    assert [(r.status, r.version) for r in res] == [
        ("appended", 1), ("appended", 1), ("appended", 2), ("appended", 3), ("unchanged", 1)]
    one = [e for _, e in store.read() if e.source.location == "/1"]
    assert [(e.version, e.data.body) for e in one] == [(1, ("x",)), (2, ("y",)), (3, ("x",))]


def test_batch_larger_than_one_script_call_keeps_input_order(store: EventStore) -> None:
    from worker.store.eventstore import SCRIPT_BATCH

    arts = [make_article(f"p{i}", location=f"/{i}") for i in range(2 * SCRIPT_BATCH + 5)]
    res = store.append_many(arts)
    assert [e.source.location for _, e in store.read()] == [a.source.location for a in arts]
    assert [r.entry_id for r in res] == [eid for eid, _ in store.read()]


def test_revision_of_an_unknown_version_is_retried_with_the_current_one(
        store: EventStore) -> None:
    # Given an article at v2, written by another store instance
    store.append(make_article("one"))
    store.append(make_article("two"))
    fresh = EventStore(store.redis, store.keys)
    # When a store that never read it appends a revision (its optimistic first try conflicts)
    [res] = fresh.append_many([make_article("three")])
    # Then it lands as v3, and a stale expected version still raises
    assert (res.status, res.version, res.type) == ("appended", 3, "article.revised")
    with pytest.raises(VersionConflict):
        fresh.append(make_article("four"), expected_version=2)
    assert [e.version for _, e in store.read()] == [1, 2, 3]
    counters = store.redis.hgetall(store.keys.counters)
    assert counters[b"appended:article.ingested"] == b"1"
    assert counters[b"appended:article.revised"] == b"2"


def test_append_recovers_when_the_script_is_not_loaded(store: EventStore) -> None:
    store.append(make_article("one"))
    store._sha = "0" * 40  # as after a Redis restart: NOSCRIPT
    assert store.append(make_article("two")).version == 2


def test_a_failing_script_call_leaves_the_connection_in_step(store: EventStore) -> None:
    from worker.store.eventstore import SCRIPT_BATCH

    # Given a batch of several script calls, one in the middle failing (a versions key of
    # another type)
    arts = [make_article(f"p{i}", location=f"/{i}") for i in range(2 * SCRIPT_BATCH + 5)]
    bad = arts[SCRIPT_BATCH + 1]
    store.redis.set(store.keys.versions(bad.article_id), "not a list")
    with pytest.raises(Exception, match="WRONGTYPE"):
        store.append_many(arts)
    # Then every reply was read: the next batch gets its own replies (the other calls'
    # articles landed: unchanged; the rest of the failing call's are appended now)
    store.redis.delete(store.keys.versions(bad.article_id))
    res = store.append_many(arts)
    assert [r.article_id for r in res] == [a.article_id for a in arts]
    assert res[0].status == "unchanged" and res[-1].status == "unchanged"
    assert res[SCRIPT_BATCH + 2].status == "appended"
    assert store.length() == len(arts)
