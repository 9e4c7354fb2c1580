"""Security regressions that had no test of their own in `make test` (issue 14); the checks
that already held are pinned where they live, listed in docs/security.md:

* SSRF: tests/unit/test_fetch.py (ranges and schemes), tests/integration/test_hostile.py
  (decimal and hex loopback never contacted, redirects into private space, slow drip against
  the deadline, gzip bomb, lying Content-Length), tests/integration/test_fetch.py (DNS
  rebinding: the socket connects to the checked address);
* XXE, XInclude, billion laughs: the FILES of tests/support/hostile.py through the task path
  (tests/integration/test_hostile.py) and a real worker (tests/e2e/test_hostile.py).

Here: the address spellings httpx itself refuses to parse (they used to escape ``fetch`` as
``httpx.InvalidURL``, a traceback in the task instead of a refusal), redirects to loopback in
encoded spellings, and hostile stream entries against a real consumer."""

from __future__ import annotations

from typing import Any

import pytest

from tests.feedserver import FeedServer, Route, feed_server, rss
from tests.handlers_for_tests import make_article
from worker.consumers.consumer import Consumer
from worker.consumers.handler import CallableHandler
from worker.consumers.replay import dlq_list
from worker.errors import FetchError, FetchRefused
from worker.feeds.poll import poll
from worker.settings import Settings
from worker.sources.fetch import fetch
from worker.store.eventstore import EventStore

__all__ = ["feed_server"]


# --- SSRF: every spelling is refused, and nothing is sent ---------------------------------

@pytest.mark.parametrize("host", [
    "0177.0.0.1", "127.000.000.001", "0x7f.1", "0x7f.0.0.1", "017700000001", "0",
    "[0:0:0:0:0:ffff:7f00:1]", "[::ffff:7f00:1]", "[::127.0.0.1]", "[::]",
    "127\u30020\u30020\u30021",  # ideographic full stops
    "\u2460\u2461\u2466.0.0.1",  # circled digits: not a valid IDNA name
    "[::ffff:169.254.169.254]", "100.64.0.1", "198.18.0.1", "LOCALHOST",
])
def test_address_spellings_are_refused_before_any_io(host: str, settings: Settings,
                                                     feed_server: FeedServer) -> None:
    url = f"http://{host}:{feed_server.port}/feed"
    with pytest.raises(FetchRefused) as info:
        fetch(url, settings.model_copy(update={"fetch_allow_hosts": []}))
    assert info.value.reason
    assert feed_server.requests == []


def test_a_feed_url_httpx_cannot_parse_is_a_clean_failure(settings: Settings,
                                                          store: EventStore) -> None:
    result = poll("http://0177.0.0.1/feed", settings, store, options={"force": True})
    assert result["status"] == "failed" and "invalid URL" in result["reason"], result


@pytest.mark.parametrize("target", ["http://0x7f000002:{port}/x", "http://2130706434:{port}/x",
                                    "http://[::ffff:127.0.0.2]:{port}/x", "http://0177.0.0.2/x",
                                    "http://127.0.0.1.nip.invalid./x"])
def test_redirects_to_loopback_spellings_are_refused(target: str, feed_server: FeedServer,
                                                     make_settings: Any) -> None:
    # Only 127.0.0.1 itself is allowed (the test server): every other loopback address,
    # however it is spelt in the Location, is refused before it is contacted.
    local = make_settings(fetch_allow_hosts=["127.0.0.1/32"], fetch_deadline_s=2.0)
    feed_server.routes["/r"] = Route(status=302, headers={
        "Location": target.format(port=feed_server.port)})
    with pytest.raises((FetchRefused, FetchError)) as info:
        fetch(feed_server.url("/r"), local)
    assert info.value.reason
    assert [r.path for r in feed_server.requests] == ["/r"]


# --- hostile stream entries: dead-lettered, the consumer goes on ----------------------------

HOSTILE: list[dict[Any, Any]] = [
    {"type": "article.ingested", "event_id": "bad-1", "body": "not json"},
    {"foo": "bar", "event_id": "bad-2"},
    {"type": "article.exploded", "event_id": "bad-3", "body": '{"type": "article.exploded"}'},
    {"type": "article.ingested", "event_id": "bad-4",
     "body": '{"type": "article.ingested", "schema_version": 99}'},
    {"type": "ingestion.failed", "event_id": "bad-5", "body": '{"type": "ingestion.failed"}'},
    {b"\x80\xff": b"x", b"event_id": b"bad-6", b"body": b"{}"},  # non-UTF-8 field name
    {"type": "article.ingested", "event_id": "bad-7", "body": "[" * 100_000},  # deep JSON
    {"type": "article.ingested", "event_id": "bad-8", "body": b"\xff\xfe" * 500_000},
]


def test_hostile_stream_entries_are_dead_lettered(settings: Settings, store: EventStore) -> None:
    store.append_many([make_article(1), make_article(2)])
    for fields in HOSTILE:
        store.redis.xadd(store.keys.events, fields)
    store.append_many([make_article(3)])
    seen: list[str] = []
    spec = CallableHandler("x", lambda ev: seen.append(ev.data.title))
    stats = Consumer(store.redis, store.keys, "g", spec, settings, batch=4).run(until_idle=True)
    assert seen == ["Story 1", "Story 2", "Story 3"]
    assert (stats.handled, stats.dead_lettered) == (3, len(HOSTILE))
    assert len(dlq_list(store.redis, store.keys)) == len(HOSTILE)
    assert store.redis.xpending(store.keys.events, "g")["pending"] == 0


def test_feed_entry_links_in_hostile_spellings_do_not_break_the_poll(
        feed_server: FeedServer, settings: Settings, store: EventStore) -> None:
    # A feed (attacker-controlled) whose links httpx cannot parse: the entries still land.
    body = rss([("a", "Alpha story", "<p>Alpha body.</p>")]).replace(
        "http://news.example.com/a", "http://0177.0.0.1/a")
    feed_server.routes["/f.xml"] = Route(body.encode())
    result = poll(feed_server.url("/f.xml"), settings, store)
    assert (result["status"], result["ingested"]) == ("ok", 1), result
