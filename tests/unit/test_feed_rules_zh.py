"""Feed entry rules added for blind batch zh (Swedish WordPress with Yoast, a Hindi portal's
CDATA descriptions, a US agency's Atom with xml:base, a Japanese JSON Feed; 32 entries): each
rule fires on its case and leaves the look-alike alone.

Blind: accept 0.875, url 0.963, authors 0.963, first_paragraph 0.889, title and published
1.000 (mean 0.948). After the fixes below: every field 1.000; the older feeds unchanged.
"""

from __future__ import annotations

from worker.events.models import Article, Source
from worker.feeds.authors import clean_authors
from worker.feeds.entry_rules import is_sponsored, similar_titles, tidy_feed_markup
from worker.feeds.parse import articles_from_feed_bytes
from worker.settings import Settings

SITE = "https://norrbladet.example.com"
TEXT = ("Sunderby sjukhus och Region Norrbotten är oense om vem som ska betala för de extra "
        "ambulansflygningarna till Kiruna.")


def _feed(items: str) -> list[Article]:
    raw = (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Norrbladet</title>'
           f"<link>{SITE}</link>{items}</channel></rss>").encode()
    return articles_from_feed_bytes(raw, source=Source(kind="feed", location=SITE + "/feed/"),
                                    settings=Settings())


def _item(title: str, link: str | None, guid: str, text: str) -> str:
    return (f"<item><title>{title}</title>{f'<link>{link}</link>' if link else ''}"
            f'<guid isPermaLink="false">{guid}</guid>'
            f"<description><![CDATA[{text}]]></description></item>")


def test_one_story_posted_twice_under_a_reworded_title_is_kept_once_with_its_link() -> None:
    link = SITE + "/2024/10/25/sjukhuset-och-regionen-i-tvist-om-ambulansflyget/"
    arts = _feed(_item("Sjukhuset &amp; regionen i ny tvist om ambulansflyget", link, "p=2",
                       f"<p>{TEXT}</p>")
                 + _item("Sjukhuset och regionen i tvist om ambulansflyget", link, "p=1",
                         f"<p>{TEXT}</p>"))
    assert [(a.title, a.url) for a in arts] == [
        ("Sjukhuset & regionen i ny tvist om ambulansflyget", link)]
    # a live blog's entries under one link are different items
    assert not similar_titles("Election live: polls close in the east",
                              "Election live: first results come in")
    assert similar_titles("Sjukhuset & regionen i ny tvist om ambulansflyget",
                          "Sjukhuset och regionen i tvist om ambulansflyget")


def test_an_entry_with_neither_link_nor_text_is_no_article() -> None:
    arts = _feed(_item("Breaking news", None, "placeholder-1", "")
                 + _item("Ambulansflyget", SITE + "/a/", "p=3", f"<p>{TEXT}</p>")
                 + _item("Kort: bara en rubrik", SITE + "/b/", "p=4", ""))
    assert [a.title for a in arts] == ["Ambulansflyget", "Kort: bara en rubrik"]


def test_nordic_ad_markers() -> None:
    for title in ("Annons: Vinterdäck till kampanjpris", "Annonse: Ny bil til vinteren"):
        assert is_sponsored(title, ["Annons"], SITE + "/annons/x/", SITE), title
    assert not is_sponsored("Annonsörer lämnar sajten efter larmet", [], SITE + "/a/", SITE)


def test_bare_text_wrapped_under_an_image_and_an_italic_caption() -> None:
    markup = ('<img src="a.jpg" alt="" /><br /><em>फाइल फोटो</em>\n   \n      भोपाल के भारत '
              'भवन परिसर में पुस्तक मेला लगेगा,\n      जिसमें 200 प्रकाशक हिस्सा लेंगे। '
              '<a href="https://x.example/a">और पढ़ें...</a>')
    tidy = tidy_feed_markup(markup)
    assert "फाइल फोटो" not in tidy and "पढ़ें" not in tidy
    assert "मेला लगेगा, जिसमें" in tidy  # one paragraph: in HTML a newline is a space


def test_bylines_joined_by_and_in_more_languages() -> None:
    assert clean_authors(["राहुल शर्मा और प्रिया वर्मा"]) == ("राहुल शर्मा", "प्रिया वर्मा")
    assert clean_authors(["Budi Santoso dan Siti Aminah"]) == ("Budi Santoso", "Siti Aminah")
