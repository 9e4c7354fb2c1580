"""Feed entry rules added for blind batch zc (WordPress 6 through FeedBurner, Ghost 5 cards,
Substack, Drupal 10 Views RSS, jekyll-feed Atom, FetchRSS scrape, Hugo, beehiiv): each rule
fires on its case and leaves the look-alike alone.
"""

from __future__ import annotations

from worker.feeds.cms_markup import clean_cms_markup, lead_note_texts
from worker.feeds.entry_rules import leading_block
from worker.feeds.item_kinds import not_news
from worker.feeds.lead_furniture import lead_box
from worker.feeds.lead_lines import drop_lead_lines

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


def test_a_feed_generator_s_credit_goes() -> None:
    footer = ('<p>Radni przyjęli budżet.</p><sub><i>(Feed generated with <a href="https://'
              'fetchrss.com">FetchRSS</a>)</i></sub>')
    assert "FetchRSS" not in clean_cms_markup(footer)
    story = "<p>The (feed generated with care) by the farm's own mill.</p>"
    assert clean_cms_markup(story) == story  # no single generator name in the brackets


def test_an_epigraph_with_its_attribution_opens_no_post() -> None:
    quote = ('<div class="body"><style>.a { color: red; }</style><blockquote><p>«No.»</p>'
             "<figcaption>Luca M., economista</figcaption></blockquote><p>Text.</p></div>")
    assert leading_block(quote) == "«No.» Luca M., economista"
    # a quotation with no attribution may be what a link post is about
    assert leading_block("<blockquote><p>«No.»</p></blockquote><p>Text.</p>") is None


# --- lines over and after the story --------------------------------------------------------

_LEAD = "Strażacy przez całą noc gasili pożar hali magazynowej przy ul. Kościuszki w Brzegu."


def test_a_scraped_teaser_s_read_more_text_goes() -> None:
    assert drop_lead_lines([_LEAD + " czytaj więcej »"]) == ([_LEAD], [])
    assert drop_lead_lines(["The mayor said. Read more →"]) == (["The mayor said."], [])
    # words of the story that end the same way stay
    kept = ["Officials urged residents to read more", "Czytaj więcej książek, mówi minister."]
    assert drop_lead_lines(kept[:1]) == (kept[:1], [])
    assert drop_lead_lines(kept[1:]) == (kept[1:], [])


def test_a_cjk_sentence_with_a_date_is_no_date_line() -> None:
    lead = "【2025年3月5日 東京】日本政府は、バングラデシュ南西部に500万米ドルを拠出しました。"
    assert drop_lead_lines([lead, "この支援により装置60基が設置されます。"])[0][0] == lead
    # a date on a line of its own still goes
    assert drop_lead_lines(["12 de marzo de 2025", "El pleno aprobó el plan."])[0] == \
        ["El pleno aprobó el plan."]


def test_a_sponsor_box_in_more_languages() -> None:
    box = ["In collaborazione con Fintrade", "Investi in ETF da 1 euro. Apri un conto →",
           "Da aprile la bolletta del gas aumenterà del 12%."]
    assert lead_box(box) == 2
    story = ["In collaborazione con il Comune, la Asl apre tre nuovi ambulatori.", *box[1:]]
    assert lead_box(story) == 0


# --- items that are no story ---------------------------------------------------------------

def test_a_partner_s_material_filed_as_one() -> None:
    url = "https://tv.example/material-partnera/rehabilitacja-bez-kolejek,a1"
    assert not_news("Materiał partnera: Rehabilitacja bez kolejek", [], url) == "sponsored item"
    # a story about partner material, or a label in a news section, is one signal
    assert not_news("Materiał partnera: nowe przepisy", [], "https://tv.example/wiadomosci/a") \
        is None
    assert not_news("Rehabilitacja bez kolejek", [], url) is None


def test_the_publisher_s_own_events() -> None:
    assert not_news("Agenda : nos réunions publiques de mars à Crest", ["Agenda"],
                    "https://asso.example/agenda-reunions-mars/") == "event listing"
    # a paper's weekend listings filed under Agenda is a story
    assert not_news("Agenda : nos idées de sorties pour le week-end", ["Agenda", "Sorties"],
                    "https://paper.example/2025/05/30/agenda-sorties/") is None


_CALL = ("<p>Ab sofort können sich junge Menschen bewerben. Bewerbungsschluss ist der 30. April."
         "</p>")


def test_a_recruitment_call_with_its_deadline() -> None:
    title = "Karriere bei der Polizei: Bewerbungsphase für 2026 hat begonnen"
    url = "https://polizei.example/pressemitteilungen/karriere-2026"
    assert not_news(title, [], url, _CALL) == "job advertisement"
    # the title alone, or the deadline under a news headline, is one signal
    assert not_news(title, [], url, "<p>Die Polizei stellt 300 neue Beamte ein.</p>") is None
    assert not_news("Polizei sucht Nachwuchs: 300 Stellen unbesetzt", [], url, _CALL) is None
