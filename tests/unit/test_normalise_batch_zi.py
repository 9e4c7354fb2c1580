"""Rules from blind batch ``zi`` (tests/fixtures/articles/zi*): cookie banners in more
languages, Firefox Reader View's header, "Autor:" bylines, a text browser's poll and sidebar
box, a print page break inside a paragraph, Solar Hijri dates, Persian and Bulgarian wire
datelines, a newsletter editor's note, CJK share bars, Blogger's caption cell, BBC's screen-
reader labels, channel pitches in Hebrew and Arabic; and the date parser's prefilters.

Each test builds a small page of that shape and checks what the normaliser keeps.
"""

from __future__ import annotations

import pytest

from tests.support.story import STORY
from worker.events.models import Source
from worker.normalise.article import normalise
from worker.normalise.columns import side_boxes
from worker.normalise.cues import BYLINE_RE, DATE_LINE_RE, is_label, strong_match
from worker.normalise.dates import parse_date_hint
from worker.normalise.html_lists import drop_list_boxes
from worker.normalise.meta import split_dateline
from worker.normalise.page_notes import consent_notice, is_pitch, platform_pitch
from worker.normalise.textfix import shouted

pytestmark = pytest.mark.timeout(120, method="thread")


def _text(text: str) -> tuple[str, list[str]]:
    art = normalise(text.encode(), source=Source(kind="file", location="zi.txt"), kind="text")
    return art.title, list(art.body)


def _html(html: str) -> list[str]:
    art = normalise(html.encode(), source=Source(kind="file", location="zi.html"), kind="html")
    return list(art.body)


@pytest.mark.parametrize("banner", [
    "Mi és partnereink sütiket és hasonló technológiákat használunk az oldal működéséhez. Az "
    "„Elfogadom” gombra kattintva hozzájárul ezek használatához.",
    "Sitemizde çerezler kullanıyoruz. Devam ederek çerezleri kabul etmiş olursunuz.",
    "Käytämme evästeitä sivuston toiminnan parantamiseksi. Hyväksy evästeet jatkaaksesi.",
])
def test_cookie_banners_in_languages_without_the_english_word(banner: str) -> None:
    words = frozenset(w.strip(".,„”").lower() for w in banner.split())
    assert consent_notice(banner, banner.lower(), words)


def test_a_story_about_baking_cookies_is_no_banner() -> None:
    line = "The bakery sells cookies and cakes every morning to people on their way to work."
    assert not consent_notice(line, line.lower(), frozenset(line.lower().strip(".").split()))


def test_reader_view_header_names_the_headline() -> None:
    page = "\n".join([
        "voriapress.example", "Θεσσαλονίκη: Με 40 νέα ηλεκτρικά λεωφορεία ενισχύεται ο ΟΑΣΘ",
        "Ελένη Καραγιάννη", "4–5 λεπτά", "",
        "Η σύμβαση υπογράφηκε στο υπουργείο Μεταφορών – Τι λένε οι οδηγοί", "",
        *[p + "\n" for p in STORY]])
    title, body = _text(page)
    assert title == "Θεσσαλονίκη: Με 40 νέα ηλεκτρικά λεωφορεία ενισχύεται ο ΟΑΣΘ"
    assert body == STORY


def test_author_labels_are_bylines() -> None:
    for line in ("Autor: [19]Tereza Dvořáková", "Szerző: Kiss Anna", "Author: Jane Doe",
                 "Author, Amina Juma", "Nafasi, Sauti Habari Swahili, Kisumu"):
        assert BYLINE_RE.match(line), line
    assert not BYLINE_RE.match("Authority figures said the plan would go ahead.")


def test_a_text_browsers_poll_inside_the_story_is_dropped() -> None:
    poll = "Do you ride the bus every day?\n( ) Yes, every day\n( ) Sometimes\n( ) Never\nVote"
    _, body = _text("\n\n".join(["Council closes old swimming hall", "By Jane Doe",
                                 STORY[0], STORY[1], poll, STORY[2], STORY[3]]))
    assert body == STORY


def test_a_caption_signed_with_its_source_is_dropped() -> None:
    caption = "Ο χάρτης των γραμμών του ανατολικού τομέα. Πηγή: ΟΑΣΘ"
    _, body = _text("\n\n".join(["Council closes old swimming hall", "By Jane Doe",
                                 STORY[0], STORY[1], caption, STORY[2], STORY[3]]))
    assert body == STORY


def test_a_printed_headline_wins_over_the_tools_tab_title() -> None:
    page = "\n".join([
        "---", 'title: "Low water exposes 1880s shipwreck off Chicago | AP News"',
        "author: Jane Doe", "---", "", "# Low water exposes 1880s shipwreck off Chicago | AP News",
        "", "Falling lake levels expose the ribs of an 1880s schooner off Chicago", "",
        "By JANE DOE", "", "Updated 6:02 PM CDT, September 19, 2024", "",
        *[p + "\n" for p in STORY]])
    title, body = _text(page)
    assert title == "Falling lake levels expose the ribs of an 1880s schooner off Chicago"
    assert body == STORY


def test_solar_hijri_dates_become_gregorian() -> None:
    got = parse_date_hint("چهارشنبه ۲۳ مهر ۱۴۰۴ - ۱۰:۴۵", dayfirst=True, keep_offset=True)
    assert got is not None and (got.year, got.month, got.day, got.hour) == (2025, 10, 15, 10)
    assert parse_date_hint("۳۲ مهر ۱۴۰۴", keep_offset=True) is None  # no 32nd day


@pytest.mark.parametrize(("para", "place"), [
    ("تبریز- آوا- بهره‌برداری آزمایشی از نخستین بخش خط ۲ قطار شهری آغاز شد", "تبریز"),
    ("Пловдив, 23 април (БТА) – Основният ремонт на булеварда ще започне на 5 май", "Пловдив"),
])
def test_wire_datelines_of_persian_and_bulgarian_agencies(para: str, place: str) -> None:
    got, rest = split_dateline(para)
    assert got == place
    assert not rest.startswith(("-", "–", "آوا"))


def test_a_paragraph_cut_by_a_print_page_break_is_joined() -> None:
    footer = "https://news.example/graz/schulstrassen"
    header = "Schulstraßen: Graz sperrt den Autoverkehr | Steirer Tagblatt"
    page = "\n".join([  # (the browser prints its date and the tab title on every page)
        "02.12.25, 08:13", header, "", "Graz testet autofreie Schulstraßen", "",
        "Von Katharina Pölzl",
        "26. November 2025, 17:55 Uhr", "",
        "Die Stadt Graz sperrt ab 12. Jänner vor zwölf Volksschulen die angrenzenden Straßen",
        "jeweils eine halbe Stunde lang für den Autoverkehr, wie die Stadt mitteilte.", "",
        "Betroffen sind Schulen in sechs Bezirken. Zwischen 7.20 und 7.50 Uhr dürfen in den Schul-",
        "", footer, "", "1/2", "\f02.12.25, 08:13", header, "",
        "straßen nur Anrainer, Busse und Radfahrer unterwegs sein. Die Sperren werden mit",
        "Scherengittern umgesetzt, sagte der Sprecher des Bürgermeisters am Mittwoch.", "",
        "Kontrolliert wird zunächst nicht mit Strafen, sondern mit Information und mit Plakaten.",
        "", footer, "", "2/2"])
    _, body = _text(page)
    assert any("in den Schulstraßen nur Anrainer" in p for p in body)
    assert not any(p.startswith("straßen") or p == "1/2" for p in body)


def test_a_sidebar_box_beside_the_story_is_cut_off_its_lines() -> None:
    left = ["Основният ремонт на бул. „Руски“ в Пловдив", "ще започне на 5 май и ще продължи",
            "до края на октомври, съобщиха днес от", "общината.", ""]
    box = ["┌──────────────┐", "│ НАЙ-ЧЕТЕНИ   │", "├──────────────┤", "│ 1. Затварят  │",
           "└──────────────┘"]
    text = "\n".join(f"   {a:<46}{b}" for a, b in zip(left, box, strict=True))
    out = side_boxes(text)
    assert "НАЙ-ЧЕТЕНИ" not in out and "│" not in out
    assert "Основният ремонт на бул. „Руски“ в Пловдив ще започне на 5 май" in out
    assert side_boxes("no boxes here") == "no boxes here"


def test_a_newsletters_editor_note_is_no_story() -> None:
    page = "\n\n".join([
        "THE PUNE CHRONICLE | MORNING BRIEF", "Wednesday, August 6, 2025",
        "Good morning. After a soaking weekend that left parts of the city under water, the "
        "civic body says it has a plan to keep the next monsoon from doing the same.",
        "- Rohan Deshpande, Editor", "TOP STORY",
        "PMC to dig 200 rainwater recharge pits along flood-prone nullahs before\nnext monsoon",
        "By Ananya Kulkarni\nPublished: Aug 5, 2025, 21:40 IST", *STORY])
    title, body = _text(page)
    assert title == ("PMC to dig 200 rainwater recharge pits along flood-prone nullahs before "
                     "next monsoon")
    assert body == STORY


def test_capitals_in_a_line_of_a_script_without_case_are_no_shouting() -> None:
    assert shouted("COUNCIL CLOSES OLD SWIMMING HALL")
    assert not shouted("เชียงใหม่ประกาศห้ามเผาในที่โล่ง 120 วัน รับมือฝุ่น PM2.5")


def test_cjk_share_bars_and_wire_credits_are_furniture() -> None:
    bar = "字号：大 中 小    分享到：微信 微博 QQ空间"
    body = ["記者从中国国家铁路集团有限公司获悉，截至3月2日，2025年铁路春运累计发送旅客5.1亿人次，"
            "同比增长6.8%，创历史同期新高。" * 2,
            "春运期间，全国铁路日均开行旅客列车超过1.3万列，其中高铁动车组列车占比超过七成。" * 2]
    _, got = _text("\n\n".join(["全国铁路春运累计发送旅客突破5亿人次", "2025年3月3日 10:26", bar,
                                *body]))
    assert bar not in got
    assert is_label("（共同通信）") and is_label("配信")
    assert not is_label("（共同通信によると、首相は3日に訪米する）")


def test_a_spanish_day_and_month_is_a_date_line() -> None:
    assert DATE_LINE_RE.search("9 de febrero")
    assert DATE_LINE_RE.search("3 de abril")


def test_the_article_continues_below_the_ad_in_more_languages() -> None:
    for line in ("Článek pokračuje pod reklamou", "El artículo continúa debajo",
                 "Der Artikel geht unter der Werbung weiter"):
        keys = frozenset(line.lower().split())
        assert strong_match(line, len(keys), keys), line


def test_blogger_caption_cell_and_share_plea_are_dropped() -> None:
    caption = ('<table class="tr-caption-container"><tr><td><img src="a.jpg"></td></tr><tr>'
               '<td class="tr-caption">The stop outside the Plough. Photo: HVV</td></tr></table>')
    plea = ("<p><i>Please share this post with anyone in the village who isn't online, and "
            "leave a comment below.</i></p>")
    paras = "".join(f"<p>{p}</p>" for p in STORY)
    html = (f"<html><head><title>Council closes old swimming hall</title></head><body><article>"
            f"<h1>Council closes old swimming hall</h1>{caption}{paras}{plea}</article>"
            f"</body></html>")
    assert _html(html) == STORY


def test_channel_pitches_in_hebrew_and_arabic() -> None:
    for line in ("📲 הצטרפו לקבוצת הווטסאפ של חדשות הגליל וקבלו עדכונים בזמן אמת",
                 "انضموا إلى قناتنا على واتساب لمتابعة آخر الأخبار"):
        assert platform_pitch(line, line.count(" ")), line
    assert is_pitch("Please share this post with your neighbours.", 6)


@pytest.mark.parametrize(("value", "want"), [
    ("May 01, 2024 08:00 UTC", (2024, 5, 1)),
    ("3 de marzo de 2024 | 14:05", (2024, 3, 3)),
    ("16 ABR 2024", (2024, 4, 16)),
    ("5. MÄRZ 2025 um 10:00", (2025, 3, 5)),
    ("14 mai 2024 à 10h30", (2024, 5, 14)),
    ("2 décembre 2024 · 08:00", (2024, 12, 2)),
    ("Published at 10:00 on 4 June 2024", (2024, 6, 4)),
])
def test_date_lines_read_the_same_with_the_regex_prefilters(
        value: str, want: tuple[int, int, int]) -> None:
    got = parse_date_hint(value, dayfirst=True, keep_offset=True)
    assert got is not None and (got.year, got.month, got.day) == want


def test_a_key_takeaways_callout_and_a_sponsored_offers_table_are_dropped() -> None:
    takeaways = ('<div class="callout"><div class="callout-heading"><h3>Key Takeaways</h3></div>'
                 '<div class="callout-body"><ul><li>The Fed cut its rate again.</li>'
                 '<li>Savings yields will keep falling.</li></ul></div></div>')
    offers = ('<div class="offers"><span>Compare accounts</span><table><tr><td>Northpoint</td>'
              '<td>5.05%</td><td><a rel="sponsored nofollow" href="/out/1">Learn More</a></td>'
              '</tr><tr><td>Lakeshore</td><td>4.85%</td><td><a rel="sponsored nofollow" '
              'href="/out/2">Learn More</a></td></tr></table><p>The offers that appear in this '
              'table are from partnerships from which we receive compensation.</p></div>')
    paras = [f"<p>{p}</p>" for p in STORY]
    html = (f"<html><head><title>Council closes old swimming hall</title></head><body><article>"
            f"<h1>Council closes old swimming hall</h1>{takeaways}{paras[0]}{paras[1]}{offers}"
            f"{paras[2]}{paras[3]}</article></body></html>")
    assert _html(html) == STORY


def test_an_article_subhead_dek_is_dropped() -> None:
    html = ('<html><head><title>Council closes old swimming hall</title></head><body><main>'
            '<h1>Council closes old swimming hall</h1><p class="article__subhead"><em>Clubs '
            'will train in the next town until the new hall opens</em></p><div class="wysiwyg">'
            + "".join(f"<p>{p}</p>" for p in STORY) + "</div></main></body></html>")
    assert _html(html) == STORY


def test_screen_reader_labels_are_dropped() -> None:
    from lxml import html as lxml_html  # type: ignore[import-untyped]

    root = lxml_html.fromstring(
        '<div><p class="screen-reader-text">List of 3 items</p><ul><li>One</li></ul>'
        '<span class="sr-only">End of list</span><p>Story text stays.</p></div>')
    drop_list_boxes(root, "screen-reader-text sr-only", "")
    assert root.text_content() == "OneStory text stays."


def test_a_headline_whose_h1_reads_the_same_keeps_its_dash_tail() -> None:
    head = "Storm in the north: floods in Nahariya, Route 4 closed – live updates"
    html = (f'<html><head><title>{head} - Galilee News</title><meta property="og:title" '
            f'content="{head}"></head><body><article><h1>{head}</h1>'
            + "".join(f"<p>{p}</p>" for p in STORY) + "</article></body></html>")
    art = normalise(html.encode(), source=Source(kind="file", location="zi.html"), kind="html")
    assert art.title == head


def test_a_syndicated_copy_dates_by_its_original_publication_day() -> None:
    html = ('<html><head><title>Ferry fleet stretched</title><script type="application/ld+json">'
            '{"@type": "NewsArticle", "headline": "Ferry fleet stretched", "datePublished": '
            '"2025-03-03T05:42:11Z"}</script></head><body><article><h1>Ferry fleet stretched</h1>'
            + "".join(f"<p>{p}</p>" for p in STORY)
            + "<p>This story was originally published March 2, 2025 at 9:30 PM.</p></article>"
            "</body></html>")
    art = normalise(html.encode(), source=Source(kind="file", location="zi.html"), kind="html")
    assert art.published_at is not None and art.published_at.date().isoformat() == "2025-03-02"


def test_a_channels_relayed_story_over_two_posts() -> None:
    other = "🌡️ PRONÓSTICO | Martes caluroso en la costa: máxima de 31°.\n👁 9.8K  21:05"
    teaser = ("🚨 PARO DE GUARDAVIDAS: 48 HORAS SIN SERVICIO\n\n▪️ El gremio anunció la medida.\n"
              "👁 12.3K  14:32")
    first = "\n\n".join(["Council closes old swimming hall", "10 de febrero de 2026 · 13:58",
                         STORY[0], STORY[1], STORY[2], "(sigue 👇)"]) + "\n👁 11.9K  14:33"
    second = STORY[3] + "\n\n📲 Seguinos en Telegram 👉 t.me/costanoticias\n👁 11.1K  14:33"
    title, body = _text("\n\n".join(["Costa Noticias 🌊", "48.213 suscriptores", other, teaser,
                                     first, second, "🌊 ¿Cómo está el mar hoy?\n👁 7.4K  16:10"]))
    assert title == "Council closes old swimming hall"
    assert body == STORY
