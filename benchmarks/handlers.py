"""Benchmark consumer handlers (``newsworker consume <group> --handler benchmarks.handlers:X``).

``HandledAt`` records, per event, the wall-clock time it was handled, keyed by the event's
source location (the benchmark's submission id), so the benchmark can compute
submit-to-handler latency across processes (one machine, one clock), split at the
append.
"""

from __future__ import annotations

import time

from worker.consumers.handler import HandlerContext
from worker.events.models import AnyEvent


def handled_key(prefix: str) -> str:
    return "{" + prefix + "}:bench:handled_at"


class HandledAt:
    def __init__(self, ctx: HandlerContext) -> None:
        self.redis = ctx.redis
        self.key = handled_key(ctx.settings.key_prefix)

    def __call__(self, event: AnyEvent) -> None:
        # "<handled> <appended>": occurred_at is set when the store builds the event.
        self.redis.hset(self.key, event.source.location,
                        f"{time.time()!r} {event.occurred_at.timestamp()!r}")
