"""History and diff of an article with 1,000 versions never read the event stream as a
whole: asserted on the commands Redis receives (MONITOR), not on time."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import pytest
import redis

from tests.support.api import AUTH, api_settings, http
from tests.support.articles import make_article
from worker.events.models import Article, Source, content_hash
from worker.store.eventstore import EventStore
from worker.store.history import History

if TYPE_CHECKING:  # imported at run time by tests.support.api, under a warnings filter
    from fastapi.testclient import TestClient

__all__ = ["api_settings", "http"]  # fixtures, found by pytest in this module's namespace

URL = "https://news.example/live-blog"
VERSIONS = 1000
STREAM_READS = ("XRANGE", "XREVRANGE", "XREAD", "XREADGROUP", "XINFO", "XLEN", "SCAN", "KEYS")


def version(n: int) -> Article:
    paras = ("A live blog that keeps changing.", f"Update number {n}: more words {n * 7}.")
    title = f"Live: day {n}"
    return Article(title=title, body=paras, source=Source(kind="url", location=URL), url=URL,
                   word_count=sum(len(p.split()) for p in paras),
                   content_hash=content_hash(title, paras))


@contextmanager
def monitored(client: redis.Redis, needle: str) -> Iterator[list[str]]:
    """Every command Redis receives while the block runs that mentions ``needle`` (our key
    prefix: other tests may share this Redis)."""
    seen: list[str] = []
    sentinel = f"history-cost-done-{uuid.uuid4().hex}"
    mon_client = redis.Redis(connection_pool=redis.ConnectionPool(
        **client.connection_pool.connection_kwargs))
    ready = threading.Event()

    def watch() -> None:
        with mon_client.monitor() as m:
            ready.set()
            for cmd in m.listen():
                text = str(cmd.get("command", ""))
                if sentinel in text:
                    return
                if needle in text:
                    seen.append(text)

    t = threading.Thread(target=watch, daemon=True)
    t.start()
    assert ready.wait(10)
    client.ping()  # MONITOR is registered once its reply came back; the thread waited for it
    try:
        yield seen
    finally:
        client.echo(sentinel)
        t.join(30)
        assert not t.is_alive(), "MONITOR never saw the sentinel"
        mon_client.close()


def stream_reads(commands: list[str], events_key: str) -> list[str]:
    """Reads of the event stream other than a point read (XRANGE key id id)."""
    bad = []
    for c in commands:
        parts = c.split()
        if not parts or parts[0].upper() not in STREAM_READS:
            continue
        if parts[0].upper() == "XRANGE" and len(parts) == 4 and parts[2] == parts[3] \
                and parts[2] not in ("-", "+"):
            continue
        bad.append(c)
    return bad


@pytest.fixture
def long_history(store: EventStore) -> tuple[str, list[str]]:
    """One article with VERSIONS versions among other articles' events."""
    entries = []
    for n in range(1, VERSIONS + 1):
        if n % 100 == 0:
            store.append(make_article(f"Unrelated story {n}.", location=f"/in/other-{n}.txt"))
        entries.append(store.append(version(n)).entry_id)
    return version(1).article_id, entries


def point_reads(commands: list[str]) -> list[str]:
    return [c for c in commands if c.split()[0].upper() == "XRANGE"]


def test_history_and_diff_of_1000_versions_read_no_stream(
        store: EventStore, long_history: tuple[str, list[str]], http: TestClient) -> None:
    aid, entries = long_history
    assert store.version_of(aid) == VERSIONS
    h = History(store.redis, store.keys)
    runs: list[tuple[str, Callable[[], object]]] = [
        ("history", lambda: h.require(aid)),
        ("diff", lambda: h.diff(aid)),
        ("diff 1..1000", lambda: h.diff(aid, 1, VERSIONS)),
        ("as_of", lambda: h.at(aid, as_of=h.version(aid, 500).occurred_at)),
        ("api history", lambda: http.get(f"/v1/articles/{aid}/history", headers=AUTH)),
        ("api diff", lambda: http.get(f"/v1/articles/{aid}/diff", headers=AUTH,
                                      params={"from": 3, "to": 999})),
    ]
    for name, run in runs:
        with monitored(store.redis, store.keys.tag) as commands:
            result = run()
        assert commands, name  # the monitor did see this run's commands
        assert stream_reads(commands, store.keys.events) == [], name
        # point reads only, at most the two versions compared (history: none at all)
        assert len(point_reads(commands)) <= (0 if "history" in name else 2), (name, commands)
        if name == "history":
            assert isinstance(result, list)
            assert [v.version for v in result] == list(range(1, VERSIONS + 1))
            assert [v.entry_id for v in result] == entries
            assert all(v.changes is not None for v in result[1:])
    # the check can fail: reading the stream the way `newsworker events` does is caught
    with monitored(store.redis, store.keys.tag) as commands:
        store.read(count=10)
    assert stream_reads(commands, store.keys.events)
    r = http.get(f"/v1/articles/{aid}/diff", headers=AUTH, params={"from": 3, "to": 999})
    assert r.status_code == 200
    body = r.json()
    assert ("delete", "3:") in [(c["op"], c["text"]) for c in body["body"]]
    assert ("insert", "999:") in [(c["op"], c["text"]) for c in body["body"]]
