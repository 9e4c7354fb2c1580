"""Rules from blind batch ``zh`` (tests/fixtures/articles/zh*): related-link boxes of several
numbered headlines inside a story, lynx's ``[alt]`` image lines with a "Copyright:" credit,
German closing quotes, "Köln. Wer ..." local datelines, a Next.js page whose body is only in
its ``__NEXT_DATA__``.

Each test builds a small page of that shape and checks what the normaliser keeps.
"""

from __future__ import annotations

import json

import pytest

from tests.support.story import STORY
from worker.events.models import Source
from worker.normalise.article import normalise
from worker.normalise.cues import full_stop
from worker.normalise.html_embedded import app_body
from worker.normalise.meta import local_dateline

pytestmark = pytest.mark.timeout(120, method="thread")


def _text(text: str) -> list[str]:
    art = normalise(text.encode(), source=Source(kind="file", location="zh.txt"), kind="text")
    return list(art.body)


def _page(lines: list[str]) -> str:
    return "\n\n".join(["Home | News | Regional | Sport", "Council closes old swimming hall",
                        "By Jane Doe", "Tuesday, 7 Nov 2023 14:32", *lines,
                        "Tags: #council #pool", "Copyright © 2023 Example News. All rights "
                        "reserved."])


def test_a_related_box_of_numbered_headlines_inside_the_story_does_not_end_it() -> None:
    box = ["Read also:", "1. Council to vote on the pool budget\n2. Swimming clubs look for "
           "new halls\n3. School buses to run twice a week", "The clubs will move to these "
           "pools from September:", "• Riverside Leisure Centre\n• Northgate Baths\n"
           "• Hillview School Pool", "ADVERTISEMENT"]
    body = _text(_page([STORY[0], STORY[1], *box, STORY[2], STORY[3]]))
    assert body[:2] == STORY[:2]
    assert body[-2:] == STORY[2:]  # the story goes on under the box
    assert not any("Council to vote" in p or p == "Read also:" for p in body)
    assert "• Northgate Baths" in body  # the story's own list stays


def test_a_related_box_at_the_story_end_still_ends_it() -> None:
    box = ["Read also:", "1. Council to vote on the pool budget\n2. Swimming clubs look for "
           "new halls\n3. School buses to run twice a week"]
    body = _text(_page([*STORY, *box]))
    assert body == STORY


def test_a_lynx_image_with_a_copyright_credit_between_paragraphs() -> None:
    image = ("[Swimmers at the old hall]\nSwimmers at the old hall on Tuesday afternoon.\n"
             "Copyright: Peter Ostendorf")
    box = ["Mehr zum Thema", "* Pool budget: what the repairs would have cost the town\n"
           "* Swimming clubs look for new halls in the neighbouring towns"]
    body = _text(_page([STORY[0], STORY[1], *box, "Clubs move to Riverside", STORY[2], image,
                        STORY[3]]))
    assert body == [STORY[0], STORY[1], "Clubs move to Riverside", STORY[2], STORY[3]]


@pytest.mark.parametrize("line", ["„Wir wollen mehr Platz.“", "Er sagte: ‚Gut so.‘",
                                  "»Das reicht.«", "「来週から運行します。」"])
def test_a_sentence_closed_by_its_quote_marks_ends_with_a_stop(line: str) -> None:
    assert full_stop(line)


def test_a_german_local_dateline_before_a_question_word() -> None:
    para = ("Köln. Wer in Ehrenfeld oder Nippes wohnt und sein Auto auf der Straße abstellt, "
            "braucht dafür bald einen Bewohnerparkausweis.")
    assert local_dateline(para) == ("Köln", para[len("Köln. "):])
    # ... but not before a short paragraph, nor before a word no sentence opens with
    assert local_dateline("Köln. Wer hier parkt, zahlt bald mehr.")[0] is None
    assert local_dateline("Köln. Ehrenfeld und Nippes bekommen in diesem Sommer neue Zonen "
                          "für das Bewohnerparken, sagt die Stadtverwaltung.")[0] is None


def _next_page(body_html: str, preview: str) -> str:
    state = {"props": {"pageProps": {"story": {"headline": "Ferries to run until midnight",
                                               "body": body_html}}}}
    return (f"<html><head><title>Ferries to run until midnight</title></head><body>"
            f"<div id='__next'><nav><a href='/'>Home</a></nav><article><h1>Ferries to run "
            f"until midnight</h1><p>{preview}</p></article></div>"
            f"<script id='__NEXT_DATA__' type='application/json'>{json.dumps(state)}"
            f"</script></body></html>")


def test_a_nextjs_page_whose_body_is_only_in_its_page_state() -> None:
    body_html = "".join(f"<p>{p}</p>" for p in STORY)
    html = _next_page(body_html, STORY[0][:60] + "…")
    art = normalise(html.encode(), source=Source(kind="file", location="n.html"), kind="html")
    assert list(art.body) == STORY


def test_a_page_showing_its_whole_story_keeps_it_over_the_page_state() -> None:
    shown = [p + " " + p for p in STORY] * 3  # the page shows more than a preview
    state_body = "".join(f"<p>{p}</p>" for p in STORY[:3])
    assert app_body(_next_page(state_body, ""), [], shown) is None


def test_japanese_captions_related_links_and_paywall_lines_are_no_story() -> None:
    story = ["静岡県西部を走る第三セクターの赤石鉄道について、沿線の３町村と県は３日、来年３月末で"
             "全線を廃止し、バスに転換することで合意した。",
             "同日、赤石町役場で開かれた法定協議会で、廃止の方針が正式に確認された。鉄道の存続を"
             "求める声もあったが、復旧費の負担が重すぎると判断した。",
             "協議会の会長を務める赤石町の佐藤和夫町長は「地域の足を守るための苦渋の決断だ」と"
             "述べた。転換後のバスは約３０カ所に停留所を設ける予定だ。",
             "一方、沿線の住民団体は「鉄道がなくなれば町の衰退が進む」として、廃止の撤回を求める"
             "署名活動を続けている。会社の社員の雇用は維持されるという。"]
    text = "\n\n".join(["ニュース", "赤石鉄道、来春で全線廃止へ", "2025年4月3日 18時05分",
                        story[0], story[1],
                        "法定協議会で廃止方針を確認する沿線の首長ら＝2025年4月3日午後、静岡県赤石町、"
                        "山田健一撮影",
                        story[2], "【関連】ローカル線の再構築、国が支援拡充へ",
                        story[3], "この記事は有料記事です。残り６１２文字",
                        "有料会員になると続きをお読みいただけます。", "関連ニュース"])
    assert _text(text) == story


PRINT_PAGE = """  THE NAIROBI OBSERVER   Tuesday, June 10, 2025                     NEWS    3


  AGRICULTURE

  Tea farmers to get
  Sh3.1bn second
  payment by August

  BY WANJIKU MWANGI

     Small-scale  tea farmers in the East
  of    the Rift region    will receive a
  second  payment worth Sh3.1  billion by
  the   end of August,  the Highlands Tea
  Growers Agency has said.
     The  payment, commonly known  as the
  bonus,   will  be  shared  among  about
  210,000  growers delivering green  leaf
  to  27  factories in  Kiambu, Murang’a,
  Nyeri,   Kirinyaga,   Embu   and   Meru
  counties.
     Agency chief executive Daniel Kipro-
  tich said on Monday that the payout had
  been  delayed by two weeks as factories
  waited  for  proceeds from  the Mombasa
  auction,  where prices dropped  sharply
  in the first quarter of the year.
     “We  know farmers have  been waiting
  anxiously,  especially with school fees
  due  next month. I  want to assure them
  that  the money is  secured and will be
  in   their accounts before   the end of
  August,” he said.
     Farmers  will  be paid  between Sh18
  and  Sh27 per kilogramme  of green leaf


  Tea pickers at a farm in Kangema, Murang’a
  County. Farmers will be paid between Sh18
  and Sh27 per kilo. PHOTO | FILE


         “I want to assure them
          that the money is
          secured”
          DANIEL KIPROTICH, HTGA CHIEF
          EXECUTIVE


  delivered  over the year,  depending on
  the  performance of their factory. Last
  year,   the rates ranged   from Sh20 to
  Sh32.
"""


def test_a_print_page_with_a_wrapped_headline_a_picture_and_a_pull_quote() -> None:
    art = normalise(PRINT_PAGE.encode(), source=Source(kind="file", location="p.txt"),
                    kind="text")
    assert art.title == "Tea farmers to get Sh3.1bn second payment by August"
    body = list(art.body)
    assert "Farmers will be paid between Sh18 and Sh27 per kilogramme of green leaf delivered "\
        "over the year, depending on the performance of their factory. Last year, the rates "\
        "ranged from Sh20 to Sh32." in body  # one paragraph again, the picture cut out
    assert not any("PHOTO" in p or "CHIEF" in p or p.startswith('"I want') for p in body)
    assert len(body) == 5


def test_a_story_that_jumps_to_another_page_is_followed_there() -> None:
    text = PRINT_PAGE + """
  Turn to Page 6


  IN BRIEF

  KISII
  Motorists warned over
  bridge repairs

     Motorists using the Kisii-Kilgoris road have been asked to use alternative
  routes from Thursday to allow repairs on the Gucha bridge, officials said.

  3                      THE NAIROBI OBSERVER  |  www.nairobiobserver.example
  6    NEWS                        THE NAIROBI OBSERVER   Tuesday, June 10, 2025

  From Page 3

  Farmers decry rising
  costs as bonus drops

     She asked the Ministry of Agricul-
  ture to speed up the review of the tea
  regulations, which farmers say would
  allow them to sell part of their pro-
  duce directly to buyers, after public partici-
  pation in every county.

  TRANSPORT

  Matatu operators threaten
  strike over new fees

  BY OTIENO ODHIAMBO

     Matatu owners in Nairobi have threatened to pull their vehicles off the road
  next week if the county goes ahead with new parking and loading fees.
"""
    body = list(normalise(text.encode(), source=Source(kind="file", location="p.txt"),
                          kind="text").body)
    assert body[-1] == ("She asked the Ministry of Agriculture to speed up the review of the "
                        "tea regulations, which farmers say would allow them to sell part of "
                        "their produce directly to buyers, after public participation in every "
                        "county.")
    assert not any("Motorists" in p or "Matatu" in p or "Page" in p for p in body)


def test_a_place_set_apart_from_the_lead_by_css_only_is_the_dateline() -> None:
    lead = ("Sở Giao thông Vận tải dự kiến đưa 120 xe buýt điện vào vận hành trên 5 tuyến "
            "nội đô từ ngày 1/7, thay thế dần các xe chạy dầu diesel đã khai thác hơn 10 năm.")
    rest = "".join(f"<p>{p}</p>" for p in STORY)
    html = (f"<html><head><title>Xe buýt điện</title></head><body><article><h1>Hà Nội thí "
            f"điểm xe buýt điện</h1><p><span class='location-stamp'>Hà Nội</span>{lead}</p>"
            f"{rest}</article></body></html>")
    art = normalise(html.encode(), source=Source(kind="file", location="v.html"), kind="html")
    assert art.dateline == "Hà Nội"
    assert art.body[0] == lead


def test_a_links_dump_sidebar_drawn_with_box_characters_is_no_story() -> None:
    box = ("┌─────┬──────────────────────────────┐\n│     │ LES PLUS LUS                 │\n"
           "├─────┼──────────────────────────────┤\n│ 1.  │ Tempête : alerte orange sur  │\n"
           "│     │ toute la Belgique pour jeudi │\n└─────┴──────────────────────────────┘")
    body = _text(_page([*STORY, box]))
    assert body == STORY


def test_photo_credit_lines_in_more_languages() -> None:
    from worker.normalise.html_notes import drop_page_notes

    paras = [*STORY[:2],
             "3月4日，农民在江苏省泰州市一处农田驾驶农机作业。新华社发（陈立新摄）",
             "21일 오전 서울 노원구의 아파트에서 직원이 계량기를 교체하고 있다. [사진=예시일보]",
             *STORY[2:], "홍길동 기자 hong@example.com",
             "이 기사는 언론사에서 사회 섹션으로 분류했습니다."]
    assert drop_page_notes(paras) == STORY
    caption = "صورة أرشيفية لأحد الأسواق الشعبية في القاهرة (تصوير: أحمد فتحي)"
    assert _text(_page([STORY[0], STORY[1], caption, STORY[2], STORY[3]])) == STORY


def test_a_list_item_wrapped_under_its_marker_is_one_item() -> None:
    items = ("As amended Thursday, the bill would:\n\n"
             "  * Limit annual rate increases to 9% unless the utility commission\n"
             "    approves a larger increase after a public review.\n"
             "  * Allow customers to request a payment plan of up to 12 months,\n"
             "    without late fees, when a bill rises by more than 15%.\n"
             "  * Exempt increases tied directly to federal or state environmental\n"
             "    orders, such as lead service line replacement mandates.")
    body = _text(_page([STORY[0], STORY[1], items, STORY[2], STORY[3]]))
    assert "Allow customers to request a payment plan of up to 12 months, without late " \
        "fees, when a bill rises by more than 15%." in body
    # a comment's header over its text is not one item with it
    from worker.normalise.wrap import hangs_under_item

    comment = [" * M9031877 • 12/03/2025 à 10:05", "   Enfin une valeur française qui monte."]
    assert not hangs_under_item(comment, 1)


def test_a_crosshead_in_capitals_is_kept_and_an_ad_label_in_capitals_is_not() -> None:
    body = _text(_page([STORY[0], STORY[1], "WHO WILL PAY FOR IT?", STORY[2],
                        "SCROLL TO CONTINUE WITH CONTENT", STORY[3]]))
    assert body == [STORY[0], STORY[1], "WHO WILL PAY FOR IT?", STORY[2], STORY[3]]


def test_a_kicker_the_metadata_puts_before_the_headline_the_page_sets_apart() -> None:
    from worker.normalise.html_parse import parse_page, unkicked

    page = parse_page("<html><body><article><header><h2><span>Gesundheitsversorgung</span>"
                      "<span>Kreistag stoppt Klinik-Fusion nach Marathonsitzung</span></h2>"
                      "</header><p>Text.</p></article></body></html>")
    title = "Gesundheitsversorgung: Kreistag stoppt Klinik-Fusion nach Marathonsitzung"
    assert unkicked(title, page) == "Kreistag stoppt Klinik-Fusion nach Marathonsitzung"
    # a headline with a colon of its own, shown whole, keeps it
    whole = parse_page("<html><body><h1>Grève du 28 mars : les écoles seront fermées</h1>"
                       "</body></html>")
    assert unkicked("Streik: Schulen bleiben am Donnerstag geschlossen", whole) is None
