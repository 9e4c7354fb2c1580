"""Rules from blind batch za (mainstream text dumps)."""

from __future__ import annotations

from worker.normalise.plaintext import extract_parts

LEAD = ("The plant on the south coast has started delivering water to homes, fourteen years\n"
        "after it was first promised and more than three years behind the schedule set.")
LAST = ("But the project's long history of delays, cost blowouts and legal challenges\n"
        "means the celebration has been muted in the towns it is meant to serve today.")


def test_an_html2text_link_inside_a_wrapped_paragraph_is_its_text_and_the_lines_join() -> None:
    from pathlib import Path

    fixtures = Path(__file__).parents[1] / "fixtures" / "articles"
    text = (fixtures / "za03_en_au_html2text_embedded_timeline.txt").read_text()
    body = extract_parts(text).body
    assert ("Water Minister Rhys Carlton switched the plant on at a ceremony on Tuesday, saying "
            "it would supply up to 20 per cent of the drinking water for the Great Southern "
            "region and make towns less reliant on rainfall-fed dams.") in body
    assert not any("](" in p for p in body)


def test_a_paragraph_opening_with_a_link_on_its_own_line_still_joins() -> None:
    para = ("[Erzurum Büyükşehir Belediyesi](https://www.erzurum.example/)\n"
            "ekipleri, kar yağışının ardından kent genelinde yol açma çalışması başlattı ve "
            "ana caddelerin tamamı sabah saatlerinde trafiğe açıldı.")
    body = extract_parts("\n\n".join(["# Başlık burada yer alıyor", LEAD, para, LAST])).body
    assert body[1].startswith("Erzurum Büyükşehir Belediyesi ekipleri, kar")
    image = "![A photo](https://img.example/a.jpg)"
    assert image not in " ".join(extract_parts("\n\n".join(["# T", LEAD, image, LAST])).body)
