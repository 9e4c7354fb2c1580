"""The cap on every text field an article carries, and the one function applying them.

Both places that build articles (``worker.normalise.article`` for text, files, HTML, JSON and
API submissions; ``worker.feeds.entries`` for feed items) pass what they build through
:func:`capped`, so no input path stores a field past its cap (the adversarial trial stored a
10 MB feed title whole). The rules, also in docs/security.md ("Article field caps"):

* text is cut at a word boundary and ends with "…" (title, lede, dateline, authors, site name,
  tags, image captions and credits); lists keep their first items (authors, tags, images);
* a URL longer than ``URL_CHARS`` is dropped, never cut (a cut URL names another page): the
  article's URL becomes None (its identity falls back to its source), an image is left out;
* a language tag longer than ``LANGUAGE_CHARS`` is dropped;
* a source location longer than ``LOCATION_CHARS`` keeps its start plus a SHA-256 of the whole
  (it may be the article's identity: two long locations must stay two);
* the body has no cap of its own: the input it comes from is capped (``max_file_bytes``,
  ``max_body_bytes``, ``max_upload_bytes``).

A title that is cut gets a new ``content_hash`` (computed from the cut title), so the same
input always yields the same stored article.
"""

from __future__ import annotations

import hashlib
from typing import Final

from worker.events.models import Article, Image, Source, content_hash

TITLE_CHARS: Final = 500
LEDE_CHARS: Final = 2_000
DATELINE_CHARS: Final = 200
AUTHORS_MAX: Final = 20
AUTHOR_CHARS: Final = 200
SITE_NAME_CHARS: Final = 200
LANGUAGE_CHARS: Final = 35  # the longest BCP 47 tag in practical use
TAGS_MAX: Final = 50
TAG_CHARS: Final = 100
IMAGES_MAX: Final = 50
CAPTION_CHARS: Final = 1_000
CREDIT_CHARS: Final = 200
URL_CHARS: Final = 2_048  # what browsers and CDNs reliably accept
LOCATION_CHARS: Final = 4_096  # PATH_MAX on Linux; feed locations are "<feed>#<entry key>"


def cut(text: str, limit: int) -> str:
    """``text`` in at most ``limit`` characters: cut at a word boundary (when one is near the
    end) and marked with "…". Text within the limit is returned unchanged, so cutting twice
    gives the same result as once."""
    if len(text) <= limit:
        return text
    head = text[:limit - 1]
    space = head.rfind(" ")
    if space >= limit * 4 // 5:
        head = head[:space]
    return head.rstrip() + "…"


def _cut_opt(text: str | None, limit: int) -> str | None:
    return None if text is None else cut(text, limit)


def _location(location: str) -> str:
    if len(location) <= LOCATION_CHARS:
        return location
    digest = hashlib.sha256(location.encode("utf-8", "surrogatepass")).hexdigest()
    return location[:LOCATION_CHARS - 72] + "#sha256:" + digest


def _within(texts: tuple[str, ...], most: int, chars: int) -> bool:
    """At most ``most`` distinct texts, none over ``chars`` (what capping keeps as it is)."""
    return len(texts) <= most and all(len(t) <= chars for t in texts) \
        and len(set(texts)) == len(texts)


def _within_caps(a: Article) -> bool:
    """Nothing in ``a`` over a cap or repeated: ``capped`` would return it as it is. Length
    tests only, so the usual article costs ~1 us here, not the ~8 of capping it field by
    field."""
    return len(a.title) <= TITLE_CHARS and (a.lede is None or len(a.lede) <= LEDE_CHARS) \
        and (a.dateline is None or len(a.dateline) <= DATELINE_CHARS) \
        and (a.site_name is None or len(a.site_name) <= SITE_NAME_CHARS) \
        and (a.language is None or len(a.language) <= LANGUAGE_CHARS) \
        and (a.url is None or len(a.url) <= URL_CHARS) \
        and len(a.source.location) <= LOCATION_CHARS \
        and _within(a.authors, AUTHORS_MAX, AUTHOR_CHARS) and _within(a.tags, TAGS_MAX, TAG_CHARS) \
        and (not a.images or (len(a.images) <= IMAGES_MAX and len(set(a.images)) == len(a.images)
                              and all(len(i.src) <= URL_CHARS
                                      and (i.caption is None or len(i.caption) <= CAPTION_CHARS)
                                      and (i.credit is None or len(i.credit) <= CREDIT_CHARS)
                                      for i in a.images)))


def capped(article: Article) -> Article:
    """``article`` within every cap (the same object when nothing was over one)."""
    if _within_caps(article):
        return article
    title = cut(article.title, TITLE_CHARS)
    images = tuple(Image(src=i.src, caption=_cut_opt(i.caption, CAPTION_CHARS),
                         credit=_cut_opt(i.credit, CREDIT_CHARS))
                   for i in article.images if len(i.src) <= URL_CHARS)[:IMAGES_MAX]
    update = {
        "title": title,
        "lede": _cut_opt(article.lede, LEDE_CHARS),
        "dateline": _cut_opt(article.dateline, DATELINE_CHARS),
        "authors": tuple(dict.fromkeys(cut(a, AUTHOR_CHARS) for a in article.authors))[
            :AUTHORS_MAX],
        "site_name": _cut_opt(article.site_name, SITE_NAME_CHARS),
        "language": article.language if article.language is None
        or len(article.language) <= LANGUAGE_CHARS else None,
        "tags": tuple(dict.fromkeys(cut(t, TAG_CHARS) for t in article.tags))[:TAGS_MAX],
        "images": tuple(dict.fromkeys(images)),
        "url": article.url if article.url is None or len(article.url) <= URL_CHARS else None,
        "source": article.source if len(article.source.location) <= LOCATION_CHARS
        else Source(kind=article.source.kind, location=_location(article.source.location)),
    }
    if title != article.title:
        update["content_hash"] = content_hash(title, article.body)
    changed = {k: v for k, v in update.items() if v != getattr(article, k)}
    return article.model_copy(update=changed) if changed else article
