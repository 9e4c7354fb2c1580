"""Consumer-group facts: stream ids, group creation, pending and lag (Redis 6.2 and 7).

XINFO GROUPS reports ``lag`` only on Redis >= 7 (and not after XDEL/SETID); where it is
missing we count the entries after the group's last-delivered id ourselves.
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass

import redis

from worker.redisconn import to_str

MAX_SEQ = 18446744073709551615  # 2**64 - 1, the largest part (ms or sequence) of a stream id
MAX_ID = f"{MAX_SEQ}-{MAX_SEQ}"  # the largest stream id


# --- stream ids ------------------------------------------------------------------------------
def parse_id(entry_id: str) -> tuple[int, int]:
    ms, _, seq = entry_id.partition("-")
    return int(ms), int(seq or 0)


def id_after(entry_id: str) -> str:
    """The smallest id greater than ``entry_id``."""
    ms, seq = parse_id(entry_id)
    return f"{ms + 1}-0" if seq == MAX_SEQ else f"{ms}-{seq + 1}"


def id_before(entry_id: str) -> str:
    """The largest id smaller than ``entry_id`` (``0-0`` stays ``0-0``)."""
    ms, seq = parse_id(entry_id)
    if seq > 0:
        return f"{ms}-{seq - 1}"
    return f"{ms - 1}-{MAX_SEQ}" if ms > 0 else "0-0"


def default_consumer_name() -> str:
    return f"{socket.gethostname()}-{os.getpid()}"


def ensure_group(client: redis.Redis, stream: str, group: str, start_id: str = "0") -> bool:
    """Create ``group`` on ``stream`` (and the stream) if missing. New groups read from 0."""
    try:
        client.xgroup_create(stream, group, id=start_id, mkstream=True)
        return True
    except redis.ResponseError as exc:
        if "BUSYGROUP" in str(exc):
            return False
        raise


# --- group introspection (also used by monitoring) -------------------------------------------
@dataclass(frozen=True)
class GroupInfo:
    name: str
    consumers: int
    pending: int
    last_delivered_id: str
    lag: int
    oldest_pending_id: str | None
    oldest_pending_idle_ms: int | None


def count_after(client: redis.Redis, stream: str, entry_id: str, page: int = 1000) -> int:
    """Exact number of entries with id > ``entry_id`` (paged XRANGE; Redis 6.2 has no lag)."""
    total, cursor = 0, "(" + entry_id
    while True:
        rows = client.xrange(stream, cursor, "+", count=page)
        total += len(rows)
        if len(rows) < page:
            return total
        cursor = "(" + to_str(rows[-1][0])


def group_info(client: redis.Redis, stream: str, group_name: str | None = None, *,
               exact_lag: bool = True) -> list[GroupInfo]:
    """Name, consumers, pending, last-delivered id, lag and oldest pending entry per group.

    Lag comes from XINFO GROUPS on Redis >= 7; where Redis cannot tell (6.2, or after
    XDEL/SETID) it is counted with XRANGE, which is O(lag) — ``exact_lag=False`` skips that
    and reports -1 instead.
    """
    try:
        groups = client.xinfo_groups(stream)
    except redis.ResponseError:  # no such stream yet
        return []
    out = []
    for g in groups:
        name = to_str(g["name"])
        if group_name is not None and name != group_name:
            continue
        last = to_str(g["last-delivered-id"])
        lag = g.get("lag")  # Redis >= 7; None there too when unknowable (after XDEL/SETID)
        if lag is None:
            lag = count_after(client, stream, last) if exact_lag else -1
        oldest_id: str | None = None
        idle: int | None = None
        if int(g["pending"]):
            rows = client.xpending_range(stream, name, "-", "+", 1)
            if rows:
                oldest_id = to_str(rows[0]["message_id"])
                idle = int(rows[0]["time_since_delivered"])
        out.append(GroupInfo(name=name, consumers=int(g["consumers"]), pending=int(g["pending"]),
                             last_delivered_id=last, lag=int(lag), oldest_pending_id=oldest_id,
                             oldest_pending_idle_ms=idle))
    return out


def group_floor(info: GroupInfo) -> str:
    """Every entry below this id is acknowledged by the group (safe to forget or trim)."""
    after_last = id_after(info.last_delivered_id)
    oldest = info.oldest_pending_id
    if oldest is not None and parse_id(oldest) < parse_id(after_last):
        return oldest
    return after_last
