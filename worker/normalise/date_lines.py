"""An article's dates from what its parts hold: the first readable one of metadata values
(``first_date``), the published and updated dates of date lines ("Published 3 March 2024 |
Updated 4 March 2024": ``dates_from_lines``), and a syndicated copy's closing "This story was
originally published March 13, 2025." (``trailer_date``)."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from worker.normalise.dates import parse_date_hint

log = logging.getLogger(__name__)

_UPDATED_RE = re.compile(r"updated|modified|aktualisiert|mis à jour|actualizado", re.I)
_DATE_PIECES_RE = re.compile(r"\s[|•·]\s|(?=\bupdated\b)|(?=\bpublished\b)", re.I)
_FIRST_PUBLISHED_RE = re.compile(r"^this (?:story|article|report) was (?:originally|first) "
                                 r"published (?:on )?([^\n]{6,40}?)\.?[ \t]*$",
                                 re.IGNORECASE | re.MULTILINE)
_TAIL = 3000  # characters: the trailer closes the copy


def first_date(values: Iterable[Any]) -> datetime | None:
    """The first of ``values`` that reads as a date (epoch numbers too), in its own offset."""
    for v in values:
        if isinstance(v, int | float) and not isinstance(v, bool):
            v = str(int(v))
        if isinstance(v, str):
            dt = parse_date_hint(v, keep_offset=True)  # the page's own calendar date
            if dt is not None:
                return dt
    return None


def dates_from_lines(lines: list[str], *, dayfirst: bool = False,
                     ) -> tuple[datetime | None, datetime | None]:
    """(published, updated) from date lines, each labelled piece read on its own."""
    published: datetime | None = None
    updated: datetime | None = None
    for line in lines:
        for piece in _DATE_PIECES_RE.split(line):
            dt = parse_date_hint(piece, dayfirst=dayfirst, keep_offset=True)
            if dt is None:
                continue
            if _UPDATED_RE.search(piece):
                updated = updated or dt
            else:
                published = published or dt
    if published is None and updated is not None:
        published = updated
    return published, updated


def trailer_date(text: str) -> datetime | None:
    """The date of a "This story was originally published <date>." line in the text's end."""
    if "published" not in text[-_TAIL:]:
        return None
    m = _FIRST_PUBLISHED_RE.search(text, max(0, len(text) - _TAIL))
    return parse_date_hint(m.group(1), keep_offset=True) if m else None
