"""More furniture over and around a feed entry's story, for ``worker.feeds.lead_lines``:
a newsletter's "view in browser" link, greeting, contents box and sponsor box; an editor's
credit ("Edited By: ..."), a photo's credit or note line, a journal's citation line and
abstract labels (``lead_furniture``, ``lead_box``); and what follows the story: related-link
lines, an agency's desk slug, a syndication trailer (``drop_tail_furniture``).
"""

from __future__ import annotations

import re

_BROWSER_RE = re.compile(
    r"^\W*(?:(?:view|read|open|see) (?:this|the) (?:e-?mail|newsletter|issue|message) (?:in "
    r"(?:your|a|the) (?:web )?browser|online|on the web)|view (?:it )?(?:in (?:your )?browser|"
    r"online)|having trouble viewing this e-?mail|e-?mail (?:nicht korrekt dargestellt|im "
    r"browser)|im browser (?:ansehen|anzeigen|öffnen)|voir (?:la version en ligne|dans le "
    r"navigateur|cet e-?mail dans (?:votre|le) navigateur)|visualizza (?:nel browser|online)|"
    r"ver (?:en el navegador|este correo en (?:tu|su) navegador|online))\b", re.IGNORECASE)
# A newsletter's greeting: "Happy Saturday, Millbrook! ☕", "Hi friends,", "Good morning,
# Millbrook! It's Wednesday, March 12." (a short address, then "," or "!")
_GREETING_RE = re.compile(
    r"^\W*(?:hi|hello|hey|greetings|good (?:morning|afternoon|evening)|happy (?:mon|tues|"
    r"wednes|thurs|fri|satur|sun)day|dear (?:readers?|friends?|subscribers?|members?)|guten "
    r"(?:morgen|tag|abend)|hallo|liebe leserinnen|bonjour|bonsoir|buongiorno|buenos días|hola|"
    r"bom dia|olá)\b(?:[ ,]+\w+){0,2}\s*[,!]", re.IGNORECASE)
# What may follow a greeting in the same paragraph: the day and the weather ("Good morning,
# Millbrook! It's Wednesday, March 12. Snow showers early, high of 36.")
_DAY_RE = re.compile(r"\W*(?:\w+\W+)?(?:it['’]s|it is|today is|heute ist|c['’]est|oggi è|hoy es)"
                     r"\s+(?:\w+,?\s+)?(?:mon|tues|wednes|thurs|fri|satur|sun|diens|mitt|donners|"
                     r"sams|lun|mar|mercre|jeu|vendre|same|dimanche|lune|giove|vener|saba|domen|"
                     r"miérco|jue|vier|sáb|domin)\w*", re.IGNORECASE)
# An editor's credit over the text: not the writer ("Edited By: Meera Pillai")
_EDITED_BY_RE = re.compile(r"^\W*(?:edited|compiled|curated|reviewed|fact[- ]?checked|"
                           r"moderated|bearbeitet|redigiert) by\b\s*:?", re.IGNORECASE)
# A photo's credit or note on a line of its own: "Фото: пресслужба ОВА", "Foto: dpa",
# "Фото ілюстративне", "Symbolbild", "Photo d'illustration"
_PHOTO_LINE_RE = re.compile(
    r"^\W*(?:(?:фото|foto|photos?|bild|image|credit|crédit|fotó|zdjęcie)\s*[:©|]\s*\S|"
    r"(?:фото|foto|photo|image)\s+(?:ілюстративне|иллюстративное|ілюстрація|иллюстрация|"
    r"d['’]illustration|di repertorio|de archivo|d['’]archives|illustrative|archive)\W*$|"
    r"(?:ілюстративне|иллюстративное|illustrative|archive|stock) (?:фото|photo|image)\W*$|"
    r"(?:symbolbild|archivbild|symbolfoto)\W*$)", re.IGNORECASE)
# A journal TOC's citation line: "Journal of X, Volume 113, Issue 4, Page 812-827, April
# 2025." or "Journal of X, EarlyView."
_CITATION_RE = re.compile(
    r"^[^,.]{3,120}, (?:Volume \d+, Issue [\w-]+, Pages? [\w–-]+, \w+ \d{4}|Vol\. ?\d+"
    r"(?:, No\. ?[\w-]+)?(?:, pp?\. ?[\w–-]+)?(?:, \w+ \d{4})?|EarlyView|Early View|"
    r"Accepted Articles?|Ahead of Print|Online First|Just Accepted)\.?$")
# A structured abstract's section labels, a paragraph of their own
_ABSTRACT_LABEL_RE = re.compile(
    r"^(?:abstract|summary|aims?|background|objectives?|purpose|introduction|location|"
    r"methods?|results|conclusions?|highlights|graphical abstract|zusammenfassung|résumé|"
    r"resumen|riassunto)\s*:?$", re.IGNORECASE)


# A developing story's notice ("Новость дополняется.", "This is a developing story",
# "(Ampliación en breve)") and an opinion page's disclaimer ("Мнение автора может не
# совпадать с позицией редакции", "The views expressed are the author's own")
_NOTICE_RE = re.compile(
    r"^\W{0,3}(?:this (?:is a )?(?:developing|breaking) (?:news )?story\b|this (?:story|"
    r"article) (?:is developing|will be updated|is being updated)\b|(?:новость|материал|"
    r"информация) (?:дополняется|обновляется|уточняется)|(?:новина|матеріал|інформація) "
    r"(?:доповнюється|оновлюється|уточнюється)|ampliaci[oó]n en breve|noticia en desarrollo|"
    r"(?:information|article) en cours d['’]actualisation|(?:diese )?meldung wird (?:laufend )?"
    r"aktualisiert|notizia in aggiornamento|(?:notícia|matéria) em atualização|haber "
    r"güncelleniyor|(?:the )?(?:views|opinions) expressed (?:in this (?:article|column|piece|"
    r"commentary) )?are (?:those of the (?:author|writer)|the (?:author|writer)['’]s own)|"
    r"(?:мнение|точка зрения) автора (?:может не совпадать|не обязательно совпадает)|думка "
    r"автора може не збігатися|las opiniones (?:expresadas )?(?:en este (?:artículo|texto) )?"
    r"son (?:de )?(?:exclusiva )?responsabilidad del autor|yazıdaki görüşler yazar(?:ın|a) "
    r"ait(?:tir)?|die meinung des autors)", re.IGNORECASE)
# A pitch for the site's channel, platform before the verb (Turkish: "X'i Google News'ten
# takip edin"), or a Russian/Ukrainian "Подписывайтесь на X в Telegram"
_CHANNEL_PITCH_RE = re.compile(
    r"^\W{0,4}(?:(?:подписывайтесь|подпишитесь|присоединяйтесь|підписуйтесь|приєднуйтесь)\b"
    r".{0,80}\b(?:telegram|телеграм|вконтакте|vk|дзен|whats ?app|viber|max)\b|.{0,60}\b"
    r"(?:google news|google haberler|whats ?app|telegram|youtube|instagram)(?:['’]\w{1,4})?"
    r"(?:\s+\w+){0,2}\s+(?:takip edin|abone olun|katılın))", re.IGNORECASE)


def notice_line(para: str) -> bool:
    """A developing story's notice or an opinion disclaimer (short: not a story's lead)."""
    return len(para) <= 200 and _NOTICE_RE.match(para) is not None


def lead_furniture(para: str, words: int) -> bool:
    """Furniture that may stand over a story's first paragraph."""
    if words > 30:
        return False
    if _BROWSER_RE.match(para) or _CITATION_RE.match(para) or notice_line(para) \
            or _CHANNEL_PITCH_RE.match(para):
        return True
    if (m := _GREETING_RE.match(para)) and (words <= 6 or _DAY_RE.match(para, m.end())):
        return True  # (a greeting that goes on into the story, "Hey DEV! Tell us ...", stays)
    if words <= 8 and (_EDITED_BY_RE.match(para) or _PHOTO_LINE_RE.match(para)):
        return para[-1:] not in ".!?" or words <= 3
    return words <= 2 and _ABSTRACT_LABEL_RE.match(para) is not None


# "In today's edition:" over the list of the stories
_CONTENTS_RE = re.compile(
    r"^\W*(?:in (?:today['’]s|this|this week['’]s|tonight['’]s) (?:edition|issue|newsletter|"
    r"e-?mail|briefing)|in this issue|inside(?: today)?|today['’]s (?:stories|headlines|"
    r"lineup|rundown|menu)|what['’]s inside|heute im newsletter|in dieser ausgabe|"
    r"au sommaire|dans ce numéro|in questo numero|en esta edición)\W*$", re.IGNORECASE)
# A sponsor box's label ("TOGETHER WITH HOLLIS HARDWARE", "Presented by Acme"): the next
# paragraph is the sponsor's copy
_SPONSOR_BOX_RE = re.compile(
    r"^\W*(?:together with|presented by|in partnership with|sponsored by|brought to you by|"
    r"from our (?:sponsors?|partners?)|today['’]s sponsor|a word from our sponsors?|"
    r"präsentiert von|unterstützt von|en partenariat avec|in collaborazione con|offerto da|"
    r"en colaboración con|patrocinado por|em parceria com|in samenwerking met|"
    r"i samarbete med|we współpracy z)\b", re.IGNORECASE)


def lead_box(body: list[str]) -> int:
    """How many paragraphs a contents box or a sponsor box opening ``body`` takes (0: none)."""
    first = body[0]
    if len(first) > 80 or first[-1:] in ".?":
        return 0
    if _CONTENTS_RE.match(first):
        k = 1
        while k < len(body) - 1 and len(body[k].split()) <= 15 and body[k][-1:] not in ".!?":
            k += 1
        return k if k > 1 else 0
    if len(body) > 2 and len(first.split()) <= 8 and "," not in first \
            and _SPONSOR_BOX_RE.match(first):
        return 2
    return 0


# Related-link lines inside a story ("Also Read | ...", "Читайте також: ...")
_RELATED_RE = re.compile(
    r"^\W*(?:also read|read also|see also|related|more on this|read more|читайте також|"
    r"читайте также|див\. також|lesen sie auch|auch interessant|lire aussi|à lire aussi|"
    r"leggi anche|lee también|leia também)\s*[:|–-]", re.IGNORECASE)
# "Mehr zum Thema:" / "More on this story:" over a list of links that ends the entry
_MORE_LIST_RE = re.compile(r"^\W*(?:mehr zum thema|more on this (?:story|topic)|related "
                           r"(?:stories|articles|coverage)|sur le même sujet|"
                           r"dello stesso argomento)\W*$", re.IGNORECASE)
# A newsletter's footer: all that follows is the list's small print
_EMAIL_FOOTER_RE = re.compile(
    r"^\W*(?:you(?:['’]re| are) receiving this (?:e-?mail|newsletter|message)|you received "
    r"this (?:e-?mail|newsletter)|want to change how you receive these e-?mails|"
    r"(?:click here to )?unsubscribe\b|update your preferences|sie erhalten diese[ns]? "
    r"(?:e-?mail|newsletter)|vous recevez cet e-?mail|ricevi questa e-?mail)", re.IGNORECASE)
# An agency credit closing the story: "(With inputs from PTI)", "(With agency inputs)"
_INPUTS_RE = re.compile(r"^\((?:with )?(?:inputs from|agency inputs|agencies)\b[^()]{0,60}\)$",
                        re.IGNORECASE)
# An Indian agency's desk slug after the story ("... on the BSE. PTI RSN HVA")
_DESK_SLUG_RE = re.compile(r"(?<=[.!?\"”])\s+(?:PTI|IANS|UNI|ANI)(?:\s+[A-Z]{2,4}){1,4}$")
# A syndication trailer (WordPress/Yoast): "L'articolo X proviene da Y.", "The post X
# appeared first on Y."
_SYNDICATION_RE = re.compile(
    r"^(?:L['’]articolo .{3,400} proviene da|The post .{3,400} appeared first on|O post "
    r".{3,400} apareceu primeiro em|La entrada .{3,400} se publicó primero en|Der Beitrag "
    r".{3,400} erschien zuerst auf|L['’]article .{3,400} est apparu en premier sur|Запись "
    r".{3,400} впервые появилась|Het bericht .{3,400} verscheen eerst op)\s.{2,120}$|"
    r"^.{3,400} yazısı ilk önce .{2,120} üzerinde ortaya çıktı\.?$")


def drop_tail_furniture(body: list[str]) -> list[str]:
    """``body`` without related-link lines, a closing link list, a desk slug or a
    syndication trailer (the first paragraph stays whatever it is)."""
    out = [body[0]]
    for para in body[1:]:
        if len(para) <= 120 and (_MORE_LIST_RE.match(para) or _EMAIL_FOOTER_RE.match(para)):
            break
        if not (len(para) <= 200 and (_RELATED_RE.match(para) or _INPUTS_RE.match(para))):
            out.append(para)
    if len(out) > 1 and (_SYNDICATION_RE.match(out[-1]) or notice_line(out[-1])):
        out.pop()
    last = out[-1]
    if last[-1:].isupper() and (m := _DESK_SLUG_RE.search(last)):
        out[-1] = last[:m.start()]
    return out
