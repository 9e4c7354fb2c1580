"""Normaliser rules added for blind batch ze (tests/fixtures/articles/README.md has its row):
each fires on its case and leaves the look-alike alone."""

from __future__ import annotations

from tests.support.articles import (
    FIXTURES,
    RULE_SRC,
    STORY,
    STORY_PARAS,
    day,
    page_article,
    story_html,
    text_article,
)
from worker.normalise.article import normalise
from worker.normalise.dates import parse_date_hint
from worker.normalise.lines import drop_pull_quotes, logical_lines
from worker.normalise.meta import local_dateline, split_dateline
from worker.normalise.page_notes import consent_notice, is_pitch
from worker.normalise.wrap import wrap_measure, wrap_width


def test_a_text_browsers_boxes_are_no_measure_of_the_wrap() -> None:
    prose = [f"The council approved the plan on Tuesday after a long debate about line {k}"
             for k in range(8)]
    box = ["+" + "-" * 77 + "+", "| Home | News | Sport" + " " * 56 + "|"]
    assert wrap_width(prose + box) == wrap_width(prose)


def test_text_wrapped_by_code_points_in_a_script_with_vowel_signs() -> None:
    # (an elinks dump wrapped at 74 code points, not at a display width)
    raw = (FIXTURES / "ze11_ne_elinks_portal_bikram_sambat.txt").read_text()
    width, measure = wrap_measure([s.strip() for s in raw.split("\n")])
    assert (width, measure) == (73, len)
    assert any(ln.text.endswith("गुनासो गरे । पोखराबाट परिवारसहित फर्किएकी सरिता श्रेष्ठले भनिन्, "
                                "‘बाटोमा गाडी एक घण्टासम्म एक इन्च पनि सरेन । बच्चाहरू भोक र थकानले "
                                "रोइरहे ।’") for ln in logical_lines(raw))
    # an ASCII dump keeps the display measure
    assert wrap_measure(["The council approved the plan"] * 8)[1] is not len


def test_a_dated_related_list_over_the_next_sections_subhead() -> None:
    text = (f"Headline about the engine mounts\n\n{STORY}One.\n\n{STORY}Two.\n\nRELATED COVERAGE\n"
            "* Airlines warn of mechanic shortage\nOct. 2, 2025\n* NTSB opens probe into "
            f"runway incursion\nSept. 24, 2025\n\nQuestions about the supplier\n\n{STORY}Three."
            f"\n\n{STORY}Four.")
    body = text_article(text).body
    assert body[-1].endswith("Four.") and "Questions about the supplier" in body
    assert not any("NTSB" in p or "2025" in p for p in body)


def test_a_lone_markdown_h1_over_a_bold_two_sentence_standfirst() -> None:
    text = ("# À Lyon, trente écoles vont tester des « rues scolaires » fermées aux voitures\n\n"
            "**La métropole lance une expérimentation de six mois. Parents d'élèves et "
            "commerçants restent partagés.**\n\nPar **Clémence Vautrin** avec AFP\n\n"
            + STORY_PARAS)
    assert text_article(text).title.startswith("À Lyon, trente écoles")


def test_a_subhead_quoting_four_words_is_no_pull_quote() -> None:
    body = ["« On déplace le problème »",
            "« On déplace le problème de cent mètres », estime un boulanger du quartier."]
    assert drop_pull_quotes(body) == body
    quote = ["“We will not move the problem a hundred metres down the road”",
             "“We will not move the problem a hundred metres down the road,” she said today."]
    assert drop_pull_quotes(quote) == quote[1:]


def test_consent_small_print_and_app_and_follow_pitches() -> None:
    small = ("We use your sign-up to provide content in ways you've consented to and to improve "
             "our understanding of you. You can unsubscribe at any time. Read our Privacy Policy")
    def words(t: str) -> frozenset[str]:
        return frozenset(w.strip(".,'") for w in t.lower().split())
    assert consent_notice(small, small.lower(), words(small))
    assert consent_notice(small, small.lower(), frozenset())  # (a long line: no word set)
    prose = "Readers can unsubscribe from the council's alerts at any time, the mayor said."
    assert not consent_notice(prose, prose.lower(), words(prose))
    for pitch in ("Get Latest News Updates on The Deccan Ledger app. Download now for news.",
                  "Receba as principais notícias do Paraná no seu WhatsApp. Clique aqui.",
                  "Follow Meridian York & North Yorkshire on Facebook, X and Instagram."):
        assert is_pitch(pitch, pitch.count(" ")), pitch
    story = "Follow-up inspections found cracks on two more jets, the agency said on Facebook."
    assert not is_pitch(story, story.count(" "))


def test_full_width_breadcrumbs_and_date_only_lines_are_no_headline_or_subhead() -> None:
    raw = (FIXTURES / "ze08_ja_copy_fullwidth_related.txt").read_bytes()
    art = normalise(raw, source=RULE_SRC, kind="text")
    assert art.title == "札幌市の除雪費、過去最高の２６０億円に…人手不足で単価上昇"
    assert "10月28日" not in art.body
    breadcrumb = raw.decode().replace("トップ ＞ 社会 ＞ 道内", "トップ 社会 道内").encode()
    assert normalise(breadcrumb, source=RULE_SRC, kind="text").title == art.title


def test_agency_datelines_in_azerbaijani_and_nepali() -> None:
    rest = ("Bakı–Sumqayıt avtomobil yolunun Novxanı və Corat qəsəbələrindən keçən hissəsində "
            "üç yeni yerüstü piyada keçidi istifadəyə verilib.")
    assert local_dateline(f"Bakı, 27 may, AZƏRTAC. {rest}") == ("Bakı", rest)
    assert local_dateline(f"Bakı, 27 may. {rest}")[0] is None
    ne = "नयाँ वर्ष २०८२ को लामो बिदा मनाएर उपत्यका फर्कनेहरूको भीडका कारण सवारी जाम भयो ।"
    assert split_dateline(f"वैशाख ४, काठमाडौं — {ne}") == ("काठमाडौं", ne)
    assert split_dateline(ne)[0] is None


def test_read_also_lines_in_azerbaijani_and_nepali() -> None:
    text = (f"Headline about the pedestrian bridges\n\n{STORY}One.\n\nHəmçinin oxuyun: Bakıda 14 "
            f"küçədə asfalt yenilənir\n\n{STORY}Two.\n\nयो पनि पढ्नुहोस् : [19]नयाँ वर्षमा "
            f"भाडा बढ्यो\n\n[18]{STORY}Three.\n\n{STORY}Four.")
    body = text_article(text).body
    # (a paragraph opening with a link keeps its marker, as the dev set's labels do)
    assert len(body) == 4 and body[2].startswith("[18]The council")


def test_korean_spaced_dates() -> None:
    for text, want in (("2025. 3. 13. 07:12", "2025-03-13"), ("2025. 03. 13.", "2025-03-13")):
        got = parse_date_hint(text, dayfirst=True)
        assert got is not None and got.date().isoformat() == want, text
    assert parse_date_hint("In 2025. 3 people came.", dayfirst=True) is None



def test_html_read_also_lines_rights_lines_and_sign_offs() -> None:
    art = page_article("<h1>Lyon wants a car-free Presqu’île by 2027</h1>" + story_html(2)
                + '<p>Lire aussi | <a href="/x">ZFE : les dérogations prolongées d’un an</a></p>'
                + "<p>Related: Englewood’s $1 lot program sold fewer parcels. Here’s why.</p>"
                + story_html(2) + "<p>JRC // SSS</p><p>Masz informacje o utrudnieniach? "
                "Napisz do nas: kontakt@gazeta.example</p><p>Copyright © Hangang Ilbo. All rights "
                "reserved.</p><p>Comments 14</p><p>A reader wrote that the tram is late again.</p>")
    body = art.body
    assert len(body) == 4 and all(p.startswith("The council") for p in body), body


def test_drupals_lead_field_is_the_dek() -> None:
    lead = "Міська рада затвердила проєкт реконструкції будівлі 1911 року на вулиці Промисловій."
    art = page_article("<h1>У Львові старий хлібозавод перетворять на культурний простір</h1>"
                f'<div class="field field--name-field-lead"><p>{lead}</p></div>'
                f'<div class="field--name-body">{story_html()}</div>',
                f'<meta name="description" content="{lead}">')
    assert lead not in art.body


def test_a_utc_metadata_time_printed_in_a_date_box_under_an_h3_headline() -> None:
    head = '<meta property="article:published_time" content="2025-03-12T22:12:05+00:00">'
    date = '<span class="num_date">2025. 3. 13. 07:12</span>'
    art = page_article('<h1 class="logo">Portal</h1>'
                       '<h3 class="tit_view">부산 북항에 수소 트램 달린다</h3>'
                       f'<span class="txt_info">입력 {date}</span>' + story_html(), head)
    assert day(art) == "2025-03-13"
