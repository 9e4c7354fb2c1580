"""Lines an HTML page's story text carries that are no story: a newsletter's or channel's
pitch, a sign-up line ending in its button, a syndication note, "End of Article", a metered
paywall's count.

A module of its own because ``html_cleanup`` is at its size limit.
"""

from __future__ import annotations

import logging
import re

log = logging.getLogger(__name__)

PITCH_RE = re.compile(r"^(?:want|get|like|enjoy(?:ed)?|love)\b.{0,80}\b(?:in(?:to)? your inbox|"
                      r"newsletter)\b|"
                      # "Sign up for X's Wonder Theory science newsletter. Explore ..."
                      r"^sign up (?:for|to)\b.{0,80}\bnewsletters?\b|"
                      # "Recibe el boletín ... en tu bandeja de entrada", "Abonnez-vous à ..."
                      # (Galician: "Queres recibir as novas? Subscríbete ao noso boletín")
                      r"^(?:recib[ae]|sub?scr[ií]bete|receba|assine|inscreva-se|recevez|"
                      r"queres|quieres|"
                      r"abonnez-vous|inscrivez-vous|abonnieren sie|erhalten sie|ricevi|"
                      r"iscriviti)\b.{0,100}\b(?:bolet[ií]n|newsletter|bandeja de entrada|"
                      r"caixa de entrada|bo[iî]te (?:mail|de r[ée]ception)|postfach|casella)\b|"
                      # a blog's call to pass the post on and comment under it
                      r"^please (?:share|forward) this (?:post|article|story|page)\b",
                      re.IGNORECASE)
# syndication notes, "End of Article", a metered paywall's count ("You have read 3 of 5
# free articles", "Sie lesen 3 von 5 kostenlosen Artikeln")
TRAILER_RE = re.compile(
    r"^this (?:article|story|report) (?:was|is) (?:first|originally) published\b|"
    r"^\(?with inputs from\b[^.]{0,60}\)?\W*$|^end of (?:the )?article\W*$|"
    r"^catch all the\b.{0,120}\bnews\b|^get (?:current|latest) (?:news )?(?:updates|news) on\b"
    r".{0,160}\b(?:news|headlines)\b|^(?:you(?:'ve| have)? read|sie lesen|vous avez lu|"
    r"has leído|hai letto|você leu) \d+ (?:of|von|sur|de|di) \d+ |"
    # a wire's sign-off: "Reporte de Jane Doe; Editado por John Roe", "(Reportage X; édité
    # par Y)", "Reportagem de X; Edição de Y"
    r"^\(?(?:reporte|información|reportaje|reportagem|reportage|reporting|bericht|"
    r"servizio)(?: de| by| von| di|:)? (?-i:[A-ZÀ-Þ])[^.;]{1,120};\s*(?:edit(?:ad[oa]|ing|é)|"
    r"edición|edição|édité|redigiert|bearbeitet|version française|"
    r"redacci[oó]n)\b|"
    # an editor's or curator's credit alone ("Επιμέλεια: Ελένη Παππά"); a wire's slashed
    # sign-off ("/ritzau/"); a Korean agency's tip line and rights notice ("<저작권자(c) ...>")
    r"^(?:επιμέλεια|redakcja|edición|edição|redazione|curated by|edited by)\s*:\s*"
    r"[^\W\d_][^.!?:]{2,40}$|^/[^\W\d_][\w .-]{1,25}/\W*$|^제보는 (?:카카오톡|이메일)|^<?저작권자|"
    # Lusa's editors' initials ("JRC // SSS"); a broadcaster's "we reported this on air" note
    r"^(?-i:[A-Z]{2,4}(?:\s?//\s?[A-Z]{2,4})+)\W*$|^über dieses thema berichtete\b|"
    # Taiwanese papers' "continue reading" marker and app promotion (no sentence of a story)
    r"^請?繼續(?:往下)?閱讀\W*$|^[^。]{0,60}(?:下載|下载)\s?APP[^。]*$|"
    # Chinese portals' "original title" note, "open the app for the pictures", "(end)"; an
    # Indian portal's English "Web Title:" line
    r"^[（(]原标题[：:]|^打开.{1,12}查看(?:精彩)?图片|^[（(]完[）)]$|^web title\s*:|"
    # an Arabic wire editor's initials ("م ع / س ح")
    r"^[\u0621-\u064a](?:[ .]?[\u0621-\u064a])?(?:\s*/\s*[\u0621-\u064a](?:[ .]?[\u0621-\u064a])?)"
    r"{1,3}\W*$",
    re.IGNORECASE)
# A pitch for the site's channel on a messaging platform or news app: "Iscriviti al nostro
# canale WhatsApp", "Join our WhatsApp channel", "Síguenos en nuestro canal de Telegram"
_CHANNEL_PITCH_RE = re.compile(
    r"\b(?:iscriviti|unisciti|segui(?:ci)?|join|follow|subscribe|abonnez-vous|rejoignez|"
    r"suivez|[úu]nete|s[ií]guenos|siga|entre|folgen sie|abonnieren sie|katılın|takip edin)\b"
    r".{0,40}(?:\b(?:canale|channel|canal|kanal|chaîne|kanalımız)\b.{0,30}"
    r"\b(?:whats ?app|telegram|viber)\b|\b(?:whats ?app|telegram|viber)\b.{0,20}"
    r"\b(?:canale|channel|canal|kanal|chaîne)\b)", re.IGNORECASE)
_CHANNEL_NAMED_RE = re.compile(
    r"(?:\b(?:whats ?app|telegram|viber) (?:channel|kanal|saluran)|\b(?:channel|canale|canal|"
    r"kanal|chaîne|saluran)(?: (?:de|di|en|on|auf|sur|kami|resmi))? (?:whats ?app|telegram|"
    r"viber))\s?[:：-]?\s?https?://", re.IGNORECASE)
_CHANNEL_WORDS = ("WhatsApp", "Whatsapp", "Telegram", "WHATSAPP", "TELEGRAM", "Viber")
# "Receba notícias do X no seu WhatsApp", "Polub nas na Facebooku", "Google News üzerinden
# bizi takip edin", "Подписывайтесь на X в Telegram и VK": the site's news on a platform, or
# "follow / like us" there
_PLATFORM_PITCH_RE = re.compile(
    r"^(?:receba|recebe|recibe|ricevi|recevez|receive|get)\s+(?:as |las |le |les |the )?"
    r"(?:[^\W\d_]+ ){0,2}(?:notícias|noticias|notizie|news|nachrichten|actualités|"
    r"informações|updates)\b.{0,60}\b(?:whats ?app|telegram|viber)\b|"
    r"\b(?:polub nas|obserwuj nas|follow us|like us|folgen sie uns|suivez-nous|s[ií]guenos|"
    r"siga-nos|seguici|volg ons|följ oss|følg os|seuraa meitä|kövess(?:en)? minket|sledujte "
    r"nás|urmări(?:ți|ţi)-ne|bizi\b.{0,30}\btakip edin|подписывайтесь|подпишитесь|"
    r"підписуйтесь|читайте нас|следите за нами|стежте за нами)\b.{0,60}\b(?:facebook\w*|"
    r"instagram|twitter|tiktok|youtube|telegram|whats ?app|google news|vk|вконтакте|дзен)\b|"
    r"\b(?:facebook\w*|instagram|google news|telegram|whats ?app)\b.{0,30}\b(?:bizi takip "
    r"edin|takip edin|follow us|obserwuj nas)\b|"
    # a desk's own accounts: "Follow Meridian York on Facebook, X and Instagram."
    r"^follow\b[^.]{0,60}\bon (?:facebook|x|twitter|instagram|tiktok|youtube|threads)\b|"
    # Hebrew, Arabic, Persian: "join the WhatsApp group / Telegram channel of ..."
    r"(?:הצטרפו|הצטרפי|הצטרף) ל(?:קבוצת|ערוץ|קבוצה|ערוץ ה)|"
    r"(?:انضم|انضموا|انضمي|اشترك|تابعونا|تابعوا) .{0,30}(?:قناة|مجموعة|قناتنا)|"
    r"(?:عضو|بپیوندید) .{0,30}(?:کانال|گروه)",
    re.IGNORECASE)
_PLATFORMS = ("WhatsApp", "Whatsapp", "Telegram", "Viber", "Facebook", "Instagram", "Google News",
              "Twitter", "TikTok", "YouTube", "VK", "ВКонтакте", "Дзен", "ווטסאפ", "וואטסאפ",
              "טלגרם", "واتساب", "واتس اب", "تيليجرام", "تلغرام", "تلگرام", "واتس‌اپ")
# A sign-up pitch ending in its button's words: "Haberleri ilk siz öğrenin. ABONE OL"
_BUTTON_ENDS = ("abone ol", "subscribe now", "subscribe", "abonnieren", "s'abonner",
                "suscríbete", "iscriviti", "inscreva-se", "assine já", "zapisz się")


# A desk's appeal for tips with its address: "Masz informacje? Napisz do nas: x@y.pl"
_TIP_RE = re.compile(r"\b(?:napisz do nas|write to us|e-?mail us|schreiben sie uns|écrivez-nous|"
                     r"escr[íi]banos|scrivici|escreva-nos|пишіть нам|пишите нам)\b.{0,30}"
                     r"@[\w-]+\.\w", re.IGNORECASE)


def is_pitch(line: str, spaces: int) -> bool:
    """A newsletter's or channel's pitch or a syndication trailer (``spaces``: the line's
    space count, its words less one)."""
    if trailer_or_sign_up(line):
        return True
    if "@" in line and spaces < 25 and _TIP_RE.search(line):
        return True
    if spaces < 30 and any(w in line for w in _CHANNEL_WORDS) \
            and _CHANNEL_PITCH_RE.search(line):
        return True
    if platform_pitch(line, spaces):
        return True
    # ... or one that gives the channel's address after its name: "... akses berita X
    # WhatsApp Channel : https://..." (a story about a channel gives no link right there)
    if spaces < 40 and "://" in line and any(w in line for w in _CHANNEL_WORDS) \
            and _CHANNEL_NAMED_RE.search(line):
        return True
    # (no full stop after the button's words: a sentence that ends "... to subscribe." stays)
    return spaces < 12 and line[-1:].isalpha() and line.lower().endswith(_BUTTON_ENDS) \
        and any(c in line for c in ".!?")


def platform_pitch(line: str, spaces: int) -> bool:
    """The site's news offered on a platform, or "follow / like us" there (short lines)."""
    return spaces < 30 and any(w in line for w in _PLATFORMS) \
        and bool(_PLATFORM_PITCH_RE.search(line))


# Consent notices are long, so they get their own cue without the length cap: a cookie
# banner's, or a newsletter box's small print ("We use your sign-up to provide content in
# ways you've consented to ... You can unsubscribe at any time. Read our Privacy Policy")
# (the cookie's name in languages that do not borrow the English word, stems: "sütiket",
# "çerezleri", "evästeitä", "informasjonskapsler", "ciasteczek", "kolačiće", "бисквитки")
_COOKIE = (r"(?:\bcookies?\b|süti|çerez|eväste|\bkakor\b|informasjonskapsl|ciastecz|küpsis|"
           r"sīkdatn|slapuk|piškot|kolačić|бисквитк|\bкуки\b|עוגיות|کوکی|クッキー|쿠키|คุกกี้|vafrakök)")
_CONSENT_RE = re.compile(
    _COOKIE + r".{0,400}(?:\b(?:consent|accept|agree|partners|withdraw|preferences|"
    r"einverstanden|zustimm|einwilligung|acept|consiente|accepte[zr]?|consentement|elfogad|"
    r"hozzájárul|kabul|onay|hyväksy|suostum|zgod|akceptuj|souhlas|prihvać|suglas|съглас|прием|"
    r"согла|принима|akkoord|toestemming|godkänn|samtyck|samtykk|consenso|accett|aceit|"
    r"consentimento|nõustu|sutink|piekrīt|strinja|soglas|αποδοχ|αποδέχ|συναίνεσ|đồng ý|"
    r"chấp nhận|setuju|menerima|persetujuan)|מסכים|אישור|موافق|قبول|موافقت|پذیرش|同意|동의|"
    r"ยอมรับ|ยินยอม)|"
    r"\bwe use your sign-?up\b|\bunsubscribe at any time\b.{0,200}\bprivacy (?:policy|notice)",
    re.IGNORECASE)


_CONSENT_KEYS = frozenset((
    "cookie", "cookies", "unsubscribe", "sign-up", "signup", "süti", "sütik", "sütiket",
    "sütikről", "çerez", "çerezler", "çerezleri", "çerezlerin", "evästeet", "evästeitä",
    "evästeiden", "kakor", "informasjonskapsler", "ciasteczka", "ciasteczek", "küpsised",
    "küpsiseid", "sīkdatnes", "sīkdatņu", "slapukai", "slapukus", "slapukų", "piškotke",
    "piškotki", "piškotkov", "kolačiće", "kolačići", "kolačića", "бисквитки", "бисквитките",
    "куки", "עוגיות", "کوکی", "کوکی‌ها", "vafrakökur"))
# cookies in scripts written without spaces (a line of them is one "word")
_CJK_COOKIE = ("クッキー", "쿠키", "คุกกี้", "Cookie")


def consent_notice(text: str, low: str, words: frozenset[str]) -> bool:
    """A cookie banner's or a sign-up box's consent text (``low``: lower-cased; ``words``:
    its words, the cheap first test, or none for a long line)."""
    if words:
        hit = not words.isdisjoint(_CONSENT_KEYS) or (
            not text.isascii() and any(c in text for c in _CJK_COOKIE))
    else:
        hit = "cookie" in low or "unsubscribe" in low or any(
            k in low for k in ("süti", "çerez", "eväste", "ciastecz", "kolačić", "бисквитк"))
    return hit and bool(_CONSENT_RE.search(text))


def trailer_or_sign_up(line: str) -> bool:
    """A syndication trailer or a newsletter's sign-up line (``is_pitch``'s anchored part)."""
    return bool(PITCH_RE.match(line) or TRAILER_RE.match(line))
