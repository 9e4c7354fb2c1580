"""Feed entries -> articles, in chunks (``FeedStream``), and the helpers both parsers share.

``Entry`` is what every parser (feedparser, JSON Feed, the streaming RSS path) produces.
``FeedStream`` turns them into articles without ever holding the whole feed's articles:
entry identity and duplicate/shared-link decisions need only keys and links, taken in a
first pass.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urljoin

from worker.errors import NotAnArticle, RejectedInput
from worker.fields import detect_language
from worker.models import Article, Image, Source, content_hash
from worker.normalise import NORMALISER_VERSION, canonical_url, html_to_paragraphs, parse_date
from worker.textdecode import clean_text

log = logging.getLogger(__name__)

_HTTP_RE = re.compile(r"^https?://", re.IGNORECASE)
_TAG_RE = re.compile(r"<[^>]*>")
TITLE_WORDS = 12


@dataclass
class Entry:
    key: str  # guid / link / hash
    title: str
    html: str | None  # HTML content
    text: str | None  # plain-text content
    link: str | None
    published: datetime | None = None
    updated: datetime | None = None
    authors: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    images: list[Image] = field(default_factory=list)
    language: str | None = None



class FeedStream:
    """A feed's articles in chunks, never all of them at once.

    Two passes over the entries (``entries()`` is called twice): the first keeps only each
    key's first and last position and link, the second builds articles. The last occurrence
    of a key wins and takes the first one's position (deterministic order); only articles
    queued behind such a reserved slot are held back.
    """

    def __init__(self, entries: Callable[[], Iterator[Entry]], *, base: str,
                 site: str | None, feed_lang: str | None, extra_tags: tuple[str, ...]) -> None:
        self.title, self.skipped, self.duplicates, self.built = site, 0, 0, 0
        self.reasons: list[str] = []
        self._entries, self._base, self._lang, self._tags = entries, base, feed_lang, extra_tags
        # key -> (first position, last position, URL of the last copy)
        self._span: dict[str, tuple[int, int, str | None]] = {}
        for i, entry in enumerate(entries()):
            key = self._key(entry, count=True)
            if key is None:
                continue
            first = self._span[key][0] if key in self._span else i
            self.duplicates += key in self._span
            self._span[key] = (first, i, _entry_url(entry.link, base))
        if not self._span and not self.skipped:
            raise NotAnArticle("feed has no entries")
        self._links: dict[str, int] = {}
        for _, _, url in self._span.values():
            if url:
                self._links[url] = self._links.get(url, 0) + 1

    def _key(self, entry: Entry, *, count: bool = False) -> str | None:
        """The entry's identity, or None (counted as skipped) when it has nothing to show."""
        if entry.key and entry.title:
            return entry.key  # a title is enough for _body to succeed: no need to parse
        try:
            body = _body(entry)
        except RejectedInput as exc:
            if count:
                self.skipped += 1
                self.reasons.append(exc.reason)
                log.warning("skipping feed entry %r: %s", entry.key or entry.title[:60],
                            exc.reason)
            return None
        return entry.key or "sha256:" + content_hash(entry.title, body)[:32]

    def chunks(self, size: int = 500) -> Iterator[list[Article]]:
        """Articles in order, about ``size`` at a time (NotAnArticle when none is usable)."""
        firsts = {f: key for key, (f, last, _) in self._span.items() if f != last}
        window: list[Article | str | None] = []  # Article, None (skipped) or a reserved key
        waiting: dict[str, int] = {}  # reserved key -> absolute slot
        offset = pos = 0  # absolute slot of window[0]; next position to reserve from
        for i, entry in enumerate(self._entries()):
            key = self._key(entry)
            if key is None or self._span[key][1] != i:
                continue
            while pos < i:  # duplicated keys first seen before here hold their place
                if pos in firsts:
                    waiting[firsts[pos]] = offset + len(window)
                    window.append(firsts[pos])
                pos += 1
            art = self._build(key, entry)
            if key in waiting:
                window[waiting.pop(key) - offset] = art
            else:
                window.append(art)
                pos = i + 1
            if len(window) >= size:
                ready = min(waiting.values()) - offset if waiting else len(window)
                if ready >= size:
                    yield [a for a in window[:ready] if isinstance(a, Article)]
                    del window[:ready]
                    offset += ready
        rest = [a for a in window if isinstance(a, Article)]
        if rest:
            yield rest
        if not self.built:
            why = f" ({self.skipped} skipped: {self.reasons[0]})" if self.reasons else ""
            raise NotAnArticle(f"feed has no usable entries{why}")

    def _build(self, key: str, entry: Entry) -> Article | None:
        try:
            url = _entry_url(entry.link, self._base)
            if url and self._links[url] > 1:
                url = None  # shared link: identity falls back to <feed>#<guid>
            art = _article(entry, _body(entry), key=key, url=url, base=self._base,
                           site=self.title, feed_lang=self._lang, extra_tags=self._tags)
        except Exception as exc:  # skip the entry, keep the feed
            self.skipped += 1
            self.reasons.append(getattr(exc, "reason", exc.__class__.__name__))
            log.warning("skipping feed entry %r: %s", key, exc)
            return None
        self.built += 1
        return art

    def set_language(self, lang: str | None) -> None:
        self._lang = lang


def _body(entry: Entry) -> list[str]:
    if entry.html:
        paras = html_to_paragraphs(clean_text(entry.html))
    elif entry.text:
        paras = [" ".join(p.split()) for p in re.split(r"\n\s*\n", clean_text(entry.text))]
    else:
        paras = []
    paras = [p for p in paras if p]
    if not paras and not entry.title:
        raise NotAnArticle("entry has neither title nor content")
    return paras


def _article(entry: Entry, body: list[str], *, key: str, url: str | None, base: str,
             site: str | None, feed_lang: str | None, extra_tags: tuple[str, ...]) -> Article:
    title = clean_text(entry.title).strip()
    if not title:
        words = " ".join(body).split()
        title = " ".join(words[:TITLE_WORDS]) + ("…" if len(words) > TITLE_WORDS else "")
    if not body:
        body = [title]  # headline-only entries (link blogs) are still news items
    lang = entry.language or feed_lang or detect_language(title + "\n" + "\n".join(body[:10]))
    now = datetime.now(UTC) + timedelta(days=2)
    published = entry.published if entry.published and entry.published <= now else None
    updated = entry.updated if entry.updated and entry.updated <= now else None
    images = tuple(dict.fromkeys(Image(src=urljoin(base, i.src) if _HTTP_RE.match(base)
                                       else i.src, caption=i.caption) for i in entry.images))
    return Article(
        title=title, body=tuple(body), lede=body[0], authors=tuple(dict.fromkeys(entry.authors)),
        published_at=published or updated, updated_at=updated, url=url, site_name=site,
        source=Source(kind="feed", location=f"{base}#{key}"), language=lang,
        images=images[:20], tags=tuple(dict.fromkeys(t for t in (*entry.tags, *extra_tags)
                                                     if t))[:50],
        word_count=sum(len(p.split()) for p in body),
        content_hash=content_hash(title, tuple(body)), normaliser_version=NORMALISER_VERSION)


def _entry_url(link: str | None, base: str) -> str | None:
    if not link:
        return None
    link = link.strip()
    if not _HTTP_RE.match(link) and _HTTP_RE.match(base):
        link = urljoin(base, link)
    return canonical_url(link) if _HTTP_RE.match(link) else None


# --- small helpers ----------------------------------------------------------------------

def _strip(value: str) -> str:
    if "<" in value:
        paras = html_to_paragraphs(value)
        value = " ".join(paras) if paras else _TAG_RE.sub(" ", value)
    return " ".join(value.split())


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def _opt(value: Any) -> str | None:
    return " ".join(value.split()) or None if isinstance(value, str) else None


def _struct_date(value: Any) -> datetime | None:
    if not isinstance(value, time.struct_time):
        return None
    try:
        return datetime(*value[:6], tzinfo=UTC)
    except (ValueError, TypeError, OverflowError):
        return None


def _date(value: Any) -> datetime | None:
    return parse_date(value) if isinstance(value, str) else None
