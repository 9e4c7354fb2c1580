"""HTML pages of blind batch ``za``: UTC machine dates printed in the page's own zone,
line-ups and results boxes inside the content, desk-credit datelines, highlights boxes,
next-article teasers and donate boxes.

Each test builds a small page of that shape and checks what the normaliser keeps; the
labelled fixtures are tests/fixtures/articles/za1*.html and za2*.html.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.support.story import STORY
from worker.events.models import Source
from worker.normalise.article import normalise_html

pytestmark = pytest.mark.timeout(120, method="thread")

SRC = Source(kind="file", location="za.html")


def _page(body: str, head: str = "", h1: str = "Council closes old swimming hall",
          under_h1: str = "") -> str:
    return (f"<html><head><title>{h1}</title>{head}</head><body><nav><a href='/'>Home</a>"
            f"</nav><article><h1>{h1}</h1>{under_h1}{body}</article><footer>Footer</footer>"
            "</body></html>")


def _story(extra: str = "", at: int = 4) -> str:
    paras = [f"<p>{p}</p>" for p in STORY]
    paras.insert(at, extra)
    return "".join(paras)


def _published(value: str) -> str:
    return f'<meta property="article:published_time" content="{value}">'


# --- a UTC machine date printed in the page's zone ----------------------------------------

@pytest.mark.parametrize(("meta", "printed", "day", "offset"), [
    # a <time> element's own text, no zone named: the wall-clock difference is the offset
    ("2025-04-01T23:35:00Z",
     '<time datetime="2025-04-01T23:35:00.000Z">00:35, 2 APR 2025</time>', 2, 1),
    # the date row under the headline names its zone
    ("2025-04-02T04:58:00Z", "<div class='date'>Published April 1, 2025 at 11:58 PM CDT</div>",
     1, -5),
    # no offset in the metadata at all; an unknown zone word
    ("2025-04-02T01:20:00", "<span class='date'>1 Apr, 2025 10:20 p.m. AR</span>", 1, -3),
    # a date without a time, one day after the UTC date: the smallest whole-hour offset
    ("2025-04-01T22:15:00+00:00", "<span class='date'>2 April 2025</span>", 2, 2),
])
def test_utc_metadata_takes_the_printed_zone(meta: str, printed: str, day: int,
                                             offset: int) -> None:
    art = normalise_html(_page(_story(), head=_published(meta), under_h1=printed), source=SRC)
    assert art.published_at is not None
    assert art.published_at.day == day
    assert art.published_at.utcoffset() == timedelta(hours=offset)


@pytest.mark.parametrize(("meta", "printed", "day"), [
    # the metadata names its own (non-UTC) offset: it stands
    ("2025-04-01T23:35:00+02:00", "<span class='date'>2 April 2025, 08:35</span>", 1),
    # the printed time is not the same instant at a half-hour step (another date)
    ("2025-04-01T23:35:00Z", "<span class='date'>2 April 2025, 09:12</span>", 1),
    # a printed date two days away is not this instant
    ("2025-04-01T23:35:00Z", "<span class='date'>3 April 2025</span>", 1),
    # an update line under the headline is not the publication
    ("2025-04-01T23:35:00Z", "<span class='date'>Updated 2 April 2025</span>", 1),
])
def test_utc_metadata_left_alone(meta: str, printed: str, day: int) -> None:
    art = normalise_html(_page(_story(), head=_published(meta), under_h1=printed), source=SRC)
    assert art.published_at is not None
    assert art.published_at.day == day


def test_arabic_comma_after_the_month_is_a_date_line() -> None:
    art = normalise_html(_page(_story(), head=_published("2025-03-12T22:15:00Z"),
                               under_h1="<span class='date'>13 مارس، 2025</span>"), source=SRC)
    assert art.published_at is not None and art.published_at.day == 13


def test_a_printed_day_needing_an_offset_past_twelve_hours_is_not_the_zone() -> None:
    art = normalise_html(_page(_story(), head=_published("2025-04-01T10:00:00Z"),
                               under_h1="<span class='date'>2 April 2025</span>"), source=SRC)
    assert art.published_at is not None and art.published_at.day == 1


# --- line-ups, results and read-also inside the content -----------------------------------

LINEUPS = ("<h3>Line-ups</h3><p><strong>Rovers:</strong> Smith – Jones, Brown, Hall – Lee, "
           "Cole (Ward 46)</p><p><strong>United:</strong> Reed – Fox, Gray, Bell – Hart, "
           "Kent</p><p><strong>Goals:</strong> Lee (22), Ward (61)</p>"
           "<p><strong>Referee:</strong> M. Dean</p>")


def test_labelled_paragraphs_closing_the_story_are_a_lineups_sheet() -> None:
    content = f"<div class='entry-content'>{_story(LINEUPS)}</div>"
    art = normalise_html(_page(content + "<div class='tags'><a>Football</a></div>"),
                         source=SRC)
    assert list(art.body) == STORY


def test_labelled_paragraphs_with_story_after_them_stay() -> None:
    art = normalise_html(_page(f"<div class='entry-content'>{_story(LINEUPS, at=2)}</div>"),
                         source=SRC)
    assert any(p.startswith("Goals:") for p in art.body)


def test_an_interview_with_repeated_labels_stays() -> None:
    qa = ("<h3>The interview</h3>" + "".join(
        f"<p><strong>{who}:</strong> {STORY[k % 4]}</p>"
        for k, who in enumerate(("Question", "Answer", "Question", "Answer"))))
    art = normalise_html(_page(f"<div class='entry-content'>{_story(qa)}</div>"), source=SRC)
    assert sum(p.startswith(("Question:", "Answer:")) for p in art.body) == 4


RESULTS = ("<div class='results'><h3>Lakemont mayor</h3><table><thead><tr><th>Candidate</th>"
           "<th>Votes</th><th>Pct.</th></tr></thead><tbody><tr><td>Ann Ruiz</td><td>11,482</td>"
           "<td>54.4%</td></tr><tr><td>Tom Brennan</td><td>9,614</td><td>45.6%</td></tr>"
           "</tbody></table><p>Source: County Clerk. Unofficial results.</p></div>")


def test_a_titled_results_module_in_mid_story_goes() -> None:
    art = normalise_html(_page(_story(f"<div class='embed'>{RESULTS}</div>", at=2)),
                         source=SRC)
    assert list(art.body) == STORY


def test_a_table_with_a_paragraph_of_story_in_its_box_stays() -> None:
    box = RESULTS.replace("<p>Source: County Clerk. Unofficial results.</p>",
                          f"<p>{STORY[0]} {STORY[1]}</p>")
    art = normalise_html(_page(_story(box, at=2)), source=SRC)
    assert any("11,482" in p for p in art.body)


def test_arabic_read_also_with_tanween() -> None:
    read = "<p><strong>اقرأ أيضًا:</strong> <a href='/x'>ترتيب الدوري الممتاز</a></p>"
    art = normalise_html(_page(_story(read, at=2)), source=SRC)
    assert list(art.body) == STORY


# --- Hindi pages: desk credit, read-also, a headline cut after a vowel sign ---------------

HI_STORY = [
    "देश के कई हिस्सों में अप्रैल की शुरुआत में ही भीषण गर्मी पड़ने लगी है और मौसम विभाग ने "
    "अगले पांच दिनों के लिए छह राज्यों में लू का अलर्ट जारी किया है।",
    "मौसम विभाग के मुताबिक राजधानी में मंगलवार को अधिकतम तापमान बयालीस डिग्री सेल्सियस दर्ज "
    "किया गया, जो इस मौसम के सामान्य तापमान से पांच डिग्री अधिक है।",
    "विशेषज्ञों ने लोगों को दोपहर में घर से बाहर न निकलने, खूब पानी पीने और हल्के कपड़े पहनने "
    "की सलाह दी है ताकि लू से बचा जा सके।",
]
HI_H1 = "Heatwave Alert: छह राज्यों में लू का अलर्ट, दिल्ली में पारा बयालीस डिग्री के पार; जारी की एडवाइजरी"


def _hi(first: str, extra: str = "", head: str = "") -> str:
    paras = [f"<p>{first}{HI_STORY[0]}</p>", extra] + [f"<p>{p}</p>" for p in HI_STORY[1:]]
    return _page("".join(paras), head=head, h1=HI_H1)


@pytest.mark.parametrize("credit", ["<strong>डिजिटल डेस्क, नई दिल्ली।</strong> ",
                                    "राज्य ब्यूरो, नई दिल्ली। ", "नई दिल्ली। "])
def test_a_desk_credit_before_the_place_is_no_dateline(credit: str) -> None:
    art = normalise_html(_hi(credit), source=SRC)
    assert art.dateline == "नई दिल्ली"
    assert art.body[0] == HI_STORY[0]


def test_a_first_sentence_with_a_comma_is_no_desk_credit() -> None:
    first = "सरकार ने कहा, नई नीति। "
    art = normalise_html(_hi(first), source=SRC)
    assert art.dateline is None


def test_hindi_read_also_link_goes() -> None:
    read = ("<p><strong>यह भी पढ़ें:</strong> <a href='/x'>Weather Update: पहाड़ों पर "
            "बारिश-बर्फबारी का अलर्ट, जानें अपने शहर का हाल</a></p>")
    art = normalise_html(_hi("", read), source=SRC)
    assert list(art.body) == HI_STORY


def test_a_headline_cut_after_a_vowel_sign_gives_way_to_the_h1() -> None:
    cut = HI_H1[:HI_H1.index("एडवा") + 4]
    head = f'<meta property="og:title" content="{cut}">'
    assert normalise_html(_hi("", head=head), source=SRC).title == HI_H1
    # a headline that ends at a whole word and the h1 adds words: the metadata's
    whole = HI_H1[:HI_H1.index(" जारी")]
    head = f'<meta property="og:title" content="{whole}">'
    assert normalise_html(_hi("", head=head), source=SRC).title == whole


def test_the_printed_zone_keeps_the_metadata_seconds() -> None:
    art = normalise_html(_page(_story(), head=_published("2025-04-01T23:35:12Z"), under_h1=(
        '<time datetime="2025-04-01T23:35:12Z">00:35, 2 APR 2025</time>')), source=SRC)
    assert art.published_at is not None
    assert art.published_at.isoformat() == "2025-04-02T00:35:12+01:00"


# --- pitches, read-also labels without a colon, jump lists --------------------------------

@pytest.mark.parametrize("pitch", [
    "<p><em>Vuoi restare aggiornato sulle notizie del Veneto? Iscriviti al nostro canale "
    "<a href='/w'>WhatsApp</a>.</em></p>",
    "<p>Join our WhatsApp channel for the latest updates.</p>",
    "<div class='subscribe-box'><p>Haberleri ilk siz öğrenin. <a href='/abone'>ABONE OL</a>"
    "</p></div>",
    "<p><strong>LEGGI ANCHE</strong> <a href='/x'>Sciopero generale a marzo, tutte le date"
    "</a></p>",
])
def test_pitches_and_read_also_without_colon_go(pitch: str) -> None:
    art = normalise_html(_page(_story(pitch, at=2)), source=SRC)
    assert list(art.body) == STORY


@pytest.mark.parametrize("para", [
    # the story reporting on a channel, and a sentence ending in the word with its stop
    "The ministry said it would use a WhatsApp channel and text messages to warn residents "
    "of closures before the new hall opens next spring.",
    "Readers who want the weekly swimming timetable by e-mail can ask the council to subscribe.",
    "Leggi anche il regolamento della piscina, che il consiglio ha pubblicato martedì sul sito.",
])
def test_story_sentences_about_channels_stay(para: str) -> None:
    art = normalise_html(_page(_story(f"<p>{para}</p>", at=2)), source=SRC)
    assert para in art.body


JUMP = ("<div class='key-events'><h2>Key Events</h2><ul><li><a href='#entry-2'>9:15 pm The "
        "governor's office said Friday night…</a></li><li><a href='#entry-1'>4:40 pm The "
        "sheriff expanded the evacuation orders…</a></li></ul></div>")


def test_a_list_of_links_into_the_page_goes_with_its_heading() -> None:
    art = normalise_html(_page(_story(JUMP, at=1)), source=SRC)
    assert list(art.body) == STORY


def test_a_list_of_links_to_other_pages_under_a_story_heading_stays() -> None:
    box = JUMP.replace("#entry-", "/fire/").replace("Key Events", "What residents can do")
    art = normalise_html(_page(_story(box, at=1)), source=SRC)
    assert "What residents can do" in art.body
