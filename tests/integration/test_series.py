"""The monitor's rolling series in real Redis: one point per interval whoever records it,
bounded, rates from the totals with gaps left as gaps, and ``GET /v1/series``."""

from __future__ import annotations

import time
import warnings
from typing import Any

from tests.support.api import AUTH, api_settings, http
from tests.support.articles import make_article
from worker.ops import series
from worker.store.eventstore import EventStore
from worker.store.groups import ensure_group

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from fastapi.testclient import TestClient

__all__ = ["api_settings", "http"]  # fixtures, found by pytest in this module's namespace


def snap(at: float, appended: int, *, failed: int = 0, depth: int = 0,
         lags: dict[str, int] | None = None, dlq: int = 0) -> dict[str, Any]:
    return {"at": at, "counters": {"appended": {"article.ingested": appended},
                                   "failures": {"binary": failed}},
            "queues": {"q": depth}, "groups": [{"name": g, "lag": n}
                                               for g, n in (lags or {}).items()],
            "dead_letters": {"length": dlq}}


def test_one_point_per_interval_whichever_process_records(store: EventStore) -> None:
    assert series.record(store.redis, store.keys, snap(100.0, 1), interval_s=0.2)
    # a second recorder (another API process) within the interval adds nothing
    assert not series.record(store.redis, store.keys, snap(100.1, 2), interval_s=0.2)
    assert [p["appended"] for p in series.read(store.redis, store.keys)] == [1]
    time.sleep(0.3)
    assert series.record(store.redis, store.keys, snap(100.3, 3), interval_s=0.2)
    assert [p["appended"] for p in series.read(store.redis, store.keys)] == [1, 3]


def test_the_series_is_bounded_and_rates_come_from_the_totals(store: EventStore) -> None:
    t0 = 1_000_000.0
    totals = [0, 10, 40, 40, 5]  # the last: the counters were lost (a Redis restart)
    for i, n in enumerate(totals):
        series.record(store.redis, store.keys, snap(t0 + 10 * i, n, failed=i, depth=i,
                                                    lags={"a": i, "b": 2 * i}, dlq=i),
                      interval_s=0.001, points=4)
        time.sleep(0.003)
    # then a silence of a minute: the next point starts a new line
    series.record(store.redis, store.keys, snap(t0 + 100, 65, failed=9), interval_s=0.001,
                  points=4)
    assert store.redis.llen(store.keys.series("points")) == 4
    pts = series.read(store.redis, store.keys)
    assert [p["t"] for p in pts] == [t0 + 20, t0 + 30, t0 + 40, t0 + 100]
    # the oldest kept point has no predecessor left: no rate
    assert [p["events_per_minute"] for p in pts] == [None, 0.0, 0.0, None]
    assert [p["failures_per_minute"] for p in pts] == [None, 6.0, 6.0, None]
    assert pts[1]["lags"] == {"a": 3, "b": 6} and pts[1]["queue_depth"] == 3
    assert pts[2]["dead_letters"] == 4
    assert [p["t"] for p in series.read(store.redis, store.keys, since=t0 + 35)] == [
        t0 + 40, t0 + 100]
    store.redis.rpush(store.keys.series("points"), b"not json")
    assert len(series.read(store.redis, store.keys)) == 4


def test_http_series_records_the_live_status(http: TestClient, store: EventStore) -> None:
    ensure_group(store.redis, store.keys.events, "indexer")
    store.append_many([make_article(f"Series {i}.", location=f"/s/{i}") for i in range(3)])
    r = http.get("/v1/series", headers=AUTH)
    assert r.status_code == 200
    body = r.json()
    assert body["interval_s"] == series.INTERVAL_S and body["window_s"] == 3600
    [p] = body["points"]
    assert p["appended"] == 3 and p["lags"] == {"indexer": 3}
    assert p["events_per_minute"] is None  # nothing before it
    # within the interval a second read records nothing more
    assert len(http.get("/v1/series", headers=AUTH).json()["points"]) == 1
    assert http.get("/v1/series", params={"window_s": 5}, headers=AUTH).status_code == 422
    assert http.get("/v1/series").status_code == 401
