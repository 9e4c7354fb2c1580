"""Rules from blind batch zb (extraction-tool outputs saved as text)."""

from __future__ import annotations

import json

from worker.events.models import Source
from worker.normalise.article import normalise, sniff_kind
from worker.normalise.textfix import rejoin_markdown_links

P1 = ("A Prefeitura de Campinas anunciou nesta quinta-feira que os ônibus municipais passarão "
      "a ser gratuitos aos domingos a partir de 4 de maio, em todas as 214 linhas.")
P2 = ("De acordo com o prefeito, a tarifa zero aos domingos é o primeiro passo de um estudo "
      "para ampliar a gratuidade a outros dias da semana nos próximos anos.")


def _art(text: str) -> object:
    return normalise(text.encode(), source=Source(kind="file", location="a.txt"), kind="text")


def test_a_tools_json_output_saved_as_text_is_read_as_json() -> None:
    doc = {"request": {"api": "article"}, "objects": [
        {"title": "Campinas terá tarifa zero aos domingos", "text": f"{P1}\n{P2}",
         "date": "Tue, 11 Mar 2025 09:30:00 GMT", "author": "Redazione"}]}
    text = '$ curl -s "https://api.example/v3/article?url=x" | python3 -m json.tool\n' + \
        json.dumps(doc, indent=4, ensure_ascii=False)
    assert sniff_kind(text, "out.txt") == "json"
    art = _art(text)
    assert art.title == "Campinas terá tarifa zero aos domingos"  # type: ignore[attr-defined]
    assert str(art.published_at)[:10] == "2025-03-11"  # type: ignore[attr-defined]
    # prose that merely starts with "$" or "{" stays text
    assert sniff_kind("$5 million for the bridge, the council said.\n{not json}", "a.txt") \
        == "text"


def test_a_parsers_markdown_content_is_read_like_a_text_dump() -> None:
    content = "\n\n".join([
        "![Ônibus em Campinas — Foto: Reprodução](https://img.example/a.jpg)", P1,
        "* [Campinas tem 12 linhas com horários alterados](https://g1.example/a)", P2,
        "Como vai funcionar\n------------------", P1.replace("quinta", "sexta")])
    doc = {"title": "Campinas terá tarifa zero", "content": content,
           "date_published": "2025-04-10T16:32:41.000Z"}
    body = list(_art(json.dumps(doc, ensure_ascii=False)).body)  # type: ignore[attr-defined]
    assert body[0] == P1 and P2 in body and "Como vai funcionar" in body
    assert not any("](" in p or p.startswith("---") for p in body)


def test_setext_headings_become_headings_a_sentence_over_a_rule_does_not() -> None:
    text = "Intro [a](https://x.example) line.\n\nComo vai funcionar\n------------------\n"
    assert "## Como vai funcionar\n" in rejoin_markdown_links(text)
    kept = "Intro [a](https://x.example) line.\n\nThe council said so.\n---\n"
    assert rejoin_markdown_links(kept) == kept
