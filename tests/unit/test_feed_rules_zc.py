"""Feed entry rules added for blind batch zc (WordPress 6 through FeedBurner, Ghost 5 cards,
Substack, Drupal 10 Views RSS, jekyll-feed Atom, FetchRSS scrape, Hugo, beehiiv): each rule
fires on its case and leaves the look-alike alone.
"""

from __future__ import annotations

from worker.feeds.cms_markup import clean_cms_markup, lead_note_texts

# --- markup from publishing software -------------------------------------------------------

_DRUPAL = ('<span class="field field--name-title">Unfall auf der B 75</span>'
           '<span class="field field--name-uid"><span>Jens Möller</span></span>'
           '<div class="field field--name-field-bildquelle"><div class="field__label">Bildquelle'
           '</div><div class="field__item">Polizei</div></div>'
           '<div class="clearfix field field--name-body field__item"><p>Bei einem Unfall ...</p>'
           "</div>")


def test_a_drupal_node_s_fields_before_its_body_go() -> None:
    assert clean_cms_markup(_DRUPAL).startswith('<div class="clearfix field field--name-body')
    # a body field alone (or other markup naming no field) is left as it is
    alone = '<div class="field field--name-body"><p>Text.</p></div>'
    assert clean_cms_markup(alone) == alone
    plain = "<p>The field--name-body class is Drupal's.</p>"
    assert clean_cms_markup(plain) == plain


def test_ghost_widget_cards_and_an_opening_callout_go() -> None:
    audio = ('<div class="kg-card kg-audio-card"><div class="kg-audio-title">Écouter cet '
             'article</div><div><span>0:00</span></div></div><p>Trente-huit communes ...</p>')
    assert clean_cms_markup(audio).strip() == "<p>Trente-huit communes ...</p>"
    callout = ('<div class="kg-card kg-callout-card"><div class="kg-callout-text">Enquête '
               "réalisée en partenariat avec X.</div></div><p>Pendant six ans ...</p>")
    assert clean_cms_markup(callout).strip() == "<p>Pendant six ans ...</p>"
    # a callout inside the story (after its first paragraph) is the story's own box
    mid = ('<p>Pendant six ans ...</p><div class="kg-card kg-callout-card"><div>Chiffres clés'
           "</div></div>")
    assert clean_cms_markup(mid) == mid
    image = '<figure class="kg-card kg-image-card"><img src="a.jpg"></figure><p>Text.</p>'
    assert clean_cms_markup(image) == image


_STORY = "<p>" + "Words of the story that go on and make a real paragraph. " * 2 + "</p>"


def test_italic_notes_over_the_story() -> None:
    notes = ('<p><em>Esto es La Frontera. Si te lo han reenviado, <a href="/subscribe">puedes '
             'suscribirte aquí</a>.</em></p><blockquote><p><em>Del 2 av 3 i serien Vinden. <a '
             'href="/del-1">Läs del 1 här</a>.</em></p></blockquote><p><i>Edizione speciale</i>'
             "</p>")
    assert lead_note_texts(notes + _STORY) == {
        "Esto es La Frontera. Si te lo han reenviado, puedes suscribirte aquí.",
        "Del 2 av 3 i serien Vinden. Läs del 1 här.", "Edizione speciale"}
    # a collaboration credit is the post's first line; an all-italic post has no notes;
    # an italic note after the story's first paragraph is not over it
    assert lead_note_texts('<p><em>This post is a collaboration with <a href="x">Mei</a>.'
                           "</em></p>" + _STORY) == frozenset()
    assert lead_note_texts("<p><em>Edizione speciale</em></p><p><em>All of it.</em></p>") \
        == frozenset()
    assert lead_note_texts(_STORY + "<p><em>Edizione speciale</em></p>") == frozenset()
    # a paragraph only partly in italics is a plain one
    assert lead_note_texts("<p><em>Subscribe</em> to nothing, <em>this</em> is the story, "
                           "told in a good many more words than twelve.</p>") == frozenset()
