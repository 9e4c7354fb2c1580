"""Feed entry furniture (worker.feeds.lead_lines) and author fields (worker.feeds.authors):
one case per rule, and the text each rule must leave alone."""

from __future__ import annotations

import pytest

from worker.feeds.authors import clean_authors, is_login, untex
from worker.feeds.entry_rules import is_sponsored
from worker.feeds.lead_lines import drop_lead_lines

STORY = "The council voted on Tuesday to widen two roads before the fire season starts."


@pytest.mark.parametrize("lead", [
    ["FOR IMMEDIATE RELEASE", "March 12, 2025", "Contact: Dana Whitcomb, 202-555-0148,",
     "press@agency.example"],
    ["PARA PUBLICACIÓN INMEDIATA", "12 de marzo de 2025"],
    ["This episode is brought to you by Brightwell. Go to brightwell.example for 20% off."],
    ["Support for this podcast comes from Buckeye Federal Credit Union."],
    ["This story was originally published by Inland Ledger, a nonprofit newsroom, and is "
     "republished here under a Creative Commons license."],
    ["Traffic backs up on Highway 38 during the evacuation.", "(Maya Torres / KXRV)"],
    ["Máquinas trabajando este lunes en la playa de La Salvé. | Pedro Sainz"],
])
def test_furniture_over_the_story_is_dropped(lead: list[str]) -> None:
    assert drop_lead_lines([*lead, STORY, "More."]) == ([STORY, "More."], [])


@pytest.mark.parametrize(("first", "want"), [
    ("arXiv:2506.02211v1 Announce Type: new Abstract: We propose QAC.", "We propose QAC."),
    ("[한빛일보 김민서 기자] 서울시가 14일 밝혔다.", "서울시가 14일 밝혔다."),
    ("(서울=한빛일보) 이도윤·박서연 기자 = 수출이 늘었다.", "수출이 늘었다."),
    ("This episode originally aired on October 14, 2024. For 31 years, he ran the lock.",
     "For 31 years, he ran the lock."),
])
def test_prefixes_on_the_first_paragraph_go(first: str, want: str) -> None:
    assert drop_lead_lines([first, "More."])[0] == [want, "More."]


def test_trailers_go_and_the_story_stays() -> None:
    body = [f"{STORY} […]", "He said so. Learn more about your ad choices. Visit x.example/ad"]
    assert drop_lead_lines(body)[0] == [STORY, "He said so."]
    for lead in ("March 12, 2025, was the day the vote failed.", "Contact lenses cost more now.",
                 "First published in 1997, the novel has sold 120 million copies worldwide.",
                 "Sponsored by the city, the festival returns to the harbour in June."):
        assert drop_lead_lines([lead, STORY])[0] == [lead, STORY], lead


@pytest.mark.parametrize(("raw", "want"), [
    (["Maya Torres, Ben Adler, and the KXRV Newsroom"], ("Maya Torres", "Ben Adler")),
    (["Ruth Okonjo, Inland Ledger"], ("Ruth Okonjo",)),
    (["National Coastal and Water Agency"], ("National Coastal and Water Agency",)),
    (["The Associated Press"], ("The Associated Press",)),
    (["Jess Alvarez and Tom Nguyen"], ("Jess Alvarez", "Tom Nguyen")),
    (["Marta Ruiz | Laredo"], ("Marta Ruiz",)),
    (["이도윤·박서연 기자"], ("이도윤", "박서연")),
    (["jhchoi@paper.example (최지훈 기자)"], ("최지훈",)),
    (["ジョン・スミス"], ("ジョン・スミス",)),
    (["Tomasz Wr\\'oblewski", "Kurt G{\\\"o}del", "\\c{C}a\\u{g}la \\O stergaard"],
     ("Tomasz Wróblewski", "Kurt Gödel", "Çağla Østergaard")),
])
def test_authors(raw: list[str], want: tuple[str, ...]) -> None:
    assert clean_authors(raw) == want


def test_untex_and_logins() -> None:
    assert untex("plain") == "plain" and untex("Erd\\H{o}s") == "Erdős"
    assert is_login("jmdelorme") and not is_login("Jean-Marc Delorme") and not is_login("ab")


def test_paid_content_categories_mark_an_ad_without_a_title_marker() -> None:
    assert is_sponsored("Cinco claves para reformar tu cocina", ["Contenido patrocinado"],
                        None, None)
    assert is_sponsored("Rénovation : pourquoi un artisan RGE ?", ["Publi-rédactionnel"],
                        None, None)
    assert not is_sponsored("Sponsors pull out of the festival", ["Sponsorship", "Arts"],
                            None, None)


def test_a_podcast_trailer_is_no_episode() -> None:
    from worker.events.models import Source
    from worker.feeds.parse import articles_from_feed_bytes
    from worker.settings import Settings

    def item(kind: str, n: int) -> str:
        return (f"<item><title>Episode {n}</title><link>https://pod.example/{n}</link>"
                f"<itunes:episodeType>{kind}</itunes:episodeType><description>{STORY}"
                "</description></item>")
    raw = ('<?xml version="1.0"?><rss version="2.0" '
           'xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"><channel><title>Pod'
           f"</title>{item('full', 1)}{item('trailer', 2)}{item('bonus', 3)}</channel></rss>")
    arts = articles_from_feed_bytes(raw.encode(), source=Source(kind="feed", location="p.xml"),
                                    settings=Settings(input_roots=[]))
    assert [a.title for a in arts] == ["Episode 1", "Episode 3"]


def test_batch_y_rules() -> None:
    from worker.feeds.entries import clean_title
    from worker.feeds.entry_rules import leading_block, not_an_article

    assert clean_title("[Photo] Пожар на складе") == "Пожар на складе"
    assert clean_title("Hanse+ | Wohnungsmarkt: Mieten steigen") == "Wohnungsmarkt: Mieten steigen"
    assert clean_title("C++ | a new standard") == "C++ | a new standard"  # (no brand: kept)
    assert clean_title("Disney+: prices rise again in May") == "Disney+: prices rise again in May"
    long = "Животное заметили утром родители, которые вели детей на занятия в школу номер 14."
    body, byline = drop_lead_lines(["Forwarded From МЧС Северграда", long, "Ещё."])
    assert body == [long, "Ещё."] and byline == ["МЧС Северграда"]
    assert drop_lead_lines(["Лось вышел к школе", long], "Лось вышел к школе")[0] == [long]
    quote = ["“The sea keeps the receipts.”", "— Harbourmaster J. T. Pollard, evidence to the "
             "Board of Trade inquiry at the harbour office, 1912"]
    assert drop_lead_lines(quote, "“The sea keeps the receipts.”")[0] == quote
    cut = "Мост через Ольховку закроют на капитальный ремонт с 20 октября в 9 утра"
    assert drop_lead_lines([cut, long], "Мост через Ольховку закроют…")[0] == [long]
    body, byline = drop_lead_lines(["By Rosa Delgado and Ken Ishikawa", "The Millbrook Messenger",
                                    STORY])
    assert body == [STORY] and byline == ["By Rosa Delgado and Ken Ishikawa"]
    body, byline = drop_lead_lines(["מאת: איתי לוי", STORY])
    assert body == [STORY] and byline == ["מאת: איתי לוי"]
    assert leading_block("<h2>\n <a name='x'></a>\n The problem\n</h2><p>Text.</p>") \
        == "The problem"
    assert leading_block("<p>Text first.</p><h2>Later</h2>") is None
    assert not_an_article(None, ["Скидки до 50%.", "Реклама. ООО «Т». erid: 2VtzqvXk3Lm"], "T")
    assert not not_an_article(None, ["Ведущий сказал: erid — это токен рекламы."], "T")
    assert clean_authors(["Marcus Oyelaran, KAVR"]) == ("Marcus Oyelaran",)
    assert clean_authors(["סאמר חורי ונועה ברגר"]) == ("סאמר חורי", "נועה ברגר")


@pytest.mark.parametrize("lead", [
    ["(Corrects spelling of health minister's name in paragraph 3)"],
    ["▶ Listen to this story · 8 min"],
    ["This story was co-published with the Wisbech Standard as part of a partnership."],
    ["Interviews were conducted in Polish and Ukrainian and translated by Piotr Zieliński."],
    ["📲 Receba as notícias da Folha do Vale no WhatsApp: clique aqui"],
    ["Collections will be one day later than usual. Photo: Wealdbridge District Council"],
])
def test_batch_z_furniture_over_the_story_is_dropped(lead: list[str]) -> None:
    assert drop_lead_lines([*lead, STORY, "More."]) == ([STORY, "More."], [])


@pytest.mark.parametrize("first", [
    "(Reuters) said the ministry would correct the figures next week in a new release.",
    "Listeners to the station's phone-in show complained about the closure for weeks.",
    "Follow the money, the auditor said, and you find the WhatsApp groups that ran it.",
    "The photo was taken in 1962. Photo archives at the museum hold 40,000 more.",
])
def test_batch_z_story_leads_stay(first: str) -> None:
    assert drop_lead_lines([first, STORY])[0] == [first, STORY]


def test_a_paywall_notice_with_only_its_buttons_leaves_no_text() -> None:
    assert drop_lead_lines(["この記事は有料会員限定です。", "有料会員に登録する / ログイン"]) \
        == ([], [])
    teaser = ["The plant will open in 2027, the company said on Monday in Toyama.",
              "This article is for subscribers only."]
    assert drop_lead_lines(teaser)[0] == teaser


def test_a_key_points_box_opening_an_entry_is_not_its_first_paragraph() -> None:
    from worker.feeds.entry_rules import past_points_box
    markup = ("<div><strong>Key points</strong><ul><li>Prices up</li><li>Hotels</li></ul>"
              "</div><p>Land prices rose again.</p><p>More.</p>")
    paras = ["Key points", "Prices up", "Hotels", "Land prices rose again.", "More."]
    assert past_points_box(paras, markup) == ["Land prices rose again.", "More."]
    story = ["Key points of the budget were leaked on Monday.", "Prices up", "More."]
    assert past_points_box(story, markup) == story
