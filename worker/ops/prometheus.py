"""Prometheus exposition for ``GET /metrics``: the cross-process figures, computed from Redis
at scrape time (so they are right whichever process serves the scrape), plus this process's
python/process collectors.

Every counter is exported from its first scrape, at 0 for every label value the code knows
(event types, rejection codes, feed poll results, each group's outcomes), so ``increase()``
over a window that starts before the first event counts from zero.
"""

from __future__ import annotations

import logging
from typing import Any

import redis
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    GC_COLLECTOR,
    PLATFORM_COLLECTOR,
    PROCESS_COLLECTOR,
    CollectorRegistry,
    generate_latest,
)
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, HistogramMetricFamily

from worker import errors
from worker.consumers.hooks import OUTCOMES
from worker.events.models import EVENT_TYPES
from worker.metrics import read_task_durations
from worker.ops.monitor import counters, feeds, queue_depths
from worker.redisconn import connect
from worker.settings import Settings
from worker.store.eventstore import SOURCE_CONFLICT
from worker.store.groups import group_info
from worker.store.keys import Keys

log = logging.getLogger(__name__)

FEED_POLL_RESULTS = ("ok", "not_modified", "error", "parked")
OTHER_FAILURE_CODES = ("fetch_error", SOURCE_CONFLICT)


def failure_codes() -> list[str]:
    """Every code an ``ingestion.failed`` event can carry (RejectedInput's tree and more)."""
    found: set[str] = set(OTHER_FAILURE_CODES)
    todo: list[type[errors.RejectedInput]] = [errors.RejectedInput]
    while todo:
        cls = todo.pop()
        found.add(cls.code)
        todo.extend(cls.__subclasses__())
    return sorted(found)


def with_zeros(seen: dict[str, int], known: list[str] | tuple[str, ...]) -> dict[str, int]:
    return {**dict.fromkeys(known, 0), **seen}


class RedisCollector:
    """Computes the cross-process figures from Redis at scrape time."""

    def __init__(self, settings: Settings, client: redis.Redis) -> None:
        self.settings, self.client = settings, client
        self.keys = Keys(settings.key_prefix)

    def describe(self) -> list[Any]:
        return []  # unchecked collector: families come from Redis at scrape time

    def collect(self) -> list[Any]:
        s, c, keys = self.settings, self.client, self.keys
        broker = c if s.celery_broker == s.store_url else connect(s.celery_broker)
        q = GaugeMetricFamily("newsworker_queue_length", "Messages waiting in a Celery queue",
                              labels=["queue"])
        for name, depth in queue_depths(broker, s).items():
            q.add_metric([name], depth)
        lag = GaugeMetricFamily("newsworker_group_lag", "Entries not yet delivered to a group",
                                labels=["group"])
        pending = GaugeMetricFamily("newsworker_group_pending",
                                    "Entries delivered to a group but not acknowledged",
                                    labels=["group"])
        # Where Redis cannot report a lag it is counted up to alert_max_lag + 1 (no further).
        for g in group_info(c, keys.events, lag_cap=s.alert_max_lag + 1):
            lag.add_metric([g.name], g.lag)
            pending.add_metric([g.name], g.pending)
        families: list[Any] = [q, lag, pending]
        families.append(GaugeMetricFamily(
            "newsworker_journal_pending",
            "Journaled submissions no worker has received yet (queued or awaiting re-send)",
            value=int(broker.hlen(keys.journal("msg")))))
        families.append(GaugeMetricFamily("newsworker_stream_length", "Entries in the event stream",
                                          value=int(c.xlen(keys.events))))
        families.append(GaugeMetricFamily("newsworker_dlq_length", "Dead-lettered entries",
                                          value=int(c.xlen(keys.dead_letters))))
        counts = counters(c, keys)
        groups = [g.name for g in group_info(c, keys.events, exact_lag=False)]
        for name, label, doc, values in (
            ("newsworker_events_appended", "type", "Events appended, all processes",
             with_zeros(counts.get("appended", {}), EVENT_TYPES)),
            ("newsworker_ingest_failures", "reason", "Inputs rejected, by code",
             with_zeros(counts.get("failures", {}), failure_codes())),
            ("newsworker_feed_polls", "result", "Feed polls, by result",
             with_zeros(counts.get("feed_polls", {}), FEED_POLL_RESULTS)),
        ):
            fam = CounterMetricFamily(name, doc, labels=[label])
            for lv, n in sorted(values.items()):
                fam.add_metric([lv], n)
            families.append(fam)
        handled = CounterMetricFamily(
            "newsworker_events_handled", "Consumer outcomes, all consumers: ok (handled), "
            "error (handler raised; retried), dead_letter", labels=["group", "outcome"])
        outcomes = with_zeros(counts.get("handled", {}),
                              [f"{g}|{o}" for g in groups for o in OUTCOMES])
        for key, n in sorted(outcomes.items()):
            group, _, outcome = key.rpartition("|")
            handled.add_metric([group, outcome], n)
        families.append(handled)
        families.append(GaugeMetricFamily(
            "newsworker_feeds_parked", "Feeds parked after repeated failures",
            value=sum(1 for f in feeds(c, keys) if f.parked)))
        hist = HistogramMetricFamily("newsworker_task_duration_seconds",
                                     "Celery task wall time, all workers", labels=["task"])
        for task, (buckets, total, _n) in read_task_durations(c, keys).items():
            hist.add_metric([task], buckets=buckets, sum_value=total)
        families.append(hist)
        return families


def metrics_text(settings: Settings, client: redis.Redis) -> tuple[bytes, str]:
    """Exposition text: the Redis-wide figures (task durations of every worker included) plus
    this process's python/process figures. The in-process ``newsworker_process_*`` counters
    are not exported here: the serving process appends and handles nothing itself, so they
    would always be empty."""
    registry = CollectorRegistry(auto_describe=False)
    registry.register(RedisCollector(settings, client))
    for collector in (PROCESS_COLLECTOR, PLATFORM_COLLECTOR, GC_COLLECTOR):
        registry.register(collector)
    return generate_latest(registry), CONTENT_TYPE_LATEST
