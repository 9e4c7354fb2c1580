"""Data tables beside a story, dropped from the parsed page before trafilatura reads it
(trafilatura writes every row of a data table as a paragraph):

- a sports box: a match box, a league's standings (``class="matchbox"``, "standings",
  "league-table"), with the heading right over it;
- a data table titled by its own heading and closing the story (no paragraph of text after
  it): a match's statistics, a table of the league under the report. A table the story
  introduces with a sentence ("The table below shows ...", "Results:") follows a paragraph,
  not a heading, and stays;
- a data widget in mid-story: a box holding a title heading, one table of figures and
  at most a short source line ("Lakemont mayor" / candidates, votes, % / "Source: ..."),
  an election-results or quote module dropped in among the paragraphs;
- a release's info table over the text: a few label | value rows, one value a date
  ("發布日期 | 114-05-20", "Published | 2025-05-20").

``untable_layout`` hands over the tables it left as data tables: no walk of its own.
"""

from __future__ import annotations

import re
from typing import Any

_SPORTS_BOX_RE = re.compile(r"match-?box|score-?box|standings|league-?table", re.IGNORECASE)
_HEADS = frozenset(("h2", "h3", "h4", "h5"))
_CELLS = ("td", "th")
_BOX_TAGS = frozenset(("div", "section", "aside"))
_NOTE_TAGS = frozenset(("p", "div", "span", "small"))
_DIGIT_RE = re.compile(r"\d")
# a date value: "114-05-20" (a Taiwanese ROC year), "2025-05-20", "20.05.2025", "2025年5月20日"
_DATE_VALUE_RE = re.compile(r"^\d{1,4}\s?[-/.年]\s?\d{1,2}\s?[-/.月]\s?\d{1,4}日?$")
# A box this long is a container, not a box beside the story.
_BOX_CHARS = 1500
_STORY_WORDS = 12


def drop_side_tables(tables: list[Any]) -> None:
    """Drop the sports boxes, the heading-titled tables closing a story and the info
    tables among ``tables`` (the page's data tables), each with the heading over it."""
    for table in tables:
        parent = table.getparent()
        if parent is None:
            continue
        cls = table.get("class") or ""
        pcls = f"{parent.get('class', '')} {parent.get('id', '')}"
        if _SPORTS_BOX_RE.search(pcls) and parent.getparent() is not None \
                and len(parent.text_content()) < _BOX_CHARS:
            _drop(parent)
        elif _SPORTS_BOX_RE.search(cls) or _tail_table(table) or _info_table(table):
            _drop(table)
        elif _widget_box(parent, table):
            parent.drop_tree()


def _drop(el: Any) -> None:
    """``el`` and a short heading right over it (the table's title)."""
    prev = el.getprevious()
    if prev is not None and prev.tag in _HEADS and len(prev.text_content()) < 80:
        prev.drop_tree()
    el.drop_tree()


def _figures(table: Any) -> bool:
    """Six or more cells, two in five of them with a figure."""
    cells = [c.text_content() for c in table.iter(*_CELLS)]
    return len(cells) >= 6 and 5 * sum(1 for c in cells if _DIGIT_RE.search(c)) >= 2 * len(cells)


def _widget_box(box: Any, table: Any) -> bool:
    """``box`` opens with a short title heading and holds ``table`` (of figures) and short
    notes only: a data module placed in the story, not a table the story introduces."""
    kids = list(box)
    if box.tag not in _BOX_TAGS or box.getparent() is None or len(kids) < 2 \
            or kids[0].tag not in _HEADS or len(kids[0].text_content()) > 80 \
            or (box.text and box.text.strip()):
        return False
    for el in kids[1:]:
        if el is not table and (el.tag not in _NOTE_TAGS or len(el.text_content()) > 200
                                or el.find(".//table") is not None):
            return False
    return _figures(table) and len(box.text_content()) < _BOX_CHARS


def _tail_table(table: Any) -> bool:
    """A table right under a heading, mostly figures, with no story paragraph after it."""
    prev = table.getprevious()
    if prev is None or prev.tag not in _HEADS or (prev.tail and prev.tail.strip()):
        return False
    if not _figures(table):
        return False
    return not any(sib.tag == "p" and len(sib.text_content().split()) >= _STORY_WORDS
                   for sib in table.itersiblings())


def _info_table(table: Any) -> bool:
    """A few label | value rows over the text, the labels without figures and one value a
    date: the release's agency, date and view count, not a table of the story."""
    rows = list(table.iter("tr"))
    if not 2 <= len(rows) <= 8:
        return False
    dated = False
    for row in rows:
        cells = [" ".join(c.text_content().split()) for c in row.iter(*_CELLS)]
        if len(cells) != 2 or len(cells[0]) > 20 or len(cells[1]) > 60 \
                or _DIGIT_RE.search(cells[0]):
            return False
        dated = dated or bool(_DATE_VALUE_RE.match(cells[1]))
    # over the text: no story paragraph before it
    return dated and not any(sib.tag == "p" and len(sib.text_content()) >= 40
                             for sib in table.itersiblings(preceding=True))
