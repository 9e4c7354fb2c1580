"""What a consumer reports as it goes: :class:`ConsumerHooks` (no-ops) and the Prometheus
implementation consumers use by default."""

from __future__ import annotations

from typing import Any

import redis
from prometheus_client import Counter

from worker import metrics
from worker.store.keys import Keys

# Outcomes a consumer counts, per group (also pre-set to 0 on /metrics).
OUTCOMES = ("ok", "error", "dead_letter")


class ConsumerHooks:
    """Called by a Consumer at each outcome; every hook does nothing here. Hooks run in the
    consumer's loop: keep them cheap, and let them not raise."""

    def on_batch_handled(self, group: str, count: int) -> None:
        """``count`` events of one batch were handled (called once per batch, not per event)."""

    def on_error(self, group: str, entry_id: str, error: Exception) -> None:
        """The handler raised on ``entry_id`` (it is retried, or dead-lettered)."""

    def on_dead_letter(self, group: str, entry_id: str, reason: str) -> None:
        """``entry_id`` was copied to the dead-letter stream."""

    def write(self, pipe: Any) -> None:
        """Add what these hooks still have to write to Redis to ``pipe``: the consumer's
        acknowledgement of the batch, so counting costs no round trip of its own."""


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


class RedisCountingHooks(ConsumerHooks):
    """Counts outcomes in the shared counters hash (``handled:<group>|<outcome>``), so
    ``/metrics`` shows every consumer's handled, error and dead-letter counts whichever
    process serves the scrape (a consumer has no endpoint of its own).

    Counts wait in memory and go out with the batch's acknowledgement (``write``): a separate
    HINCRBY per batch was one of three round trips a batch cost."""

    def __init__(self, client: redis.Redis, keys: Keys) -> None:
        self.redis, self.keys = client, keys
        self.pending: dict[str, int] = {}  # counters field -> increment not yet written

    def count(self, group: str, outcome: str, n: int = 1) -> None:
        field = f"handled:{group}|{outcome}"
        self.pending[field] = self.pending.get(field, 0) + n

    def write(self, pipe: Any) -> None:
        for field, n in self.pending.items():
            pipe.hincrby(self.keys.counters, field, n)
        self.pending = {}

    def on_batch_handled(self, group: str, count: int) -> None:
        if count:
            self.count(group, "ok", count)

    def on_error(self, group: str, entry_id: str, error: Exception) -> None:
        self.count(group, "error")

    def on_dead_letter(self, group: str, entry_id: str, reason: str) -> None:
        self.count(group, "dead_letter")


class AllHooks(ConsumerHooks):
    """Several hooks, called in order."""

    def __init__(self, *hooks: ConsumerHooks) -> None:
        self.hooks = hooks

    def on_batch_handled(self, group: str, count: int) -> None:
        for h in self.hooks:
            h.on_batch_handled(group, count)

    def on_error(self, group: str, entry_id: str, error: Exception) -> None:
        for h in self.hooks:
            h.on_error(group, entry_id, error)

    def on_dead_letter(self, group: str, entry_id: str, reason: str) -> None:
        for h in self.hooks:
            h.on_dead_letter(group, entry_id, reason)

    def write(self, pipe: Any) -> None:
        for h in self.hooks:
            h.write(pipe)


def default_hooks(client: Any, keys: Keys) -> ConsumerHooks:
    """What a consumer reports by default: this process's Prometheus counters, and the
    shared counts in Redis."""
    return AllHooks(PrometheusHooks(), RedisCountingHooks(client, keys))
