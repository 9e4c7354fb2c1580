"""Operating the stream: replay a group; dead letters (their format, list/retry/purge).

- ``replay(group, from)``: XGROUP SETID to just before ``from`` (an entry id, ``0``, or an
  ISO-8601 time) and drop the group's processed markers from there, so the handler really sees
  those events again. Safe because handlers are idempotent (archive by event id, catalog by
  version; webhook receivers dedupe on X-Newsworker-Event-Id).
- dead letters: ``retry`` gives an entry back to *its* group only: XCLAIM ... FORCE puts the
  original entry back into that group's pending list (owned by the placeholder consumer
  ``dlq-retry``, already idle, so the next XAUTOCLAIM of a live consumer takes it). If the
  original was trimmed away, a copy is appended with ``retry_group=<group>``; other groups
  acknowledge such copies without handling them, and the archive dedupes by event id anyway.

Trimming the stream safely is :func:`worker.store.retention.trim`.
"""

from __future__ import annotations

import logging
import re
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import redis

from worker.errors import ConfigError, StoreError
from worker.redisconn import to_str
from worker.store.groups import group_info, id_before, parse_id
from worker.store.keys import Keys
from worker.store.peek import Peek

log = logging.getLogger(__name__)

RETRY_CONSUMER = "dlq-retry"
DLQ_PAGE = 500  # dead letters per peek walk
DLQ_VALUE_BYTES = 16 * 1024  # longest field value `dlq list` brings back whole
RETRY_GROUP_FIELD = b"retry_group"  # on a `dlq retry` copy: only this group handles it
_ID = re.compile(r"^\d+(-\d+)?$")

def position_before(start: str) -> str:
    """The SETID position so that ``start`` (entry id, 0, or ISO-8601 time) is read next."""
    if start in ("0", "0-0", "-"):
        return "0-0"
    if _ID.match(start):
        return id_before(start if "-" in start else f"{start}-0")
    try:
        when = datetime.fromisoformat(start.replace("Z", "+00:00"))
    except ValueError:
        raise ConfigError(f"--from {start!r}: expected an entry id, 0, or an ISO-8601 time") \
            from None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return id_before(f"{int(when.timestamp() * 1000)}-0")


def replay(client: redis.Redis, keys: Keys, group: str, start: str) -> str:
    """Rewind ``group`` so entries from ``start`` on are delivered again. Returns the position."""
    if not any(g.name == group for g in group_info(client, keys.events, exact_lag=False)):
        raise StoreError(f"no consumer group {group!r} on {keys.events}")
    pos = position_before(start)
    pipe = client.pipeline(transaction=True)
    pipe.xgroup_setid(keys.events, group, pos)
    # Markers scored from the replay point on would make consumers skip the replay.
    pipe.zremrangebyscore(keys.processed(group), parse_id(pos)[0], "+inf")
    pipe.execute()
    log.info("group %s rewound to %s", group, pos)
    return pos


# --- dead letters ------------------------------------------------------------------------------
def dead_letter_entry(entry_id: bytes, fields: dict[bytes, bytes], *, group: str, handler: str,
                      error: str, deliveries: int, stream: str) -> dict[bytes, bytes]:
    """The dead-letter stream entry for a stream entry: its fields plus ``dlq_*`` facts."""
    extra = {
        b"dlq_entry_id": entry_id, b"dlq_group": group.encode(),
        b"dlq_handler": handler.encode(), b"dlq_error": error[:2000].encode(),
        b"dlq_deliveries": str(deliveries).encode(),
        b"dlq_at": str(int(time.time() * 1000)).encode(),
        b"dlq_stream": stream.encode(),
    }
    return {**{k: v for k, v in fields.items() if k != RETRY_GROUP_FIELD}, **extra}


@dataclass(frozen=True)
class DeadLetter:
    id: str
    group: str
    handler: str
    error: str
    deliveries: int
    entry_id: str
    stream: str
    type: str
    event_id: str
    at_ms: int
    fields: dict[bytes, bytes]

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "group": self.group, "handler": self.handler, "error": self.error,
                "deliveries": self.deliveries, "entry_id": self.entry_id, "type": self.type,
                "event_id": self.event_id, "at_ms": self.at_ms}


def _dead_letter(eid: Any, f: dict[bytes, bytes]) -> DeadLetter:
    def g(name: str) -> str:
        return to_str(f.get(name.encode(), b""))
    return DeadLetter(id=to_str(eid), group=g("dlq_group"), handler=g("dlq_handler"),
                      error=g("dlq_error"), deliveries=int(g("dlq_deliveries") or 0),
                      entry_id=g("dlq_entry_id"), stream=g("dlq_stream"), type=g("type"),
                      event_id=g("event_id"), at_ms=int(g("dlq_at") or 0), fields=f)


def dlq_list(client: redis.Redis, keys: Keys, *, group: str | None = None,
             ids: list[str] | None = None, limit: int | None = None) -> list[DeadLetter]:
    """Dead letters, oldest first. Read through peek.lua with every value cut at
    ``DLQ_VALUE_BYTES`` (a dead letter carries its event's body, which may be megabytes):
    ``fields`` holds the cut values; `dlq retry` reads the one it copies whole."""
    out: list[DeadLetter] = []
    peek = Peek(client)
    cursor = "-"
    while True:
        walk = peek.walk(keys.dead_letters, start=cursor, count=DLQ_PAGE,
                         value_bytes=DLQ_VALUE_BYTES)
        for e in walk.entries:
            d = _dead_letter(e.entry_id, {k.encode(): v for k, v in e.fields.items()})
            if (group and d.group != group) or (ids and d.id not in ids):
                continue
            out.append(d)
            if limit and len(out) >= limit:
                return out
        if len(walk.entries) < DLQ_PAGE:
            return out
        cursor = "(" + walk.entries[-1].entry_id


def dlq_retry(client: redis.Redis, keys: Keys, *, group: str | None = None,
              ids: list[str] | None = None) -> list[tuple[DeadLetter, str]]:
    """Hand dead letters back to their group; returns (letter, "pending"|"copied")."""
    done = []
    for d in dlq_list(client, keys, group=group, ids=ids):
        stream = d.stream or keys.events
        pipe = client.pipeline(transaction=True)
        if Peek(client).walk(stream, start=d.entry_id, stop=d.entry_id, count=1).entries:
            # Huge IDLE: claimable at once by any live consumer; RETRYCOUNT 0: a fresh budget.
            pipe.xclaim(stream, d.group, RETRY_CONSUMER, 0, [d.entry_id], idle=2**40,
                        retrycount=0, force=True, justid=True)
            how = "pending"
        else:
            whole = client.xrange(keys.dead_letters, d.id, d.id)  # the listing cut its values
            if not whole:
                continue  # purged or retried meanwhile
            fields = {k: v for k, v in whole[0][1].items() if not k.startswith(b"dlq_")}
            fields[RETRY_GROUP_FIELD] = d.group.encode()
            pipe.xadd(stream, fields)
            how = "copied"
        pipe.xdel(keys.dead_letters, d.id)
        pipe.execute()
        log.info("dead letter %s (entry %s) back to group %s: %s", d.id, d.entry_id, d.group, how)
        done.append((d, how))
    return done


def dlq_purge(client: redis.Redis, keys: Keys, *, group: str | None = None,
              ids: list[str] | None = None) -> int:
    letters = dlq_list(client, keys, group=group, ids=ids)
    if not letters:
        return 0
    return int(client.xdel(keys.dead_letters, *[d.id for d in letters]))
