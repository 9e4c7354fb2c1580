"""The monitor's headline figures over the last hour, kept in Redis so that a dashboard reload
(or a second dashboard) shows the history, not only what it saw since it opened.

A point holds running totals and levels read from one status snapshot: events appended and
ingestion failures (the counters hash; rates are the differences between points), Celery
queue depth, each group's lag and the dead-letter stream's length. One point every
``INTERVAL_S`` (10 s) at most, the newest ``POINTS`` (360: one hour) kept in one list
(``RPUSH`` + ``LTRIM``: bounded at about 360 x 200 B). Points are recorded when the API
reads the status for ``/v1/series`` (the dashboard asks every few seconds) and the newest is
``INTERVAL_S`` old: a ``SET NX PX`` tick in the same Lua step makes several API processes
record one point per interval. With nobody watching nothing is recorded; the gap shows as a
break in the lines (``rate`` is None across it).
"""

from __future__ import annotations

import logging
from typing import Any

import orjson
import redis

from worker.store.keys import Keys

log = logging.getLogger(__name__)

INTERVAL_S = 10.0
POINTS = 360  # one hour at INTERVAL_S
GAP_INTERVALS = 3  # a longer silence between points is a gap, not a slow rate

# KEYS: points, tick. ARGV: point JSON, interval ms, points kept
RECORD_LUA = """
if redis.call('SET', KEYS[2], '1', 'NX', 'PX', ARGV[2]) then
  redis.call('RPUSH', KEYS[1], ARGV[1])
  redis.call('LTRIM', KEYS[1], -tonumber(ARGV[3]), -1)
  return 1
end
return 0
"""


def point(snap: dict[str, Any]) -> dict[str, Any]:
    """The point of a status snapshot (``Snapshot.model_dump(mode="json")``)."""
    counters = snap.get("counters", {})
    return {
        "t": round(float(snap["at"]), 3),
        "appended": sum(counters.get("appended", {}).values()),
        "failed": sum(counters.get("failures", {}).values()),
        "queue_depth": sum(snap.get("queues", {}).values()),
        "lags": {g["name"]: g["lag"] for g in snap.get("groups", [])},
        "dead_letters": snap.get("dead_letters", {}).get("length", 0),
    }


def record(client: redis.Redis, keys: Keys, snap: dict[str, Any], *,
           interval_s: float = INTERVAL_S, points: int = POINTS) -> bool:
    """Append the snapshot's point unless one was recorded less than ``interval_s`` ago."""
    script = client.register_script(RECORD_LUA)
    done = script(keys=[keys.series("points"), keys.series("tick")],
                  args=[orjson.dumps(point(snap)), max(int(interval_s * 1000), 1), points])
    return bool(done)


def read(client: redis.Redis, keys: Keys, *, since: float | None = None,
         interval_s: float = INTERVAL_S) -> list[dict[str, Any]]:
    """The points at or after ``since`` (Unix s), oldest first, each with
    ``events_per_minute`` and ``failures_per_minute`` since the point before (None for the
    first and after a gap; 0 after a counter went back, as when Redis lost it)."""
    out: list[dict[str, Any]] = []
    prev: dict[str, Any] | None = None
    for raw in client.lrange(keys.series("points"), 0, -1):
        try:
            p = orjson.loads(raw)
            t = float(p["t"])
        except (orjson.JSONDecodeError, KeyError, TypeError, ValueError):
            log.warning("series: skipping a malformed point %r", raw[:80])
            continue
        dt = t - float(prev["t"]) if prev else 0.0
        fresh = prev is not None and 0 < dt <= GAP_INTERVALS * interval_s
        for total, rate in (("appended", "events_per_minute"), ("failed", "failures_per_minute")):
            p[rate] = (round(max(p[total] - prev[total], 0) * 60 / dt, 2)
                       if fresh and prev is not None else None)
        prev = p
        if since is None or t >= since:
            out.append(p)
    return out
