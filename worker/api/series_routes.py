"""``GET /v1/series``: the monitor's figures over the last hour (worker.ops.series), for the
dashboard's charts.

Reading it records a point first when the newest is ``series.INTERVAL_S`` old (from the
cached status snapshot), so the series grows while a dashboard is open, whichever API
process it talks to. Status codes: 200; 401 without the API token (when one is set); 422 for
``window_s`` out of 10..3600; 503 when Redis is away.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import FastAPI, Query

from worker.api.errors import responses
from worker.ops import series
from worker.store.keys import Keys


def register(api: FastAPI, auth: list[Any], client: Any, keys: Keys,
             status: Callable[[], dict[str, Any]]) -> None:
    @api.get("/v1/series", dependencies=auth, tags=["monitoring"],
             responses=responses(401, 403, 422, 503))
    def get_series(
        window_s: Annotated[float, Query(ge=10, le=series.INTERVAL_S * series.POINTS,
                                         description="Points of the last this many seconds.")
                            ] = series.INTERVAL_S * series.POINTS,
    ) -> dict[str, Any]:
        """Points oldest first: ``t`` (Unix s), ``appended``/``failed`` totals and their
        ``events_per_minute``/``failures_per_minute`` (None after a gap), ``queue_depth``,
        ``lags`` (group -> lag), ``dead_letters``."""
        series.record(client, keys, status())
        now = time.time()
        return {"interval_s": series.INTERVAL_S, "window_s": window_s, "now": now,
                "points": series.read(client, keys, since=now - window_s)}
