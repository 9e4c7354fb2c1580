"""Stream retention: trim the event stream, never past what a consumer group still needs."""

from __future__ import annotations

import logging

import redis

from worker.errors import ConfigError
from worker.redisconn import to_str
from worker.store.groups import MAX_ID, GroupInfo, group_floor, group_info, parse_id
from worker.store.keys import Keys

log = logging.getLogger(__name__)


def safe_minid(client: redis.Redis, keys: Keys) -> str | None:
    """Lowest id some group still needs; None if no group exists (then nothing is trimmed)."""
    infos = group_info(client, keys.events, exact_lag=False)
    if not infos:
        return None
    return min((group_floor(i) for i in infos), key=parse_id)


def requested_minid(client: redis.Redis, keys: Keys, *, maxlen: int | None,
                    minid: str | None) -> str | None:
    """The id below which ``maxlen`` / ``minid`` ask to remove entries, before any group's
    needs are counted; None when they ask to remove nothing."""
    if maxlen is None and minid is None:
        raise ConfigError("trim: give --maxlen or --minid (or set stream_maxlen)")
    target = MAX_ID
    if minid is not None:
        want = minid if "-" in minid else f"{minid}-0"
        target = min(target, want, key=parse_id)
    if maxlen is not None:
        if client.xlen(keys.events) <= maxlen:
            return None
        # The oldest entry to keep: the maxlen-th from the end.
        kept = client.xrevrange(keys.events, "+", "-", count=maxlen) if maxlen else []
        want = to_str(kept[-1][0]) if kept else MAX_ID
        target = min(target, want, key=parse_id)
    return target


def holding_back(client: redis.Redis, keys: Keys, target: str) -> list[GroupInfo]:
    """Groups that still need entries below ``target`` (unacknowledged or not yet
    delivered), so a trim to ``target`` stops at the lowest of their floors."""
    return [i for i in group_info(client, keys.events, exact_lag=False)
            if parse_id(group_floor(i)) < parse_id(target)]


def trim(client: redis.Redis, keys: Keys, *, maxlen: int | None = None,
         minid: str | None = None) -> int:
    """Trim the event stream to ``maxlen`` entries / below ``minid``, never past what a group
    has not acknowledged (or not yet received). Returns entries removed."""
    wanted = requested_minid(client, keys, maxlen=maxlen, minid=minid)
    floor = safe_minid(client, keys)
    if floor is None:
        log.info("trim: no consumer groups, keeping everything")
        return 0
    if wanted is None:
        return 0
    target = min(floor, wanted, key=parse_id)
    removed = int(client.xtrim(keys.events, minid=target, approximate=False))
    if removed:
        log.info("trimmed %d entries below %s", removed, target)
    return removed
