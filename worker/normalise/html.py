"""HTML pages -> article parts: metadata from meta tags and JSON-LD, text from trafilatura.

trafilatura is imported lazily (it is slow to import and only HTML needs it). When it finds
no main text, the page is flattened to lines and run through the plain-text classifier.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

import orjson

from worker.normalise.dates import parse_date_hint
from worker.normalise.html_cleanup import clean_main_text, has_comments_head
from worker.normalise.html_dates import UPDATED_LABEL_RE, date_by_headline, local_published
from worker.normalise.html_embedded import app_body
from worker.normalise.html_layout import (
    date_over_story,
    date_under_title,
    drop_note_marks,
    prepare_tree,
)
from worker.normalise.html_notes import drop_bold_signature, drop_outlet_credit, drop_page_notes
from worker.normalise.html_parse import (
    check_depth,
    chrome_out,
    count_nodes,
    extractor_options,
    h1_text,
    html_parser,
    parse_page,
    strip_site,
    trafilatura_module,
    unkicked,
)
from worker.normalise.html_split import headline_after_story, reread, split_containers
from worker.normalise.line_cues import is_furniture
from worker.normalise.lines import MAX_LINES
from worker.normalise.plaintext import extract_parts

log = logging.getLogger(__name__)

# trafilatura costs 50-500 us an element, so on trees far bigger than real pages (a few thousand
# elements) it runs without its fallbacks, and past MAX_ELEMENTS the line classifier reads alone.
FULL_ELEMENTS = 6_000
MAX_ELEMENTS = 15_000


def _words(names: str) -> frozenset[str]:
    return frozenset(names.split())


_BLOCK = _words(
    "p div br li ul ol h1 h2 h3 h4 h5 h6 blockquote pre section article header footer nav "
    "aside table tr td th dl dt dd figure figcaption main form hr address details summary "
    "title")
_DROP = ("script", "style", "noscript", "template", "svg", "iframe", "object", "button",
         "select", "head")


@dataclass(slots=True)
class HtmlParts:
    title: str = ""
    site_name: str | None = None
    paragraphs: list[str] = field(default_factory=list)  # whitespace-normalised
    authors: list[str] = field(default_factory=list)
    published: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    language: str | None = None
    description: str | None = None
    url: str | None = None
    tags: list[str] = field(default_factory=list)
    images: list[tuple[str, str | None, str | None]] = field(default_factory=list)
    byline_lines: list[str] = field(default_factory=list)
    date_lines: list[str] = field(default_factory=list)


def _lines(root: Any) -> list[str]:
    """Visible text, one line per block element."""
    for el in root.iter(*_DROP):
        el.drop_tree() if el.getparent() is not None else None
    for el in root.iter():
        if not isinstance(el.tag, str):
            el.text = ""  # comments / processing instructions
            continue
        if el.tag in _BLOCK:
            el.tail = "\n" + (el.tail or "")
            if el.tag != "br":
                el.text = "\n" + (el.text or "")
    text: str = root.text_content()
    return [" ".join(s.split()) for s in text.split("\n") if s.strip()]


def html_to_paragraphs(html: str) -> list[str]:
    """Paragraphs of an HTML fragment (a feed entry's content), furniture lines dropped."""
    if not html or not html.strip():
        return []
    if "<" not in html:
        return [" ".join(p.split()) for p in re.split(r"\n\s*\n", html) if p.strip()]
    check_depth(html)
    import lxml.html  # type: ignore[import-untyped]

    try:
        # (html_parser: element classes found in C, not by lxml.html's Python lookup)
        root = lxml.html.fragment_fromstring(html, create_parent="div", parser=html_parser())
    # a page whose <body> an open <script> swallowed fails lxml's assert (IndexError with -O)
    except (ValueError, TypeError, AssertionError, IndexError, lxml.etree.LxmlError):
        return []
    for el in root.iter("figcaption"):
        el.drop_tree()
    return [ln for ln in _lines(root)[:MAX_LINES] if not is_furniture(ln)]


def _meta(metas: list[Any]) -> tuple[dict[str, str], list[str]]:
    """The first value of each meta tag; every article:tag's (one pass over them)."""
    out: dict[str, str] = {}
    tags: list[str] = []
    for el in metas:
        prop = el.get("property")
        key = (prop or el.get("name") or el.get("itemprop") or "").lower().strip()
        content = el.get("content")
        val = (content or "").strip()
        if prop == "article:tag" and content:
            tags.append(val)
        if key and val and key not in out:
            out[key] = val
    return out, tags


def _ld_articles(scripts: list[Any]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []

    def walk(node: Any, depth: int) -> None:
        if depth > 6:
            return
        if isinstance(node, list):
            for n in node:
                walk(n, depth + 1)
        elif isinstance(node, dict):
            kind = node.get("@type")
            kinds = kind if isinstance(kind, list) else [kind]
            # MedicalWebPage: health sites' articles; LiveBlogPosting: live blogs
            if any(isinstance(k, str) and ("Article" in k or k in (
                    "BlogPosting", "LiveBlogPosting", "Report", "ReportageNews",
                    "MedicalWebPage")) for k in kinds):
                found.append(node)
            walk(node.get("@graph"), depth + 1)

    for el in scripts:
        if (el.get("type") or "").lower() == "application/ld+json" and el.text:
            try:
                walk(orjson.loads(el.text.strip()), 0)
            except orjson.JSONDecodeError:
                continue
    return found


def _names(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return _names(value.get("name"))
    if isinstance(value, list):
        return [n for v in value for n in _names(v)]
    return []


def _split_tags(value: str) -> list[str]:
    return [t.strip() for t in _TAG_SPLIT_RE.split(value) if t.strip()]


_TAG_SPLIT_RE = re.compile(r"[,;]")


_META_TAGS = ("meta", "script", "h1", "time", "link", "title")
_RDFA_DATE_RE = re.compile(
    r"<\w+[^>]*?\bproperty=\"dc:date[^\"]*\"[^>]*?\bcontent=\"([^\"]{10,40})\"|"
    r"<\w+[^>]*?\bcontent=\"([^\"]{10,40})\"[^>]*?\bproperty=\"dc:date")


def extract_html(html: str, url: str | None = None) -> HtmlParts:
    check_depth(html)
    root = parse_page(html)
    prepare_tree(root, html)
    if "<sup" in html:
        drop_note_marks(root)
    parts = HtmlParts()
    found: dict[str, list[Any]] = {tag: [] for tag in _META_TAGS}
    for el in root.iter(*_META_TAGS):  # one walk for the five (each its own walk: ~3 us)
        found[el.tag].append(el)
    meta, article_tags = _meta(found["meta"])
    ld = _ld_articles(found["script"])
    art = ld[0] if ld else {}
    og_title = meta.get("og:title") or meta.get("twitter:title")
    h1s = [h1_text(h) for h in found["h1"]]
    headline = art.get("headline") if isinstance(art.get("headline"), str) else None
    publisher = _names(art.get("publisher"))
    parts.site_name = meta.get("og:site_name") or (publisher[0] if publisher else None)
    for cand in (headline, og_title, _microdata_headline(html, root),
                 h1s[0] if len(h1s) == 1 else None):
        if cand and cand.strip():  # (the page's own <h1> reads the same: no site to cut)
            parts.title = cand.strip() if " ".join(cand.split()) in h1s \
                else strip_site(cand.strip(), parts.site_name)
            break
    # The visible headline beats a metadata variant of it (SEO rewording, a kicker prefix).
    visible = next((h for h in h1s[:5] if parts.title and _same_story(h, parts.title)),
                   unkicked(parts.title, root))  # (or the headline the kicker stood before)
    if visible and visible != " ".join(parts.title.split()):  # (one keeping U+3000 stays)
        parts.title = visible
    elif len(h1s) == 1 and parts.title and _story_h1(found["h1"][0], h1s[0], parts.title,
                                                     found["title"][:1]):
        parts.title = h1s[0]  # the page's own headline over an SEO rewording of it
    parts.authors = _names(art.get("author")) or _split_tags(meta.get("author", ""))[:1]
    for key in ("datePublished", "dateCreated"):
        if isinstance(art.get(key), str):
            parts.published.append(art[key])
    parts.published += [meta[k] for k in ("article:published_time", "og:published_time",
                                          "pubdate", "publishdate", "date", "dc.date",
                                          "dcterms.created", "sailthru.date") if k in meta]
    if not parts.published and "dc:date" in html:  # Drupal's RDFa: <span property="dc:date"
        m = _RDFA_DATE_RE.search(html)              # content="2010-03-09T14:22:07-05:00">
        if m:
            parts.published.append(m.group(1) or m.group(2))
    if isinstance(art.get("dateModified"), str):
        parts.updated.append(art["dateModified"])
    parts.updated += [meta[k] for k in ("article:modified_time", "og:updated_time",
                                        "lastmod") if k in meta]
    for t in [t for t in found["time"] if t.get("datetime")][:2]:
        # "Aktualisiert am <time>": the update, not the publication
        prev, parent = t.getprevious(), t.getparent()
        before = (prev.tail if prev is not None else parent.text if parent is not None
                  else None) or ""
        (parts.updated if UPDATED_LABEL_RE.search(before[-40:]) else parts.published).append(
            t.get("datetime"))
    if parts.published:  # a UTC machine date the page prints in its own zone
        parts.published[0] = local_published(parts.published[0], root, found["time"])
    parts.language = root.get("lang") or meta.get("og:locale") or meta.get("language")
    parts.description = meta.get("description") or meta.get("og:description")
    canon = [ln.get("href") for ln in found["link"]
             if (ln.get("rel") or "").lower() == "canonical" and ln.get("href")]
    parts.url = meta.get("og:url") or (canon[0] if canon else None)
    tags = [meta[k] for k in ("keywords", "news_keywords") if k in meta]
    parts.tags = [t for v in tags for t in _split_tags(v)]
    parts.tags += article_tags
    if isinstance(art.get("keywords"), list):
        parts.tags += [k for k in art["keywords"] if isinstance(k, str)]
    elif isinstance(art.get("keywords"), str):
        parts.tags += _split_tags(art["keywords"])
    image = meta.get("og:image")
    if image:
        parts.images.append((image, meta.get("og:image:alt"), None))
    _main_text(html, url or parts.url, parts, root)
    if body := app_body(html, found["script"], parts.paragraphs):  # (the page: a preview)
        parts.paragraphs = html_to_paragraphs(body)
    for k, para in enumerate(parts.paragraphs[:3]):  # (under a pitch or a caption)
        parts.paragraphs[k] = drop_outlet_credit(para, parts.site_name)
    return parts


def _microdata_headline(html: str, root: Any) -> str | None:
    """schema.org microdata's headline (``itemprop="headline"``): on pages without JSON-LD it
    marks the story's own heading, where a lone <h1> may be the section's ("Vijesti iz
    Splita" over an <h2 itemprop="headline">)."""
    if 'itemprop="headline"' not in html:
        return None
    el = root.find('.//*[@itemprop="headline"]')
    if el is None:
        return None
    text = el.get("content") if el.tag == "meta" else el.text_content()
    return " ".join(text.split()) if text else None


def _in_word(c: str) -> bool:
    """A letter or digit, or a vowel sign or other mark (Indic words end in them)."""
    return c.isalnum() or (c != "" and unicodedata.category(c)[0] == "M")


def _same_story(h1: str, meta: str) -> bool:
    """An h1 that words the metadata headline slightly differently, or without its kicker
    ("Opinion | ...") or site; not one that adds a kicker of its own to it."""
    a, b = h1.lower().strip(), meta.lower().strip()
    if not a or a == b or len(a.split()) < 3:
        return False
    if a.startswith(b) and _in_word(b[-1:]) and _in_word(a[len(b):len(b) + 1]):
        return True  # the metadata headline cut mid-word at a length limit
    if b in a:
        return False  # the h1 is the metadata title plus a label: keep the clean one
    if a in b:
        return True
    wa, wb = set(_WORD_RE.findall(a)), set(_WORD_RE.findall(b))
    return len(wa & wb) >= 0.6 * len(wa | wb)


_HEADLINE_CLASS_RE = re.compile(r"title|headline|heading", re.IGNORECASE)
_TAB_SEPARATORS = frozenset((" | ", " - ", " – ", " — ", " :: ", " · ", " • "))


def _story_h1(h1: Any, text: str, meta: str, doc_title: list[Any]) -> bool:
    """The page's only <h1>, in its <article> (or marked as the headline), words the same
    story as the metadata title (three words of theirs shared) in other words, or heads
    the page's <title> ("<h1> — Новости — Site"): the headline the reader sees, not a site
    name or section label."""
    if not 4 <= len(text.split()) <= 30 or meta.lower() in text.lower():
        return False  # (the metadata headline plus a label, "Live: ...": the clean one stays)
    marked = bool(_HEADLINE_CLASS_RE.search(h1.get("class") or ""))
    if not marked and not any(a.tag in ("article", "main") for a in h1.iterancestors()):
        return False
    if doc_title and (tab := " ".join(doc_title[0].text_content().split())).startswith(text) \
            and tab[len(text):len(text) + 3] in _TAB_SEPARATORS:
        return True
    shared = {w for w in _WORD_RE.findall(text.lower()) if len(w) > 2} \
        & {w for w in _WORD_RE.findall(meta.lower()) if len(w) > 2}
    return len(shared) >= 3


def _main_text(html: str, url: str | None, parts: HtmlParts, root: Any) -> None:
    trafilatura = trafilatura_module()
    # Our parsed tree (trafilatura copies it). Its metadata pass (~20% of the time) is
    # skipped when the page's meta / JSON-LD named the title, a date, an author, the site.
    need_meta = not (parts.title and parts.published and parts.authors and parts.site_name)
    # Full extraction (with its readability and jusText fallbacks): the held-out bar is
    # trafilatura's default; fast=True only on trees far bigger than real pages.
    doc: Any = None
    comments_head: bool | None = None
    # Each node starts at a "<" of the page but those the parser implies (html, body, a <p>
    # round loose text: at most one a "<") and prepare_tree's <p>s (one an element at most):
    # a page with few "<" is far under FULL_ELEMENTS uncounted (20,000 random pages: n <=
    # 2 * "<" + 2)
    n_elements = 0 if 4 * html.count("<") + 16 <= FULL_ELEMENTS else count_nodes(root)
    if n_elements <= MAX_ELEMENTS:
        comments_head = has_comments_head(root)  # read while the tree is in the caches
        with chrome_out(root, head=not need_meta):  # (what its cleaning drops)
            doc = trafilatura.bare_extraction(
                root, options=extractor_options(url, n_elements > FULL_ELEMENTS, need_meta))
    else:
        log.info("page has over %d elements: line classification only", MAX_ELEMENTS)
    text = getattr(doc, "text", None) or ""
    if text and headline_after_story(text, parts.title) and (split := split_containers(root)):
        opts = extractor_options(url, n_elements > FULL_ELEMENTS, need_meta)
        doc = reread(root, split, lambda tree: trafilatura.bare_extraction(tree, options=opts))
        text = getattr(doc, "text", None) or ""
    if doc is not None:  # before the cleanup, which drops the headline it repeats
        parts.title = parts.title or strip_site(doc.title or "", doc.sitename)
    lines = drop_bold_signature(drop_page_notes(clean_main_text(
        text, root, parts.description, parts.title, comments_head)), root)
    if doc is not None:
        parts.site_name = parts.site_name or doc.sitename
        if not parts.authors and doc.author:
            parts.authors = [a.strip() for a in doc.author.split(";") if a.strip()]
        # a date printed under the headline beats trafilatura's guess (which may be a
        # related story's date: "2025/02/21" in a list under a Basque "2025eko martxoaren 14a")
        if not parts.published and (by_head := date_by_headline(root)) \
                and parse_date_hint(by_head[0], dayfirst=True) is not None:
            parts.date_lines = by_head
        elif doc.date and not doc.date.endswith("-01-01"):
            parts.published.append(doc.date)
        parts.description = parts.description or doc.description
        parts.tags += [t for t in (doc.categories or []) + (doc.tags or [])
                       if isinstance(t, str)]
        parts.tags = [t for v in parts.tags for t in _split_tags(v)]
        parts.language = parts.language or doc.language
    if not parts.published and not parts.date_lines:
        parts.date_lines = date_by_headline(root) or date_over_story(text) \
            or date_under_title(root, parts.title)
    words = sum(ln.count(" ") for ln in lines) + len(lines)  # spaced, non-empty lines
    # (or 250 characters: CJK text has no spaces to count words by)
    if words >= 25 or sum(map(len, lines)) >= 250:
        parts.paragraphs = lines
        return
    # trafilatura found (almost) nothing: classify the page's visible lines instead.
    log.debug("trafilatura found %d words; falling back to line classification", words)
    found = extract_parts("\n\n".join(_lines(root)))
    if sum(len(p.split()) for p in found.body) > words:
        parts.paragraphs = [" ".join(p.split()) for p in found.body]  # as clean_main_text's
        parts.title = parts.title or found.title
        parts.byline_lines = found.authors
        parts.date_lines = found.date_lines
    else:
        parts.paragraphs = lines


_WORD_RE = re.compile(r"\w+")
