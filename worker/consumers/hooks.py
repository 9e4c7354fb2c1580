"""What a consumer reports as it goes: :class:`ConsumerHooks` (no-ops) and the Prometheus
implementation consumers use by default."""

from __future__ import annotations

from prometheus_client import Counter

from worker import metrics


class ConsumerHooks:
    """Called by a Consumer at each outcome; every hook does nothing here. Hooks run in the
    consumer's loop: keep them cheap, and let them not raise."""

    def on_batch_handled(self, group: str, count: int) -> None:
        """``count`` events of one batch were handled (called once per batch, not per event)."""

    def on_error(self, group: str, entry_id: str, error: Exception) -> None:
        """The handler raised on ``entry_id`` (it is retried, or dead-lettered)."""

    def on_dead_letter(self, group: str, entry_id: str, reason: str) -> None:
        """``entry_id`` was copied to the dead-letter stream."""


class PrometheusHooks(ConsumerHooks):
    """Counts outcomes in ``newsworker_process_events_handled{group, outcome}``."""

    def __init__(self) -> None:
        self._ok: dict[str, Counter] = {}  # labels() is slow: one child per group, kept

    def on_batch_handled(self, group: str, count: int) -> None:
        child = self._ok.get(group)
        if child is None:
            child = self._ok[group] = metrics.HANDLED.labels(group=group, outcome="ok")
        child.inc(count)

    def on_error(self, group: str, entry_id: str, error: Exception) -> None:
        metrics.HANDLED.labels(group=group, outcome="error").inc()

    def on_dead_letter(self, group: str, entry_id: str, reason: str) -> None:
        metrics.HANDLED.labels(group=group, outcome="dead_letter").inc()
