"""``feed_polls``: conditional polls/s of 1,000 local feeds (mostly 304) through
``worker.feedtasks.poll`` — the function the ``newsworker.poll_feed`` task runs, called
in-process (no Celery), one poller thread — vs raw httpx conditional GETs, same run.
"""

from __future__ import annotations

import sys
import time

import httpx

from benchmarks.harness import Bench, Row, free_port, row, wait_until
from worker.store import EventStore

BLOCK = 100


def bench_feed_polls(b: Bench) -> list[Row]:
    from worker.feedtasks import poll

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
    return [row("feed_polls", nfeeds / poll_s, "polls/s", nfeeds / raw_s, ">= 300/s",
                feeds=nfeeds, outcomes=statuses, path="feedtasks.poll in-process, 1 thread",
                baseline_is="httpx.Client (keep-alive) conditional GET, 1 thread")]
