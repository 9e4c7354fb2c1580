"""Prometheus metrics recorded in-process (tasks, consumers), and task durations in Redis.

Cross-process figures (queue depth, lag, totals, task durations) are read from Redis by
``monitor`` at scrape time, so they are right whichever process serves ``/metrics``: Celery
runs tasks in pool processes that no scrape reaches, so each task adds its duration to a
Redis hash of histogram buckets instead of relying on Prometheus' multiprocess mode.
"""

from __future__ import annotations

import math
from typing import Any

from prometheus_client import Counter, Histogram

from worker.redisconn import to_str
from worker.store.keys import Keys

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


def record_task_duration(client: Any, keys: Keys, task: str, seconds: float) -> None:
    """Add one run to the task's histogram in Redis (one pipelined round trip)."""
    le = next((str(b) for b in DURATION_BUCKETS_S if seconds <= b), "+Inf")
    key = keys.task_durations
    pipe = client.pipeline(transaction=False)
    pipe.hincrby(key, f"{task}|{le}", 1)
    pipe.hincrbyfloat(key, f"{task}|sum", seconds)
    pipe.hincrby(key, f"{task}|count", 1)
    pipe.execute()


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
