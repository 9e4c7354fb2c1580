"""The furniture over and around a feed entry's story (``drop_lead_lines``): bylines and
time stamps, a press release's notice, date and contact lines, a podcast's sponsor read,
a republication note, a photo's caption and credit, an agency's or an index's prefix on the
first paragraph, and an excerpt's or an ad network's trailer on a paragraph's end.
"""

from __future__ import annotations

import re

from worker.feeds.authors import AND_RE, BYLINE_RE
from worker.feeds.lead_furniture import drop_tail_furniture, lead_box, lead_furniture
from worker.normalise.dates import parse_date_hint

_STAMP_RE = re.compile(r"^(?:published|updated|posted|last updated|veröffentlicht|aktualisiert|"
                       r"publié|mis à jour|publicado|actualizado|aggiornato|pubblicato|"
                       r"оновлено|обновлено|опубліковано|опубликовано)\b:?\s*\S.{0,50}$", re.I)
# A press office's release notice, in the languages such offices publish in.
_RELEASE_RE = re.compile(
    r"^(?:for immediate release|immediate release|embargoed until\b.{0,40}|"
    r"para (?:publicación|difusión|divulgación) inmediata|pour (?:diffusion|publication) "
    r"immédiate|zur sofortigen veröffentlichung|per la pubblicazione immediata|"
    r"para publicação imediata|voor onmiddellijke publicatie)\W*$", re.I)
_CONTACT_RE = re.compile(r"^(?:media |press |news )?(?:contacts?|contacto|kontakt|"
                         r"contact presse|pressekontakt|contatto|contato)\s*:", re.I)
_MAIL_OR_PHONE_RE = re.compile(r"^(?:\S+@\S+\.\w+|\+?[\d ().-]{7,20})\W*$")
# The sponsor read a podcast host puts over the show notes (Megaphone, Art19, Acast ...).
_SPONSOR_RE = re.compile(
    r"^(?:this (?:episode|podcast|show) (?:is|was) (?:brought to you|sponsored|supported|"
    r"presented|made possible) by|support for (?:this|the|today'?s) (?:podcast|show|episode) "
    r"(?:comes|is provided) from|today'?s (?:episode|show) is (?:brought to you|sponsored) by|"
    r"episode sponsored by)\b", re.I)  # (a bare "Sponsored by the city, ..." may be a lead)
# A partner's story, run again: "This story was originally published by X and is
# republished here under a Creative Commons license."
_REPUBLISHED_RE = re.compile(
    r"^(?:this (?:story|article|piece|report) (?:was|is) (?:originally |first )?"
    r"(?:co-?)?(?:published|produced|reported) (?:by|in|with|for|on)\b|republished (?:with|by|"
    r"from|under)\b)", re.I)  # (not "First published in 1997, the novel ...": a story's lead)
# A wire correction's note over the story: "(Corrects spelling of minister's name in para 3)"
_CORRECTS_RE = re.compile(r"^\((?:corrects|updates|adds|recasts|refiles|repeats|fixes|changes|"
                          r"removes|clarifies)\b[^()]{0,200}\)$", re.I)
# An audio player's label ("▶ Listen to this story · 8 min"), a messenger channel's pitch
# ("📲 Receba as notícias no WhatsApp: clique aqui") and a paywall's notice ("This article is
# for subscribers only"): page furniture a feed copied with the story.
_PLAYER_RE = re.compile(
    r"^\W{0,3}(?:listen to (?:this|the) (?:story|article|episode|report)|listen\W+\d+\s*min|"
    r"écouter (?:cet|l['’])article|artikel (?:anhören|vorlesen)|escuchar (?:esta noticia|"
    r"este artículo|el artículo)|ouvir (?:esta|a) (?:notícia|matéria)|ascolta l['’]articolo|"
    r"この記事を聞く|音声で聞く)", re.I)
_CHANNEL_RE = re.compile(
    r"^\W{0,4}(?:receba|siga|entre|participe|follow|join|get|subscribe(?: to)?|sign up(?: for)?|"
    r"sigue|únete(?: a)?|recibe|abonnez-vous à|rejoignez|folgen sie|abonniere|segui|iscriviti)"
    r"(?:-nos\b|-?nous\b| (?:us|our|nosso|nossa|o canal|no canal|as notícias|as últimas|the "
    r"latest|breaking|news|el canal|nuestro|nuestra|las noticias|uns|unsere[nm]?|notre|nos|il "
    r"nostro|le notizie)\b).{0,80}\b(?:whats ?app|telegram|google news|viber|signal|threads)\b",
    re.I)
_PAYWALL_RE = re.compile(
    r"^\W{0,3}(?:this (?:article|story|content|post) is (?:only )?(?:for|available to|"
    r"exclusive to|reserved for) (?:paid |paying )?(?:subscribers|members)|(?:subscribe|"
    r"log in|sign in) to (?:read|continue|unlock)|この記事は(?:有料)?会員限定|この記事は有料|"
    r"続きは(?:有料)?会員|dieser (?:artikel|beitrag|inhalt) ist (?:nur )?(?:für|exklusiv)|"
    r"cet article est réservé aux (?:abonnés|membres)|este (?:artículo|contenido) es exclusivo "
    r"para (?:suscriptores|socios)|conte[úu]do exclusivo para assinantes|questo articolo è "
    r"riservato agli abbonati|本文为付费内容|이 기사는 유료)", re.I)
# A translator's note: "Interviews were conducted in Polish and translated by X."
_TRANSLATED_RE = re.compile(
    r"^(?:(?:this|the) (?:story|article|piece|report|interview)s? (?:was|were|has been|have "
    r"been) translated\b|translated (?:from|by)\b|interviews? (?:was|were) conducted in\b"
    r".{0,80}\btranslated\b|traducido (?:del|por)\b|übersetzt (?:aus|von)\b|traduit (?:de|par)\b)",
    re.I)
# A photo's credit on a line of its own under the caption ("(Maya Torres / KXRV)") or at
# the end of the caption ("... de La Salvé. | Pedro Sainz").
_NAME = r"[A-ZÀ-Ý][\w.'’-]*(?: [A-ZÀ-Ý][\w.'’-]*){0,3}"
_CREDIT_LINE_RE = re.compile(rf"^\(?(?:(?:photo|foto|image|picture|credit)s?(?: credit)?:? )?"
                             rf"{_NAME}\s*/\s*[\w .&'’-]{{2,40}}\)?$", re.I)
_CAPTION_CREDIT_RE = re.compile(rf"\s\|\s*{_NAME}$|[.!?]\s+\(?(?:photo|picture|image|"
                                rf"foto|bild|imagem|imagen)s?(?: credit)?(?::\s*{_NAME}|\s+"
                                rf"{_NAME}\s?/\s?{_NAME})\)?$", re.I)  # ("Photo ÉDR/Marc Fabre")
# Prefixes on the first paragraph: an index's announcement line (arXiv), a Korean paper's
# bracketed byline or agency dateline ("[한빛일보 김민서 기자]", "(서울=연합뉴스) 이도윤 기자 ="),
# a rerun's note ("This episode originally aired on May 1.").
_PREFIX_RE = re.compile(
    r"^(?:arXiv:\d{4}\.\d{4,5}(?:v\d+)?\s+Announce Type:\s*[\w-]+\s*(?:Abstract:\s*)?|"
    r"\[[^\]\n]{1,30}(?:기자|특파원|부|팀|통신원)\]\s*|"
    r"\([^()=\n]{1,12}=[^()\n]{1,20}\)\s*(?:[^=\n]{1,40}(?:기자|특파원)\s*=\s*)?|"
    r"(?i:this (?:episode|conversation|interview|show) (?:originally|first) aired (?:on )?)"
    r"[^.]{3,40}\.(?:\s+|$)|Abstract:\s+)")
# Trailers: an excerpt's "[…]" and an ad network's "Learn more about your ad choices."
_TRAILER_RE = re.compile(r"\s*(?:\[(?:…|\.\.\.)\]|Learn more about your ad[- ]choices\.?"
                         r"(?: Visit \S+)?)\s*$", re.I)


# A scraped teaser's read-more link text, left as text after its last sentence ("...
# doszczętnie. czytaj więcej »", "... the city. Read more →")
_READ_MORE_TAIL_RE = re.compile(
    r"(?<=[.!?…\"”»)])\s+(?:czytaj (?:więcej|dalej)|read (?:more|on)|continue reading|"
    r"weiterlesen|mehr lesen|lire la suite|leer más|seguir leyendo|leggi (?:tutto|di più)|"
    r"lees (?:meer|verder)|läs mer|les mer|læs mere|leia mais|ler mais|čtěte dále|"
    r"číst dál|читать далее|подробнее|докладніше|читати далі|tovább olvasom|lue lisää|"
    r"devamını oku)\s*(?:»|›|>>|→|\.{3}|…)?\s*$|"
    r"(?<=[.!?…\"”»)])\s+\[(?:mehr|more|weiter|plus|más|meer|mer)\]\s*$",  # "... [mehr]"
    re.IGNORECASE)
_READ_MORE_WORDS = ("więcej", "dalej", "more", "on", "reading", "lesen", "suite", "más", "[mehr]",
                    "[more]", "[weiter]", "[plus]", "[más]", "[meer]", "[mer]",
                    "leyendo", "tutto", "più", "meer", "verder", "mer", "mere", "mais", "dále",
                    "dál", "далее", "подробнее", "докладніше", "далі", "olvasom", "lisää",
                    "oku")


def _read_more_tail(para: str) -> bool:
    """Cheap first test for ``_READ_MORE_TAIL_RE``: a read-more word near the end."""
    tail = para[-16:].casefold().rstrip(" »›>→.…")
    return tail.endswith(_READ_MORE_WORDS)


# A channel post forwarded from another (Telegram through RSSHub): its source is the credit
_FORWARDED_RE = re.compile(r"^Forwarded From\s+(.{2,80})$")


def _capital(word: str) -> bool:
    """Capitalised, or in a script without case (Hebrew, Arabic, CJK)."""
    c = word[:1]
    return c.isupper() or (c.isalpha() and not c.islower())


_CJK_RE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")


def _repeats(para: str, title: str) -> bool:
    """The paragraph is the title, or the title cut short ("…") is how it starts."""
    p, t = para.casefold().rstrip(" .:"), title.casefold().rstrip(" .")
    if t.endswith(("…", "...")):  # (a full paragraph the feed cut its title from stays)
        t = t.rstrip("….").rstrip()
        return len(t) >= 20 and p.startswith(t) and len(p.split()) <= 20 \
            and not any(c in para for c in ".!?")
    return p == t


def _furniture(para: str, words: int) -> bool:
    if words <= 8 and (_RELEASE_RE.match(para) or _MAIL_OR_PHONE_RE.match(para)):
        return True
    if words <= 30 and _CONTACT_RE.match(para):
        return True
    if words <= 6 and len(para) <= 60 and any(c.isdigit() for c in para) \
            and para[-1:] not in ".!?。" and parse_date_hint(para) is not None:
        return True  # a date line: "March 12, 2025", "12 de marzo de 2025"
    if words <= 30 and (_CORRECTS_RE.match(para) or _PLAYER_RE.match(para)
                        or _CHANNEL_RE.match(para) or _TRANSLATED_RE.match(para)):
        return True
    return words <= 60 and bool(_SPONSOR_RE.match(para) or _REPUBLISHED_RE.match(para))


def _paywall_tail(body: list[str]) -> bool:
    """A paywall's notice opens the text and only its buttons follow ("Subscribe / Log in")."""
    return len(body[0].split()) <= 30 and bool(_PAYWALL_RE.match(body[0])) \
        and all(len(p) <= 60 and p[-1:] not in ".!?。" for p in body[1:])


def drop_lead_lines(body: list[str], title: str = "", headings: frozenset[str] = frozenset()
                    ) -> tuple[list[str], list[str]]:
    """Leading "By Jane Doe" and "Updated: ..." lines and other furniture are not the first
    paragraph; the byline still names the authors when the feed did not (so does a
    forwarded post's source). A first line repeating the title (a bold lead line that the
    feed cut into the title) goes too, and so do the markup's ``headings`` over the story."""
    byline: list[str] = []
    if body and _paywall_tail(body):
        return [], byline
    if len(body) > 1 and body[0][:1] == "F" and (m := _FORWARDED_RE.match(body[0])):
        body, byline = body[1:], [m.group(1)]
    # (the story goes on under it: not a quote post's attribution, "— J. T. Pollard, 1912")
    # (CJK text has no spaces: its length in characters counts)
    if len(body) > 1 and title and len(body[0]) <= 300 and (len(body[1].split()) >= 12 or (
            len(body[1]) >= 30 and _CJK_RE.search(body[1]) is not None)) \
            and body[1][:1] not in "—–-~" and _repeats(body[0], title):
        body = body[1:]
    if any(p[-1:] == "]" or "choices" in p for p in body):  # (cheap tests first)
        body = [t for p in body if (t := _TRAILER_RE.sub("", p))]
    if any(map(_read_more_tail, body)):
        body = [t for p in body if (t := _READ_MORE_TAIL_RE.sub("", p))]
    after_byline = False
    while len(body) > 1:
        words = len(body[0].split())
        m = BYLINE_RE.match(body[0]) if words <= 10 else None
        name = body[0][m.end():].split(",")[0] if m else ""
        if name and all(_capital(w) or AND_RE.fullmatch(f" {w} ")
                        for w in name.split()) and not name.endswith((".", "!", "?")):
            byline, after_byline = [body[0]], True
            body = body[1:]
            continue
        if after_byline and words <= 5 and all(map(_capital, body[0].split())) \
                and not any(c in body[0] for c in ".!?"):
            pass  # the writer's outlet or role under the byline ("The Millbrook Messenger")
        elif len(body) > 2 and words <= 40 and _CREDIT_LINE_RE.match(body[1]):
            body = body[1:]  # a caption, then its credit line (dropped next)
        elif (box := lead_box(body)) and box < len(body):
            body, after_byline = body[box:], False  # a newsletter's contents or sponsor box
            continue
        elif body[0] in headings or lead_furniture(body[0], words):
            pass
        elif not ((words <= 10 and _STAMP_RE.match(body[0])) or _furniture(body[0], words)
                  or (words <= 40 and _CAPTION_CREDIT_RE.search(body[0]))
                  or _CREDIT_LINE_RE.match(body[0])):
            break
        after_byline = False
        body = body[1:]
    while body and (m := _PREFIX_RE.match(body[0])):
        rest = body[0][m.end():].lstrip()
        body = [rest, *body[1:]] if rest else body[1:]
    return (drop_tail_furniture(body) if body else body), byline
