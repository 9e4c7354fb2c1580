"""The column a hard-wrapped dump is wrapped at (``wrap_width``), measured as the wrapping
tool measured it (``columns``).

pandoc and w3m wrap by display width: a Devanagari, Bengali or Thai vowel sign, a Hebrew or
Arabic vowel point, a combining accent takes no column, so a 72-column Hindi line can hold
60 to 90 code points. html2text wraps Markdown prose at 78 code points but leaves a line
holding a link as long as its address makes it: such lines say nothing of the width.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Callable

log = logging.getLogger(__name__)


def _marks_class() -> str:
    """Non-spacing and enclosing marks of the scripts news is written in (the combining
    blocks from U+0300 to U+10FF and the supplements), as one regex class."""
    spans = [(0x0300, 0x1100), (0x1AB0, 0x1B00), (0x1DC0, 0x1E00), (0x20D0, 0x2100),
             (0x302A, 0x3030), (0xFE20, 0xFE30)]
    marks = [chr(c) for lo, hi in spans for c in range(lo, hi)
             if unicodedata.category(chr(c)) in ("Mn", "Me")]
    return "[" + "".join(re.escape(c) for c in marks) + "]"


_MARK_RE = re.compile(_marks_class())


def columns(s: str) -> int:
    """Display columns of a line: its length without zero-width combining marks."""
    if s.isascii():
        return len(s)
    return len(s) - len(_MARK_RE.findall(s))


def continues(s: str) -> bool:
    """A line that can go on a wrapped sentence: it opens with a lower-case letter, or with
    a letter of a script without case written with spaces (Devanagari, Hangul, Arabic; a
    Chinese or Japanese line can open anywhere, a headline's as well)."""
    c = s[:1]
    return c.islower() or (c.isalpha() and not c.isupper() and not c.isascii()
                           and not ("\u3000" <= c <= "\u9fff" or "\uf900" <= c <= "\ufaff"))


def wrap_measure(lines: list[str]) -> tuple[int, Callable[[str], int]]:
    """The wrap width and the measure the tool wrapped by: display columns (pandoc, w3m) or
    code points (html2text; elinks on some builds). Text with combining marks is measured
    both ways; the width more lines end near (within 8) wins."""
    width = wrap_width(lines)
    if all(s.isascii() or not _MARK_RE.search(s) for s in lines):
        return width, columns
    cp = wrap_width(lines, len)
    if cp and (not width or _near(lines, cp, len) > _near(lines, width, columns)):
        return cp, len
    return width, columns


def _near(lines: list[str], width: int, measure: Callable[[str], int]) -> int:
    return sum(1 for s in lines if width - 8 <= measure(s) <= width)


def wrap_width(lines: list[str], measure: Callable[[str], int] = columns) -> int:
    """The column a hard-wrapped dump is wrapped at, or 0 when it is not wrapped."""
    # (a Markdown link line runs as long as its address: no wrapped text; a text browser's
    # box, "+-----+" and "| Home | News |", is drawn as wide as the screen, not the text)
    lens = [measure(s) for s in lines if s and "](" not in s
            and not (s[0] in "+|" and s[-1] in "+|")]
    n = len(lens)
    if n < 5:
        return 0
    hist = [0] * 102
    for k in lens:
        hist[min(k, 101)] += 1
    upto = [0] * 102  # upto[w] = lines no longer than w
    acc = 0
    for w in range(102):
        acc += hist[w]
        upto[w] = acc
    for width in range(45, 101):  # the narrowest width almost every line fits in
        if n - upto[width] <= 0.1 * n:
            # near-width lines dominate the longer lines (menus and link lists are short)
            if upto[width] - upto[width - 12] >= max(3, 0.3 * (n - upto[width // 2])) \
                    and _continues(lines, width - 12, width, measure):
                return max(w for w in range(width + 1) if hist[w])
            # Fragment joining (``lines._fragment``) reads such a page better than a width
            # guess, unless it has no blank line at all (nothing else separates paragraphs).
            if any(not s for s in lines[1:-1]):
                return _cliff_width(lines, hist, upto, measure)
            break
    return _cliff_width(lines, hist, upto, measure)


def _cliff_width(lines: list[str], hist: list[int], upto: list[int],
                 measure: Callable[[str], int]) -> int:
    """A wrapped story inside a page whose other lines (teasers, footer, an unwrapped
    standfirst) run long: many lines end just under the width and almost none just over it,
    whatever the far longer lines do. Narrow print columns are left to fragment joining."""
    for width in range(50, 90):
        near = upto[width] - upto[width - 12]
        above = upto[min(width + 25, 100)] - upto[width]  # (101 counts every longer line)
        if near >= 6 and 4 * above <= near \
                and _continues(lines, width - 12, width, measure):
            return max(w for w in range(width + 1) if hist[w])
    return 0


def _continues(lines: list[str], lo: int, hi: int, measure: Callable[[str], int]) -> bool:
    """Wrapped prose: lines near the width often run on into a lower-case word (a list
    of headlines of similar length never does)."""
    near = low = 0
    for i in range(len(lines) - 1):
        if lines[i + 1] and lo < measure(lines[i]) <= hi and "](" not in lines[i]:
            near += 1
            low += continues(lines[i + 1])
    return low >= 0.25 * near


_MARKER_RE = re.compile(r"^(\s*)(?:[-*•+]|\d{1,2}[.)])\s+(?=\S)")


def hangs_under_item(split: list[str], i: int) -> bool:
    """Line ``i`` is indented under a list item's text, past its marker ("  * Allow ...,"
    / "    without late fees ..."), and the line above stops mid-sentence: the item wrapped,
    whatever the width (a comment's "* Name • 12/03/2025 à 10:05" over its text is no item)."""
    end = split[i - 1].rstrip()[-1:]
    if not (end.islower() or end in ",;-–("):
        return False
    ind = len(split[i]) - len(split[i].lstrip())
    j = i - 1
    while j > 0 and split[j].strip() and len(split[j]) - len(split[j].lstrip()) == ind:
        j -= 1  # (the item's earlier wrapped lines)
    m = _MARKER_RE.match(split[j])
    return m is not None and m.end() == ind and not _MARKER_RE.match(split[i])
