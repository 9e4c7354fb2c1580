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
from worker.normalise.cues import (
    BULLET_RE,
    BYLINE_RE,
    DATE_HINT_RE,
    DIGIT_RE,
    FULL_STOP_RE,
)
from worker.normalise.date_cues import date_line
from worker.normalise.dates import DATE_LABEL_RE, ON_DATE_RE
from worker.normalise.dump_boxes import page_boxes
from worker.normalise.dumps import reader_comments, tool_header
from worker.normalise.key_points import past_key_points
from worker.normalise.line_cues import MD_LINK_RE, YEAR_RE, features
from worker.normalise.lines import claim_images, drop_pull_quotes, logical_lines, story_line
from worker.normalise.print_pages import next_story_bylines, print_layout
from worker.normalise.related_boxes import inline_boxes
from worker.normalise.textfix import rejoin_markdown_links
from worker.normalise.textparts import Line, TextParts
from worker.normalise.title import pick_title, printed_headline, title_score

log = logging.getLogger(__name__)

_MD_HEAD_RE = re.compile(r"^#{1,6}\s+")
# a read-later export's clipping date ("Saved on March 16, 2025"): no publication date; a
# reader tool's "Published Time:" header (UTC): the page's own date line goes first
_SAVED_RE = re.compile(r"^\W*(?:saved|clipped|archived|bookmarked|retrieved|accessed|"
                       r"published time(?=:)|"
                       r"gespeichert|enregistré|guardado|salvato|opgeslagen)\b", re.IGNORECASE)

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
    features(lines)
    _inline_leadins(lines)
    next_story_bylines(lines)
    claim_images(lines, parts)
    features([lines[i] for i in print_layout(lines)])  # (a cut paragraph's halves as one)
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
                    and YEAR_RE.search(t) and date_line(t):
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
            and bool(date_line(stamp.text)) and not head.text.endswith(":"):
        return j
    return a


def _standfirst_end(lines: list[Line], a: int, b: int) -> int:
    """A standfirst can open the prose run with the byline/date under it: the story starts
    after those meta lines. Returns the first index of the story (``a`` when no such)."""
    if lines[a].words > 60:
        return a  # a standfirst is a sentence or two, not a page of story
    for j in range(a + 1, min(b, a + 3) + 1):
        t = MD_LINK_RE.sub("]", lines[j].text)  # (a link's address may carry a date too)
        # (an image's URL may carry a date: ".../uploads/2025/01/14/x.jpg")
        if lines[j].words <= 14 and not lines[j].prose and lines[j].kind != "image" and (
                BYLINE_RE.match(t) or (YEAR_RE.search(t) and date_line(t))):
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
            DATE_HINT_RE.search(t) or (ln.words <= 4 and date_line(t))))
    return ln.words >= 15 and ln.stop >= 0.15
