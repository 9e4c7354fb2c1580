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


P1 = ("La Comisión Nacional del Agua anunció que del 14 al 17 de marzo realizará trabajos de "
      "mantenimiento en la planta potabilizadora, por lo que habrá cortes en la capital.")
P2 = ("El Sistema de Aguas de la Ciudad de México informó que el servicio se restablecerá de "
      "manera gradual a partir del 18 de marzo y que podría tardar hasta 72 horas.")
P3 = ("Durante el corte se enviarán pipas gratuitas a las zonas afectadas. Los vecinos pueden "
      "solicitarlas a través de la línea telefónica o en las redes sociales del organismo.")


def test_a_long_lead_in_keeps_its_short_list_under_a_read_also_line() -> None:
    items = ["-   Álvaro Obregón", "-   Cuajimalpa de Morelos", "-   Miguel Hidalgo"]
    lead = "En la capital, las alcaldías que registrarán baja presión o falta total de agua son:"
    text = "\n\n".join(["# Cortes de agua en CDMX", P1, "**Lee también:** [Lluvias en la CDMX, "
                        "cuándo llegan](https://x.example/a)", lead, "\n".join(items), P2, P3])
    body = extract_parts(text).body
    assert lead in body and "Miguel Hidalgo" in " ".join(body)


def test_two_teaser_headlines_under_a_read_also_label_go_a_short_subhead_stays() -> None:
    teasers = ["Calor extremo: veja como se proteger e quando procurar atendimento médico",
               "Conta de luz deve subir com uso maior de ar-condicionado, diz Aneel"]
    text = "\n".join(["Rio tem sensação térmica de 58,4°C", "", P1, "", "LEIA TAMBÉM", *teasers,
                      "", P2, "", P3])
    body = extract_parts(text).body
    assert not set(teasers) & set(body) and P2 in body
    sub = "\n".join(["Rio tem sensação térmica de 58,4°C", "", P1, "", "LEIA TAMBÉM",
                     teasers[0], "O que muda", "", P2, "", P3])
    assert "O que muda" in extract_parts(sub).body


def test_a_syndicated_copys_first_published_trailer_dates_it_and_goes() -> None:
    from worker.events.models import Source
    from worker.normalise.article import normalise

    trailer = "This story was originally published March 13, 2025, 5:45 PM."
    text = "\n\n".join(["Regulators approve smaller rate hike", P1, P2, P3, trailer])
    art = normalise(text.encode(), source=Source(kind="file", location="a.txt"), kind="text")
    assert str(art.published_at)[:10] == "2025-03-13"
    assert trailer not in art.body
    dated = "\n\n".join(["Regulators approve smaller rate hike", "March 20, 2025", P1, P2, trailer])
    art = normalise(dated.encode(), source=Source(kind="file", location="a.txt"), kind="text")
    assert str(art.published_at)[:10] == "2025-03-20"  # the page's own date comes first


def test_random_bytes_behind_a_utf16_mark_are_undecodable_real_utf16_is_text() -> None:
    import pytest

    from worker.errors import UndecodableInput
    from worker.normalise.decode import decode_bytes

    junk = b"\xff\xfe\xfa" * 10 + b"\x00\x81\x8d" * 50 + b"\xc3\x28" * 40
    with pytest.raises(UndecodableInput, match="do not read as text"):
        decode_bytes(junk)
    ja = "東京都は十日、新しい計画を発表した。" * 5 + "\n" + "市民の反応はさまざまだ。" * 5
    assert decode_bytes(b"\xff\xfe" + ja.encode("utf-16-le")) == ja
    assert decode_bytes(("Ünïcode text, " * 10).encode("utf-16")) == "Ünïcode text, " * 10


def test_a_headline_under_a_reader_apps_summary_is_the_title() -> None:
    summary = ("Bernie Halvorsen, the radio voice of the Moose Jaw Wheatkings for 40 years, died "
               "at 81. He called more than 2,800 games and coined a famous call.")
    head = "Bernie Halvorsen, longtime radio voice of the Moose Jaw Wheatkings, dies at 81"
    story = ("MOOSE JAW, Sask. — Bernie Halvorsen, whose gravelly play-by-play carried junior "
             "hockey into farm kitchens across the province, has died. He was 81.")
    text = "\n\n".join(["Summary", summary, head, "By Jillian Moss, The Canadian Press",
                        "Posted March 9, 2025 2:31 pm.", story, P1, P2])
    parts = extract_parts(text)
    assert parts.title == head and summary not in parts.body
