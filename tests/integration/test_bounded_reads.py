"""Bounded bytes per request (issue 14): with ten 9 MB articles in the stream, a status
snapshot, ``/v1/events`` and ``newsworker events`` read a few kB from Redis, measured on the
wire by a counting TCP proxy; the API's memory across many requests is in
tests/e2e/test_bounded_memory.py."""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator

import orjson
import pytest
from typer.testing import CliRunner

from tests.support.api import AUTH, TOKEN
from tests.support.articles import make_article
from tests.support.bigstream import BIG_BYTES, CountingProxy, big_articles, counting_proxy
from worker.api.app import create_app
from worker.cli.app import build
from worker.consumers.replay import DLQ_VALUE_BYTES, dlq_list, dlq_retry
from worker.events.models import Source
from worker.ops import eventpage, monitor
from worker.redisconn import connect
from worker.settings import Settings
from worker.store.eventstore import EventStore
from worker.store.groups import ensure_group
from worker.store.keys import Keys

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from fastapi.testclient import TestClient

UNDER = 1_000_000  # bytes of Redis replies one snapshot or one page may read
Big = tuple[Settings, EventStore, list[str]]


@pytest.fixture
def proxy(redis_url: str) -> Iterator[CountingProxy]:
    with counting_proxy(redis_url) as p:
        yield p


@pytest.fixture
def big(make_settings: Callable[..., Settings], proxy: CountingProxy, redis_url: str) -> Big:
    """Settings whose Redis is the proxy; a stream of ten 9 MB articles (written directly),
    a dead letter of one of them with a 100 kB error, and a failure with a 2 MB reason."""
    settings = make_settings(redis_url=proxy.url, api_token=TOKEN, worker_ping_timeout_s=0.3)
    store = EventStore(connect(redis_url), Keys(settings.key_prefix))
    ids = big_articles(store)
    (eid, fields), = store.redis.xrange(store.keys.events, ids[-1], ids[-1])
    store.redis.xadd(store.keys.dead_letters, {**fields, b"dlq_group": b"g",
                                               b"dlq_error": b"E" * 100_000,
                                               b"dlq_entry_id": eid})
    store.record_failure(Source(kind="file", location="/in/huge.txt"), "R" * (2 * 1024 * 1024),
                         code="huge")
    return settings, store, ids


def test_the_proxy_counts_what_redis_sends(big: Big, proxy: CountingProxy) -> None:
    # Guard: reading one entry whole through the proxy counts its 9 MB.
    _, store, ids = big
    proxy.reset()
    connect(proxy.url).xrange(store.keys.events, ids[0], ids[0])
    assert proxy.from_server > BIG_BYTES


def test_status_snapshot_reads_ids_not_bodies(big: Big, proxy: CountingProxy) -> None:
    settings, _, ids = big
    client = connect(proxy.url)
    proxy.reset()
    snap = monitor.collect(settings, client=client, include_workers=False)
    read = proxy.from_server
    assert read < UNDER, f"one snapshot read {read} bytes from Redis"
    assert (snap.stream.length, snap.stream.first_id, snap.stream.last_id) == (10, ids[0], ids[-1])
    assert snap.stream.events_per_minute > 0
    [dead] = snap.dead_letters.recent
    assert (dead.entry_id, dead.group, len(dead.error)) == (ids[-1], "g", 16 * 1024)
    [failure] = snap.failures.recent
    assert failure.code == "too_large" and "bytes not shown" in failure.reason


def test_events_answer_within_max_bytes(big: Big, proxy: CountingProxy) -> None:
    settings, store, ids = big
    with TestClient(create_app(settings)) as http:
        proxy.reset()
        r = http.get("/v1/events?tail=15", headers=AUTH)
        assert r.status_code == 200
        assert proxy.from_server < UNDER, proxy.from_server
        assert len(r.content) <= settings.events_max_bytes
        page = r.json()
        # Summaries; the newest as far as one page may walk inside Redis (64 MB: 8 of them)
        rows = page["events"]
        assert len(rows) >= 5 and [e["entry_id"] for e in rows] == ids[-len(rows):]
        assert [e["title"] for e in rows] == [f"Big {i}" for i in range(10 - len(rows), 10)]
        assert all(e["body_bytes"] > BIG_BYTES and e["event"] is None for e in rows)
        assert page["truncated"] is (len(rows) < 10) and page["next_after"] == ids[-1]

        # Whole events on request, still bounded: the 9 MB event is named, not sent, and the
        # page ends there (its cursor still moves on).
        proxy.reset()
        r = http.get(f"/v1/events?full=true&limit=5&max_bytes={512 * 1024}", headers=AUTH)
        assert len(r.content) <= 512 * 1024 and proxy.from_server < UNDER
        page = r.json()
        [only] = page["events"]
        assert only["event"] is None and "exceed max_bytes" in only["omitted"]
        assert (page["truncated"], page["next_after"]) == (True, ids[0])

        # A small event comes whole; max_bytes cannot go above the setting.
        small = store.append(make_article("A small body of a few words.",
                                          location="/in/small.txt", title="Small"))
        r = http.get(f"/v1/events?full=true&after={ids[-1]}", headers=AUTH).json()
        assert [e["event"]["data"]["title"] for e in r["events"]] == ["Small"]
        assert r["events"][0]["entry_id"] == small.entry_id
        over = http.get(f"/v1/events?max_bytes={settings.events_max_bytes + 1}", headers=AUTH)
        assert over.status_code == 422


def test_cli_events_reads_bounded_pages(big: Big, proxy: CountingProxy) -> None:
    settings, _, ids = big
    proxy.reset()
    res = CliRunner().invoke(build(), ["events", "--json"], env=settings.as_env())
    assert res.exit_code == 0, res.output
    rows = [orjson.loads(line) for line in res.stdout.splitlines()]
    assert [r["entry_id"] for r in rows] == ids and rows[0]["title"] == "Big 0"
    assert proxy.from_server < UNDER, proxy.from_server
    # --full names what does not fit a page instead of printing it
    res = CliRunner().invoke(build(), ["events", "--full", "--count", "2",
                                       "--max-bytes", "65536"], env=settings.as_env())
    assert res.exit_code == 0 and res.stdout == ""
    assert res.stderr.count("not shown") == 2


def test_dlq_list_is_bounded_and_retry_copies_whole(big: Big, proxy: CountingProxy) -> None:
    _, store, ids = big
    client = connect(proxy.url)
    proxy.reset()
    [letter] = dlq_list(client, store.keys)
    assert proxy.from_server < UNDER, proxy.from_server
    assert letter.entry_id == ids[-1] and len(letter.fields[b"body"]) == DLQ_VALUE_BYTES
    # Retrying a letter whose entry was trimmed copies the whole event back, not the cut one
    store.redis.xdel(store.keys.events, ids[-1])
    ensure_group(store.redis, store.keys.events, "g", "$")
    [(_, how)] = dlq_retry(client, store.keys)
    assert how == "copied"
    (_, fields), = store.redis.xrevrange(store.keys.events, count=1)
    assert len(fields[b"body"]) > BIG_BYTES


def test_summary_of_an_event_stored_before_the_title_cap(big: Big, proxy: CountingProxy) -> None:
    # An event stored with a 10 MB title (before worker/events/limits.py): its history member
    # is 10 MB too; the summary reads a cut of it and still shows the title's start.
    settings, store, _ = big
    huge = store.append(make_article("Body of the old article.", location="/in/old.txt",
                                     title="Old " * 2_500_000))
    proxy.reset()
    page = eventpage.page(connect(proxy.url), store.keys, store.keys.events, limit=1, tail=1,
                          max_bytes=settings.events_max_bytes)
    assert proxy.from_server < UNDER, proxy.from_server
    [row] = page.events
    assert row.entry_id == huge.entry_id and row.title_truncated
    assert row.title is not None and row.title.startswith("Old Old") and row.occurred_at
