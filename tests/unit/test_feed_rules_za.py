"""Feed entry rules added for blind batch za (Squarespace, WordPress shortcodes, a regional
paper's media captions, a broadcaster's teaser list, an Indian daily, Yandex full text, a
journal TOC in RSS 1.0, a Mailchimp archive): each rule fires on its case and leaves the
look-alike alone.
"""

from __future__ import annotations

import pytest

from worker.events.models import Source
from worker.feeds.authors import clean_authors
from worker.feeds.bylines import byline_names, drop_sign_off, entry_authors
from worker.feeds.entry_fields import full_text, section_tags
from worker.feeds.entry_rules import is_sponsored, tidy_feed_markup
from worker.feeds.item_kinds import not_news
from worker.feeds.lead_furniture import drop_tail_furniture, lead_box, lead_furniture
from worker.feeds.lead_lines import drop_lead_lines
from worker.feeds.markup_rules import drop_hidden, heading_texts, strip_shortcodes
from worker.feeds.parse import articles_from_feed_bytes
from worker.settings import load_settings

SETTINGS = load_settings()


# --- markup -------------------------------------------------------------------------------

@pytest.mark.parametrize(("raw", "want"), [
    ('<p>[caption id="a_1" align="aligncenter"]<img src="x.jpg"/> The road (photo X)[/caption]'
     "</p><p>Text.</p>", "<p> </p><p>Text.</p>"),
    ("[vc_row][vc_column][vc_column_text css=”.vc_x{margin:0}”]Body[/vc_column_text]"
     "[/vc_column][/vc_row]", "   Body   "),
    ("<p>[adinserter block=&#8221;3&#8243;]</p>", "<p> </p>"),
    ("[embed]https://v.example/watch?v=1[/embed] Words", "  Words"),
    ("[jetpack_subscription_form]", " "),
])
def test_wordpress_shortcodes_are_dropped(raw: str, want: str) -> None:
    assert strip_shortcodes(raw) == want


@pytest.mark.parametrize("kept", ["Read on [mehr]", "He said [sic] so.", "[Photo] Storm",
                                  "[link] [comments]", "[1] a note", "[…]"])
def test_bracketed_words_that_are_no_shortcode_stay(kept: str) -> None:
    assert strip_shortcodes(kept) == kept


def test_elements_hidden_by_their_style_are_dropped() -> None:
    pre = '<span class="p" style="display:none; font-size:0px;">Preview line</span><p>Text</p>'
    assert drop_hidden(pre) == " <p>Text</p>"
    shown = '<span style="display:inline">none of it is hidden</span>'
    assert drop_hidden(shown) == shown


def test_heading_texts_and_a_contents_list() -> None:
    markup = ("<h2>🚌 Bus &amp; rail</h2><p><strong>In today’s edition:</strong></p>"
              "<ul><li>The board votes</li><li>A bakery opens</li></ul>")
    assert heading_texts(markup) == {"🚌 Bus & rail", "The board votes", "A bakery opens"}
    assert heading_texts("<ul><li>Milk</li><li>Eggs</li></ul>") == frozenset()


def test_bracketed_read_more_link_goes_and_a_footnote_link_stays() -> None:
    assert tidy_feed_markup('Text. <a href="/a.html">[mehr]</a>') == "Text. "
    assert tidy_feed_markup('Text.<a href="/notes">[2]</a>') == 'Text.<a href="/notes">[2]</a>'


# --- feed fields --------------------------------------------------------------------------

def test_yandex_full_text_lines_are_paragraphs_and_markup_is_html() -> None:
    assert full_text({"yandex_full-text": "One.\n  Two.\n\n"}) == (None, "One.\n\nTwo.")
    assert full_text({"yandex_full-text": "<p>One.</p>"}) == ("<p>One.</p>", None)
    assert full_text({"summary": "x"}) is None
    assert section_tags({"prism_section": "ISSUE  INFORMATION"}) == ["Issue Information"]
    assert section_tags({}) == []


def _rss(item: str) -> bytes:
    return ('<?xml version="1.0"?><rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"'
            ' xmlns:yandex="http://news.yandex.ru"><channel><title>S</title>'
            f"<item><title>Gallery of the parade</title><link>https://s.example/a</link>{item}"
            "</item></channel></rss>").encode()


def test_a_photo_caption_is_no_text_when_the_description_is_empty() -> None:
    media = ('<media:content url="https://s.example/p.jpg" medium="image"><media:description>'
             "Crowds on the quay.</media:description></media:content>")
    src = Source(kind="feed", location="/srv/f.xml")
    (art,) = articles_from_feed_bytes(_rss(f"<description></description>{media}"), source=src,
                                      settings=SETTINGS)
    assert art.body == ("Gallery of the parade",)
    (art,) = articles_from_feed_bytes(_rss(f"<description>Text.</description>{media}"),
                                      source=src, settings=SETTINGS)
    assert art.body == ("Text.",)


def test_yandex_full_text_beats_the_summary() -> None:
    item = ("<description>Short.</description><yandex:full-text>Фото: пресслужба\n"
            "Перший абзац новини.\nДругий абзац.</yandex:full-text>")
    (art,) = articles_from_feed_bytes(_rss(item), source=Source(kind="feed", location="/f"),
                                      settings=SETTINGS)
    assert art.body == ("Перший абзац новини.", "Другий абзац.")


# --- item kinds ---------------------------------------------------------------------------

@pytest.mark.parametrize(("title", "tags", "url", "why"), [
    ("Farmacie di turno sul Garda dal 17 al 23 marzo", ["Servizi", "farmacie di turno"],
     "https://g.example/2025/03/13/farmacie/", "service listing"),
    ("Bons plans. Ce robot passe sous les 200 euros", ["Bons plans"],
     "https://e.example/guide-d-achat/bons-plans/robot", "shopping deal"),
    ("Quiz: Wie gut kennen Sie die Nachrichten?", [], "https://n.example/quiz/kw11.html", "quiz"),
    ("Horoscope Today, March 14, 2025", [], "https://d.example/astrology/horoscope/x.cms",
     "horoscope"),
    ("In pics: 7 hill stations", ["Lifestyle"], "https://d.example/web-stories/hills/1.cms",
     "web story"),
    ("Nordschau 20:00 Uhr, 14.03.2025", [], "https://n.example/multimedia/sendung/x/v-1.html",
     "broadcast listing"),
    ("Issue Information", ["Issue Information"], "https://j.example/doi/10.1/x",
     "journal notice"),
    ("Correction to “Nitrogen loading”", ["Correction"], "https://j.example/doi/10.1/y",
     "journal notice"),
    ("We’re hiring: part-time reporter", ["About Us"], "https://a.example/news/2025/3/7/x",
     "note about the publication"),
    ("Tote bags are back in the shop", ["About Us"], "https://a.example/news/2025/3/5/x",
     "note about the publication"),
    ("Jeu-concours : gagnez vos places", ["Jeux-concours"],
     "https://e.example/bretagne/jeux-concours/x", "contest or giveaway"),
    ("Programming note: No Morning on Monday", [], None, "note about the publication"),
    ("We want to hear from you: our 2025 reader survey", [], None,
     "note about the publication"),
    ("A message from our partner: Millbrook Savings Bank", [], None, "sponsor message"),
])
def test_items_that_are_no_story(title: str, tags: list[str], url: str | None, why: str
                                 ) -> None:
    assert not_news(title, tags, url) == why


@pytest.mark.parametrize(("title", "tags", "url"), [
    ("Quiz: How Well Did You Follow the News?", [], "https://m.example/interactive/news-quiz"),
    ("Photos: Ice out on Pike Lake", ["Photos"], "https://a.example/news/2025/3/8/ice"),
    ("Pharmacies struggle to find staff", ["Health"], "https://x.example/news/pharmacies"),
    ("Council approves the harbor shop lease", ["Town Hall"], "https://a.example/news/x"),
    ("Survey shows readers trust local news", [], None),
    ("Correction officers strike at state prison", ["Crime"], "https://x.example/news/c"),
    ("Tagesschau-Chef tritt ab", [], "https://n.example/inland/x.html"),
])
def test_look_alike_stories_are_news(title: str, tags: list[str], url: str | None) -> None:
    assert not_news(title, tags, url) is None


@pytest.mark.parametrize(("tags", "want"), [
    (["Pubbliredazionale"], True), (["Informazione Pubblicitaria"], True),
    (["Партнерські матеріали"], True), (["Cronaca", "Redazione"], False),
])
def test_paid_content_categories_and_author_labels(tags: list[str], want: bool) -> None:
    assert is_sponsored("Cantina apre le porte", tags, None, None) is want


# --- lines over and after the story -------------------------------------------------------

@pytest.mark.parametrize("line", [
    "View this email in your browser", "Happy Saturday, Millbrook! ☕", "Hi friends,",
    "Good morning, Millbrook! It’s Wednesday, March 12. Snow showers early, high of 36.",
    "Edited By: Meera Pillai", "Фото: пресслужба Вінницької ОВА", "Фото ілюстративне",
    "Journal of Coastal Ecology, Volume 113, Issue 4, Page 812-827, April 2025.",
    "Journal of Coastal Ecology, EarlyView.", "Aim", "Abstract",
])
def test_lead_furniture(line: str) -> None:
    assert lead_furniture(line, len(line.split()))


@pytest.mark.parametrize("line", [
    "Good morning! Here's what you need to know around the bay this week.",
    "Hey DEV! 👋 Drop a comment and tell us what you're digging into this week.",
    "Hello Kitty, the Japanese icon, turns 50 this year with a new museum in Tokyo.",
    "Photographers gathered at the pier on Sunday.", "Results of the vote are due today.",
])
def test_story_lines_are_no_lead_furniture(line: str) -> None:
    assert not lead_furniture(line, len(line.split()))


def test_sponsor_and_contents_boxes() -> None:
    box = ["TOGETHER WITH HOLLIS HARDWARE", "Seed kits are in. Shop now →", "The story."]
    assert lead_box(box) == 2
    contents = ["In this issue:", "The board votes", "A bakery opens", "The story begins."]
    assert lead_box(contents) == 3
    lead = ["Sponsored by the city, the festival drew 4,000 people.", "More."]
    assert lead_box(lead) == 0


def test_tail_furniture() -> None:
    body = ["Lead.", "Also Read | Metro fare panel report", "More text.", "(With inputs from PTI)",
            "L’articolo Frana sulla Gardesana proviene da Gazzetta del Benaco."]
    assert drop_tail_furniture(body) == ["Lead.", "More text."]
    assert drop_tail_furniture(["Shares rose 4.2 per cent on the BSE. PTI RSN HVA"]) == \
        ["Shares rose 4.2 per cent on the BSE."]
    assert drop_tail_furniture(["Lead.", "Mehr zum Thema:", "Link one"]) == ["Lead."]
    assert drop_tail_furniture(["Lead.", "See you,", "You are receiving this email because x.",
                                "PO Box 1"]) == ["Lead.", "See you,"]
    kept = ["Lead.", "Related parties met on Friday to discuss the merger at length.",
            "He told PTI the deal was done."]
    assert drop_tail_furniture(kept) == kept


def test_drop_lead_lines_skips_headings_and_ukrainian_stamps() -> None:
    body = ["Оновлено: 30 березня, 16:40", "У неділю вранці спалахнула пожежа на складі."]
    assert drop_lead_lines(body)[0] == body[1:]
    body = ["🔥 Fire at the mill", "Flames tore through the vacant mill late Tuesday."]
    assert drop_lead_lines(body, "x", frozenset({"🔥 Fire at the mill"}))[0] == body[1:]
    assert drop_lead_lines(body, "x")[0] == body


# --- authors ------------------------------------------------------------------------------

@pytest.mark.parametrize(("line", "want"), [
    ("Von Lea Hartmann und Ömer Yıldız, RN-Investigativ", "Lea Hartmann und Ömer Yıldız"),
    ("Ein Kommentar von Henrik Sommer, RN, Landesstudio Kiel", "Henrik Sommer"),
    ("By Alice Smith, Bob Jones and Carol White", "Alice Smith, Bob Jones and Carol White"),
    ("By Jane Doe", "Jane Doe"),
])
def test_byline_names(line: str, want: str) -> None:
    assert byline_names(line) == want


def test_placeholder_authors_give_way_to_the_byline() -> None:
    assert clean_authors(["Guest User"]) == ()
    assert entry_authors(["Guest User"], ["By Anne Whitcomb"], None) == ("Anne Whitcomb",)
    assert entry_authors(["Marta Kline"], ["By Anne Whitcomb"], None) == ("Marta Kline",)
    assert entry_authors([], [], "Dana Whitfield") == ("Dana Whitfield",)


def test_a_newsletters_sign_off_names_its_writer() -> None:
    body = ["Lead.", "More.", "See you tomorrow,", "Dana Whitfield, Editor"]
    assert drop_sign_off(body) == (["Lead.", "More."], "Dana Whitfield")
    story = ["Lead.", "Thank you,", "the mayor said to the crowd before leaving the hall."]
    assert drop_sign_off(story) == (story, None)
