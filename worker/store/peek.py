"""Bounded reads of a stream: ids, or entries with their long values cut (``peek.lua``).

Status snapshots, ``/v1/events`` and ``newsworker events`` read through this, so no request
carries more than its bounds from Redis whatever the entries hold: a stream of 9 MB articles
costs a status snapshot a few kB (``tests/integration/test_bounded_reads.py`` measures the
bytes on the wire). The script walks one entry at a time, so Redis itself holds one entry at
a time too; ``walk_bytes`` bounds the work a walk asks of Redis, in calls of at most
``CALL_WALK_BYTES``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import redis

from worker.redisconn import to_str
from worker.store import lua

UNBOUNDED = 2**53  # walk budget meaning "no byte budget": the entry count bounds the walk
# Bytes one script call may walk: walking costs Redis ~2 ms per MB (measured: ten 9 MB entries
# in 180 ms), and a script holds Redis for its whole run, so a long walk is cut into calls of
# at most ~16 ms (plus the one entry that crosses the line).
CALL_WALK_BYTES = 8 * 1024 * 1024


# Per article, the history members of one entry, each cut at ARGV[1] bytes: {{member, full
# length or 0 when whole}, ...} per article. KEYS[2i-1], KEYS[2i]: the article's sorted set
# (Keys.history: members at score ARGV[2i]) and its versions list (Keys.versions: the element
# after the one equal to the entry id ARGV[2i+1], given as "<entry id>\n<summary>"). LPOS is
# Redis >= 6.0.6.
MEMBERS_LUA = """
local keep = tonumber(ARGV[1])
local out = {}
local function add(got, m)
  if #m > keep then
    got[#got + 1] = {string.sub(m, 1, keep), #m}
  else
    got[#got + 1] = {m, 0}
  end
end
for i = 1, #KEYS / 2 do
  local got = {}
  local score, id = ARGV[2 * i], ARGV[2 * i + 1]
  for _, m in ipairs(redis.call('ZRANGEBYSCORE', KEYS[2 * i - 1], score, score)) do
    add(got, m)
  end
  -- LPOS compares in C: the other versions never become Lua strings
  local j = redis.call('LPOS', KEYS[2 * i], id)
  if j then
    add(got, id .. '\\n' .. (redis.call('LINDEX', KEYS[2 * i], j + 1) or ''))
  end
  out[i] = got
end
return out
"""


@dataclass(frozen=True, slots=True)
class Peeked:
    """One entry as the walk saw it."""

    entry_id: str
    size_bytes: int  # the whole entry: every field name and value
    fields: dict[str, bytes]  # values longer than the walk's value_bytes are cut to it
    cut: dict[str, int]  # name -> full length, for each value that was cut

    def whole(self, name: str) -> bytes | None:
        """The field's value when it arrived whole, else None."""
        return None if name in self.cut else self.fields.get(name)


@dataclass(frozen=True, slots=True)
class Walk:
    entries: list[Peeked]
    stopped: bool  # the byte budget ended the walk (more entries may follow)


class Peek:
    def __init__(self, client: redis.Redis) -> None:
        self._script = client.register_script(lua.source("peek.lua"))
        self._members = client.register_script(MEMBERS_LUA)

    def members(self, wanted: list[tuple[str, str, int, str]], *, value_bytes: int
                ) -> list[list[tuple[bytes, bool]]]:
        """For each (sorted set, versions list, version, entry id): the history members of
        that version in the set and of that entry in the list (``<entry id>\\n<summary>``),
        each cut at ``value_bytes`` (with True when it was cut)."""
        if not wanted:
            return []
        reply: Any = self._members(
            keys=[k for zset, pushed, _, _ in wanted for k in (zset, pushed)],
            args=[value_bytes, *(a for _, _, v, eid in wanted for a in (v, eid))])
        return [[(m, bool(int(full))) for m, full in got] for got in reply]

    def walk(self, stream: str, *, newest_first: bool = False, start: str | None = None,
             stop: str | None = None, count: int, walk_bytes: int = UNBOUNDED,
             value_bytes: int = -1) -> Walk:
        """Up to ``count`` entries from ``start`` towards ``stop`` (XRANGE bounds; default the
        whole stream in walking order), ending after the entry that reaches ``walk_bytes``.
        ``value_bytes`` < 0 returns ids and sizes only."""
        cursor = start or ("+" if newest_first else "-")
        last = stop or ("-" if newest_first else "+")
        entries: list[Peeked] = []
        walked = 0
        while len(entries) < count:
            # Several short calls rather than one long one: other clients get Redis between.
            budget = min(CALL_WALK_BYTES, walk_bytes - walked)
            reply: Any = self._script(keys=[stream], args=[
                "desc" if newest_first else "asc", cursor, last, count - len(entries), budget,
                value_bytes])
            for eid, size, flat, cut in reply[1]:
                entries.append(Peeked(
                    entry_id=to_str(eid), size_bytes=int(size),
                    fields={to_str(flat[i]): flat[i + 1] for i in range(0, len(flat), 2)},
                    cut={to_str(cut[i]): int(cut[i + 1]) for i in range(0, len(cut), 2)}))
                walked += int(size)
            if not int(reply[0]):  # the range or the count ended the call
                break
            if walked >= walk_bytes:
                return Walk(entries=entries, stopped=True)
            cursor = "(" + entries[-1].entry_id
        return Walk(entries=entries, stopped=False)
