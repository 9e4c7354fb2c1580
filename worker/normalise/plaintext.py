"""Plain-text page dumps -> article parts, by classifying lines with cheap features.

A dump is a page's visible text: menus, breadcrumbs, share bars, the headline, the story,
related links, comments, footer. Each logical line (``lines.logical_lines``) gets
features — length, sentence punctuation, stop-word density, link-likeness, repetition and
a few short phrase cues — and a weight: prose counts for its words, furniture against.
The article is the maximum-weight run of lines (the densest prose region); inside it only
sentence-like lines and plausible subheads survive. The headline is the most title-like
short line just above that run. No site-specific rules: the held-out pages are unseen.
"""

from __future__ import annotations

import logging
import re

from worker.normalise.blocks import (
    caps_head,
    lead_block,
    mark_items,
    question_heads,
    story_bars,
    tail_block,
)
from worker.normalise.cjk_cues import cjk_related
from worker.normalise.cue_keys import (
    BOUNDARY_KEYS,
    COMMENT_KEYS,
    CREDIT_KEYS,
    DISCLAIMER_KEYS,
    SHORT_KEYS,
    STRONG_KEYS,
    WEAK_KEYS,
)
from worker.normalise.cues import (
    ARABIC_RE,
    BIO_RE,
    BOUNDARY_RE,
    BULLET_RE,
    BYLINE_RE,
    CJK_DISCLAIMER_MARKS,
    COMMENT_META_RE,
    CREDIT_RE,
    DATE_HINT_RE,
    DATE_LINE_RE,
    DIGIT_RE,
    DISCLAIMER_RE,
    FULL_STOP_RE,
    IMAGE_RE,
    SEP_CHARS,
    SEP_RE,
    SHORT_CUE_RE,
    TAIL_HEAD_KEYS,
    TAIL_HEAD_RE,
    URL_RE,
    WEAK_RE,
    credit_cue,
    full_stop,
    strong_match,
    url_hint,
)
from worker.normalise.dates import DATE_LABEL_RE, ON_DATE_RE
from worker.normalise.dump_boxes import page_boxes
from worker.normalise.dumps import reader_comments, tool_header
from worker.normalise.key_points import past_key_points
from worker.normalise.lines import claim_images, drop_pull_quotes, logical_lines, story_line
from worker.normalise.narrow import dense_chars
from worker.normalise.page_notes import consent_notice, platform_pitch, trailer_or_sign_up
from worker.normalise.print_pages import BRIEFS_RE, next_story_bylines, print_layout
from worker.normalise.related_boxes import inline_boxes
from worker.normalise.stopwords import ALL_STOPWORDS
from worker.normalise.textfix import lower_share, rejoin_markdown_links, shouted
from worker.normalise.textparts import Line, TextParts
from worker.normalise.title import pick_title, printed_headline, strip_words, title_score

log = logging.getLogger(__name__)

_NO_KEYS: frozenset[str] = frozenset()
_REF_RE = re.compile(r"\[\d{1,4}\]\w")  # lynx -dump link markers: "[12]Donate"
_REF_MARK_RE = re.compile(r"\[\d{1,4}\](?=\w)")  # no words of the line: "[12]RELATED: ..."
_MD_HEAD_RE = re.compile(r"^#{1,6}\s+")
_MD_LINK_RE = re.compile(r"\]\([^)\s\]]*\)")  # stops at "]": "](](..." stays linear
# a line that is one markdown link, bulleted or not: a related-story link, not a list item
_MD_ONLY_RE = re.compile(r"^(?:[-*+•]\s+)?\[[^\]]{1,300}\]\([^)\s\]]*\)\W{0,3}$")
# a date line, not a live-blog time stamp
_YEAR_RE = re.compile(r"\b(?:19|20|١٩|٢٠)\d\d(?:\b|(?=[年년]))")  # Arabic-Indic digits too
# a live-blog entry's contributor line: "From Aya Tanaka"
_CONTRIB_RE = re.compile(r"^From\s+[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){1,3}$")
# a read-later export's clipping date ("Saved on March 16, 2025"): no publication date; a
# reader tool's "Published Time:" header (UTC): the page's own date line goes first
_SAVED_RE = re.compile(r"^\W*(?:saved|clipped|archived|bookmarked|retrieved|accessed|"
                       r"published time(?=:)|"
                       r"gespeichert|enregistré|guardado|salvato|opgeslagen)\b", re.IGNORECASE)

def _features(lines: list[Line]) -> None:
    counts: dict[str, int] = {}  # (a Counter's update is interpreted even when compiled)
    for ln in lines:
        key = ln.text.lower()
        counts[key] = counts.get(key, 0) + 1
    for ln in lines:
        t = ln.text
        if "](" in t:  # html2text markdown: judge "[text](url)" by its text
            t = _MD_LINK_RE.sub("]", t)
        refs = len(_REF_RE.findall(t)) if (bracket := "[" in t) else 0
        t = _REF_MARK_RE.sub("", t) if refs else t
        low = t.lower()
        # split+strip is faster than a word regex; long lines only need a sample of words
        raw = low.split()
        # a few huge "words" (a blob, a run of URLs) are no short furniture line either: no
        # word cues, which also keeps their alternations (~1 us a character) off such lines
        long_line = len(raw) > 60 or len(t) > 5000
        toks = strip_words(raw[:40] if long_line else raw)
        keys = _NO_KEYS if long_line else frozenset(toks)
        cjk = 0 if t.isascii() else dense_chars(t)
        n = ln.words = (len(raw) if long_line else len(toks)) + cjk // 2
        ln.stop = sum(map(ALL_STOPWORDS.__contains__, toks)) / len(toks) if toks else 0.0
        if cjk > 10:
            ln.stop = max(ln.stop, 0.3)
        elif n >= 12 and ln.stop < 0.15 and len(ARABIC_RE.findall(t)) > 40:
            ln.stop = 0.15  # Arabic and Hebrew glue particles to words: few stand-alone stop words
        # CJK prose has no spaces but does have sentence stops; headlines and captions don't
        ln.sentence = (full_stop(t) and not shouted(t)) or (cjk > 10 and (any(
            c in t for c in "。！？") or (cjk > 36 and "\u0e00" <= t[-1] <= "\u0eff")))  # (Thai)
        # (capitals counted only for short lines without stop words; map keeps it in C)
        titleish = n <= 8 and len(toks) >= 2 and ln.stop < 0.15 \
            and sum(map(str.isupper, [w[0] for w in t.split()])) / len(toks) > 0.75
        ln.linky = n <= 40 and (
            # (a sentence that names a site, "... the map at traveler.modot.org.", is prose)
            (url_hint(low) and bool(URL_RE.search(t))
             and not (n >= 15 and ln.sentence and "http" not in low and "www." not in low
                      and "@" not in low))
            # (French quotes « … » in a sentence, or quoting a subhead, are no separators)
            or (not SEP_CHARS.isdisjoint(t) and (seps := len(SEP_RE.findall(t))) >= 2
                and not ("«" in t and ((ln.sentence and n > 12)
                                       or (seps == 2 and -1 < t.find("«") < t.find("»")))))
            or (titleish and n <= 6 and not ln.sentence)
            or (shouted(t) and 3 < n < 20 and not ln.sentence)
            or (bracket and 4 * refs >= n)
            or (t[:1] == "[" and t[-1:] == "]")  # w3m/lynx image alt or button label
            or (n <= 12 and "      " in t)  # a page header/footer laid out in columns
            or (t is not ln.text and bool(_MD_ONLY_RE.match(ln.text))))
        ln.strong = (n <= 40 and (not keys.isdisjoint(STRONG_KEYS) or "©" in t)
                     and strong_match(t, n, keys)) or \
            (n <= 12 and not keys.isdisjoint(SHORT_KEYS) and bool(SHORT_CUE_RE.search(t))) or \
            (n <= 120 and consent_notice(t, low, keys)) or platform_pitch(t, n) \
            or (n < 40 and trailer_or_sign_up(t)) or (cjk > 0 and cjk_related(t)) or \
            (12 <= n <= 150 and (not (_disjoint(toks, raw, DISCLAIMER_KEYS) if long_line
                                      else keys.isdisjoint(DISCLAIMER_KEYS))
                                 or (cjk > 10 and any(m in t for m in CJK_DISCLAIMER_MARKS)))
             and bool(DISCLAIMER_RE.search(t)))
        ln.weak = n <= 6 and not ln.sentence and not keys.isdisjoint(WEAK_KEYS) \
            and bool(WEAK_RE.search(t))
        ln.boundary = n <= 8 and (
            ((not keys.isdisjoint(BOUNDARY_KEYS) or "©" in t) and bool(BOUNDARY_RE.search(t)))
            or ((cjk > 0 or not keys.isdisjoint(TAIL_HEAD_KEYS))
                and bool(TAIL_HEAD_RE.search(t)))
            or (n <= 3 and bool(BRIEFS_RE.match(t))))
        ln.repeated = n < 25 and counts.get(low, 0) > 1
        ln.meta = (n <= 12 and not keys.isdisjoint(COMMENT_KEYS)
                   and bool(COMMENT_META_RE.search(t))) or (n <= 5 and t[:5] == "From "
                                                             and bool(_CONTRIB_RE.match(t)))
        ln.credit = n <= 60 and (not keys.isdisjoint(CREDIT_KEYS) or "/" in t) and credit_cue(t)
        ln.bio = 8 <= n <= 80 and (b := t.strip("_*"))[:1].isupper() and bool(BIO_RE.match(b))
        ln.prose = (not ln.linky and not ln.strong and not ln.repeated and not ln.bio
                    and ((n >= 8 and ln.sentence and ln.stop >= 0.1)
                         or (n >= 20 and ln.stop >= 0.2)
                         # (Finnish, Turkish glue particles on: a long lower-case sentence)
                         or (n >= 15 and ln.sentence and not long_line
                             and lower_share(t) >= 0.6))
                    # "Published Feb. 23, 2024 at 5:48 p.m. Updated ..." reads like a sentence
                    and not (n <= 20 and DATE_LABEL_RE.match(t) and _YEAR_RE.search(t)
                             and DATE_LINE_RE.search(t)))


def _disjoint(toks: list[str], words: list[str], keys: frozenset[str]) -> bool:
    """The long-line prefilter: ``keys`` of a line over 60 words are not collected (``toks``
    holds its first 40 words, stripped)."""
    return keys.isdisjoint(toks) and keys.isdisjoint(strip_words(words[40:]))


def _weight(ln: Line) -> float:
    if ln.kind:  # (a share/comment bar inside the story weighs nothing: blocks.story_bars)
        return 0.0 if ln.kind == "bar" else -8.0
    if ln.boundary:
        return -50.0
    if ln.prose:
        return float(ln.words)
    if ln.item:
        return 0.0  # a list/table line between prose: kept inside the story, never extends it
    if ln.strong or ln.weak or ln.linky or ln.repeated or ln.meta or ln.bio:
        return -max(10.0, ln.words / 2)
    if ln.sentence and ln.stop > 0:
        return 0.0  # short sentence: kept inside the story, never extends it
    return -4.0


def _region(lines: list[Line]) -> tuple[int, int]:
    """Maximum-weight contiguous run of lines (Kadane); (start, end) inclusive."""
    best, best_span = 0.0, (0, -1)
    run, start = 0.0, 0
    for i, ln in enumerate(lines):
        w = _weight(ln)
        if run <= 0:
            run, start = w, i
        else:
            run += w
        if run > best:
            best, best_span = run, (start, i)
    a, b = best_span
    if b < 0:
        return 0, -1
    # A comment/related/footer header ends the story once most of the prose is above it.
    total = sum(ln.words for ln in lines[a : b + 1] if ln.prose)
    seen = 0
    for i in range(a, b + 1):
        if ((lines[i].boundary and not lines[i].kind) or lines[i].bio) and seen >= 0.4 * total:
            return a, i - 1
        if lines[i].prose:
            seen += lines[i].words
    return a, b


def _inline_leadins(lines: list[Line]) -> None:
    """"Read more:" over links with the story going on right after is an inline box."""
    for i, ln in enumerate(lines):
        if ln.boundary and ln.text.endswith(":"):
            ln.boundary = not any(x.prose and x.words >= 15 for x in lines[i + 1 : i + 5])


def _is_junk(ln: Line) -> bool:
    return bool(ln.kind or ln.boundary or ln.strong or ln.weak or ln.linky or ln.repeated
                or ln.meta or ln.bio)


def _meta_line(ln: Line, parts: TextParts) -> bool:
    """Bylines and date lines near the headline: recorded, not body."""
    t = ln.text
    if ln.words <= 20 and BYLINE_RE.match(t):
        parts.authors.append(t)
        if DATE_HINT_RE.search(t):
            parts.date_lines.append(t)
        return True
    if (ln.words <= 14 or (ln.words <= 30 and DATE_LABEL_RE.match(t))) and not ln.prose \
            and DIGIT_RE.search(t) and DATE_HINT_RE.search(t):
        parts.date_lines.append(t)
        return True
    return False


def extract_parts(text: str) -> TextParts:
    """Classify a plain-text dump's lines and return the article's parts."""
    parts = TextParts()
    lines = logical_lines(rejoin_markdown_links(tool_header(text, parts)))
    head_title = parts.title  # a tool's metadata header names the headline outright
    if not lines:
        return parts
    _features(lines)
    _inline_leadins(lines)
    next_story_bylines(lines)
    claim_images(lines, parts)
    _features([lines[i] for i in print_layout(lines)])  # (a cut paragraph's halves as one)
    mark_items(lines)
    question_heads(lines)
    story_bars(lines)
    inline_boxes(lines)
    page_boxes(lines)
    a, b = _region(lines)
    if b < a:
        return parts
    a = past_key_points(lines, a, b)
    b = reader_comments(lines, a, tail_block(lines, b))
    title_i = pick_title(lines, a, parts)
    parts.title = (printed_headline(lines, a, head_title) if parts.site_name else None) \
        or head_title or parts.title
    for i in range((title_i - 3 if title_i is not None else a - 4), a):
        if i >= 0 and i != title_i and not lines[i].kind:
            _meta_line(lines[i], parts)
    if not parts.date_lines:  # no date by the headline: the nearest one above the story
        for i in range(a - 1, max(-1, a - 40), -1):
            t = lines[i].text
            if (lines[i].words <= 14 or (lines[i].words <= 30 and (
                    DATE_LABEL_RE.match(t) or ON_DATE_RE.search(t)))) \
                    and _YEAR_RE.search(t) and DATE_LINE_RE.search(t):
                parts.date_lines.append(t)
                break
    body: list[str] = []
    seen: set[str] = set()
    skip_to = _standfirst_end(lines, a, b)
    a = _entry_head(lines, a, title_i)
    if skip_to <= a:  # no standfirst: the story may open with a subhead or a formula
        a = skip_to = lead_block(lines, a, title_i)
    for i in range(a, b + 1):
        ln = lines[i]
        if ln.kind:
            continue
        if i < skip_to:  # (a headline under a summary that opened the prose run is the title)
            if not _meta_line(ln, parts) and not parts.title and title_score(ln, 0) > 0:
                parts.title = ln.text
            continue
        if not body and i - a < 4 and not ln.prose and _meta_line(ln, parts):
            continue
        if not parts.title and not body and not ln.prose and not _is_junk(ln) \
                and title_score(ln, 0) > 0:
            parts.title = ln.text
            continue
        if _keep(lines, i, b):
            key = ln.text.lower()
            if key not in seen:  # pull quotes repeat a paragraph
                seen.add(key)
                text = _MD_HEAD_RE.sub("", ln.text) if ln.text[:1] == "#" else ln.text
                body.append(story_line(lines, i, text, not body))
    body = drop_pull_quotes(body)
    while body and not FULL_STOP_RE.search(body[-1]) and len(body[-1].split()) < 10 \
            and len(body[-1]) < 80:  # a trailing subhead (a Thai paragraph: no stops, spaces)
        body.pop()
    parts.body = body
    if len(parts.date_lines) > 1:  # the first date line wins: a clipping date only as a last resort
        parts.date_lines.sort(key=lambda t: _SAVED_RE.match(t) is not None)
    return parts


def _entry_head(lines: list[Line], a: int, title_i: int | None) -> int:
    """A live blog's first entry: its headline sits under a time stamp just above the prose
    (a contributor line may come between). Returns the index the story starts at."""
    j = a - 1
    if j > 0 and (lines[j].meta or BYLINE_RE.match(lines[j].text)) and lines[j].words <= 8:
        j -= 1
    if j < 1 or j == title_i or (title_i is not None and j - 1 <= title_i):
        return a
    head, stamp = lines[j], lines[j - 1]
    if 2 <= head.words <= 12 and not _is_junk(head) and not head.sentence \
            and not DIGIT_RE.search(head.text[:1]) and stamp.words <= 8 \
            and bool(re.search(r"\b\d{1,2}[:.]\d\d\b", stamp.text)) \
            and bool(DATE_LINE_RE.search(stamp.text)) and not head.text.endswith(":"):
        return j
    return a


def _standfirst_end(lines: list[Line], a: int, b: int) -> int:
    """A standfirst can open the prose run with the byline/date under it: the story starts
    after those meta lines. Returns the first index of the story (``a`` when no such)."""
    if lines[a].words > 60:
        return a  # a standfirst is a sentence or two, not a page of story
    for j in range(a + 1, min(b, a + 3) + 1):
        t = _MD_LINK_RE.sub("]", lines[j].text)  # (a link's address may carry a date too)
        # (an image's URL may carry a date: ".../uploads/2025/01/14/x.jpg")
        if lines[j].words <= 14 and not lines[j].prose and lines[j].kind != "image" and (
                BYLINE_RE.match(t) or (_YEAR_RE.search(t) and DATE_LINE_RE.search(t))):
            k = j + 1
            while k <= b and not lines[k].prose and (lines[k].words <= 14 or _is_junk(lines[k])):
                k += 1
            if k > b:
                return a
            return max(j + 1, _entry_head(lines, k, None))  # a live entry's headline stays
    return a


def _keep(lines: list[Line], i: int, b: int) -> bool:
    ln = lines[i]
    if ln.prose or ln.item:
        return True
    if ln.linky and i < b and caps_head(ln, lines[i + 1]):
        return True
    if _is_junk(ln):
        return False
    if ln.sentence and ln.stop > 0 and not ln.text.endswith(":"):
        return True
    if ln.words >= 5 and ln.stop >= 0.15 and BULLET_RE.match(ln.text):
        return True  # a list item inside the story
    if (t := ln.text).endswith(";") and ln.stop > 0 and ln.words >= 3:
        return True  # one item of a run-on list ("Ann (Bob) Lee of Akron;")
    if t.endswith(":") and ln.words >= 3 and i < b and not _is_junk(lines[i + 1]) and (
            (ln.stop >= 0.15 and ln.words >= 4 and lines[i + 1].text.endswith((";", ",")))
            or lines[i + 1].item or bool(BULLET_RE.match(lines[i + 1].text)) or (i + 2 <= b and all(
                not x.gap and x.sentence and x.words <= 20 for x in lines[i + 1:i + 3]))):
        return True  # the lead-in of such a list, or of a bullet list
    # Subhead: a short title-like line directly followed by prose (or by a byline over it).
    if 2 <= ln.words <= 12 and not ln.text.endswith((":", ",")) and i < b and not ln.credit:
        nxt = lines[i + 1]
        if i + 1 < b and (nxt.meta or BYLINE_RE.match(nxt.text)) and nxt.words <= 8:
            nxt = lines[i + 2]
        return (nxt.prose or nxt.item) and not (DIGIT_RE.search(t) and (  # (no date line)
            DATE_HINT_RE.search(t) or (ln.words <= 4 and DATE_LINE_RE.search(t))))
    return ln.words >= 15 and ln.stop >= 0.15


_FEED_TAIL_RE = re.compile(r"appeared first on|^continue reading|^the post .{3,200} appeared",
                           re.IGNORECASE)


def is_furniture(text: str) -> bool:
    """True for a standalone line that is page furniture (for feed-entry HTML)."""
    ln = Line(text, True)
    _features([ln])
    if IMAGE_RE.match(text) or _FEED_TAIL_RE.search(text):
        return True
    if ln.words <= 12 and CREDIT_RE.search(text) and not ln.sentence:
        return True
    return ln.boundary or ln.strong or ln.weak or ln.meta
