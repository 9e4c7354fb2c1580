"""Time-based retention: the stream, the catalog and the per-article state (``retention_s``).

One pass, run by the consumers (see ``Consumer.maintain``), every ``max(claim_idle_s, 1)`` s,
by one consumer at a time (a lock):

1. The cut: entries older than ``retention_s``, and never one a consumer group still needs
   (unacknowledged or not yet delivered: :func:`worker.store.retention.safe_minid`). No group:
   nothing is cut, as with ``trim``.
2. Below the cut, page by page inside Redis (``expire.lua``): each article whose *latest*
   event is below it is forgotten: its catalog document and history index go, and its state
   hash keeps only what dedupe and versioning read (version, content hash, origin). The
   entries' bodies never leave Redis.
3. The cut entries are trimmed (:func:`worker.store.retention.trim`); so is the
   ``ingestion.failed`` stream, by the same time and its own groups.

An article is forgotten only after every group has acknowledged its latest event, so no
consumer can bring its catalog document back. Re-ingesting a forgotten article: the same
content is ``unchanged`` (nothing appended, no entry id to report); changed content appends
``article.revised`` with the next version, without ``changes`` (the previous text is gone
from Redis; the archive has it), and the article is current again. Each pass handles at most
``MAX_PER_PASS`` entries, so a first pass over a long backlog never stalls a consumer.
"""

from __future__ import annotations

import logging
import time
import uuid
from dataclasses import dataclass

import redis

from worker.redisconn import to_str
from worker.store import lua
from worker.store.groups import id_after, parse_id
from worker.store.keys import Keys
from worker.store.retention import safe_minid, trim, trim_before

log = logging.getLogger(__name__)

PAGE = 200  # entries per expire.lua call: a few ms of Redis time each (bodies of ~5 KB)
MAX_PER_PASS = 20_000  # entries per pass: 20 articles/s over a 60 s maintenance interval
# is 1,200, so one pass keeps up with ample room and a backlog drains in steps
LOCK_TTL_S = 300  # a crashed pass frees the lock after this long


@dataclass(frozen=True, slots=True)
class Expired:
    entries_read: int = 0
    articles_forgotten: int = 0
    trimmed: int = 0
    failures_trimmed: int = 0
    cut: str | None = None  # entries below this id were due to go; None: nothing was


def cutoff_id(retention_s: float, now_ms: int | None = None) -> str:
    """The smallest id retention keeps: entries appended ``retention_s`` ago or later."""
    now = int(time.time() * 1000) if now_ms is None else now_ms
    return f"{max(0, now - int(retention_s * 1000))}-0"


def expire(client: redis.Redis, keys: Keys, *, retention_s: float,
           now_ms: int | None = None, max_entries: int = MAX_PER_PASS,
           page: int = PAGE) -> Expired:
    """One retention pass (module docstring). Safe to repeat and to run beside appends and
    consumers; runs only when no other process holds the pass's lock."""
    token = uuid.uuid4().hex
    if not client.set(keys.retention_lock, token, nx=True, ex=LOCK_TTL_S):
        return Expired()
    try:
        return _pass(client, keys, cutoff_id(retention_s, now_ms), max_entries, page)
    finally:
        if to_str(client.get(keys.retention_lock) or b"") == token:
            client.delete(keys.retention_lock)


def _pass(client: redis.Redis, keys: Keys, cutoff: str, max_entries: int,
          page: int) -> Expired:
    failures_trimmed = _trim_failures(client, keys, cutoff)
    floor = safe_minid(client, keys)
    if floor is None:
        return Expired(failures_trimmed=failures_trimmed)
    cut = min(cutoff, floor, key=parse_id)
    script = client.register_script(lua.source("expire.lua"))
    read = forgot = 0
    start, last = "-", None
    while read < max_entries:
        n, k, eid = script(keys=[keys.events, keys.catalog("articles"),
                                 keys.catalog("by_published")],
                           args=[start, "(" + cut, min(page, max_entries - read),
                                 keys.article(""), keys.history(""), keys.catalog("by_source:"),
                                 keys.versions("")])
        read, forgot = read + int(n), forgot + int(k)
        if not int(n):
            break
        last = to_str(eid)
        start = "(" + last
    # Stopped early: trim only what was read, the rest waits for the next pass.
    upto = cut if read < max_entries or last is None else id_after(last)
    trimmed = trim(client, keys, minid=upto) if read else 0
    if read:
        log.info("retention: read %d entries below %s, forgot %d articles, trimmed %d",
                 read, upto, forgot, trimmed)
    return Expired(entries_read=read, articles_forgotten=forgot, trimmed=trimmed,
                   failures_trimmed=failures_trimmed, cut=cut)


def _trim_failures(client: redis.Redis, keys: Keys, cutoff: str) -> int:
    """``ingestion.failed`` entries older than the cutoff, never past a group reading them
    (none by default: then they simply age out)."""
    return trim_before(client, keys.failures, cutoff)
