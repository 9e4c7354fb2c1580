"""Runs of short lines that belong to the story: numbered steps, a bullet list, a results table.

Line by line such items look like menu entries (short, no sentence), so the classifier used to
weigh them against the story and keep only the prose around them. A run counts as part of the
story only when its shape says so and the story visibly goes on around it:

- a numbered sequence ("1." "2." "3." or "Step 1:" "Step 2:" ...): menus are never numbered
  in order, but "Most read" lists are, hence the prose on both sides;
- in a dump whose paragraphs are separated by blank lines, an unmarked run of short lines
  with no blank line inside, under a lead-in ("You will
  need:", a subhead such as "Saturday's results") that follows prose, with prose after it.

Marked lines get ``Line.item``: they weigh nothing in the region search (neither extend nor
cut the story) and are kept inside it.
"""

from __future__ import annotations

import logging
import re
from itertools import pairwise

from worker.normalise.cues import (
    BYLINE_RE,
    DIGIT_RE,
    FULL_STOP_RE,
    URL_RE,
)
from worker.normalise.date_cues import date_line
from worker.normalise.textparts import Line

log = logging.getLogger(__name__)

_NUMBER_RE = re.compile(r"^(?:step\s+)?(\d{1,2})\s?[.):]\s*\S", re.IGNORECASE)
_MAX_ITEM_WORDS = 14
_MAX_RUN = 40  # longer runs of short lines are a link farm or a sitemap, not a list
_NEAR = 3  # lines between the run and the prose that frames it (a lead-in, a subhead)
_ITEM_TEXT = 3  # short lines of an item's own text between its number and the next one


def _plain(ln: Line) -> bool:
    """No furniture cue of its own. Title case, column layout and the weak button-word cue
    ("Like", "Share") do not count: items are often short and capitalised."""
    return not (ln.kind or ln.boundary or ln.strong or ln.repeated or ln.meta
                or ln.bio) and "://" not in ln.text and not URL_RE.search(ln.text)


def _prose_near(lines: list[Line], start: int, step: int) -> bool:
    i = start
    for _ in range(_NEAR):
        if not 0 <= i < len(lines):
            return False
        ln = lines[i]
        if ln.prose:
            return True
        if not _plain(ln) or ln.words > _MAX_ITEM_WORDS:
            return False
        i += step
    return False


def _numbered_runs(lines: list[Line]) -> None:
    # the few lines opening with "1" or "2" (or "Step"), found in one C-speed pass
    starts = [k for k, ln in enumerate(lines) if ln.text[:1] in "12sS"]
    n, done = len(lines), 0
    for i in starts:
        m = _NUMBER_RE.match(lines[i].text) if i >= done else None
        if m is None or int(m.group(1)) > 2:
            continue
        want, j, count = int(m.group(1)), i, 0
        while j < n and j - i < _MAX_RUN:
            m = _NUMBER_RE.match(lines[j].text)
            if m is None or int(m.group(1)) != want or not _plain(lines[j]):
                break
            want += 1
            count += 1
            j += 1
            # "1. Spinach" / a line or two saying why / "2. Peas": the items' own text
            k = j
            while k < n and k - j < _ITEM_TEXT and not _NUMBER_RE.match(lines[k].text) \
                    and _plain(lines[k]):
                k += 1
            if k < n and k > j and k - j < _ITEM_TEXT and _NUMBER_RE.match(lines[k].text):
                j = k
        if count >= 3 and _prose_near(lines, i - 1, -1) and _prose_near(lines, j, 1):
            for ln in lines[i:j]:
                ln.item = not ln.prose  # prose weighs as prose
        done = j


def _lead_in(lines: list[Line], k: int) -> bool:
    """A line that announces a list: "You will need:", or a short subhead after prose."""
    if k < 1:
        return False
    ln = lines[k]
    if ln.prose or not (2 <= ln.words <= 12 or (ln.words <= 40 and ln.text[-1:] == ":")):
        return False  # (cheap tests first: this runs on every line; a long lead-in has ":")
    if ln.text.endswith(":"):  # (over a read-also bar or an ad label, too)
        back = k - 1 if _plain(lines[k - 1]) or (lines[k - 1].words > 12
                                                 and not lines[k - 1].strong) else k - 2
        return _plain(ln) and _prose_near(lines, back, -1)
    before = lines[k - 1]
    return not ln.sentence and (before.prose or before.sentence) and _plain(ln) \
        and (before.prose or _plain(before))


_LABELLED_RE = re.compile(r"^[^\W\d][^:]{1,40}:\s+\S")


def _unmarked_runs(lines: list[Line]) -> None:
    # Only where blank lines separate paragraphs does a run without one read as a single
    # block (a list or table element); in a dump with no blank lines a quotes widget or a
    # comment thread has the same shape as a results table.
    if sum(1 for ln in lines if ln.prose and ln.gap) < 3 \
            or 5 * sum(1 for ln in lines if ln.gap) < len(lines):
        return
    n, done = len(lines), 0
    heads = [k for k, ln in enumerate(lines) if not ln.prose and (
        2 <= ln.words <= 12 or (ln.words <= 40 and ln.text[-1:] == ":"))]
    for k in heads:
        i = k + 1
        if i < done or i >= n or not _lead_in(lines, k):
            continue
        j = i
        # items with blank lines between them only when they share a "Label: value" shape
        labelled = _LABELLED_RE.match(lines[i].text) is not None
        while j < n and j - i < _MAX_RUN and (j == i or not lines[j].gap or (
                labelled and _LABELLED_RE.match(lines[j].text))) \
                and not lines[j].prose and lines[j].words <= _MAX_ITEM_WORDS \
                and _plain(lines[j]):
            j += 1
        # the run ends at a blank line, and prose follows it
        if j - i >= 2 and j < n and lines[j].gap \
                and _prose_near(lines, j, 1):
            for ln in lines[i:j]:
                ln.item = True
            if lines[k].text.endswith(":"):  # "The forecasters expect:" belongs to its list
                lines[k].item = not lines[k].prose
        done = j


def mark_items(lines: list[Line]) -> None:
    """Set ``Line.item`` on list, step and table lines inside the story (linear: each
    scan moves past the run it looked at)."""
    _numbered_runs(lines)
    _unmarked_runs(lines)


# --- the story's edges ----------------------------------------------------------------------

_MATH_RE = re.compile(r"[=^√∑∫≤≥±×÷]|\\[a-z]+|\$[^$\s]")
_LEAD_SPAN = 5  # lines between the headline (or the date under it) and the first prose
_TAIL_SPAN = 2  # short closing sentences after the last long one
# an editor's note under the story ("Interview has been edited for length.")
_NOTE_RE = re.compile(r"\b(?:edited|condensed) for (?:length|clarity|brevity)\b", re.IGNORECASE)


def dated(ln: Line) -> bool:
    t = ln.text
    return ln.words <= 20 and bool(BYLINE_RE.match(t) or date_line(t))


def question_heads(lines: list[Line]) -> None:
    """A question headline ("Daylight saving: when do the clocks go back?") reads as a
    sentence; with the date or byline right under it, it is the headline, not prose."""
    for i in range(len(lines) - 1):
        ln = lines[i]
        if ln.prose and ln.words <= 16 and ln.text.endswith("?") and dated(lines[i + 1]):
            ln.prose = False


def story_bars(lines: list[Line]) -> None:
    """A comment counter or "Join the conversation" under the lede, with the story going on
    after it, is a share/comment bar, not the start of the comments: the bar's lines (and
    the button labels around them) weigh nothing and are not kept."""
    n = len(lines)
    before = 0
    for i, ln in enumerate(lines):
        if ln.prose:
            before += ln.words
            continue
        if not ln.boundary or ln.words > 6:
            continue
        j = i + 1
        while j < n and j - i <= 4 and not lines[j].prose and lines[j].words <= 6:
            j += 1
        window = lines[j : j + 10]
        after = sum(x.words for x in window if x.prose)
        if j - i > 4 or not window or not window[0].prose or window[0].words < 15 \
                or any(x.meta for x in window) or after <= max(before, 60):
            continue
        for x in lines[i:j]:
            x.boundary = False
            x.kind = x.kind or "bar"


_SIGN_UP_RE = re.compile(r"subscr|sign up|newsletter|abonn|suscr|assine|inbox|your email",
                         re.IGNORECASE)


def sign_up_boxes(lines: list[Line]) -> None:
    """A subscribe box inside the page: its short lines ("Thousands of paid subscribers",
    the publication's one-line pitch) between two sign-up lines are part of it."""
    marks = [i for i, ln in enumerate(lines)  # (its form, "[Email] [Sign Up]", closes it too)
             if (ln.strong or ln.linky) and _SIGN_UP_RE.search(ln.text)]
    for i, j in pairwise(marks):
        if 1 < j - i <= 5 and all(x.words <= 15 and not x.item for x in lines[i + 1 : j]):
            for x in lines[i : j + 1]:
                x.kind = x.kind or "bar"


_HANDLE_RE = re.compile(r"^@\w{1,30}$")
# an embedded post's time stamp: "8:51 PM · Sep 15, 2025"
_POST_STAMP_RE = re.compile(r"^\d{1,2}:\d\d\s?(?:[AaPp]\.?[Mm]\.?)?\s*·\s*\S.{0,30}$")


def embedded_posts(lines: list[Line]) -> None:
    """A social post embedded in the story, as a dump shows it: the author's name over an
    @handle, the post's text, its time stamp "8:51 PM · Sep 15, 2025" (then counters and
    buttons). The story quotes it in its own words; the embed is not kept."""
    for i in [k for k, x in enumerate(lines) if x.text[:1] == "@"]:
        if not _HANDLE_RE.match(lines[i].text):
            continue
        end = next((k for k in range(i + 1, min(i + 6, len(lines)))
                    if _POST_STAMP_RE.match(lines[k].text)), None)
        if end is None:
            continue
        start = i - 1 if i and lines[i - 1].words <= 4 and not lines[i - 1].sentence else i
        for x in lines[start : end + 1]:
            x.kind = x.kind or "bar"


_FRAME_RE = re.compile(r"^\+[-=+]{8,}\+$")


def framed_boxes(lines: list[Line]) -> None:
    """A box a text browser drew with +----+ rules and | sides (a deal, an info box) inside
    the story, or with box-drawing characters: one aside, weighing nothing either way, and
    not kept."""
    n, i = len(lines), 0
    while i < n:
        if "\u2500" <= lines[i].text[:1] <= "\u257f":  # links' Unicode frames: ┌ │ ├ └
            lines[i].kind = lines[i].kind or "bar"
            i += 1
            continue
        if lines[i].text[:1] != "+" or not _FRAME_RE.match(lines[i].text):
            i += 1
            continue
        j = i + 1
        while j < n and j - i <= 15 and lines[j].text[:1] == "|":
            j += 1
        if j < n and j > i + 1 and _FRAME_RE.match(lines[j].text):
            for ln in lines[i : j + 1]:
                ln.kind = ln.kind or "bar"
        i = j + 1 if j > i else i + 1


def lead_block(lines: list[Line], a: int, title_i: int | None) -> int:
    """A story that opens with a subhead, a question or a formula before its first long
    paragraph: those lines, between the headline (and its date/byline) and the prose, are
    kept. All or nothing: any other line in between leaves the start where it was."""
    if title_i is None or not 0 < a - title_i <= _LEAD_SPAN + 3:
        return a
    j = a - 1
    while j > title_i and _lead_line(lines, j):
        j -= 1
    start = j + 1
    while j > title_i and (dated(lines[j]) or lines[j].kind):
        j -= 1
    if j != title_i or start == a or a - start > _LEAD_SPAN:
        return a
    for ln in lines[start:a]:
        ln.item = not ln.kind
    return start


def _lead_line(lines: list[Line], j: int) -> bool:
    ln = lines[j]
    if ln.kind or not _plain(ln) or ln.linky or ln.words > 30:
        return False
    t = ln.text
    if ln.sentence and ln.stop > 0:
        return True  # "Sunday 27 October, at 2am." answers a question: not a date line
    if dated(ln):
        return False
    if _MATH_RE.search(t):
        return True
    # a subhead: words, no figures (page counters), over content rather than another label
    # (a row of share buttons is a run of such short lines)
    nxt = lines[j + 1]
    return 2 <= len(t.split()) <= 12 and not DIGIT_RE.search(t) \
        and not t.endswith((":", ",")) and (nxt.prose or nxt.sentence
                                            or bool(_MATH_RE.search(nxt.text)))


def tail_block(lines: list[Line], b: int) -> int:
    """Short closing sentences ("Demolition is expected to begin next spring.") weigh
    nothing, so the densest run stops before them: they are the story's last lines. A
    question there is a feedback prompt ("Was this article helpful?"), not the story."""
    k = b
    while k + 1 < len(lines) and k - b < _TAIL_SPAN:
        ln = lines[k + 1]
        if ln.kind or ln.prose or not _plain(ln) or ln.linky or not ln.sentence \
                or ln.stop <= 0 or ln.words < 4 or not FULL_STOP_RE.search(ln.text) \
                or ln.text.endswith("?") \
                or _NOTE_RE.search(ln.text):
            break
        k += 1
    return k


def caps_head(ln: Line, nxt: Line) -> bool:
    """A crosshead in capitals ("WHO WILL PAY FOR IT?") over a paragraph, inside the story
    (text browsers and e-mail alerts print subheads so; menus have no paragraph under them)."""
    return ln.text.isupper() and 2 <= ln.words <= 10 and nxt.prose and nxt.words >= 15 \
        and not (ln.strong or ln.repeated or ln.meta or ln.boundary or ln.credit or ln.kind
                 or (ln.weak and ln.words < 3) or URL_RE.search(ln.text))
