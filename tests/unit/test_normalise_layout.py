"""Old table-layout pages (blind batch ``r``): the page laid out in <table>s, the story a run
of ``<br><br>``-separated text inside <font> in one cell, nav and copyright in other rows.

Each test builds a small page of that shape and checks what the normaliser keeps; the r-set
floor in test_normalise_eval checks the labelled fixtures (tests/fixtures/articles/r*).
"""

from __future__ import annotations

import lxml.html  # type: ignore[import-untyped]
import pytest

from worker.events.models import Source
from worker.normalise.article import normalise_html
from worker.normalise.html_layout import is_layout_table

pytestmark = pytest.mark.timeout(120, method="thread")

SRC = Source(kind="file", location="layout")
STORY = [
    "A federal judge on Tuesday temporarily blocked a new state law requiring voters to show "
    "a photo ID at the polls, saying it would likely keep thousands of people from voting.",
    "The judge wrote that the state had offered no evidence that in-person voter fraud was a "
    "problem serious enough to justify the new requirement at this time.",
    "The state attorney general's office said it would appeal the ruling to the court of "
    "appeals later this week, according to a spokesman for the office.",
    "About 126,000 registered voters in the state do not have a driver's license, according "
    "to figures that were cited in the ruling on Tuesday afternoon.",
]
NAV = ('<a href="/news/">News</a> | <a href="/sports/">Sports</a> | '
       '<a href="/business/">Business</a> | <a href="/obits/">Obituaries</a>')
FOOT = ('Copyright &copy; 2006 The Valley Sun. All rights reserved.<br>'
        '<a href="/privacy">Privacy Policy</a> | <a href="/contact">Contact Us</a>')


def _table_page(story_html: str) -> str:
    return f"""<html><head><title>Judge blocks state law on voter ID</title></head><body>
<table width="760"><tr><td colspan="3"><font size="1">{NAV}</font></td></tr>
<tr><td width="150"><font size="1"><b>SECTIONS</b><br><a href="/local/">Local</a><br>
<a href="/state/">State</a></font></td>
<td width="460"><table width="100%"><tr><td>
<font size="5"><b>Judge blocks state law on voter ID</b></font><br>
<font size="1">Posted on Tue, Oct. 03, 2006</font><br><br>
<font size="3">{story_html}</font>
</td></tr></table></td>
<td width="150"><font size="1">Advertisement</font></td></tr>
<tr><td colspan="3"><font size="1">{FOOT}</font></td></tr></table></body></html>"""


def test_br_paragraphs_in_a_layout_table_are_the_story() -> None:
    page = _table_page("\n<br><br>\n".join(STORY) + "\n<br><br>")
    art = normalise_html(page.encode(), source=SRC)
    assert list(art.body) == STORY
    assert not any("Copyright" in p or "Sports" in p for p in art.body)


def test_p_paragraphs_in_a_layout_table_are_the_story() -> None:
    page = _table_page("".join(f"<p>{p}</p>" for p in STORY))
    art = normalise_html(page.encode(), source=SRC)
    assert list(art.body) == STORY


def test_data_tables_are_not_layout() -> None:
    rows = "".join(f"<tr><td>Team {k}</td><td>{k}</td><td>{20 - k}</td></tr>" for k in range(8))
    data = lxml.html.fragment_fromstring(f"<table>{rows}</table>")
    assert not is_layout_table(data)
    box = lxml.html.fragment_fromstring("<table><tr><td><p>One box</p></td></tr></table>")
    assert is_layout_table(box)
    nested = lxml.html.fragment_fromstring(
        "<table><tr><td>Menu</td><td><table><tr><td>a</td><td>b</td></tr></table></td></tr>"
        "</table>")
    assert is_layout_table(nested)
    long_cell = " ".join(["word"] * 60)
    story = lxml.html.fragment_fromstring(
        f"<table><tr><td>Menu</td><td>{long_cell}</td></tr></table>")
    assert is_layout_table(story)


def test_deeply_nested_layout_tables_stay_linear() -> None:
    # 80 nested one-cell tables (libxml2 keeps ~256 levels) around a long story: the words of
    # a cell are counted only where it holds no table, so each level costs its own cells
    depth = 80
    page = ("<html><body>" + "<table><tr><td>" * depth
            + "\n<br><br>\n".join(STORY * 50) + "</td></tr></table>" * depth + "</body></html>")
    art = normalise_html(page.encode(), source=SRC)
    assert STORY[0] in art.body
