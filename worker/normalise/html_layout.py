"""The parsed page repaired before trafilatura reads it (``prepare_tree``): comments out,
widgets and related-link boxes dropped, loose sentences given their ``<p>``, layout tables
turned into plain blocks; and the date lines found around the headline.

Pages built before CSS layouts put the whole page in a <table>: the nav bar in one row, the
story in a cell (often a one-cell table nested in it), the copyright in the last row.
trafilatura (``tables=True``) reads such a table as data and writes each row as one line,
so the nav, the footer and the headline + byline + date + story all became single
paragraphs (blind batch ``r``: ten such pages at body F1 0.69-0.85). A table that lays out
the page rather than holding data becomes nested <div>s, and trafilatura reads its cells as
it reads any page: <br> ends a line, link lists and the footer are boilerplate.
"""

from __future__ import annotations

import functools
import re
from itertools import islice
from typing import Any

from worker.normalise.cue_keys import READ_ALSO
from worker.normalise.cues import CREDIT_RE, FULL_STOP_RE
from worker.normalise.date_cues import date_line
from worker.normalise.html_boxes import drop_boxes, head_box, jump_list, labelled_run
from worker.normalise.html_lists import dated_links, drop_list_boxes, lists_as_paragraphs
from worker.normalise.html_runs import (
    INLINE_TAGS,
    NOT_PARA_RE,
    br_paragraphs,
    wrap_leading_run,
)
from worker.normalise.html_tables import drop_side_tables

# A data cell holds a figure or a few words; a cell this long holds a story.
LAYOUT_CELL_WORDS = 60
# The head over a story: a few short lines; a line this long is the story's first.
HEAD_LINES = 6
STORY_LINE_WORDS = 15
YEAR_RE = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
_NOT_TEXT = frozenset(("script", "style", "noscript", "template", "title", "head"))
_OWN_CELLS = "./tr/td|./tr/th|./*/tr/td|./*/tr/th"
_OWN_PARTS = "./tr|./*/tr|./thead|./tbody|./tfoot"


# A related-links heading whose link list trafilatura dropped ("Related topics",
# "Noticias relacionadas", "Lesen Sie auch", ...): short, so real prose is never hit.
RELATED_RE = re.compile(
    r"^(?:related|more on this|see also|read (?:more|also)|noticias relacionadas|"
    r"relacionad[ao]s|te puede interesar|lee tambi[eé]n|mehr zum thema|lesen sie auch|"
    r"(?:[àa] )?lire aussi|sur le m[eê]me sujet|leggi anche|articoli correlati|"
    r"leia tamb[eé]m|" + READ_ALSO + r")\b", re.IGNORECASE)
_RELATED_BOX_RE = re.compile(
    f"{RELATED_RE.pattern}|^(?:(?:相关|相關)(?:新闻|阅读|文章|報導|报道)|推荐阅读|延伸阅读|関連記事|"
    "関連ニュース)", re.IGNORECASE)


def is_layout_table(table: Any) -> bool:
    """One cell only (a box around content), a cell holding another table, or a cell with
    a story's worth of text: not a data table."""
    cells = table.xpath(_OWN_CELLS)
    if len(cells) == 1:
        return True
    return any(cell.find(".//table") is not None
               or len(cell.text_content().split()) >= LAYOUT_CELL_WORDS for cell in cells)


def untable_layout(root: Any) -> list[Any]:
    """Every layout table (its own rows and cells, not a data table nested in it) becomes
    <div>s; the elements keep their children, text and tails. Returns the data tables."""
    data: list[Any] = []
    layout: list[Any] = []
    for table in root.iter("table"):
        (layout if is_layout_table(table) else data).append(table)
    for table in layout:
        parts = table.xpath(_OWN_PARTS)
        cells = table.xpath(_OWN_CELLS)
        for el in (table, *parts, *cells):
            el.tag = "div"
    return data


def mark_line_breaks(root: Any) -> None:
    """A ``<br>`` right before an element (``<br><font>By ...</font>``) gets a newline
    tail: trafilatura ends a line only at a <br> with tail text, so the headline, byline,
    date and story of a page built of <font> runs came out as one line."""
    for br in root.iter("br"):
        tail = br.tail
        if tail is None or (not tail.strip() and "\n" not in tail):
            br.tail = "\n" if tail is None else tail + "\n"
        elif "\n" in tail.strip():
            br.tail = _one_line(tail)  # source-wrapped text after the <br>: one line


_NOTE_MARK_RE = re.compile(r"^\[?\d{1,3}\]?$")


def drop_note_marks(root: Any) -> None:
    """Footnote reference marks (``<sup><a href="#fn1">1</a></sup>``) out of the text, their
    tails kept: "left.<sup>1</sup> The" read "left.1 The". A bare <sup> (m², x²) stays."""
    for sup in list(root.iter("sup")):
        link = sup.find("a")
        if link is not None and (link.get("href") or "").startswith("#") \
                and _NOTE_MARK_RE.match(sup.text_content().strip()):
            sup.drop_tree()


def _one_line(text: str) -> str:
    """Text wrapped in the page source ("lost power in\n  Cook Strait"), whitespace-collapsed:
    trafilatura keeps the newlines of <br> tails and loose runs as line ends."""
    core = " ".join(text.split())
    return ("\n" if text[:1].isspace() else "") + core + (" " if text[-1:].isspace() else "")


def date_over_story(text: str) -> list[str]:
    """A date line among the short lines trafilatura kept over the story (headline, byline,
    "Posted on Tue, Oct. 03, 2006"), for pages with no date in their metadata and no <h1>
    to find it by: old layouts print it in a <font> under a bold headline."""
    for k, raw in enumerate(text.split("\n", HEAD_LINES)):
        line = " ".join(raw.split())
        words = line.count(" ") + 1
        if words >= STORY_LINE_WORDS or k == HEAD_LINES:
            break  # the story has begun
        if words <= 12 and YEAR_RE.search(line) and date_line(line) \
                and not FULL_STOP_RE.search(line):
            return [line]
    return []


def date_under_title(root: Any, title: str) -> list[str]:
    """A date line among the few text runs right under the headline's own text run, for a
    page whose headline is no <h1> (``<font size=5><b>...``) and whose head trafilatura
    left out of the text (it kept only the story's <p>s)."""
    want = " ".join(title.split())
    if not want:
        return []
    after: int | None = None
    for el in root.iter():
        if not isinstance(el.tag, str) or el.tag in _NOT_TEXT:
            continue
        for run in (el.text, el.tail):
            line = " ".join(run.split()) if run else ""
            if not line:
                continue
            if after is None:
                after = 0 if line == want else None
                continue
            after += 1
            if after > HEAD_LINES or line.count(" ") + 1 >= STORY_LINE_WORDS:
                return []
            if YEAR_RE.search(line) and date_line(line) \
                    and not FULL_STOP_RE.search(line):
                return [line]
    return []


# the elements of the class attributes (same nodes, same order): 3 us a page, not 18
_AD_BOX_RE = re.compile(r"(?:^|[\s_-])(?:ad|ads|advert\w*|banner|publi\w*|werbung|anzeige)"
                        r"(?:$|[\s_-])", re.IGNORECASE)
# Compiled once (a string compiles per call); attributes found by their own axis: testing
# every element's @class and @id took 25 us a page, these 3 us each.
_WIDGET_XPATH = ("descendant-or-self::*/@class[contains(., 'scoreboard') or "
                 "contains(., 'ticker')]/..")
_SIGNUP_BOX_RE = re.compile(r"newsletter|sign-?up|subscri|e-?mail-?(?:capture|form)",
                            re.IGNORECASE)
_WIDGET_RE = re.compile(r"(?:^|\s)(?:scoreboard|tickers?|(?:stock|market)-ticker)(?:$|\s)")
_NOTES_XPATH = ("descendant-or-self::*/@class[contains(., 'note')]/.. | "
                "descendant-or-self::*/@id[contains(., 'note')]/..")
_NOTES_RE = re.compile(r"(?:^|[\s_-])(?:foot|end)notes?(?:$|[\s_-])", re.IGNORECASE)
_NOTES_TAGS = frozenset(("section", "div", "ol", "ul", "aside"))
# Containers whose own leading text (not inside a <p>) trafilatura drops.
_LOOSE_TEXT_PARENTS = ("section", "article", "main", "font")


_DONATE_RE = re.compile(r"donat(?:e|ion)", re.IGNORECASE)
# (a caption's class in the Nordic languages, Finnish, Dutch and Italian too)
_CAPTION_KEYS = ("photo", "caption", "bildtext", "bildetekst", "billedtekst", "kuvateksti",
                 "bijschrift", "didascalia")
_CAPTION_P_RE = re.compile(r"caption|photo[-_]{1,2}(?:desc|source|credit|te?xt)|"
                           r"bildtext|bildetekst|billedtekst|kuvateksti|bijschrift|didascalia",
                           re.IGNORECASE)


@functools.cache
def _xpaths() -> tuple[Any, Any, Any, Any, Any]:
    """The widget and notes XPaths; every class and id value (by the attribute axis, ~3 us
    a page); a box's link text nodes (one query, not a text_content call per link) and
    whether a link holds another (its text would count twice then)."""
    from lxml import etree  # type: ignore[import-untyped]

    return (etree.XPath(_WIDGET_XPATH), etree.XPath(_NOTES_XPATH),
            etree.XPath("descendant-or-self::*/@class | descendant-or-self::*/@id",
                        smart_strings=False),
            etree.XPath(".//a//text()", smart_strings=False), etree.XPath("boolean(.//a//a)"))


def _drop_widgets(root: Any, html: str) -> None:
    """Data widgets (a live blog's scoreboard, a market ticker strip) and a "Related news"
    box (its heading and nothing but links under it: trafilatura drops the heading and keeps
    the link paragraphs) are not the story. ``drop_tree`` keeps the tail text.
    The XPaths run only when a class or id value holds their words (searching the page's
    text for them took ~7 us, and a character reference could spell them there)."""
    widgets, notes, class_or_id, link_texts, nested_links = _xpaths()
    names = "\n".join(class_or_id(root))
    for el in widgets(root) if "ticker" in names or "scoreboard" in names else ():
        # a strip, not a container: a live blog wrapped in class="ticker" stays
        if _WIDGET_RE.search(el.get("class") or "") and el.getparent() is not None \
                and len(el.text_content()) < 600:
            el.drop_tree()
    # a donation appeal box in mid-story ("Independent journalism needs your support")
    for el in list(root.iter("div", "aside", "section")) if "donat" in names else ():
        if el.getparent() is not None and len(el.text_content()) < 600 \
                and _DONATE_RE.search(f"{el.get('class', '')} {el.get('id', '')}"):
            el.drop_tree()
    drop_boxes(root, names)  # social embeds, info boxes, a line-up's labelled box
    drop_list_boxes(root, names, html)  # key points, an offers table, screen-reader labels
    # a photo's caption and credit written as <p>s ("photo-desc", "photo-source"), or as
    # the cell under the picture (Blogger's "tr-caption")
    for el in list(root.iter("p", "td")) if any(k in names for k in _CAPTION_KEYS) else ():
        if el.getparent() is not None and len(el.text_content()) < 300 \
                and _CAPTION_P_RE.search(el.get("class") or ""):
            el.drop_tree()
    # a newsletter sign-up box in mid-story: an e-mail form and a few lines of pitch
    for form in list(root.iter("form")):
        box = form.getparent()
        if box is not None and box.tag in ("div", "section", "aside") \
                and box.getparent() is not None and form.find(".//input[@type='email']") \
                is not None and len(box.text_content()) < (900 if _SIGNUP_BOX_RE.search(
                    f"{box.get('class', '')} {box.get('id', '')} {box.get('data-component', '')}")
                    else 400):  # (one named so may carry its privacy notice)
            box.drop_tree()
    # a bold label ("<b>Related stories</b><br><a>...") heads such a box on old pages
    # an essay's footnotes / endnotes block ("Notes", then the numbered notes): the text
    # keeps its "[1]" markers, the notes themselves are no story paragraphs
    for el in notes(root) if "note" in names else ():
        if el.tag in _NOTES_TAGS and el.getparent() is not None \
                and _NOTES_RE.search(f"{el.get('class', '')} {el.get('id', '')}"):
            el.drop_tree()
    for head in list(root.iter("h2", "h3", "h4", "h5", "b", "strong")):
        box = head.getparent()
        if box is None or box.tag not in ("div", "section", "aside", "font", "td") \
                or box.getparent() is None:
            continue
        text = " ".join(head.text_content().split())
        if not (_RELATED_BOX_RE.match(text) or jump_list(box, head)):  # (links in it, below)
            if head_box(box, head, text):  # a line-up's labelled box, a summary box
                box.drop_tree()
            else:  # ... or such paragraphs that end the story
                for el in labelled_run(head, text):
                    el.drop_tree()
            continue
        own = len(box.text_content()) - len(head.text_content())
        links = sum(map(len, link_texts(box))) if not nested_links(box) \
            else sum(len(a.text_content()) for a in box.iter("a"))  # as each link reads
        if 0 < own < 1500 and (links >= 0.8 * own or dated_links(box)):
            box.drop_tree()


def dek_after_headline(root: Any, target: str) -> bool:
    """The element right after the ``<h1>`` holds ``target`` (the meta description) and
    is no first paragraph of a run (no later sibling shares its tag and class): the dek,
    whatever its class is called (hashed CSS-in-JS names say nothing)."""
    for h in root.iter("h1"):
        nxt = h.getnext()
        # an h1 closing its header box: the box's next siblings, past a short date row
        # (TYPO3's news: header, footer with the date, then the teaser)
        after = [nxt] if nxt is not None else list(islice(h.getparent().itersiblings(), 2)) \
            if h.getparent() is not None else []
        for k, nxt in enumerate(after):
            if nxt.tag in ("p", "div", "h2", "span") \
                    and " ".join(nxt.text_content().split()).rstrip(".").lower() == target:
                cls = nxt.get("class")
                return not any(s.tag == nxt.tag and s.get("class") == cls
                               for s in nxt.itersiblings())
            if k == 0 and len(after) > 1 and not (len(nxt.text_content()) <= 80
                                                  and YEAR_RE.search(nxt.text_content())):
                break
    return False


# A place a site sets apart from the lead paragraph and separates by CSS only
# (VnExpress's <span class="location-stamp">Hà Nội</span>Sở ...): the text gets its dash
_STAMP_XPATH = ("//p/*[1][contains(@class, 'location-stamp') or contains(@class, 'dateline')"
                " or contains(@class, 'location')]")


def _stamp_datelines(root: Any) -> None:
    for el in root.xpath(_STAMP_XPATH):
        parent, tail = el.getparent(), el.tail or ""
        if not (parent.text or "").strip() and tail[:1].isalpha() and 0 < len(
                (el.text or "").split()) <= 4:
            el.tail = " - " + tail


def prepare_tree(root: Any, html: str = "") -> None:
    """Repair the parsed page before trafilatura reads it (the tree is ours; it copies it).

    Comment nodes go, their tail text stays: trafilatura walks element children and drops a
    comment together with its tail, so text after ``<!-- ad section start -->`` vanished.
    ``strip_tags`` keeps tails in place and runs in C, linear in the tree.
    A ``<div>`` holding only a sentence or more of text (inline tags at most) beside ``<p>``
    siblings is a paragraph, and becomes one: trafilatura drops such divs in some layouts.
    A section/article/main whose text starts loose (text, inline tags, then ``<br>``) loses
    that first run in trafilatura: it gets its own ``<p>``.
    A table that lays out the page is read as blocks, not as data (``html_layout``).
    A drop cap rejoins its word (``join_drop_caps``); a place set apart from the lead by
    CSS only gets its dash (``_stamp_datelines``).
    """
    from lxml import etree

    etree.strip_tags(root, etree.Comment, etree.ProcessingInstruction)
    join_drop_caps(root)
    if "location" in html or "dateline" in html:  # (a scan of the page, ~1 us; XPath ~10)
        _stamp_datelines(root)
    tables = untable_layout(root)
    mark_line_breaks(root)
    if tables:
        drop_side_tables(tables)  # match boxes, standings, a release's info table
    _drop_widgets(root, html)
    lists_as_paragraphs(root)
    for el in [el for el in root.iter("div")
               if len(el) >= 4 and el.find("p") is None and el.find("br") is not None]:
        br_paragraphs(el)
    # A sentence left loose after a block (the tail of an ad slot's <div>): its own <p>, or
    # trafilatura drops it with the block; out of an ad wrapper around the slot, too
    for el in [el for el in root.iter("div", "aside", "figure") if el.tail
               and len(el.tail) > 40 and any(c in el.tail for c in ".!?。！？")]:
        if el.getparent() is not None and len(el.tail.split()) >= 8:
            para = etree.Element("p")
            para.text, el.tail = el.tail, None
            at = el
            while (up := at.getparent()) is not None and up.getparent() is not None \
                    and _AD_BOX_RE.search(f"{up.get('class', '')} {up.get('id', '')}"):
                at = up
            at.addnext(para)
    has_p: dict[Any, bool] = {}  # per parent, so wide parents are scanned once
    leading = []
    for el in root.iter("div"):
        parent = el.getparent()
        text = el.text or ""
        if len(el) and (text.strip() or el[0].tag in INLINE_TAGS):
            leading.append(el)
        if parent is None or not text.strip() or (len(el) and any(
                not isinstance(c.tag, str) or c.tag not in INLINE_TAGS
                for c in el.iterdescendants())):
            continue
        if parent not in has_p:
            has_p[parent] = parent.find("p") is not None  # a <p> child (in C)
        body = el.text_content()
        if has_p[parent] and len(body.split()) >= 8 and any(c in body for c in ".!?") \
                and not NOT_PARA_RE.search(f"{el.get('class', '')} {el.get('id', '')}") \
                and not CREDIT_RE.search(body):
            el.tag = "p"  # a paragraph's worth: eight words or more and a sentence stop
    for el in leading:
        wrap_leading_run(el)
    for el in root.iter(*_LOOSE_TEXT_PARENTS):
        if not (el.text and el.text.strip()):
            continue
        if el.tag == "font" and not _after_block(el):
            continue
        para = etree.Element("p")
        para.text = _one_line(el.text) if "\n" in el.text.strip() else el.text
        el.text = None
        run = []
        for child in el:
            if not isinstance(child.tag, str) or child.tag not in INLINE_TAGS:
                break
            run.append(child)
        for child in run:
            para.append(child)  # moves it, with its tail
        el.insert(0, para)


_CAP_TAGS = frozenset(("span", "b", "strong", "big", "font", "em", "i"))


def join_drop_caps(root: Any) -> None:
    """A drop cap (a paragraph's first letter in an element of its own, often aria-hidden)
    goes back into its word: trafilatura drops aria-hidden elements, and the story's first
    word lost its letter ("<span aria-hidden>ה</span>בוקר" read "בוקר")."""
    for p in root.iter("p"):
        if not len(p) or (p.text and not p.text.isspace()):
            continue
        cap = p[0]
        letter = (cap.text or "").strip()
        if isinstance(cap.tag, str) and cap.tag in _CAP_TAGS and not len(cap) \
                and 1 <= len(letter) <= 2 and letter.isalpha() and (cap.tail or "")[:1].isalpha():
            p.text = letter + (cap.tail or "")
            p.remove(cap)


def _after_block(font: Any) -> bool:
    """A <font> run the parser reopened after a block (a photo table inside <font>): its
    first sentence is loose text trafilatura drops, as in a section."""
    prev = font.getprevious()
    text = font.text or ""
    return prev is not None and prev.tag == "div" and len(text.split()) >= 8 \
        and any(c in text for c in ".!?")

