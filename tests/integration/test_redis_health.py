"""`status` reports the store Redis (memory, eviction policy, AOF) and alerts when it breaks
the requirements in docs/deploy.md; its exit status tells alert, unreachable and bad setting
apart."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable

from tests.conftest import settings_env
from worker.ops import monitor
from worker.ops.snapshot import RedisHealth
from worker.settings import Settings
from worker.store.eventstore import EventStore


def health(**over: object) -> RedisHealth:
    values: dict[str, object] = {"version": "7.2.0", "used_memory_bytes": 50, "maxmemory_bytes": 0,
                                 "maxmemory_policy": "noeviction", "aof_enabled": True}
    values.update(over)
    return RedisHealth.model_validate(values)


def test_a_compliant_redis_raises_nothing(settings: Settings) -> None:
    assert monitor.redis_alerts(health(), settings) == []
    assert monitor.redis_alerts(None, settings) == []


def test_each_broken_requirement_is_its_own_alert(
        make_settings: Callable[..., Settings]) -> None:
    strict = make_settings(alert_redis_aof=True, alert_max_memory_pct=80)
    found = monitor.redis_alerts(health(maxmemory_policy="allkeys-lru", aof_enabled=False,
                                        used_memory_bytes=90, maxmemory_bytes=100), strict)
    assert [(a.kind, a.subject) for a in found] == [
        ("redis", "maxmemory_policy"), ("redis", "appendonly"), ("redis", "used_memory")]
    assert "allkeys-lru" in found[0].message and "90%" in found[2].message
    assert monitor.redis_alerts(health(used_memory_bytes=70, maxmemory_bytes=100), strict) == []


def test_snapshot_reads_the_real_redis(make_settings: Callable[..., Settings],
                                       store: EventStore) -> None:
    strict = make_settings(alert_redis_aof=True)
    snap = monitor.collect(strict, client=store.redis, include_workers=False)
    info = store.redis.info("persistence")
    assert snap.redis is not None
    assert snap.redis.aof_enabled == bool(int(info["aof_enabled"]))
    assert snap.redis.used_memory_bytes > 0
    aof_alerts = [a for a in snap.alerts if a.subject == "appendonly"]
    assert len(aof_alerts) == (0 if snap.redis.aof_enabled else 1)


def status_exit(env: dict[str, str]) -> tuple[int, str]:
    result = subprocess.run([sys.executable, "-m", "worker", "status", "--json"], env=env,
                            capture_output=True, text=True, timeout=120, check=False)
    assert "Traceback" not in result.stderr, result.stderr
    return result.returncode, result.stderr


def test_status_exit_codes(settings: Settings) -> None:
    env = settings_env(settings)
    # No worker answers the test prefix's queues: an alert.
    assert status_exit({**env, "NEWSWORKER_WORKER_PING_TIMEOUT_S": "0.2"})[0] == 1
    code, err = status_exit({**env, "NEWSWORKER_REDIS_URL": "redis://127.0.0.1:1/0"})
    assert code == 2 and "cannot reach Redis" in err
    code, err = status_exit({**env, "NEWSWORKER_ALERT_MAX_LAG": "many"})
    assert code == 3 and "NEWSWORKER_ALERT_MAX_LAG" in err
