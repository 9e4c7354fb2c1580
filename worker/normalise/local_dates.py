"""Page dates in languages dateutil cannot read: month names of Nordic, Finnish, Baltic-adjacent,
Slavic, Hungarian, Romanian, Turkish, Indonesian, Hindi, Greek, Hebrew, Swahili, Georgian and
Kazakh pages ("12. marts 2025", "14. května 2025", "17 aprilie 2025", "14 Ocak 2025", "2025.
március 14.", "14 मार्च 2025", "14 Μαρτίου 2025", "Machi 12, 2025"), and day-first dotted
numbers ("14. 5. 2025", "14.01.2025 - Güncelleme : 14.01.2025", "14.03.25, 10:21") that
dateutil stumbles over."""

from __future__ import annotations

import logging
import re
from datetime import datetime

log = logging.getLogger(__name__)

# Only names the English/dateutil path and dates._FOREIGN_MONTHS do not already read, in
# nominative and genitive forms, month by month
_NAMES = (
    "tammikuuta tammikuu ledna leden stycznia styczeń ianuarie ocak január januára січня "
    "siječnja sausio janvāris जनवरी ιανουαρίου ιανουαριου ιανουάριος",
    "helmikuuta helmikuu února únor lutego luty februarie şubat február februára лютого "
    "veljače फरवरी फ़रवरी φεβρουαρίου φεβρουαριου φεβρουάριος",
    "maaliskuuta maaliskuu marts března březen marca marzec martie mart március березня "
    "ožujka maret मार्च μαρτίου μαρτιου μάρτιος",
    "huhtikuuta huhtikuu dubna duben kwietnia kwiecień aprilie nisan április apríla квітня "
    "travnja अप्रैल अप्रेल απριλίου απριλιου απρίλιος",
    "toukokuuta toukokuu maj května květen maja aprílie mayıs május mája травня svibnja "
    "मई μαΐου μαιου μαϊου μάιος",  # (upper case keeps only the dialytika: "ΜΑΪΟΥ")
    "kesäkuuta kesäkuu června červen czerwca czerwiec iunie haziran június júna червня "
    "lipnja जून ιουνίου ιουνιου ιούνιος",
    "heinäkuuta heinäkuu července červenec lipca lipiec iulie temmuz július júla липня "
    "srpnja जुलाई ιουλίου ιουλιου ιούλιος",
    "elokuuta elokuu srpna srpen sierpnia sierpień augusti ağustos augusztus augusta серпня "
    "kolovoza agustus अगस्त αυγούστου αυγουστου αύγουστος",
    "syyskuuta syyskuu září września wrzesień septembrie eylül szeptember septembra вересня "
    "rujna सितंबर सितम्बर σεπτεμβρίου σεπτεμβριου σεπτέμβριος",
    "lokakuuta lokakuu října říjen października październik octombrie ekim október októbra "
    "жовтня अक्टूबर अक्तूबर οκτωβρίου οκτωβριου οκτώβριος",
    "marraskuuta marraskuu listopadu listopad listopada noiembrie kasım листопада "
    "studenoga नवंबर नवम्बर νοεμβρίου νοεμβριου νοέμβριος",
    "joulukuuta joulukuu prosince prosinec grudnia grudzień decembrie aralık december decembra "
    "грудня prosinca desember दिसंबर दिसम्बर δεκεμβρίου δεκεμβριου δεκέμβριος",
)
# Bengali (য় and ড় written as one code point or two), Urdu and Basque (nominative and
# genitive: "2025eko martxoaren 14a") months, added to the table above month by month
_MORE_NAMES = (
    "জানুয়ারি জানুয়ারী جنوری urtarrila urtarrilaren", "ফেব্রুয়ারি ফেব্রুয়ারী فروری otsaila otsailaren",
    "মার্চ مارچ martxoa martxoaren", "এপ্রিল اپریل apirila apirilaren", "মে مئی maiatza maiatzaren",
    "জুন جون ekaina ekainaren", "জুলাই جولائی uztaila uztailaren", "আগস্ট اگست abuztua abuztuaren",
    "সেপ্টেম্বর ستمبر iraila irailaren", "অক্টোবর اکتوبر urria urriaren",
    "নভেম্বর نومبر azaroa azaroaren", "ডিসেম্বর دسمبر abendua abenduaren")
# Swahili, Georgian (nominative and dative, "14 ოქტომბერს"), Kazakh and Croatian nominatives
# ("13 Ožujak 2025"; its "listopad" is the Czech and Polish November above)
_MORE_NAMES_2 = (
    "januari იანვარი იანვარს қаңтар siječanj", "februari თებერვალი თებერვალს ақпан veljača",
    "machi მარტი მარტს наурыз ožujak", "aprili აპრილი აპრილს сәуір travanj",
    "mei მაისი მაისს мамыр svibanj", "juni ივნისი ივნისს маусым lipanj",
    "julai ივლისი ივლისს шілде srpanj", "agosti აგვისტო აგვისტოს тамыз kolovoz",
    "septemba სექტემბერი სექტემბერს қыркүйек rujan",
    "oktoba ოქტომბერი ოქტომბერს қазан", "novemba ნოემბერი ნოემბერს қараша studeni",
    "desemba დეკემბერი დეკემბერს желтоқсан prosinac")
# Hebrew, alone and with its "in" prefix ("12 במרץ 2025")
_HEBREW = ("ינואר", "פברואר", "מרץ מרס", "אפריל", "מאי", "יוני", "יולי", "אוגוסט", "ספטמבר",
           "אוקטובר", "נובמבר", "דצמבר")
_ALL_NAMES = [" ".join((a, b, b.replace("\u09df", "\u09af\u09bc"),
                        b.replace("\u09af\u09bc", "\u09df"), c, *(p + w for w in h.split()
                                                                   for p in ("", "ב"))))
              for a, b, c, h in zip(_NAMES, _MORE_NAMES, _MORE_NAMES_2, _HEBREW, strict=True)]
# Decimal digits of other scripts (Arabic-Indic, Persian, Devanagari, Bengali, ..., Thai,
# Myanmar, Khmer, full-width), as ASCII: the patterns here and dateutil read those only
ASCII_DIGITS = {zero + k: 48 + k for zero in (
    0x660, 0x6F0, 0x7C0, 0x966, 0x9E6, 0xA66, 0xAE6, 0xB66, 0xBE6, 0xC66, 0xCE6, 0xD66, 0xDE6,
    0xE50, 0xED0, 0xF20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x19D0, 0xFF10) for k in range(10)}
_MONTH_OF = {w: i for i, names in enumerate(_ALL_NAMES, 1) for w in names.split()}
# ("listopada" is also Croatian for October: taken as the Polish/Czech November)
_WORD = "|".join(sorted(_MONTH_OF, key=len, reverse=True))
_TIME = r"(?:\D{0,12}?(?<!\d)(\d{1,2})[:.](\d{2})(?!\d))?"
# day month year: "12. marts 2025", "17 aprilie 2025", "14 Ocak 2025 Salı 09:41"
_DMY_RE = re.compile(rf"(?<!\d)(\d{{1,2}})\.?\s*({_WORD})\.?,?\s+((?:19|20)\d\d)(?!\d){_TIME}",
                     re.IGNORECASE)
# month day, year (Swahili): "Machi 12, 2025"
_MDY_RE = re.compile(rf"(?<!\w)({_WORD})\s+(\d{{1,2}}),?\s+((?:19|20)\d\d)(?!\d){_TIME}",
                     re.IGNORECASE)
# year month day (Hungarian): "2025. március 14., 10:15"
# ... and Basque, the year with its suffix: "2025eko martxoaren 14a"
_YMD_RE = re.compile(
    rf"(?<!\d)((?:19|20)\d\d)(?:\.|e?ko)\s*({_WORD})\s+(\d{{1,2}})\.?(?!\d){_TIME}",
    re.IGNORECASE)
# day-first dotted numbers, spaced or not: "14. 5. 2025 15:42", "14.01.2025"
_DOTTED_RE = re.compile(rf"(?<![\d.])(\d{{1,2}})\.\s?(\d{{1,2}})\.\s?((?:19|20)\d\d)(?!\d){_TIME}")
_DOTTED_YY_RE = re.compile(r"(?<![\d.])(\d{1,2})\.(\d{1,2})\.(\d\d),?\s+(\d{1,2}):(\d{2})(?![\d:])")
_SPACED_RE = re.compile(r"(?<!\d)\d{1,2}\.\s\d{1,2}\.\s?(?:19|20)\d\d")


def _make(y: str, mo: int, d: str, hh: str | None, mm: str | None) -> datetime | None:
    try:
        return datetime(int(y), mo, int(d), int(hh or 0) if hh and int(hh) < 24 else 0,
                        int(mm or 0) if hh and int(hh) < 24 else 0)
    except ValueError:
        return None


def named_date(s: str) -> datetime | None:
    """A date with a month name of the table above, or a spaced dotted one, first in ``s``
    (naive); None when there is none."""
    # (a word-set test first: the regexes' month alternation costs ~6 us a date line)
    if _MONTH_OF.keys().isdisjoint(s.lower().replace(".", " ").replace(",", " ").split()):
        return dotted_date(s) if ". " in s and _SPACED_RE.search(s) else None
    m = _DMY_RE.search(s)
    if m:
        return _make(m.group(3), _MONTH_OF[m.group(2).lower()], m.group(1), m.group(4),
                     m.group(5))
    m = _YMD_RE.search(s)
    if m:
        return _make(m.group(1), _MONTH_OF[m.group(2).lower()], m.group(3), m.group(4),
                     m.group(5))
    m = _MDY_RE.search(s)
    if m:
        return _make(m.group(3), _MONTH_OF[m.group(1).lower()], m.group(2), m.group(4),
                     m.group(5))
    if _SPACED_RE.search(s):
        return dotted_date(s)
    return None


def dotted_date(s: str) -> datetime | None:
    """The first day-first dotted date in ``s`` ("14.01.2025"), naive; None when none."""
    m = _DOTTED_RE.search(s)
    if m is None:  # a two-digit year only with a time after it: "14.03.25, 10:21" (Hebrew pages)
        m = _DOTTED_YY_RE.search(s) if s.count(".") >= 2 else None
        if m is None:
            return None
        return _make("20" + m.group(3), int(m.group(2)), m.group(1), m.group(4), m.group(5)) \
            if 1 <= int(m.group(2)) <= 12 else None
    return _make(m.group(3), int(m.group(2)), m.group(1), m.group(4), m.group(5)) \
        if 1 <= int(m.group(2)) <= 12 else None
