"""One input's bytes -> its articles: a page through ``normalise``, a feed through ``feeds``.

The one place that tells a feed from a page (by file suffix, else by sniffing the first
bytes), shared by the ingest tasks, the CLI and the eval tools. Every refusal is a
RejectedInput carrying the input's location.
"""

from __future__ import annotations

from pathlib import Path

from worker.errors import RejectedInput
from worker.events.models import Article, Source
from worker.settings import Settings
from worker.sources.files import read_file

FEED_SUFFIXES = frozenset({".rss", ".atom", ".xml", ".rdf", ".feed"})
_FEED_SNIFF = (b"<rss", b"<feed", b"<rdf:rdf", b'"https://jsonfeed.org/version', b"<channel")


def is_feed(path: Path | str, raw: bytes) -> bool:
    suffix = Path(path).suffix.lower()
    if suffix in FEED_SUFFIXES:
        return True
    head = raw[:1024].lstrip().lower()
    return any(tag in head for tag in _FEED_SNIFF)


def articles_from_bytes(raw: bytes, source: Source, settings: Settings) -> list[Article]:
    """Normalise one input's bytes into its articles (one, or one per feed entry)."""
    # lazy: the parsers (trafilatura, feedparser, lxml) are slow to import; CLI start stays fast
    from worker.normalise import article

    # An upload's location is "<client name>#sha256:...": its suffix is the name's.
    try:
        if is_feed(source.base if source.kind == "upload" else source.location, raw):
            from worker.feeds import parse

            return parse.articles_from_feed_bytes(raw, source=source, settings=settings)
        return [article.normalise(raw, source=source, max_bytes=settings.max_body_bytes)]
    except RejectedInput as exc:
        exc.location = exc.location or source.location
        raise


def articles_from_file(path: Path | str, settings: Settings) -> tuple[Source, list[Article]]:
    source, raw = read_file(path, settings)
    return source, articles_from_bytes(raw, source, settings)
