"""Layout tables -> plain blocks, before trafilatura reads the page.

Pages built before CSS layouts put the whole page in a <table>: the nav bar in one row, the
story in a cell (often a one-cell table nested in it), the copyright in the last row.
trafilatura (``tables=True``) reads such a table as data and writes each row as one line,
so the nav, the footer and the headline + byline + date + story all became single
paragraphs (blind batch ``r``: ten such pages at body F1 0.69-0.85). A table that lays out
the page rather than holding data becomes nested <div>s, and trafilatura reads its cells as
it reads any page: <br> ends a line, link lists and the footer are boilerplate.
"""

from __future__ import annotations

import re
from typing import Any

from worker.normalise.cues import DATE_LINE_RE, FULL_STOP_RE

# A data cell holds a figure or a few words; a cell this long holds a story.
LAYOUT_CELL_WORDS = 60
# The head over a story: a few short lines; a line this long is the story's first.
HEAD_LINES = 6
STORY_LINE_WORDS = 15
YEAR_RE = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
_NOT_TEXT = frozenset(("script", "style", "noscript", "template", "title", "head"))
_OWN_CELLS = "./tr/td|./tr/th|./*/tr/td|./*/tr/th"
_OWN_PARTS = "./tr|./*/tr|./thead|./tbody|./tfoot"


def is_layout_table(table: Any) -> bool:
    """One cell only (a box around content), a cell holding another table, or a cell with
    a story's worth of text: not a data table."""
    cells = table.xpath(_OWN_CELLS)
    if len(cells) == 1:
        return True
    return any(cell.find(".//table") is not None
               or len(cell.text_content().split()) >= LAYOUT_CELL_WORDS for cell in cells)


def untable_layout(root: Any) -> None:
    """Every layout table (its own rows and cells, not a data table nested in it) becomes
    <div>s; the elements keep their children, text and tails."""
    for table in [t for t in root.iter("table") if is_layout_table(t)]:
        parts = table.xpath(_OWN_PARTS)
        cells = table.xpath(_OWN_CELLS)
        for el in (table, *parts, *cells):
            el.tag = "div"


def mark_line_breaks(root: Any) -> None:
    """A ``<br>`` right before an element (``<br><font>By ...</font>``) gets a newline
    tail: trafilatura ends a line only at a <br> with tail text, so the headline, byline,
    date and story of a page built of <font> runs came out as one line."""
    for br in root.iter("br"):
        tail = br.tail
        if tail is None or (not tail.strip() and "\n" not in tail):
            br.tail = "\n" if tail is None else tail + "\n"


def date_over_story(text: str) -> list[str]:
    """A date line among the short lines trafilatura kept over the story (headline, byline,
    "Posted on Tue, Oct. 03, 2006"), for pages with no date in their metadata and no <h1>
    to find it by: old layouts print it in a <font> under a bold headline."""
    for k, raw in enumerate(text.split("\n", HEAD_LINES)):
        line = " ".join(raw.split())
        words = line.count(" ") + 1
        if words >= STORY_LINE_WORDS or k == HEAD_LINES:
            break  # the story has begun
        if words <= 12 and YEAR_RE.search(line) and DATE_LINE_RE.search(line) \
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
            if YEAR_RE.search(line) and DATE_LINE_RE.search(line) \
                    and not FULL_STOP_RE.search(line):
                return [line]
    return []
