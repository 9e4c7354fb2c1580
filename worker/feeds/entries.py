"""Feed entries -> articles, in chunks (``FeedStream``), and the helpers every parser shares.

``Entry`` is what every parser (feedparser, JSON Feed, the streaming RSS path) produces.
``FeedStream`` turns them into articles without ever holding the whole feed's articles:
entry identity and duplicate/shared-link decisions need only keys and links, taken in a
first pass.
"""

from __future__ import annotations

import html as htmllib
import logging
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from worker.errors import NotAnArticle, RejectedInput
from worker.events.limits import capped
from worker.events.models import Article, Image, Source, content_hash
from worker.feeds.bylines import drop_sign_off, entry_authors
from worker.feeds.entry_rules import (
    has_text,
    is_sponsored,
    leading_block,
    link_post_target,
    not_an_article,
    page_link,
    past_points_box,
    similar_titles,
    story_key,
    strip_markup,
    tidy_feed_markup,
    unescape_residual,
)
from worker.feeds.item_kinds import not_news
from worker.feeds.lead_lines import drop_lead_lines
from worker.feeds.markup_rules import clean_entry_markup, heading_texts, strip_shortcodes
from worker.normalise.article import NORMALISER_VERSION
from worker.normalise.decode import clean_text
from worker.normalise.html import html_to_paragraphs
from worker.normalise.meta import canonical_url, detect_language

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
    source_title: str | None = None  # aggregators: the publisher the entry comes from
    promo: str | None = None  # why the entry is the feed's own promotion, not an article


class FeedStream:
    """A feed's articles in chunks, never all of them at once.

    Two passes over the entries (``entries()`` is called twice): the first keeps only each
    key's first position and its kept copy's position and link, the second builds articles.
    A key's last copy wins unless dated before the one kept, and takes the first one's
    position (deterministic order); only articles queued behind such a slot are held back.
    """

    def __init__(self, entries: Callable[[], Iterator[Entry]], *, base: str,
                 site: str | None, feed_lang: str | None, extra_tags: tuple[str, ...],
                 site_url: str | None = None, parser: str = "feedparser") -> None:
        self.title, self.skipped, self.duplicates, self.built = site, 0, 0, 0
        self.parser = parser  # which parser read the entries (logs, tests)
        self.reasons: list[str] = []
        self._entries, self._lang, self._tags = entries, feed_lang, extra_tags
        # Relative links resolve against the feed's URL, else (a file) the site's own link.
        self._base = base if _HTTP_RE.match(base) or not site_url else site_url.strip()
        self._location = base
        self._site_url = site_url or base
        # key -> (first position, kept copy's position, URL of the kept copy)
        self._span: dict[str, tuple[int, int, str | None]] = {}
        # (URL, title) -> the first key listing it: the same story again under another id
        # (a repost, an alert through a second redirect) is a duplicate, the first one kept.
        stories: dict[tuple[str, str], str] = {}
        titled: dict[str, list[tuple[str, str]]] = {}  # URL -> (title, key) of those kept
        stamps: dict[str, datetime | None] = {}  # key -> date of the copy kept
        for i, entry in enumerate(entries()):
            key = self._key(entry, count=True)
            if key is None:
                continue
            url = self._url(entry)
            story = story_key(url, entry.title) if url and entry.title else None
            if story and key not in self._span and (
                    stories.setdefault(story, key) != key
                    or any(k != key and similar_titles(t, entry.title)  # its title reworded
                           for t, k in titled.setdefault(story[0], []))):
                self.duplicates += 1
                continue
            if story:
                titled.setdefault(story[0], []).append((entry.title, key))
            # A later copy wins (an update), unless it is dated before the copy kept: a feed
            # listing one link twice, newest first (a link aggregator's resubmission).
            stamp, kept = entry.updated or entry.published, stamps.get(key)
            self.duplicates += key in self._span
            if key in self._span and stamp and kept and stamp < kept:
                continue
            first, stamps[key] = (self._span[key][0] if key in self._span else i), stamp
            self._span[key] = (first, i, url)
        if not self._span and not self.skipped:
            raise NotAnArticle("feed has no entries")
        self._links: dict[str, int] = {}
        for _, _, url in self._span.values():
            if url:
                self._links[url] = self._links.get(url, 0) + 1

    def _url(self, entry: Entry) -> str | None:
        # No link: a GUID/id that is itself a web address still names the page.
        link = page_link(entry.link, entry.key) or \
            (entry.key if _HTTP_RE.match(entry.key) else None)
        return _entry_url(link_post_target(entry.html) or link, self._base)

    def _key(self, entry: Entry, *, count: bool = False) -> str | None:
        """The entry's identity, or None (counted as skipped) when it has nothing to show."""
        promo = entry.promo or (entry.title and (
            ("sponsored item" if is_sponsored(entry.title, [*entry.tags, *entry.authors],
                                              entry.link, self._site_url) else None)
            or not_news(entry.title, entry.tags, entry.link, entry.html or entry.text)))
        if not promo and not (entry.html or entry.text or "").strip() and not entry.images \
                and self._url(entry) is None:
            promo = "entry with neither a link nor text"  # a CMS stub, a "Breaking" placeholder
        if promo:
            if count:
                self.skipped += 1
                self.reasons.append(promo)
                log.info("skipping %s %r", promo, entry.title[:60])
            return None
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
        # The first pass judged every entry (``_key``: promo rules, ~50 us an entry): the
        # second looks its kept copies up by position instead of judging them again.
        kept_at = {last: key for key, (_, last, _) in self._span.items()}
        window: list[Article | str | None] = []  # Article, None (skipped) or a reserved key
        waiting: dict[str, int] = {}  # reserved key -> absolute slot
        offset = pos = 0  # absolute slot of window[0]; next position to reserve from
        for i, entry in enumerate(self._entries()):
            key = kept_at.get(i)
            if key is None:
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
            # The first pass kept the URL of this key's last copy, which this entry is: no
            # second canonicalisation (courlan, ~20 us a link).
            url = self._span[key][2]
            if url and self._links.get(url, 0) > 1:
                url = None  # shared link: identity falls back to <feed>#<guid>
            body = _body(entry)
            why = not_an_article(url, body, entry.title)
            if why:
                raise NotAnArticle(why)
            art = _article(entry, body, key=key, url=url, base=self._base,
                           location=self._location, site=self.title, feed_lang=self._lang,
                           extra_tags=self._tags)
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
    paras = _paras(entry.html, markup=True) if entry.html else []
    if len(paras) > 1 and entry.html and (lead := leading_block(entry.html)):
        # a section heading or a code block opening the post is not its first paragraph
        k = 0
        while k < len(paras) - 1 and " ".join(paras[k].split()) in lead:
            k += 1
        paras = paras[k:]
    if entry.html and len(paras) > 2 and "<li" in entry.html:
        paras = past_points_box(paras, entry.html)
    if not paras and entry.text:  # plain text, or the summary when the content was empty
        paras = _paras(entry.text, markup=bool(entry.html) and "<" in entry.text)
    if not paras and not entry.title:
        raise NotAnArticle("entry has neither title nor content")
    return paras


def _paras(value: str, *, markup: bool) -> list[str]:
    # Markup escaped twice (``&lt;p&gt;`` left after XML parsing) is still markup.
    if _ESCAPED_TAG_RE.search(value) and (not markup or "<" not in value):
        value, markup = htmllib.unescape(value), True
    if markup and _is_link_list(value):
        return []  # aggregator blurbs: headline links + publisher names, no prose
    paras = html_to_paragraphs(tidy_feed_markup(clean_entry_markup(clean_text(value)))) \
        if markup else re.split(r"\n\s*\n", strip_shortcodes(clean_text(value)))
    paras = [" ".join(unescape_residual(p).split()) for p in paras]
    return [p for p in paras if has_text(p)]  # not a lone emoji or ornament


def _article(entry: Entry, body: list[str], *, key: str, url: str | None, base: str,
             location: str, site: str | None, feed_lang: str | None,
             extra_tags: tuple[str, ...]) -> Article:
    title = clean_title(clean_text(entry.title), entry.source_title, site)
    if not title:
        words = " ".join(body).split()
        title = " ".join(words[:TITLE_WORDS]) + ("…" if len(words) > TITLE_WORDS else "")
    body, byline = drop_lead_lines(body, title if entry.title else "", heading_texts(entry.html))
    body, signed = drop_sign_off(body) if not byline and not entry.authors else (body, None)
    if not body:
        body = [title]  # headline-only entries (link blogs) are still news items
    lang = entry.language or feed_lang or detect_language(title + "\n" + "\n".join(body[:10]))
    now = datetime.now(UTC) + timedelta(days=2)
    published = entry.published if entry.published and entry.published <= now else None
    updated = entry.updated if entry.updated and entry.updated <= now else None
    images = tuple(dict.fromkeys(Image(src=urljoin(base, i.src) if _HTTP_RE.match(base)
                                       else i.src, caption=i.caption) for i in entry.images))
    return capped(Article(
        title=title, body=tuple(body), lede=body[0], authors=entry_authors(
            entry.authors, byline, signed, entry.source_title),
        published_at=published or updated, updated_at=updated, url=url, site_name=site,
        source=Source(kind="feed", location=f"{location}#{key}"), language=lang,
        images=images[:20], tags=tuple(dict.fromkeys(t for t in (*entry.tags, *extra_tags)
                                                     if t))[:50],
        word_count=sum(len(p.split()) for p in body),
        content_hash=content_hash(title, tuple(body)), normaliser_version=NORMALISER_VERSION))


def _entry_url(link: str | None, base: str) -> str | None:
    link = (link or "").strip()
    if link and not _HTTP_RE.match(link) and _HTTP_RE.match(base):
        link = urljoin(base, link)
    return canonical_url(_drop_feed_params(_unwrap_redirect(link))) \
        if _HTTP_RE.match(link) else None


# --- entry fields: links, titles, bylines --------------------------------------------------

# Click-tracking wrappers (news aggregators, mail and social redirectors) carry the real
# address in one query parameter.
_REDIRECT_KEYS = ("url", "u", "dest", "destination", "target", "redirect", "redirect_url")
# Publishers tag feed traffic with ?source=rss-…, ?ref=rss, ?from=feed on article links.
_FEED_PARAM_KEYS = frozenset({"source", "src", "ref", "referrer", "from", "via", "cmp",
                              "origin", "channel", "mod", "rss"})
_FEED_VALUE_RE = re.compile(r"^(?:rss|feed|atom)(?:$|[\W_])", re.IGNORECASE)


def _unwrap_redirect(link: str) -> str:
    try:
        parts = urlsplit(link)
        params = dict(parse_qsl(parts.query))
        for key in _REDIRECT_KEYS:
            target = params.get(key, "").strip()
            if _HTTP_RE.match(target) and urlsplit(target).hostname not in (None,
                                                                           parts.hostname):
                return target
    except ValueError:  # a malformed address is left to canonical_url
        pass
    return link


def _drop_feed_params(link: str) -> str:
    try:
        parts = urlsplit(link)
    except ValueError:
        return link
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    kept = [(k, v) for k, v in pairs
            if not (k.lower() in _FEED_PARAM_KEYS and (_FEED_VALUE_RE.match(v) or k == "rss"))]
    return urlunsplit(parts._replace(query=urlencode(kept))) if len(kept) < len(pairs) else link


_ESCAPED_TAG_RE = re.compile(r"&lt;/?(?:p|br|div|span|a|b|i|em|strong|img|ul|ol|li|h[1-6]|"
                             r"figure|blockquote)\b", re.IGNORECASE)


_A_RE = re.compile(r"<a\b[^>]*>(.*?)</a\s*>", re.IGNORECASE | re.DOTALL)


def _is_link_list(markup: str) -> bool:
    """Only links, and at most a few words around each (publisher names), is not a body.
    Capped at 80 link words: a long round-up post of links with commentary is a post."""
    links = _A_RE.findall(markup) if "<a" in markup.lower() else []
    link_words = sum(len(_TAG_RE.sub(" ", a).split()) for a in links)
    if not links or link_words > 80:
        return False
    stripped = _A_RE.sub("<br>", markup)
    if len(_TAG_RE.sub(" ", stripped).split()) > 2 * link_words:
        return False  # plainly prose: spare the parse
    rest = html_to_paragraphs(stripped)
    return link_words > sum(len(p.split()) for p in rest) and all(len(p.split()) <= 4
                                                                  for p in rest)


_SEPS = (" - ", " – ", " — ", " | ")
# A feed converter's media tag ("[Photo]", "[Видео]") or a paywall brand ("Hanse+ |", "Z+ ·")
# opening a title; only before a bar or a dot ("Disney+: prices rise" is a headline)
_TITLE_TAG_RE = re.compile(r"^(?:\[(?:photo|video|audio|gallery|фото|видео|foto|vídeo|vidéo|"
                           r"galerie)\]\s*|[\w.]{1,12}\+\s*[|·]\s+)", re.IGNORECASE)


def clean_title(title: str, source: str | None = None, site: str | None = None) -> str:
    """Double-escaped entities decoded; a trailing " - Publisher" dropped when it names the
    aggregator's source, or the site the feed belongs to (its title starts with it)."""
    if "&" in title:
        title = unescape_residual(title)
        if "<" in title:
            title = strip_markup(title)
    title = " ".join(title.split())
    if title[:1] == "[" or "+" in title[:14]:  # "[Photo] ...", "Hanse+ | ...": no headline words
        title = _TITLE_TAG_RE.sub("", title, count=1) or title
    src, site = " ".join((source or "").split()), " ".join((site or "").split()).casefold()
    for sep in _SEPS:  # (a source with the separator in it: "... - Haber Merkezi - İzmir")
        if len(src) >= 2 and title.endswith(sep + src) and len(title) > len(src) + 12:
            return title[:-len(sep + src)].rstrip()
        head, _, tail = title.rpartition(sep)
        # (the aggregator's own <source> may be short: "g1"; a guess from the site not)
        if len(head.split()) >= 2 and len(tail) >= 2 and (tail == src or (
                len(tail) >= 3 and site.startswith(tail.casefold()) and len(tail.split()) <= 5)):
            return head.rstrip()
    return title
