"""Feed entry rules added for blind batch zf (en-US WordPress, en-GB broadcaster RSS, de
Contao Atom, fr Drupal 10, es JSON Feed 1.1, ja Movable Type RDF, tr Google News, pt-BR
Blogger; 55 entries): each rule fires on its case and leaves the look-alike alone.

Blind (labels corrected to the dev set's conventions first: the en-GB links without their
tracking parameters, the Google News outlets as the only credit): accept 0.909, title
0.978, authors 0.978, first_paragraph 0.978, url and published 1.000 (mean 0.974). After the
fixes below: accept 0.982, every other field 1.000 (mean 0.997); the older feeds unchanged.
Left as a judgement call: a broadcaster's "Watch: ..." video page (YouTube channel feeds are
all videos, and stories).
"""

from __future__ import annotations

from worker.feeds.authors import clean_authors
from worker.feeds.entries import clean_title
from worker.feeds.entry_rules import is_sponsored, not_an_article
from worker.feeds.lead_lines import drop_lead_lines

SITE = "https://www.echodurhone.example/"


def test_a_test_post_asking_to_be_ignored_and_an_untitled_one() -> None:
    for title in ("TEST – please ignore", "Test - do not publish"):
        assert not_an_article(None, ["Testing the new footer."], title) == "test post", title
    assert not_an_article(None, ["teste"], "") == "test post"
    # a story titled so, or an untitled entry with a story in it, is one
    assert not_an_article(None, ["x" * 300], "Test - please ignore") is None
    assert not_an_article(None, ["A test of the flood sirens is planned."], "") is None


def test_a_paid_title_marker_and_a_bare_sponsored_category() -> None:
    title = "Publi-rédactionnel : et si vous redécouvriez les Halles de Lyon ?"
    assert is_sponsored(title, [], SITE + "partenaires/halles", SITE)
    assert is_sponsored("Descubre la fibra óptica de 1 Gb", ["Patrocinado"], None, SITE)
    assert is_sponsored("Ten gadgets for spring", ["Sponsored"], None, SITE)
    # a story about advertorials, or filed under a sponsor's name, is a story
    assert not is_sponsored("Advertorials are eating local news", [], SITE + "a", SITE)
    assert not is_sponsored("Stade : le sponsor renouvelle", ["Patrocinado por el club"], None,
                            SITE)


def test_an_atom_name_written_as_mail_and_name() -> None:
    raw = "m.yilmaz@rm-rundschau.example (Mehmet Yilmaz) (m.yilmaz@rm-rundschau.example)"
    assert clean_authors([raw]) == ("Mehmet Yilmaz",)
    assert clean_authors(["jane@x.example (Jane Doe)"]) == ("Jane Doe",)


def test_an_aggregator_source_with_a_dash_in_its_name() -> None:
    title = "İzmir'de Kordon'a bisiklet yolu çalışması başladı - Haber Merkezi - İzmir"
    assert clean_title(title, "Haber Merkezi - İzmir") \
        == "İzmir'de Kordon'a bisiklet yolu çalışması başladı"
    derby = "Fenerbahçe - Galatasaray derbisinin hakemi açıklandı - Spor Postası"
    assert clean_title(derby, "Spor Postası") \
        == "Fenerbahçe - Galatasaray derbisinin hakemi açıklandı"


def test_a_caption_credited_without_a_colon() -> None:
    caption = ("Les Lyonnais ont célébré leur victoire devant le parcage visiteurs. "
               "Photo ÉDR/Marc Fabre")
    story = "Menés à la pause, les Lyonnais ont renversé l’OM (2-1) dimanche soir."
    assert drop_lead_lines([caption, story])[0] == [story]
    # a sentence that ends on "Photos show ..." is no credit
    prose = "The river rose two metres overnight. Photos show flooded streets"
    assert drop_lead_lines([prose, story])[0] == [prose, story]
