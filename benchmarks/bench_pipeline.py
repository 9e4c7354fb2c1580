"""Whole-system rows through a real Celery worker and a real ``newsworker consume`` process:
``end_to_end_batch``, ``latency_single`` and ``worker_rss``.
"""

from __future__ import annotations

import importlib.util
import time
from collections.abc import Callable
from typing import Any

from benchmarks.data import rss_feed, text_article, write_text_files
from benchmarks.handlers import handled_key
from benchmarks.harness import Bench, Row, group_done, peak_rss_mb, row, wait_until
from worker.store.keys import Keys

FILES_PER_TASK = 500


def _feed_task() -> str:
    """poll_feed when the feeds helper's task module is there, else ingest_file."""
    return ("newsworker.poll_feed" if importlib.util.find_spec("worker.tasks.feeds")
            else "newsworker.ingest_file")


def _handler() -> str:
    return "archive" if importlib.util.find_spec("worker.consumers.builtin.archive") else "noop"


def _wait_results(results: list[Any], timeout: float) -> list[Any]:
    wait_until(lambda: all(r.ready() for r in results), timeout, "celery tasks", 0.05)
    return [r.get(timeout=5, propagate=True) for r in results]


def bench_end_to_end(b: Bench) -> list[Row]:
    n_feeds = 4
    per_feed = b.n(5_000, minimum=5)
    n_files = b.n(5_000, minimum=10)
    s = b.settings(max_file_bytes=256 << 20, max_body_bytes=256 << 20,
                   archive_dir=b.tmp / "archive")
    feeds = []
    for k in range(n_feeds):
        p = b.tmp / f"feed{k}.rss"
        p.write_bytes(rss_feed(per_feed, feed_no=k + 1))
        feeds.append(str(p))
    files = write_text_files(b.tmp / "files", n_files)
    worker = b.celery_worker(s)
    handler = _handler()
    b.consumer(s, "bench", handler, batch=100)
    app = b.celery_app(s)
    stream = Keys(s.key_prefix).events
    wait_until(lambda: b.client.exists(stream), 30, "consumer group")
    feed_task = _feed_task()

    t0 = time.perf_counter()
    results = [app.send_task(feed_task, args=[f], queue=s.ingest_queue) for f in feeds]
    results += [app.send_task("newsworker.ingest_files", args=[files[i:i + FILES_PER_TASK]],
                              queue=s.ingest_queue)
                for i in range(0, n_files, FILES_PER_TASK)]
    _wait_results(results, 600)
    t_ingested = time.perf_counter() - t0
    expected = int(b.client.xlen(stream))
    wait_until(lambda: group_done(b.client, stream, "bench", expected), 600, "consumer caught up")
    took = time.perf_counter() - t0
    value = expected / took

    # Same worker, same run: one trivial task per item (capped: its rate is per item).
    n_triv = min(n_feeds * per_feed + n_files, b.n(5_000, minimum=20))
    counter = f"{s.key_prefix}:bench:trivial"
    t1 = time.perf_counter()
    for i in range(n_triv):
        app.send_task("bench.trivial", args=[counter, i], queue=s.ingest_queue)
    sent_s = time.perf_counter() - t1
    wait_until(lambda: int(b.client.get(counter) or 0) >= n_triv, 600, "trivial tasks", 0.05)
    base = n_triv / (time.perf_counter() - t1)
    worker.stop()
    return [row("end_to_end_batch", value, "articles/s", base, ">= 5000/s and ratio >= 4",
                articles=expected, submitted_items=n_feeds * per_feed + n_files,
                feeds=n_feeds, entries_per_feed=per_feed, text_files=n_files,
                feed_task=feed_task, handler=handler, ingest_s=round(t_ingested, 2),
                total_s=round(took, 2), baseline_items=n_triv,
                baseline_send_s=round(sent_s, 2), worker_concurrency=2)]


def bench_latency(b: Bench) -> list[Row]:
    rate = 100.0
    n = b.n(1_500, minimum=20)
    s = b.settings()
    b.celery_worker(s)
    b.consumer(s, "lat", "benchmarks.handlers:HandledAt", batch=100)
    app = b.celery_app(s)
    key = handled_key(s.key_prefix)
    stream = Keys(s.key_prefix).events
    wait_until(lambda: b.client.exists(stream), 30, "consumer group")
    texts = [text_article(2_000_000 + i).decode() for i in range(n)]
    # Warm-up: first tasks pay imports in the pool children.
    warm = [app.send_task("newsworker.ingest_text", args=[texts[i], f"warm-{i}"],
                          queue=s.ingest_queue) for i in range(4)]
    _wait_results(warm, 60)
    wait_until(lambda: b.client.hlen(key) >= 4, 30, "warm-up handled")
    lat, to_append = _paced(b, app, s, n, rate, lambda i, name: ("newsworker.ingest_text",
                                                                  [texts[i], name]), key, offset=4)
    # Same run, same worker: a task that only stamps the time it ran (Celery's share).
    stamp_key = f"{s.key_prefix}:bench:stamped"
    base, _ = _paced(b, app, s, n, rate, lambda i, name: ("bench.stamp", [stamp_key, name]),
                  stamp_key)

    def pct(p: float, xs: list[float] = lat) -> float:
        return xs[min(len(xs) - 1, round(p / 100 * (len(xs) - 1)))]

    extra = {"p50_ms": round(pct(50), 2), "p95_ms": round(pct(95), 2), "max_ms": round(lat[-1], 2),
             "p50_submit_to_append_ms": round(to_append[len(to_append) // 2], 2),
             "p99_submit_to_append_ms": round(pct(99, to_append), 2),
             "submissions": n, "target_rate": rate,
             "path": "ingest_text -> celery (-c 2) -> append -> consume (HandledAt)",
             "baseline_is": "p99 of a Celery task that only stamps its run time"}
    return [row("latency_single", pct(99), "ms p99", pct(99, base), "p99 <= 50 ms and ratio <= 4",
                **extra),
            row("latency_single_p50", pct(50), "ms p50", pct(50, base), "(context)"),
            row("latency_single_p95", pct(95), "ms p95", pct(95, base), "(context)")]


def _paced(b: Bench, app: Any, s: Any, n: int, rate: float,
           task: Callable[[int, str], tuple[str, list[Any]]], key: str,
           offset: int = 0) -> tuple[list[float], list[float]]:
    """Submit ``n`` tasks at ``rate``/s. Sorted latencies (ms) to the time recorded in ``key``
    and, when recorded too, to the append."""
    submitted: dict[str, float] = {}
    start = time.perf_counter()
    for i in range(n):
        delay = start + i / rate - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        name = f"lat-{i}"
        tname, args = task(i, name)
        submitted[name] = time.time()
        app.send_task(tname, args=args, queue=s.ingest_queue)
    wait_until(lambda: b.client.hlen(key) >= n + offset, 120, f"{n} paced tasks handled")
    done = {k.decode(): [float(x) for x in v.split()] for k, v in b.client.hgetall(key).items()}
    total = sorted((done[name][0] - t) * 1000 for name, t in submitted.items())
    appended = sorted((done[name][-1] - t) * 1000 for name, t in submitted.items())
    return total, appended


def _rss_run(b: Bench, entries: int) -> tuple[float, float, float]:
    s = b.settings(max_file_bytes=512 << 20, max_body_bytes=512 << 20)
    path = b.tmp / f"rss-{entries}.rss"
    path.write_bytes(rss_feed(entries, feed_no=50 + entries % 97))
    # One pool child, so its VmHWM is the whole ingest's peak.
    w = b.celery_worker(s, concurrency=1, name=f"rss{entries}")
    app = b.celery_app(s)
    warm = app.send_task("newsworker.ingest_text", args=[text_article(7).decode(), "warm"],
                         queue=s.ingest_queue)
    _wait_results([warm], 60)
    idle = peak_rss_mb(w.proc.pid)
    t = time.perf_counter()
    res = app.send_task(_feed_task(), args=[str(path)], queue=s.ingest_queue)
    _wait_results([res], 900)
    took = time.perf_counter() - t
    peak = peak_rss_mb(w.proc.pid)
    w.stop()
    path.unlink()
    return idle, peak, took


def bench_rss(b: Bench) -> list[Row]:
    small, big = b.n(10_000, minimum=20), b.n(50_000, minimum=100)
    idle_s, peak_s, took_s = _rss_run(b, small)
    idle_b, peak_b, took_b = _rss_run(b, big)
    return [row("worker_rss", peak_b, "MB peak", idle_b, "<= 200 MB, flat in input size",
                entries=big, seconds=round(took_b, 1), task=_feed_task(),
                baseline_is="same worker's peak after one warm-up task"),
            row("worker_rss_small", peak_s, "MB peak", idle_s, "(context: growth)",
                entries=small, seconds=round(took_s, 1))]
