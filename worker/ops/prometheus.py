"""Prometheus exposition for ``GET /metrics``: the cross-process figures, computed from Redis
at scrape time (so they are right whichever process serves the scrape), plus this process's
own registry (``newsworker_process_*``)."""

from __future__ import annotations

import logging
from typing import Any

import redis
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, HistogramMetricFamily

from worker.metrics import read_task_durations
from worker.ops.monitor import counters, queue_depths
from worker.redisconn import connect
from worker.settings import Settings
from worker.store.groups import group_info
from worker.store.keys import Keys

log = logging.getLogger(__name__)

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
        for g in group_info(c, keys.events):
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
        for name, kind, label, doc in (
            ("newsworker_events_appended", "appended", "type", "Events appended, all processes"),
            ("newsworker_ingest_failures", "failures", "reason", "Inputs rejected, by code"),
            ("newsworker_feed_polls", "feed_polls", "result", "Feed polls, by result"),
        ):
            fam = CounterMetricFamily(name, doc, labels=[label])
            for lv, n in sorted(counts.get(kind, {}).items()):
                fam.add_metric([lv], n)
            families.append(fam)
        hist = HistogramMetricFamily("newsworker_task_duration_seconds",
                                     "Celery task wall time, all workers", labels=["task"])
        for task, (buckets, total, _n) in read_task_durations(c, keys).items():
            hist.add_metric([task], buckets=buckets, sum_value=total)
        families.append(hist)
        return families


def metrics_text(settings: Settings, client: redis.Redis) -> tuple[bytes, str]:
    """Exposition text: the Redis-wide figures (task durations of every worker included) plus
    this process's own registry (``newsworker_process_*``)."""
    registry = CollectorRegistry(auto_describe=False)
    registry.register(RedisCollector(settings, client))
    return generate_latest(registry) + generate_latest(REGISTRY), CONTENT_TYPE_LATEST
