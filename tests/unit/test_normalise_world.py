"""Shapes from the n/p blind batches (issue 17): non-English pages and their conventions.

Each test builds a small page of one shape and checks what the normaliser keeps; the n/p
floors in test_normalise_eval.py check the labelled fixtures.
"""

from __future__ import annotations

import pytest

from worker.events.models import Source
from worker.normalise.article import normalise_text
from worker.normalise.decode import clean_text
from worker.normalise.meta import split_dateline

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


@pytest.mark.parametrize(("para", "place", "rest"), [
    ("MADRID, 25 Feb. (EFE).- El Consejo de Ministros ha aprobado un plan.", "MADRID",
     "El Consejo de Ministros ha aprobado un plan."),
    ("ZARAGOZA, (EUROPA PRESS) - La Policía Nacional ha detenido a tres jóvenes.", "ZARAGOZA",
     "La Policía Nacional ha detenido a tres jóvenes."),
    ("(ANSA) - ROMA, 28 MAG - Con l'entrata in vigore dell'orario estivo.", "ROMA",
     "Con l'entrata in vigore dell'orario estivo."),
    ("القاهرة - (وكالات) - افتتحت الحكومة المصرية يوم الاثنين محطة", "القاهرة",
     "افتتحت الحكومة المصرية يوم الاثنين محطة"),
    ("القاهرة - بدأت الحكومة المصرية التشغيل التجريبي", "القاهرة",
     "بدأت الحكومة المصرية التشغيل التجريبي"),
])
def test_wire_datelines_in_other_languages(para: str, place: str, rest: str) -> None:
    assert split_dateline(para) == (place, rest)


def test_arabic_dash_late_in_a_sentence_is_no_dateline() -> None:
    para = "أعلنت أمانة محافظة جدة إغلاق جزء من الطريق - اعتباراً من مساء الخميس"
    assert split_dateline(para) == (None, para)


def test_transcript_speaker_is_no_dateline() -> None:
    # "NAME: text" looks like "NEW DELHI: text", but a speaker opens later turns too.
    turns = ["RENATA VIEIRA: Olá, eu sou a Renata Vieira e hoje a gente vai falar de um assunto "
             "que chegou na mesa de todo mundo: o preço do café no supermercado.",
             "PAULO ANDRADE: A safra brasileira foi menor por causa da seca e do calor, e o "
             "mercado internacional reagiu com uma alta forte nos contratos futuros.",
             "RENATA VIEIRA: E por que demora tanto para o preço cair de novo nas prateleiras?"]
    page = ("Transcrição: por que o preço do café disparou\n\n" + "\n\n".join(turns) + "\n")
    art = normalise_text(page, source=SRC)
    assert art.dateline is None
    assert art.body[0].startswith("RENATA VIEIRA:")
