"""Normaliser rules added for blind batch zc: each fires on its case and leaves the
look-alike alone (tests/fixtures/articles/README.md lists the batch and its scores)."""

from __future__ import annotations

from tests.support.articles import STORY, story_html
from worker.events.models import Source
from worker.normalise.article import normalise
from worker.normalise.cues import SHORT_CUE_RE, strong_match
from worker.normalise.dates import parse_date_hint
from worker.normalise.html_layout import join_drop_caps
from worker.normalise.html_parse import parse_page
from worker.normalise.meta import split_dateline
from worker.normalise.page_notes import is_pitch, platform_pitch

SRC = Source(kind="file", location="/t/page")


def test_a_drop_cap_goes_back_into_its_word() -> None:
    root = parse_page('<html><body><p class="x"><span class="dropcap" aria-hidden="true">ה'
                      "</span>בוקר שבו נפתח הבור</p><p><b>A</b> word apart</p>"
                      "<p><span>Ab</span>c <i>d</i></p></body></html>")
    join_drop_caps(root)
    texts = [p.text_content() for p in root.iter("p")]
    assert texts[0] == "הבוקר שבו נפתח הבור"
    assert root.find(".//p/span[@class='dropcap']") is None
    assert [len(p) for p in root.iter("p")][1:] == [1, 1]  # a bold word, a second letter
    page = (f'<html><head><title>T</title></head><body><article><h1>Flood plan</h1><p>'
            f'<span class="dropcap" aria-hidden="true">T</span>he council met. {STORY}</p>'
            f"{story_html()}</article></body></html>")
    assert normalise(page.encode(), source=SRC, kind="html").body[0].startswith("The council")


def _dump(lines: list[str]) -> bytes:
    body = "\n\n".join([*lines, *(f"{STORY}Paragraph {k}." for k in range(5))])
    return body.encode()


def test_a_labelled_date_line_or_a_credit_with_rights_is_no_title() -> None:
    head = "A Marseille, quarante cours d’école vont être transformées en oasis"
    fr = _dump([head, "Article réservé aux abonnés",
                "Publié le 04 février 2025 à 18h12, modifié le 05 février 2025 à 07h30",
                "Temps de Lecture 3 min."])
    assert normalise(fr, source=SRC, kind="text").title == head
    it = _dump(["Roma, in servizio i primi 40 bus elettrici del Giubileo", "Redazione ANSA",
                "Foto: I nuovi autobus elettrici presentati in piazza - RIPRODUZIONE RISERVATA"])
    assert normalise(it, source=SRC, kind="text").title.startswith("Roma, in servizio")


def test_tag_lines_ad_labels_and_share_buttons_in_more_languages() -> None:
    for line in ("Tagi: powódź Opole Odra", "Etiketler: Marmara, müsilaj", "Ετικέτες: σεισμός"):
        assert SHORT_CUE_RE.search(line), line
    assert not SHORT_CUE_RE.search("Tagliamento river floods again")
    for label in ("Διαφήμιση", "Quảng cáo", "PUBLICITATE"):
        assert strong_match(label, 1), label
    assert not strong_match("Quảng cáo sai sự thật bị phạt nặng theo luật mới", 11)


def test_platform_pitches_and_page_notes() -> None:
    pitches = ("Receba notícias do Diário do Norte no seu WhatsApp. Clique aqui e entre no canal.",
               "Polub nas na Facebooku i bądź na bieżąco z informacjami z regionu!",
               "Son dakika gelişmeler için Google News üzerinden bizi takip edin.")
    for line in pitches:
        assert platform_pitch(line, line.count(" ")), line
    story = "The minister said WhatsApp groups helped volunteers follow the flood on Facebook."
    assert not platform_pitch(story, story.count(" "))
    for note in ("Επιμέλεια: Ελένη Παππά", "/ritzau/", "제보는 카카오톡 okjebo",
                 "<저작권자(c) 한빛뉴스, 무단 전재-재배포 금지>", "請繼續往下閱讀...",
                 "不用抽 不用搶 現在用APP看新聞 點我下載APP"):
        assert is_pitch(note, note.count(" ")), note
    for prose in ("民眾可下載APP查詢路口的違規紀錄。", "Edited by: the board of the cooperative, "
                  "which met on Tuesday.", "/ Not a sign-off but a line about x / y and more"):
        assert not is_pitch(prose, prose.count(" ")), prose


def test_hebrew_months_and_taiwanese_datelines() -> None:
    got = parse_date_hint("12 במרץ 2025", dayfirst=True)
    assert got is not None and got.date().isoformat() == "2025-03-12"
    assert parse_date_hint("3 בדצמבר 2024", dayfirst=True) is not None
    lede = "台中市政府昨（14）日宣布，全市首批50處「AI智慧路口」正式啟用。"
    assert split_dateline(f"〔記者蔡淑媛／台中報導〕{lede}") == ("台中", lede)
    assert split_dateline(f"（中央社記者林長順台北14日電）{lede}") == ("台北", lede)
    assert split_dateline(f"〔編輯部〕{lede}") == (None, f"〔編輯部〕{lede}")


def test_a_bare_date_time_element_gives_the_page_s_day() -> None:
    page = ('<html><head><meta property="article:published_time" content="2025-03-11T22:30:00Z">'
            "</head><body><article><h1>The vanishing ground of the Dead Sea shore</h1>"
            '<div class="meta"><time datetime="2025-03-12">12 March 2025</time></div>'
            f"{story_html()}</article></body></html>")
    art = normalise(page.encode(), source=SRC, kind="html")
    assert art.published_at is not None and art.published_at.date().isoformat() == "2025-03-12"
    # the same instant when the page shows the UTC day
    same = page.replace('"2025-03-12">12 March', '"2025-03-11">11 March')
    art = normalise(same.encode(), source=SRC, kind="html")
    assert art.published_at is not None and art.published_at.date().isoformat() == "2025-03-11"


def test_a_tool_header_title_loses_the_site_name_it_repeats() -> None:
    text = ("---\ntitle: Malmö förbjuder mobiler under hela skoldagen | Sydsvenska Nyheter\n"
            "sitename: Sydsvenska Nyheter\ndate: 2025-01-20\n---\n").encode() + _dump([])
    art = normalise(text, source=SRC, kind="text")
    assert art.title == "Malmö förbjuder mobiler under hela skoldagen"
    assert art.site_name == "Sydsvenska Nyheter"


def test_an_address_alone_on_a_line_is_no_story_text() -> None:
    page = (f"<html><body><article><h1>Busan port opens a new terminal</h1>{story_html()}"
            "<p>jieun@hanbitnews.example</p></article></body></html>")
    body = normalise(page.encode(), source=SRC, kind="html").body
    assert "jieun@hanbitnews.example" not in body and len(body) == 4


def test_a_funding_credit_a_site_catch_line_and_an_arabic_sign_off_close_no_story() -> None:
    funded = ("This story was produced by Ellie Thwaite, who is funded by the Local Democracy "
              "Reporting Service, a partnership between the BBC and local news organisations.")
    catch = ("Get Current Updates on India News, Mumbai News, Business News along with Latest "
             "News and Top Headlines from India and around the world.")
    for last in (funded, catch, "م ع / س ح"):
        page = (f"<html><body><article><h1>Bridge repairs to start in spring</h1>{story_html()}"
                f"<p>{last}</p></article></body></html>")
        assert normalise(page.encode(), source=SRC, kind="html").body[-1] != last, last
    assert is_pitch("م ع / س ح", 4)
    # a story's own last paragraph about funding stays
    own = ("This project was funded by the regional council, which approved a grant of two "
           "million euros for the work on the river banks last year.")
    page = (f"<html><body><article><h1>Bridge repairs to start in spring</h1>{story_html()}"
            f"<p>{own}</p></article></body></html>")
    assert normalise(page.encode(), source=SRC, kind="html").body[-1] == own
