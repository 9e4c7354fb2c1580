"""``feed_polls``: conditional polls/s of 1,000 local feeds (mostly 304) through
``worker.feeds.poll.poll`` — the function the ``newsworker.poll_feed`` task runs, called
in-process (no Celery), one poller thread — vs raw httpx conditional GETs, same run.
"""

from __future__ import annotations

import sys
import time

import httpx

from benchmarks.harness import Bench, Row, free_port, row, wait_until
from worker.store.eventstore import EventStore

BLOCK = 100


def bench_feed_polls(b: Bench) -> list[Row]:
    from worker.feeds.poll import poll

    nfeeds = b.n(1_000, minimum=40)
    port = free_port()
    srv = b.spawn([sys.executable, "-m", "benchmarks.feedserver", str(port), str(nfeeds)],
                  b.env(b.settings()), "feedserver")
    wait_until(lambda: "ready" in srv.output() or not srv.alive(), 30, "feed server")
    urls = [f"http://127.0.0.1:{port}/feed/{k}" for k in range(nfeeds)]
    s = b.settings()
    st = EventStore.from_settings(s)
    opts = {"interval_s": 60.0, "force": True}
    etags: dict[str, str] = {}
    statuses: dict[str, int] = {}
    with httpx.Client(trust_env=False, timeout=10) as client:
        # Prime both: the first poll of each feed is a 200 that stores its ETag.
        for u in urls:
            first = poll(u, s, st, options=dict(opts))
            assert first["status"] == "ok", first
            etags[u] = client.get(u).headers["etag"]
        poll_s = raw_s = 0.0
        for k in range(0, nfeeds, BLOCK):
            block = urls[k:k + BLOCK]
            t = time.perf_counter()
            for u in block:
                out = poll(u, s, st, options=dict(opts))
                statuses[out["status"]] = statuses.get(out["status"], 0) + 1
            poll_s += time.perf_counter() - t
            t = time.perf_counter()
            for u in block:
                r = client.get(u, headers={"If-None-Match": etags[u]})
                if r.status_code == 200:
                    etags[u] = r.headers["etag"]
            raw_s += time.perf_counter() - t
    srv.stop()
    return [row("feed_polls", nfeeds / poll_s, "polls/s", nfeeds / raw_s, "ratio >= 0.6",
                feeds=nfeeds, outcomes=statuses, path="worker.feeds.poll.poll in-process, 1 thread",
                baseline_is="httpx.Client (keep-alive) conditional GET, 1 thread")]


def bench_feed_parse(b: Bench) -> list[Row]:
    """``feed_parse``: parse + normalise + append of one big feed vs bare ``feedparser.parse``
    of the same bytes (issue goal: within 1.5x, i.e. ratio >= 0.67)."""
    import feedparser

    from benchmarks.data import rss_feed
    from worker.events.models import Source
    from worker.feeds.parse import articles_from_feed_bytes

    n = b.n(10_000, minimum=50)
    raw = rss_feed(n, feed_no=7)
    ours_s = bare_s = 0.0
    for k in range(2):
        s = b.settings(max_body_bytes=64 * 1024 * 1024, max_file_bytes=64 * 1024 * 1024)
        st = EventStore.from_settings(s)
        t = time.perf_counter()
        articles = articles_from_feed_bytes(raw, source=Source(kind="feed", location=f"b{k}"),
                                            settings=s)
        st.append_many(articles)
        ours_s += time.perf_counter() - t
        assert len(articles) == n and st.length() == n, (len(articles), st.length())
        del articles
        t = time.perf_counter()
        parsed = feedparser.parse(raw)
        bare_s += time.perf_counter() - t
        assert len(parsed.entries) == n
        del parsed
    return [row("feed_parse", 2 * n / ours_s, "entries/s", 2 * n / bare_s,
                "ratio >= 0.67 (within 1.5x of bare feedparser)", entries=n,
                feed_bytes=len(raw), path="articles_from_feed_bytes + append_many",
                baseline_is="feedparser.parse(bytes)")]
