"""Feed dates: RFC 822 and RFC 3339 (W3DTF) read the way feedparser reads them, to the same
second (``parse_feed_date``), with feedparser's own guess as the last resort."""

from __future__ import annotations

import logging
import re
import time
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from worker.normalise.dates import ZONES, parse_date

log = logging.getLogger(__name__)

_FEED_MONTH_WORDS = (  # English, German, French, Spanish, Italian, Dutch, Portuguese, Nordic
    "jan january januar janvier janv enero ene gennaio gen januari janeiro",
    "feb february februar février fevrier févr febrero febbraio februari fevereiro fev",
    "mar march märz mär mrz mrt mars marzo maart março", "apr april avril abril aprile avr abr",
    "may mai maj mayo maggio mag mei maio", "jun june juni juin junio giugno giu junho",
    "jul july juli juillet juil julio luglio lug julho", "aug august août aout agosto ago",
    "sep sept september septembre septiembre settembre set setembro",
    "oct october okt oktober octobre octubre ottobre ott outubro out",
    "nov november novembre noviembre novembro",
    "dec december dez des dezember décembre decembre déc diciembre dic dicembre dezembro")
_FEED_MONTHS = {w: i for i, words in enumerate(_FEED_MONTH_WORDS, 1) for w in words.split()}
_RFC822_RE = re.compile(
    r"^(?:[^\W\d_]{2,}\.?,?\s+)?(\d{1,2})\.?\s+([^\W\d_]{3,})\.?,?\s+(\d{4}|\d{2}),?\s+"
    r"(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?\s*(?:([+-]\d{2}):?(\d{2})|([A-Za-z]{1,5}))?$")
# RFC 3339 and its shortenings ("2024", "2024-03", "2024-03-10 12:00Z"): shapes that
# feedparser's W3DTF parser, its first choice, reads; parse_w3dtf reads them to the same second.
_W3DTF_RE = re.compile(
    r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?"
    r"(?:[Tt ](\d{1,2})(?::(\d{1,2})(?::(\d{1,2})(?:\.\d+)?)?)?(?:([Zz])|([+-])(\d{2}):(\d{2}))?)?")


def parse_rfc822(raw: str) -> datetime | None:
    """RFC 822 dates as feeds write them: any zone name we know (feedparser and the page
    date parser take CET, IST, AEST... as UTC), localised month and day names, no weekday."""
    m = _RFC822_RE.match(" ".join(raw.split()))
    month = _FEED_MONTHS.get(m.group(2).casefold()) if m else None
    if m is None or month is None:
        return None
    d, _, y, hh, mm, ss, off_h, off_m, zone = m.groups()
    year = int(y) + (0 if len(y) == 4 else 2000 if int(y) < 50 else 1900)
    try:
        tz = timezone((-1 if off_h[0] == "-" else 1) * timedelta(
            hours=abs(int(off_h)), minutes=int(off_m))) if off_h else \
            ZONES.get(zone.upper()) if zone else UTC
        if tz is None:
            return None  # an unknown zone name: the general parsers decide
        return datetime(year, month, int(d), int(hh), int(mm), int(ss or 0),
                        tzinfo=tz).astimezone(UTC)
    except (ValueError, OverflowError):
        return None


def parse_w3dtf(raw: str) -> datetime | None:
    """An RFC 3339 date (or a shortening of it) as feedparser reads it: UTC, whole seconds,
    missing parts taken as the first month, day or hour. None for any other shape."""
    m = _W3DTF_RE.fullmatch(raw)
    if m is None:
        return None
    y, mo, d, hh, mi, ss, _, sign, off_h, off_m = m.groups()
    offset = timedelta(hours=int(off_h or 0), minutes=int(off_m or 0))
    try:
        stamp = datetime(int(y), int(mo or 1), int(d or 1), int(hh or 0), int(mi or 0),
                         int(ss or 0))
        return (stamp + offset if sign == "-" else stamp - offset).replace(tzinfo=UTC)
    except (ValueError, OverflowError):
        return None


def from_struct_time(value: Any) -> datetime | None:
    """A UTC ``time.struct_time`` (feedparser's ``*_parsed`` fields) as an aware datetime."""
    if not isinstance(value, time.struct_time):
        return None
    try:
        return datetime(*value[:6], tzinfo=UTC)
    except (ValueError, TypeError, OverflowError):
        return None


def parse_feed_date(raw: Any, parsed: Any = None) -> datetime | None:
    """A feed entry's date string as UTC. ``parsed`` is feedparser's parse of it (XML
    feeds); without one (JSON Feed) RFC 3339 is read as feedparser would. RFC 822 with our
    zone names comes first, the page date parser last."""
    if not isinstance(raw, str) or not raw.strip():
        return from_struct_time(parsed)
    found = parse_rfc822(raw) or (from_struct_time(parsed) if parsed is not None
                                  else parse_w3dtf(raw))
    return found or parse_date(raw)
