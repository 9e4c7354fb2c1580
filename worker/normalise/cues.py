"""Cues for plain-text line classification: regexes and the word sets that gate them.

The phrase cues are features, not rules: a cue only counts against short or non-sentence
lines (see ``plaintext``'s line features). The word sets (``cue_keys``) let the slow
alternations run only on lines that contain one of their key words.
"""

from __future__ import annotations

import logging
import re

from worker.normalise import cue_keys
from worker.normalise.cue_keys import COMMENT_WORDS, MORE_STRONG_KEYS, READ_ALSO
from worker.normalise.disclaimer_words import holds_word

log = logging.getLogger(__name__)

WORD_RE = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")
CJK_RE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
ARABIC_RE = re.compile(r"[\u0600-\u06ff\u05d0-\u05ea]")  # (and Hebrew: both glue their particles)
# (closing quotes: German „…“ and ‚…‘, Danish »…«, Japanese 「…」 too)
FULL_STOP_RE = re.compile(r"[.!?…。！？।॥۔؟։።။][\"'”’»“‘«」』)\] \u00a0\u202f]*$")  # (". »")


def full_stop(text: str) -> bool:
    """``FULL_STOP_RE.search(text)`` read from the end (a stop, also Indic "।" and others,
    then closing quotes or brackets only), not scanning the line; keep the two in step."""
    if text.endswith("\n"):  # "$" also matches before a final newline
        return bool(FULL_STOP_RE.search(text))
    end = text.rstrip("\"'”’»“‘«」』)] \u00a0\u202f")  # French spaces its quotes: "porte. »"
    return bool(end) and end[-1] in ".!?…。！？।॥۔؟։።။"


URL_RE = re.compile(r"https?://|www\.\w|\w\.(?:com|org|net|co\.uk|io)\b/?|\S@\w+\.\w")
SEP_RE = re.compile(r"(?:^|\s)[|›»•·>/◦▸►→«‹＞](?:\s|$)")
IMAGE_RE = re.compile(r"^[^\s/]?.{0,200}\.(?:jpe?g|png|gif|webp|svg|avif|bmp|tiff?|heic)$",
                       re.IGNORECASE)
# Photo credits: "(Photo: Reuters)", "PHOTO: AFP", "Photograph: X/Getty Images", "(AP Photo/X)"
IMAGE_EXTS = (".jpg", ".jpeg", ".png", ".gif", ".webp", ".svg", ".avif", ".bmp", ".tif", ".tiff",
               ".heic")
CREDIT_RE = re.compile(
    r"[(\[]?\b(?:(?:photo|image|picture|pic|foto|photograph|illustration|graphic|credit|"
    r"bild|video|kuva|kép|fotó|zdjęcie|snímek|resim|görsel|gambar|фото|ภาพ|ფოტო|larawan|picha|"
    r"ljósmynd|तस्बिर|तस्वीर|تصوير)s?"
    r"(?:\s+(?:credit|by|mula sa))?"
    r"\s*[:/|]|copyright:(?!\s*(?:©|\(c\)|\d))|\w+ photo/|photo by\b|picha na\b)\s*(?:\(c\)|©)?\s*"
    r"([^()\[\]]{1,80}(?:\([^()]{1,30}\))?)[)\]]?$"
    r"|\b(Getty Images|Shutterstock|AFP|Reuters|AP|EPA|Alamy|dpa|Bloomberg|EFE|ANSA|Xinhua)"
    r"(?:\s+via [^)]*)?"
    r"[)\]]?$|\b([A-Z]{2,}(?:/ ?[A-Z][\w. -]{1,40}){1,3})(?:\s+Purchase Licensing Rights)?$",
    re.IGNORECASE,
)
# Substrings one of CREDIT_RE's alternatives needs (besides "/"): its alternations cost
# ~0.35 us a character, and a wire dateline's "(Reuters)" is one of its key words, so ASCII
# lines without any of them skip it (``credit_cue``). Keep in step with CREDIT_RE.
_CREDIT_NEEDS = ("photo", "image", "pic", "foto", "illustration", "graphic", "credit", "bild",
                 "video", "via ", "kuva", "resim", "gambar", "picha", "larawan", "ljósmynd",
                 "copyright:")
_CREDIT_ENDS = ("getty images", "shutterstock", "afp", "reuters", "ap", "epa", "alamy", "dpa",
                "bloomberg", "efe", "ansa", "xinhua")


def credit_cue(text: str) -> bool:
    """``CREDIT_RE.search(text)``, ruled out first on ASCII lines by plain substring tests."""
    if text.isascii() and "/" not in text and "\n" not in text:
        low = text.lower()
        end = low[:-1] if low[-1:] in (")", "]") else low
        if not end.endswith(_CREDIT_ENDS) and not any(w in low for w in _CREDIT_NEEDS):
            return False
    return bool(CREDIT_RE.search(text))

# Furniture cues that rarely occur in story prose: count against lines up to ~40 words.
STRONG_RE = re.compile(
    r"newsletter|subscribe\b|subscription|subscribers? only|"
    r"^sign(?:ed)? up\b|\bsign up (?:for|to) (?:our|free)\b|\bsign up (?:now|today)\b|"
    r"\bcookies?\b|advertisement|all rights reserved|©|\(c\)\s*\d{4}|copyright\s*(?:\d|©)|"
    r"privacy (?:policy|notice)|terms (?:of|and) (?:use|service|conditions)|"
    r"\bread (?:more|also|next|the full)\b|click here|download (?:the|our)|javascript|"
    r"your browser|unsubscribe|in your inbox|to your inbox|paywall|free trial|"
    r"reply to this e-?mail|listen to (?:this|the) article|\bshare (?:this|on|via)\b|\bskip to\b|"
    r"licensing rights|"
    # subscription prompts in other languages
    r"abonnez-vous|réservé aux abonnés|suscr[ií]bete|(?:exclusivo|solo) para suscriptores|"
    r"jetzt abonnieren|nur für abonnenten|assine (?:já|agora|o)|exclusivo para assinantes|"
    r"abbonati (?:ora|subito|a)|riservato agli abbonati|"
    r"^(?:subscrever|subscreva|inscreva-se|iscriviti|s'inscrire|inschrijven)\W*$|"
    # copyright notices in other languages
    r"queda prohibida (?:la|su) reproducci[oó]n|reproduction (?:interdite|réservée)|"
    r"vietata la riproduzione|(?:é|e) proibida a reprodu[cç][aã]o|nachdruck (?:verboten|nur)|"
    # "follow us on WhatsApp" prompts; comment sections' "opinions are the authors' own"
    r"^(?:siga|sigam|síguenos|siguenos|suivez-nous|folgen sie uns|seguici)\b.{0,60}\b(?:no|en|"
    r"sur|auf|su|nel|on)\s+(?:o\s+)?(?:whatsapp|telegram|instagram|facebook|google news|x)\b|"
    r"\bcoment[aá]rios? (?:são|es|son) (?:de )?(?:inteira |exclusiva )?responsabilidad|"
    r"\bos comentários são de (?:inteira |exclusiva )?responsabilidade|"
    r"\bles commentaires (?:sont|relèvent) (?:de la |sous la )?(?:seule )?responsabilité|"
    # skip links and share buttons in other languages
    r"zum inhalt springen|(?:aller|passer) au contenu|(?:ir|saltar) al contenido|"
    r"vai al contenuto|(?:pular|ir) para o conteúdo|naar (?:de )?inhoud|"
    r"\b(?:compartir|partager|condividi|compartilhar|partilhar|teilen|delen) (?:en|sur|su|no|"
    r"na|via|auf|op) (?:facebook|x|twitter|whatsapp|linkedin|telegram|bluesky)\b|"
    # the same furniture in the other languages the detector knows
    r"^(?:" + cue_keys.AD_LABELS + r")(?:\s+[^\W\d_]+)?\W*$|"  # (and "ends": "Mainos päättyy")
    r"^\W{0,3}(?:lire aussi|à lire aussi|voir aussi|lea también|lee también|te puede interesar|"
    r"mehr zum thema|auch interessant|leggi anche|leia também|lees ook|" + READ_ALSO
    + r")\b|"
    r"tous droits réservés|alle rechte vorbehalten|todos los derechos reservados|"
    r"views expressed (?:in|here)|do not necessarily reflect|"
    # wire contributor lines and correction notes sit after the story, never in it
    r"\bcontributed (?:to )?(?:this|the) (?:report|story|article)\b|"
    r"\b(?:writers?|reporters?|correspondents?) .{2,80}\bcontributed (?:from|reporting)\b|"
    r"^this (?:report|story|article)\b.{0,60}\bwas (?:first|originally) published\b|"
    r"^(?:this|the) (?:article|story) (?:was|has been) (?:amended|corrected|updated)\b|"
    # editor's notes closing a breaking story or a live blog
    r"^(?:our|this) live (?:coverage|blog) (?:has|is now) (?:ended|closed|paused)\b|"
    r"\bgo here (?:to|for) (?:read |follow |see )?(?:the|our) latest\b|"
    r"^(?:lesen sie (?:auch|mehr)|siehe auch|weiterlesen|leggi anche)\b|"
    # an inline link lead-in with its headline; print jump lines; social-embed labels
    r"^(?:related|also read|read more|read also|read|see also|further reading)\s*[:|]\s*\S|"
    r"^iratkozzon fel\b|"
    r"^continued (?:on|from) page\b|"
    r"^story continues (?:below|after (?:this|the) (?:ad|advertisement))$|"
    r"\bpost shared by\b|"
    # a wire service's standards link under a story
    r"\btrust principles\b|"
    r"^our standards\b",
    re.IGNORECASE,
)

# More furniture phrases (paywall prompts, copyright notices in more languages), apart from
# STRONG_RE (whose cost grows with every phrase): tried on lines with a MORE_STRONG_KEYS word.
MORE_STRONG_RE = re.compile(cue_keys.MORE_STRONG, re.IGNORECASE)


def strong_match(text: str, words: int, keys: frozenset[str] = frozenset()) -> bool:
    """``STRONG_RE.search(text)`` (or MORE_STRONG_RE's, for a line whose word set ``keys``
    holds one of its key words), except "this/my newsletter" in a line of over 20 words
    with no sign-up words: a newsletter's own prose ("I have been writing this newsletter
    for four years, ..."), not its sign-up box."""
    m = STRONG_RE.search(text)
    if m is None:
        return not keys.isdisjoint(MORE_STRONG_KEYS) and bool(MORE_STRONG_RE.search(text))
    if words <= 20 or m.group(0).lower() != "newsletter":
        return True
    low = text.lower()
    if "sign" in low or "subscri" in low or not _OWN_NEWSLETTER_RE.search(low):
        return True
    return any(x.group(0).lower() != "newsletter" for x in STRONG_RE.finditer(text, m.end()))


_OWN_NEWSLETTER_RE = re.compile(r"\b(?:this|my) newsletter\b")

# Legal, health, finance and affiliate notices: long, well-formed sentences that read as
# prose but frame the story (count against lines up to ~150 words). Phrases, not single words:
# a story about affiliate marketing or medical advice must not trip them.
DISCLAIMER_RE = re.compile(
    r"\baffiliate (?:commission|links?|partners?(?:hips?)?|programs?|programmes?)\b|"
    r"\bwe (?:may )?(?:earn|receive|get|make) (?:a |an )?(?:small |affiliate )?"
    r"(?:commission|share of (?:the )?(?:sales?|revenue))\b|"
    r"\bat no (?:extra|additional) cost to you\b|\bsubstitute for professional\b|"
    r"\b(?:for )?(?:general )?information(?:al)? purposes only\b|\bgeneral information only\b|"
    r"\bdoes not constitute (?:\w+ )?advice\b|\bnot (?:be )?(?:construed|considered) as "
    r"(?:\w+ )?advice\b|\bpast performance is not\b|\byour capital is at risk\b|"
    r"\bthis (?:article|content|post) (?:is sponsored|was (?:paid for|produced in "
    r"partnership|sponsored))\b|"
    # the press regulator's membership notice in a UK site's footer
    r"\bindependent press standards organisation\b|\beditors['’]? code of practice\b|"
    # a labelled notice: "Disclaimer: News24 encourages freedom of speech ..."
    r"^disclaimer\s*:|"
    # the same notices in other languages (finance: "not investment advice"; health: "does
    # not replace a doctor"; "for information only")
    r"\bno constituye (?:una )?recomendaci[oó]n\b|\bcar[aá]cter (?:meramente |exclusivamente )?"
    r"informativo\b|\bn[aã]o constitui (?:uma )?recomenda[cç][aã]o\b|"
    r"\bne constitue (?:pas|en aucun cas) (?:un |une )?(?:conseil|recommandation)|"
    r"\bne remplace pas (?:l['’]avis|un avis|une consultation)|"
    r"\bnon costituisce (?:un[ao]? )?(?:sollecitazione|consulenza|raccomandazione)|"
    r"\bersetzt (?:keine|nicht die) (?:ärztliche|medizinische)|"
    r"\bkeine (?:anlageberatung|anlageempfehlung|kaufempfehlung)\b|"
    # affiliate notices: "liens affiliés", "enlaces de afiliados", "Affiliate-Links"
    r"\bliens (?:d['’])?affili[ée]s\b|\benlaces (?:de )?afiliad[oa]s\b|\blinks de afiliad[oa]s\b|"
    r"\blink (?:di )?affiliazione\b|\blink affiliati\b|\baffiliate-links?\b|"
    r"\bpercevoir une commission\b|\brecibir (?:una )?comisi[oó]n\b|"
    r"\berhalten wir (?:eine )?provision\b|"
    r"не является (?:индивидуальной )?инвестиционной рекомендацией|"
    r"носит (?:исключительно )?информационный характер|"
    r"情報提供を目的|代わるものではありません|投資勧誘を目的|不构成(?:任何)?(?:投资|医疗|法律)?"
    r"建议|本文(?:内容)?仅供参考|据此操作",
    re.IGNORECASE,
)
# Substrings one of DISCLAIMER_RE's alternatives needs on an ASCII line (its alternations
# cost ~0.23 us a character; HTML pages run it on every paragraph). Keep in step with it.
_DISCLAIMER_NEEDS = (
    "affiliate ", "commission", "share of", "cost to you", "substitute for professional",
    "purposes only", "general information only", "advice", "past performance is not",
    "your capital is at risk", "sponsored", "paid for", "produced in partnership",
    "independent press standards organisation", "code of practice", "no constituye",
    "informativo", "constitui", "ne constitue", "ne remplace pas", "non costituisce",
    "ersetzt ", "keine ", "affili", "afiliad", "percevoir une commission", "comision",
    "comisión", "provision", "disclaimer")
# disclaimer_words.WORDS: a word each ASCII alternative above holds whole (keep in step)
def disclaimer_free(lines: list[str]) -> bool:
    """No line can match DISCLAIMER_RE: all ASCII, none holding one of its words."""
    text = "\n".join(lines)
    return text.isascii() and not holds_word(text)


def disclaimer_cue(text: str) -> bool:
    """``DISCLAIMER_RE.search(text)``, ruled out first by word / substring tests (not on text
    with a letter IGNORECASE folds onto a needle's and lower() does not: İ ı ſ, old Cyrillic)."""
    if text.isascii():
        if not holds_word(text) \
                or not any(map(text.lower().__contains__, _DISCLAIMER_NEEDS)):
            return False
    elif not any(map(text.__contains__, "\u0130\u0131\u017f\u1c80\u1c82\u1c83\u1c84\u1c85")):
        low = text.lower()
        if not any(map(low.__contains__, _DISCLAIMER_NEEDS_ANY)):
            return False  # the regex: ~70 us a paragraph
    return bool(DISCLAIMER_RE.search(text))


# CJK disclaimers have no words to gate the pattern on: these substrings do it.
CJK_DISCLAIMER_MARKS = ("情報提供を目的", "代わるものではありません", "投資勧誘を目的", "不构成",
                        "仅供参考", "据此操作")
_DISCLAIMER_NEEDS_ANY = (*_DISCLAIMER_NEEDS, "не является", "информационный характер",
                         *CJK_DISCLAIMER_MARKS)
# Headings that open what follows a story in other shapes: a press release's "About X" /
# notes to editors / contacts (会社概要, お問い合わせ), a paywall's subscribe box, a related-
# articles list (関連記事, 相关阅读). Only short lines; everything from them on is cut.
TAIL_HEAD_RE = re.compile(
    # "About Acme Corp." / "Über Apothekenblick": a name, every word capitalised (a subhead
    # such as "About time we talked" or "Über Geld spricht man nicht" is not one)
    r"^\W*(?:about (?-i:[A-Z][\w&.,'’-]*)(?: (?:(?-i:[A-Z&])[\w&.,'’-]*|of|and|for|the|de)){0,5}"
    r"$|notes? (?:to|for) editors\b|"
    r"media (?:contacts?|enquiries|inquiries)\b|press contacts?\b|"
    r"subscribe (?:to|now to) (?:read|continue|keep reading)|"
    r"this (?:article|story) is (?:for|only available to|exclusive to) (?:subscribers|members)|"
    r"über (?:uns$|(?-i:[A-ZÄÖÜ][\w&.-]*)(?: (?-i:[A-ZÄÖÜ&])[\w&.-]*){0,2}$)|pressekontakt|"
    r"à propos de (?-i:[A-Z])|"
    r"contact (?:presse|médias)\b|acerca de (?-i:[A-Z])|contacto de prensa|"
    r"informazioni su (?-i:[A-Z])|contatti? (?:stampa|per la stampa)|"
    r"abonnez-vous pour (?:lire|continuer)|suscr[ií]bete para (?:seguir|continuar) leyendo|"
    r"assine para (?:continuar|ler)|jetzt weiterlesen|"
    r"подпишитесь на (?:рассылку|наш)|"
    r"■?(?:会社|企業|商品|製品|団体|開催|イベント|サービス)概要$|(?:本件に関する)?お問い合わせ|関連記事|关于我们|媒体联系|相关阅读|相关新闻|"
    # a Japanese paywall's "この記事は有料記事です。残り612文字"
    r"この記事は(?:有料|会員限定|会員)記事です|残り[\d０-９,，]+文字|有料会員(?:になると|登録)|"
    r"推荐阅读|延伸阅读|related (?:stories|articles|links|coverage|content)\W*$)", re.IGNORECASE)
TAIL_HEAD_KEYS = frozenset(("about", "notes", "note", "media", "press", "subscribe", "this",
                            "related",
                            "über", "pressekontakt", "à", "contact", "acerca", "contacto",
                            "informazioni", "contatti", "contatto", "abonnez-vous",
                            "suscríbete", "suscribete", "assine", "jetzt"))
# Cues that only mark short lines (prose says "comments" or "related" all the time).
SHORT_CUE_RE = re.compile(
    r"\bsee also\b|^related\b|^more\b.{0,30}:|follow us|sign in|log ?in\b|you are here|"
    r"back to top|\bmin(?:ute)?s? read\b|\bcomments?\b|\bpodcast\b|sponsored|\bpromo|"
    r"^(?:watch|listen|also read|more(?! than)|recommended|trending|topics|filed under|"
    + cue_keys.TAG_WORDS + r")\b\W",
    re.IGNORECASE,
)
# Weak cues: only count on short non-sentence lines (navigation / button labels).
WEAK_RE = re.compile(
    r"\b(?:share|tweet|e-?mail|print|facebook|twitter|linkedin|whatsapp|reddit|pinterest|"
    r"instagram|youtube|tiktok|telegram|menu|search|home|reply|report|like|follow|save|"
    r"copy link|next|previous|prev|close|open|register|top|latest|video|audio|gallery|"
    r"photos?|more(?! than)|sections?|news|opinion|sport|business|weather|contact|about us|"
    r"loading|toggle|navigation|accessibility|edition|account|profile|bookmark|partager|teilen|"
    r"compartir|condividi|compartilhar|udostępnij|paylaş|सेयर|शेयर|फेसबुक|ट्विटर)\b",
    re.IGNORECASE,
)
# Lines that end the article when they stand alone: comment/related/footer headers.
BOUNDARY_RE = re.compile(
    r"^(?:\d+\s+)?(?:comments?|responses?|replies)(?:\s*\(\d+\))?\W*$|^leave a (?:comment|reply)|"
    r"^join the (?:conversation|discussion)|^sort(?:ed)? by\W|"
    r"^(?:view|show|load|see|search|read) (?:all |more )?(?:[\d.,]+k?\s+)?comments\W*$|"
    r"^[\d.,]+k?\s+comments\W*$|"
    # (a counted "23 commentaires" sits by the headline too: only the bare head ends a story)
    r"^(?:" + COMMENT_WORDS + r")(?:\s*\(\d+\))?\W*$|"
    r"^(?:connectez-vous|identifiez-vous|inscrivez-vous) pour (?:réagir|commenter)|"
    r"^(?:schreiben sie|verfassen sie) (?:einen|den ersten) kommentar|"
    r"^(?:deja|escribe) (?:un|tu) comentario|^(?:laisser|écrire) un commentaire|"
    r"^lascia un commento|^(?:deixe|escreva) (?:um|seu) comentário|"
    r"^related(?: \w+)?\W*$|^more (?:from|on|in|stories|"
    r"news|like this)\b|^more [\w-]+(?: [\w-]+)? (?:news|stories|articles|headlines)\W*$|"
    r"^(?:recommended|you (?:may|might) (?:also )?like|most (?:read|popular|"
    r"viewed|shared)|trending|read next|what to read next|further reading|about the author|"
    r"latest (?:news|stories)|top stories|popular now|more stories)\b|^©|^copyright\b|"
    r"^(?:read more|also read|read also|see also)\W*$|^about (?:the (?-i:[A-Z])|us$)|"
    r"^(?:meistgelesen|mehr zum thema|mehr aus|lo más (?:visto|leído)|"
    r"te puede interesar|à lire aussi|lire aussi|articles récents|les plus lus|leggi anche|"
    r"leia também|lea también|lee también|más información\W*$)\b|^(?:" + READ_ALSO + r")\W*$",
    re.IGNORECASE,
)
COMMENT_META_RE = re.compile(
    r"^\S.{0,40}\s(?:says|said|wrote|replied)\s*:?$|^\d+\s+(?:minutes?|hours?|days?|weeks?|"
    r"months?|years?)\s+ago\b|^(?:reply|report|like|flag|permalink|upvote|\d+ likes?)\W*$|"
    r"^(?:il y a|vor|hace|há) \d+\s+(?:minutes?|heures?|jours?|minuten|stunden|tagen|minutos|"
    r"horas|días|dias)\W*$|^\d+\s+(?:minuti|ore|giorni|minuten|uur|dagen|minuter|timmar|dagar|"
    r"minutter|timer|dage|dager)\s+(?:fa|geleden|sedan|siden)\W*$|"
    # a commenter's handle: "u/name · 6 hr. ago", "@name 2h ago" (one \s*: two were quadratic)
    r"^[@\w/.-]{2,40}\s*(?:[·•|-]\s*)?\d+\s*(?:m|min|mins|h|hr|hrs|d|w|wk|mo|y|yr)s?\.?\s+ago\b",
    re.IGNORECASE,
)
BYLINE_RE = re.compile(r"^(?:(?:by|written by|words by|von|par|por|di|door|av|מאת|بقلم|โดย)"
                       r"(?::\s*|\s+)|(?:author|autora?|autorka|auteur|autore|szerző|författare|"
                       r"forfatter|kirjoittaja|yazar|penulis|автор|συντάκτης)\s*:\s*|"
                       # BBC's labels for screen readers: "Author, Jane Doe", "Role, BBC News"
                       r"(?:author|role|mwandishi|nafasi|autor|auteur),\s)(?=\S)", re.I)
DATE_HINT_RE = re.compile(
    r"\b(?:19|20|١٩|٢٠)\d\d(?:\b|(?=[年년])).*|\b\d{1,2}:\d\d\b|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|"
    r"dec)[a-z]*\.? \d", re.IGNORECASE)
MONTH = (r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?")
# Months the English stems above miss (de/fr/es/pt/it/nl, Arabic), whole words only: "3 Mai",
# "13.fev.2025", "٢٨ فبراير" (stems such as "mai" or "set" would also take "3 main reasons")
_OTHER_MONTH = (r"(?:märz?|mai|maio|okt(?:ober)?|dez(?:ember|embro)?|maart|mei|févr?(?:ier)?|"
                r"avr(?:il)?|août|juil(?:let)?|déc(?:embre)?|ene(?:ro)?|abr(?:il)?|agosto|"
                r"dic(?:iembre|embre)?|fev(?:ereiro)?|março|setembro|outubro|gennaio|"
                r"mag(?:gio)?|giu(?:gno)?|lug(?:lio)?|settembre|ott(?:obre)?|"
                r"يناير|فبراير|مارس|أبريل|ابريل|مايو|يونيو|يوليو|أغسطس|اغسطس|سبتمبر|أكتوبر|"
                r"اكتوبر|نوفمبر|ديسمبر)\.?")
DATE_LINE_RE = re.compile(
    rf"\b\d{{1,2}}(?:\.\s*|\s+(?:de\s+)?){_OTHER_MONTH}(?=[\s,،]|\d|$)|"
    rf"\b{MONTH}\s+\d{{1,2}}\b|\b\d{{1,2}}(?:st|nd|rd|th|\s+de)?\.?\s+{MONTH}(?:\s|$)|\b\d{{1,4}}[-/.]\d{{1,2}}[-/.]"
    r"\d{2,4}\b|\b\d{1,2}(?::|h)\d{2}\b|\b\d{1,2}\s?(?:am|pm|a\.m\.|p\.m\.)|"
    r"\d{1,2}\s*[月월]\s*\d{1,2}\s*[日일]", re.IGNORECASE)  # CJK: 11月20日
KEY_POINTS_RE = re.compile(
    r"^\W*(?:key points|the essentials|in brief|in short|at a glance|if your time is short|tl;?dr|"
    r"points? clés|l['’]essentiel|en bref|das wichtigste(?: in kürze)?|auf einen blick|"
    r"lo (?:esencial|más importante)|claves|em resumo|pontos[- ]chave|in sintesi|i punti chiave|"
    r"要点|要點|(?:この記事の)?ポイント|划重点)\W*$", re.IGNORECASE)
DIGIT_RE = re.compile(r"\d")
# Author bio after the story: "Jane Doe is a senior ...", "X es periodista", "X je novinarka"
BIO_RE = re.compile(
    r"^(?:[A-ZÀ-ÞĀ-Ž][\w'’.-]+\s+){1,4}(?:(?:(?:is|was)\s+(?:an?|the|(?:senior|deputy|associate|"
    r"chief|executive|managing|contributing))\s|(?:ist|es|est|è)\s+(?:(?:ein|eine|un|una|une)\s)?)"
    r".{0,80}?\b(?:writer|reporter|correspondent|editor|journalist|columnist|researcher|"
    r"contributor|author|analyst|reviewer|producer|critic|redakteurin?|korrespondentin?|"
    r"periodista|redactora?|journaliste|rédact(?:eur|rice)|giornalista|autora?|auteure?|"
    r"autrice|escritora?|écrivaine?|columnista|chroniqueu(?:r|se)|scritt(?:ore|rice))s?\b|"
    r"(?:é|és|je|jest|er|är|ir|on|ni|ay)\s+(?:\w+\s+){0,2}(?:novinar|novinář|dopisni[kc]|uredni[kc]|"
    r"redaktor|dziennikar|toimittaja|žurnalist|žurnālist|ajakirjanik|mwandishi|kazetari|"
    r"xornalista|mamamahayag|journalist|jornalista|periodista|reporter|korrespondent)\w*\b)|"
    r"^(?:[A-Z][\w'’.-]+\s+){2,3}(?:covers|reports on)\s[^.]{3,80}\bfor (?:the )?[A-Z]|"
    # ... or the name, a dash and the trade: "Federica Landi – Giornalista, si occupa di ..."
    r"^(?:[A-ZÀ-ÞĀ-Ž][\w'’.-]+\s+){2,3}[–—]\s+(?i:giornalista|journaliste?|periodista|"
    r"jornalista|reporter|redakteurin?|dziennikar\w*|novinar\w*)\b")
# BIO_RE's verbs and dashes: one is the 2nd to 5th word of any line it matches (its names
# are 1-4 words without spaces), so a line without one skips the regex (~1 us a line)
BIO_VERBS = frozenset(("is", "was", "ist", "es", "est", "è", "é", "és", "je", "jest", "er",
                       "är", "ir", "on", "ni", "ay", "covers", "reports", "–", "—"))
BULLET_RE = re.compile(r"^(?:[-*•–]|\d{1,2}[.)])\s")
# The head ends in \S so a long blank run is tried once, not from each of its characters.
TITLE_SUFFIX_RE = re.compile(r"^(.{14,}?\S)\s+[|–—-]\s+([^|–—-]{2,40})$")

# Photo captions in CJK pages: "写真：…", "图片：…", "사진=…"; a label over a table or a video
URL_HINTS = ("http", "www.", "@", ".com", ".org", ".net", ".co.uk", ".io")


def url_hint(low: str) -> bool:
    """``any(h in low for h in URL_HINTS)`` unrolled: 0.35 us a line instead of 0.58, and
    every line up to 40 words asks. Keep in step with URL_HINTS."""
    return ("http" in low or "www." in low or "@" in low or ".com" in low or ".org" in low
            or ".net" in low or ".co.uk" in low or ".io" in low)
SEP_CHARS = frozenset("|›»•·>/◦▸►→«‹＞")


# Short CJK lines that label or credit the story, never part of it: "（编辑：周敏）",
# "監修：薬剤師 佐藤健一", "【广告】", an affiliate notice "※本記事にはアフィリエイト広告が…"
_CJK_LABEL_RE = re.compile(
    r"^[（(【\[]?(?:(?:责任)?编辑|責任編輯|編集|監修|记者|記者|撰文|作者|摄影|攝影|校对|审核)[：:]"
    r"[^。！？]{1,30}[)）】\]]?$|^[【\[(（]?(?:广告|廣告|広告|推广|PR)[】\])）]?$|"
    r"^※?.{0,30}アフィリエイト(?:広告|リンク|プログラム)|"
    # the wire's credit closing a syndicated story, a date stamp's "配信" left on its own
    r"^[（(](?:共同通信|時事通信|ロイター|AFP=時事|AFPBB News|新华社|新華社|聯合ニュース|"
    r"中央社|연합뉴스|共同|時事)[)）]$|^(?:配信|更新|발행|发布)$")
# A gallery's "3 / 6" counter and its "Foto: Rui Farinha" / "Texto: Marta Sequeira ·" credits
_GALLERY_LABEL_RE = re.compile(
    r"^\d{1,3}\s*(?:/|de|of|von|sur|di)\s*\d{1,3}$|^(?:fotos?|photos?|images?|bild|imagen|"
    r"fotografia|foto e texto|texto|text|words|crédito|credit)\s*:\s*[^.!?:]{2,50}?\s*[·|•]?$",
    re.IGNORECASE)


def is_label(para: str) -> bool:
    """A short paragraph that labels or credits the story (or a photo) without telling it."""
    if para.isascii():
        return bool(_GALLERY_LABEL_RE.match(para))
    return bool((len(para) <= 60 and _CJK_LABEL_RE.match(para))
                or _GALLERY_LABEL_RE.match(para))
