"""HTML pages of blind batch ``zb`` (big-publisher page shapes): a list the story introduces
with a colon on a page without a story container, credit and source lines under the story,
Chinese caption and editor marks, a channel pitch with its link.

Each test builds a small page of that shape and checks what the normaliser keeps; the
labelled fixtures are tests/fixtures/articles/zb13-zb24*.html.
"""

from __future__ import annotations

import pytest

from worker.events.models import Source
from worker.normalise.article import normalise_html
from worker.normalise.html_labels import LABEL_PARA_RE
from worker.normalise.html_notes import drop_page_notes
from worker.normalise.page_notes import is_pitch

pytestmark = pytest.mark.timeout(120, method="thread")

SRC = Source(kind="file", location="zb.html")
STORY = [
    "The city council voted on Tuesday to close the old swimming hall at the end of the "
    "summer, after an inspection found cracks in the roof over the main pool.",
    "Repairs would have cost more than the building is worth, the council's property "
    "manager said, and a new hall is already being built next to the school.",
    "Swimming clubs will train in the neighbouring town until the new hall opens, and the "
    "council will pay for the buses that take pupils there twice a week.",
    "The new hall will have a 25-metre pool with six lanes and a teaching pool with a "
    "floor that can be raised and lowered for younger children.",
]


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
