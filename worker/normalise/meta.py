"""Field parsers shared by every input kind: URLs, language, datelines, bylines."""

from __future__ import annotations

import logging
import re
from datetime import datetime
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

import idna

from worker.normalise.dates import parse_date_hint
from worker.normalise.stopwords import ALL_STOPWORDS, STOPWORDS

log = logging.getLogger(__name__)

# --- URLs --------------------------------------------------------------------------------

# Trackers courlan may not know (it knows utm_*, fbclid, gclid, mc_*, ref, source, ...):
# removed before courlan sees the query, so the rule is courlan's plus these.
_TRACKING_RE = re.compile(
    r"^(utm_\w*|fbclid|gclid|gclsrc|dclid|msclkid|yclid|mc_cid|mc_eid|_ga|_gl|igshid|"
    r"mkt_tok|oly_anon_id|oly_enc_id|vero_id|wickedid|__s|_hsenc|_hsmi|hsctatracking|"
    r"ref_src|ref_url|cmpid|cmp|ocid|sr_share|s_cid|icid|ncid)$",
    re.IGNORECASE,
)


def canonical_url(url: str) -> str:
    """One spelling per address (docs/identity.md#canonical-urls): lower-case scheme and
    host, IDNA and Unicode hosts unified (UTS 46, given in Unicode), no default port or
    fragment; the query through courlan's ``clean_query`` (parameters sorted, its trackers
    and ours removed); the path percent-encoded one way (RFC 3986 section 6.2.2)."""
    url = url.strip()
    if _PLAIN_URL_RE.fullmatch(url) and "xn--" not in url:
        return url  # already in that form: every step below would leave it as it is
    from courlan.clean import clean_query  # lazy: courlan loads language tables on import

    try:
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        host = (parts.hostname or "").rstrip(".")
        port = parts.port
    except ValueError:
        return url
    if not host:
        return urlunsplit((scheme, parts.netloc, parts.path, parts.query, ""))
    netloc = _host(host)
    if port is not None and port != _DEFAULT_PORTS.get(scheme):
        netloc = f"{netloc}:{port}"
    if parts.username:
        cred = parts.username + (f":{parts.password}" if parts.password else "")
        netloc = f"{cred}@{netloc}"
    query = parts.query
    if query:
        pairs = parse_qsl(query, keep_blank_values=True)
        kept = [(k, v) for k, v in pairs if not _TRACKING_RE.match(k)]
        query = clean_query(urlencode(kept) if len(kept) != len(pairs) else query)
        # a bare key is often the page itself (SPIP's "spip.php?article1287"): courlan
        # drops keys without a value, so they are put back, sorted, after the others
        bare = sorted(seg for seg in parts.query.split("&")
                      if seg and "=" not in seg and not _TRACKING_RE.match(seg))
        if bare:
            query = "&".join(([query] if query else []) + bare)
    path = _PCT_RE.sub(_pct, parts.path)
    path = quote(path, safe="/%:@!$&'()*+,;=~") or ("/" if query else "")
    return urlunsplit((scheme, netloc, path, query, ""))


# Lower-case scheme and host, no port, user, query or fragment, a path of unreserved
# characters only (nothing to decode or encode)
_PLAIN_URL_RE = re.compile(r"https?://[a-z0-9-]+(?:\.[a-z0-9-]+)*(?:/[A-Za-z0-9._~/-]*)?")
_DEFAULT_PORTS = {"http": 80, "https": 443}
_PCT_RE = re.compile(r"%([0-9A-Fa-f]{2})")
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")


def _pct(m: re.Match[str]) -> str:
    # An escaped unreserved character is the character; other escapes in upper case.
    ch = chr(int(m.group(1), 16))
    return ch if ch in _UNRESERVED else "%" + m.group(1).upper()


def _host(host: str) -> str:
    """A host name in one form: IPv6 literals bracketed; international names mapped (UTS 46:
    case, width, NFC) and given in Unicode, whether they came as ``xn--`` or Unicode."""
    if ":" in host:  # IPv6 literal
        return f"[{host}]"
    if host.isascii() and "xn--" not in host:
        return host.lower()
    try:
        return str(idna.decode(idna.encode(host, uts46=True)))
    except idna.IDNAError:  # not a valid international name: courlan lower-cases it
        return host


# --- language ----------------------------------------------------------------------------

_WORD_RE = re.compile(r"[^\W\d_]+")
# _WORD_RE on lower-case ASCII text: every other character a space, then split (the same
# runs of a-z as findall(r"[a-z]+"), in half its time on the bench articles)
_ASCII_NON_LETTERS = str.maketrans({chr(c): " " for c in range(128)
                                    if not ord("a") <= c <= ord("z")})
_SCRIPTS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"[\u3040-\u30ff]"), "ja"), (re.compile(r"[\uac00-\ud7af]"), "ko"),
    (re.compile(r"[\u4e00-\u9fff]"), "zh"), (re.compile(r"[\u0400-\u04ff]"), "ru"),
    (re.compile(r"[\u0600-\u06ff]"), "ar"), (re.compile(r"[\u0370-\u03ff]"), "el"),
    (re.compile(r"[\u0590-\u05ff]"), "he"), (re.compile(r"[\u0900-\u097f]"), "hi"),
    (re.compile(r"[\u0e00-\u0e7f]"), "th"),
)


_LANGS_OF: dict[str, tuple[str, ...]] = {}
for _lang, _words in STOPWORDS.items():
    for _w in _words:
        _LANGS_OF[_w] = (*_LANGS_OF.get(_w, ()), _lang)


def detect_language(text: str) -> str | None:
    """ISO 639-1 code from script, then stop-word counts; None when unsure."""
    sample = text[:1200]
    if not sample.isascii():
        for pattern, lang in _SCRIPTS:
            if len(pattern.findall(sample)) > len(sample) * 0.15:
                return lang
    # the same letter runs: the Unicode class costs ~50 us a sample, ASCII letters ~5 us
    words = sample.lower().translate(_ASCII_NON_LETTERS).split() if sample.isascii() \
        else _WORD_RE.findall(sample.lower())
    if len(words) < 5:
        return None
    # a plain loop: compiled (mypyc), ~90 k instructions a bench article against ~155 k for
    # Counter(chain(filter(map(...)))); as plain Python it is slower, but the normaliser
    # runs compiled (make speedups)
    counts: dict[str, int] = {}
    langs_of = _LANGS_OF  # (a local: compiled, a global is a dict lookup per word)
    for w in words:
        langs = langs_of.get(w)
        if langs is not None:
            for lang in langs:
                counts[lang] = counts.get(lang, 0) + 1
    if not counts:
        return None
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    best, n = ranked[0]
    runner_up = ranked[1][1] if len(ranked) > 1 else 0
    if n >= 3 and n >= 0.08 * len(words) and n > 1.2 * runner_up:
        return best
    return None


def norm_language(value: str | None) -> str | None:
    """'en-GB', 'en_US', 'EN' -> 'en'."""
    if not value or not isinstance(value, str):
        return None
    code = _LANG_SPLIT_RE.split(value.strip().lower(), maxsplit=1)[0]
    return code if _LANG_CODE_RE.fullmatch(code) else None


_LANG_SPLIT_RE = re.compile(r"[-_]")
_LANG_CODE_RE = re.compile(r"[a-z]{2}")


# --- datelines and bylines -----------------------------------------------------------------

_UP = "A-ZÀ-ÖØ-ÞĀ-Ž"
_CITY = rf"[{_UP}][{_UP}.'’ -]{{1,38}}?"
_PR_DATE = r"(?:[A-Z][a-z]{2,8}\.?\s+\d{1,2},?\s+\d{4}|\d{1,2}\.?\s+[A-Z][a-z]{2,8}\.?\s+\d{4})"
# "(Reuters)", "/PRNewswire/", or a press release's "(April 9, 2024)"
_AGENCY = rf"(?:\((?:[A-Za-z{_UP}][\w.&/ -]{{0,30}}|{_PR_DATE})\)|/\s?[A-Z][\w .-]{{1,30}}/)"
_WHEN = (r"(?:,\s*(?:[A-Z][a-zé]{2,8}\.?\s+\d{1,2}|\d{1,2}\.?\s+(?:de\s+)?[^\W\d_]{3,10}\.?)"
         r"(?:,?\s+\d{4})?)?")
_REGION = r"(?:,\s*[A-Z][\w.]*(?:\s+[A-Z][\w.]*){0,2})?"  # ", Ill." / ", British Columbia"
_DATELINE_RES = (
    re.compile(rf"^\[\s*([{_UP}][\w .,'’-]{{1,40}}?)\s*\]\s*[-—–:]*\s*"),  # [BEIJING]
    # LONDON, March 3 (Reuters) -  /  Berlin (dpa) -  /  CITY, Ohio, May 14, 2024 /PRNewswire/ --
    # MADRID, 25 Feb. (EFE).-  /  ZARAGOZA, (EUROPA PRESS) -
    # ZARAGOZA, 3 (EUROPA PRESS) - (the day of the month alone)
    # Brno 14. května (ČTK) -  (the date after the place without a comma)
    re.compile(rf"^([{_UP}][\w.'’ -]{{1,38}}?{_REGION})(?:,\s*\d{{1,2}}(?=\s*\())?{_WHEN}"
               rf"(?:\s\d{{1,2}}\.\s?[^\W\d_]{{3,12}}\.?)?,?\s*{_AGENCY}\.?\s*[-—–:]+\s*"),
    # WASHINGTON —   /   SPRINGFIELD, Ill. —   /   NEW YORK --
    re.compile(rf"^({_CITY}{_REGION}){_WHEN}\s*(?:[—–]+|--|-(?=\s))\s+"),
    re.compile(rf"^({_CITY}):\s+(?=[A-Z])"),  # NEW DELHI: The ... (Indian wire style)
    # the agency first (Italian wires): (ANSA) - ROMA, 28 MAG -
    re.compile(rf"^{_AGENCY}\s*[-—–]+\s*({_CITY}){_WHEN}\s*[-—–]+\s+"),
)
# Arabic wire datelines: "القاهرة - (وكالات) - ..." / "القاهرة - ...": one or two words, a
# spaced dash (Arabic has no capitals to tell a place by, so nothing longer is taken).
_AR_DATELINE_RE = re.compile(
    r"^([\u0621-\u064a]{2,}(?: [\u0621-\u064a]{2,})?) [-—–] (?:[(（][^()]{1,30}[)）] [-—–] )?")
# Chinese wire datelines: 新华社北京1月11日电（记者王静） / 中新网上海3月2日电
_CJK_DATELINE_RE = re.compile(
    r"^(?:本报|[\u4e00-\u9fff]{1,5}?[社网報报台])([\u4e00-\u9fff]{2,6}?)\d{1,2}月\d{1,2}日"
    r"[电讯電訊]\s*(?:[（(][^）)]{0,40}[）)])?\s*")
# Wire datelines of more scripts, each in its agencies' house style (only tried on non-ASCII):
# Korean "(서울=연합뉴스) 홍길동 기자 =", Japanese "【大阪共同】", Russian/Ukrainian
# "МОСКВА, 14 марта. /ТАСС/." or "КИЇВ, 14 березня - РИА Новости.", Hindi and other Indic
# "नयी दिल्ली, 14 मार्च (भाषा)"
_KO_DATELINE_RE = re.compile(
    r"^[(（]([\uac00-\ud7af]{1,10})\s*=\s*[^()（）=]{1,20}[)）]\s*"
    r"(?:[^=\s]{1,10}(?:\s[^=\s]{1,10}){0,2}\s*(?:기자|특파원)\s*)?=?\s*")
_JA_DATELINE_RE = re.compile(
    r"^【([\u3040-\u30ff\u4e00-\u9fff]{1,8}?)(?:共同|時事|ロイター|AFP=時事|AFP|AP|新華社|聯合)】\s*")
_CYR_DATELINE_RE = re.compile(  # (and BTA's "Пловдив, 23 април (БТА) – ")
    r"^([А-ЯЁІЇЄҐ][А-ЯЁІЇЄҐ'’ -]{1,30}|"
    r"[А-ЯЁІЇЄҐ][а-яёіїєґ'’-]{1,20}(?: [А-ЯЁІЇЄҐ][а-яёіїєґ'’-]{1,20})?)"
    r",\s*\d{1,2}\s+[а-яёіїєґ]{3,10}(?:\.?\s*/[^/\n]{2,20}/\.?|\s+[-—–]\s+[^.\n]{2,20}\.|"
    r"\s*\([А-ЯЁІЇЄҐA-Z][^()\n]{1,20}\)\s*[-—–])\s*")
_INDIC_DATELINE_RE = re.compile(  # (Bengali wires add the year: "ঢাকা, ১৪ মার্চ, ২০২৫ (বাসস) :")
    r"^([\u0900-\u0dff]+(?: [\u0900-\u0dff]+){0,2}),\s*(?:\d{1,2}\s+[\u0900-\u0dff]+,?"
    r"(?:\s*\d{4})?\s*[(（][^()]{2,20}[)）]\s*[-—–:]?|ता\.\s*[\d०-९]{1,2}\s*[:：-])\s*")
# (and Marathi papers' "पुणे, ता. ५ :", the day of the month only; Nepali papers put the
# date first: "वैशाख ४, काठमाडौं — ...")
_NE_DATELINE_RE = re.compile(
    r"^[\u0900-\u097f]+ [\d०-९]{1,2}, ([\u0900-\u097f]+(?: [\u0900-\u097f]+)?) [—–-] ")
# A place in capitals and a dash in Cyrillic or Greek ("ЗРЕЊАНИН – ", "ΑΘΗΝΑ — "), as the
# Latin-script "WASHINGTON — "
_CAPS = "А-ЯЁЂЈЉЊЋЏЄІЇҐΑ-ΩΆΈΉΊΌΎΏ"
_CAPS_DATELINE_RE = re.compile(  # (and an agency after a stop: "АЛМАТЫ. KAZINFORM — ")
    rf"^([{_CAPS}][{_CAPS}'’. -]{{1,30}}?)(?:\.\s+[A-Z{_CAPS}][\w-]{{1,20}})?"
    r"\s*(?:[—–]+|--|-(?=\s))\s+")
# An Arabic-script place and the reporter's or agency's credit in brackets, no dash (Urdu
# papers: "کراچی (اسٹاف رپورٹر) ...", "لاہور (نمائندہ خصوصی) ...")
_AR_CREDIT_DATELINE_RE = re.compile(
    r"^([\u0621-\u064a\u0671-\u06d3]{2,}(?: [\u0621-\u064a\u0671-\u06d3]{2,})?) ?"
    r"[(（][\u0621-\u064a\u0671-\u06d3 ]{2,30}[)）]\s*[-—–:]?\s*")
# Ethiopian wires: place, the Ethiopian-calendar date, the agency ("ባሕር ዳር፤ መጋቢት 5/2017 (ኢዜአ)፡-")
_ETHIOPIC_DATELINE_RE = re.compile(
    r"^([\u1200-\u137f]+(?: [\u1200-\u137f]+){0,2})\s*[፤፣,]\s*[^()\n]{0,30}?"
    r"[(（][^()]{1,20}[)）]\s*(?:[፡፦:]-?|[-—–])\s*")
# Taiwanese papers and wire: "〔記者蔡淑媛／台中報導〕", "（中央社記者林長順台北14日電）" (the
# reporter's name taken whole first: most places are two characters)
_TW_DATELINE_RE = re.compile(
    r"^[〔［\[（(](?:記者[^／/〕］\]）)]{1,12}[／/]([\u4e00-\u9fff]{2,6}?)(?:報導|报道)|"
    r"中央社(?:記者[\u4e00-\u9fff]{2,4})?([\u4e00-\u9fff]{2,4}?)\d{1,2}日[電电])[〕］\]）)]\s*")
# Persian agencies: place, agency, each closed by a dash ("تهران- ایرنا- ", "تبریز- آوا- ")
_FA_LETTERS = "[\u0621-\u06d3\u200c]"
_FA_DATELINE_RE = re.compile(
    rf"^({_FA_LETTERS}{{2,}}(?: {_FA_LETTERS}{{2,}})?) ?[-–—] ?"
    rf"{_FA_LETTERS}{{2,20}}(?: {_FA_LETTERS}{{2,20}})? ?[-–—]\s*")
_MORE_DATELINE_RES = (_KO_DATELINE_RE, _FA_DATELINE_RE, _JA_DATELINE_RE, _CYR_DATELINE_RE,
                      _INDIC_DATELINE_RE, _NE_DATELINE_RE,
                      _CAPS_DATELINE_RE, _AR_CREDIT_DATELINE_RE, _ETHIOPIC_DATELINE_RE,
                      _TW_DATELINE_RE)
_PR_DATE_RE = re.compile(_PR_DATE)
# "عاجل - ..." (breaking), update, video, in pictures, exclusive: labels, not places
_AR_NOT_PLACE = frozenset(("عاجل", "تحديث", "فيديو", "بالصور", "بالفيديو", "حصري", "خاص"))
_NOT_PLACE = {"BREAKING", "UPDATE", "UPDATED", "EXCLUSIVE", "WATCH", "CORRECTION", "WARNING",
              "ALERT", "NOTE", "EDITOR'S NOTE", "LIVE", "VIDEO", "PHOTOS", "ANALYSIS", "OPINION"}


def split_dateline(para: str) -> tuple[str | None, str]:
    """('BEIJING', rest) for '[BEIJING] rest', 'BEIJING (Reuters) - rest', 'WASHINGTON — rest'."""
    if para.isascii():
        # each pattern needs one of these (a bracket, an agency's "(" or "/", a dash, a
        # colon): most paragraphs are ruled out by five scans, not five regexes (~5 us)
        if "-" not in para and ":" not in para and "(" not in para and "/" not in para \
                and "[" not in para:
            return None, para
    else:
        m = _CJK_DATELINE_RE.match(para)
        if m and para[m.end():].strip():
            return m.group(1), para[m.end():].strip()
        m = _AR_DATELINE_RE.match(para)
        if m and len(para[m.end():].split()) >= 3 and m.group(1) not in _AR_NOT_PLACE:
            return m.group(1), para[m.end():].strip()
        if para[:1] in "(（【" or not para[:1].isascii():
            for pattern in _MORE_DATELINE_RES:
                m = pattern.match(para)
                if m and len(para) - m.end() >= 20:
                    return next(g for g in m.groups() if g), para[m.end():].strip()
    for i, pattern in enumerate(_DATELINE_RES):
        m = pattern.match(para)
        if not m:
            continue
        city = m.group(1).split(",")[0].strip(" .-")
        rest = para[m.end():].strip()
        if not city or not rest or len(city.split()) > 4:
            continue
        if i == 3 and city in _NOT_PLACE:
            continue
        if i >= 2 and not city.replace(".", "").replace(" ", "").replace("'", "").isupper():
            continue  # an all-caps place is what tells "WASHINGTON —" from prose with a dash
        if i == 1 and not (city.isupper() or len(city.split()) <= 3):
            continue
        return city, rest[:1].upper() + rest[1:]
    return None, para


# German local papers open with the place and a full stop: "Bad Wimpfen. Das Freibad ...",
# "Frankfurt am Main. Die ...", "Neustadt a. d. Weinstraße. Der ..."
_LOCAL_RE = re.compile(rf"^([{_UP}][\w'’-]+(?:\s(?:[{_UP}][\w'’-]+|am|an der|im|in der|ob der|"
                       rf"bei|vor der|a\.|i\.|d\.|a\. ?d\.)){{0,3}})\.\s+([{_UP}][\w'’]*)\s")
# (and the question words, numbers and time words German local stories also open with)
_LOCAL_OPENERS = STOPWORDS["de"] | {
    "wer", "was", "wo", "wann", "warum", "wenn", "weil", "seit", "ob", "nachdem", "während",
    "trotz", "dieser", "diese", "dieses", "viele", "alle", "kein", "keine", "zwei", "drei",
    "vier", "fünf", "rund", "fast", "knapp", "nun", "jetzt", "heute", "gestern", "schon"}


# Indonesian and Latin American papers open with the place in title case and a dash:
# "Jakarta - Dinas ...", "León, Gto.- El ..." (a state's abbreviation may follow the city);
# Nigeria's agency with a date and its name: "Ilorin, Feb. 14, 2025 (NAN) The ..."; the
# Baltic agencies' "Vilnius, rugsėjo 18 d. (ELTA). ...", "Tallinn, 12. märts (BNS). ...";
# an agency after the date, Azerbaijani style: "Bakı, 27 may, AZƏRTAC. ...".
_MONTH = (r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)[a-z]*\.?")
_DASH_LOCAL_RE = re.compile(
    rf"^([{_UP}][\w'’-]+(?: [{_UP}][\w'’-]+){{0,2}})(?:, [{_UP}][\w.]{{1,8}})?"
    rf"(?:\.?\s?[-–—]{{1,2}}|(?:, ({_MONTH} \d{{1,2}},? \d{{4}}|\d{{1,2}} {_MONTH},? \d{{4}}|"
    rf"[^\W\d_]{{3,12}} \d{{1,2}} d\.|\d{{1,2}}\. [^\W\d_]{{3,12}}))?"
    rf" \([A-Z]{{2,8}}\)(?:\.|\s?[-–—]{{1,2}})?|, (\d{{1,2}}\.? [^\W\d_]{{3,12}}\.? \d{{4}}) [-–—]|"
    rf", \d{{1,2}}\.? [^\W\d_]{{3,12}}\.?, [{_UP}Ə]{{2,8}}\.)"
    rf"\s+(?=[{_UP}\"“«])|"
    # a Catalan/Spanish agency's "ACN Girona.-El ple ..." (the agency before the place)
    rf"^[A-Z]{{2,6}} ([{_UP}][\w'’]+(?: [{_UP}][\w'’]+){{0,2}})\.[-–—]\s*(?=[{_UP}])")
# ... or a colon: "சென்னை: ...", "मुंबई: ..." (Indic scripts, place of one or two words)
# ... after a desk or agency credit: "डिजिटल डेस्क, नई दिल्ली।", "राज्य ब्यूरो, लखनऊ।"
_DANDA_LOCAL_RE = re.compile(
    r"^(?:(?:[\u0900-\u0dff]{2,} ){0,2}(?:डेस्क|ब्यूरो|संवाददाता|प्रतिनिधि|एजेंसी)|पीटीआई|"
    r"एएनआई|आईएएनएस|यूएनआई), ([\u0900-\u0dff]{2,}(?: [\u0900-\u0dff]{2,})?)[।:]\s+|"
    r"^([\u0900-\u0dff]{2,}(?: [\u0900-\u0dff]{2,})?)[।:]\s+")
# Labels that open a paragraph the same way and are no place
_LABELS_NOT_PLACES = frozenset({
    "update", "updated", "breaking", "exclusive", "analysis", "opinion", "watch", "video", "live",
    "photos", "correction", "comment", "review", "interview", "sponsored", "advertisement",
    "note", "editor's note"})


def local_dateline(para: str) -> tuple[str | None, str]:
    """('Bad Wimpfen', rest) for 'Bad Wimpfen. Das Freibad ...': a place of up to four words
    and its full stop before a German sentence of a dozen words or more; ('Jakarta', rest)
    for 'Jakarta - Dinas ...'."""
    m = _LOCAL_RE.match(para)
    if m is None and ("।" in para[:30] or ":" in para[:30]) and len(para.split()) >= 15 \
            and (h := _DANDA_LOCAL_RE.match(para)) is not None:
        return h.group(1) or h.group(2), para[h.end():].strip()  # "इंदौर। शहर में ..."
    if m is None and " " in para[:40] and (d := _DASH_LOCAL_RE.match(para)) is not None:
        place = d.group(1) or d.group(4)
        if (cut := place.find(" ")) in (2, 3, 4, 5, 6) and place[:cut].isupper() \
                and place[cut + 1:cut + 3].istitle():
            place = place[cut + 1:]  # "ACN Girona.- El ...": the agency before the place
        if place.lower() in _LABELS_NOT_PLACES or place.lower() in ALL_STOPWORDS \
                or len(para.split()) < 15:
            return None, para
        return place, para[d.end():].strip()
    if m is None or m.group(2).lower() not in _LOCAL_OPENERS:
        return None, para
    place = m.group(1)
    if len(place) < 3 or place.lower() in ALL_STOPWORDS or len(para.split()) < 15:
        return None, para
    return place, para[m.end(1) + 1:].strip()


def dateline_date(para: str) -> datetime | None:
    """The date a dateline carries with its year ("DENVER (April 9, 2024) —",
    "COLUMBUS, Ohio, May 14, 2024 /PRNewswire/ --"): the story's date when nothing else is."""
    city, rest = split_dateline(para)
    if city is None:
        d = _DASH_LOCAL_RE.match(para) if para[:1].isupper() else None
        day = d and (d.group(2) or d.group(3))  # (a release's "Cluj-Napoca, 22 mai 2025 –")
        return parse_date_hint(day, keep_offset=True) if day else None
    m = _PR_DATE_RE.search(para[: len(para) - len(rest)])
    return parse_date_hint(m.group(0), keep_offset=True) if m else None


_BYLINE_PREFIX_RE = re.compile(
    r"^\s*(?:by|written by|words by|von|par|por|di|door|av)(?::\s*|\s+)",
                               re.IGNORECASE)
_BYLINE_SPLIT_RE = re.compile(r"\s*(?:,|;|\band\b|&|\bund\b|\bet\b|\by\b|\be\b)\s*")
_BYLINE_CUT_RE = re.compile(r"\s+(?:[|•·/]|[-–—]{1,2})\s+|\s+(?:in|for|at|im|à|en)\s+[A-Z]"
                            r"|\bpublished\b|\bupdated\b|\bposted\b", re.IGNORECASE)
_NOT_A_NAME_RE = re.compile(
    r"\b(?:reuters|associated press|ap|afp|dpa|bloomberg|staff|writer|correspondent|editor|"
    r"reporter|news|agency|desk|team|contributor|columnist|published|updated|analyst|"
    r"press|times|post|journal|daily|media|online|bureau|senior|chief)\b|\d",
    re.IGNORECASE,
)
_NAME_RE = re.compile(r"^[A-ZÀ-Þ][\w.'’-]*(?:\s+(?:(?:de|da|van|von|der|den|del|la|le|bin|al|"
                      r"ibn|du|dos|di)\s+)*[A-ZÀ-Þ][\w.'’-]*){0,4}$")


def parse_byline(line: str) -> list[str]:
    """'By Jane Doe and John Roe' -> ['Jane Doe', 'John Roe']; agencies and roles dropped."""
    text = _BYLINE_PREFIX_RE.sub("", " ".join(line.split()))
    text = _BYLINE_CUT_RE.split(text, maxsplit=1)[0]
    names: list[str] = []
    for part in _BYLINE_SPLIT_RE.split(text):
        part = part.strip(" .:-–—")
        if part and not _NOT_A_NAME_RE.search(part) and _NAME_RE.match(part) \
                and part not in names:
            names.append(part)
    return names
