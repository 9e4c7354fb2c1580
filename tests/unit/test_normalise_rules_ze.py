"""Normaliser rules added for what batch zd left and for blind batch ze: each fires on its
case and leaves the look-alike alone (tests/fixtures/articles/README.md lists the batches)."""

from __future__ import annotations

from tests.support.articles import STORY, story_html
from worker.events.models import Source
from worker.normalise.article import normalise
from worker.normalise.cues import strong_match
from worker.normalise.meta import local_dateline
from worker.normalise.page_notes import is_pitch
from worker.normalise.textfix import rejoin_markdown_links

SRC = Source(kind="file", location="/t/page")


def _page(head: str, article: str) -> bytes:
    return f"<html><head>{head}</head><body><main>{article}</main></body></html>".encode()


def test_loose_first_paragraphs_before_the_ps_of_a_div() -> None:
    lead = ("<b>Tomsk will get twenty new low-floor trams by the end of the year, the city "
            "said.</b><br />\n<br />\nThe first five are due in June, the rest by December."
            "<br />\n<br />\n")
    also = '<div class="read-also"><span>Read also:</span> <a href="/b">Bus timetable</a></div>'
    page = (f'<html><body><div class="news-detail"><h1>Tomsk gets new trams</h1><div class="'
            f'news-detail-text">\n{lead}{also}\n{STORY}After the box.<br />\n<br />\n'
            f"{story_html()}</div></div></body></html>")
    art = normalise(page.encode(), source=SRC, kind="html")
    assert art.body[0].startswith("Tomsk will get twenty new low-floor trams")
    assert art.body[1] == "The first five are due in June, the rest by December."
    # a <br> body with blocks between its runs is trafilatura's to read, as before
    mixed = (f'<div class="text">{STORY}<br><br><div class="ad">Ad</div>{STORY}Two.<br><br>'
             f"{STORY}Three.<br><br>{STORY}Four.</div>")
    art = normalise(_page("", f"<h1>Tomsk gets new trams</h1>{mixed}"), source=SRC, kind="html")
    assert any(p.endswith("Four.") for p in art.body)


def test_an_h1_heading_the_tab_title_beats_an_og_rewording() -> None:
    head = ('<title>Twenty new trams for Tomsk by December — News — Tomsk Herald</title>'
            '<meta property="og:title" content="Tomsk to get low-floor trams: first in June">')
    art = normalise(_page(head, '<h1 class="news-title">Twenty new trams for Tomsk by December'
                                f"</h1>{story_html()}"), source=SRC, kind="html")
    assert art.title == "Twenty new trams for Tomsk by December"
    head = head.replace("Twenty new trams for Tomsk by December — ", "")
    art = normalise(_page(head, '<h1 class="news-title">Twenty new trams for Tomsk by December'
                                f"</h1>{story_html()}"), source=SRC, kind="html")
    assert art.title == "Tomsk to get low-floor trams: first in June"


def test_a_headline_second_clause_of_two_lower_case_words_after_a_dash() -> None:
    def title(line: str) -> str:
        text = f"Menu\n\n{line}\n\n2024-09-18 14:37\n\n" + "\n\n".join(
            f"{STORY}Paragraph {k}." for k in range(4))
        return normalise(text.encode(), source=SRC, kind="text").title
    assert title("Sodininkai skaičiuoja nuostolius: obuolių derlius – perpus mažesnis") \
        == "Sodininkai skaičiuoja nuostolius: obuolių derlius – perpus mažesnis"
    assert title("Apple harvest halves after the May frosts | heise online") \
        == "Apple harvest halves after the May frosts"


def test_a_markdown_h1_wrapped_onto_a_capitalised_word() -> None:
    text = ("# Donostiak ez du turismo-etxebizitza berririk baimenduko Alde Zaharrean eta\n"
            "Erdialdean\n\nAne Zubiri | 2024ko azaroaren 20a, 12:14\n\n"
            + "\n\n".join(f"{STORY}Paragraph {k}." for k in range(4)))
    assert normalise(text.encode(), source=SRC, kind="text").title == (
        "Donostiak ez du turismo-etxebizitza berririk baimenduko Alde Zaharrean eta Erdialdean")


def test_a_link_inside_a_wrapped_sentence_is_its_text() -> None:
    text = ("arazoa ez da turismo-alokairua, etxebizitza publikoaren\neskasia baizik. "
            "[Helegitea aurkezteko\naukera](https://site.example/2024/11/18/a-long-slug)\n"
            "aztertzen ari direla jakinarazi dute.")
    assert "baizik. Helegitea aurkezteko aukera\naztertzen" in rejoin_markdown_links(text)
    for kept in ("Etiketak: [Etxebizitza](/e/) [Turismoa](/t/)",
                 "[Gipuzkoa](/g/) › [Donostia](/d/)", "Read this. [Next story](/n/)\nMore"):
        assert rejoin_markdown_links(kept) == kept


def test_baltic_agency_datelines_read_also_and_rights_lines() -> None:
    rest = ("Gegužės pradžios šalnos Lietuvos soduose padarė daugiau žalos, nei tikėtasi: šių "
            "metų obuolių derlius bus maždaug perpus mažesnis nei įprastai.")
    assert local_dateline(f"Vilnius, rugsėjo 18 d. (ELTA). {rest}") == ("Vilnius", rest)
    assert local_dateline(f"Vilnius, rugsėjo 18 d. {rest}")[0] is None
    for line, hit in (("Visos teisės saugomos. Kopijuoti ELTA informaciją draudžiama.", True),
                      ("Visos teisės aktų nuostatos galioja nuo rugsėjo.", False)):
        words = line.lower().replace(".", "").split()
        assert strong_match(line, len(words), frozenset(words)) is hit, line
    text = (f"Headline about apples in Lithuania today\n\n{STORY}One.\n\nTaip pat skaitykite: "
            f"Ūkininkai ragina peržiūrėti draudimo taisykles\n\n{STORY}Two.\n\n{STORY}Three.")
    body = normalise(text.encode(), source=SRC, kind="text").body
    assert not any("skaitykite" in p for p in body) and len(body) == 3


def test_a_follow_us_pitch_in_russian() -> None:
    pitch = "Подписывайтесь на «Томский вестник» в Telegram и VK, чтобы первыми узнавать новости."
    assert is_pitch(pitch, pitch.count(" "))
    prose = "Мэрия подписала контракт с заводом, сообщила пресс-служба в Telegram."
    assert not is_pitch(prose, prose.count(" "))
