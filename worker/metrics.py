"""Prometheus metrics recorded in-process (tasks, consumers), and task durations in Redis.

Cross-process figures (queue depth, lag, totals, task durations) are read from Redis by
``monitor`` at scrape time, so they are right whichever process serves ``/metrics``: Celery
runs tasks in pool processes that no scrape reaches, so each process adds its tasks'
durations to a Redis hash of histogram buckets (batched: ``DurationBatch``) instead of relying
on Prometheus' multiprocess mode.
"""

from __future__ import annotations

import logging
import math
import os
import threading
from typing import Any

import redis
from prometheus_client import Counter, Histogram

from worker.redisconn import to_str
from worker.store.keys import Keys

log = logging.getLogger(__name__)
_STARTING = threading.Lock()  # one DurationBatch thread per process

EVENTS_APPENDED = Counter("newsworker_process_events_appended", "Events appended by this process",
                          ["type"])
INGEST_FAILURES = Counter("newsworker_process_ingest_failures", "Inputs rejected by this process",
                          ["reason"])
TASK_DURATION = Histogram("newsworker_process_task_duration_seconds",
                          "Task wall time in this process", ["task"])
HANDLED = Counter("newsworker_process_events_handled", "Events handled by this consumer",
                  ["group", "outcome"])

# Tasks run from milliseconds (one text) to minutes (a 50,000-entry feed).
DURATION_BUCKETS_S = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
                      60.0, 120.0, 300.0)


class DurationBatch:
    """Task runs not yet added to the shared histogram: a task adds its run here (no I/O),
    and a thread of this process writes what gathered in one pipelined round trip every
    ``every_s`` (and ``flush`` on shutdown). One HINCRBY round trip per task was the larger
    part of a small task's own Redis traffic; now it is one per ``every_s`` per process.

    Fork-safe: a pool child that inherits a batch starts its own thread and drops the
    parent's unwritten runs (the parent writes those)."""

    def __init__(self, client: Any, keys: Keys, every_s: float = 0.25) -> None:
        self.client, self.keys, self.every_s = client, keys, every_s
        self._lock = threading.Lock()
        self._counts: dict[str, float] = {}  # histogram field -> increment
        self._pid = 0
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()

    def add(self, task: str, seconds: float) -> None:
        le = next((str(b) for b in DURATION_BUCKETS_S if seconds <= b), "+Inf")
        if self._pid != os.getpid():
            self._start()
        with self._lock:
            c = self._counts
            for fld, inc in ((f"{task}|{le}", 1.0), (f"{task}|sum", seconds),
                             (f"{task}|count", 1.0)):
                c[fld] = c.get(fld, 0.0) + inc

    def _start(self) -> None:
        with _STARTING:
            if self._pid == os.getpid():
                return
            # A fresh lock: the parent's may have been copied while its thread held it.
            self._lock, self._counts, self._stop = threading.Lock(), {}, threading.Event()
            self._thread = threading.Thread(target=self._run, name="newsworker-durations",
                                            daemon=True)
            self._thread.start()
            self._pid = os.getpid()

    def _run(self) -> None:
        while not self._stop.wait(self.every_s):
            self.flush()

    def flush(self) -> None:
        """Write what gathered; on a Redis error keep it for the next try."""
        with self._lock:
            counts, self._counts = self._counts, {}
        if not counts or self._pid != os.getpid():
            return
        # MULTI: a batch lands whole or not at all, so a retry never counts a run twice.
        pipe = self.client.pipeline(transaction=True)
        for fld, inc in counts.items():
            if fld.endswith("|sum"):
                pipe.hincrbyfloat(self.keys.task_durations, fld, inc)
            else:
                pipe.hincrby(self.keys.task_durations, fld, int(inc))
        try:
            pipe.execute()
        except redis.RedisError as exc:  # a lost sample must never fail a task
            log.debug("task durations not recorded yet: %s", exc)
            with self._lock:
                for fld, inc in counts.items():
                    self._counts[fld] = self._counts.get(fld, 0.0) + inc

    def stop(self) -> None:
        """Stop the thread and write what is left."""
        self._stop.set()
        self.flush()


def read_task_durations(client: Any, keys: Keys
                        ) -> dict[str, tuple[list[tuple[str, int]], float, int]]:
    """task -> (cumulative buckets as (le, count) ending with +Inf, sum, count)."""
    raw: dict[str, dict[str, str]] = {}
    for k, v in client.hgetall(keys.task_durations).items():
        field = to_str(k)
        task, _, part = field.rpartition("|")
        if task:
            raw.setdefault(task, {})[part] = to_str(v)
    out = {}
    for task, parts in sorted(raw.items()):
        try:
            total, n = float(parts.get("sum", 0)), int(parts.get("count", 0))
            running, buckets = 0, []
            for le in [*(str(b) for b in DURATION_BUCKETS_S), "+Inf"]:
                running += int(parts.get(le, 0))
                buckets.append((le, running))
        except ValueError:
            continue  # a hand-edited field: skip the task rather than fail the scrape
        if math.isfinite(total):
            out[task] = (buckets, total, n)
    return out
