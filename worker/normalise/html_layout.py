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

from typing import Any

# A data cell holds a figure or a few words; a cell this long holds a story.
LAYOUT_CELL_WORDS = 60
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
