"""Feed items that are no news story (``not_news``): a publisher's job advertisement, event
listing, contest, fundraising appeal, a trail for its own programme, an advertorial filed
as one, its wire desk's coverage schedule, and a match centre's automatic score alerts,
all posted into the same feed as its stories; a site generator's topic index page; a
reader comment from the comment feed; and a code forge's release notes (a project's
releases feed: changelogs, no news).

Each kind has three signals: the item's category, a section of its address
(``/jobs/``, ``/whats-on/``) and a marker opening its title ("Vacancy:", "Enter to win:").
One signal is not enough (a story about a job fair is filed under "Jobs"; a story about a
contest may open "Win"): an item is skipped when two signals of one kind agree. A score
alert's title ("FT: Ashford Town 2-1 Kingsmere Rovers"), a release page's address
(``/releases/tag/v3.0.0``) and a comment's (``/post/#comment-12``) are specific enough on
their own.
"""

from __future__ import annotations

import logging
import re
from typing import NamedTuple
from urllib.parse import urlsplit

log = logging.getLogger(__name__)


class _Kind(NamedTuple):
    reason: str
    tags: frozenset[str]  # categories, case-folded
    sections: frozenset[str]  # address path segments (not the item's own slug)
    title: re.Pattern[str]
    body: re.Pattern[str] | None = None  # a fourth signal, read only when another agrees


def _words(spaced: str) -> frozenset[str]:
    return frozenset(w.replace("_", " ") for w in spaced.split())


_KINDS = (
    _Kind("job advertisement",
          _words("jobs job_ads job_offers job_openings vacancies vacancy careers career "
                 "recruitment stellenangebote stellenmarkt empleo ofertas_de_empleo emplois "
                 "offres_d'emploi vagas vagas_de_emprego vacatures lavora_con_noi 求人 "
                 "採用情報 채용"),
          _words("jobs job careers career vacancies vacancy recruitment stellenangebote "
                 "stellenmarkt karriere empleo emploi emplois vagas vacatures lavora-con-noi"),
          re.compile(r"^\W*(?:(?:vacancy|job(?: opening| vacancy| ad)?|career opportunity|"
                     r"stellenangebot|offre d['’]emploi|oferta de empleo|vaga|vacature)"
                     r"\s*[:|–-]|we(?:'|’| a)re hiring\b|now hiring\b|join our team\b|"
                     r"(?:karriere|careers?|carrière|carrera) (?:bei|at|with|à|en) (?:der|dem|"
                     r"the|our|la|le|el|l['’])\b[^:]{0,40}:)", re.I),
          # the call's own words: a closing date for applications, an application form
          re.compile(r"\b(?:bewerbungsschluss|bewerbungsfrist|online-bewerbung|"
                     r"bewerbungsformular|application deadline|closing date for applications|"
                     r"apply online|application form|date limite de candidature|dépôt des "
                     r"candidatures|plazo de (?:solicitud|presentación de solicitudes)|"
                     r"scadenza (?:del bando|delle candidature)|sollicitatietermijn)\b", re.I)),
    # A taxonomy page a site generator lists in its feed (Eleventy, Hugo): "Topic: X" under
    # /topics/ is the index of stories on X, no story itself
    _Kind("topic index page", frozenset(),
          _words("tag tags topic topics subject subjects aihe aiheet asiasana thema themen "
                 "schlagwort stichwort sujet sujets theme themes tema temas temi argomenti "
                 "etiqueta etiquetas onderwerp onderwerpen emne ämne tagi tematy téma témata"),
          re.compile(r"^\W*(?:tag|topic|subject|aihe|asiasana|thema|schlagwort|stichwort|sujet|"
                     r"th[èe]me|tema|argomento|etiqueta|onderwerp|emne|ämne|tag|temat|téma)"
                     r"\s*[:|–]\s*\S", re.I)),
    _Kind("event listing",
          _words("events event what's_on whats_on what’s_on veranstaltungen événements "
                 "evenements eventos eventi evenementen agenda イベント 행사 活动"),
          _words("events event whats-on what-s-on whatson veranstaltungen evenements "
                 "evenementen eventos eventi"),
          # (or the publisher's own: "nos réunions publiques de mars"; a paper's "Agenda :
          # nos idées de sorties" is a story)
          re.compile(r"\b(?:our|nos|unsere[nm]?|nuestr[oa]s|i nostri|le nostre) (?:\w+ )?"
                     r"(?:events|meetings|réunions|rencontres|veranstaltungen|treffen|eventos|"
                     r"reuniones|eventi|incontri|webinars)\b|"
                     r"^\W*(?:(?:event|what['’]?s on|veranstaltung|événement|evento)\s*[:|–-]|"
                     r"[【\[](?:[^】\]]{0,8})(?:セミナー|イベント|ウェビナー)[】\]])", re.I)),
    _Kind("contest or giveaway",
          _words("contests contest giveaways giveaway sweepstakes gewinnspiel gewinnspiele "
                 "concours jeux-concours jeu-concours sorteos sorteo concorsi promoções "
                 "promocoes"),
          _words("contests contest giveaways giveaway sweepstakes gewinnspiel gewinnspiele "
                 "concours jeux-concours jeu-concours sorteos concorsi"),
          re.compile(r"^\W*(?:enter to win|win\b|giveaway|contest|sweepstakes|gewinnspiel|"
                     r"gewinnen sie|concours|jeux?[- ]concours|gagnez\b|sorteo|concorso)", re.I)),
    _Kind("fundraising appeal",
          _words("support support_us donate donations donation membership members "
                 "member_drive fundraising spenden dons"),
          _words("support donate donation donations membership member-drive join spenden "
                 "dons"),
          re.compile(r"\b(?:member(?:ship)? drive|pledge drive|donate|donation|fundrais\w*|"
                     r"support (?:us|our (?:work|journalism|newsroom)))\b", re.I)),
    _Kind("service listing",  # a duty pharmacies' rota, posted every week
          _words("farmacie_di_turno farmacia_di_turno pharmacies_de_garde pharmacie_de_garde "
                 "farmacias_de_guardia farmacia_de_guardia apothekennotdienst notdienst "
                 "notdienste duty_pharmacies"),
          _words("farmacie-di-turno farmacie pharmacies-de-garde farmacias-de-guardia "
                 "notdienst apotheken-notdienst"),
          re.compile(r"\b(?:farmacie di turno|farmacia di turno|pharmacies? de garde|"
                     r"farmacias? de guardia|apotheken[- ]?notdienst|notdienst[- ]?apotheken|"
                     r"duty pharmac(?:y|ies))\b", re.I)),
    _Kind("shopping deal",  # affiliate deals ("Bons plans. Ce robot passe sous les 200 €")
          _words("bons_plans bon_plan deals deal shopping_deals angebote schnäppchen offerte "
                 "chollos ofertas promos"),
          _words("bons-plans bon-plan deals guide-d-achat shopping-deals schnaeppchen "
                 "angebote offerte chollos ofertas"),
          re.compile(r"^\W*(?:bons? plans?|deals? of the day|deal|schnäppchen|chollo|"
                     r"offerta del giorno)\s*[.:|–-]", re.I)),
    _Kind("quiz",
          _words("quiz quizzes news_quiz rätsel"),
          _words("quiz quizzes quizz"),
          re.compile(r"^\W*(?:news |wochen|nachrichten)?quiz\b", re.I)),
    _Kind("horoscope",
          _words("horoscope horoscopes astrology horoskop horoskope oroscopo horóscopo "
                 "horoscopo"),
          _words("horoscope horoscopes astrology horoskop oroscopo horoscopo horoscopes-du-jour"),
          re.compile(r"\b(?:horoscopes?|horoskop|oroscopo|horóscopo|zodiac signs?)\b", re.I)),
    _Kind("web story",  # a swipeable slideshow ("In pics: 7 hill stations ...")
          _words("web_stories web_story visual_stories"),
          _words("web-stories webstories web-story visual-stories"),
          re.compile(r"^\W*(?:in pics|in pictures|web story|visual story)\s*[:|–-]", re.I)),
    _Kind("broadcast listing",  # a bulletin's video: "Nordschau 20:00 Uhr, 14.03.2025"
          _words("sendung sendungen broadcasts bulletins"),
          _words("sendung sendungen broadcasts bulletins"),
          re.compile(r"^[^:]{2,40}?\b\d{1,2}[:.]\d{2}(?:\s*uhr)?,?\s+(?:vom\s+)?"
                     r"\d{1,2}\.\d{1,2}\.\d{2,4}$", re.I)),
    _Kind("journal notice",  # a journal's correction, retraction or front matter
          _words("correction corrections corrigendum erratum retraction retraction_notice "
                 "expression_of_concern issue_information front_matter cover_image "
                 "editorial_board"),
          _words("correction corrigendum erratum retraction"),
          re.compile(r"^\W*(?:correction to\b|corrigendum\b|erratum\b|retraction\b|"
                     r"retracted\b|expression of concern\b|issue information$|"
                     r"front matter$|cover image$|editorial board$)", re.I)),
    _Kind("note about the publication",  # "We're hiring", the shop, filed under "About us"
          _words("about_us about über_uns ueber_uns à_propos qui_sommes-nous chi_siamo "
                 "quiénes_somos sobre_nós over_ons om_oss"),
          _words("about-us about ueber-uns a-propos chi-siamo quienes-somos sobre-nos "
                 "over-ons shop"),
          re.compile(r"^\W*(?:we(?:'|’| a)re hiring\b|now hiring\b|join our team\b)|"
                     r"\b(?:in|from|at) (?:the|our) (?:shop|store)\b|\b(?:tote bags?|merch|"
                     r"gift subscriptions?)\b", re.I)),
    _Kind("programme promotion",  # a broadcaster's trail for its own programme, tonight
          _words("番組 番組案内 番組情報 番組紹介 放送予定 programmes tv_programmes "
                 "programme_guide tv_guide"),
          _words("program programs programme programmes bangumi tv-guide programme-guide"),
          re.compile(r"^\s*[【\[(（](?:番組|番組案内|番組情報|番組紹介|放送予定|放送|番宣)[】\])）]|"
                     r"^\W*(?:tonight on|on tv tonight|watch tonight|tv tonight)\s*[:|–-]", re.I)),
    _Kind("sponsored item",  # an advertorial filed as such ("Tanıtım", "Reklam")
          _words("tanıtım reklam sponsorlu sponsorlu_içerik tanıtım_içeriği advertorial "
                 "advertorials promoted"),
          _words("tanitim reklam sponsorlu advertorial advertorials sponsored partner "
                 "partner-content brand-studio publireportage material-partnera "
                 "artykul-sponsorowany sponsored-content"),
          re.compile(r"^\W*(?:tanıtım|reklam|sponsorlu|advertorial|materiał partnera|artykuł "
                     r"sponsorowany|partner content|sponsored content|contenu partenaire|"
                     r"publireportage|contenuto sponsorizzato|contenido patrocinado)\s*[:|–-]",
                     re.I)),
    _Kind("coverage schedule",
          _words("advisory advisories schedule news_schedule"),
          _words("advisory advisories schedule schedules"),
          re.compile(r"\b(?:news|coverage|story|daily|weekly) (?:schedule|budget|advisory|"
                     r"planner)\b|\b(?:media|press|news) advisory\b", re.I)),
)

# "FT: A 2-1 B", "HT: ...", "GOAL! A 1-0 B (Reid 12)", "Full-time: ..."
_SCORE_ALERT_RE = re.compile(r"^\W*(?:FT|HT|full[- ]time|half[- ]time|GOAL!?)\s*[:!–-]\s*"
                             r".{2,80}?\b\d{1,2}\s*[-–]\s*\d{1,2}\b", re.I)


# A code forge's release page (GitHub, Gitea and Forgejo; GitLab): release notes, no story
_RELEASE_PAGE_RE = re.compile(r"/(?:releases/tag|-/releases)/[^/]+/?$")


# A comment feed's item in the main feed (WordPress, Drupal: "Comment on <post> by <name>"):
# its link is the post's address with the comment's anchor, no story has one
_COMMENT_ANCHOR_RE = re.compile(r"#comment[-_]?\d+$", re.I)


def _sections(url: str | None) -> set[str]:
    try:
        path = urlsplit(url or "").path.lower()
    except ValueError:
        return set()
    return set(path.strip("/").split("/")[:-1])  # (the last segment is the item's slug)


# A newsletter's note about itself or a message it sends for a sponsor: the title says so
# plainly ("Programming note: ...", "A message from our partner: ...", "our 2025 reader survey")
_HOUSE_NOTE_RE = re.compile(
    r"^\W*(?:programming|housekeeping|scheduling|schedule) note\b|\bour (?:\d{4} |annual |"
    r"yearly |new )?(?:reader|audience|listener|subscriber|community) survey\b", re.I)
_SPONSOR_MESSAGE_RE = re.compile(r"^\W*a (?:quick )?(?:message|word|note) from (?:our|this "
                                 r"(?:week|issue)['’]s|today['’]s) (?:partners?|sponsors?)\b",
                                 re.I)


def not_news(title: str, tags: list[str], url: str | None, text: str | None = None
             ) -> str | None:
    """Why the item is no news story (its kind), or None when it may be one. ``text`` (the
    entry's markup or text) is a signal for some kinds, read only when another agrees."""
    if _HOUSE_NOTE_RE.search(title):
        return "note about the publication"
    if title[:1] in "Aa" and _SPONSOR_MESSAGE_RE.match(title):
        return "sponsor message"
    if title[:1] in "FHGfhg" and _SCORE_ALERT_RE.match(title):
        return "score alert"
    if url and "/releases/" in url and _RELEASE_PAGE_RE.search(url.split("?", 1)[0]):
        return "software release notes"
    if url and "#" in url and _COMMENT_ANCHOR_RE.search(url):
        return "reader comment"
    folded = {" ".join(t.split()).casefold() for t in tags}
    sections = _sections(url)
    for kind in _KINDS:
        signals = (not kind.tags.isdisjoint(folded)) + (not kind.sections.isdisjoint(sections))
        if not signals and (kind.body is None or not text):
            continue  # the title alone is one signal, never two: its regex can wait (~20 us)
        signals += bool(kind.title.search(title))
        if signals == 1 and kind.body is not None and text:
            signals += kind.body.search(text[:20000]) is not None
        if signals >= 2:
            return kind.reason
    return None
