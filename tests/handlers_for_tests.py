"""Handlers used by the consumer tests (loaded by dotted path in real consumer processes)."""

from __future__ import annotations

import time
from datetime import datetime

from worker.consumers.builtin.archive import ArchiveHandler
from worker.consumers.handler import HandlerContext
from worker.events.models import AnyEvent, Article, Source, content_hash

SLOW_S = 0.1


class SlowArchive:
    """Archives each event, pausing before and after the write (room for a SIGKILL)."""

    def __init__(self, ctx: HandlerContext) -> None:
        self.archive = ArchiveHandler(ctx)

    def __call__(self, event: AnyEvent) -> None:
        time.sleep(SLOW_S)
        self.archive(event)
        time.sleep(SLOW_S)


class FlakyArchive:
    """Fails until the file ``<data_dir>/fixed`` exists, then archives."""

    def __init__(self, ctx: HandlerContext) -> None:
        self.flag = ctx.settings.data_dir / "fixed"
        self.archive = ArchiveHandler(ctx)

    def __call__(self, event: AnyEvent) -> None:
        if not self.flag.exists():
            raise RuntimeError("handler broken until fixed")
        self.archive(event)


class Record:
    """Appends each event id to a per-group Redis list (order and count of deliveries)."""

    def __init__(self, ctx: HandlerContext) -> None:
        self.redis = ctx.redis
        self.key = ctx.keys.handler_state(ctx.group, "seen")

    def __call__(self, event: AnyEvent) -> None:
        self.redis.rpush(self.key, event.event_id)


def revisions_only(event: AnyEvent) -> None:
    """A plain function handler declaring the event types it takes."""


revisions_only.event_types = {"article.revised"}  # type: ignore[attr-defined]


def make_article(i: int, *, rev: int = 0, site: str | None = "Example News",
                 kind: str = "file", published: str | None = "2024-03-0{day}T08:00:00+00:00"
                 ) -> Article:
    """Article ``i`` (same url => same article_id); ``rev`` changes the body (a revision)."""
    body = (f"Paragraph one of story {i}.", f"Revision {rev} of the second paragraph.")
    title = f"Story {i}"
    pub = published.format(day=1 + i % 9) if published else None
    return Article(title=title, body=body, lede=body[0], url=f"https://news.example/{i}",
                   site_name=site, source=Source(kind=kind, location=f"/in/{i}.html"),
                   published_at=datetime.fromisoformat(pub) if pub else None,
                   word_count=12, content_hash=content_hash(title, body),
                   normaliser_version="test")
