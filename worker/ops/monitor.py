"""One snapshot of the whole system, read from Redis and the Celery workers.

``collect`` is what `newsworker status`, ``GET /v1/status``, the dashboard and ``/metrics``
show. Every figure is read at call time from Redis (and a broadcast to the workers), so it is
right whichever process asks. The result is plain JSON-able data.
"""

from __future__ import annotations

import logging
import time
from typing import Any

import redis

from worker.consumers.consumer import group_info
from worker.errors import EventDecodeError
from worker.events.models import decode
from worker.redisconn import connect
from worker.settings import Settings
from worker.store.keys import Keys

log = logging.getLogger(__name__)

# kombu's Redis transport keeps priorities 3/6/9 in sibling lists named queue + SEP + step.
PRIORITY_SEP = "\x06\x16"
PRIORITY_STEPS = ("", "3", "6", "9")
RATE_WINDOW_S = 300
RATE_SAMPLE = 200  # newest entries read to estimate the rate (bounds the bytes fetched)
RECENT = 5
MAX_FEEDS = 500


def _s(v: Any) -> str:
    return v.decode("utf-8", "replace") if isinstance(v, bytes) else ("" if v is None else str(v))


def _ms(entry_id: str) -> int:
    return int(entry_id.partition("-")[0])


def queue_keys(settings: Settings, queue: str) -> list[str]:
    """The broker lists holding ``queue``'s messages, one per priority step."""
    base = settings.celery_key_prefix + queue
    return [base + (PRIORITY_SEP + step if step else "") for step in PRIORITY_STEPS]


def queue_depths(broker: redis.Redis, settings: Settings) -> dict[str, int]:
    queues = [settings.ingest_queue, settings.feeds_queue]
    pipe = broker.pipeline(transaction=False)
    for q in queues:
        for key in queue_keys(settings, q):
            pipe.llen(key)
    lens = pipe.execute()
    n = len(PRIORITY_STEPS)
    return {q: sum(int(x) for x in lens[i * n:(i + 1) * n]) for i, q in enumerate(queues)}


def workers(app: Any, timeout_s: float) -> dict[str, Any]:
    """Live workers and their running tasks: one ``inspect().active()`` broadcast.

    A worker that answers is alive (the control channel is served even when every pool slot
    is busy), so one round trip gives both figures.
    """
    try:
        replies = app.control.inspect(timeout=timeout_s).active() or {}
    except Exception as exc:  # broker trouble: report it rather than fail the whole snapshot
        log.warning("inspecting workers failed: %s", exc)
        return {"live": 0, "active": 0, "names": [], "error": str(exc)}
    names = sorted(replies)
    active = sum(len(tasks or []) for tasks in replies.values())
    return {"live": len(names), "active": active, "names": names,
            "per_worker": {n: len(replies[n] or []) for n in names}}


def stream_stats(client: redis.Redis, key: str, now: float) -> dict[str, Any]:
    try:
        info = client.xinfo_stream(key)
    except redis.ResponseError:  # no stream yet
        return {"length": 0, "first_id": None, "last_id": None, "newest_age_s": None,
                "events_per_minute": 0.0}
    first = info.get("first-entry")
    last = info.get("last-entry")
    first_id = _s(first[0]) if first else None
    last_id = _s(last[0]) if last else None
    now_ms = int(now * 1000)
    cutoff = now_ms - RATE_WINDOW_S * 1000
    recent = client.xrevrange(key, "+", f"{cutoff}-0", count=RATE_SAMPLE)
    if len(recent) < RATE_SAMPLE:
        rate = len(recent) * 60 / RATE_WINDOW_S
    else:  # busier than the sample: rate over the time the sample spans
        span_ms = max(now_ms - _ms(_s(recent[-1][0])), 1000)
        rate = len(recent) * 60_000 / span_ms
    return {"length": int(info["length"]), "first_id": first_id, "last_id": last_id,
            "newest_age_s": round(max(now_ms - _ms(last_id), 0) / 1000, 3) if last_id else None,
            "events_per_minute": round(rate, 2)}


def _failure_row(eid: Any, fields: dict[Any, Any]) -> dict[str, Any]:
    try:
        ev = decode(eid, fields)
    except EventDecodeError as exc:
        return {"entry_id": _s(eid), "reason": str(exc), "code": "undecodable", "source": ""}
    data: Any = ev.data
    return {"entry_id": _s(eid), "reason": getattr(data, "reason", ""),
            "code": getattr(data, "code", ""), "source": ev.source.location}


def _dead_row(eid: Any, f: dict[Any, Any]) -> dict[str, Any]:
    g = {_s(k): _s(v) for k, v in f.items() if _s(k) != "body"}
    return {"id": _s(eid), "group": g.get("dlq_group", ""), "handler": g.get("dlq_handler", ""),
            "error": g.get("dlq_error", ""), "deliveries": int(g.get("dlq_deliveries") or 0),
            "entry_id": g.get("dlq_entry_id", ""), "type": g.get("type", ""),
            "article_id": g.get("article_id", ""), "at_ms": int(g.get("dlq_at") or 0)}


def counters(client: redis.Redis, keys: Keys) -> dict[str, dict[str, int]]:
    """The counters hash split by field prefix: appended:<type>, failures:<code>, ..."""
    out: dict[str, dict[str, int]] = {"appended": {}, "failures": {}, "feed_polls": {}}
    for k, v in client.hgetall(keys.counters).items():
        kind, _, label = _s(k).partition(":")
        try:
            out.setdefault(kind, {})[label] = int(_s(v))
        except ValueError:
            continue
    return out


def feeds(client: redis.Redis, keys: Keys) -> list[dict[str, Any]]:
    ids = sorted(_s(i) for i in client.smembers(keys.feeds_index))[:MAX_FEEDS]
    pipe = client.pipeline(transaction=False)
    for fid in ids:
        pipe.hgetall(keys.feed(fid))
    rows: list[dict[str, Any]] = []
    for fid, h in zip(ids, pipe.execute() if ids else [], strict=True):
        d = {_s(k): _s(v) for k, v in h.items()}
        rows.append({"id": fid, "url": d.get("url", ""),
                     "last_poll_at": float(d["last_poll_at"]) if d.get("last_poll_at") else None,
                     "last_result": d.get("last_result", ""),
                     "next_due_at": float(d["next_due_at"]) if d.get("next_due_at") else None,
                     "error_count": int(d.get("error_count") or 0),
                     "parked": d.get("parked", "0") == "1",
                     "parked_reason": d.get("parked_reason", ""),
                     "last_error": d.get("last_error", "")})
    rows.sort(key=lambda r: r["url"])
    return rows


def alerts(snapshot: dict[str, Any], settings: Settings) -> list[dict[str, Any]]:
    """Thresholds crossed: each alert names what, the figure and the limit."""
    out: list[dict[str, Any]] = []
    for g in snapshot["groups"]:
        if g["lag"] > settings.alert_max_lag:
            out.append({"kind": "lag", "subject": g["name"], "value": g["lag"],
                        "limit": settings.alert_max_lag,
                        "message": f"group {g['name']} lags {g['lag']} events "
                                   f"(limit {settings.alert_max_lag})"})
    dlq = snapshot["dead_letters"]["length"]
    if dlq > settings.alert_max_dlq:
        out.append({"kind": "dlq", "subject": "dead_letters", "value": dlq,
                    "limit": settings.alert_max_dlq,
                    "message": f"{dlq} dead letters (limit {settings.alert_max_dlq})"})
    if snapshot["workers"]["live"] == 0:
        err = snapshot["workers"].get("error")
        out.append({"kind": "workers", "subject": "workers", "value": 0, "limit": 1,
                    "message": "no live Celery worker" + (f" ({err})" if err else "")})
    return out


def collect(settings: Settings, *, app: Any = None, client: redis.Redis | None = None,
            broker: redis.Redis | None = None, include_workers: bool = True) -> dict[str, Any]:
    """A JSON-able snapshot: queues, workers, stream, groups, dead letters, failures, feeds,
    counters and the alerts raised. ``include_workers=False`` skips the broadcast (metrics)."""
    now = time.time()
    keys = Keys(settings.key_prefix)
    client = client or connect(settings.store_url)
    if broker is None:
        broker = client if settings.celery_broker == settings.store_url \
            else connect(settings.celery_broker)
    snap: dict[str, Any] = {"at": round(now, 3), "key_prefix": settings.key_prefix}
    snap["queues"] = queue_depths(broker, settings)
    snap["unacked"] = int(broker.hlen(settings.celery_key_prefix + "unacked"))
    # Journaled submissions no worker has received yet (queued, or lost and due a re-send).
    snap["journal_pending"] = int(broker.hlen(keys.journal("msg")))
    if include_workers:
        if app is None:
            from worker.tasks.app import make_app

            app = make_app(settings)
        snap["workers"] = workers(app, settings.worker_ping_timeout_s)
    else:
        snap["workers"] = {"live": None, "active": None, "names": []}
    snap["stream"] = stream_stats(client, keys.events, now)
    snap["groups"] = [
        {"name": g.name, "consumers": g.consumers, "pending": g.pending, "lag": g.lag,
         "last_delivered_id": g.last_delivered_id, "oldest_pending_id": g.oldest_pending_id,
         "oldest_pending_idle_ms": g.oldest_pending_idle_ms}
        for g in group_info(client, keys.events)]
    pipe = client.pipeline(transaction=False)
    pipe.xlen(keys.dead_letters)
    pipe.xrevrange(keys.dead_letters, count=RECENT)
    pipe.xlen(keys.failures)
    pipe.xrevrange(keys.failures, count=RECENT)
    dlq_len, dlq_recent, fail_len, fail_recent = pipe.execute()
    snap["dead_letters"] = {"length": int(dlq_len),
                            "recent": [_dead_row(e, f) for e, f in dlq_recent]}
    snap["counters"] = counters(client, keys)
    snap["failures"] = {"length": int(fail_len),
                        "recent": [_failure_row(e, f) for e, f in fail_recent],
                        "by_code": snap["counters"].get("failures", {})}
    snap["feeds"] = feeds(client, keys)
    snap["alerts"] = alerts(snap, settings) if include_workers else [
        a for a in alerts({**snap, "workers": {"live": 1}}, settings)]
    return snap


# --- terminal rendering (`newsworker status`) ------------------------------------------------
def _age(ts: float | None, now: float) -> str:
    if ts is None:
        return "-"
    d = now - ts
    return f"{d:.0f}s ago" if d >= 0 else f"in {-d:.0f}s"


def render(snap: dict[str, Any]) -> Any:
    """Rich tables for a snapshot (imported lazily: rich is only needed by the CLI)."""
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    now = snap["at"]
    parts: list[Any] = []
    w = snap["workers"]
    q = Table(title="Celery", title_justify="left")
    for col in ("queue", "depth"):
        q.add_column(col)
    for name, depth in snap["queues"].items():
        q.add_row(name, str(depth))
    q.add_row("(unacked, all queues)", str(snap["unacked"]))
    q.add_row("(submissions not yet received)", str(snap.get("journal_pending", 0)))
    q.add_row("live workers", str(w["live"]))
    q.add_row("active tasks", str(w["active"]))
    parts.append(q)
    s = snap["stream"]
    st = Table(title="Event stream", title_justify="left")
    for col in ("length", "first id", "last id", "newest age", "events/min (5 min)"):
        st.add_column(col)
    age = "-" if s["newest_age_s"] is None else f"{s['newest_age_s']:.1f}s"
    st.add_row(str(s["length"]), s["first_id"] or "-", s["last_id"] or "-", age,
               f"{s['events_per_minute']:.1f}")
    parts.append(st)
    g = Table(title="Consumer groups", title_justify="left")
    for col in ("group", "consumers", "pending", "lag", "oldest pending idle"):
        g.add_column(col)
    for row in snap["groups"]:
        idle = row["oldest_pending_idle_ms"]
        g.add_row(row["name"], str(row["consumers"]), str(row["pending"]), str(row["lag"]),
                  "-" if idle is None else f"{idle / 1000:.1f}s")
    parts.append(g)
    d = Table(title=f"Dead letters: {snap['dead_letters']['length']}  ·  "
                    f"ingestion failures: {snap['failures']['length']}", title_justify="left")
    for col in ("id", "group / source", "error / reason"):
        d.add_column(col, overflow="fold")
    for r in snap["dead_letters"]["recent"]:
        d.add_row(r["id"], r["group"], r["error"])
    for r in snap["failures"]["recent"]:
        d.add_row(r["entry_id"], r["source"], f"[{r['code']}] {r['reason']}")
    parts.append(d)
    if snap["feeds"]:
        f = Table(title="Feeds", title_justify="left")
        for col in ("url", "last poll", "result", "next due", "errors", "parked"):
            f.add_column(col, overflow="fold")
        for r in snap["feeds"]:
            f.add_row(r["url"], _age(r["last_poll_at"], now), r["last_result"],
                      _age(r["next_due_at"], now), str(r["error_count"]),
                      r["parked_reason"] or ("yes" if r["parked"] else ""))
        parts.append(f)
    if snap["alerts"]:
        parts.extend(Text(f"ALERT: {a['message']}", style="bold red") for a in snap["alerts"])
    else:
        parts.append(Text("no alerts", style="green"))
    return Group(*parts)


# --- Prometheus (`GET /metrics`) -------------------------------------------------------------
class RedisCollector:
    """Computes the cross-process figures from Redis at scrape time."""

    def __init__(self, settings: Settings, client: redis.Redis) -> None:
        self.settings, self.client = settings, client
        self.keys = Keys(settings.key_prefix)

    def describe(self) -> list[Any]:
        return []  # unchecked collector: families come from Redis at scrape time

    def collect(self) -> list[Any]:
        from prometheus_client.core import (
            CounterMetricFamily,
            GaugeMetricFamily,
            HistogramMetricFamily,
        )

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
        from worker.metrics import read_task_durations

        hist = HistogramMetricFamily("newsworker_task_duration_seconds",
                                     "Celery task wall time, all workers", labels=["task"])
        for task, (buckets, total, _n) in read_task_durations(c, keys).items():
            hist.add_metric([task], buckets=buckets, sum_value=total)
        families.append(hist)
        return families


def metrics_text(settings: Settings, client: redis.Redis) -> tuple[bytes, str]:
    """Exposition text: the Redis-wide figures (task durations of every worker included) plus
    this process's own registry (``newsworker_process_*``)."""
    from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, generate_latest

    import worker.metrics  # noqa: F401  (registers the in-process families)

    registry = CollectorRegistry(auto_describe=False)
    registry.register(RedisCollector(settings, client))
    return generate_latest(registry) + generate_latest(REGISTRY), CONTENT_TYPE_LATEST
