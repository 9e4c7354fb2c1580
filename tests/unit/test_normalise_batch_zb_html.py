"""HTML pages of blind batch ``zb`` (big-publisher page shapes): a list the story introduces
with a colon on a page without a story container, credit and source lines under the story,
Chinese caption and editor marks, a channel pitch with its link.

Each test builds a small page of that shape and checks what the normaliser keeps; the
labelled fixtures are tests/fixtures/articles/zb13-zb24*.html.
"""

from __future__ import annotations

import pytest

from tests.support.story import STORY
from worker.events.models import Source
from worker.normalise.article import normalise_html
from worker.normalise.html_labels import LABEL_PARA_RE
from worker.normalise.html_notes import drop_page_notes
from worker.normalise.page_notes import is_pitch

pytestmark = pytest.mark.timeout(120, method="thread")

SRC = Source(kind="file", location="zb.html")


def _page(body: str, head: str = "", h1: str = "Council closes old swimming hall",
          wrap: str = "div") -> str:
    return (f"<html><head><title>{h1}</title>{head}</head><body><nav><a href='/'>Home</a>"
            f"</nav><h1>{h1}</h1><{wrap} class='read'><div class='clearfix'>{body}</div>"
            f"</{wrap}><footer>Footer</footer></body></html>")


def _story(extra: str = "", at: int = 2) -> str:
    paras = [f"<p>{p}</p>" for p in STORY]
    paras.insert(at, extra)
    return "".join(paras)


def _body(html: str) -> list[str]:
    body = normalise_html(html, source=SRC).body
    return body.split("\n\n") if isinstance(body, str) else list(body)


# --- a list the story introduces with a colon ---------------------------------------------

LEAD = "<p>The clubs will move to these three pools from September:</p>"
ITEMS = ["Riverside Leisure Centre", "Northgate Baths", "Hillview School Pool"]


@pytest.mark.parametrize("wrap", ["div", "article"])
def test_a_list_after_a_colon_lead_in_is_kept(wrap: str) -> None:
    ul = "<ul>" + "".join(f"<li>{t}</li>" for t in ITEMS) + "</ul>"
    body = _body(_page(_story(LEAD + ul), wrap=wrap))
    for item in ITEMS:
        assert item in body
    assert body.index(ITEMS[0]) < body.index(STORY[2])


@pytest.mark.parametrize("ul", [
    # a list of links is a related box, not the story's
    "<ul>" + "".join(f"<li><a href='/x{k}'>{t}</a></li>" for k, t in enumerate(ITEMS)) + "</ul>",
    # no colon lead-in over it
    "<p>The clubs have not said where they will train in the meantime.</p><ul>"
    + "".join(f"<li>{t}</li>" for t in ITEMS) + "</ul>",
])
def test_a_list_without_the_lead_in_or_of_links_is_not_made_paragraphs(ul: str) -> None:
    from worker.normalise.html_lists import lists_as_paragraphs
    from worker.normalise.html_parse import parse_page

    root = parse_page(_page(_story(ul)))
    lists_as_paragraphs(root)
    assert root.find(".//ul") is not None


# --- credit and source lines under the story ----------------------------------------------

@pytest.mark.parametrize("line", [
    "Penulis : Nabila Putri | Editor : Dimas Prasetyo",
    "Pewarta: Budi Santoso",
    "المصدر : الجزيرة + وكالات",
])
def test_credit_and_source_lines_are_labels(line: str) -> None:
    assert LABEL_PARA_RE.match(line)


@pytest.mark.parametrize("line", [
    "Editor : the paper's editor said the decision was final",
    "Penulis buku itu mengatakan: Jakarta tidak siap.",
    "المصدر الذي تحدث للجزيرة قال إن المفاوضات ستستأنف غدا في الدوحة بعد توقف دام أسبوعين",
])
def test_story_lines_with_those_words_are_not_labels(line: str) -> None:
    assert not LABEL_PARA_RE.match(line)


# --- Chinese caption paragraphs and editor marks ------------------------------------------

ZH = ["记者从浙江省农业农村厅获悉，浙江今年将启动100个建设项目，首批30个项目计划年内完工。",
      "据介绍，项目将统一规划村内道路、污水处理和公共空间，并建设文化礼堂。",
      "浙江省农业农村厅有关负责人表示，今年的项目将更多向山区和海岛县倾斜。",
      "截至2024年底，浙江已累计建成1200余个。"]


@pytest.mark.parametrize("note", [
    "这是4月17日拍摄的浙江省湖州市安吉县一处乡村景色（无人机照片）。新华社记者 陈刚 摄",
    "游客在景区参观（记者 张三 摄）",
    "【纠错】【责任编辑:王芳】",
    "扫一扫在手机打开当前页",
])
def test_chinese_caption_and_editor_marks_are_dropped(note: str) -> None:
    lines = [*ZH[:2], note, *ZH[2:]]
    assert drop_page_notes(lines) == ZH


@pytest.mark.parametrize("line", [
    "记者在现场看到，工人们正在拍摄宣传片。",
    "【新闻背景】",
    "扫码支付在农村地区已经普及，村民买菜也不用带现金。",
])
def test_chinese_story_lines_like_them_stay(line: str) -> None:
    lines = [*ZH[:2], line, *ZH[2:]]
    assert drop_page_notes(lines) == lines


# --- a messaging channel's pitch with its link --------------------------------------------

def test_channel_pitch_with_its_link_is_a_pitch() -> None:
    line = ("Simak breaking news dan berita pilihan kami langsung di ponselmu. Pilih saluran "
            "andalanmu akses berita Kompas.com WhatsApp Channel : https://wa.example/channel/x. "
            "Pastikan kamu sudah install aplikasi WhatsApp ya.")
    assert is_pitch(line, line.count(" "))


def test_story_about_a_channel_is_no_pitch() -> None:
    line = ("The ministry said its WhatsApp channel had reached two million followers, and its "
            "report is online at https://gov.example/report.")
    assert not is_pitch(line, line.count(" "))


# --- a story split over sibling containers of one body class ------------------------------

JA_TITLE = "北陸新幹線\u3000大雪で始発から一部運休\u3000金沢―敦賀間"
JA = ["北陸地方を中心に降り続く大雪の影響で、JR西日本は5日、"
      "北陸新幹線の一部の列車の運転を取りやめています。",
      "JR西日本によりますと、5日は北陸新幹線の金沢と敦賀の間で、上下合わせて24本の列車が運休しました。",
      "福井県内では4日夜から雪が強まり、5日午前5時の積雪は、福井市で38センチとなっています。",
      "JR西日本は、線路の除雪作業に時間がかかっているためだとしていて、運転の再開は午前10時ごろの見通しです。",
      "金沢駅では、運休を知らせる掲示を見た利用者が、振り替えについて駅員に尋ねる姿が見られました。"]


def _ja_page(inner: str) -> str:
    ld = ('<script type="application/ld+json">{"@type": "NewsArticle", "headline": "'
          + JA_TITLE + '", "datePublished": "2025-03-05T06:15:00+09:00"}</script>')
    return (f"<html lang='ja'><head><title>{JA_TITLE} | NHK</title>{ld}</head><body>"
            f"<nav><a href='/'>ホーム</a></nav><main><article class='detail'><section>"
            f"<header><h1 class='content--title'><span>{JA_TITLE}</span></h1></header>"
            f"<div class='detail-body'><p class='content--summary'>{JA[0]}</p>{inner}"
            f"</div></section></article></main><footer>NHK</footer></body></html>")


SPLIT = (f"<div class='more'><div class='body-text'><p>{JA[1]}<br><br>{JA[2]}</p></div>"
         f"<section class='sect'><h2>除雪作業に時間</h2><div class='body-text'><p>{JA[3]}"
         f"<br><br>{JA[4]}</p></div></section></div>")


def test_a_story_split_over_sibling_body_containers_is_read_whole_and_in_order() -> None:
    art = normalise_html(_ja_page(SPLIT), source=SRC)
    body = art.body.split("\n\n") if isinstance(art.body, str) else list(art.body)
    assert [b for b in body if b in JA] == JA
    assert art.title == JA_TITLE  # the headline keeps its ideographic spaces


def test_one_body_container_or_far_apart_ones_are_not_split_stories() -> None:
    from worker.normalise.html_parse import parse_page
    from worker.normalise.html_split import headline_after_story, split_containers

    one = f"<div class='body-text'><p>{JA[1]}</p><p>{JA[2]}</p></div>"
    assert split_containers(parse_page(_ja_page(one))) == []
    far = ("<div><div><div><div class='body-text'><p>x</p></div></div></div></div>"
           "<aside><div><div><div class='body-text'><p>y</p></div></div></div></aside>")
    assert split_containers(parse_page(_ja_page(far))) == []
    # the headline first, or repeated only after short kicker lines: no symptom
    assert not headline_after_story(f"{JA_TITLE}\n{JA[0]}\n{JA[1]}", JA_TITLE)
    assert not headline_after_story(f"ニュース\n{JA_TITLE}\n{JA[0]}", JA_TITLE)
    assert headline_after_story(f"{JA[1]}\n{JA_TITLE}\n{JA[0]}", JA_TITLE)


# --- boxes in and around the story ---------------------------------------------------------

SIGNUP = ("<div data-component='{name}'><p>Sign up to Ledger Scotland</p><p>Free weekly "
          "newsletter</p><p>Get the best of Scottish news, politics and culture from our team "
          "in Edinburgh and Glasgow, every Friday</p><form><label>Enter your email address"
          "</label><input type='email'><button>Sign up</button></form><p><strong>Privacy "
          "Notice: </strong>Newsletters may contain info about charities, online ads, and "
          "content funded by outside parties. For more information see our Privacy Policy. We "
          "use Google reCaptcha to protect our website and the Google Privacy Policy and Terms "
          "of Service apply.</p></div>")


def test_a_named_newsletter_box_goes_with_its_privacy_notice() -> None:
    body = _body(_page(_story(SIGNUP.format(name="newsletter-signup")), wrap="article"))
    assert body == STORY


def test_an_unnamed_long_box_with_an_email_form_is_not_dropped_whole() -> None:
    body = _body(_page(_story(SIGNUP.format(name="story-tools")), wrap="article"))
    assert any("Privacy Notice" in b for b in body)


KEY = ("<div class='{cls}'><h2>Najważniejsze informacje</h2><ul><li>Ponad 1200 interwencji "
       "straży pożarnej.</li><li>Około 38 tys. odbiorców bez prądu.</li><li>Ostrzeżenia "
       "trzeciego stopnia do północy.</li></ul></div>")


def test_a_key_points_box_named_by_its_class_goes() -> None:
    body = _body(_page(_story(KEY.format(cls="key-points")), wrap="article"))
    assert body == STORY


def test_a_list_box_with_another_class_stays() -> None:
    body = _body(_page(_story(KEY.format(cls="facts-list")), wrap="article"))
    assert any("1200" in b for b in body)


RELATED = ("<div><h2>More on this story</h2><ul>"
           "<li><a href='/a'>Reservoir solar plan sparks row with anglers</a><span>Published"
           "<span class='visually-hidden'>2 October 2024</span></span></li>"
           "<li><a href='/b'>Why are solar farms springing up on Welsh farmland?</a><span>"
           "Published<span class='visually-hidden'>14 August 2024</span></span></li>"
           "</ul></div>")


def test_a_related_list_with_dates_beside_its_links_goes() -> None:
    body = _body(_page(_story(RELATED), wrap="article"))
    assert body == STORY


def test_dated_links_needs_one_link_and_a_short_label_per_item() -> None:
    from worker.normalise.html_lists import dated_links
    from worker.normalise.html_parse import parse_page

    root = parse_page(f"<html><body>{RELATED}</body></html>")
    assert dated_links(root.find(".//div"))
    long = RELATED.replace("Published", "The council said the decision was final and that ")
    root = parse_page(f"<html><body>{long}</body></html>")
    assert not dated_links(root.find(".//div"))


# --- a wire's closing lines, the zone of an update line, the outlet's bare credit ----------

FUNDER = ("<p><i>The Associated Press receives support from the Walton Family Foundation for "
          "coverage of water and environmental policy. The AP is solely responsible for all "
          "content.</i></p>")


def test_a_funder_disclosure_closing_the_story_goes() -> None:
    body = _body(_page(_story(FUNDER, at=4), wrap="article"))
    assert body == STORY


def test_a_story_sentence_about_support_stays() -> None:
    line = ("<p>The museum receives support from the city, its director said, but the board "
            "is solely responsible for all content shown in the galleries.</p>")
    body = _body(_page(_story(line, at=2), wrap="article"))
    assert len(body) == 5


def _dated(printed: str) -> str:
    head = '<meta property="article:published_time" content="2025-05-15T00:05:11.000Z">'
    return (f"<html><head><title>Utah orders water releases</title>{head}</head><body>"
            f"<article><div class='headline'><h1>Utah orders water releases</h1></div>"
            f"<div class='byline'><div class='authors'>By SAM WHITAKER</div><div>"
            f"<span>{printed}</span></div></div>" + _story() + "</article></body></html>")


def test_an_update_line_naming_its_zone_gives_the_page_zone() -> None:
    art = normalise_html(_dated("Updated 10:22 PM EDT, May 14, 2025"), source=SRC)
    assert art.published_at is not None and art.published_at.day == 14


@pytest.mark.parametrize("printed", [
    "Updated May 16, 2025",                 # no time, no zone: no zone to take
    "Updated 10:22 PM EDT, May 12, 2025",   # before the publication: not this story's update
])
def test_an_update_line_without_a_zone_or_earlier_is_not_the_zone(printed: str) -> None:
    art = normalise_html(_dated(printed), source=SRC)
    assert art.published_at is not None and art.published_at.day == 15


def test_the_outlet_name_alone_before_the_dash_is_no_dateline() -> None:
    from worker.normalise.html_notes import drop_outlet_credit

    para = "WNN — Fog rolling over mountain peaks is carrying tiny fragments of plastic far."
    assert drop_outlet_credit(para, "WNN").startswith("Fog rolling")
    assert drop_outlet_credit("BERLIN — " + para[6:], "WNN").startswith("BERLIN")
    assert drop_outlet_credit("WNN — Short one.", "WNN").startswith("WNN")


def test_a_sign_up_pitch_for_a_newsletter_is_a_pitch() -> None:
    line = ("Sign up for WNN’s Wonder Theory science newsletter. Explore the universe with news "
            "on fascinating discoveries, scientific advancements and more.")
    assert is_pitch(line, line.count(" "))
    story = ("Sign up for the free swimming courses opened on Monday, the council said, and "
             "places are limited.")
    assert not is_pitch(story, story.count(" "))
