"""Page shapes from issue 17: text after HTML comments, wrapped wire copy, comment labels by
the story, list/step/results lines, heading- or formula-first stories, disclaimers.

Each test builds a small page of one shape and checks what the normaliser keeps; the m-set
floors check the labelled fixtures (tests/fixtures/articles/m*); the last tests feed each new
rule an input sized so that super-linear code would exceed the module's timeout (no test
asserts a wall-clock time).
"""

from __future__ import annotations

import textwrap

import pytest

from tests.conftest import load_tool
from worker.events.models import Source
from worker.normalise.article import normalise_html, normalise_text
from worker.normalise.wrap import wrap_width

pytestmark = pytest.mark.timeout(120, method="thread")

SRC = Source(kind="file", location="shape")
P1 = ("The city council voted on Tuesday to approve a budget that sets aside more money for "
      "parks and playgrounds than in any year before, after a long debate.")
P2 = ("The plan was debated for three hours before the vote, and several residents spoke in "
      "favour of expanding the green spaces in the northern districts of the city.")
P3 = ("Council members said they expected work to begin in the spring, once the contracts "
      "have been signed with the builders who won the tender last month.")
P4 = ("Critics argued that the money would be better spent on roads, which they said had been "
      "neglected for a decade and were now in a poor state across the town.")
MENU = "Home\nNews\nSport\nBusiness\nOpinion\nWeather\n"
FOOT = "\n\nAbout us\nContact\nPrivacy policy\n\u00a9 2024 The Courier\n"


def _page(body: str, title: str = "Council approves a new budget for city parks") -> str:
    return f"The Courier\n{MENU}\n{title}\n\nBy Ann Lee\n12 March 2024\n\n{body}{FOOT}"


def _html(story: str) -> str:
    return ("<html><head><title>Council approves budget</title></head><body>"
            "<nav><a href='/'>Home</a> <a href='/news'>News</a></nav><article>"
            f"<h1>Council approves a new budget for city parks</h1>{story}</article>"
            "<footer>Copyright 2024</footer></body></html>")


def test_text_after_html_comments_is_kept() -> None:
    story = (f"<p>{P1}</p><div><!-- ad section start --><div class='ad'></div>"
             f"<!-- ad section end -->{P2}<br><br>{P3}<!-- end --> {P4}</div>")
    body = " ".join(normalise_html(_html(story), source=SRC).body)
    for para in (P1, P2, P3, P4):
        assert para in body


def test_section_text_before_a_break_is_kept() -> None:
    story = f"<p>{P1}</p><section>{P2}<br><br>{P3}</section><p>{P4}</p>"
    body = normalise_html(_html(story), source=SRC).body
    assert P2 in body and P3 in body


def test_text_div_among_paragraphs_is_kept_but_not_a_caption() -> None:
    story = (f"<div class='entry-content'><p>{P1}</p><p>{P2}</p><div class='group'>{P3}</div>"
             f"<p>{P4}</p><div class='caption'>A view of the park from the north gate, "
             "seen on Monday. Photo: Ann Lee</div></div>")
    body = normalise_html(_html(story), source=SRC).body
    assert P3 in body
    assert not any("north gate" in b for b in body)


def test_numbered_list_between_paragraphs_is_kept() -> None:
    items = ["1. A refillable water bottle", "2. Noise-cancelling headphones",
             "3. A light scarf", "4. Compression socks", "5. Snacks you actually like"]
    art = normalise_text(_page(f"{P1}\n\n" + "\n".join(items) + f"\n\n{P2}\n\n{P3}"),
                         source=SRC)
    assert list(art.body) == [P1, *items, P2, P3]


def test_results_table_under_a_subhead_is_kept() -> None:
    rows = ["Millfield 1-2 Harriers", "Crossgate 5-0 Ashby", "Dunmore 1-1 Westhaven"]
    art = normalise_text(
        _page(f"{P1}\n\n{P2}\n\nSaturday's results\n" + "\n".join(rows) + f"\n\n{P3}"),
        source=SRC)
    assert list(art.body) == [P1, P2, "Saturday's results", *rows, P3]


def test_headline_list_without_prose_after_it_is_not_kept() -> None:
    heads = ["1. Man charged after city centre disturbance", "2. New bakery opens on the high "
             "street", "3. Roadworks to close ring road"]
    art = normalise_text(_page(f"{P1}\n\n{P2}\n\nMost read\n" + "\n".join(heads)), source=SRC)
    assert list(art.body) == [P1, P2]


def test_comment_bar_under_the_lede_does_not_cut_the_story() -> None:
    art = normalise_text(
        _page(f"{P1}\n\n48 comments\n\nJoin the conversation\n\n{P2}\n\n{P3}\n\n{P4}"),
        source=SRC)
    assert list(art.body) == [P1, P2, P3, P4]


def test_comments_after_the_story_still_end_it() -> None:
    art = normalise_text(
        _page(f"{P1}\n\n{P2}\n\n{P3}\n\nComments\n\njoe99\n2 hours ago\n{P4}\nReply\n"),
        source=SRC)
    assert list(art.body) == [P1, P2, P3]


def test_heading_and_formula_before_the_first_paragraph_are_kept() -> None:
    art = normalise_text(_page(f"The formula\n\nA = P(1 + r/n)^(nt)\n\n{P1}\n\n{P2}"),
                         source=SRC)
    assert list(art.body) == ["The formula", "A = P(1 + r/n)^(nt)", P1, P2]


def test_question_headline_is_the_title_not_the_body() -> None:
    title = "Daylight saving: when do the clocks go back this year?"
    art = normalise_text(_page(f"{P1}\n\n{P2}", title=title), source=SRC)
    assert art.title == title and list(art.body) == [P1, P2]


def test_closing_short_sentence_is_kept_and_feedback_prompt_is_not() -> None:
    art = normalise_text(
        _page(f"{P1}\n\n{P2}\n\nDemolition is expected to begin next spring.\n\n"
              "Was this article helpful?\nYes\nNo"), source=SRC)
    assert list(art.body) == [P1, P2, "Demolition is expected to begin next spring."]


def test_disclaimer_and_affiliate_notice_are_not_the_body() -> None:
    affiliate = ("When you buy through links on our site, we may earn an affiliate commission "
                 "at no extra cost to you, which helps support our independent journalism.")
    legal = ("This article is for general information only and is not intended as a "
             "substitute for professional medical advice, diagnosis or treatment by a doctor.")
    page = (f"FitLife\n{MENU}\n{affiliate}\n\nIs it safe to exercise with a cold?\n\n"
            f"By Ann Lee\n2 February 2024\n\n{P1}\n\n{P2}\n\n{legal}{FOOT}")
    art = normalise_text(page, source=SRC)
    assert art.title == "Is it safe to exercise with a cold?"
    assert list(art.body) == [P1, P2]


def test_wrapped_story_among_long_unwrapped_lines_is_unwrapped() -> None:
    paras = [P1 + " " + P2, P3 + " " + P4, P2 + " " + P1]
    teasers = [P4.rstrip(".") + " and more besides in the region this week"] * 4
    page = _page("\n\n".join(textwrap.fill(p, 60) for p in paras)
                 + "\n\nMore local news\n\n" + "\n\n".join(teasers))
    assert 50 <= wrap_width([s.strip() for s in page.split("\n")]) <= 60
    assert list(normalise_text(page, source=SRC).body) == paras


def test_m_set_floors() -> None:
    # m01..m16, written blind for issue 17: F1 0.902 over m01-m12 before any fix (0.63 on
    # text after ad comments, 0.54 on a numbered list, 0.68 on a results table, 0.81 with a
    # health disclaimer); m13-m16 written after the first fixes scored 0.91/0.96/0.76/0.80.
    # After the general fixes: F1 0.998, title 0.94. Floors sit 0.03 under.
    s = load_tool("eval_normalise").evaluate()["summary"]
    assert s["m"]["n"] >= 16
    assert s["m"]["f1"] >= 0.96
    assert s["m"]["title_exact"] >= 0.9


# --- inputs sized so that quadratic code in the new rules would time out ------------------

def test_many_numbered_lines_stay_linear() -> None:
    lines = "\n".join(f"{i % 99 + 1}. item number {i}" for i in range(15_000))
    normalise_text(_page(f"{P1}\n\n{lines}\n\n{P2}"), source=SRC)


def test_many_lead_ins_and_short_runs_stay_linear() -> None:
    block = f"{P1}\n\nResults today\nA 1-0 B\nC 2-2 D\n\n"
    normalise_text(_page(block * 3_000), source=SRC)


def test_many_comment_nodes_and_text_divs_stay_linear() -> None:
    comments = "".join(f"<!-- c{i} -->word{i} " for i in range(40_000))
    divs = "".join(f"<div>{P2}</div><p>{P3}</p>" for i in range(1_500))
    normalise_html(_html(f"<div>{comments}</div>{divs}"), source=SRC)


def test_many_comment_bars_stay_linear() -> None:
    normalise_text(_page(f"{P1}\n\n12 comments\n\n{P2}\n\n{P3}\n\n" * 3_000), source=SRC)
