"""The ``noop`` handler: does nothing; for benchmarks and smoke tests."""

from __future__ import annotations

from worker.consumers.handler import Handler
from worker.events.models import AnyEvent


class NoopHandler(Handler):
    idempotent = True  # nothing to repeat: the consumer skips the redelivery markers

    def handle(self, event: AnyEvent) -> None:
        pass
