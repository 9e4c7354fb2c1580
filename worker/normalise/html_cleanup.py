"""trafilatura's main text -> the article's paragraphs.

trafilatura returns markdown-ish text: list markers, table rows, headings of link lists it
dropped, the dek under the headline, an author bio, reader comments. Each is cleaned or cut
here, checked against the parsed page (``root``) where the page says what an element is.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from worker.normalise.cue_keys import MORE_STRONG_KEYS, STRONG_KEYS
from worker.normalise.cues import (
    BIO_RE,
    BYLINE_RE,
    DIGIT_RE,
    FULL_STOP_RE,
    KEY_POINTS_RE,
    MORE_STRONG_RE,
    STRONG_RE,
    TAIL_HEAD_RE,
    disclaimer_cue,
    disclaimer_free,
    full_stop,
)
from worker.normalise.date_cues import date_line
from worker.normalise.dates import DATE_LABEL_RE
from worker.normalise.html_labels import COMMENTS_RE, HEAD_FIRST, LABEL_PARA_RE
from worker.normalise.html_layout import RELATED_RE, dek_after_headline
from worker.normalise.lines import drop_pull_quotes
from worker.normalise.local_dates import ASCII_DIGITS, named_date
from worker.normalise.page_notes import is_pitch
from worker.normalise.title import PUNCT

# Markdown table rows from trafilatura: "| a | b |" and the "|---|---|" rule under a header.
_TABLE_RULE_RE = re.compile(r"^\|(?:\s*:?-{3,}:?\s*\|)+$")
# Class names of the standfirst / dek / subtitle printed under a headline, outside the text.
_DEK_CLASS_RE = re.compile(
    r"standfirst|\bdek\b|[-_]dek\b|subtitle|sub-?headline|entradilla|sumario|"
    r"chapeau|\bdeck\b|teaser-text|article-summary|subt[ií]tulo|sottotitolo|untertitel|"
    r"sous-titre|bajada|linha-fina|excerpt|intro-?text|ingress|\bsapo\b|"
    r"(?:^|\s)description(?:\s|$)|field-(?:lead|summary)\b|article__subhead", re.I)


_HEADS = ("h2", "h3", "h4", "h5", "h6")
# Class or id of a byline / dek element: its text under the headline is no paragraph
# A row of short link labels, not a table row: "Printer-friendly version | E-mail this story"
_LINK_ROW_RE = re.compile(r"^[^\W\d][\w'’ -]{1,29}(?: \| [^\W\d][\w'’ -]{1,29})+$")
_BYLINE_CLASS_RE = re.compile(r"byline|author", re.IGNORECASE)
_BAR_BYLINE_RE = re.compile(r"[|·•]\s*(?:by|von|par|por|door|di|av)\s+\S", re.IGNORECASE)
_LINK_LEADIN_RE = re.compile(r"^(?:related|read more|see also|also read|read also|more on "
                             r"this|further reading)\s*:\s*(?-i:[A-Z“\"‘'$0-9])", re.IGNORECASE)


_EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+\.?")


def _norm(text: str) -> str:
    return " ".join(text.split()).rstrip(".").lower()


def _spaced(text: str) -> str:
    """``" ".join(text.split())``; an ASCII line already so spaced (trafilatura's lines
    mostly are) is returned as it is, found by C scans instead of a split and a join."""
    if text.isascii() and "  " not in text and text[:1] != " " and text[-1:] != " ":
        raw = text.encode()
        if len(raw.translate(None, _ASCII_SPACES)) == len(raw):
            return text
    return " ".join(text.split())


_ASCII_SPACES = b"\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f"  # what str.split() splits on, bar " "
_INLINE_SPACES = _ASCII_SPACES.replace(b"\n", b"")
_NEWLINE_AS_SPACE = bytes.maketrans(b"\n", b" ")


def _all_spaced(text: str) -> bool:
    """Every line of ``text`` is ``_spaced`` already: the checks once for the whole text.
    Newlines read as spaces, so a space beside one (or an empty line) is a double space."""
    if not text.isascii() or text[:1] == " " or text[-1:] == " ":
        return False
    raw = text.encode()
    flat = raw.translate(_NEWLINE_AS_SPACE, _INLINE_SPACES)
    return len(flat) == len(raw) and b"  " not in flat


def _table_row(line: str) -> str:
    cells = [c.strip() for c in line.strip("|").split("|")]
    return " | ".join(c for c in cells if c)


def _is_standfirst(line: str, root: Any, description: str | None) -> bool:
    """The headline's dek that trafilatura kept as the first paragraph.

    Only dropped when the page marks it as such: a heading repeating the meta description,
    or an element with a standfirst / dek / subtitle class. A lede that merely repeats the
    meta description (common) is a ``<p>`` and stays.
    """
    target = _norm(line)
    if len(target.split()) > 45:
        return False
    desc = _norm(description) if description else None
    # The marks are checked before the text: reading and normalising every container's
    # text (a whole article for its outer divs) was most of this function's time. Only
    # elements with a class or id can be marked: found in C (most elements have neither).
    if target == desc and (any(_norm(el.text_content()) == target
                               for el in root.iter("h2", "h3", "h4"))
                           or dek_after_headline(root, target)):
        return True
    return any(el.tag in _DEK_TAGS and _marked(el, _DEK_CLASS_RE)
               and _norm(el.text_content()) == target for el in _with_class_or_id()(root))


_DEK_TAGS = frozenset(("h2", "h3", "h4", "p", "div", "span"))


@functools.cache
def _with_class_or_id() -> Any:
    """Elements with a class or id, found by the attribute axis (~3 us a page; a predicate
    on every element took 20)."""
    from lxml import etree  # type: ignore[import-untyped]

    return etree.XPath("descendant-or-self::*/@class/.. | descendant-or-self::*/@id/..")


def _marked(el: Any, pattern: re.Pattern[str]) -> bool:
    """``pattern`` in the element's class or id (most elements have neither)."""
    cls, eid = el.get("class"), el.get("id")
    return (cls is not None or eid is not None) \
        and bool(pattern.search(f"{cls or ''} {eid or ''}"))


def _drop_pull_quotes(lines: list[str], root: Any) -> list[str]:
    """Pull quotes (a short blockquote / aside repeating a sentence of the story) go, when
    the page has one that trafilatura kept as a paragraph (the check by text is cheap; the
    word-order comparison of every pair of paragraphs is not)."""
    boxes = list(root.iter("blockquote", "aside"))
    texts = [el.text_content() for el in boxes]
    # the quote without its attribution ("<p>quote</p><cite>Name</cite>")
    texts += [p.text_content() for el in boxes if len(el) > 1 for p in el.iter("p")]
    quotes = {_norm(t) for t in texts if len(t) < 250}  # one sentence, not a link box
    if not quotes or quotes.isdisjoint(ln.rstrip(".").lower() for ln in lines if len(ln) < 250):
        return lines
    kept = drop_pull_quotes(lines)
    if len(kept) == len(lines):
        return kept
    # the attribution of a quote that went goes too: "Carol Haugen", "Dirce Ramos, pescadora"
    gone = {_norm(ln) for ln in lines} - {_norm(ln) for ln in kept}
    names = {_norm(c.text_content()) for el in boxes
             if any(_norm(p.text_content()) in gone for p in el.iter("p"))
             for c in el if c.tag in ("cite", "span", "footer", "figcaption")}
    return [ln for ln in kept if ln.count(" ") > 8 or _norm(ln) not in names]


def _strong(line: str) -> bool:
    """STRONG_RE on a short line, run only when the line has one of its key words (the
    alternation costs ~1 us a character; most short paragraphs are subheads)."""
    words = {w.strip(PUNCT).lower() for w in line.split()}
    return (not words.isdisjoint(STRONG_KEYS) or "©" in line) and bool(
        STRONG_RE.search(line)
        or (not words.isdisjoint(MORE_STRONG_KEYS) and MORE_STRONG_RE.search(line)))


def _marked_head(line: str, root: Any, description: str | None) -> bool:
    """The dek or the byline under the headline, as the page marks it: a standfirst / dek
    element (by class or id), or a byline element whose text is the line ("By " + line)."""
    if _is_standfirst(line, root, description):
        return True
    target = _norm(line)
    if len(target.split()) > 8 or not line[:1].isupper() or full_stop(line) \
            or DIGIT_RE.search(line):
        return False  # a byline is a few names
    for el in root.iter("p", "div", "span"):
        if _marked(el, _BYLINE_CLASS_RE):  # "<p><span class=byline-prefix>By</span> X</p>"
            text = _norm(el.text_content() if el.tag == "p" or el.getparent() is None
                         else el.getparent().text_content())
            if text == target or (BYLINE_RE.match(text) and text.split(None, 1)[-1] == target):
                return True
    return False


def clean_main_text(text: str, root: Any, description: str | None, title: str,
                    comments_head: bool | None = None) -> list[str]:
    """trafilatura's text -> paragraphs: list markers, markdown tables, orphan headings.
    ``comments_head``: ``has_comments_head(root)`` when the caller already knows it."""
    lines: list[str] = []
    spaced = _all_spaced(text)
    for raw in text.split("\n"):
        ln = raw if spaced else _spaced(raw)
        if not ln or (ln[0] == "|" and _TABLE_RULE_RE.match(ln)):
            continue
        if ln.startswith("- "):
            ln = ln[2:]
        elif ln.startswith("|") and ln.endswith("|"):
            ln = _table_row(ln)
            if not ln:
                continue
        elif " | " in ln and ln.count(" ") < 24 and _LINK_ROW_RE.match(ln):
            continue
        # ln is spaced: its spaces count its words (split() was a tenth of this function)
        spaces = ln.count(" ")
        if spaces < 4 and RELATED_RE.match(ln) and ln[-1] not in ".!?:":
            continue
        if not spaces and "@" in ln and _EMAIL_RE.fullmatch(ln):
            continue  # the reporter's address on its own line, under a Korean or Thai story
        if spaces < 40 and is_pitch(ln, spaces):
            continue  # a newsletter's pitch: "Want stories like this in your inbox? Join ..."
        if spaces < 3 and ln[-1] == ":" and DATE_LABEL_RE.match(ln):
            continue  # "Last updated:" whose <time> trafilatura left out
        # "Related: <headline>", an inline link to another story ("... Here’s why." too)
        if ":" in ln and spaces < 20 and _LINK_LEADIN_RE.match(ln):
            continue
        if spaces < 12 and (LABEL_PARA_RE.match(ln) or (
                not full_stop(ln) and _strong(ln)
                and not TAIL_HEAD_RE.search(ln))):  # (a paywall heading cuts the tail)
            continue  # "Advertisement · Scroll to continue", "Publicidad", a sign-up line
        lines.append(ln)
    # The dek follows the headline, which trafilatura often keeps as the first line, at
    # times under a kicker ("Ambiente", "Recetas de verano") and over a byline.
    first = 0
    if lines and title:
        want = _norm(title)
        # lines are spaced: _norm(ln) is ln.rstrip(".").lower(), without a split and a join
        at = next((k for k, ln in enumerate(lines[:4]) if ln.rstrip(".").lower() == want or (
            ln.lower().endswith(" " + want) and ln.count(" ") - want.count(" ") <= 6)), None)
        if at is not None and all(ln.count(" ") < 6 for ln in lines[:at]):
            if lines[at].lower().endswith(" " + want):  # (its kicker off: "Studie zu ... Mieten")
                lines[at] = lines[at][len(lines[at]) - len(want):]
            del lines[:at]
            first = 1
            while len(lines) > first + 1 and lines[first].count(" ") < 8 \
                    and BYLINE_RE.match(lines[first]):
                del lines[first]
    # The headline and its dek or byline repeated lower down (a sticky header, an aside)
    if title:
        want = _norm(title)
        at = next((k for k, ln in enumerate(lines[first:first + 5], first)
                   if abs(len(ln) - len(want)) <= 4 and ln.rstrip(".").lower() == want), None)
        if at is not None:
            del lines[at]
            while at < len(lines) - 1 and lines[at].count(" ") < 45 \
                    and _marked_head(lines[at], root, description):
                del lines[at]
    # A "Key points" box over the story: its short points sum it up, they are no text.
    for k in range(first, min(first + 3, len(lines))):
        if lines[k].count(" ") < 5 and KEY_POINTS_RE.match(lines[k]):
            end = k + 1
            while end < len(lines) and lines[end].count(" ") < 15 and not full_stop(lines[end]):
                end += 1
            if end - k >= 3 and end < len(lines) and lines[end].count(" ") >= 20:
                del lines[k:end]
            break
    # A bare date line over the story ("30 May 2022") is the page's date, not text.
    # ... or with the byline after a bar: "14 Aug 2007, 3:41 PM | By Pacific Newswire staff"
    # ("petak, 14. ožujka 2025.": a year's ordinal dot is no full stop)
    while len(lines) > first + 1 and (lines[first].count(" ") < 6 or (
            lines[first].count(" ") < 14 and _BAR_BYLINE_RE.search(lines[first]))) \
            and DIGIT_RE.search(lines[first]) and is_date_line(lines[first], need_year=False) \
            and (not FULL_STOP_RE.search(lines[first]) or _YEAR_DOT_RE.search(lines[first])):
        del lines[first]
    while len(lines) > first + 1 and lines[first].count(" ") < 45 \
            and _marked_head(lines[first], root, description):
        del lines[first]
    # The author's bio closing an opinion piece: "Jane Doe is a writer and the author of ..."
    while len(lines) > 2 and 7 <= lines[-1].count(" ") < 80 and BIO_RE.match(lines[-1]):
        del lines[-1]
    # ... or an author box: "Written by Jane Doe" and what follows it, after the story
    total = sum(map(len, lines))
    for k in range(max(1, len(lines) - 4), len(lines)):
        if BYLINE_RE.match(lines[k]) and lines[k].count(" ") < 8 \
                and not full_stop(lines[k]) and 2 * sum(map(len, lines[:k])) >= total:
            del lines[k:]
            break
    lines = _drop_pull_quotes(lines, root)
    return _before_comments(_cut_tail(lines), root, comments_head)


_YEAR_RE = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
_YEAR_DOT_RE = re.compile(r"(?<!\d)(?:19|20)\d\d\.$")


def is_date_line(text: str, need_year: bool = True) -> bool:
    """A line with a date in it: a year (if ``need_year``) and a day and month as
    DATE_LINE_RE reads them, or a month name of another language (``local_dates``) in any
    script's digits ("প্রকাশ: ১৪ মার্চ ২০২৫", "2025eko martxoaren 14a")."""
    probe = text if text.isascii() else text.translate(ASCII_DIGITS)
    if need_year and not _YEAR_RE.search(probe):
        return False
    return bool(date_line(probe)) or named_date(probe) is not None


def _cut_tail(lines: list[str]) -> list[str]:
    """Finance/health/legal notices in any language go; so does everything from a heading
    that opens a press release's boilerplate, a paywall box or a related-articles list
    ("About Acme", "■会社概要", "Subscribe to read more", "関連記事") once most of the text
    (by characters: CJK has no spaces) is above it."""
    if len(lines) < 3:
        return lines
    kept = lines if disclaimer_free(lines) else [
        ln for k, ln in enumerate(lines)
        if (k == 0 and ln.count(" ") >= 40) or len(ln) > 3000 or not disclaimer_cue(ln)]
    total = sum(map(len, kept))
    above = 0
    for k, ln in enumerate(kept):
        if k and len(ln) <= 80 and 2 * above >= total and (
                TAIL_HEAD_RE.search(ln) or _SITE_RIGHTS_RE.match(ln)):
            kept = kept[:k]  # (the site's rights line, comments and more links under it)
            break
        above += len(ln)
    # a wire's rights line closing the story: "Copyright 2014 The AP. All rights reserved."
    # ... or a contributor line: "Staff writer Jane Doe contributed to this report."
    # ... or a funder's disclosure: "The AP receives support from X ... solely responsible"
    while len(kept) > 2 and len(kept[-1]) <= 400 and (
            _RIGHTS_RE.match(kept[-1]) or _CONTRIBUTED_RE.search(kept[-1])
            or ("support" in kept[-1] and _FUNDER_RE.match(kept[-1]))
            or (kept[-1][:5] in ("This ", "THIS ") and _FUNDED_RE.match(kept[-1]))):
        kept = kept[:-1]
    return kept


_CONTRIBUTED_RE = re.compile(r"\bcontributed (?:to )?(?:this|the) (?:report|story|article)\W*$",
                             re.IGNORECASE)
_FUNDER_RE = re.compile(r"^[^.]{2,80}\b(?:receives?|gets|is) (?:financial )?support(?:ed)? "
                        r"(?:from|by)\b.{0,250}\b(?:is|are) solely responsible for all content",
                        re.IGNORECASE)
# ... or how it was paid for: "This story was produced by X, who is funded by the Local
# Democracy Reporting Service", "This article was produced with support from the Y Fund"
_FUNDED_RE = re.compile(r"^this (?:story|article|report|piece) (?:was|is) (?:produced|written|"
                        r"reported|made possible)\b.{0,160}\b(?:funded by|funding from|support "
                        r"from|(?:a )?grant from)\b", re.IGNORECASE)
_RIGHTS_RE = re.compile(
    r"^(?:copyright|©|\(c\))\s*(?:©\s*)?(?:19|20)\d\d\b.*\ball rights reserved\b", re.IGNORECASE)
_SITE_RIGHTS_RE = re.compile(
    r"^(?:copyright|©|\(c\))\s*(?:©\s*)?[^.]{1,40}\.? all rights reserved\b", re.IGNORECASE)


def has_comments_head(root: Any) -> bool:
    """Whether _before_comments finds a head (the tree is read best before trafilatura's
    work evicts it from the caches): a story paragraph whose own leading text is
    60 characters or more is no head, whatever its children hold (its text not read)."""
    for el in root.iter("div", "span"):  # (two walks: no tag to read and compare)
        text = el.text
        if text and len(text) < 60 and not text.isspace() and _may_open_head(text) \
                and COMMENTS_RE.match(" ".join(text.split())):
            return True
    for el in root.iter("p", "li", "blockquote", *_HEADS):
        own = el.text
        if own and (len(own) >= 60 or not (own.isspace() or _may_open_head(own))):
            continue  # the whole text starts as its own text does
        text = el.text_content()
        if len(text) < 60 and _may_open_head(text) \
                and COMMENTS_RE.match(" ".join(text.split())):
            return True
    return False


def _may_open_head(text: str) -> bool:
    """Whether ``text`` (not all spaces) may start a comments head: its first non-space
    character, as ``COMMENTS_RE`` sees it, must open one (most texts ruled out here)."""
    first = text.lstrip()[:1]
    return first in HEAD_FIRST or first.isdecimal()


def _before_comments(lines: list[str], root: Any, has_head: bool | None = None) -> list[str]:
    """Drop the reader comments trafilatura kept from an unlabelled comment list: lines that
    come after a "Comments (3)" heading which itself follows most of the story."""
    if not lines or not (has_comments_head(root) if has_head is None else has_head):
        return lines  # most pages
    texts: list[tuple[int, str]] = []
    heads: list[int] = []
    for n, el in enumerate(root.iter("p", "li", "blockquote", "div", "span", *_HEADS)):
        if el.tag in ("div", "span"):
            text = el.text or ""  # a label's own text, not its whole subtree
        else:
            text = el.text_content()
            texts.append((n, text))
        if len(text) < 60 and COMMENTS_RE.match(" ".join(text.split())):
            heads.append(n)
    if not heads:
        return lines  # most pages: no element's text normalised
    # keyed without spaces: an element's text_content glues its children's text
    # ("11:05</span><p>Maaşın" reads "11:05Maaşın", trafilatura's line "11:05 Maaşın")
    pos: dict[str, int] = {}
    for n, text in texts:
        pos.setdefault("".join(text.split()).rstrip(".").lower(), n)
    at = [pos.get("".join(ln.split()).rstrip(".").lower()) for ln in lines]
    words = [len(ln.split()) if p is not None else 0 for ln, p in zip(lines, at, strict=True)]
    total = sum(words)
    # words above each head in one sweep (heads ascend): a sum per head was quadratic
    placed = sorted((p, w) for p, w in zip(at, words, strict=True) if p is not None)
    above = k = 0
    for h in heads:
        while k < len(placed) and placed[k][0] < h:
            above += placed[k][1]
            k += 1
        if above >= 0.5 * total > 0:
            return [ln for ln, p in zip(lines, at, strict=True) if p is None or p < h]
    return lines
