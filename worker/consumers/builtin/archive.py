"""The ``archive`` handler: append-only JSON Lines, one file per day of ``occurred_at`` (UTC).

Each event id appears exactly once across crashes, redeliveries, replays and several
processes writing the same directory: under an exclusive ``flock`` of the day file we catch up
on lines appended since we last looked (by anyone), repair a torn last line left by a crash
mid-write, skip the event if its id is already there, else write its line and fsync — all
before the consumer acks. ``handle_batch`` does the same for a consumer batch with one lock,
one write and one fsync per day file. A SIGKILL after the write but before the ack leads to a
redelivery that finds the id in the file and writes nothing.
"""

from __future__ import annotations

import fcntl
import logging
import os
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC
from pathlib import Path
from typing import Any

import orjson

from worker.consumers.handler import Handler, HandlerContext
from worker.events.models import AnyEvent

log = logging.getLogger(__name__)

OPEN_DAYS = 8  # per-day id indexes kept in memory (LRU); others are re-read when touched


@dataclass
class _DayIndex:
    ids: set[str] = field(default_factory=set)
    offset: int = 0  # bytes of the file already indexed (always at a line boundary)


def day_file(root: Path, event: AnyEvent) -> Path:
    """``YYYY-MM-DD.jsonl`` of the event's UTC day (naive timestamps are taken as UTC)."""
    at = event.occurred_at
    day = (at.astimezone(UTC) if at.tzinfo is not None else at).date()
    return root / f"{day.isoformat()}.jsonl"


def iter_archive(root: Path) -> Iterator[dict[str, Any]]:
    """Every archived event (as JSON objects), day files in date order."""
    for path in sorted(root.glob("*.jsonl")):
        with path.open("rb") as fh:
            for line in fh:
                if line.endswith(b"\n"):
                    yield orjson.loads(line)


class ArchiveHandler(Handler):
    """Writes each event once to ``<archive_path>/YYYY-MM-DD.jsonl``."""

    idempotent = True  # dedupes by event id under a file lock
    batched = True

    def __init__(self, ctx: HandlerContext) -> None:
        self.root = ctx.settings.archive_path
        self.root.mkdir(parents=True, exist_ok=True)
        self._days: OrderedDict[Path, _DayIndex] = OrderedDict()
        self.written = 0
        self.duplicates = 0

    def handle(self, event: AnyEvent) -> None:
        self.handle_batch([event])

    def handle_batch(self, events: Sequence[AnyEvent]) -> None:
        """Archive a batch: per day file one lock, one write of every new line, one fsync.

        A crash mid-write leaves whole lines (kept, found by the redelivery) and at most one
        torn last line (dropped by the next writer): still once per event id.
        """
        by_day: dict[Path, list[AnyEvent]] = {}
        for event in events:
            by_day.setdefault(day_file(self.root, event), []).append(event)
        for path, day_events in by_day.items():
            self._write_day(path, day_events)

    def _write_day(self, path: Path, events: list[AnyEvent]) -> None:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            index = self._index(path, fd)
            lines: list[bytes] = []
            ids: list[str] = []
            for event in events:
                if event.event_id in index.ids or event.event_id in ids:
                    self.duplicates += 1
                    log.debug("archive: %s already in %s", event.event_id, path.name)
                    continue
                lines.append(event.model_dump_json().encode())
                ids.append(event.event_id)
            if not lines:
                return
            data = b"\n".join(lines) + b"\n"
            view = memoryview(data)
            while view:  # O_APPEND under our lock: nobody interleaves, even across writes
                view = view[os.write(fd, view):]
            os.fsync(fd)
            index.ids.update(ids)
            index.offset += len(data)
            self.written += len(ids)
        finally:
            os.close(fd)  # also releases the lock

    def _index(self, path: Path, fd: int) -> _DayIndex:
        index = self._days.pop(path, None) or _DayIndex()
        self._days[path] = index
        while len(self._days) > OPEN_DAYS:
            self._days.popitem(last=False)
        size = os.fstat(fd).st_size
        if size < index.offset:  # file replaced or truncated under us: start over
            index.ids.clear()
            index.offset = 0
        if size > index.offset:
            os.lseek(fd, index.offset, os.SEEK_SET)
            tail = b""
            while chunk := os.read(fd, 1 << 20):
                tail += chunk
            complete, _, torn = tail.rpartition(b"\n")
            if torn:
                # A writer died mid-line (we hold the lock, so nobody is writing now).
                new_size = index.offset + len(complete) + (1 if complete else 0)
                log.warning("archive: dropping torn last line of %s (%d bytes)", path.name,
                            len(torn))
                os.ftruncate(fd, new_size)
            for raw in complete.split(b"\n") if complete else []:
                if raw:
                    index.ids.add(str(orjson.loads(raw).get("event_id")))
            index.offset += len(complete) + (1 if complete else 0)
        return index
