"""Shapes from the n/p blind batches (issue 17): non-English pages and their conventions.

Each test builds a small page of one shape and checks what the normaliser keeps; the n/p
floors in test_normalise_eval.py check the labelled fixtures.
"""

from __future__ import annotations

import pytest

from worker.events.models import Source
from worker.normalise.article import normalise_text
from worker.normalise.decode import clean_text

pytestmark = pytest.mark.timeout(120, method="thread")

SRC = Source(kind="file", location="world")
JA_P1 = ("北陸新幹線の敦賀から新大阪までの延伸について、国土交通省は3日、着工の時期が早くても"
         "2030年代半ばになるとの見通しを明らかにしました。")
JA_P2 = ("延伸区間は、京都府の小浜市付近から京都駅を経由して新大阪に至るルートで、総延長は"
         "およそ140キロです。地下を通る区間が長く、地下水や残土処理の課題が残っています。")


def test_ideographic_space_kept_between_cjk_only() -> None:
    # U+3000 separates the parts of CJK headlines; as an indent or next to Latin text it is
    # just a space.
    assert clean_text("無償化へ\u3000知事が表明") == "無償化へ\u3000知事が表明"
    assert clean_text("\u3000本文です") == " 本文です"
    assert clean_text("Tokyo\u3000news") == "Tokyo news"


def test_japanese_headline_keeps_its_ideographic_space() -> None:
    title = "北陸新幹線の延伸ルート\u3000着工は2030年代半ば以降に"
    page = f"日本ニュースネット\n\n{title}\n\n2025年3月3日 18時12分\n\n{JA_P1}\n\n{JA_P2}\n"
    art = normalise_text(page, source=SRC)
    assert art.title == title
    assert art.body == (JA_P1, JA_P2)
