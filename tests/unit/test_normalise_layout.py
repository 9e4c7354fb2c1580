"""Old table-layout pages (blind batch ``r``): the page laid out in <table>s, the story a run
of ``<br><br>``-separated text inside <font> in one cell, nav and copyright in other rows;
and the same batch's text dumps of older pages (lynx link markers, "Story continues below").

Each test builds a small page of that shape and checks what the normaliser keeps; the r-set
floor in test_normalise_eval checks the labelled fixtures (tests/fixtures/articles/r*).
"""

from __future__ import annotations

import lxml.html  # type: ignore[import-untyped]
import pytest

from worker.events.models import Source
from worker.normalise.article import normalise_html, normalise_text
from worker.normalise.html_layout import date_under_title, is_layout_table
from worker.normalise.lines import drop_pull_quotes, paragraph_indents

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


def _head_page(head: str, tail: str = "") -> str:
    story = "\n<br><br>\n".join(STORY)
    return f"""<html><head><title>Judge blocks state law on voter ID - The Valley Sun</title>
</head><body><table width="760"><tr><td colspan="2"><font size="1">{NAV}</font></td></tr>
<tr><td width="150"><font size="1"><a href="/local/">Local</a><br><a href="/state/">State</a>
</font></td><td width="600"><font size="5"><b>Judge blocks state law on voter ID</b></font>
<br>{head}<br><br><font size="3">{story}</font>{tail}</td></tr>
<tr><td colspan="2"><font size="1">{FOOT}</font></td></tr></table></body></html>"""


def test_date_and_tool_row_over_the_story_are_no_paragraphs() -> None:
    head = ('<font size="2">By Travis Loller, Associated Press</font><br>'
            '<font size="1">Sunday, September 27, 2009</font><br><br>'
            '<font size="1"><a href="/print">Printer-friendly version</a> | '
            '<a href="/email">E-mail this story</a></font>')
    art = normalise_html(_head_page(head).encode(), source=SRC)
    assert list(art.body) == STORY
    assert art.published_at is not None and art.published_at.date().isoformat() == "2009-09-27"


def test_a_sentence_with_a_bar_and_a_table_row_stay() -> None:
    # only a row of short labels is a link row: prose with " | " and table rows stay
    rows = "".join(f"<tr><td>Ward {k}</td><td>Votes cast</td></tr>" for k in range(4))
    page = _head_page("", f'<table>{rows}</table><p>The count ran late | officials said '
                          'the machines in two wards had failed during the afternoon.</p>')
    body = list(normalise_html(page.encode(), source=SRC).body)
    assert "Ward 2 | Votes cast" in body
    assert any(p.startswith("The count ran late | officials said") for p in body)


def test_story_continues_label_and_bold_related_box_go() -> None:
    story = "".join(f"<p>{p}</p>" for p in STORY[:2]) + \
        '<font size="1"><i>Story continues below</i></font><br><br>' + \
        "".join(f"<p>{p}</p>" for p in STORY[2:])
    related = ('<br><font size="2"><b>Related stories</b><br><a href="/n/1.html">County fair '
               'attendance up for third year</a><br><a href="/n/2.html">School board to vote '
               'on new calendar</a></font>')
    art = normalise_html(_table_page(story + related).encode(), source=SRC)
    assert list(art.body) == STORY


def test_date_under_a_font_headline_when_trafilatura_keeps_only_the_story() -> None:
    story = "".join(f"<p>{p}</p>" for p in STORY)
    head = '<font size="1">July 12, 2010 -- Updated 2130 GMT (0530 HKT)</font>'
    page = _table_page(story).replace("Posted on Tue, Oct. 03, 2006", head)
    assert date_under_title(lxml.html.document_fromstring(page),
                            "Judge blocks state law on voter ID") == [
        "July 12, 2010 -- Updated 2130 GMT (0530 HKT)"]
    art = normalise_html(page.encode(), source=SRC)
    assert list(art.body) == STORY
    assert art.published_at is not None and art.published_at.date().isoformat() == "2010-07-12"


def test_spanish_table_page_reads_day_first_and_a_day_only_wire_dateline() -> None:
    paras = ["Agentes de la Policía Nacional han detenido en Zaragoza a un hombre de 34 años "
             "como presunto autor de una veintena de robos en el interior de vehículos.",
             "Según ha informado la Jefatura Superior de Policía de Aragón, el detenido rompía "
             "las ventanillas de los coches durante la madrugada y se llevaba los aparatos.",
             "Los agentes le sorprendieron en la calle cuando manipulaba la puerta de un "
             "turismo, y en su domicilio hallaron parte de los objetos sustraídos."]
    story = "\n<br><br>\n".join(["ZARAGOZA, 3 (EUROPA PRESS) - " + paras[0], *paras[1:]])
    page = _table_page(story).replace("Posted on Tue, Oct. 03, 2006", "03/02/2009 - 12:51")
    art = normalise_html(page.encode(), source=SRC)
    assert art.dateline == "ZARAGOZA"
    assert list(art.body) == paras
    assert art.published_at is not None and art.published_at.date().isoformat() == "2009-02-03"


def test_footnotes_pagination_and_release_head_lines_go() -> None:
    story = "".join(f"<p>{p}</p>" for p in STORY)
    head = ('<font size="2">Contact Information: Enesta Jones, jones@example.gov, '
            '202-564-7873</font><br><font size="1">Release Date: 06/15/2012</font>')
    tail = ('<br><font size="2"><b>Page</b> 1 <a href="?p=2">2</a> <a href="?p=3">3</a> '
            '<a href="?p=2">Next &gt;&gt;</a></font>')
    art = normalise_html(_head_page(head, tail).encode(), source=SRC)
    assert list(art.body) == STORY
    assert not any("Contact" in p or "Release Date" in p or "Next" in p for p in art.body)
    essay = (f"<html><body><article><h1>A library built by its readers</h1>{story}"
             '<section class="footnotes"><h3>Notes</h3><ol><li>Figure from the Public '
             "Libraries News tracker, October 2011, counted by hand.</li></ol></section>"
             "</article></body></html>")
    body = list(normalise_html(essay.encode(), source=SRC).body)
    assert body == STORY
    # the class spelled with a character reference: the page's text no longer says "note"
    essay = essay.replace('class="footnotes"', 'class="foot&#110;otes"')
    assert list(normalise_html(essay.encode(), source=SRC).body) == STORY


def test_lynx_related_line_and_story_continues_label_are_furniture() -> None:
    story = [STORY[0], STORY[1], "[12]RELATED: Library cuts draw protest", STORY[2],
             "Story continues below", "[13]Mayor Ann Lee said the city would " + STORY[3]]
    page = ("[1]Home [2]News [3]Sport\n\nJudge blocks state law on voter ID\n\n"
            "By Travis Loller\nTuesday, October 3, 2006\n\n" + "\n\n".join(story)
            + "\n\n[20]Contact us [21]Privacy policy\n")
    body = list(normalise_text(page, source=SRC).body)
    # a paragraph opening with a link keeps its text (and, as the labels do, its marker)
    assert body == [STORY[0], STORY[1], STORY[2], story[-1]]


def test_first_line_indents_mark_paragraphs_in_wire_copy_without_blank_lines() -> None:
    # the quote's first line leaves room for "said": only the indent style says it goes on
    wire = ("Oil rises above $147 on Iran worries, weak dollar\n"
            "Fri Jul 11, 2008 3:20am EDT\nBy Fayen Wong\n"
            "    SINGAPORE (Reuters) - Oil prices jumped to a record above\n"
            "$147 a barrel on Friday, extending the previous day's steep\n"
            "gain on worries over Iran's nuclear programme and a weakening\n"
            "U.S. dollar.\n"
            "    U.S. crude for August delivery rose as high as $147.27 a\n"
            "barrel, beating the previous record of $145.85 set on July 3,\n"
            "before easing to $146.80 by 0715 GMT.\n"
            "    London Brent crude was up 88 cents at $147.05 a barrel.\n"
            "    Prices have climbed more than 50 percent this year, driven\n"
            "by demand from emerging economies, supply concerns and\n"
            "investment flows into commodities.\n"
            '    "The geopolitical risk premium is back in the market,"\n'
            "said a Singapore-based trader.\n\n(Reporting by Fayen Wong; Editing by Ed Lane)\n")
    art = normalise_text(wire, source=SRC)
    assert art.dateline == "SINGAPORE"
    body = list(art.body)
    assert body[2:] == [
        "London Brent crude was up 88 cents at $147.05 a barrel.",
        "Prices have climbed more than 50 percent this year, driven by demand from emerging "
        "economies, supply concerns and investment flows into commodities.",
        '"The geopolitical risk premium is back in the market," said a Singapore-based trader.']


def test_an_indented_code_block_or_margin_marks_no_paragraphs() -> None:
    code = ["Some prose line one.", "    x = 1", "    y = 2", "    z = x + y", "More prose."]
    assert paragraph_indents(code) == frozenset()
    margin = ["   " + s for s in ("One line", "two line", "three line", "four line")]
    assert paragraph_indents(margin) == frozenset()
    assert paragraph_indents(["  A", "b", "  C", "d", "  E", "f"]) == {0, 2, 4}


def test_an_html2text_blockquote_pull_quote_goes() -> None:
    said = ('"I make more than I did at the mill," he said. "But I see my kids two days a '
            "week. You tell me if that's a good deal.\"")
    pull = '> "I make more than I did at the mill. But I see my kids two days a week."'
    assert drop_pull_quotes([STORY[0], said, pull, STORY[1]]) == [STORY[0], said, STORY[1]]


def test_an_italic_html2text_author_note_is_a_bio() -> None:
    note = ("_Ann Lee is a contributing writer. Reporting for this article was supported by "
            "a grant from the Economic Hardship Reporting Project._")
    page = ("# Judge blocks state law on voter ID\n\nBy Ann Lee | October 3, 2006\n\n"
            + "\n\n".join(STORY) + "\n\n* * *\n\n" + note + "\n")
    assert list(normalise_text(page, source=SRC).body) == STORY


@pytest.mark.parametrize("cls", ["ticker", "&#116;icker", "score&#x62;oard", "foot&#110;otes",
                                 "&#0116;icker", "&#X74icker", "&#116icker", "foot&#x006e;otes"])
def test_widget_and_notes_classes_are_found_however_spelled(cls: str) -> None:
    # the class and id values are searched for the class words first (as parsed: a reference
    # in the page's text spells them there too)
    from worker.normalise.html_layout import prepare_tree
    from worker.normalise.html_parse import parse_page

    html = (f"<html><body><div class='{cls}'><span>DAX 18,000 +0.5%</span></div>"
            "<p>The story&#x27;s &#8217;end&#39; goes on here.</p></body></html>")
    root = parse_page(html)
    prepare_tree(root)
    assert "DAX" not in root.text_content()


@pytest.mark.parametrize("head", ["<h3>Comments (3)</h3>", "<p>\u0663 comments</p>",
                                  "<li>\uff13 Comments</li>", "<p>\xa0Replies</p>",
                                  "<p>Com<b>ments</b></p>", "<li> <a>Leave a reply</a></li>",
                                  "<div>\n Join the discussion<ul><li>a</li></ul></div>",
                                  "<blockquote>Reſponſes</blockquote>"])
def test_comments_heads_are_found_whatever_they_start_with(head: str) -> None:
    # texts are ruled out by their first character first: digits of any script and the
    # heads' first letters must get through to the pattern
    from worker.normalise.html_cleanup import has_comments_head
    from worker.normalise.html_parse import parse_page

    story = "".join(f"<p>{p}</p>" for p in STORY)
    assert has_comments_head(parse_page(f"<html><body>{story}{head}</body></html>"))
    assert not has_comments_head(parse_page(f"<html><body>{story}<p>Scomments</p></body></html>"))
