"""Boxes a whole-page dump carries inside or under the story, marked as furniture before the
story run is chosen: a promotion between a "skip past X" link and its "after X" mark, an
embedded social post as a Markdown blockquote, a reader-revenue appeal, the archive's
"This article is more than 2 months old" notice. ``page_boxes`` runs them with the box
passes of ``blocks``.
"""

from __future__ import annotations

import logging
import re
from itertools import pairwise

from worker.normalise.blocks import embedded_posts, framed_boxes, sign_up_boxes
from worker.normalise.textparts import Line

log = logging.getLogger(__name__)


def page_boxes(lines: list[Line]) -> None:
    """Every box pass over a dump's lines, in order."""
    embedded_posts(lines)
    quoted_posts(lines)
    sign_up_boxes(lines)
    skip_promos(lines)
    support_appeals(lines)
    age_notes(lines)
    framed_boxes(lines)
    sponsor_boxes(lines)
    form_boxes(lines)
    editor_notes(lines)


# A newsletter's note from its editor over the stories: a greeting, a few sentences, the
# editor's sign-off ("- Rohan Deshpande, Editor")
_GREETING_RE = re.compile(
    r"^(?:good (?:morning|afternoon|evening)|hello|hi|hey|dear (?:readers?|subscribers?)|"
    r"welcome (?:to|back)|guten (?:morgen|tag|abend)|liebe leser|bonjour|bonsoir|chers lecteurs|"
    r"buenos días|buenas (?:tardes|noches)|bom dia|boa (?:tarde|noite)|buongiorno|buonasera|"
    r"goedemorgen|goedemiddag|god morgon|god morgen|dzień dobry|günaydın|selamat pagi)\b",
    re.IGNORECASE)
_GREETING_FIRST = frozenset("ghdwlbcs")  # the first letters of _GREETING_RE's words
_SIGNED_RE = re.compile(r"^(?:[-—–]{1,2}\s*|(?:cheers|best|thanks|regards|bis morgen|à demain),"
                        r"\s*)[A-ZÀ-Þ][\w.'’-]+(?: [A-ZÀ-Þ][\w.'’-]+){0,3}(?:,\s*[\w ]{2,30})?$",
                        re.IGNORECASE)


def editor_notes(lines: list[Line]) -> None:
    """A newsletter's note from its editor (see above) at the top: no story."""
    for i, ln in enumerate(lines[:30]):
        if ln.text[:1].lower() in _GREETING_FIRST and _GREETING_RE.match(ln.text):
            end = next((k for k in range(i + 1, min(i + 4, len(lines)))
                        if lines[k].words <= 8 and _SIGNED_RE.match(lines[k].text)), None)
            if end is not None:
                _bar(lines, i, end)
            return


_CONTROLS = ("( ) ", "(*) ", "(o) ", "[ ] ", "[X] ", "[x] ")


def form_boxes(lines: list[Line]) -> None:
    """A poll or a form as a text browser draws it: radio buttons and check boxes ("( ) Ano,
    denně", "[ ] Subscribe"), the question over them and the one-word button under them."""
    i = 0
    while i < len(lines):
        if not lines[i].text.startswith(_CONTROLS):
            i += 1
            continue
        j = i
        while j + 1 < len(lines) and lines[j + 1].text.startswith(_CONTROLS):
            j += 1
        if j > i:  # (one alone may be a story's own "[ ]")
            if i and lines[i - 1].words <= 25 and lines[i - 1].text.endswith(("?", ":")):
                i -= 1
            if j + 1 < len(lines) and lines[j + 1].words <= 3 \
                    and not lines[j + 1].text.endswith((".", "!", "?")):
                j += 1
            _bar(lines, i, j)
        i = j + 1


def _bar(lines: list[Line], i: int, j: int) -> None:
    for x in lines[i : j + 1]:
        x.kind = x.kind or "bar"


_LINK_TEXT_RE = re.compile(r"^\[([^\]]{1,80})\]\(")
_SKIP_SPAN = 15  # lines a promotion box holds at most


def _label(text: str) -> str:
    m = _LINK_TEXT_RE.match(text) if text[:1] == "[" else None
    return (m.group(1) if m else text).strip().lower()


def skip_promos(lines: list[Line]) -> None:
    """A promotion the page lets screen readers skip: "skip past newsletter promotion" (a
    link) ... "after newsletter promotion". Everything from one to the other is the box."""
    for i, ln in enumerate(lines):
        if "kip past " not in ln.text[:12]:
            continue
        label = _label(ln.text)
        if not label.startswith("skip past "):
            continue
        end = "after " + label[len("skip past "):]
        j = next((k for k in range(i + 1, min(len(lines), i + _SKIP_SPAN))
                  if _label(lines[k].text) == end), None)
        if j is not None:
            _bar(lines, i, j)


# the post's attribution closing the quote: "— Clean Rivers Now (@CleanRiversNow) May 15,
# 2025", "A post shared by Name (@handle)"
_POST_BY_RE = re.compile(r"^>\s*(?:[—–-]{1,2}\s*[^()\n]{1,80}|a post shared by [^()\n]{1,80})"
                         r"\(@\w{1,30}\)", re.IGNORECASE)


def quoted_posts(lines: list[Line]) -> None:
    """A social post embedded in the story as a Markdown blockquote ("> text", ">", "> —
    Name (@handle) date"): the embed, not the story's words. A quote without a post's
    attribution stays."""
    i = 0
    while i < len(lines):
        if lines[i].text[:1] != ">":
            i += 1
            continue
        j = i
        while j + 1 < len(lines) and lines[j + 1].text[:1] == ">":
            j += 1
        if "(@" in lines[j].text and _POST_BY_RE.match(lines[j].text):
            _bar(lines, i, j)
        i = j + 1


# A reader-revenue appeal: the publication asks the reader for money in the first person
_APPEAL_RE = re.compile(
    r"\b(?:consider (?:\w+ ){0,5}support(?:ing)? (?:us|our|the \w+[’']s journalism)|"
    r"support(?:ing)? (?:us (?:just )?once|us every month|our journalism|independent journalism"
    r"|(?:the )?[\w ]{2,30}[’']s journalism)|"
    r"(?:make|making) a (?:one-off |small |monthly )?(?:contribution|donation) to (?:us|our)|"
    r"before you move on\b|(?:i|we) hope you (?:appreciated|enjoyed|valued) this (?:article|"
    r"story|piece)|(?:become|becoming) a (?:supporter|member) (?:of|and|today))", re.IGNORECASE)
_APPEAL_SPAN = 4  # paragraphs between two appeal lines that belong to the same appeal


def _appeal(ln: Line) -> bool:
    low = ln.text.lower()
    return ("support" in low or "contribut" in low or "donat" in low or "hope you" in low
            or "before you" in low or "member" in low) and bool(_APPEAL_RE.search(ln.text))


def support_appeals(lines: list[Line]) -> None:
    """Two appeal paragraphs a few lines apart ("I hope you appreciated this article ...
    consider supporting us", "... support us every month"): they and what lies between
    them are the appeal box. One such sentence alone may be the story's own."""
    hits = [i for i, ln in enumerate(lines) if ln.prose and not ln.kind and _appeal(ln)]
    for i, j in pairwise(hits):
        if j - i <= _APPEAL_SPAN:
            _bar(lines, i, j)


_AGE_RE = re.compile(r"^this (?:article|story|page|content) is (?:more|over|older) than "
                     r"(?:\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|"
                     r"twelve) (?:day|week|month|year)s? old\W*$", re.IGNORECASE)


def age_notes(lines: list[Line]) -> None:
    """An archive's age notice over an old story: no headline, no story text."""
    for ln in lines:
        if ln.words <= 10 and ln.text.endswith("old") and _AGE_RE.match(ln.text):
            ln.kind = ln.kind or "bar"


_RULE_RE = re.compile(r"^[-=_*~]{20,}$")
_SPONSOR_LABEL_RE = re.compile(r"^(?:sponsored by|presented by|brought to you by|a message from|"
                               r"partner content|paid (?:content|post)|advertisement)\b",
                               re.IGNORECASE)


def sponsor_boxes(lines: list[Line]) -> None:
    """A sponsor's message a plain-text newsletter rules off inside the story ("-----" /
    "SPONSORED BY X" / its pitch / "-----"): not the story, whatever its sentences say."""
    n = len(lines)
    for i in range(n - 2):
        if lines[i].text[:1] not in "-=_*~" or not _RULE_RE.match(lines[i].text) \
                or not _SPONSOR_LABEL_RE.match(lines[i + 1].text):
            continue
        j = next((k for k in range(i + 2, min(n, i + 8)) if _RULE_RE.match(lines[k].text)), None)
        if j is not None:
            for ln in lines[i:j + 1]:
                ln.kind = ln.kind or "bar"
