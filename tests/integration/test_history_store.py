"""The per-article history index: written by append.lua with each event, read without the
stream, rebuilt from it, and the ``changes`` a revision carries."""

from __future__ import annotations

import subprocess
import sys

import orjson
import pytest

from tests.conftest import settings_env
from worker.errors import VersionNotFound, VersionTrimmed
from worker.events.codec import decode
from worker.events.models import Article, ArticleRevised, Source, content_hash, uuid7
from worker.settings import Settings
from worker.store.eventstore import EventStore
from worker.store.history import History, rebuild

URL = "https://news.example/story"


def art(title: str, *paras: str, url: str = URL) -> Article:
    return Article(title=title, body=paras, source=Source(kind="url", location=url), url=url,
                   word_count=sum(len(p.split()) for p in paras),
                   content_hash=content_hash(title, paras))


V1 = art("Mayor opens bridge", "The bridge opened today.", "Crowds cheered loudly.")
V2 = art("Mayor opens new bridge", "The bridge opened today.", "Rain kept most people home.")


def test_history_lists_each_version_once_with_changes(store: EventStore) -> None:
    r1 = store.append(V1)
    r2 = store.append(V2)
    r3 = store.append(V2)  # unchanged: nothing appended, nothing indexed
    assert (r1.version, r2.version, r3.status) == (1, 2, "unchanged")
    versions = History(store.redis, store.keys).versions(V1.article_id)
    assert [(v.version, v.type, v.entry_id) for v in versions] == [
        (1, "article.ingested", r1.entry_id), (2, "article.revised", r2.entry_id)]
    assert versions[0].changes is None
    ch = versions[1].changes
    assert ch is not None and ch.fields == ("title", "body")
    assert (ch.old_title, ch.new_title) == ("Mayor opens bridge", "Mayor opens new bridge")
    assert (ch.words_removed, ch.words_added) == (3, 5)
    # the event itself carries the same summary, at schema v3
    (_, event), = store.read(r2.entry_id, r2.entry_id)
    assert isinstance(event, ArticleRevised) and event.schema_version == 3
    assert event.changes == ch


def test_append_many_computes_changes_for_revisions_in_one_batch(store: EventStore) -> None:
    # V1 and V2 in one call: V2 waits a round and is compared with V1 as appended
    out = store.append_many([V1, V2])
    assert [r.version for r in out] == [1, 2]
    (_, v2) = History(store.redis, store.keys).versions(V1.article_id)
    assert v2.changes is not None and v2.changes.fields == ("title", "body")


def test_as_of_and_version_lookups(store: EventStore) -> None:
    store.append(V1)
    store.append(V2)
    h = History(store.redis, store.keys)
    v1, v2 = h.versions(V1.article_id)
    assert h.as_of(V1.article_id, v1.occurred_at).version == 1
    assert h.as_of(V1.article_id, v2.occurred_at).version == 2
    assert h.version(V1.article_id, 2).entry_id == v2.entry_id
    [e1] = h.events(V1.article_id, [v1])
    assert e1.data.body == V1.body


def test_rebuild_restores_the_index_from_the_stream(store: EventStore) -> None:
    store.append(V1)
    store.append(V2)
    h = History(store.redis, store.keys)
    before = h.versions(V1.article_id)
    assert len(before) == 2
    store.redis.delete(store.keys.history(V1.article_id), store.keys.versions(V1.article_id))
    assert h.versions(V1.article_id) == []
    assert rebuild(store.redis, store.keys, store.iter_all()) == (2, 1)
    assert h.versions(V1.article_id) == before
    rebuilt = store.redis.zrange(store.keys.history(V1.article_id), 0, -1)
    # idempotent, and beside the versions list appends push to it changes nothing read
    rebuild(store.redis, store.keys, store.iter_all())
    assert store.redis.zrange(store.keys.history(V1.article_id), 0, -1) == rebuilt
    store.append(art("Mayor opens the new bridge", "The bridge opened today."))
    assert [v.version for v in h.versions(V1.article_id)] == [1, 2, 3]
    assert h.versions(V1.article_id)[:2] == before


def test_history_survives_trimming(store: EventStore) -> None:
    store.append(V1)
    store.append(V2)
    store.redis.xtrim(store.keys.events, maxlen=1, approximate=False)
    h = History(store.redis, store.keys)
    assert [v.version for v in h.versions(V1.article_id)] == [1, 2]
    rebuild(store.redis, store.keys, store.iter_all())  # keeps the trimmed version
    assert [v.version for v in h.versions(V1.article_id)] == [1, 2]
    with pytest.raises(VersionTrimmed, match="trimmed"):
        h.diff(V1.article_id)
    assert h.at(V1.article_id, version=2)[1].data.title == V2.title


def test_unknown_article_version_and_moment_are_named(store: EventStore) -> None:
    h = History(store.redis, store.keys)
    with pytest.raises(VersionNotFound, match="no such article"):
        h.require("nope")
    store.append(V1)
    with pytest.raises(VersionNotFound, match="only version 1"):
        h.diff(V1.article_id)
    with pytest.raises(VersionNotFound, match="has no version 5"):
        h.diff(V1.article_id, 1, 5)
    # an article appended before the index existed: says how to build it
    store.redis.delete(store.keys.history(V1.article_id), store.keys.versions(V1.article_id))
    with pytest.raises(VersionNotFound, match="rebuild history"):
        h.require(V1.article_id)


def test_rebuild_history_command(settings: Settings, store: EventStore) -> None:
    store.append(V1)
    store.append(V2)
    store.redis.delete(store.keys.history(V1.article_id))
    res = subprocess.run([sys.executable, "-m", "worker", "rebuild", "history"],
                         env=settings_env(settings), capture_output=True, text=True, timeout=60)
    assert res.returncode == 0, res.stderr
    assert "2 versions of 1 articles" in res.stdout
    assert [v.version for v in History(store.redis, store.keys).versions(V1.article_id)] \
        == [1, 2]
    res = subprocess.run([sys.executable, "-m", "worker", "articles", "diff", "nope"],
                         env=settings_env(settings), capture_output=True, text=True, timeout=60)
    assert res.returncode == 1 and "no such article" in res.stderr
    assert "Traceback" not in res.stderr


def test_v2_revision_gets_changes_filled_on_read(store: EventStore) -> None:
    """A revision written before schema v3 (no ``changes``) is upcast with None and the
    history computes its changes from both versions' entries."""
    r1 = store.append(V1)
    body = {"event_id": uuid7(), "type": "article.revised", "schema_version": 2,
            "occurred_at": "2030-01-01T00:00:00+00:00", "article_id": V1.article_id,
            "version": 2, "correlation_id": None, "source": V2.source.model_dump(),
            "data": V2.model_dump(mode="json")}
    fields = {"type": "article.revised", "article_id": V1.article_id, "version": "2",
              "event_id": body["event_id"], "schema_version": "2", "body": orjson.dumps(body)}
    eid = store.redis.xadd(store.keys.events, fields)
    event = decode(eid, store.redis.xrange(store.keys.events, eid, eid)[0][1])
    assert isinstance(event, ArticleRevised) and event.changes is None
    rebuild(store.redis, store.keys, store.iter_all())
    versions = History(store.redis, store.keys).versions(V1.article_id)
    assert [v.entry_id for v in versions] == [r1.entry_id, eid.decode()]
    ch = versions[1].changes
    assert ch is not None and ch.fields == ("title", "body") and ch.words_added == 5
