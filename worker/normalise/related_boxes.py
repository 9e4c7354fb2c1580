"""A related-link box inside the story ("Read more:", "Mehr zum Thema", "Baca Juga:" over one
or more linked headlines, the story going on under it): its lines weigh nothing and are not
kept, and its label does not end the story the way a footer's "Related stories" does."""

from __future__ import annotations

import logging
import re

from worker.normalise.blocks import dated
from worker.normalise.cue_keys import READ_ALSO
from worker.normalise.key_points import POINT_MARKS
from worker.normalise.textparts import Line

log = logging.getLogger(__name__)

# Boundary labels that only ever close a story (comments, copyright, author box): never a box
_END_ONLY_RE = re.compile(r"comment|respons|repl|conversation|discussion|sort|©|copyright|about",
                          re.IGNORECASE)
# The labels of an inline related-link box (a "Most read" or "Top stories" list is a sidebar,
# left to end the story: footer prose may follow it)
_INLINE_LABEL_RE = re.compile(
    r"^(?:read more|also read|read also|see also|related(?: \w+)?|recommended(?: \w+)?|"
    r"more on this(?: story)?|mehr zum thema|(?:à )?lire aussi|te puede interesar|"
    r"lea también|lee también|leia também|leggi anche|lees ook|läs också|más información|"
    r"(?:prze)?czytaj (?:też|także)|" + READ_ALSO + r")\W*$", re.IGNORECASE)


def inline_boxes(lines: list[Line]) -> None:
    """A "Read more" / "Mehr zum Thema" / "Recommended" label between two paragraphs, over
    the linked headline, with the story going on in paragraphs right after it, is a related-
    link box inside the story: it weighs nothing and is not kept (the story's end comes from
    what follows the last paragraph). Teaser lists with deks (headline, sentence, headline)
    and comments (name, text, name) do not go on in consecutive paragraphs."""
    n = len(lines)
    # (a "Leggi anche:" lead-in is no boundary any more once _inline_leadins saw the story
    # go on under it, but its headline is still to go)
    for i in [k for k, x in enumerate(lines) if x.boundary or (
            x.words <= 3 and x.text[-1:] == ":")]:
        ln = lines[i]
        if ln.words > 6 or not any(x.prose for x in lines[max(0, i - 3):i]) \
                or not _INLINE_LABEL_RE.match(ln.text):
            continue
        # one linked headline (or a numbered run of them: "1. ...", "2. ..."), then the
        # story's own list ("The four roads are:", "• ..."), ad labels, and the story
        h = i + 2
        if _ITEM_RE.match(lines[i + 1].text if i + 1 < n else ""):
            while h < n and h - i <= 5 and not lines[h].prose and _ITEM_RE.match(lines[h].text):
                h += 1
        k = end = _after_list(lines, h)
        if k is None and h > i + 2:  # two or more bulleted headlines, the story under them
            k = end = h
        while k is not None and k < n - 1 and k - h <= 16 and _label(lines[k]):
            k += 1
        if k is not None and not lines[i + 1].prose and lines[k].prose and lines[k].words >= 20:
            ln.boundary, ln.kind = False, ln.kind or "bar"
            for x in lines[i + 1:h]:
                x.kind = x.kind or "bar"
            for x in lines[h:end]:  # (mark_items, before, saw the box as the list's edge)
                x.item = x.item or not x.prose
            continue
        j = i + 1
        # the linked headline may read as prose ("Lyon : la rue ... piétonne ?"): no stop
        # (up to four lines: two linked headlines with a "Plus" / "Video" label between)
        # (or two dated headlines, each over its date, and the next section's subhead)
        while j < n and j - i <= 7 and (not lines[j].prose or (
                j == i + 1 and not lines[j].text.endswith(".") and lines[j + 1 :][:1]
                and lines[j + 1].prose)) and not lines[j].boundary and lines[j].words <= 16:
            j += 1
        # paragraphs end their sentences; teaser deks often do not
        if j >= n or not lines[j].prose or not lines[j].sentence or j - i > 5 + 2 * (
                sum(dated(x) for x in lines[i + 1:j]) >= 2) \
                or (j - i > 3 and lines[j].words < 20):
            continue
        k = j + 1  # a second paragraph, with only ad labels or credits between
        while k < n and k - j <= 3 and not lines[k].prose and _label(lines[k]):
            k += 1
        # ... or a subhead (or a Q&A's question) over it: the story's next section
        if k + 1 < n and not lines[k].prose and not lines[k].boundary and lines[k].words >= 2 \
                and (not lines[k].sentence or lines[k].text[-1:] == "?") \
                and lines[k].words <= 12 and lines[j].words >= 25 \
                and lines[k + 1].prose and lines[k + 1].sentence and lines[k + 1].words >= 25:
            k += 1
        # ... or one paragraph and then the comments or the footer: the story's last section
        last = k < n and lines[k].boundary and lines[j].words >= 20 \
            and bool(_END_ONLY_RE.search(lines[k].text))
        if k < n and ((lines[k].prose and lines[k].sentence) or last):
            ln.boundary = False
            ln.kind = ln.kind or "bar"
            # the linked headlines under the label; the last line over the paragraph may be
            # the story's subhead, unless it is one more bullet or comes after a "Plus" label
            for h in range(i + 1, j):
                x = lines[h]
                if h == i + 1 or h < j - 1 or lines[h - 1].words <= 2 or (
                        x.text[:2] == lines[i + 1].text[:2] and x.text[:2] in POINT_MARKS) \
                        or min(x.words, lines[i + 1].words) >= 8:  # two headlines' length
                    x.kind = x.kind or "bar"


_ITEM_RE = re.compile(r"^(?:\d{1,2}[.)]|[-•*·▪●–])\s")


def _after_list(lines: list[Line], j: int) -> int | None:
    """Where a lead-in line ending in ":" and the two or more list items under it end."""
    if j >= len(lines) or not 3 <= lines[j].words <= 20 or lines[j].text[-1:] != ":":
        return None
    k = j + 1
    while k < len(lines) and k - j <= 12 and _ITEM_RE.match(lines[k].text):
        k += 1
    return k if k - j >= 3 and k < len(lines) else None


def _label(ln: Line) -> bool:
    """An ad label, a credit or a button between two paragraphs ("Advertisement", "Ad
    Feedback", "Story continues below advertisement"), not a teaser's headline."""
    return bool(ln.kind or ln.strong or ln.credit or ln.repeated or ln.weak
                or (ln.linky and ln.words <= 3)
                or (ln.text[:1] == "[" and ln.text[-1:] == "]" and ln.words <= 12))  # lynx's [alt]
