"""Feeds -> articles: RSS 0.9x/1.0/2.0 and Atom (feedparser), JSON Feed 1/1.1 (our own).

Nothing but RejectedInput escapes for any bytes. feedparser never sees a URL or a path:
it gets a file object (given bytes it would try ``open()`` on them as a filename). Its SAX
parser leaves external entities unresolved, and expat (>= 2.4) stops billion-laughs
expansion; the loose fallback parser strips the DOCTYPE's entities. An entry that fails to
normalise is skipped and counted, never failing the feed.

Entry identity: GUID, else link, else a hash of title + content. It is carried in the
source location (``<feed>#<key>``) and, when the entry has its own link (or a GUID that is
a web address), in the article URL. A link shared by several entries of one feed is not
used as their URL (they would collapse into one article and revise each other on every poll).

Large plain RSS 2.0 feeds skip feedparser: ``worker.feeds.rss_stream`` streams them item by item
(feedparser's tree is ~4 KB per entry), and ``open_feed`` + ``feed_chunks`` hand out the
articles in chunks (``worker.feeds.entries.FeedStream``), so memory does not grow with the
number of entries.
"""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import orjson

from worker.errors import (
    EmptyInput,
    FeedNeedsFullParser,
    NotAnArticle,
    RejectedInput,
    TooLarge,
)
from worker.events.models import Article, Image, Source
from worker.feeds import rss_stream
from worker.feeds.entries import Entry, FeedStream
from worker.feeds.entry_fields import full_text, section_tags
from worker.feeds.entry_rules import strip_markup
from worker.normalise.feed_dates import parse_feed_date
from worker.normalise.meta import norm_language
from worker.settings import Settings

log = logging.getLogger(__name__)

_XML_DECL_RE = re.compile(rb"^(\s*<\?xml[^>]*?encoding\s*=\s*[\"'])([A-Za-z0-9._:-]+)([\"'])")
_CHARSET_RE = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9._:-]+)", re.IGNORECASE)
_SINGLE_BYTE_RE = re.compile(r"^(?:iso[-_]?8859[-_]?\d+|latin[-_]?\d|l\d|windows[-_]?125\d|"
                             r"cp125\d|us-ascii|ascii)$", re.IGNORECASE)
_JSONFEED = "https://jsonfeed.org/version/"
# A feed up to this size keeps its parsed entries for FeedStream's second pass, not parsing
# again (35-60 us an entry). Entries take ~1.8x the feed's bytes (tracemalloc): <= ~15 MB;
# real feeds run 50 KB to a few MB. Larger ones parse twice: memory stays flat.
HELD_FEED_BYTES = 8 << 20


@dataclass
class ParsedFeed:
    articles: list[Article]
    title: str | None = None
    skipped: int = 0  # entries whose normalisation failed
    duplicates: int = 0  # repeated entry keys dropped (the last copy wins unless older)
    reasons: list[str] = field(default_factory=list)


def articles_from_feed_bytes(raw: bytes, *, source: Source, settings: Settings,
                             headers: Mapping[str, str] | None = None,
                             tags: Iterable[str] = ()) -> list[Article]:
    """Every usable entry of a feed as an Article (RejectedInput when there is none)."""
    return parse_feed(raw, source=source, settings=settings, headers=headers,
                      tags=tags).articles


def parse_feed(raw: bytes, *, source: Source, settings: Settings,
               headers: Mapping[str, str] | None = None,
               tags: Iterable[str] = ()) -> ParsedFeed:
    """The whole feed at once (see ``open_feed`` for the chunked form)."""
    stream = open_feed(raw, source=source, settings=settings, headers=headers, tags=tags)
    articles = [a for chunk in _guarded(stream.chunks(), source) for a in chunk]
    return ParsedFeed(articles=articles, title=stream.title, skipped=stream.skipped,
                      duplicates=stream.duplicates, reasons=stream.reasons)


def open_feed(raw: bytes, *, source: Source, settings: Settings,
              headers: Mapping[str, str] | None = None,
              tags: Iterable[str] = ()) -> FeedStream:
    """A FeedStream over the feed; iterate ``feed_chunks(stream, source)`` for articles."""
    try:
        return _parse_feed(raw, source, settings, dict(headers or {}), tuple(tags))
    except Exception as exc:
        raise _rejected(exc, source) from None


def feed_chunks(stream: FeedStream, source: Source, size: int = 500) -> Iterator[list[Article]]:
    """``stream.chunks(size)`` with the same error contract as ``parse_feed``."""
    return _guarded(stream.chunks(size), source)


def _guarded(it: Iterator[list[Article]], source: Source) -> Iterator[list[Article]]:
    try:
        yield from it
    except Exception as exc:
        raise _rejected(exc, source) from None


def _rejected(exc: Exception, source: Source) -> RejectedInput:
    """Only RejectedInput escapes: parser bugs become NotAnArticle, one line at WARNING."""
    if isinstance(exc, RejectedInput):
        return exc
    if isinstance(exc, RecursionError):
        return NotAnArticle("malformed feed: nested too deeply")
    # A parser bug must not take the worker down with a traceback; the stack at DEBUG.
    log.warning("feed parser failed on %s: %r", source.location, exc)
    log.debug("feed parser failure", exc_info=exc)
    return NotAnArticle(f"malformed feed: {exc.__class__.__name__}")


def _parse_feed(raw: bytes, source: Source, settings: Settings, headers: dict[str, str],
                tags: tuple[str, ...]) -> FeedStream:
    if len(raw) > settings.max_body_bytes:
        raise TooLarge(f"feed is over the {settings.max_body_bytes}-byte cap")
    head = raw[:64].lstrip(b"\xef\xbb\xbf \t\r\n")
    if not head:
        raise EmptyInput("feed is empty")
    base = source.location.split("#", 1)[0]
    if not head.startswith((b"{", b"[")):
        stream = _fast_stream(raw, headers, base, tags)
        if stream is not None:
            return stream
    title, lang, site_url, entries = _json_feed(raw) if head.startswith((b"{", b"[")) \
        else _xml_feed(raw, headers)
    return FeedStream(lambda: iter(entries), base=base, site=title, feed_lang=lang,
                      extra_tags=tags, site_url=site_url,
                      parser="json" if head.startswith((b"{", b"[")) else "feedparser")


def _fast_stream(raw: bytes, headers: dict[str, str], base: str,
                 tags: tuple[str, ...]) -> FeedStream | None:
    raw, headers = _fix_lying_encoding(raw, headers)
    if not rss_stream.eligible(raw, headers):
        return None
    fast = rss_stream.FastRss(raw)
    try:
        entries: Callable[[], Iterator[Entry]] = fast
        if len(raw) <= HELD_FEED_BYTES:
            held = list(fast())
            entries = lambda: iter(held)  # noqa: E731
        stream = FeedStream(entries, base=base, site=None, feed_lang=None, extra_tags=tags,
                            site_url=rss_stream.channel_link(raw), parser="lxml-stream")
    except FeedNeedsFullParser as exc:
        log.info("feed needs the full parser: %s", exc)
        return None
    stream.title = strip_markup(fast.title or "") or None
    stream.set_language(rss_stream.channel_language(fast))
    return stream


# --- XML feeds (feedparser) -------------------------------------------------------------

def _fix_lying_encoding(raw: bytes, headers: dict[str, str]) -> tuple[bytes, dict[str, str]]:
    """Bytes that are valid non-ASCII UTF-8 but declared single-byte are UTF-8 in practice."""
    declared = []
    m = _XML_DECL_RE.match(raw[:512])
    if m:
        declared.append(m.group(2).decode("ascii"))
    ctype = next((v for k, v in headers.items() if k.lower() == "content-type"), "")
    cm = _CHARSET_RE.search(ctype)
    if cm:
        declared.append(cm.group(1))
    if not declared or not all(_SINGLE_BYTE_RE.match(d) for d in declared) or raw.isascii():
        return raw, headers
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw, headers
    if m:
        raw = m.group(1) + b"utf-8" + m.group(3) + raw[m.end():]
    headers = {k: v for k, v in headers.items() if k.lower() != "content-type"}
    if ctype:
        headers["content-type"] = _CHARSET_RE.sub("charset=utf-8", ctype)
    return raw, headers


def _xml_feed(raw: bytes, headers: dict[str, str]
              ) -> tuple[str | None, str | None, str | None, list[Entry]]:
    import feedparser

    raw, headers = _fix_lying_encoding(raw, headers)
    # A file object, never bytes/str: feedparser would open() a path or fetch a URL.
    # No sanitising or URI resolution: we keep only text, and they cost ~40% of the time.
    parsed = feedparser.parse(io.BytesIO(raw), response_headers=headers,
                              sanitize_html=False, resolve_relative_uris=False)
    entries_raw = parsed.get("entries") or []
    if not entries_raw:
        if parsed.get("bozo"):
            exc = parsed.get("bozo_exception")
            detail = str(exc).splitlines()[0][:200] if exc else "unparseable"
            raise NotAnArticle(f"malformed feed: {detail}")
        raise NotAnArticle("feed has no entries")
    if parsed.get("bozo"):
        log.info("feed is malformed, %d entries recovered: %s", len(entries_raw),
                 parsed.get("bozo_exception"))
    feed = parsed.get("feed") or {}
    title = strip_markup(str(feed.get("title") or "")) or None
    lang = norm_language(feed.get("language"))
    feed_authors = _feed_authors(raw, parsed)
    out = []
    for e in entries_raw:
        try:
            out.append(_xml_entry(e, feed_authors, lang))
        except Exception as exc:  # one odd entry must not fail the feed
            log.warning("skipping a feed entry that could not be read: %r", exc)
            log.debug("unreadable feed entry", exc_info=True)
    return title, lang, _str(feed.get("link")), out


_ITUNES_AUTHOR_RE = re.compile(rb"<itunes:author>\s*(?:<!\[CDATA\[)?(.*?)(?:\]\]>)?\s*"
                               rb"</itunes:author>", re.DOTALL)


def _feed_authors(raw: bytes, parsed: Any) -> list[str]:
    """Who writes entries that name nobody: the Atom feed's authors (the spec says entries
    inherit them), or a podcast channel's itunes:author. An RSS channel's managingEditor
    or webMaster is staff, not the writer, so it is never inherited."""
    feed = parsed.get("feed") or {}
    if str(parsed.get("version") or "").startswith("atom"):
        return [str(a.get("name")) for a in feed.get("authors") or []
                if isinstance(a, dict) and a.get("name")]
    head = raw[:raw.find(b"<item")] if b"<item" in raw else b""
    m = _ITUNES_AUTHOR_RE.search(head)
    if not m:
        return _account_holder(feed)
    name = m.group(1).decode(str(parsed.get("encoding") or "utf-8"), "replace")
    return [strip_markup(name)] if strip_markup(name) else []


# A person's own feed on a social network (Mastodon's /@name, Bluesky's /profile/name):
# whoever the channel is named after wrote its posts.
_ACCOUNT_RE = re.compile(r"^https?://(?:[^/\s]+/@[\w.-]+|bsky\.app/profile/[\w.:-]+)/?$")
_PRONOUNS_RE = re.compile(r"\s*[(\[](?:she|he|they|ze|xe|it|any)/\w+(?:/\w+)?[)\]]", re.I)


def _account_holder(feed: Any) -> list[str]:
    """The account holder's display name ("Priya Raman (she/her) 🌊" -> "Priya Raman")."""
    if not _ACCOUNT_RE.match(_str(feed.get("link")) or ""):
        return []
    title = _PRONOUNS_RE.sub("", strip_markup(str(feed.get("title") or "")))
    name = " ".join(w for w in title.split() if any(c.isalnum() for c in w))
    return [name] if name else []


def _pick_link(e: Any, lang: str | None) -> str | None:
    """The entry's page: feedburner's original link, else its HTML alternate link (in the
    feed's language when there are translations), else whatever feedparser chose."""
    if _str(e.get("feedburner_origlink")):
        return str(e["feedburner_origlink"])
    alts = [ln for ln in e.get("links") or [] if isinstance(ln, dict) and ln.get("href")
            and ln.get("rel", "alternate") == "alternate"]
    alts = [ln for ln in alts if "html" in str(ln.get("type") or "text/html")] or alts
    if not alts:
        return _str(e.get("link"))
    same = [ln for ln in alts if lang and norm_language(ln.get("hreflang")) == lang]
    return str((same or [ln for ln in alts if not ln.get("hreflang")] or alts)[0]["href"])


def _author_name(author: dict[str, Any]) -> str:
    """An author's name. feedparser reads "mail@host.example (Name)" with a top-level domain
    of at most four letters: the address' tail and "(" end up in the name ("ple (Name"),
    which is the name after that "(" then."""
    name = str(author.get("name") or "")
    if author.get("email") and "(" in name and ")" not in name:
        return name.rsplit("(", 1)[1].strip()
    return name


def _xml_entry(e: Any, feed_authors: list[str], feed_lang: str | None) -> Entry:
    html, text = None, None
    contents = [c for c in e.get("content") or [] if c.get("value")]
    htmls = [c for c in contents if "html" in str(c.get("type", ""))]
    summary = e.get("summary_detail") or {}
    if htmls:
        html = max((c["value"] for c in htmls), key=len)
        text = summary.get("value") or None  # used when the content is only an image/embed
    elif summary.get("value"):
        # feedparser puts media:description into ``content`` as text/plain: a summary wins.
        if "html" in str(summary.get("type", "")):
            html = summary["value"]
        else:
            text = summary["value"]
    elif contents and not (summary and (e.get("media_content") or e.get("media_thumbnail"))):
        # (an RSS item's explicit empty description beside a photo: the text/plain content
        # is media:description, the photo's caption, and the item has no text of its own)
        text = max((c["value"] for c in contents), key=len)
    if not htmls and (full := full_text(e)):  # Yandex's full text beats the summary
        html, text = full
    title_d = e.get("title_detail") or {}
    title = str(e.get("title") or "")
    title = strip_markup(title) if "html" in str(title_d.get("type", "")) or "<" in title \
        else " ".join(title.split())
    lang = norm_language(title_d.get("language") or summary.get("language")
                         or next((c.get("language") for c in contents), None))
    link = _pick_link(e, lang or feed_lang)
    guid = e.get("id") or None
    authors = [_author_name(a) for a in e.get("authors") or [] if isinstance(a, dict)]
    raw_author = str(e.get("author") or "")
    # feedparser mangles an address in the field ("mail@host.example (Name)", "Name
    # mail@host.example": its name keeps the address' tail); the raw string says it plainly.
    if len(authors) <= 1 and "@" in raw_author:
        authors = [raw_author]
    if not any(authors):
        authors = [raw_author] if raw_author else feed_authors
    images: list[Image] = []
    for enc in list(e.get("enclosures") or []) + list(e.get("media_content") or []):
        href = enc.get("href") or enc.get("url")
        kind = str(enc.get("type") or enc.get("medium") or "")
        if href and kind.startswith("image"):
            images.append(Image(src=str(href), caption=_opt(enc.get("title")
                                                            or enc.get("description"))))
    for thumb in e.get("media_thumbnail") or []:
        if thumb.get("url") and not images:
            images.append(Image(src=str(thumb["url"])))
    return Entry(key=str(guid or link or ""), title=title, html=html, text=text,
                  link=str(link) if link else None,
                  published=parse_feed_date(e.get("published"), e.get("published_parsed")),
                  # dict.get: feedparser's own get() maps updated -> published with a warning
                  updated=parse_feed_date(dict.get(e, "updated"), dict.get(e, "updated_parsed")),
                  authors=[a for a in authors if a],
                  tags=[str(t.get("label") or t.get("term") or "") for t in e.get("tags") or []
                        if isinstance(t, dict)] + section_tags(e),
                  images=images, language=lang,
                  source_title=_str((e.get("source") or {}).get("title")),
                  # a podcast's trailer promotes the show (itunes:episodeType): no episode
                  promo="podcast trailer" if str(e.get("itunes_episodetype") or "")
                  .strip().lower() == "trailer" else None)


# --- JSON Feed ------------------------------------------------------------------------------

def _json_feed(raw: bytes) -> tuple[str | None, str | None, str | None, list[Entry]]:
    try:
        doc = orjson.loads(raw.lstrip(b"\xef\xbb\xbf"))
    except orjson.JSONDecodeError as exc:
        raise NotAnArticle(f"malformed feed: invalid JSON ({exc})") from None
    if not isinstance(doc, dict) or not str(doc.get("version", "")).startswith(_JSONFEED):
        raise NotAnArticle("JSON is not a JSON Feed (no https://jsonfeed.org/version/ version)")
    items = doc.get("items")
    if not isinstance(items, list) or not items:
        raise NotAnArticle("feed has no entries")
    title = strip_markup(str(doc.get("title") or "")) or None
    lang = norm_language(doc.get("language") if isinstance(doc.get("language"), str) else None)
    feed_authors = _json_authors(doc)
    out = []
    for item in items:
        if not isinstance(item, dict):
            continue
        ident = item.get("id")
        key = str(ident) if isinstance(ident, str | int) and str(ident) else ""
        # An id that is a web address names the item's page better than external_url,
        # which (link blogs) is the page the item talks about; an item with no text of its
        # own is only that link, so the linked page is the article.
        id_link = key if re.match(r"https?://", key, re.I) else None
        external = _str(item.get("external_url"))
        own = any(_str(item.get(k)) for k in ("content_html", "content_text", "summary"))
        link = _str(item.get("url")) or ((id_link or external) if own else (external or id_link))
        key = key or link or ""
        images = [Image(src=s) for s in (_str(item.get("image")), _str(item.get("banner_image")))
                  if s]
        for att in item.get("attachments") or []:
            if isinstance(att, dict) and str(att.get("mime_type", "")).startswith("image/") \
                    and _str(att.get("url")):
                images.append(Image(src=str(att["url"]), caption=_opt(att.get("title"))))
        raw_tags = item.get("tags")
        tags: list[Any] = raw_tags if isinstance(raw_tags, list) else []
        out.append(Entry(
            key=key, title=" ".join(strip_markup(_str(item.get("title")) or "").split()),
            html=_str(item.get("content_html")),
            text=_str(item.get("content_text")) or _str(item.get("summary")),
            link=link, published=parse_feed_date(item.get("date_published")),
            updated=parse_feed_date(item.get("date_modified")),
            authors=_json_authors(item) or feed_authors,
            tags=[str(t) for t in tags if isinstance(t, str | int)], images=images,
            language=norm_language(_str(item.get("language")))))
    return title, lang, _str(doc.get("home_page_url")), out


def _json_authors(obj: dict[str, Any]) -> list[str]:
    raw = obj.get("authors")
    items: list[Any] = raw if isinstance(raw, list) else [obj.get("author")]
    return [str(a["name"]) for a in items if isinstance(a, dict) and _str(a.get("name"))]


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def _opt(value: Any) -> str | None:
    return " ".join(value.split()) or None if isinstance(value, str) else None
