"""Streaming fast path for large, plain RSS 2.0 feeds (lxml ``iterparse``).

feedparser builds the whole feed as nested dicts (~4 KB per entry): a 50,000-entry feed
costs ~200 MB before the first article exists. Here each ``<item>`` becomes one entry and
is then freed, so memory stays flat in the number of entries.

Only the plainest feeds take this path, and it must give what feedparser would: items
holding nothing but the elements below (each at most once, except category), no DOCTYPE
(so no entity declarations at all), no ``xml:lang``/``xml:base``, plain author names, and
dates in RFC 822 or RFC 3339 (others need feedparser's own date parsers).
Anything else raises ``FeedNeedsFullParser`` during the first pass over the entries, before an
article exists, and the caller falls back to feedparser. The parser itself is locked
down: no entity resolution, no network, no DTD, no huge-tree mode.
"""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from worker.errors import FeedNeedsFullParser
from worker.events.models import Image
from worker.feeds.entries import Entry
from worker.feeds.entry_rules import strip_markup
from worker.normalise.feed_dates import parse_rfc822, parse_w3dtf
from worker.normalise.meta import norm_language

log = logging.getLogger(__name__)

MIN_BYTES = 1 << 20  # below this feedparser is fast and small enough: one code path
_CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"
_CREATOR = "{http://purl.org/dc/elements/1.1/}creator"
_SINGLE = frozenset({"title", "link", "guid", "description", "pubDate", "author", "comments",
                     _CONTENT, _CREATOR})
_MULTI = frozenset({"category", "enclosure"})
_XML_ATTRS = ("{http://www.w3.org/XML/1998/namespace}lang",
              "{http://www.w3.org/XML/1998/namespace}base")
_HEAD_RE = re.compile(rb"^\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--.*?-->\s*)*<rss\s[^>]*"
                      rb"version\s*=\s*[\"']2\.0[\"']", re.DOTALL)
_ENC_RE = re.compile(rb"^\s*<\?xml[^>]*encoding\s*=\s*[\"']([A-Za-z0-9._-]+)")
_CHANNEL_LINK_RE = re.compile(rb"<link>\s*(https?://[^<\s]+)\s*</link>", re.IGNORECASE)


def eligible(raw: bytes, headers: dict[str, str]) -> bool:
    if len(raw) < MIN_BYTES or not _HEAD_RE.match(raw[:2048]) or b"<!DOCTYPE" in raw[:4096]:
        return False
    enc = _ENC_RE.match(raw[:512])
    if enc and enc.group(1).lower() not in (b"utf-8", b"utf8"):
        return False
    low = {k.lower(): v.lower() for k, v in headers.items()}
    ctype = low.get("content-type", "")
    return "content-language" not in low and ("charset" not in ctype or "utf-8" in ctype)


class FastRss:
    """``self()`` yields the feed's entries (callable again: one parse per pass)."""

    def __init__(self, raw: bytes) -> None:
        self.raw = raw
        self.title: str | None = None
        self.language: str | None = None

    def __call__(self) -> Iterator[Entry]:
        from lxml import etree  # type: ignore[import-untyped]

        parser_args: dict[str, Any] = {
            "events": ("end",), "resolve_entities": False, "no_network": True,
            "load_dtd": False, "huge_tree": False, "remove_comments": True, "remove_pis": True}
        try:
            for _, el in etree.iterparse(io.BytesIO(self.raw), **parser_args):
                parent = el.getparent()
                if el.tag == "item" and parent is not None and parent.tag == "channel":
                    yield _entry(el)
                    el.clear()
                    while el.getprevious() is not None:  # drop consumed siblings too
                        del parent[0]
                elif parent is not None and parent.tag == "channel":
                    if el.tag == "title":
                        self.title = _text(el)
                    elif el.tag == "language":
                        self.language = _text(el)
        except etree.XMLSyntaxError as exc:
            raise FeedNeedsFullParser(f"not well-formed: {exc}") from None


def _text(el: Any) -> str:
    if len(el) or any(a in el.attrib for a in _XML_ATTRS):
        raise FeedNeedsFullParser(f"<{el.tag}> has child elements or xml:lang/xml:base")
    return str(el.text or "").strip()


def _entry(item: Any) -> Entry:
    if any(a in item.attrib for a in _XML_ATTRS):
        raise FeedNeedsFullParser("item has xml:lang/xml:base")
    one: dict[str, str] = {}
    tags: list[str] = []
    images: list[Image] = []
    for child in item:
        tag = child.tag
        if tag in _SINGLE:
            if tag in one:
                raise FeedNeedsFullParser(f"repeated <{tag}>")
            one[tag] = _text(child)
        elif tag == "category":
            tags.append(_text(child))
        elif tag == "enclosure":
            href, kind = child.get("url"), child.get("type") or ""
            if href and kind.startswith("image"):
                images.append(Image(src=href))
        else:
            raise FeedNeedsFullParser(f"item element {tag!r}")
    if "author" in one and _CREATOR in one:
        raise FeedNeedsFullParser("both author and dc:creator")
    author = one.get("author") or one.get(_CREATOR) or ""
    if any(c in author for c in "@()<"):
        raise FeedNeedsFullParser("author is not a plain name")
    guid = one.get("guid") or None
    link = one.get("link") or None
    guid_el = item.find("guid")
    if link is None and guid is not None and guid_el.get("isPermaLink", "true") == "true":
        link = guid  # feedparser: a permalink GUID stands in for a missing link
    title = one.get("title", "")
    title = strip_markup(title) if "<" in title else " ".join(title.split())
    html = one.get(_CONTENT) or one.get("description") or None
    summary = one.get("description") if one.get(_CONTENT) else None  # as feeds.parse does
    return Entry(key=str(guid or link or ""), title=title, html=html, text=summary or None,
                 link=link, published=_pub_date(one.get("pubDate")), updated=None,
                 authors=[author] if author else [], tags=tags, images=images, language=None)


def _pub_date(raw: str | None) -> datetime | None:
    """The date as the feedparser path reads it. RFC 822 (with our zone names) and RFC 3339
    read alike on both paths; any other date goes to feedparser, whose guesses we don't copy.
    Text without a digit is no date to either."""
    if not raw:
        return None
    found = parse_rfc822(raw) or parse_w3dtf(raw)
    if found is None and any(c.isdigit() for c in raw):
        raise FeedNeedsFullParser(f"pubDate {raw[:40]!r} is neither RFC 822 nor RFC 3339")
    return found


def channel_language(fast: FastRss) -> str | None:
    return norm_language(fast.language)


def channel_link(raw: bytes) -> str | None:
    """The channel's own <link> (the site), read before the first item: relative item
    links resolve against it when the feed came from a file."""
    head = raw[:raw.find(b"<item")] if b"<item" in raw else raw[:4096]
    m = _CHANNEL_LINK_RE.search(head)
    return m.group(1).decode("utf-8", "replace") if m else None
