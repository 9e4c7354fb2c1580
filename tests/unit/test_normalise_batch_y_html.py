"""Blind batch y, HTML pages: data tables beside a story, press-contact lines, captions."""

from __future__ import annotations

import lxml.html

from worker.normalise.html_layout import prepare_tree
from worker.normalise.html_notes import drop_page_notes

_STORY = "<p>" + "The home side won the match after a late goal before a big crowd. " * 3 + "</p>"


def _text(html: str) -> str:
    root = lxml.html.fromstring(html)
    prepare_tree(root)
    return " ".join(root.text_content().split())


def test_standings_and_stats_tables_under_a_heading_go() -> None:
    page = (f"<html><body><div class='body'>{_STORY}<h2>League table</h2>"
            "<table class='standings'><tr><td>1.</td><td>Ferencvaros</td><td>53</td></tr>"
            "<tr><td>2.</td><td>Puskas</td><td>47</td></tr></table><h2>Stats</h2>"
            "<table><tr><th>A</th><th></th><th>B</th></tr><tr><td>54%</td><td>Possession</td>"
            "<td>46%</td></tr><tr><td>17</td><td>Shots</td><td>9</td></tr></table>"
            "</div></body></html>")
    text = _text(page)
    assert "Ferencvaros" not in text and "Possession" not in text and "Stats" not in text
    assert "late goal" in text


def test_a_table_the_story_introduces_stays() -> None:
    page = (f"<html><body>{_STORY}<p>Results of the round:</p><table><tr><td>A - B</td>"
            "<td>2-1</td></tr><tr><td>C - D</td><td>0-0</td></tr><tr><td>E - F</td>"
            f"<td>1-3</td></tr></table>{_STORY}</body></html>")
    assert "C - D" in _text(page)
    # a heading over a table the story goes on after stays too
    page = page.replace("<p>Results of the round:</p>", "<h3>Results</h3>")
    assert "C - D" in _text(page)


def test_a_release_info_table_with_a_date_goes() -> None:
    page = ("<html><body><h2>Notice</h2><table><tr><th>發布機關</th><td>環境保護局</td></tr>"
            "<tr><th>發布日期</th><td>114-05-20</td></tr></table>"
            f"{_STORY}<table><tr><th>Event</th><td>2025-05-20</td></tr>"
            "<tr><th>Venue</th><td>Town hall</td></tr></table></body></html>")
    text = _text(page)
    assert "發布機關" not in text
    assert "Town hall" in text  # a table after the story's text is the story's


def test_press_contact_line_and_bare_anchor_go() -> None:
    story = ["第一段新聞內容。" * 5, "第二段新聞內容。" * 5, "第三段新聞內容。" * 5]
    lines = [":::", *story, "新聞聯絡人：清潔科 林股長 聯絡電話：04-2000-0000 分機 321"]
    assert drop_page_notes(lines) == story
    kept = [*story, "聯絡人表示，民眾可於上班時間洽詢，詳情見網站公告。"]
    assert drop_page_notes(kept) == kept


def test_summary_list_over_the_story_goes_with_its_heading() -> None:
    page = ("<html><body><div><h2>Key points:</h2><ul class='summary-list'><li>Exports up 18%"
            f"</li><li>Output up 9%</li></ul>{_STORY}<ul class='tags'><li>Coffee</li></ul>"
            "<ul><li>Bring water</li><li>Wear boots</li></ul></div></body></html>")
    text = _text(page)
    assert "Exports up" not in text and "Key points" not in text
    assert "Coffee" in text and "Bring water" in text


def test_wire_sign_off_and_pitch_lines() -> None:
    from worker.normalise.page_notes import PITCH_RE, TRAILER_RE

    assert TRAILER_RE.match("Reporte de María Fernanda Ruiz; Editado por Julián Ospina")
    assert TRAILER_RE.match("(Reportage Jean Dupont; édité par Marc Durand)")
    assert not TRAILER_RE.match("Reporte de la Contraloría; editado en 2024, el informe dice.")
    assert PITCH_RE.match("Recibe el boletín diario de Mercados en tu bandeja de entrada.")
    assert not PITCH_RE.match("Recibe el premio el alcalde de la ciudad en una ceremonia.")


def test_reference_list_and_figure_label_lines_go() -> None:
    story = ["Die Forschenden hatten an 28 Standorten den Gesang aufgezeichnet. " * 3] * 3
    refs = ["Quelle", "Seidel, K. et al.: Skylark song. Journal of Avian Biology, 2025",
            "Weitere Literatur", "Brumm, H.: Noise and song. J. Anim. Ecol. 73, 2004"]
    assert drop_page_notes([*story, *refs]) == story
    assert drop_page_notes(["Abb. 2: Frequenzbereich des Gesangs", *story]) == story
    # a "Sources" subhead over the story's own paragraphs stays; so does a figure in prose
    lines = [story[0], "Sources", *story, "Figure skating is back in town."]
    assert drop_page_notes(lines) == lines


def test_comment_heads_with_a_count_and_their_first_letters() -> None:
    import re
    import sys

    from worker.normalise.html_labels import COMMENTS_RE, HEAD_FIRST

    assert COMMENTS_RE.match("Vastaukset (27)") and COMMENTS_RE.match("Ý kiến (18)")
    assert COMMENTS_RE.match("Bình luận")
    assert not COMMENTS_RE.match("Respuestas") and not COMMENTS_RE.match("Ý kiến chuyên gia")
    first = re.compile("[crljkyhкbvaáoýов]", re.IGNORECASE)
    assert all(chr(c) in HEAD_FIRST for c in range(sys.maxunicode + 1) if first.match(chr(c)))


def test_author_box_and_bold_signature_close_the_story() -> None:
    from worker.normalise.html_notes import drop_bold_signature

    story = ["Puhelinkielto on ollut voimassa kuukauden, ja välitunnit ovat muuttuneet. " * 2] * 3
    bio = ["Kirjoittanut Liisa Karvonen", "Äidinkielen opettaja Oulusta. Kirjoitan koulusta."]
    assert drop_page_notes(["312", *story, *bio]) == story
    root = lxml.html.fromstring("<div><p>Story.</p><p><strong>Thanh Hà</strong></p></div>")
    assert drop_bold_signature([*story, "Thanh Hà"], root) == story
    plain = lxml.html.fromstring("<div><p>Thanh Hà</p></div>")
    assert drop_bold_signature([*story, "Thanh Hà"], plain) == [*story, "Thanh Hà"]


def test_date_row_after_the_header_box_of_the_headline() -> None:
    from worker.normalise.html import extract_html

    story = "<p>" + "Cyklister og gående kan nu komme fra havnen til banegården. " * 4 + "</p>"
    page = ("<html><body><div class='article'><div class='header'><h1>Ny cykelbro åbner</h1>"
            "<div class='lead'><p>Efter et års forsinkelse.</p></div></div>"
            "<div class='meta'><div class='byline'>Mette Skov</div><div class='dateline'>"
            f"7. marts 2025 kl. 06.00</div></div>{story * 3}</div></body></html>")
    assert extract_html(page).date_lines == ["7. marts 2025 kl. 06.00"]
    undated = page.replace("7. marts 2025 kl. 06.00", "Randers")
    assert extract_html(undated).date_lines == []


def test_newsletter_self_pitch_and_page_break_note_go() -> None:
    story = ["As juntas de freguesia do interior têm cada vez menos candidatos. " * 2] * 3
    pitch = ("As Notas do Interior são uma newsletter independente, gratuita e feita à mão. "
             "Se gostou, reencaminhe a um amigo.")
    assert drop_page_notes([*story, pitch]) == story
    assert drop_page_notes([*story, "▶ 2페이지에서 계속"]) == story
    told = "A Substack é uma plataforma de newsletters com milhões de leitores."
    assert drop_page_notes([*story, told]) == [*story, told]
