"""Prometheus metrics recorded in-process (tasks, consumers).

Cross-process figures (queue depth, lag, totals) are read from Redis by ``monitor`` at
scrape time, so they are right whichever process serves ``/metrics``.
"""

from __future__ import annotations

from prometheus_client import Counter, Histogram

EVENTS_APPENDED = Counter("newsworker_process_events_appended", "Events appended by this process",
                          ["type"])
INGEST_FAILURES = Counter("newsworker_process_ingest_failures", "Inputs rejected by this process",
                          ["reason"])
TASK_DURATION = Histogram("newsworker_task_duration_seconds", "Task wall time", ["task"])
HANDLED = Counter("newsworker_process_events_handled", "Events handled by this consumer",
                  ["group", "outcome"])
