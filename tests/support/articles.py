"""A minimal article for event-store tests (one paragraph; the location decides its identity)."""

from __future__ import annotations

from worker.events.models import Article, Source, content_hash


def make_article(body: str = "First paragraph.", *, location: str = "/in/a.txt",
                 title: str = "A title", url: str | None = None) -> Article:
    paras = (body,)
    return Article(title=title, body=paras, source=Source(kind="file", location=location),
                   url=url, word_count=len(body.split()), content_hash=content_hash(title, paras))
