"""Read-later exports (Pocket, Instapaper): headline, source address, "Saved on" date, then
the site, the byline with its own date and the story."""

from __future__ import annotations

from datetime import date

from worker.events.models import Source
from worker.normalise.article import normalise_text

STORY = [
    "On a cold morning in late February, the grower walks the length of her greenhouse with a "
    "clipboard, stopping every few steps to press a thumb against a cluster of fruit.",
    "The farm sits on four acres outside the town and grows almost nothing but currant "
    "tomatoes, a wild-type fruit that predates the large slicing varieties in supermarkets.",
    "Chefs in three cities have decided the flavour is worth the price, and one of them buys "
    "twenty pints a week and serves them almost untouched, with salt and a little oil.",
]


def test_clipping_keeps_its_headline_and_the_bylines_date() -> None:
    text = "\n".join([
        "The Tiny Tomato Growers Chefs Keep Asking For",
        "https://www.example.com/growers/tiny-tomato-growers",
        "Saved on March 16, 2025", "6 min read", "", "Example Harvest",
        "By Ana Ruiz  •  March 12, 2025", "", "\n\n".join(STORY)])
    art = normalise_text(text, source=Source(kind="file", location="pocket"))
    assert art.title == "The Tiny Tomato Growers Chefs Keep Asking For"
    assert art.published_at is not None and art.published_at.date() == date(2025, 3, 12)
    assert list(art.body) == STORY


def test_a_clipping_date_alone_is_still_a_date() -> None:
    text = "\n".join(["The Tiny Tomato Growers Chefs Keep Asking For", "Saved on March 16, 2025",
                      "", "\n\n".join(STORY)])
    art = normalise_text(text, source=Source(kind="file", location="pocket"))
    assert art.published_at is not None and art.published_at.date() == date(2025, 3, 16)
