"""Reader comments under a comments head in more languages ("Yorumlar (18)", "Kommentit"),
each comment a name, a time and its text in one list item."""

from __future__ import annotations

import pytest

from worker.events.models import Source
from worker.normalise.article import normalise_html

STORY = [
    "İstanbul'da kiralık konut fiyatları son bir yılda ortalama yüzde 45 artarken, en yüksek "
    "artış Anadolu Yakası'ndaki ilçelerde görüldü, bir emlak platformunun verilerine göre.",
    "Raporda, şubat ayı itibarıyla en pahalı kiraların Sarıyer, Beşiktaş ve Kadıköy'de olduğu "
    "belirtildi; Esenyurt gibi ilçelerde bu rakam 16 bin lira civarında kaldı.",
    "Uzmanlar, yeni konut arzı artırılmadığı takdirde kira fiyatlarındaki baskının süreceğini "
    "ve deprem riski nedeniyle yeni binalara olan talebin de artacağını vurguladı.",
]


@pytest.mark.parametrize("head", ["Yorumlar (18)", "Kommentit", "Комментарии (2)"])
def test_comments_under_a_head_are_no_story(head: str) -> None:
    paras = "".join(f"<p>{p}</p>" for p in STORY)
    html = (f"<html><head><title>Kiralar arttı</title></head><body><article>"
            f"<h1>İstanbul'da kiralar bir yılda yüzde 45 arttı</h1>{paras}"
            f"<section><h3>{head}</h3><ul><li><b>Ahmet K.</b> <span>14.03.2025 11:05</span>"
            f"<p>Maaşın yarısı kiraya gidiyor, ne diyelim.</p></li></ul></section>"
            f"</article></body></html>")
    art = normalise_html(html, source=Source(kind="file", location="comments"))
    assert list(art.body) == STORY
