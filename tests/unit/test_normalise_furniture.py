"""Shapes from the q blind batch (issue 17): furniture inside the story of modern pages.

Each test builds a small page of one shape and checks what the normaliser keeps; the q floor
in test_normalise_eval.py checks the labelled fixtures.
"""

from __future__ import annotations

import pytest

from worker.events.models import Source
from worker.normalise.article import normalise_html, normalise_text
from worker.normalise.dates import parse_date_hint
from worker.normalise.textparts import Line
from worker.normalise.title import title_score

pytestmark = pytest.mark.timeout(120, method="thread")

SRC = Source(kind="file", location="furniture")
MENU = "Home\nNews\nWorld\nBusiness\nSport\n\n"
HEAD = "Harbour council approves new ferry terminal after long dispute\n\nMay 12, 2025\n\n"
P = [
    "The harbour council approved plans for a new ferry terminal on Monday, ending a dispute "
    "that had lasted more than four years between the port and local residents.",
    "The terminal will handle up to twelve sailings a day and is expected to open in the "
    "spring of 2027, according to the council's planning report.",
    "Residents had objected to the noise and traffic the terminal would bring, but the "
    "council said the final design moved the car park away from the houses.",
    "The port authority said the new terminal would create about two hundred jobs during "
    "construction and another sixty once the ferries were running.",
    "Work on the foundations is due to begin in the autumn, once the last permits from the "
    "environment agency have been granted to the port.",
]
FOOT = "\n\nMost read\n1\nCouncil tax to rise\n2\nTrain strike dates\n\n© 2025 Harbour News\n"


def _page(*middle: str) -> str:
    return MENU + HEAD + "\n\n".join(middle) + FOOT


@pytest.mark.parametrize("label", ["Read more", "Mehr zum Thema", "Recommended",
                                   "Related article"])
def test_related_link_box_in_mid_story_is_skipped(label: str) -> None:
    # the box's label and its linked headline are furniture; the story goes on after them
    # most of the story above the box (a box under the lede is a share bar: story_bars)
    page = _page(P[0], P[1], P[2], f"{label}\nPort strike ends after three weeks", P[3],
                 "Advertisement", P[4])
    art = normalise_text(page, source=SRC)
    assert art.body == tuple(P)


def test_box_before_the_last_paragraph_keeps_it() -> None:
    page = MENU + HEAD + "\n\n".join([P[0], P[1], P[2], "Recommended\nBest ferry deals"
                                      " this week", P[3]]) \
        + "\n\nJoin the conversation\nShow 214 comments\n© 2025 Harbour News\n"
    art = normalise_text(page, source=SRC)
    assert art.body == tuple(P[:4])


def test_teaser_list_with_deks_after_the_story_is_not_kept() -> None:
    # headline, dek sentence, headline, dek sentence: no two paragraphs in a row
    dek1 = ("Officials said the bridge would stay closed to heavy lorries until the repairs "
            "were finished next year.")
    dek2 = ("The school said the new timetable would give pupils an extra hour of lessons "
            "on three days of the week.")
    page = _page(*P).replace(FOOT, "") + (
        f"\n\nRecommended\nBridge closed to lorries\n{dek1}\nSchool day grows longer\n{dek2}\n"
        + FOOT)
    art = normalise_text(page, source=SRC)
    assert art.body == tuple(P)


def test_comments_label_still_ends_the_story() -> None:
    comment = ("I have lived next to the harbour for thirty years and this terminal will "
               "ruin the view for every family on our street, whatever they say.")
    page = _page(*P).replace(FOOT, "") + (
        f"\n\nComments\n{comment}\n{comment.replace('thirty', 'forty')}\n" + FOOT)
    art = normalise_text(page, source=SRC)
    assert art.body == tuple(P)


TITLE = "Harbour council approves new ferry terminal after long dispute"


@pytest.mark.parametrize("between", [
    "Passengers queue for the ferry at the old terminal on Sunday",  # caption
    "Why are ferries so often late?\n02:31 - Source: Harbour TV",  # video title
    "Workers repair the ferry ramp\nJane Doe/Harbour News",  # caption over its credit
])
def test_line_between_date_and_story_is_not_the_headline(between: str) -> None:
    page = f"{MENU}{TITLE}\n\n6th May 2025\n\nShare\nSave\n\n{between}\n\n" \
        + "\n\n".join(P) + FOOT
    art = normalise_text(page, source=SRC)
    assert art.title == TITLE
    assert art.body == tuple(P)


def test_author_name_over_the_date_is_not_the_headline() -> None:
    # the headline also sits in the page's top bar (repeated lines count against it), and
    # a row of counters and buttons keeps it far from the story
    title = "The ferry terminal is coming. Here's what changes"
    page = (f"Harbour Notes\n{title}\nShare\n\n{title}\nThe port had fought the plan for "
            "four years.\nRachel Okafor\nFeb 09, 2025\nPaid\n142\n27\nShare\n\n"
            + "\n\n".join(P) + FOOT)
    art = normalise_text(page, source=SRC)
    assert art.title == title


def test_obituary_name_over_its_dates_stays_the_headline() -> None:
    page = ("Obituaries\nServices\nContact\n\nMargaret Ellen Dunbar\nJune 4, 1931 - March 2, "
            "2024\n\n" + "\n\n".join(P) + FOOT)
    assert normalise_text(page, source=SRC).title == "Margaret Ellen Dunbar"


@pytest.mark.parametrize(("line", "iso"), [
    ("May 16, 20249:12 PM GMTUpdated 2 years ago", "2024-05-16T21:12:00+00:00"),
    ("May 16, 20249:12 PM GMT", "2024-05-16T21:12:00+00:00"),
    ("Updated 3:42 PM EDT, Tue May 13, 2025", "2025-05-13T19:42:00+00:00"),
])
def test_run_together_and_updated_dates(line: str, iso: str) -> None:
    dt = parse_date_hint(line)
    assert dt is not None and dt.isoformat() == iso


def test_updated_line_under_the_byline_dates_the_story() -> None:
    page = (f"{MENU}{TITLE}\nBy Pete Muntean, CNN\n4 minute read\nUpdated 3:42 PM EDT, Tue May "
            "13, 2025\nLink Copied!\n\n" + "\n\n".join(P) + FOOT)
    art = normalise_text(page, source=SRC)
    assert art.title == TITLE
    assert art.published_at is not None and art.published_at.date().isoformat() == "2025-05-13"


@pytest.mark.parametrize("trailer", [
    "This report by The Canadian Press was first published Nov. 26, 2024.",
    "Associated Press writer Regina Garcia Cano contributed from Mexico City.",
])
def test_wire_trailers_are_not_the_story(trailer: str) -> None:
    art = normalise_text(_page(*P, trailer), source=SRC)
    assert art.body == tuple(P)


@pytest.mark.parametrize("box", [
    "Also Read\nPort strike ends after three weeks",
    "READ | Port strike ends after three weeks",
    "* [Port strike ends after three weeks](https://example.com/a)",
])
def test_related_link_lines_in_mid_story_are_not_kept(box: str) -> None:
    art = normalise_text(_page(P[0], P[1], P[2], box, P[3], P[4]), source=SRC)
    assert art.body == tuple(P)


def _html(*inside: str, head: str = "") -> str:
    paras = [f"<p>{p}</p>" for p in P]
    body = paras[:2] + list(inside) + paras[2:]
    return (f"<html><head><title>{TITLE}</title>{head}</head><body><nav><a href='/'>Home</a>"
            f"</nav><article><h1>{TITLE}</h1>{''.join(body)}</article></body></html>")


@pytest.mark.parametrize("inside", [
    "<div class='ad-label'>Advertisement · Scroll to continue</div>",
    "<p>Publicidad</p>",
    "<p>Sign up here. Get the Harbour Week newsletter</p>",
    "<p>Quelle: F.A.Z.</p>",
    "<p><span>Published - October 10, 2025 09:12 pm IST</span></p>",
])
def test_html_furniture_paragraphs_inside_the_article(inside: str) -> None:
    art = normalise_html(_html(inside), source=SRC)
    assert art.body == tuple(P)


def test_html_headline_and_dek_repeated_in_the_body() -> None:
    dek = "The port fought the plan for four years."
    art = normalise_html(_html(f"<h2>{TITLE}</h2><h2 class='article-dek'>{dek}</h2>"),
                         source=SRC)
    assert art.body == tuple(P)


def test_html_summary_and_byline_under_the_headline() -> None:
    html = _html().replace(
        f"<h1>{TITLE}</h1>",
        f"<h1>{TITLE}</h1><p id='article-summary'>The port fought the plan for four years, "
        "and lost.</p><p><span class='byline-prefix'>By </span><a href='/a'>Ann Lee</a> and "
        "<a href='/b'>Bo Chan</a></p><p><span>Reporting from Dover, England</span></p>")
    assert normalise_html(html, source=SRC).body == tuple(P)


def test_html_author_box_pull_quote_and_affiliate_notice() -> None:
    quote = "<blockquote><p>The final design moved the car park away from the houses.</p>" \
        "</blockquote>"
    html = _html(quote).replace(
        "</article>", "<p>Written by Ann Lee</p><p>3.1K Followers</p><p>Ann writes about "
        "ports and ferries for the Harbour News.</p></article>").replace(
        f"<h1>{TITLE}</h1>", f"<h1>{TITLE}</h1><p class='affiliate-disclosure'>This post may "
        "contain affiliate links. As an Amazon Associate I earn from qualifying purchases.</p>")
    assert normalise_html(html, source=SRC).body == tuple(P)


def test_columnist_disclaimer_and_bio_close_no_story() -> None:
    notice = ("Disclaimer: Harbour News encourages freedom of speech and the expression of "
              "diverse views. The views of columnists published here are their own.")
    bio = "Ann Lee is associate editor at Harbour News and a regular contributor."
    art = normalise_text(_page(*P, notice, bio), source=SRC)
    assert art.body == tuple(P)


def test_embedded_post_is_not_the_story() -> None:
    post = ("Mayor Ann Lee\n@MayorAnnLee\nTonight's vote is a blueprint for the harbour. "
            "Two hundred jobs, right next to the port. Thank you all.\n"
            "8:51 PM · Sep 15, 2025\n412\nReply\nCopy link")
    art = normalise_text(_page(P[0], P[1], P[2], post, P[3], P[4]), source=SRC)
    assert art.body == tuple(P)


def test_unmarked_key_points_box_over_the_lede() -> None:
    box = ("In short:\nThe council approved the ferry terminal on Monday.\nWork starts in the "
           "autumn.\nWhat's next?\nThe port will apply for the last permits.")
    page = f"{MENU}{TITLE}\n\nBy Ann Lee\nMay 12, 2025\n\n{box}\n\n" + "\n\n".join(P) + FOOT
    art = normalise_text(page, source=SRC)
    assert art.body == tuple(P)


def test_title_case_headline_with_stops_is_a_candidate_and_credited_caption_is_not() -> None:
    def line(text: str) -> Line:
        ln = Line(text, True)
        ln.words, ln.stop = len(text.split()), 0.2
        return ln

    head = line("She Turned an Ice Cream Truck Into a Library. The Kids Still Come Running.")
    caption = line("Joan Morales with her mobile library in Tucson.Credit...Rebecca Noble for "
                   "The Harbour News")
    sentence = line("She turned an ice cream truck into a library and the kids came running.")
    assert title_score(head, 5) > title_score(line("Leer en español"), 0) > 0
    assert title_score(caption, 0) < 0
    assert title_score(sentence, 0) < 0  # a sentence-case line ending in a stop is no title


def test_newsletter_writers_own_prose_is_the_story_and_sign_up_lines_are_not() -> None:
    own = ("I have been writing this newsletter for four years, and for most of that time I "
           "believed that the way to do good work was to protect the morning at all costs.")
    sign_up = ("Never miss a story: sign up for Harbour News's free daily newsletter to stay "
               "up to date on the best of what Harbour News has to offer.")
    art = normalise_text(_page(own, *P, sign_up), source=SRC)
    assert art.body == (own, *P)


def test_markdown_image_caption_and_bullet_lead_in() -> None:
    lead = "Other changes in this release:"
    bullets = ["- Sailings now leave every forty minutes at peak times.",
               "- The old pier closes for good in June."]
    middle = "\n".join([lead, *bullets])
    image = "![Chart of sailings per day](/img/sailings.png)\n\n_Sailings per day, 2020-2025._"
    art = normalise_text(_page(P[0], P[1], middle, image, P[2], P[3], P[4]), source=SRC)
    assert art.body == (P[0], P[1], lead, *bullets, P[2], P[3], P[4])
    assert [(i.src, i.caption) for i in art.images] == [("/img/sailings.png",
                                                          "Sailings per day, 2020-2025.")]


def test_subscribe_box_between_paragraphs_is_not_kept() -> None:
    box = ("Subscribe to Harbour Notes\nThousands of paid subscribers\nWeekly essays on ports, "
           "ferries and the people who run them.\nType your email...\nSubscribe")
    art = normalise_text(_page(P[0], P[1], box, P[2], P[3], P[4]), source=SRC)
    assert art.body == tuple(P)


def test_short_lead_in_over_bullets_is_kept() -> None:
    bullets = ["• Breakdowns at the old ferries fell by half over the winter months.",
               "• Two new boats came into service after years of delays and repairs."]
    art = normalise_text(_page(P[0], P[1], "Three things stand out:\n" + "\n".join(bullets),
                               P[2], P[3], P[4]), source=SRC)
    assert art.body == (P[0], P[1], "Three things stand out:", *bullets, P[2], P[3], P[4])


def test_masthead_over_the_date_is_not_taken_for_the_headline() -> None:
    page = (f"The Harbour Gazette Online\nMonday 12 May 2025\n\n{TITLE}\n\n"
            + "\n\n".join(P) + FOOT)
    assert normalise_text(page, source=SRC).title == TITLE


def test_html_sentence_starting_reporting_from_is_kept() -> None:
    line = "Reporting from the harbour was hard work."
    art = normalise_html(_html(f"<p>{line}</p>"), source=SRC)
    assert art.body == (P[0], P[1], line, *P[2:])


def test_sidebar_label_with_footer_prose_after_it_still_ends_the_story() -> None:
    footer = ("We are an independent newsroom covering the harbour and the towns around it "
              "since 1901, funded by our readers.\nOur journalism is free to read because "
              "thousands of people in the region pay what they can for it every month.")
    page = MENU + HEAD + "\n\n".join(P) + "\n\nMost read\nCouncil tax to rise\n" + footer + "\n"
    art = normalise_text(page, source=SRC)
    assert art.body == tuple(P)


def test_sentence_right_over_a_bare_photo_credit_is_its_caption() -> None:
    photo = ("Passengers queue for the ferry at the old terminal on May 6, 2025.\n"
             "Jane Doe/Getty Images")
    art = normalise_text(_page(P[0], P[1], photo, P[2], P[3], P[4]), source=SRC)
    assert art.body == tuple(P)
