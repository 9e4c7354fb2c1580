"""Normaliser rules added for blind batch zd: each fires on its case and leaves the
look-alike alone (tests/fixtures/articles/README.md lists the batch and its scores)."""

from __future__ import annotations

from tests.support.articles import STORY, story_html
from worker.events.models import Source
from worker.normalise.article import normalise
from worker.normalise.cues import credit_cue, strong_match
from worker.normalise.dates import parse_date_hint
from worker.normalise.meta import split_dateline
from worker.normalise.page_notes import is_pitch

SRC = Source(kind="file", location="/t/page")


def test_month_names_of_more_languages() -> None:
    for text, day in (("Jumatano, Machi 12, 2025", "2025-03-12"),
                      ("14 ოქტომბერი, 2024 17:20", "2024-10-14"),
                      ("14 Мамыр 2025 18:47", "2025-05-14"), ("13 Ožujak 2025", "2025-03-13")):
        got = parse_date_hint(text, dayfirst=True)
        assert got is not None and got.date().isoformat() == day, text
    assert parse_date_hint("Machi ya wanafunzi 12", dayfirst=True) is None


def test_datelines_with_diacritic_months_an_agency_after_a_stop_and_marathi() -> None:
    rest = "Gradsko vijeće Splita u srijedu je usvojilo odluku o kruzerima."
    assert split_dateline(f"SPLIT, 12. ožujka (Hina) – {rest}") == ("SPLIT", rest)
    kk = "Жетісу Алатауының шатқалдарында сел қаупіне байланысты шектеу енгізілді."
    assert split_dateline(f"АЛМАТЫ. KAZINFORM — {kk}") == ("АЛМАТЫ", kk)
    mr = "गणेशोत्सवाच्या काळात शहरात होणारी गर्दी लक्षात घेऊन पुणे मेट्रो धावणार आहे."
    assert split_dateline(f"पुणे, ता. ५ : {mr}") == ("पुणे", mr)
    assert split_dateline(f"पुणे शहरात {mr}")[0] is None


def test_chinese_portal_notes_and_a_web_title_line() -> None:
    for note in ("（原标题：杭州：无人驾驶环卫车夜间“上岗”）", "打开网澜新闻 查看精彩图片",
                 "（完）", "Web Title: Pune Metro to run till 2 am during Ganeshotsav"):
        assert is_pitch(note, note.count(" ")), note
    for prose in ("原标题中的说法并不准确。", "（完成率达九成）"):
        assert not is_pitch(prose, prose.count(" ")), prose


def test_microdata_headline_over_a_section_h1() -> None:
    page = ('<html><head><title>Split limits cruise ships - Dalmatinski glas</title></head>'
            "<body><h1>News from Split</h1><article><h2 itemprop=\"headline\">Split limits "
            f"cruise ships to two a day</h2>{story_html()}</article></body></html>")
    assert normalise(page.encode(), source=SRC, kind="html").title \
        == "Split limits cruise ships to two a day"


def test_pictographs_and_a_site_name_leave_a_tool_header_title() -> None:
    text = ("Title: 12 perangkap sampah baharu di Sungai Klang tahun ini | Warta Semenanjung\n"
            "Authors: ['Bernama']\nPublish date: 2025-02-10\n\nText:\n"
            + "\n\n".join(f"{STORY}Paragraph {k}." for k in range(5))).encode()
    art = normalise(text, source=SRC, kind="text")
    assert art.title == "12 perangkap sampah baharu di Sungai Klang tahun ini"
    post = ("🚇⚡️ Yerevan metro to get 12 new cars\n\n"
            + "\n\n".join(f"{STORY}Paragraph {k}." for k in range(4))).encode()
    assert normalise(post, source=SRC, kind="text").title == "Yerevan metro to get 12 new cars"


def test_photo_credits_and_read_also_labels_of_more_languages() -> None:
    for credit in ("Skemmtiferðaskip við bryggju. Ljósmynd/Hafnarfjarðarhöfn",
                   "ფოტო: სოფლის მეურნეობის სამინისტროს პრესსამსახური", "Larawan: MMDA"):
        assert credit_cue(credit), credit
    assert not credit_cue("The ferry stops at Guadalupe station every hour")
    for label in ("Tengdar fréttir", "Sjá einnig: Ný brú opnuð", "हेही वाचा : दगडूशेठ गणपती"):
        assert strong_match(label, len(label.split())), label
    assert not strong_match("Tengdar voru saman tvær brýr yfir ána í gær", 9)
