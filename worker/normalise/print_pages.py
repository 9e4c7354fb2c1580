"""A printed page's next story (``next_story_bylines``): an e-paper or print-page dump holds
the story and, under it, the briefs of the same page, each with its own headline and the
same staff byline ("Staff Reporter", "নিজস্ব প্রতিবেদক"). That byline's second copy, after the
story has begun, marks where the next story starts."""

from __future__ import annotations

import logging
import re

from worker.normalise.textparts import Line

log = logging.getLogger(__name__)

# a print page's briefs column under the story (other stories follow); a "Get in touch" box
BRIEFS_RE = re.compile(r"^\W*(?:get in touch|(?:(?:news|local|world|business|sports?) )?"
                        r"(?:in brief|briefs|"
                        r"briefly|en bref|kurz gemeldet|in kürze|in breve|en breve|kort nieuws|"
                        r"i korthet|lyhyesti|w skrócie|коротко|кратко))\W*$", re.IGNORECASE)
_MAX_WORDS = 4  # a byline: a name or a desk
_MIN_PROSE = 40  # words of prose between the two copies: a story, not a header's repeat


def _headed(lines: list[Line], i: int) -> bool:
    """Line ``i`` sits between a headline and prose: a byline under its story's headline."""
    if i < 1 or i + 1 >= len(lines) or not lines[i + 1].prose:
        return False
    head = lines[i - 1]
    return 2 <= head.words <= 15 and not (head.prose or head.sentence or head.linky
                                          or head.strong or head.repeated)


def next_story_bylines(lines: list[Line]) -> None:
    """Mark as a boundary the headline over a byline line that repeats, under another
    headline, after the first copy's story (only a line that occurs twice: a live blog's
    author, on every entry, is left alone; so are a paginated page's repeated header, a
    section label and a related-links heading, which sit under no headline of their own)."""
    first: dict[str, int] = {}
    for i, ln in enumerate(lines):
        if not ln.repeated or ln.words > _MAX_WORDS or ln.sentence or ln.linky or ln.strong \
                or ln.weak or ln.meta or not ln.text[:1].isalpha():
            continue
        key = ln.text.casefold()
        if key not in first:
            first[key] = i
            continue
        f = first[key]
        if sum(1 for x in lines if x.text.casefold() == key) != 2 or not _headed(lines, f) \
                or not _headed(lines, i):
            continue
        if sum(x.words for x in lines[f + 1:i] if x.prose) >= _MIN_PROSE:
            lines[i - 1].boundary = ln.boundary = True


# --- a print page's column furniture (pdftotext -layout) ----------------------------------

_OPENING = ("“", '"', "«", "„")
_CLOSING = ("”", '"', "»", "“")
_MAX_QUOTE_LINES = 6  # a pull quote set in a narrow box: a few short lines
_MAX_CUT = 8  # lines a picture's caption and a pull quote take between a paragraph's halves


def _plain_words(text: str) -> str:
    return " ".join("".join(c if c.isalnum() else " " for c in text.lower()).split())


def pull_quotes(lines: list[Line]) -> None:
    """A pull quote a print page sets in a box (short lines, in quotes, a name in capitals
    under it) repeating words of the story: its lines are not kept."""
    n = len(lines)
    i = 0
    prose: list[tuple[int, str]] | None = None  # the story's lines as _plain_words
    while i < n:
        if lines[i].text[:1] not in _OPENING or lines[i].words > 8 or lines[i].kind:
            i += 1
            continue
        j = i
        while j < n and j - i < _MAX_QUOTE_LINES and lines[j].words <= 8 and (
                j == i or not lines[j].gap) and not lines[j].text.endswith(_CLOSING):
            j += 1
        if j >= n or j - i >= _MAX_QUOTE_LINES or not lines[j].text.endswith(_CLOSING) \
                or (j > i and lines[j].gap):
            i += 1
            continue
        quote = _plain_words(" ".join(x.text for x in lines[i:j + 1]))
        if prose is None:  # (read once, on the page's first candidate)
            prose = [(k, _plain_words(x.text)) for k, x in enumerate(lines) if x.prose]
        if len(quote.split()) < 4 or not any(k != i and quote in p for k, p in prose):
            i += 1
            continue
        k = j + 1  # and the speaker's name and title in capitals under it
        while k < n and k - j <= 2 and not lines[k].gap and lines[k].words <= 6 \
                and lines[k].text.isupper():
            k += 1
        for x in lines[i:k]:
            x.kind = "bar"
        log.debug("pull quote over lines %d-%d", i, k - 1)
        i = k


def cut_paragraphs(lines: list[Line]) -> list[int]:
    """A paragraph a column's picture (its caption, its credit), a pull quote or a page
    break (the browser's print footer and header: address, "1/3", date, tab title) cut in
    two: the line that stops mid-sentence or mid-word ("... in den Schul-") takes the line,
    after those, that carries on in lower case. Returns the indices of the lines that grew
    (their features are to be read again)."""
    grew: list[int] = []
    for i, ln in enumerate(lines):
        t = ln.text
        split_word = t[-1:] == "-" and t[-2:-1].islower()
        if ln.kind or ln.words < 6 or not (t[-1:].isalpha() or split_word) \
                or not t[:1].isupper():
            continue
        j = i + 1
        while j < len(lines) and j - i <= _MAX_CUT and (lines[j].kind or _page_edge(lines[j])):
            j += 1
        if j == i + 1 or j >= len(lines) or j - i > _MAX_CUT or lines[j].words < 3 \
                or not lines[j].text[:1].islower():
            continue
        ln.text = f"{t[:-1]}{lines[j].text}" if split_word else f"{t} {lines[j].text}"
        for x in lines[i + 1 : j + 1]:
            x.kind = x.kind or "bar"
        lines[j].kind = "bar"
        grew.append(i)
    return grew


# a printed page's number: "1/3", "2 of 5", "Seite 2 von 4", "- 3 -"
_PAGE_NO_RE = re.compile(r"^(?:\d{1,3} ?(?:/|of|von|de|sur|di|z|из) ?\d{1,3}|(?:page|seite|"
                         r"página|pagina|strona) \d{1,3}(?: (?:/|of|von|de) \d{1,3})?|"
                         r"- ?\d{1,3} ?-)$", re.IGNORECASE)


def _page_edge(ln: Line) -> bool:
    """A line of a print page's running header or footer (each page repeats it)."""
    return (ln.repeated and ln.words <= 20 and not ln.sentence) \
        or (ln.words <= 5 and bool(_PAGE_NO_RE.match(ln.text)))


# A story that jumps to another page: "Turn to Page 6" ... "From Page 3" (and its jump
# headline): what lies between (the page's briefs, adverts, the page footer and header) is
# no story, and the jumped part is. The next story on that page starts at its own byline.
_JUMP_OUT_RE = re.compile(r"^\W*(?:turn to|continued on|continues on|cont(?:inued|'d|\.)? on|"
                          r"see|more on) (?:page|p\.?) ?(\d{1,3})\W*$", re.IGNORECASE)
_JUMP_IN_RE = re.compile(r"^\W*(?:from|continued from|cont(?:inued|'d|\.)? from) (?:page|p\.?) ?"
                         r"(\d{1,3})\W*$", re.IGNORECASE)
_PRINT_BYLINE_RE = re.compile(r"^(?:BY|By) [A-Z][\w'’.-]+(?: [A-Z][\w'’.-]+){1,3}$")


def page_jumps(lines: list[Line]) -> None:
    """Join a story to the part it jumps to (see above)."""
    out = next((i for i, ln in enumerate(lines) if ln.words <= 6 and _JUMP_OUT_RE.match(ln.text)),
               None)
    if out is None:
        return
    into = next((i for i in range(out + 1, len(lines)) if lines[i].words <= 6
                 and _JUMP_IN_RE.match(lines[i].text)), None)
    if into is None:
        return
    k = into + 1
    while k < len(lines) and k - into <= 4 and not lines[k].prose:  # the jump headline
        k += 1
    for x in lines[out:k]:
        x.kind, x.boundary = "bar", False
    for j in range(k, len(lines) - 1):  # the page's next story, under its own byline
        if _PRINT_BYLINE_RE.match(lines[j].text) and lines[j + 1].prose \
                and not lines[j - 1].prose:
            lines[j - 1].boundary = lines[j].boundary = True
            break


def print_layout(lines: list[Line]) -> list[int]:
    """A print page's pull quotes, page jumps and cut paragraphs (after the captions are
    claimed); returns the indices of the lines that grew (``cut_paragraphs``)."""
    pull_quotes(lines)
    page_jumps(lines)
    return cut_paragraphs(lines)
