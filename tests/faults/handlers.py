"""Handlers the fault scenarios load by dotted path in real consumer processes."""

from __future__ import annotations

import time

from worker.consumers.builtin.archive import ArchiveHandler
from worker.consumers.handler import HandlerContext
from worker.events.models import AnyEvent, IngestionFailed


class PoisonArchive:
    """Archives every event except articles titled ``POISON ...``, which always raise."""

    def __init__(self, ctx: HandlerContext) -> None:
        self.archive = ArchiveHandler(ctx)

    def __call__(self, event: AnyEvent) -> None:
        if not isinstance(event, IngestionFailed) and event.data.title.startswith("POISON"):
            raise RuntimeError(f"poison article {event.article_id}")
        self.archive(event)


class PacedArchive:
    """The archive handler plus ~4 ms per event, so SIGKILLs land in the middle of batches."""

    def __init__(self, ctx: HandlerContext) -> None:
        self.archive = ArchiveHandler(ctx)

    def __call__(self, event: AnyEvent) -> None:
        time.sleep(0.004)
        self.archive(event)
