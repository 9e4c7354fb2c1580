"""Feeds -> articles: RSS 0.9x/1.0/2.0 and Atom (feedparser), JSON Feed 1/1.1 (our own).

Nothing but RejectedInput escapes for any bytes. feedparser never sees a URL or a path:
it gets a file object (given bytes it would try ``open()`` on them as a filename). Its SAX
parser leaves external entities unresolved, and expat (>= 2.4) stops billion-laughs
expansion; the loose fallback parser strips the DOCTYPE's entities. An entry that fails to
normalise is skipped and counted, never failing the feed.

Entry identity: GUID, else link, else a hash of title + content. It is carried in the
source location (``<feed>#<key>``) and, when the entry has its own link, in the article
URL. A link shared by several entries of one feed is not used as their URL (they would
collapse into one article and revise each other on every poll).
"""

from __future__ import annotations

import io
import logging
import re
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urljoin

import orjson

from worker.errors import EmptyInput, NotAnArticle, RejectedInput
from worker.fields import detect_language, norm_language
from worker.models import Article, Image, Source, content_hash
from worker.normalise import NORMALISER_VERSION, canonical_url, html_to_paragraphs, parse_date

# The schedule lives in worker.schedule; re-exported for callers that import it from here.
from worker.schedule import FeedConfig, feed_id_for, load_schedule, passes_filters  # noqa: F401
from worker.settings import Settings
from worker.textdecode import clean_text

log = logging.getLogger(__name__)

_HTTP_RE = re.compile(r"^https?://", re.IGNORECASE)
_TAG_RE = re.compile(r"<[^>]*>")
_XML_DECL_RE = re.compile(rb"^(\s*<\?xml[^>]*?encoding\s*=\s*[\"'])([A-Za-z0-9._:-]+)([\"'])")
_CHARSET_RE = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9._:-]+)", re.IGNORECASE)
_SINGLE_BYTE_RE = re.compile(r"^(?:iso[-_]?8859[-_]?\d+|latin[-_]?\d|l\d|windows[-_]?125\d|"
                             r"cp125\d|us-ascii|ascii)$", re.IGNORECASE)
_JSONFEED = "https://jsonfeed.org/version/"
TITLE_WORDS = 12


@dataclass
class ParsedFeed:
    articles: list[Article]
    title: str | None = None
    skipped: int = 0  # entries whose normalisation failed
    duplicates: int = 0  # repeated entry keys dropped (the last occurrence wins)
    reasons: list[str] = field(default_factory=list)


@dataclass
class _Entry:
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


def articles_from_feed_bytes(raw: bytes, *, source: Source, settings: Settings,
                             headers: Mapping[str, str] | None = None,
                             tags: Iterable[str] = ()) -> list[Article]:
    """Every usable entry of a feed as an Article (RejectedInput when there is none)."""
    return parse_feed(raw, source=source, settings=settings, headers=headers,
                      tags=tags).articles


def parse_feed(raw: bytes, *, source: Source, settings: Settings,
               headers: Mapping[str, str] | None = None,
               tags: Iterable[str] = ()) -> ParsedFeed:
    try:
        return _parse_feed(raw, source, settings, dict(headers or {}), tuple(tags))
    except RejectedInput:
        raise
    except RecursionError:
        raise NotAnArticle("malformed feed: nested too deeply") from None
    except Exception as exc:  # a parser bug must not take the worker down with a traceback
        # One line at WARNING (CLI output stays traceback-free); the stack at DEBUG.
        log.warning("feed parser failed on %s: %r", source.location, exc)
        log.debug("feed parser failure", exc_info=True)
        raise NotAnArticle(f"malformed feed: {exc.__class__.__name__}") from None


def _parse_feed(raw: bytes, source: Source, settings: Settings, headers: dict[str, str],
                tags: tuple[str, ...]) -> ParsedFeed:
    if len(raw) > settings.max_body_bytes:
        from worker.errors import TooLarge

        raise TooLarge(f"feed is over the {settings.max_body_bytes}-byte cap")
    head = raw[:64].lstrip(b"\xef\xbb\xbf \t\r\n")
    if not head:
        raise EmptyInput("feed is empty")
    if head.startswith((b"{", b"[")):
        title, lang, entries = _json_feed(raw)
    else:
        title, lang, entries = _xml_feed(raw, headers)
    base = source.location.split("#", 1)[0]
    return _to_articles(entries, base=base, site=title, feed_lang=lang, extra_tags=tags)


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


def _xml_feed(raw: bytes, headers: dict[str, str]) -> tuple[str | None, str | None,
                                                             list[_Entry]]:
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
    title = _strip(str(feed.get("title") or "")) or None
    lang = norm_language(feed.get("language"))
    out = []
    for e in entries_raw:
        try:
            out.append(_xml_entry(e))
        except Exception as exc:  # one odd entry must not fail the feed
            log.warning("skipping a feed entry that could not be read: %r", exc)
            log.debug("unreadable feed entry", exc_info=True)
    return title, lang, out


def _xml_entry(e: Any) -> _Entry:
    html, text = None, None
    contents = [c for c in e.get("content") or [] if c.get("value")]
    htmls = [c for c in contents if "html" in str(c.get("type", ""))]
    summary = e.get("summary_detail") or {}
    if htmls:
        html = max((c["value"] for c in htmls), key=len)
    elif summary.get("value"):
        # feedparser puts media:description into ``content`` as text/plain: a summary wins.
        if "html" in str(summary.get("type", "")):
            html = summary["value"]
        else:
            text = summary["value"]
    elif contents:
        text = max((c["value"] for c in contents), key=len)
    title_d = e.get("title_detail") or {}
    title = str(e.get("title") or "")
    title = _strip(title) if "html" in str(title_d.get("type", "")) or "<" in title \
        else " ".join(title.split())
    link = e.get("link") or None
    guid = e.get("id") or None
    authors = [str(a.get("name") or "") for a in e.get("authors") or [] if isinstance(a, dict)]
    if not any(authors) and e.get("author"):
        authors = [str(e["author"])]
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
    lang = norm_language(title_d.get("language") or summary.get("language")
                         or next((c.get("language") for c in contents), None))
    return _Entry(key=str(guid or link or ""), title=title, html=html, text=text,
                  link=str(link) if link else None,
                  published=_struct_date(e.get("published_parsed")) or _date(e.get("published")),
                  # dict.get: feedparser's own get() maps updated -> published with a warning
                  updated=_struct_date(dict.get(e, "updated_parsed"))
                  or _date(dict.get(e, "updated")),
                  authors=[a for a in authors if a],
                  tags=[str(t.get("label") or t.get("term") or "") for t in e.get("tags") or []
                        if isinstance(t, dict)],
                  images=images, language=lang)


# --- JSON Feed ------------------------------------------------------------------------------

def _json_feed(raw: bytes) -> tuple[str | None, str | None, list[_Entry]]:
    try:
        doc = orjson.loads(raw.lstrip(b"\xef\xbb\xbf"))
    except orjson.JSONDecodeError as exc:
        raise NotAnArticle(f"malformed feed: invalid JSON ({exc})") from None
    if not isinstance(doc, dict) or not str(doc.get("version", "")).startswith(_JSONFEED):
        raise NotAnArticle("JSON is not a JSON Feed (no https://jsonfeed.org/version/ version)")
    items = doc.get("items")
    if not isinstance(items, list) or not items:
        raise NotAnArticle("feed has no entries")
    title = _strip(str(doc.get("title") or "")) or None
    lang = norm_language(doc.get("language") if isinstance(doc.get("language"), str) else None)
    feed_authors = _json_authors(doc)
    out = []
    for item in items:
        if not isinstance(item, dict):
            continue
        link = _str(item.get("url")) or _str(item.get("external_url"))
        ident = item.get("id")
        key = str(ident) if isinstance(ident, str | int) and str(ident) else (link or "")
        images = [Image(src=s) for s in (_str(item.get("image")), _str(item.get("banner_image")))
                  if s]
        for att in item.get("attachments") or []:
            if isinstance(att, dict) and str(att.get("mime_type", "")).startswith("image/") \
                    and _str(att.get("url")):
                images.append(Image(src=str(att["url"]), caption=_opt(att.get("title"))))
        raw_tags = item.get("tags")
        tags: list[Any] = raw_tags if isinstance(raw_tags, list) else []
        out.append(_Entry(
            key=key, title=" ".join(_strip(_str(item.get("title")) or "").split()),
            html=_str(item.get("content_html")),
            text=_str(item.get("content_text")) or _str(item.get("summary")),
            link=link, published=_date(item.get("date_published")),
            updated=_date(item.get("date_modified")),
            authors=_json_authors(item) or feed_authors,
            tags=[str(t) for t in tags if isinstance(t, str | int)], images=images,
            language=norm_language(_str(item.get("language")))))
    return title, lang, out


def _json_authors(obj: dict[str, Any]) -> list[str]:
    raw = obj.get("authors")
    items: list[Any] = raw if isinstance(raw, list) else [obj.get("author")]
    return [str(a["name"]) for a in items if isinstance(a, dict) and _str(a.get("name"))]


# --- entries -> articles ------------------------------------------------------------------

def _to_articles(entries: list[_Entry], *, base: str, site: str | None,
                 feed_lang: str | None, extra_tags: tuple[str, ...]) -> ParsedFeed:
    result = ParsedFeed(articles=[], title=site)
    if not entries:
        raise NotAnArticle("feed has no entries")
    # Last occurrence of a key wins; dict order keeps the first position (deterministic).
    by_key: dict[str, tuple[_Entry, list[str]]] = {}
    for entry in entries:
        try:
            body = _body(entry)
        except RejectedInput as exc:
            result.skipped += 1
            result.reasons.append(exc.reason)
            log.warning("skipping feed entry %r: %s", entry.key or entry.title[:60], exc.reason)
            continue
        key = entry.key or "sha256:" + content_hash(entry.title, body)[:32]
        if key in by_key:
            result.duplicates += 1
        by_key[key] = (entry, body)
    link_count: dict[str, int] = {}
    urls: dict[str, str | None] = {}
    for key, (entry, _) in by_key.items():
        url = _entry_url(entry.link, base)
        urls[key] = url
        if url:
            link_count[url] = link_count.get(url, 0) + 1
    for key, (entry, body) in by_key.items():
        url = urls[key]
        if url and link_count[url] > 1:
            url = None  # shared link: identity falls back to <feed>#<guid>
        try:
            result.articles.append(_article(entry, body, key=key, url=url, base=base,
                                            site=site, feed_lang=feed_lang,
                                            extra_tags=extra_tags))
        except Exception as exc:  # skip the entry, keep the feed
            result.skipped += 1
            result.reasons.append(f"{exc.__class__.__name__}")
            log.warning("skipping feed entry %r: %s", key, exc)
    if not result.articles:
        why = f" ({result.skipped} skipped: {result.reasons[0]})" if result.reasons else ""
        raise NotAnArticle(f"feed has no usable entries{why}")
    return result


def _body(entry: _Entry) -> list[str]:
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


def _article(entry: _Entry, body: list[str], *, key: str, url: str | None, base: str,
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
