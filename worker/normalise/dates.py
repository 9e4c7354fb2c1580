"""Date parsing for every input kind: labelled, relative-free, zone-aware dates.

Pages print dates in every format and zone (``parse_date``, ``parse_date_hint``); a feed's
dates are read in ``feed_dates``.
"""

from __future__ import annotations

import logging
import re
import warnings
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from email.utils import parsedate_to_datetime
from typing import Any
from zoneinfo import ZoneInfo

from worker.normalise.calendars import script_month_date
from worker.normalise.local_dates import ASCII_DIGITS, dotted_date, named_date

log = logging.getLogger(__name__)

# --- dates -------------------------------------------------------------------------------

def _fixed(hours: float) -> tzinfo:
    return timezone(timedelta(hours=hours))


_NY, _CHI, _DEN, _LA = (ZoneInfo(z) for z in
                        ("America/New_York", "America/Chicago", "America/Denver",
                         "America/Los_Angeles"))
# Named zones seen in news pages. Bare "ET"/"PT" follow daylight saving via the tz database.
ZONES: dict[str, tzinfo] = {
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
_SECOND_LABEL_RE = re.compile(r"[,;|·]?\s+\(?(?:last\s+)?(?:updated|modified|mis à jour|modifié|"
                              r"aktualisiert|actualizado|aggiornato|atualizado|bijgewerkt|"
                              r"modifica|modificato)\b", re.IGNORECASE)
# Page text copied without the spaces between elements: "May 16, 20249:12 PM GMTUpdated 2
# years ago" (the year glued to the time, the time zone to the next label)
_GLUED_RE = re.compile(r"(?<=(?<!\d)(?:19|20)\d\d)(?=\d{1,2}:\d\d(?!\d))|"
                       r"(?<=[a-zA-Z0-9])(?=(?:Updated|Published|Modified)\b)")
_HAS_YEAR_RE = re.compile(r"(?<!\d)(1[89]\d\d|2\d\d\d)(?!\d)")
# RFC 3339 / ISO 8601 as metadata writes it, for ``datetime.fromisoformat`` directly
_ISO_RE = re.compile(r"\d{4}-\d\d-\d\d(?:[T ]\d\d:\d\d(?::\d\d(?:[.,]\d{1,6})?)?)?"
                     r"(?:Z|[+-]\d\d(?::?\d\d)?)?", re.ASCII)
_NOISE_RE = re.compile(r"[|·•]|\bat\b|\bUm\b|\bà\b|\bàs\b|\bom\b", re.IGNORECASE)
_NOISE_WORDS = frozenset(("at", "um", "à", "às", "om"))
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
    "december", "januari": "january", "februari": "february", "maart": "march",
    "mei": "may", "augustus": "august",  # Dutch
    "يناير": "january", "فبراير": "february", "مارس": "march", "أبريل": "april", "ابريل": "april",
    "مايو": "may", "يونيو": "june", "يوليو": "july", "أغسطس": "august", "اغسطس": "august",
    "سبتمبر": "september", "أكتوبر": "october", "اكتوبر": "october", "نوفمبر": "november",
    "ديسمبر": "december",
    # abbreviations ("16 abr 2024", "3 déc. 2024"); ones that are English words are left out
    "ene": "jan", "abr": "apr", "dic": "dec", "janv": "jan", "févr": "feb", "avr": "apr",
    "juil": "jul", "déc": "dec", "mär": "mar", "okt": "oct", "dez": "dec", "gen": "jan",
    "giu": "jun", "lug": "jul", "ott": "oct", "fev": "feb",
}
# A CJK date and the time after it, once rewritten as 2025-3-18 07:30: what follows ("来源：...",
# "阅读量：12,806") is not part of the date
_CJK_YMD_RE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?")
_HAS_DAY_RE = re.compile(
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|mär|mai|okt|dez|janv|févr|avr|"
    r"juil|déc|ene|abr|ago|dic|" + "|".join(_FOREIGN_MONTHS) + r")"
    r"|\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}",
    re.IGNORECASE,
)
_FOREIGN_RE = re.compile(r"\b(" + "|".join(_FOREIGN_MONTHS) + r")\b|\bde\b|\bdel\b",
                         re.IGNORECASE)
_FOREIGN_WORDS = frozenset([*_FOREIGN_MONTHS, "de", "del"])
_WORD_RE = re.compile(r"\w+")
# "Published ..." labels in the dev set's languages (a longer line with one is still a date line)
# A date line's label ("Published", "mis à jour", "Aktualisiert"), line-initial here
DATE_LABELS = (r"published|posted|updated|modified|last updated|publié|mis à jour|veröffentlicht|"
               r"aktualisiert|publicado|actualizado|atualizado|pubblicato|aggiornato|"
               r"gepubliceerd|bijgewerkt|opublikowano|zaktualizowano|publicerad|uppdaterad|"
               r"نُ?شر(?: في)?|تاريخ النشر|آخر تحديث")  # (Arabic: "published on", "last update")
DATE_LABEL_RE = re.compile(rf"^(?:{DATE_LABELS})\b", re.IGNORECASE)
# a byline that ends in its date: "... — Written by Jane Doe on June 3, 2025"
ON_DATE_RE = re.compile(r"\bon (?:[A-Z][a-z]+,? )?(?:[A-Z][a-z]{2,8}\.? \d{1,2},?|\d{1,2}\.? "
                        r"[A-Z][a-z]{2,8}) \d{4}\W*$")
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
    if name and name.upper() in ZONES:
        return ZONES[name.upper()]
    if offset is not None:
        return timezone(timedelta(seconds=offset))
    return None


def _foreign(m: re.Match[str]) -> str:
    word = m.group(0).lower()
    return _FOREIGN_MONTHS.get(word, " ")


def _english_months(s: str) -> str:
    """Foreign month names as English ones, "de"/"del" dropped. ``_FOREIGN_RE`` (an
    alternation of ~90 words tried at every word start) costs ~20 us on a 22-character date
    line; the word lookup that decides whether to run it ~1 us (measured on the bench's
    "May 01, 2024 08:00 UTC")."""
    if _FOREIGN_WORDS.isdisjoint(_WORD_RE.findall(s.lower())):
        return s
    return _FOREIGN_RE.sub(_foreign, s)


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
    s = _english_months(s)
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
        tz = ZONES.get(g("tz").upper())
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


_SPACED_YMD_RE = re.compile(r"\b((?:19|20)\d\d)\. (\d{1,2})\. (\d{1,2})\.?(?!\d)")


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
    if _ISO_RE.fullmatch(s):  # most metadata dates: none of the rewrites below touch them
        try:
            iso = datetime.fromisoformat(s[:-1] + "+00:00" if s[-1] == "Z" else s)
        except ValueError:
            iso = None  # "2024-02-30": the general path decides, as before
        if iso is not None:
            return _settle(iso, value, now, keep_offset)
    if ":" in s and _GLUED_RE.search(s):
        s = _GLUED_RE.sub(" ", s)
    if ". " in s:  # Korean and Hungarian dotted dates, year first and spaced: "2025. 3. 13."
        s = _SPACED_YMD_RE.sub(r"\1-\2-\3", s)
    s = _LABEL_RE.sub("", s)
    head = _SECOND_LABEL_RE.split(s, 1)[0]
    if head != s and _HAS_YEAR_RE.search(head):
        s = head
    if not s.isascii():  # 2024年11月20日 18時45分 / 2024년 11월 20일
        s = s.translate(ASCII_DIGITS)  # "٢٨ فبراير ٢٠٢٥", "১৪ মার্চ ২০২৫"
        if _CJK_DATE_RE.search(s):
            s = _CJK_TIME_RE.sub(r" \1:\2", _CJK_DATE_RE.sub(r"\1-\2-\3 ", s)).strip()
            ymd = _CJK_YMD_RE.search(s)
            s = ymd.group(0) if ymd else s
    s = _AMPM_RE.sub(lambda m: m.group(1).upper() + "M", s)
    s = _DOT_TIME_RE.sub(r" \1:\2", s)
    s = _H_TIME_RE.sub(r"\1:\2", s)
    if "GMT" in s or "UTC" in s:
        # RFC 2822 ("Wed, 03 Jul ...") wants +0800; elsewhere +0800 would send it down that path
        sep = "" if "," in s[:5] else ":"
        s = _GMT_OFFSET_RE.sub(lambda m: _gmt_offset(m, sep), s)
    # (the regex, ~6 us a line, only where one of its words or marks is there)
    if "|" in s or "·" in s or "•" in s or not _NOISE_WORDS.isdisjoint(
            _WORD_RE.findall(s.lower())):
        s = _NOISE_RE.sub(" ", s)
    s = s.strip(" ,;-–—")
    try:
        dt = named_date(s) or (None if s.isascii() else script_month_date(s)) \
            or _parse_any(s, dayfirst) or dotted_date(s)
        if dt is None and len(s) > 24:  # a date inside other words: a print page header
            found = _EMBEDDED_RE.findall(s)  # two dates ("June 4, 1931 - March 2, 2024") are a span
            dt = _fast_date(_english_months(found[0])) if len(found) == 1 else None
    except (ValueError, OverflowError, OSError, TypeError):
        dt = None
    except Exception:  # dateutil has odd corners; a bad date must never fail an article
        log.debug("unparseable date %r", value, exc_info=True)
        dt = None
    return _settle(dt, value, now, keep_offset)


def _settle(dt: datetime | None, value: str, now: datetime | None,
            keep_offset: bool) -> datetime | None:
    """A parsed date in range, zoned (naive is UTC) and not in the future."""
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
