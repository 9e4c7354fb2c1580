"""Consumer-group administration: list groups and their consumers, delete an abandoned group,
prune consumers that stopped long ago.

Every `newsworker run` and every `consume` with a fresh name leaves a consumer behind, and a
group nobody reads any more holds the stream's trim point (worker.store.retention) forever;
these are the operator's tools for both.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import redis

from worker.errors import StoreError
from worker.redisconn import to_str
from worker.store.groups import GroupInfo, group_info
from worker.store.keys import Keys

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ConsumerInfo:
    name: str
    pending: int
    inactive_ms: int  # since its last successful read or ack (Redis < 7.2: since last attempt)


def consumers(client: redis.Redis, keys: Keys, group: str) -> list[ConsumerInfo]:
    try:
        rows = client.xinfo_consumers(keys.events, group)
    except redis.ResponseError as exc:
        raise StoreError(f"no consumer group {group!r} on the event stream") from exc
    out = []
    for row in rows:
        # "inactive" (Redis >= 7.2) is time since the last *successful* read; "idle" also
        # resets on every blocking read that returns nothing, so a live consumer never ages.
        inactive = row.get("inactive", row.get("idle"))
        out.append(ConsumerInfo(name=to_str(row["name"]), pending=int(row["pending"]),
                                inactive_ms=int(inactive if inactive is not None else -1)))
    return out


def groups_with_consumers(client: redis.Redis, keys: Keys
                          ) -> list[tuple[GroupInfo, list[ConsumerInfo]]]:
    # Exact lag even on Redis 6.2 (O(lag) there): an operator listing groups wants the number.
    return [(g, consumers(client, keys, g.name)) for g in group_info(client, keys.events)]


def delete_group(client: redis.Redis, keys: Keys, group: str) -> int:
    """Destroy ``group`` and its redelivery guard; returns the pending entries it dropped.
    Its dead letters stay (``dlq purge --group``); its handler state is the handler's."""
    infos = group_info(client, keys.events, group, exact_lag=False)
    if not infos:
        raise StoreError(f"no consumer group {group!r} on the event stream")
    client.xgroup_destroy(keys.events, group)
    client.delete(keys.processed(group))
    log.info("deleted consumer group %s (%d pending entries dropped)", group, infos[0].pending)
    return infos[0].pending


@dataclass(frozen=True)
class PruneResult:
    group: str
    consumer: str
    pending: int
    inactive_ms: int
    removed: bool


def prune_consumers(client: redis.Redis, keys: Keys, idle_s: float,
                    group: str | None = None) -> list[PruneResult]:
    """Delete consumers inactive for longer than ``idle_s``. One that still owns pending
    entries is kept: deleting it would drop those entries from the group's pending list, so
    they would never be delivered again (a live consumer claims them after claim_idle_s)."""
    limit_ms = int(idle_s * 1000)
    results = []
    names = [group] if group else [g.name for g in group_info(client, keys.events,
                                                              exact_lag=False)]
    for name in names:
        for c in consumers(client, keys, name):
            if c.inactive_ms < limit_ms:
                continue
            removed = c.pending == 0
            if removed:
                client.xgroup_delconsumer(keys.events, name, c.name)
            results.append(PruneResult(name, c.name, c.pending, c.inactive_ms, removed))
    return results
