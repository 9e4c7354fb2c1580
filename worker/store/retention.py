"""Stream retention: trim the event stream, never past what a consumer group still needs.

Every step costs what it removes, not what the stream keeps: the cut is found from entry ids
and group positions (counted inside Redis, only ids come back), never by reading the kept
entries. Consumers apply ``stream_maxlen`` this way every ``max(claim_idle_s, 1)`` s.
"""

from __future__ import annotations

import logging

import redis

from worker.errors import ConfigError
from worker.store.groups import GroupInfo, count_range, group_floor, group_info, id_after, parse_id
from worker.store.keys import Keys

log = logging.getLogger(__name__)

# The common case in one atomic step: no group needs anything at or after ARGV[2] (all are
# past the stream's end), so MAXLEN can go straight ahead; appends meanwhile cannot slip in
# between the check and the trim. Returns -1 when some group's floor lies inside the stream.
TRIM_MAXLEN_LUA = """
if redis.call('XLEN', KEYS[1]) <= tonumber(ARGV[1]) then return 0 end
if #redis.call('XRANGE', KEYS[1], ARGV[2], '+', 'COUNT', 1) > 0 then return -1 end
return redis.call('XTRIM', KEYS[1], 'MAXLEN', '=', ARGV[1])
"""


def full_id(entry_id: str) -> str:
    return entry_id if "-" in entry_id else f"{entry_id}-0"


def safe_minid(client: redis.Redis, keys: Keys) -> str | None:
    """Lowest id some group still needs; None if no group exists (then nothing is trimmed)."""
    infos = group_info(client, keys.events, exact_lag=False)
    if not infos:
        return None
    return min((group_floor(i) for i in infos), key=parse_id)


def trim_before(client: redis.Redis, stream: str, minid: str) -> int:
    """Remove ``stream``'s entries below ``minid``, never one a group of that stream still
    needs. With no group all of them go: for side streams (failures, story events) whose
    groups are optional, unlike the event stream (``trim``). Returns entries removed."""
    floors = [group_floor(i) for i in group_info(client, stream, exact_lag=False)]
    cut = min([full_id(minid), *floors], key=parse_id)
    return int(client.xtrim(stream, minid=cut, approximate=False))


def trim_to_maxlen(client: redis.Redis, stream: str, maxlen: int, floor: str) -> int:
    """Remove the oldest entries beyond ``maxlen``, none at or above ``floor``. O(removed):
    only the entries below the cut are counted (in Redis), the kept ones are never read."""
    done = int(client.register_script(TRIM_MAXLEN_LUA)(keys=[stream], args=[maxlen, floor]))
    if done >= 0:
        return done
    excess = int(client.xlen(stream)) - maxlen
    if excess <= 0:
        return 0
    below, last = count_range(client, stream, "-", "(" + floor, excess)
    if not below or last is None:
        return 0
    # Remove by MINID with the cut found: exact ids, so appends meanwhile change nothing.
    cut = floor if below < excess else id_after(last)
    return int(client.xtrim(stream, minid=cut, approximate=False))


def trim(client: redis.Redis, keys: Keys, *, maxlen: int | None = None,
         minid: str | None = None) -> int:
    """Trim the event stream to ``maxlen`` entries / below ``minid``, never past what a group
    has not acknowledged (or not yet received). Returns entries removed."""
    if maxlen is None and minid is None:
        raise ConfigError("trim: give --maxlen or --minid (or set stream_maxlen)")
    floor = safe_minid(client, keys)
    if floor is None:
        log.info("trim: no consumer groups, keeping everything")
        return 0
    removed = 0
    if minid is not None:
        target = min(floor, full_id(minid), key=parse_id)
        removed += int(client.xtrim(keys.events, minid=target, approximate=False))
    if maxlen is not None:
        removed += trim_to_maxlen(client, keys.events, maxlen, floor)
    if removed:
        log.info("trimmed %d entries", removed)
    return removed


def holding_back(client: redis.Redis, keys: Keys, *, maxlen: int | None,
                 minid: str | None) -> list[GroupInfo]:
    """Groups that keep entries ``maxlen`` / ``minid`` ask to remove (unacknowledged or not
    yet delivered). Counts only below the group floors, at most the entries still wanted
    gone, a page at a time inside Redis."""
    infos = sorted(group_info(client, keys.events, exact_lag=False),
                   key=lambda i: parse_id(group_floor(i)))
    held: list[GroupInfo] = []
    if minid is not None:
        held = [i for i in infos if parse_id(group_floor(i)) < parse_id(full_id(minid))]
    excess = int(client.xlen(keys.events)) - maxlen if maxlen is not None else 0
    counted, cursor = 0, "-"
    for info in infos:
        if counted >= excess:
            break
        floor = group_floor(info)
        n, _ = count_range(client, keys.events, cursor, "(" + floor, excess - counted)
        counted += n
        if counted < excess and info not in held:
            held.append(info)  # fewer than the excess lie below its floor: it stops the cut
        cursor = floor
    return held
