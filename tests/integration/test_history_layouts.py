"""The history index's two layouts: the versions list append.lua pushes to, and the sorted
set written before it (and by `rebuild history`). Readers take both; per version the later
entry; the event page finds a summary in either (retention deletes both:
test_retention.py)."""

from __future__ import annotations

import orjson

from tests.support.articles import make_article
from worker.ops import eventpage
from worker.store.eventstore import EventStore
from worker.store.history import History

LOC = "/in/layouts.txt"


def to_legacy(store: EventStore, article_id: str) -> None:
    """Rewrite an article's versions list as the sorted set append.lua wrote before (one
    member per version: it replaced a version's member when it wrote that version again)."""
    pushed = store.redis.lrange(store.keys.versions(article_id), 0, -1)
    by_version = {orjson.loads(pushed[i + 1])["version"]: pushed[i] + b"\n" + pushed[i + 1]
                  for i in range(0, len(pushed), 2)}
    store.redis.delete(store.keys.versions(article_id))
    store.redis.zadd(store.keys.history(article_id), {m: v for v, m in by_version.items()})


def test_append_pushes_entry_id_and_summary_per_version(store: EventStore) -> None:
    r1 = store.append(make_article("First text of the story.", location=LOC))
    r2 = store.append(make_article("Second text of the story.", location=LOC))
    assert not store.redis.exists(store.keys.history(r1.article_id))
    pushed = store.redis.lrange(store.keys.versions(r1.article_id), 0, -1)
    assert pushed[0::2] == [r1.entry_id.encode(), r2.entry_id.encode()]
    versions = History(store.redis, store.keys).versions(r1.article_id)
    assert [(v.version, v.entry_id) for v in versions] == [(1, r1.entry_id), (2, r2.entry_id)]


def test_versions_written_before_the_list_are_read_with_it(store: EventStore) -> None:
    r1 = store.append(make_article("First text of the story.", location=LOC))
    h = History(store.redis, store.keys)
    before = h.versions(r1.article_id)
    to_legacy(store, r1.article_id)
    assert h.versions(r1.article_id) == before
    r2 = store.append(make_article("Second text of the story.", location=LOC))
    assert [(v.version, v.entry_id) for v in h.versions(r1.article_id)] == \
        [(1, r1.entry_id), (2, r2.entry_id)]
    assert h.latest(r1.article_id).entry_id == r2.entry_id
    assert h.version(r1.article_id, 1).entry_id == r1.entry_id
    d = h.diff(r1.article_id)
    assert (d["from"]["version"], d["to"]["version"]) == (1, 2)
    # The event page summarises entries of both layouts from the index, not the bodies
    page = eventpage.page(store.redis, store.keys, store.keys.events, limit=10,
                          max_bytes=1_000_000)
    rows = {row.entry_id: row for row in page.events}
    assert rows[r1.entry_id].title and rows[r2.entry_id].title
    assert rows[r1.entry_id].version == 1 and rows[r2.entry_id].changes is not None


def test_a_version_written_twice_reads_as_its_later_entry(store: EventStore) -> None:
    r1 = store.append(make_article("First text of the story.", location=LOC))
    store.append(make_article("Second text of the story.", location=LOC))
    # The article's state is lost: it starts again at version 1, a new entry
    store.redis.delete(store.keys.article(r1.article_id))
    again = store.append(make_article("Third text of the story.", location=LOC))
    assert again.version == 1 and again.entry_id != r1.entry_id
    versions = History(store.redis, store.keys).versions(r1.article_id)
    assert [v.version for v in versions] == [1, 2]
    assert versions[0].entry_id == again.entry_id
    # the same when the later entry is in the legacy set and the earlier one in the list
    first = store.redis.lrange(store.keys.versions(r1.article_id), 0, 1)
    to_legacy(store, r1.article_id)
    store.redis.rpush(store.keys.versions(r1.article_id), *first)
    assert History(store.redis, store.keys).versions(r1.article_id) == versions
