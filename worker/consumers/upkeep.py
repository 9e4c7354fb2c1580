"""A consumer's housekeeping between batches: the processed-marker window, retention, and
counts that had no ack to ride on. Kept apart from the delivery loop in ``consumer``."""

from __future__ import annotations

import logging
from collections.abc import Sequence

import redis

from worker.consumers.handler import Handler
from worker.consumers.hooks import ConsumerHooks
from worker.redisconn import to_str
from worker.settings import Settings
from worker.store.expiry import expire
from worker.store.groups import group_floor, group_info, parse_id
from worker.store.keys import Keys
from worker.store.retention import trim

log = logging.getLogger(__name__)


def maintain(client: redis.Redis, keys: Keys, settings: Settings, *, stream: str,
             group: str, consumer: str, handler: Handler | None = None) -> None:
    """Trim the group's processed set to the in-flight window; apply ``retention_s`` (then
    the handler's own: ``Handler.maintain``) and ``stream_maxlen`` if set. Run by consumers,
    not beat: consumers run wherever there are groups (beat runs only for scheduled feeds),
    and retention never passes a group anyway."""
    try:
        infos = group_info(client, stream, group, exact_lag=False)
        if infos:
            floor_ms = parse_id(group_floor(infos[0]))[0]
            client.zremrangebyscore(keys.processed(group), "-inf", f"({floor_ms}")
        if settings.retention_s:
            expire(client, keys, retention_s=settings.retention_s)
        if handler is not None:
            handler.maintain()
        if settings.stream_maxlen:
            trim(client, keys, maxlen=settings.stream_maxlen)
    except redis.RedisError as exc:  # housekeeping must not stop consumption
        log.warning("consumer %s: housekeeping failed: %s", consumer, exc)


def write_counts(client: redis.Redis, hooks: ConsumerHooks, consumer: str) -> None:
    """Write what the hooks still hold (counts of batches that had nothing to ack)."""
    pipe = client.pipeline(transaction=False)
    hooks.write(pipe)
    if len(pipe):
        try:
            pipe.execute(raise_on_error=False)
        except redis.RedisError as exc:  # a lost count must never fail a delivery
            log.debug("consumer %s: counts not written: %s", consumer, exc)


def ack_vanished(client: redis.Redis, stream: str, group: str, consumer: str,
                 count: int) -> None:
    """Acknowledge ``consumer``'s pending entries that were deleted from the stream (Redis
    6.2's XAUTOCLAIM returns them as nils and keeps them pending; 7 drops them)."""
    rows = client.xpending_range(stream, group, "-", "+", count, consumername=consumer)
    ids = [r["message_id"] for r in rows]
    pipe = client.pipeline(transaction=False)
    for i in ids:
        pipe.xrange(stream, i, i)
    gone = [i for i, found in zip(ids, pipe.execute(), strict=True) if not found]
    if gone:
        log.info("consumer %s: acking %d deleted pending entries", consumer, len(gone))
        client.xack(stream, group, *gone)


def delivery_counts(client: redis.Redis, stream: str, group: str,
                    ids: Sequence[bytes]) -> dict[str, int]:
    """Times each of ``ids`` was delivered in ``group``, by entry id."""
    # One exact lookup per id (pipelined): a range query could be crowded out by others.
    pipe = client.pipeline(transaction=False)
    for i in ids:
        pipe.xpending_range(stream, group, i, i, 1)
    out: dict[str, int] = {}
    for rows in pipe.execute():
        for r in rows:
            out[to_str(r["message_id"])] = int(r["times_delivered"])
    return out
