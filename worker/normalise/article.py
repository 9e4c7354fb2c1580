"""Raw input (plain-text dump, HTML page, JSON export) -> one normalised Article.

Everything that can go wrong with an input surfaces as a RejectedInput subclass with a
short reason; nothing else escapes ``normalise``. The heavy lifting lives in helpers:
``decode`` (bytes -> text), ``plaintext`` (plain-text line classification), ``html``
(HTML), ``dates`` (every date) and ``meta`` (URLs, language, datelines, bylines).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Iterator
from datetime import datetime
from itertools import islice
from typing import Any

import orjson

from worker.errors import EmptyInput, NotAnArticle, RejectedInput, TooLarge
from worker.events.limits import capped
from worker.events.models import Article, Image, Source, normalised_content_hash
from worker.normalise.columns import split_columns
from worker.normalise.cues import CJK_RE, is_label
from worker.normalise.date_lines import dates_from_lines, first_date, trailer_date
from worker.normalise.decode import clean_text, decode_bytes
from worker.normalise.html import extract_html, html_to_paragraphs
from worker.normalise.html_parse import declared_charset
from worker.normalise.line_cues import is_furniture
from worker.normalise.lines import MAX_LINES
from worker.normalise.meta import (
    canonical_url,
    dateline_date,
    detect_language,
    local_dateline,
    norm_language,
    parse_byline,
    split_dateline,
)
from worker.normalise.narrow import join_narrow_blocks
from worker.normalise.plaintext import extract_parts
from worker.normalise.textfix import squeeze, unshout

log = logging.getLogger(__name__)

NORMALISER_VERSION = "2.0.0"

__all__ = ["NORMALISER_VERSION", "normalise", "normalise_html", "normalise_text"]

_EXT_KIND = {"txt": "text", "text": "text", "md": "text", "html": "html", "htm": "html",
             "xhtml": "html", "shtml": "html", "json": "json"}
_HTML_SNIFF_RE = re.compile(r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*"
                            r"(?:<!doctype\s+html|<html\b|<head\b|<body\b)", re.I | re.S)
_TAGS_RE = re.compile(r"<(?:p|div|article|section|h[1-6]|span|a|br|table|ul)\b", re.I)
_BYLINE_START_RE = re.compile(r"^(?:by|written by|von|par|por)\s+\S", re.IGNORECASE)
_HTTP_RE = re.compile(r"^https?://", re.IGNORECASE)
_ASCII_WS_RE = re.compile(r"[ \t\n\r\f\v]+")
# pictographs opening a channel post's headline ("🚇⚡️ ...") are no words of it
_EMOJI_LEAD_RE = re.compile(r"^[\s\U0001F000-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF\uFE0F\u200D]+")
_MIN_WORDS = 12


def _count_words(text: str) -> int:
    """Whitespace words, plus about one word per two CJK characters (no spaces there)."""
    n = len(text.split())
    return n if text.isascii() else n + len(CJK_RE.findall(text)) // 2


def _ext(location: str) -> str:
    tail = location.split("?", 1)[0].split("#", 1)[0].rsplit("/", 1)[-1]
    return tail.rsplit(".", 1)[-1].lower() if "." in tail else ""


def _json_start(text: str) -> int:
    """Where a JSON document starts in ``text``: 0, or after a first line that is the
    shell command which printed it ("$ curl ... | python3 -m json.tool"); -1 when none."""
    head = text.lstrip()[:1]
    if head in ("{", "["):
        return 0
    if head == "$" and (nl := text.find("\n")) > 0 and text[nl + 1:].lstrip()[:1] in ("{", "["):
        return nl + 1
    return -1


def sniff_kind(text: str, location: str = "") -> str:
    kind = _EXT_KIND.get(_ext(location))
    if kind and kind != "text":
        return kind
    # (a .txt file may hold a tool's JSON output: the content decides)
    if (start := _json_start(text)) >= 0:
        try:
            orjson.loads(text[start:])
            return "json"
        except orjson.JSONDecodeError:
            pass
    if kind:
        return kind
    head = text.lstrip()[:1]
    if _HTML_SNIFF_RE.match(text[:4096]) or (head == "<" and _TAGS_RE.search(text[:4096])):
        return "html"
    return "text"


def normalise(raw: bytes, *, source: Source, kind: str | None = None, url: str | None = None,
              max_bytes: int = 15 * 1024 * 1024) -> Article:
    """Normalise raw bytes into an Article; raises only RejectedInput subclasses."""
    try:
        return _normalise(bytes(raw), source=source, kind=kind, url=url, max_bytes=max_bytes)
    except RejectedInput:
        raise
    except RecursionError:
        raise NotAnArticle("input is nested too deeply to process") from None
    except Exception as exc:  # never a traceback for a bad input
        log.warning("normaliser failed on %s", source.location, exc_info=True)
        raise NotAnArticle(f"could not extract an article ({type(exc).__name__})") from None


def _normalise(raw: bytes, *, source: Source, kind: str | None, url: str | None,
               max_bytes: int) -> Article:
    if len(raw) > max_bytes:
        raise TooLarge(f"input is {len(raw):,} bytes; the limit is {max_bytes:,} bytes")
    if not raw or raw.isspace():  # as `not raw.strip()`, without copying the input
        raise EmptyInput("input is empty" if not raw else "input contains only whitespace")
    if kind == "html" or (kind is None and _EXT_KIND.get(_ext(source.location)) == "html"):
        return normalise_html(raw, source=source, url=url)
    text = decode_bytes(raw)
    if not text or text.isspace():
        raise EmptyInput("input has no visible text")
    kind = kind or sniff_kind(text, source.location)
    if kind == "html":
        return _from_html(text, source=source, url=url)
    if kind == "json":
        return _from_json(text, source=source, url=url)
    return _from_text(text, source=source, url=url)


def normalise_text(text: str, *, source: Source, url: str | None = None) -> Article:
    """Normalise already-decoded plain text (e.g. posted to the HTTP API)."""
    try:
        text = clean_text(text)
        if not text or text.isspace():
            raise EmptyInput("text is empty")
        if _HTML_SNIFF_RE.match(text[:4096]):
            return _from_html(text, source=source, url=url)
        return _from_text(text, source=source, url=url)
    except RejectedInput:
        raise
    except Exception as exc:
        log.warning("normaliser failed on %s", source.location, exc_info=True)
        raise NotAnArticle(f"could not extract an article ({type(exc).__name__})") from None


def normalise_html(html: str | bytes, *, source: Source, url: str | None = None) -> Article:
    """Normalise an HTML page (bytes are decoded using its declared charset when valid)."""
    try:
        if isinstance(html, bytes | bytearray):
            raw = bytes(html)
            if not raw or raw.isspace():
                raise EmptyInput("input is empty")
            text: str | None = None
            charset = declared_charset(raw)
            if charset:
                try:
                    text = clean_text(raw.decode(charset))
                except (UnicodeDecodeError, LookupError):
                    text = None
            html = text if text is not None else decode_bytes(raw)
        else:
            html = clean_text(html)
        if not html or html.isspace():
            raise EmptyInput("input is empty")
        return _from_html(html, source=source, url=url)
    except RejectedInput:
        raise
    except RecursionError:
        raise NotAnArticle("HTML is nested too deeply to process") from None
    except Exception as exc:
        log.warning("normaliser failed on %s", source.location, exc_info=True)
        raise NotAnArticle(f"could not extract an article ({type(exc).__name__})") from None


# --- per-kind extraction -------------------------------------------------------------------

def _from_text(text: str, *, source: Source, url: str | None) -> Article:
    if _json_start(text) >= 0 and sniff_kind(text) == "json":
        return _from_json(text, source=source, url=url)  # a tool's JSON output saved as text
    parts = extract_parts(join_narrow_blocks(split_columns(text)))
    authors = [n for line in parts.authors for n in parse_byline(line)]
    lang = detect_language("\n".join(parts.body[:10]))
    published, updated = dates_from_lines(parts.date_lines, dayfirst=lang not in (None, "en"))
    published = published or trailer_date(text)
    return _build(parts.title, parts.body, source=source, url=url, authors=authors,
                  published=published, updated=updated, site_name=parts.site_name,
                  images=parts.images, detected=lang)


def _from_html(html: str, *, source: Source, url: str | None) -> Article:
    parts = extract_html(html, url)
    published = first_date(parts.published)
    updated = first_date(parts.updated)
    if parts.date_lines and published is None:
        # "03/02/2009 - 12:51" on a Spanish page is 3 February, as in text dumps
        lang = norm_language(parts.language) or detect_language("\n".join(parts.paragraphs[:10]))
        published, updated = dates_from_lines(parts.date_lines, dayfirst=lang not in (None, "en"))
    authors = parts.authors or [n for ln in parts.byline_lines for n in parse_byline(ln)]
    return _build(parts.title, parts.paragraphs, source=source, url=url or parts.url,
                  authors=authors, published=published, updated=updated,
                  site_name=parts.site_name, language=parts.language,
                  description=parts.description, tags=parts.tags, images=parts.images,
                  spaced=True)


def _text_field(obj: dict[str, Any], *keys: str) -> str | None:
    for key in keys:
        val = obj.get(key)
        if isinstance(val, list) and val and isinstance(val[0], dict):
            val = val[0].get("value") or val[0].get("name")
        if isinstance(val, str) and val.strip():
            return val.strip()
    return None


def _from_json(text: str, *, source: Source, url: str | None) -> Article:
    try:
        data = orjson.loads(text[max(0, _json_start(text)):])
    except orjson.JSONDecodeError as exc:
        raise NotAnArticle(f"invalid JSON ({str(exc).split(':')[0]})") from None
    # an API's envelope: Diffbot's "objects", "data", "article", "results" ...
    for key in ("articles", "objects", "article", "data", "results", "result", "items"):
        if isinstance(data, dict) and isinstance(data.get(key), list | dict) \
                and not _text_field(data, "title", "headline"):
            data = data[key]
    if isinstance(data, list):
        data = next((d for d in data if isinstance(d, dict)), None)
    if not isinstance(data, dict):
        raise NotAnArticle("JSON has no article object")
    title = _text_field(data, "title", "headline", "name") or ""
    description = _text_field(data, "description", "summary", "subtitle", "dek")
    raw_body: Any = next((data[k] for k in ("maintext", "text", "body", "content",
                                            "articleBody", "content_html", "summary_detail")
                          if data.get(k)), None)
    if isinstance(raw_body, str) and raw_body.lstrip()[:1] != "<" \
            and _MARKDOWN_RE.search(raw_body):
        paragraphs = extract_parts(raw_body).body  # a parser's Markdown: read as a text dump
    else:
        paragraphs = _json_paragraphs(raw_body)
    if not paragraphs and description:
        paragraphs = _json_paragraphs(description)
    authors: list[str] = []
    for key in ("authors", "author", "byline", "creator"):
        val = data.get(key)
        vals = val if isinstance(val, list) else [val]
        for v in vals:
            name = v.get("name") if isinstance(v, dict) else v
            if isinstance(name, str) and name.strip():
                authors += parse_byline(name) if _BYLINE_START_RE.match(name) else [name.strip()]
        if authors:
            break
    published = first_date([data.get(k) for k in (
        "date_publish", "published", "published_at", "date_published", "datePublished",
        "pubDate", "date",
        "publish_date", "created_at", "published_parsed")])
    updated = first_date([data.get(k) for k in (
        "date_modify", "updated", "updated_at", "dateModified", "modified")])
    tags: list[str] = []
    for key in ("tags", "keywords", "categories", "category"):
        val = data.get(key)
        for v in val if isinstance(val, list) else [val]:
            term = v.get("term") or v.get("name") if isinstance(v, dict) else v
            if isinstance(term, str):
                tags += [t.strip() for t in term.split(",") if t.strip()]
    images: list[tuple[str, str | None, str | None]] = []
    img = _text_field(data, "image_url", "top_image", "image")
    if img:
        images.append((img, None, None))
    return _build(title, paragraphs, source=source,
                  url=url or _text_field(data, "url", "link", "canonical_url", "source_url"),
                  authors=authors, published=published, updated=updated,
                  site_name=_text_field(data, "source_domain", "site_name", "sitename",
                                        "publisher", "source"),
                  language=_text_field(data, "language", "lang", "inLanguage"),
                  description=description, tags=tags, images=images)


# Markdown an extraction tool wrote (Postlight/Mercury, Jina, Firecrawl): links, images,
# list items and headings on lines of their own
_MARKDOWN_RE = re.compile(r"\]\(https?://|^(?:\*|-|#{1,6}) \S|^\*\*[^*\n]+\*\*$", re.MULTILINE)


def _json_paragraphs(value: Any) -> list[str]:
    """A JSON body's paragraphs: text or HTML strings, lists of them, {"value": ...}. At most
    MAX_LINES lines are looked at in all (each costs a furniture check), however nested."""
    out: list[str] = []
    looked = 0
    for text in _json_strings(value):
        if looked >= MAX_LINES:
            break
        text = clean_text(text)
        if "<" in text and _TAGS_RE.search(text):
            paras = html_to_paragraphs(text)  # looks at MAX_LINES lines at most itself
            looked += len(paras) + 1
        else:
            lines = [" ".join(p.split()) for p in islice(
                (p for p in text.split("\n") if p.strip()), MAX_LINES - looked)]
            looked += len(lines) + 1
            paras = [p for p in lines if not is_furniture(p)]
        out += paras
    return out


def _json_strings(value: Any) -> Iterator[str]:
    if isinstance(value, list):
        for v in value:
            yield from _json_strings(v.get("value") if isinstance(v, dict) else v)
    elif isinstance(value, dict):
        yield from _json_strings(value.get("value") or value.get("text"))
    elif isinstance(value, str) and value.strip():
        yield value


# --- assembly ------------------------------------------------------------------------------

def _build(title: str, paragraphs: list[str], *, source: Source, url: str | None,
           authors: list[str], published: datetime | None = None,
           updated: datetime | None = None, site_name: str | None = None,
           language: str | None = None, description: str | None = None,
           tags: Iterable[str] = (), images: Iterable[tuple[str, str | None, str | None]] = (),
           detected: str | None = None, spaced: bool = False) -> Article:
    """The article from its parts; ``spaced``: the paragraphs are whitespace-normalised
    already (HTML's are), so not split and joined again (a sixth of this function's time)."""
    # split() would also collapse U+3000, the separator CJK headlines keep (decode.clean_text)
    title = " ".join(_ASCII_WS_RE.split(_EMOJI_LEAD_RE.sub("", title).strip()))
    body = list(paragraphs) if spaced else [squeeze(p) for p in paragraphs]
    body = [p for p in body if p and not (len(p) <= 80 and is_label(p))]
    if body and title and body[0].lower() == " ".join(title.split()).lower():
        body.pop(0)
    # A byline left at the top of the text (JSON / HTML bodies) is metadata.
    # Counted, then cut once: popping the head of the list one by one is quadratic when a
    # body is thousands of bylines. (The index always advances, so the loop ends.)
    n_bylines = 0
    while n_bylines < len(body) and len(body[n_bylines].split()) <= 12 \
            and _BYLINE_START_RE.match(body[n_bylines]):
        if not authors:
            authors = parse_byline(body[n_bylines])
        n_bylines += 1
    del body[:n_bylines]
    dateline: str | None = None
    # A dateline opens the story: short lines above it are the dek or a caption.
    for k in (1, 2):
        if len(body) > k and (d := split_dateline(body[k]))[0] and len(d[1].split()) >= 12 \
                and not split_dateline(body[0])[0] and all(_count_words(p) <= 60 for p in body[:k]):
            del body[:k]
            break
    if body:
        if published is None:
            published = dateline_date(body[0])
        place, rest = split_dateline(body[0])
        if place is None and (body[0][:1].isupper() or "।" in body[0][:30]
                              or (":" in body[0][:30] and "\u0900" <= body[0][:1] <= "\u0dff")):
            place, rest = local_dateline(body[0])
        # "ANA SILVA: ..." that opens later paragraphs too is a transcript's speaker
        if place and not any(p.startswith(f"{place}:") for p in body[1:]):
            dateline, body[0] = place, rest
    # body paragraphs are whitespace-normalised here: a space count is their word count
    counts = [p.count(" ") + 1 if p.isascii() else _count_words(p) for p in body]
    words = sum(counts)
    if not body or (words < _MIN_WORDS and not any(n >= 8 for n in counts)):
        raise NotAnArticle("no article text found" if not title
                           else "no article text found under the title")
    if not title:
        title = _title_from(body[0])
    elif title.isupper():
        title = unshout(title, body)
    desc = " ".join(description.split()) if description else None
    lang = norm_language(language) or detected or detect_language(
        f"{title}\n" + "\n".join(body[:20]))
    canon = canonical_url(url) if url and _HTTP_RE.match(url.strip()) else None
    if updated is not None and published is not None and updated < published:
        updated = None
    return capped(Article(
        title=title, body=tuple(body), lede=body[0] if body else desc, dateline=dateline,
        authors=tuple(dict.fromkeys(a for a in authors if a)), published_at=published,
        updated_at=updated, url=canon, site_name=site_name or None, source=source,
        language=lang,
        images=tuple(Image(src=s, caption=c, credit=cr) for s, c, cr in dict.fromkeys(images)
                     if s),
        tags=tuple(dict.fromkeys(t for t in tags if t))[:50], word_count=words,
        # the body is whitespace-normalised above (the title may keep U+3000)
        content_hash=normalised_content_hash(" ".join(title.split()), body),
        normaliser_version=NORMALISER_VERSION))


def _title_from(para: str) -> str:
    """No headline found: the first sentence, cut at a word boundary."""
    first = re.split(r"(?<=[.!?])\s", para, maxsplit=1)[0]
    if len(first) <= 120:
        return first
    return first[:120].rsplit(" ", 1)[0] + "…"
