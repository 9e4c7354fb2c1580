"""Field parsers shared by every input kind: URLs, dates, language, datelines, bylines."""

from __future__ import annotations

import logging
import re
import warnings
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit
from zoneinfo import ZoneInfo

from worker.stopwords import STOPWORDS

log = logging.getLogger(__name__)

# --- URLs --------------------------------------------------------------------------------

_TRACKING_RE = re.compile(
    r"^(utm_\w*|fbclid|gclid|gclsrc|dclid|msclkid|yclid|mc_cid|mc_eid|_ga|_gl|igshid|"
    r"mkt_tok|oly_anon_id|oly_enc_id|vero_id|wickedid|__s|_hsenc|_hsmi|hsctatracking|"
    r"ref_src|ref_url|cmpid|ocid|sr_share|s_cid|icid|ncid)$",
    re.IGNORECASE,
)
_DEFAULT_PORTS = {"http": 80, "https": 443, "ftp": 21}


def canonical_url(url: str) -> str:
    """Lower-case scheme and host, no default port or fragment, tracking params removed."""
    url = url.strip()
    try:
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        host = (parts.hostname or "").rstrip(".")
        port = parts.port
    except ValueError:
        return url
    if not host:
        return urlunsplit((scheme, parts.netloc, parts.path, parts.query, ""))
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    netloc = host
    if port is not None and port != _DEFAULT_PORTS.get(scheme):
        netloc = f"{host}:{port}"
    if parts.username:
        cred = parts.username + (f":{parts.password}" if parts.password else "")
        netloc = f"{cred}@{netloc}"
    query = parts.query
    if query:
        pairs = parse_qsl(query, keep_blank_values=True)
        kept = [(k, v) for k, v in pairs if not _TRACKING_RE.match(k)]
        if len(kept) != len(pairs):
            query = urlencode(kept, doseq=False)
    return urlunsplit((scheme, netloc, parts.path, query, ""))


# --- dates -------------------------------------------------------------------------------

def _fixed(hours: float) -> tzinfo:
    return timezone(timedelta(hours=hours))


_NY, _CHI, _DEN, _LA = (ZoneInfo(z) for z in
                        ("America/New_York", "America/Chicago", "America/Denver",
                         "America/Los_Angeles"))
# Named zones seen in news pages. Bare "ET"/"PT" follow daylight saving via the tz database.
_ZONES: dict[str, tzinfo] = {
    "UTC": UTC, "GMT": UTC, "UT": UTC, "Z": UTC, "WET": UTC,
    "ET": _NY, "EST": _fixed(-5), "EDT": _fixed(-4), "CT": _CHI, "CST": _fixed(-6),
    "CDT": _fixed(-5), "MT": _DEN, "MST": _fixed(-7), "MDT": _fixed(-6), "PT": _LA,
    "PST": _fixed(-8), "PDT": _fixed(-7), "AKST": _fixed(-9), "AKDT": _fixed(-8),
    "HST": _fixed(-10), "BST": _fixed(1), "IST": _fixed(5.5), "WEST": _fixed(1),
    "CET": _fixed(1), "CEST": _fixed(2), "MEZ": _fixed(1), "MESZ": _fixed(2), "EET": _fixed(2),
    "EEST": _fixed(3), "MSK": _fixed(3), "SAST": _fixed(2), "GST": _fixed(4),
    "PKT": _fixed(5), "WIB": _fixed(7), "ICT": _fixed(7), "HKT": _fixed(8), "SGT": _fixed(8),
    "PHT": _fixed(8), "AWST": _fixed(8), "CCT": _fixed(8), "JST": _fixed(9),
    "KST": _fixed(9), "ACST": _fixed(9.5), "AEST": _fixed(10), "AEDT": _fixed(11),
    "NZST": _fixed(12), "NZDT": _fixed(13),
}
_LABEL_RE = re.compile(
    r"^\W*(?:(?:first|originally|last)\s+)?(?:published|updated|posted|modified|created|"
    r"date|dated|veröffentlicht|aktualisiert|publié|mis à jour|publicado|actualizado)"
    r"(?:\s+(?:on|at|am|le))?\s*[:\-–—]?\s*",
    re.IGNORECASE,
)
_CJK_DATE_RE = re.compile(
    r"(\d{4})\s*[年년]\s*(\d{1,2})\s*[月월]\s*(\d{1,2})\s*[日일](?:\s*[(（][^)）]{1,4}[)）])?")
_CJK_TIME_RE = re.compile(r"(\d{1,2})\s*[時时시]\s*(\d{1,2})\s*[分분]")
_AMPM_RE = re.compile(r"\b([ap])\.\s?m\.?(?=\W|$)", re.IGNORECASE)
_H_TIME_RE = re.compile(r"\b(\d{1,2})\s?h\s?(\d{2})\b")
_DOT_TIME_RE = re.compile(r"(?<=\d{4}),?\s+(\d{1,2})\.(\d{2})\b")
# "Published X. Updated Y" on one line: the first date is the publication date
_SECOND_LABEL_RE = re.compile(r"[,;|·]?\s+(?:last\s+)?(?:updated|modified|mis à jour|"
                              r"aktualisiert|actualizado|aggiornato|atualizado)\b",
                              re.IGNORECASE)
_HAS_YEAR_RE = re.compile(r"(?<!\d)(1[89]\d\d|2\d\d\d)(?!\d)")
_NOISE_RE = re.compile(r"[|·•]|\bat\b|\bUm\b|\bà\b", re.IGNORECASE)
_FOREIGN_MONTHS = {
    "januar": "january", "februar": "february", "märz": "march", "mai": "may",
    "juni": "june", "juli": "july", "oktober": "october", "dezember": "december",
    "janvier": "january", "février": "february", "mars": "march", "avril": "april",
    "juin": "june", "juillet": "july", "août": "august", "septembre": "september",
    "octobre": "october", "novembre": "november", "décembre": "december",
    "enero": "january", "febrero": "february", "marzo": "march", "abril": "april",
    "mayo": "may", "junio": "june", "julio": "july", "agosto": "august",
    "septiembre": "september", "octubre": "october", "noviembre": "november",
    "diciembre": "december", "gennaio": "january", "febbraio": "february",
    "aprile": "april", "maggio": "may", "giugno": "june", "luglio": "july", "settembre":
    "september", "ottobre": "october", "dicembre": "december", "janeiro": "january",
    "fevereiro": "february", "março": "march", "maio": "may", "junho": "june", "julho":
    "july", "setembro": "september", "outubro": "october", "novembro": "november",
    "dezembro": "december", "января": "january", "февраля": "february", "марта": "march",
    "апреля": "april", "мая": "may", "июня": "june", "июля": "july", "августа": "august",
    "сентября": "september", "октября": "october", "ноября": "november", "декабря":
    "december",
    # abbreviations ("16 abr 2024", "3 déc. 2024"); ones that are English words are left out
    "ene": "jan", "abr": "apr", "dic": "dec", "janv": "jan", "févr": "feb", "avr": "apr",
    "juil": "jul", "déc": "dec", "mär": "mar", "okt": "oct", "dez": "dec", "gen": "jan",
    "giu": "jun", "lug": "jul", "ott": "oct",
}
_HAS_DAY_RE = re.compile(
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|mär|mai|okt|dez|janv|févr|avr|"
    r"juil|déc|ene|abr|ago|dic|" + "|".join(_FOREIGN_MONTHS) + r")"
    r"|\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}",
    re.IGNORECASE,
)
_FOREIGN_RE = re.compile(r"\b(" + "|".join(_FOREIGN_MONTHS) + r")\b|\bde\b|\bdel\b",
                         re.IGNORECASE)
_FUTURE_SLACK = timedelta(days=2)
# "GMT+8" / "UTC-05:00": dateutil reads these POSIX-style (GMT+8 = UTC-8); pages mean UTC+8.
_GMT_OFFSET_RE = re.compile(r"\b(?:GMT|UTC)\s*([+\-−])\s*(\d{1,2})(?::?(\d{2}))?\b")
# "7 November 2024" / "Nov. 7, 2024" among other words ("THE GAZETTE  Thursday, 7 November 2024")
_EMBEDDED_RE = re.compile(r"\b\d{1,2}\.?\s+[^\W\d_]{3,9}\.?,?\s+\d{4}\b|"
                          r"\b[^\W\d_]{3,9}\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}\b")
_YMD_RE = re.compile(r"(?<!\d)\d{4}[-/.]\d{1,2}[-/.]\d{1,2}(?!\d)")


def _gmt_offset(m: re.Match[str], sep: str) -> str:
    sign = "+" if m.group(1) == "+" else "-"
    return f" {sign}{int(m.group(2)):02d}{sep}{m.group(3) or '00'}"


def _tzinfos(name: str | None, offset: int | None) -> tzinfo | None:
    if name and name.upper() in _ZONES:
        return _ZONES[name.upper()]
    if offset is not None:
        return timezone(timedelta(seconds=offset))
    return None


def _foreign(m: re.Match[str]) -> str:
    word = m.group(0).lower()
    return _FOREIGN_MONTHS.get(word, " ")


def _parse_any(s: str, dayfirst: bool) -> datetime | None:
    if s.isdigit() and 9 <= len(s) <= 13:  # epoch seconds or milliseconds
        n = int(s)
        return datetime.fromtimestamp(n / 1000 if len(s) > 11 else n, UTC)
    try:
        return datetime.fromisoformat(s.replace("Z", "+00:00") if s.endswith("Z") else s)
    except ValueError:
        pass
    if not _HAS_YEAR_RE.search(s) or not _HAS_DAY_RE.search(s):
        return None  # a bare year or a number is not a publication date
    if "," in s[:5] or s[-5:].lstrip("+-").isdigit():
        try:
            return parsedate_to_datetime(s)
        except (TypeError, ValueError, IndexError):
            pass
    s = _FOREIGN_RE.sub(_foreign, s)
    fast = _fast_date(s)
    if fast is not None:
        return fast
    from dateutil import parser as du  # type: ignore[import-untyped]  # lazy: free-form only

    if dayfirst and _YMD_RE.search(s):
        dayfirst = False  # 2024-01-11 is year-month-day everywhere; dateutil would swap it

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # dateutil warns about unknown zone names
        try:
            dt: Any = du.parse(s, tzinfos=_tzinfos, dayfirst=dayfirst)
            return dt if isinstance(dt, datetime) else None
        except (ValueError, OverflowError, TypeError, LookupError):
            pass
        try:
            dt, _ = du.parse(s, tzinfos=_tzinfos, fuzzy_with_tokens=True,
                             dayfirst=dayfirst)
            return dt if isinstance(dt, datetime) else None
        except (ValueError, OverflowError, TypeError, LookupError):
            return None


_MONTHS = {m: i + 1 for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"))}
# The common shapes of page date lines, parsed without dateutil (a fifth of text time):
# "[Mon,] 4 November 2024[,] [07:12] [GMT]", "Nov. 4, 2024 6:30 AM PT", "04.11.2024, 14:35"
_FAST_RE = re.compile(
    r"^(?:[a-z]{3,9}\.?,?\s+)??(?:(?P<d1>\d{1,2})(?:st|nd|rd|th)?\.?\s+(?P<m1>[a-z]{3,9})\.?"
    r"|(?P<m2>[a-z]{3,9})\.?\s+(?P<d2>\d{1,2})(?:st|nd|rd|th)?|(?P<d3>\d{1,2})\.(?P<n3>\d{1,2})\.)"
    r",?\s*(?P<y>(?:19|20)\d\d)(?:,?\s+(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?"
    r"(?:\s*(?P<ap>[AP]M))?)?(?:\s+(?P<tz>[A-Z]{1,5}|uhr))?$", re.IGNORECASE)


def _fast_date(s: str) -> datetime | None:
    m = _FAST_RE.match(s)
    if m is None:
        return None
    g = m.group
    if g("n3"):
        month, day = int(g("n3")), int(g("d3"))
    else:
        name = (g("m1") or g("m2")).lower()
        month = _MONTHS.get(name[:3], 0)
        if not month or (len(name) > 3 and name not in _MONTH_NAMES):
            return None
        day = int(g("d1") or g("d2"))
    hour, minute, sec = int(g("H") or 0), int(g("M") or 0), int(g("S") or 0)
    ap = (g("ap") or "").upper()
    if ap:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if ap == "PM" else 0)
    tz: tzinfo | None = None
    if g("tz") and g("tz").lower() != "uhr":
        tz = _ZONES.get(g("tz").upper())
        if tz is None:
            return None  # an unknown zone name: leave it to dateutil
    try:
        return datetime(int(g("y")), month, day, hour, minute, sec, tzinfo=tz)
    except ValueError:
        return None


_MONTH_NAMES = frozenset(
    ["january", "february", "march", "april", "may", "june", "july", "august",
     "september", "october", "november", "december", "sept"])


def parse_date(value: str, *, now: datetime | None = None) -> datetime | None:
    """Parse a date as written in pages and feeds into an aware UTC datetime, or None.

    Naive times are taken as UTC; dates more than two days ahead of ``now`` are dropped.
    """
    return parse_date_hint(value, now=now)


def parse_date_hint(value: str, *, now: datetime | None = None,
                    dayfirst: bool = False, keep_offset: bool = False) -> datetime | None:
    """``parse_date`` with a hint for 01/02/2024: day first outside the US-English world.

    ``keep_offset`` keeps the page's own UTC offset (same instant) instead of converting to
    UTC, so the calendar date stays the one the page printed (21:15 PDT is not "tomorrow").
    """
    if not isinstance(value, str):
        return None
    s = " ".join(value.split())[:120]
    if not s:
        return None
    s = _LABEL_RE.sub("", s)
    head = _SECOND_LABEL_RE.split(s, 1)[0]
    if head != s and _HAS_YEAR_RE.search(head):
        s = head
    if not s.isascii():  # 2024年11月20日 18時45分 / 2024년 11월 20일
        s = _CJK_TIME_RE.sub(r" \1:\2", _CJK_DATE_RE.sub(r"\1-\2-\3 ", s)).strip()
    s = _AMPM_RE.sub(lambda m: m.group(1).upper() + "M", s)
    s = _DOT_TIME_RE.sub(r" \1:\2", s)
    s = _H_TIME_RE.sub(r"\1:\2", s)
    if "GMT" in s or "UTC" in s:
        # RFC 2822 ("Wed, 03 Jul ...") wants +0800; elsewhere +0800 would send it down that path
        sep = "" if "," in s[:5] else ":"
        s = _GMT_OFFSET_RE.sub(lambda m: _gmt_offset(m, sep), s)
    s = _NOISE_RE.sub(" ", s).strip(" ,;-–—")
    try:
        dt = _parse_any(s, dayfirst)
        if dt is None and len(s) > 24:  # a date inside other words: a print page header
            found = _EMBEDDED_RE.findall(s)  # two dates ("June 4, 1931 - March 2, 2024") are a span
            dt = _fast_date(_FOREIGN_RE.sub(_foreign, found[0])) if len(found) == 1 else None
    except (ValueError, OverflowError, OSError, TypeError):
        dt = None
    except Exception:  # dateutil has odd corners; a bad date must never fail an article
        log.debug("unparseable date %r", value, exc_info=True)
        dt = None
    if dt is None or not 1900 <= dt.year <= 2999:
        return None
    try:
        if dt.tzinfo is None or dt.utcoffset() is None:
            dt = dt.replace(tzinfo=UTC)
        elif keep_offset:  # a fixed offset, not a zone object: the instant as printed
            dt = dt.astimezone(timezone(dt.utcoffset() or timedelta(0)))
        else:
            dt = dt.astimezone(UTC)
    except (ValueError, OverflowError):
        return None
    ref = now or datetime.now(UTC)
    if ref.tzinfo is None:
        ref = ref.replace(tzinfo=UTC)
    if dt > ref + _FUTURE_SLACK:
        log.warning("dropping date %r: %s is in the future", value, dt.isoformat())
        return None
    return dt


# --- language ----------------------------------------------------------------------------

_WORD_RE = re.compile(r"[^\W\d_]+")
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
    words = _WORD_RE.findall(sample.lower())
    if len(words) < 5:
        return None
    counts: dict[str, int] = {}
    for w in words:
        langs = _LANGS_OF.get(w)
        if langs:
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
    code = re.split(r"[-_]", value.strip().lower(), maxsplit=1)[0]
    return code if re.fullmatch(r"[a-z]{2}", code) else None


# --- datelines and bylines -----------------------------------------------------------------

_UP = "A-ZÀ-ÖØ-ÞĀ-Ž"
_CITY = rf"[{_UP}][{_UP}.'’ -]{{1,38}}?"
_PR_DATE = r"(?:[A-Z][a-z]{2,8}\.?\s+\d{1,2},?\s+\d{4}|\d{1,2}\.?\s+[A-Z][a-z]{2,8}\.?\s+\d{4})"
# "(Reuters)", "/PRNewswire/", or a press release's "(April 9, 2024)"
_AGENCY = rf"(?:\((?:[A-Za-z][\w.&/ -]{{0,30}}|{_PR_DATE})\)|/\s?[A-Z][\w .-]{{1,30}}/)"
_WHEN = (r"(?:,\s*(?:[A-Z][a-zé]{2,8}\.?\s+\d{1,2}|\d{1,2}\.?\s+(?:de\s+)?[A-Za-zéû]{3,9}\.?)"
         r"(?:,?\s+\d{4})?)?")
_REGION = r"(?:,\s*[A-Z][\w.]*(?:\s+[A-Z][\w.]*){0,2})?"  # ", Ill." / ", British Columbia"
_DATELINE_RES = (
    re.compile(rf"^\[\s*([{_UP}][\w .,'’-]{{1,40}}?)\s*\]\s*[-—–:]*\s*"),  # [BEIJING]
    # LONDON, March 3 (Reuters) -  /  Berlin (dpa) -  /  CITY, Ohio, May 14, 2024 /PRNewswire/ --
    re.compile(rf"^([{_UP}][\w.'’ -]{{1,38}}?{_REGION}){_WHEN}\s*{_AGENCY}\s*[-—–:]+\s*"),
    # WASHINGTON —   /   SPRINGFIELD, Ill. —   /   NEW YORK --
    re.compile(rf"^({_CITY}{_REGION}){_WHEN}\s*(?:[—–]+|--|-(?=\s))\s+"),
    re.compile(rf"^({_CITY}):\s+(?=[A-Z])"),  # NEW DELHI: The ... (Indian wire style)
)
# Chinese wire datelines: 新华社北京1月11日电（记者王静） / 中新网上海3月2日电
_CJK_DATELINE_RE = re.compile(
    r"^(?:本报|[\u4e00-\u9fff]{1,5}?[社网報报台])([\u4e00-\u9fff]{2,6}?)\d{1,2}月\d{1,2}日"
    r"[电讯電訊]\s*(?:[（(][^）)]{0,40}[）)])?\s*")
_PR_DATE_RE = re.compile(_PR_DATE)
_NOT_PLACE = {"BREAKING", "UPDATE", "UPDATED", "EXCLUSIVE", "WATCH", "CORRECTION", "WARNING",
              "ALERT", "NOTE", "EDITOR'S NOTE", "LIVE", "VIDEO", "PHOTOS", "ANALYSIS", "OPINION"}


def split_dateline(para: str) -> tuple[str | None, str]:
    """('BEIJING', rest) for '[BEIJING] rest', 'BEIJING (Reuters) - rest', 'WASHINGTON — rest'."""
    if not para.isascii():
        m = _CJK_DATELINE_RE.match(para)
        if m and para[m.end():].strip():
            return m.group(1), para[m.end():].strip()
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


def dateline_date(para: str) -> datetime | None:
    """The date a dateline carries with its year ("DENVER (April 9, 2024) —",
    "COLUMBUS, Ohio, May 14, 2024 /PRNewswire/ --"): the story's date when nothing else is."""
    city, rest = split_dateline(para)
    if city is None:
        return None
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
