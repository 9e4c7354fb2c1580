"""Which feed entries are articles, and where they point: rules on one entry's fields.

Used by ``worker.feeds.entries.FeedStream``: link-aggregator posts whose entry link is the
discussion page (the "[link]" anchor names the article), sponsored items injected into a
publisher's feed, entries that are only a picture or a moderator's "[removed]", and the
same story listed twice under different ids; and the small text rules for markup, titles
and author fields that every parser shares.
"""

from __future__ import annotations

import html as htmllib
import logging
import re
from urllib.parse import urlsplit

from worker.normalise.cues import KEY_POINTS_RE
from worker.normalise.html import html_to_paragraphs

log = logging.getLogger(__name__)

# Reddit-style link posts ("submitted by /u/x [link] [comments]"): the entry's own link is
# the comments page; the anchor reading "[link]" is the article the post is about.
_LINK_ANCHOR_RE = re.compile(r"<a\s[^>]*?href\s*=\s*[\"']([^\"']+)[\"'][^>]*>\s*\[link\]\s*</a",
                             re.IGNORECASE)


def link_post_target(markup: str | None) -> str | None:
    """The "[link]" anchor's address in a link post's content, or None."""
    if not markup or "[link]" not in markup:
        return None
    m = _LINK_ANCHOR_RE.search(markup)
    return htmllib.unescape(m.group(1)).strip() if m else None


# Ad networks inject items into publishers' feeds with a marker opening the title
# ("PR:", "【PR】", "[AD]", "Sponsored:", "Anzeige:"). A marker alone is not enough (a story
# about PR firms may start "PR: …"): the item must also be filed as an ad or leave the site.
_AD_WORDS = (r"PR|AD|Ad|Sponsored|SPONSORED|Promoted|Advertisement|Anzeige|Werbung|תוכן שיווקי|"
             r"Publicidad|Publicité|Pubblicità|Reklama|Mainos|Annonce|広告|プロモーション|광고|广告|推广|"
             r"Publicitate|Komerční sdělení|Komerčné oznámenie|Reklam|Hirdetés|Διαφήμιση|Реклама|"
             r"Quảng cáo|Iklan|Advertentie|Oglas|Reklāma|Reklaam|פרסומת|Annons|Annonse|Reklame|"
             r"Sponsrat|Sponset|Sponsoreret")
_AD_TITLE_RE = re.compile(rf"^\s*(?:[\[【(（]\s*(?:{_AD_WORDS})\s*[\]】)）]|"
                          rf"(?:{_AD_WORDS})\s*[:：])")
# ... or the marker is the whole title ("Publicitate", "[Anzeige]"): no story is headed so
_AD_ONLY_TITLE_RE = re.compile(rf"^\s*[\[【(（]?\s*(?:{_AD_WORDS})\s*[\]】)）]?\s*$")
_AD_TAG_RE = re.compile(rf"^\s*(?:{_AD_WORDS}|sponsored(?: content| post)?|advertorial|"
                        r"paid (?:content|post)|promotion)\s*$", re.IGNORECASE)


def _site(host: str | None) -> str:
    """The last two labels of a host: enough to tell an ad server from the publisher."""
    return ".".join((host or "").lower().rstrip(".").split(".")[-2:])


# Categories no newsroom files a story under: the item is an ad whatever its title says.
_PAID_TAG_RE = re.compile(
    r"^\s*(?:sponsored (?:content|post|article)|paid (?:content|post|partnership)|"
    r"partner content|branded content|advertorial|publireportage|publi-?r[ée]dactionnel|"
    r"publi-?editorial|informe (?:publicit[áa]rio|comercial)|conte[úu]do de marca|"
    r"contenido patrocinado|publirreportaje|contenu (?:sponsoris[ée]|partenaire)|"
    r"contenuto sponsorizzato|conte[úu]do patrocinado|gesponserte[rn]? (?:inhalt|beitrag)|"
    r"pubbliredazionale|publiredazionale|informazione pubblicitaria|messaggio promozionale|"
    r"партнерськ(?:ий|і) матеріал(?:и)?|партнерск(?:ий|ие) материал(?:ы)?|новини партнерів|"
    r"новости партнеров|на правах реклам[иы]|artykuł sponsorowany|materiał partnera|"
    r"sponsored|patrocinad[oa]|sponsoris[ée]e?|sponsorizzat[oa]|gesponsert)\s*$",
    re.IGNORECASE)
# ... or a title that says it: "Publi-rédactionnel : ...", "Advertorial: ..."
_PAID_TITLE_RE = re.compile(r"^\s*(?:publi-?r[ée]dactionnel|publireportage|advertorial|"
                            r"sponsored(?: content)?|paid post|contenido patrocinado|"
                            r"conte[úu]do patrocinado|contenu sponsoris[ée]|publirreportaje)"
                            r"\s*[:：|–—-]", re.IGNORECASE)


def is_sponsored(title: str, tags: list[str], url: str | None, site_url: str | None) -> bool:
    """An injected ad: a title that is only an ad marker; an ad marker opening the title, and
    an ad category or an off-site link; or a category that only ads are filed under
    ("Sponsored content")."""
    if (len(title) <= 40 and _AD_ONLY_TITLE_RE.match(title)) or _PAID_TITLE_RE.match(title):
        return True
    if not _AD_TITLE_RE.match(title):
        return bool(tags) and any(_PAID_TAG_RE.match(t) for t in tags)
    if any(_AD_TAG_RE.match(t) for t in tags):
        return True
    try:
        here, there = urlsplit(site_url or "").hostname, urlsplit(url or "").hostname
    except ValueError:
        return False
    return bool(here and there and _site(here) != _site(there))


# Feed proxies (FeedBurner, FeedBlitz, the late Feedsportal) rewrite every item link to a
# redirect through themselves; the item's GUID, when it is a web address, names the page.
_FEED_PROXY_RE = re.compile(r"^https?://(?:feedproxy\.google\.com|feeds\d*\.feedburner\.com|"
                            r"[\w.-]*\.feedsportal\.com|feeds\.feedblitz\.com)/", re.IGNORECASE)
_WEB_RE = re.compile(r"^https?://", re.IGNORECASE)


def page_link(link: str | None, guid: str) -> str | None:
    """The entry's link, or its web-address GUID in place of a feed proxy's redirect."""
    if link and link[:4] in ("http", "HTTP") and _FEED_PROXY_RE.match(link) \
            and _WEB_RE.match(guid) and not _FEED_PROXY_RE.match(guid):
        return guid
    return link


_IMAGE_PATH_RE = re.compile(r"\.(?:jpe?g|png|gif|webp|avif|heic)$", re.IGNORECASE)
# What forums put in place of a post taken down by moderators or its author.
_REMOVED = frozenset({"[removed]", "[deleted]", "[ removed by reddit ]", "[removed by moderator]"})


_ERID_RE = re.compile(r"\berid\s*[:=]\s*[0-9A-Za-z]{8,}")


# A test post published by mistake ("Test", "테스트": "this is a test")
_TEST_TITLE_RE = re.compile(r"^\W*(?:(?:test(?:ing)?(?: post)?|teste|prueba|probe|testi|테스트|"
                            r"テスト|测试|測試)(?:\W+(?:please )?(?:ignore(?: this)?|do not "
                            r"publish|não publicar|no publicar|ignorar)(?:\W.{0,20})?)?|"
                            # a blog engine's first post, never replaced
                            r"hello,? world|¡?hola,? mundo|olá,? mundo|bonjour tout le monde|"
                            r"hallo welt|ciao mondo)\W*$", re.IGNORECASE)
# Placeholder text: a template or test post's body
_LOREM_RE = re.compile(r"^\W*lorem ipsum dolor sit amet", re.IGNORECASE)
# The site's notice about itself, not news: "In eigener Sache: ...", "【お知らせ】...",
# "Appel à dons : ...", "Sign up for the Morning Briefing: ..."
_HOUSE_NOTICE_RE = re.compile(
    r"^\W*(?:in eigener sache|【お知らせ】|お知らせ[:：]|\[(?:notice|site notice|aviso)\]|"
    r"site notice|appel à dons|faire un don|sign up (?:for|to) (?:the|our) [^:]{1,40}"
    r"(?:newsletter|briefing|bulletin))", re.IGNORECASE)


def not_an_article(url: str | None, body: list[str], title: str) -> str | None:
    """Why a built entry is no article (None when it is one): it links straight to an
    image file and has no text of its own, or its text is a removed-post marker; a test
    post."""
    if body and body[0][:1] == "[" and body[0].strip().casefold() in _REMOVED:
        return "removed post"
    # (an untitled one is named by its text: "teste")
    named = title or (body[0] if len(body) == 1 else "")
    if (len(named) <= 40 and _TEST_TITLE_RE.match(named) and sum(map(len, body)) < 200) \
            or (body and body[0][:1] in "Ll" and _LOREM_RE.match(body[0])):
        return "test post"
    if _HOUSE_NOTICE_RE.match(title):
        return "the site's own notice"
    # Russian law marks every ad with "Реклама" and its registry token ("erid: 2Vtz...")
    if body and "erid" in body[-1] and _ERID_RE.search(body[-1]):
        return "advertisement (erid)"
    # the address first: a cheap test that almost every entry fails
    if url and _IMAGE_PATH_RE.search(url.split("#", 1)[0].split("?", 1)[0]) \
            and all(" ".join(p.split()) == title for p in body):
        return "links to an image file, no text"
    return None


def story_key(url: str, title: str) -> tuple[str, str] | None:
    """Two entries with this same key (one link, one title) are one story listed twice.
    None for a site's front page: feeds that link every entry there ("Morning briefing"
    each day) list different items under one title."""
    if url.split("?", 1)[0].rstrip("/").count("/") <= 2:  # scheme://host[/]
        return None
    return url, " ".join(title.split()).casefold()


_TITLE_WORD_RE = re.compile(r"\w+")


def similar_titles(a: str, b: str) -> bool:
    """One story's title reworded ("Sjukhuset & regionen i ny tvist om ambulansflyget" after
    "Sjukhuset och regionen i tvist om ambulansflyget"): most words shared, three at least. A
    live blog's entries under one link ("Election live: polls close", "... results in")
    share fewer."""
    x = set(_TITLE_WORD_RE.findall(a.casefold()))
    y = set(_TITLE_WORD_RE.findall(b.casefold()))
    shared = len(x & y)
    return shared >= 3 and shared >= 0.6 * min(len(x), len(y))


# A lone newline inside marked-up text is source wrapping (hard-wrapped Markdown, hand
# written XHTML), not a break: only block elements and blank lines break paragraphs.
_WRAP_RE = re.compile(r"(?<![\n \t])[ \t]*\n(?![ \t]*\n)[ \t]*")
_PRE_RE = re.compile(r"(<pre\b.*?</pre\s*>)", re.IGNORECASE | re.DOTALL)


def unwrap_source_lines(markup: str) -> str:
    """Join source-wrapped lines of HTML (never inside <pre>): with paragraph markup, or
    bare text under an image ("<img ...>" then text wrapped over lines): in HTML a newline
    is a space."""
    if "\n" not in markup or ("<p" not in markup.lower() and "<img" not in markup.lower()):
        return markup
    if "<pre" not in markup.lower():
        return _WRAP_RE.sub(" ", markup)
    return "".join(part if i % 2 else _WRAP_RE.sub(" ", part)
                   for i, part in enumerate(_PRE_RE.split(markup)))


# Footnote references glued to a sentence ("... by 5%.<a href="#footnote-1">1</a>",
# "<sup>[2]</sup>"): in-page anchors or superscripts holding only a number are no text.
# The "Continue reading →" / "Read more »" link an excerpt feed appends to its teaser
# (WordPress' more-link and the like): the words of the link, never of the story.
# One pass over the anchors; each alternative fails within a few characters of "<a".
_ANCHOR_RE = re.compile(
    r"<a\b([^>]*)>\s*(?:\[?\d{1,3}\]?\s*</a\s*>|(?:continue reading|keep reading|read more|"
    r"read the (?:full|whole|rest)\b|weiterlesen|mehr lesen|lire la suite|continuer la lecture|"
    r"leer más|seguir leyendo|continuar leyendo|continua a leggere|leggi tutto|continuar lendo|"
    r"leia mais|verder lezen|lees verder|läs mer|les mer|læs mere|czytaj dalej|читать далее|"
    r"tovább olvasom|tovább|lue lisää|jatka lukemista|citește mai mult|devamını oku|"
    r"прочети още|прочитај више|pročitaj više|preberi več|loe edasi|skaityti daugiau|"
    r"続きを読む|阅读全文|閱讀全文|阅读更多|더 보기|더보기|(?:और|आगे) प(?:ढ\u093c|\u095d)ें|"
    r"আরও পড়ুন|مزید پڑھیں|اقرأ المزيد|baca selengkapnya|đọc tiếp|"
    r"\[(?:mehr|more|weiter|suite|plus|leggi|más|mais|далі|далее)\])[^<]{0,60}(?:<[^>]*>[^<]{0,20}){0,4}?"
    r"</a\s*>)", re.IGNORECASE)
_IN_PAGE_RE = re.compile(r"\bhref\s*=\s*[\"']?#")
_SUP_NOTE_RE = re.compile(r"<sup\b[^>]*>\s*(?:<a\b[^>]*>)?\s*\[?\d{1,3}\]?\s*(?:</a\s*>)?\s*"
                          r"</sup\s*>", re.IGNORECASE)


def _drop_anchor(m: re.Match[str]) -> str:
    text = m.group(0)
    inner = text[m.end(1) - m.start(0) + 1:].lstrip()
    numeric = inner[:1].isdigit() or (inner[:1] == "[" and inner[1:2].isdigit())
    return text if numeric and not _IN_PAGE_RE.search(m.group(1)) else ""


# An image's caption set in italics right under it, before any text ("<img ...><br><em>File
# photo</em>"): no paragraph of the story
_IMG_CAPTION_RE = re.compile(r"(<img\b[^>]*>)\s*(?:<br\s*/?>\s*)*<(em|i|small)\b[^>]*>[^<]{1,150}"
                             r"</\2\s*>", re.IGNORECASE)


def tidy_feed_markup(markup: str) -> str:
    """Entry HTML ready for paragraphs: footnote marks, read-more links and image captions
    dropped, source-wrapped lines joined."""
    if "<img" in markup:
        markup = _IMG_CAPTION_RE.sub(r"\1", markup)
    if "<a" in markup:
        markup = _ANCHOR_RE.sub(_drop_anchor, markup)
    if "<sup" in markup:
        markup = _SUP_NOTE_RE.sub("", markup)
    return unwrap_source_lines(markup)


_ALNUM_RE = re.compile(r"[^\W_]")


def has_text(para: str) -> bool:
    """A paragraph with a letter or digit: not an emoji, dingbat or rule on its own."""
    return _ALNUM_RE.search(para) is not None


_ENTITY_RE = re.compile(r"&(?:#\d{2,7}|#[xX][0-9a-fA-F]{2,6}|[A-Za-z]{2,8}\d?);")


def unescape_residual(text: str) -> str:
    """Entities still present after XML and HTML decoding were escaped twice: decode them."""
    for _ in range(2):  # &amp;amp;#8217; needs two rounds
        if "&" not in text or not _ENTITY_RE.search(text):
            break
        text = htmllib.unescape(text)
    return text


_TAG_RE = re.compile(r"<[^>]*>")
# A heading or a code block that opens an entry's markup (Dev.to, Hashnode, Ghost posts),
# or an epigraph: a quotation with its attribution (<figcaption>, <cite>, <footer>)
# (a newsletter's <style> block may come first)
_LEAD_BLOCK_RE = re.compile(r"^\s*(?:<(?:div|section|figure)\b[^>]*>\s*|<style\b[^>]*>"
                            r"[^<]{0,3000}</style\s*>\s*)*<(h[1-6]|pre|"
                            r"blockquote)\b[^>]*>(.{0,3000}?)</\1\s*>", re.IGNORECASE | re.DOTALL)
_ATTRIBUTION_RE = re.compile(r"<(?:figcaption|cite|footer)\b", re.IGNORECASE)


def leading_block(markup: str) -> str | None:
    """The text, spaced, of a heading, a code block or an epigraph that opens ``markup``,
    or None. (A quotation with no attribution may be what a link post quotes.)"""
    head = markup[:1000].lower()
    if not head.lstrip().startswith("<") or ("<h" not in head and "<pre" not in head
                                             and "<blockquote" not in head):
        return None
    m = _LEAD_BLOCK_RE.match(markup)
    if m is None or (m.group(1).lower() == "blockquote"
                     and not _ATTRIBUTION_RE.search(m.group(2))):
        return None
    return " ".join(htmllib.unescape(_TAG_RE.sub(" ", m.group(2))).split()) or None


def strip_markup(value: str) -> str:
    """Text of a title or name that may hold markup, whitespace collapsed."""
    if "<" in value:
        paras = html_to_paragraphs(value)
        value = " ".join(paras) if paras else _TAG_RE.sub(" ", value)
    return " ".join(value.split())


_LIST_RE = re.compile(r"<(ul|ol)\b[^>]*>(.{0,4000}?)</\1\s*>", re.IGNORECASE | re.DOTALL)
_ITEM_RE = re.compile(r"<li\b[^>]*>(.*?)(?=<li\b|$)", re.IGNORECASE | re.DOTALL)


def past_points_box(paras: list[str], markup: str) -> list[str]:
    """The paragraphs after a "Key points" box that opens the entry (its heading, then the
    items of the markup's first list); ``paras`` as they were when there is none."""
    if len(paras) < 3 or len(paras[0]) > 40 or not KEY_POINTS_RE.match(paras[0]):
        return paras
    m = _LIST_RE.search(markup)
    if m is None:
        return paras
    items = {" ".join(htmllib.unescape(_TAG_RE.sub(" ", i)).split())
             for i in _ITEM_RE.findall(m.group(2))}
    k = 1
    while k < len(paras) - 1 and paras[k] in items:
        k += 1
    return paras[k:] if k > 1 else paras
