"""Rules from blind batch y (text dumps)."""

from __future__ import annotations

from worker.events.models import Source
from worker.normalise.article import normalise
from worker.normalise.decode import clean_text


def test_zero_width_non_joiner_stays_in_persian_words() -> None:
    word = "کتابخانه\u200cهای"
    assert clean_text(f"{word} \u200b") == f"{word} "
    assert clean_text("a\u200bb\ufeff") == "ab"


def _art(text: str) -> object:
    return normalise(text.encode(), source=Source(kind="file", location="a.txt"), kind="text")
