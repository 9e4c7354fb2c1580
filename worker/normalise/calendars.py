"""Dates with month names in Thai (and the Buddhist Era year Thai pages print: 2567 = 2024)
and Tamil, which neither dateutil nor ``local_dates`` read: "19 ม.ค. 2567 16:20 น.",
"19 มกราคม 2567", "ஏப் 08, 2025 06:15", "8 ஏப்ரல் 2025"; and the Solar Hijri dates Persian
pages print ("۲۳ مهر ۱۴۰۴" = 15 October 2025), converted with ``jdatetime``."""

from __future__ import annotations

import logging
import re
from datetime import datetime

log = logging.getLogger(__name__)

_MONTHS = (
    "ม.ค. มกราคม ஜன ஜனவரி", "ก.พ. กุมภาพันธ์ பிப் பிப்ரவரி", "มี.ค. มีนาคม மார் மார்ச்",
    "เม.ย. เมษายน ஏப் ஏப்ரல்", "พ.ค. พฤษภาคม மே", "มิ.ย. มิถุนายน ஜூன்",
    "ก.ค. กรกฎาคม ஜூலை", "ส.ค. สิงหาคม ஆக ஆகஸ்ட்", "ก.ย. กันยายน செப் செப்டம்பர்",
    "ต.ค. ตุลาคม அக் அக்டோபர்", "พ.ย. พฤศจิกายน நவ நவம்பர்", "ธ.ค. ธันวาคม டிச டிசம்பர்")
_MONTH_OF = {w: i for i, names in enumerate(_MONTHS, 1) for w in names.split()}
_WORD = "|".join(re.escape(w) for w in sorted(_MONTH_OF, key=len, reverse=True))
_TIME = r"(?:\D{0,6}?(?<!\d)(\d{1,2})[:.](\d{2})(?!\d))?"
# day month year (Thai, Tamil) or month day, year (Tamil sites' English order)
_DMY_RE = re.compile(rf"(?<!\d)(\d{{1,2}})\s*({_WORD})(?![^\W\d_])\s*(\d{{4}})(?!\d){_TIME}")
_MDY_RE = re.compile(rf"({_WORD})(?![^\W\d_])\.?\s*(\d{{1,2}}),?\s+(\d{{4}})(?!\d){_TIME}")
_SCRIPTS_RE = re.compile(r"[\u0b80-\u0bff\u0e00-\u0e7f]")
_JALALI_MONTHS = ("فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور", "مهر", "آبان",
                  "آذر", "دی", "بهمن", "اسفند")
# day, month, year 1300-1499 (Persian digits already made ASCII), then maybe a time
_JALALI_RE = re.compile(r"(?<!\d)(\d{1,2})\s*(" + "|".join(_JALALI_MONTHS) + r")(?![^\W\d_])"
                        r"\s*(1[34]\d\d)(?!\d)" + _TIME)


def script_month_date(s: str) -> datetime | None:
    """The first such date in ``s`` (ASCII digits), naive; None when there is none."""
    if _SCRIPTS_RE.search(s) is None:
        return _jalali(s) if max(s) >= "\u0600" else None
    m = _DMY_RE.search(s)
    if m is not None:
        day, month, year, hh, mm = m.group(1), m.group(2), m.group(3), m.group(4), m.group(5)
    elif (m := _MDY_RE.search(s)) is not None:
        month, day, year, hh, mm = m.group(1), m.group(2), m.group(3), m.group(4), m.group(5)
    else:
        return None
    y = int(year) - 543 if int(year) >= 2400 else int(year)  # the Buddhist Era
    try:
        return datetime(y, _MONTH_OF[month], int(day), int(hh or 0) if hh and int(hh) < 24
                        else 0, int(mm or 0) if hh and int(hh) < 24 else 0)
    except ValueError:
        return None


def _jalali(s: str) -> datetime | None:
    m = _JALALI_RE.search(s)
    if m is None:
        return None
    import jdatetime  # lazy: only Persian pages need it

    hh, mm = (int(m.group(4)), int(m.group(5))) if m.group(4) and int(m.group(4)) < 24 \
        else (0, 0)
    try:
        day = jdatetime.date(int(m.group(3)), _JALALI_MONTHS.index(m.group(2)) + 1,
                             int(m.group(1))).togregorian()
    except ValueError:
        return None
    return datetime(day.year, day.month, day.day, hh, mm)
