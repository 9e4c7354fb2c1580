"""``rebuild_rss`` and ``rebuild_stall``: `newsworker rebuild catalog` as a child process over
100k and 300k articles in the bench's private Redis; its peak RSS at both sizes, and the
longest PING another client waited for while the 300k rebuild ran, the swap included (a first
rebuild makes the live catalog that the measured one replaces). Redis' own latency monitor
says how much of that wait was Redis (a command or the event loop) rather than the machine's
scheduler: on 2 busy cores a client thread can wait for a CPU for 100 ms and more."""

from __future__ import annotations

import sys
import threading
import time
from typing import Any

import redis

from benchmarks.bench_store import make_articles
from benchmarks.harness import Bench, Row, row
from worker.store.eventstore import EventStore
from worker.store.keys import Keys

CHUNK = 1_000  # articles built and appended at a time: the bench's own memory stays small


def _fill(b: Bench, n: int) -> Any:
    s = b.settings()
    store = EventStore(b.client, Keys(s.key_prefix))
    for i in range(0, n, CHUNK):
        store.append_many(make_articles(min(CHUNK, n - i), start=i))
    return s


class PingWatch:
    """Another client PINGing in a loop on its own thread; ``worst_ms`` is the longest wait."""

    def __init__(self, url: str) -> None:
        self.client = redis.Redis.from_url(url)
        self.worst_ms = 0.0
        self.pings = 0
        self.times_ms: list[float] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            t = time.perf_counter()
            self.client.ping()
            took = (time.perf_counter() - t) * 1000
            self.worst_ms = max(self.worst_ms, took)
            self.times_ms.append(took)
            self.pings += 1
            time.sleep(0.001)

    def __enter__(self) -> PingWatch:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(5)
        self.client.close()


def _rebuild(b: Bench, s: Any, n: int) -> tuple[float, float, PingWatch]:
    """(peak RSS MB, seconds, the PINGs) of one `rebuild catalog` child."""
    peak = 0.0
    with PingWatch(b.redis_server.url) as watch:
        started = time.perf_counter()
        p = b.spawn([sys.executable, "-m", "worker", "rebuild", "catalog"], b.env(s),
                    f"rebuild-{n}")
        while p.alive():  # VmHWM only grows: the last reading before exit is the peak
            peak = max(peak, _hwm_mb(p.proc.pid))
            time.sleep(0.05)
        took = time.perf_counter() - started
    if p.proc.returncode != 0:
        raise RuntimeError(f"rebuild catalog failed:\n{p.output()[-3000:]}")
    return peak, took, watch


def _hwm_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def bench_rebuild(b: Bench) -> list[Row]:
    small, big = b.n(100_000, minimum=200), b.n(300_000, minimum=600)
    rss_small, took_small, _ = _rebuild(b, _fill(b, small), small)
    s = _fill(b, big)
    _rebuild(b, s, big)  # the live catalog the measured rebuild swaps out
    b.client.config_set("latency-monitor-threshold", 1)
    b.client.execute_command("LATENCY", "RESET")
    b.client.config_set("slowlog-log-slower-than", 5_000)
    b.client.slowlog_reset()
    rss_big, took_big, watch = _rebuild(b, s, big)
    redis_ms = max((int(e[3]) for e in b.client.execute_command("LATENCY", "LATEST")),
                   default=0)
    slow = max(b.client.slowlog_get(128), key=lambda e: int(e["duration"]), default=None)
    times = sorted(watch.times_ms)
    return [row("rebuild_rss", rss_big, "MB peak", rss_small, "ratio <= 1.3",
                articles=big, baseline_articles=small, seconds=round(took_big, 1),
                baseline_seconds=round(took_small, 1)),
            row("rebuild_stall", watch.worst_ms, "ms max PING", None, "<= 20 ms", articles=big,
                pings=len(times), p999_ms=round(times[int(len(times) * 0.999)], 2),
                redis_max_latency_ms=redis_ms,
                redis_slowest=(f"{slow['command'][:40].decode(errors='replace')} "
                               f"{int(slow['duration']) / 1000:.1f} ms") if slow else None)]
