"""HTML pages of blind batch ``x``: a headline cut in the JSON-LD, embedded social posts,
fact and contact boxes, repost notes and AI summary boxes.

Each test builds a small page of that shape and checks what the normaliser keeps; the
labelled fixtures are tests/fixtures/articles/x*.html.
"""

from __future__ import annotations

import pytest

from worker.events.models import Source
from worker.normalise.article import normalise_html

pytestmark = pytest.mark.timeout(120, method="thread")

SRC = Source(kind="file", location="x.html")
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


def _page(body: str, head: str = "", h1: str = "Council closes old swimming hall") -> str:
    return (f"<html><head><title>{h1}</title>{head}</head><body><nav><a href='/'>Home</a>"
            f"</nav><article><h1>{h1}</h1>{body}</article><footer>Footer</footer>"
            "</body></html>")


def _story(extra: str = "", at: int = 4) -> str:
    paras = [f"<p>{p}</p>" for p in STORY]
    paras.insert(at, extra)
    return "".join(paras)


def test_a_headline_cut_mid_word_in_the_metadata_gives_way_to_the_h1() -> None:
    h1 = "Council closes old swimming hall after inspectors find cracks in the roof over the pool"
    cut = h1[:70]
    assert cut[-1].isalnum() and h1[70].isalnum()
    ld = ('<script type="application/ld+json">{"@type": "NewsArticle", "headline": "'
          + cut + '"}</script>')
    art = normalise_html(_page(_story(), ld, h1).encode(), source=SRC)
    assert art.title == h1
    assert art.body[0].startswith("The city council voted")


def test_a_metadata_headline_plus_a_label_in_the_h1_stays_the_title() -> None:
    h1 = "Live: Council closes old swimming hall after inspectors find cracks"
    meta = "Council closes old swimming hall after inspectors find cracks"
    ld = '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Live"}</script>'
    art = normalise_html(_page(_story(), ld.replace('"Live"', f'"{meta}"'), h1).encode(),
                         source=SRC)
    assert art.title == meta
