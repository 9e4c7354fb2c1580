"""Dates a page prints near its headline, and the local zone of a UTC metadata date.

Many CMSs write every machine date in UTC (``2025-04-01T23:35:00Z``) while the page prints the
same instant in its own zone ("00:35, 2 APR 2025"): the reader's calendar date is the printed
one, so ``local_published`` keeps the instant with the offset the page shows.
"""

from __future__ import annotations

import functools
import logging
import re
from datetime import UTC, datetime, timedelta, timezone
from itertools import islice
from typing import Any

from worker.normalise.date_cues import date_line
from worker.normalise.dates import parse_date_hint
from worker.normalise.html_cleanup import is_date_line

log = logging.getLogger(__name__)

UPDATED_LABEL_RE = re.compile(r"updated|modified|aktualisiert|mis à jour|modifié|actualizado|"
                              r"atualizado|aggiornato|bijgewerkt|güncelleme|更新", re.IGNORECASE)
_YEAR_RE = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
# metadata with no offset or a zero one: the CMS's UTC, not the newsroom's clock
_UTC_TAIL_RE = re.compile(r"(?:Z|[+-]00:?00)$|T\d\d:\d\d(?::\d\d(?:\.\d+)?)?$")
# a printed time of day: "00:35", "19h45", "11:58 PM", "10:20 p.m.", "18時05分"
_TIME_RE = re.compile(r"(?<!\d)\d{1,2}(?::|h)\d{2}(?!\d)|\d\s?[ap]\.?m\b|\d\s*[時时시]",
                      re.IGNORECASE)
_MAX_OFFSET = timedelta(hours=14)
# a printed date alone is weaker evidence: only the offsets of populated zones (-12..+12)
_MAX_DAY_OFFSET = timedelta(hours=12)
_STEP = timedelta(minutes=30)
_MAX_UPDATE = timedelta(days=7)


def date_by_headline(root: Any) -> list[str]:
    """A date printed in one of the few elements under the headline (<p class="date">),
    for pages with no date in their metadata or <time> elements."""
    for h1 in islice(root.iter("h1"), 2):
        sib, up = h1.getnext(), h1.getparent()
        for _ in range(4):
            if sib is None and up is not None:  # the h1 closes a header box: the box's
                sib, up = up.getnext(), None    # next siblings (the byline and date row)
            if sib is None:
                break
            text = " ".join(sib.text_content().split()) if isinstance(sib.tag, str) else ""
            if 0 < len(text) <= 80 and _YEAR_RE.search(text) and date_line(text):
                return [text]
            if 0 < len(text) <= 400:  # a byline box: author, dates, place
                # (a month name of another language or other digits: the child first, as
                # a byline glued to it reads "Mette Skov7. marts 2025")
                for child in islice(sib.iterchildren("*"), 6):
                    line = " ".join(child.text_content().split())
                    if 0 < len(line) <= 80 and ((len(text) > 80 and _YEAR_RE.search(line)
                                                and date_line(line))
                                                or is_date_line(line)):
                        return [line]
                if len(text) <= 80 and is_date_line(text):
                    return [text]
            sib = sib.getnext()
    return []


def local_published(value: str, root: Any, times: list[Any]) -> str:
    """``value`` (a metadata date) in the zone the page prints it in, when the metadata is
    UTC (or zoneless) and the page shows the same instant at another whole- or half-hour
    offset within 14 hours ("00:35, 2 APR 2025" for 2025-04-01T23:35Z); else ``value``.
    A printed date without a time one day off the UTC date takes the smallest whole-hour
    offset (up to 12 hours) that puts the instant on it ("13 مارس 2025" for
    2025-03-12T22:15Z)."""
    if "T" not in value or not _UTC_TAIL_RE.search(value.strip()):
        return value
    instant = parse_date_hint(value, keep_offset=True)
    if instant is None:
        return value
    # (pages print minutes: compared to the minute, the seconds kept)
    minute = instant.astimezone(UTC).replace(second=0, microsecond=0)
    printed = _printed(root, times, minute)
    for text in printed:
        local = None if UPDATED_LABEL_RE.match(text) else _local(minute, text)
        if local is not None:
            log.debug("metadata date %s printed as %r: %s", value, text, local)
            return instant.astimezone(local.tzinfo).isoformat()
    # Only an update line under the headline, naming its zone ("Updated 10:22 PM EDT, May
    # 14, 2025" over 2025-05-15T00:05Z): the page's zone, if it is a later time.
    for text in printed:
        label = UPDATED_LABEL_RE.search(text)  # (after a byline glued to it: "By X Updated")
        if label is not None and _TIME_RE.search(text, label.end()):
            later = parse_date_hint(text[label.start():], dayfirst=True, keep_offset=True)
            zone = later.utcoffset() if later is not None else None
            if later is not None and zone and timedelta(0) <= later - minute <= _MAX_UPDATE:
                return instant.astimezone(timezone(zone)).isoformat()
    return value


def _printed(root: Any, times: list[Any], instant: datetime) -> list[str]:
    """The page's printed dates: a <time> element's text whose datetime is the metadata's
    instant, then the date line under the headline (an update's among them)."""
    found = []
    for t in times[:4]:
        text = " ".join(t.text_content().split())
        stamp = (t.get("datetime") or "").strip()
        machine = parse_date_hint(stamp, keep_offset=True)
        # (a bare date, <time datetime="2025-03-12">: the day the page shows, either side
        # of the UTC day)
        if 0 < len(text) <= 80 and machine is not None \
                and (abs(machine - instant) < timedelta(minutes=1) or (
                    len(stamp) == 10 and abs((machine.date() - instant.date()).days) == 1)):
            found.append(text)
        elif machine is not None and 16 <= len(stamp) <= 19 and "T" in stamp \
                and _zoneless_wall(machine, instant):
            found.append(stamp)  # <time datetime="2025-03-13T08:10">: the page's wall clock
    found += date_by_headline(root)
    if not found:  # (a headline in an <h3> under a portal's logo <h1>: the date's own box)
        found = [text for el in islice(_date_boxes()(root), 4)
                 if 6 <= len(text := " ".join(el.text_content().split())) <= 40
                 and _TIME_RE.search(text)]
    return found or _syndicated_day(root)


# a syndicated copy's trailer: "This story was originally published March 2, 2025 at 9:30 PM."
_ORIGINALLY_RE = re.compile(r"\boriginally published (?:on )?((?:[A-Z][a-z]{2,8}\.? \d{1,2}, "
                            r"|\d{1,2} [A-Z][a-z]{2,8},? )(?:19|20)\d\d)\b")


def _syndicated_day(root: Any) -> list[str]:
    """The day the original publisher printed, from a syndicated copy's trailer (its day
    only: the copy's metadata keeps the syndication's own later time)."""
    for p in root.iter("p"):
        text = p.text_content()
        if "originally published" in text and len(text) < 300:
            m = _ORIGINALLY_RE.search(text)
            if m is not None:
                return [m.group(1)]
    return []


def _zoneless_wall(machine: datetime, instant: datetime) -> bool:
    """A zoneless machine time that is the instant at a whole or half hour's offset."""
    offset = machine.replace(second=0, microsecond=0) - instant
    return bool(offset) and abs(offset) <= _MAX_OFFSET and not offset % _STEP


@functools.cache
def _date_boxes() -> Any:
    """Leaf elements whose class names a date ("num_date", "article-date"), in page order."""
    from lxml import etree  # type: ignore[import-untyped]

    return etree.XPath("//*[not(*)][contains(@class, 'date')]")


# A machine timestamp printed as it is ("By X 2024-05-01T08:03:00+00:00"): read alone, on
# the ISO fast path, not through dateutil's (~1 ms a line)
_ISO_IN_TEXT_RE = re.compile(r"\b\d{4}-\d\d-\d\dT\d\d:\d\d(?::\d\d(?:\.\d{1,6})?)?"
                             r"(?:Z|[+-]\d\d:?\d\d)")


def _local(instant: datetime, text: str) -> datetime | None:
    if "T" in text and (iso := _ISO_IN_TEXT_RE.search(text)) is not None:
        text = iso.group(0)
    if (label := UPDATED_LABEL_RE.search(text, 4)) is not None:
        text = text[:label.start()]  # "March 12, 2025Updated 9:42 p.m. ET": the first date
    printed = parse_date_hint(text, dayfirst=True, keep_offset=True)
    if printed is None:
        return None
    if not _TIME_RE.search(text):  # a date only: the day the reader saw
        shift = (printed.date() - instant.date()).days
        minutes = instant.hour * 60 + instant.minute
        if shift == 1:    # the smallest whole hour past midnight
            hours = (24 * 60 - minutes + 59) // 60
        elif shift == -1:  # ... or before it
            hours = -(minutes // 60 + 1)
        else:
            return None
        offset = timedelta(hours=hours)
        return instant.astimezone(timezone(offset)) if abs(offset) <= _MAX_DAY_OFFSET else None
    zone = printed.utcoffset()
    if zone:  # the page names its zone ("11:58 PM CDT"): the same instant, or no match
        same = abs(printed - instant) < timedelta(minutes=1)
        return instant.astimezone(timezone(zone)) if same else None
    wall = printed.replace(tzinfo=None, second=0, microsecond=0)
    offset = wall - instant.replace(tzinfo=None)
    if not offset or abs(offset) > _MAX_OFFSET or offset % _STEP:
        return None
    return instant.astimezone(timezone(offset))
