"""One snapshot of the whole system, read from Redis and the Celery workers.

``collect`` returns the typed :class:`~worker.ops.snapshot.Snapshot` that `newsworker
status`, ``GET /v1/status``, the dashboard and the alerts show. Every figure is read at call
time from Redis (and a broadcast to the workers), so it is right whichever process asks.
"""

from __future__ import annotations

import logging
import time
from typing import Any

import redis

from worker.errors import EventDecodeError
from worker.events.codec import decode
from worker.ops.snapshot import (
    Alert,
    DeadLetterRow,
    DeadLetters,
    FailureRow,
    Failures,
    FeedRow,
    GroupRow,
    RedisHealth,
    Snapshot,
    StreamStats,
    Workers,
)
from worker.redisconn import connect, to_str
from worker.settings import Settings
from worker.store.eventstore import EventStore
from worker.store.groups import group_info
from worker.store.keys import Keys
from worker.store.peek import Peek, Peeked
from worker.tasks.broker import PRIORITY_STEPS, queue_keys, unacked_key

log = logging.getLogger(__name__)

RATE_WINDOW_S = 300
RATE_SAMPLE = 200  # newest entry ids walked to estimate the rate
# Bytes of entries the rate walk may pass over inside Redis (only ids come back): walking
# entries costs Redis ~2 ms per MB (measured: 10 entries of 9 MB in 180 ms), so a stream of
# huge articles costs one snapshot a few ms, not 200 entries' worth.
RATE_WALK_BYTES = 4 * 1024 * 1024
RECENT = 5
# Longest field value a recent dead letter or failure brings back whole: the rows show short
# fields (a failure's body is decoded only when it arrives whole), so 5 + 5 rows stay < 200 kB.
RECENT_VALUE_BYTES = 16 * 1024
MAX_FEEDS = 500
# A feed's last error and parked reason as the snapshot shows them: a server's error text can be
# long (an HTML error page, a long URL), and 500 feeds of it would bloat every status poll.
FEED_TEXT_CHARS = 300


def _ms(entry_id: str) -> int:
    return int(entry_id.partition("-")[0])


def queue_depths(broker: redis.Redis, settings: Settings) -> dict[str, int]:
    queues = [settings.ingest_queue, settings.feeds_queue]
    pipe = broker.pipeline(transaction=False)
    for q in queues:
        for key in queue_keys(settings, q):
            pipe.llen(key)
    lens = pipe.execute()
    n = len(PRIORITY_STEPS)
    return {q: sum(int(x) for x in lens[i * n:(i + 1) * n]) for i, q in enumerate(queues)}


def workers(app: Any, timeout_s: float) -> Workers:
    """Live workers and their running tasks: one ``inspect().active()`` broadcast.

    A worker that answers is alive (the control channel is served even when every pool slot
    is busy), so one round trip gives both figures.
    """
    try:
        replies = app.control.inspect(timeout=timeout_s).active() or {}
    except Exception as exc:  # broker trouble: report it rather than fail the whole snapshot
        log.warning("inspecting workers failed: %s", exc)
        return Workers(live=0, active=0, names=[], error=str(exc))
    names = sorted(replies)
    active = sum(len(tasks or []) for tasks in replies.values())
    return Workers(live=len(names), active=active, names=names,
                   per_worker={n: len(replies[n] or []) for n in names})


def stream_stats(client: redis.Redis, key: str, now: float) -> StreamStats:
    """Length, first/last id, age and rate, from entry ids only: the walks return ids and
    sizes, never values (a status snapshot of ten 9 MB articles reads a few kB)."""
    peek = Peek(client)
    length = int(client.xlen(key))
    first = peek.walk(key, count=1).entries
    now_ms = int(now * 1000)
    cutoff = now_ms - RATE_WINDOW_S * 1000
    recent = peek.walk(key, newest_first=True, stop=f"{cutoff}-0", count=RATE_SAMPLE,
                       walk_bytes=RATE_WALK_BYTES)
    last = recent.entries[:1] or peek.walk(key, newest_first=True, count=1).entries
    n = len(recent.entries)
    if n < RATE_SAMPLE and not recent.stopped:
        rate = n * 60 / RATE_WINDOW_S
    else:  # busier than the sample (or its entries are large): rate over the time it spans
        span_ms = max(now_ms - _ms(recent.entries[-1].entry_id), 1000)
        rate = n * 60_000 / span_ms
    first_id = first[0].entry_id if first else None
    last_id = last[0].entry_id if last else None
    return StreamStats(
        length=length, first_id=first_id, last_id=last_id,
        newest_age_s=round(max(now_ms - _ms(last_id), 0) / 1000, 3) if last_id else None,
        events_per_minute=round(rate, 2))


def failure_row(entry: Peeked) -> FailureRow:
    body = entry.whole("body")
    if body is None:  # cut on the way out of Redis: say so rather than read it whole
        return FailureRow(entry_id=entry.entry_id, code="too_large", source="",
                          reason=f"entry of {entry.size_bytes} bytes not shown")
    try:
        ev = decode(entry.entry_id, {k.encode(): v for k, v in entry.fields.items()})
    except EventDecodeError as exc:
        return FailureRow(entry_id=entry.entry_id, reason=str(exc), code="undecodable",
                          source="")
    data: Any = ev.data
    return FailureRow(entry_id=entry.entry_id, reason=getattr(data, "reason", ""),
                      code=getattr(data, "code", ""), source=ev.source.location)


def dead_letter_row(entry: Peeked) -> DeadLetterRow:
    g = {k: to_str(v) for k, v in entry.fields.items() if k != "body"}
    return DeadLetterRow(
        id=entry.entry_id, group=g.get("dlq_group", ""), handler=g.get("dlq_handler", ""),
        error=g.get("dlq_error", ""), deliveries=int(g.get("dlq_deliveries") or 0),
        entry_id=g.get("dlq_entry_id", ""), type=g.get("type", ""),
        article_id=g.get("article_id", ""), at_ms=int(g.get("dlq_at") or 0))


def counters(client: redis.Redis, keys: Keys) -> dict[str, dict[str, int]]:
    """The counters hash split by field prefix: appended:<type>, failures:<code>, ..."""
    out: dict[str, dict[str, int]] = {"appended": {}, "failures": {}, "feed_polls": {}}
    for k, v in client.hgetall(keys.counters).items():
        kind, _, label = to_str(k).partition(":")
        try:
            out.setdefault(kind, {})[label] = int(to_str(v))
        except ValueError:
            continue
    return out


def clip(text: str, limit: int = FEED_TEXT_CHARS) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "\u2026"


def feeds(client: redis.Redis, keys: Keys) -> list[FeedRow]:
    ids = sorted(to_str(i) for i in client.smembers(keys.feeds_index))[:MAX_FEEDS]
    pipe = client.pipeline(transaction=False)
    for fid in ids:
        pipe.hgetall(keys.feed(fid))
    rows: list[FeedRow] = []
    for fid, h in zip(ids, pipe.execute() if ids else [], strict=True):
        d = {to_str(k): to_str(v) for k, v in h.items()}
        rows.append(FeedRow(
            id=fid, url=d.get("url", ""),
            last_poll_at=float(d["last_poll_at"]) if d.get("last_poll_at") else None,
            last_result=d.get("last_result", ""),
            next_due_at=float(d["next_due_at"]) if d.get("next_due_at") else None,
            error_count=int(d.get("error_count") or 0), parked=d.get("parked", "0") == "1",
            parked_reason=clip(d.get("parked_reason", "")),
            last_error=clip(d.get("last_error", ""))))
    rows.sort(key=lambda r: r.url)
    return rows


def redis_health(client: redis.Redis) -> RedisHealth | None:
    """INFO, not CONFIG GET: managed Redis services often rename or disable CONFIG."""
    try:
        info = {**client.info("server"), **client.info("memory"), **client.info("persistence")}
    except redis.ResponseError as exc:
        log.warning("redis INFO unavailable: %s", exc)
        return None
    return RedisHealth(version=str(info.get("redis_version", "?")),
                       used_memory_bytes=int(info.get("used_memory", 0)),
                       maxmemory_bytes=int(info.get("maxmemory", 0)),
                       maxmemory_policy=str(info.get("maxmemory_policy", "?")),
                       aof_enabled=bool(int(info.get("aof_enabled", 0))))


def redis_alerts(health: RedisHealth | None, settings: Settings) -> list[Alert]:
    """The store's requirements (docs/deploy.md): never evict, persist every write, room left."""
    if health is None:
        return []
    out: list[Alert] = []
    if health.maxmemory_policy != "noeviction":
        out.append(Alert(kind="redis", subject="maxmemory_policy", value=0, limit=0,
                         message=f"Redis maxmemory-policy is {health.maxmemory_policy}: it can "
                                 "evict events (set noeviction)"))
    if settings.alert_redis_aof and not health.aof_enabled:
        out.append(Alert(kind="redis", subject="appendonly", value=0, limit=1,
                         message="Redis runs without append-only persistence (appendonly no): "
                                 "a restart loses recent events"))
    if health.maxmemory_bytes:
        pct = 100 * health.used_memory_bytes / health.maxmemory_bytes
        if pct > settings.alert_max_memory_pct:
            out.append(Alert(kind="redis", subject="used_memory", value=round(pct),
                             limit=round(settings.alert_max_memory_pct),
                             message=f"Redis uses {pct:.0f}% of maxmemory "
                                     f"(limit {settings.alert_max_memory_pct:g}%)"))
    return out


def alerts(groups: list[GroupRow], dead_letters: int, live_workers: int | None,
           worker_error: str | None, settings: Settings) -> list[Alert]:
    """Thresholds crossed: each alert names what, the figure and the limit.
    ``live_workers=None`` (workers not asked) raises no worker alert."""
    out: list[Alert] = []
    for g in groups:
        if g.lag > settings.alert_max_lag:
            out.append(Alert(kind="lag", subject=g.name, value=g.lag,
                             limit=settings.alert_max_lag,
                             message=f"group {g.name} lags {'at least ' if g.lag_capped else ''}"
                                     f"{g.lag} events "
                                     f"(limit {settings.alert_max_lag})"))
    if dead_letters > settings.alert_max_dlq:
        out.append(Alert(kind="dlq", subject="dead_letters", value=dead_letters,
                         limit=settings.alert_max_dlq,
                         message=f"{dead_letters} dead letters (limit {settings.alert_max_dlq})"))
    if live_workers == 0:
        out.append(Alert(kind="workers", subject="workers", value=0, limit=1,
                         message="no live Celery worker"
                         + (f" ({worker_error})" if worker_error else "")))
    return out


def collect(settings: Settings, *, app: Any = None, client: redis.Redis | None = None,
            broker: redis.Redis | None = None, include_workers: bool = True) -> Snapshot:
    """The snapshot: queues, workers, stream, groups, dead letters, failures, feeds, counters
    and the alerts raised. ``include_workers=False`` skips the broadcast (metrics)."""
    now = time.time()
    if client is None:
        client = EventStore.from_settings(settings).redis
    keys = Keys(settings.key_prefix)
    if broker is None:
        broker = client if settings.celery_broker == settings.store_url \
            else connect(settings.celery_broker)
    queues = queue_depths(broker, settings)
    unacked = int(broker.hlen(unacked_key(settings)))
    # Ledgered submissions no worker has received yet (queued, or lost and due a re-send).
    journal_pending = int(broker.hlen(keys.journal("msg")))
    if include_workers:
        if app is None:
            from worker.tasks.app import create_app  # the broadcast needs a Celery client

            app = create_app(settings)
        live = workers(app, settings.worker_ping_timeout_s)
    else:
        live = Workers(live=None, active=None, names=[])
    groups = [GroupRow(name=g.name, consumers=g.consumers, pending=g.pending, lag=g.lag,
                       lag_capped=not g.lag_exact, last_delivered_id=g.last_delivered_id,
                       oldest_pending_id=g.oldest_pending_id,
                       oldest_pending_idle_ms=g.oldest_pending_idle_ms)
              for g in group_info(client, keys.events, lag_cap=settings.alert_max_lag + 1)]
    pipe = client.pipeline(transaction=False)
    pipe.xlen(keys.dead_letters)
    pipe.xlen(keys.failures)
    dlq_len, fail_len = pipe.execute()
    peek = Peek(client)
    dlq_recent = peek.walk(keys.dead_letters, newest_first=True, count=RECENT,
                           value_bytes=RECENT_VALUE_BYTES).entries
    fail_recent = peek.walk(keys.failures, newest_first=True, count=RECENT,
                            value_bytes=RECENT_VALUE_BYTES).entries
    counts = counters(client, keys)
    health = redis_health(client)
    return Snapshot(
        at=round(now, 3), key_prefix=settings.key_prefix, queues=queues, unacked=unacked,
        journal_pending=journal_pending, workers=live,
        stream=stream_stats(client, keys.events, now), groups=groups,
        dead_letters=DeadLetters(length=int(dlq_len),
                                 recent=[dead_letter_row(e) for e in dlq_recent]),
        counters=counts,
        failures=Failures(length=int(fail_len),
                          recent=[failure_row(e) for e in fail_recent],
                          by_code=counts.get("failures", {})),
        feeds=feeds(client, keys), redis=health,
        alerts=alerts(groups, int(dlq_len), live.live, live.error, settings)
        + redis_alerts(health, settings))
