"""Each line's cues (``features``): what the plain-text extractor weighs and what
``is_furniture`` asks of a lone line of feed-entry or HTML text.

Length, sentence punctuation, stop-word density, link-likeness, repetition and short phrase
cues, each gated by a cheap word-set test before its regex: every line of every article
passes here, so this loop is a third of plain-text normalising.
"""

from __future__ import annotations

import logging
import re

from worker.normalise.cjk_cues import cjk_related
from worker.normalise.cue_keys import (
    BOUNDARY_KEYS,
    COMMENT_KEYS,
    CREDIT_KEYS,
    DISCLAIMER_KEYS,
    SHORT_KEYS,
    STRONG_KEYS,
    WEAK_KEYS,
)
from worker.normalise.cues import (
    ARABIC_RE,
    BIO_RE,
    BIO_VERBS,
    BOUNDARY_RE,
    CJK_DISCLAIMER_MARKS,
    COMMENT_META_RE,
    DISCLAIMER_RE,
    IMAGE_RE,
    SEP_CHARS,
    SEP_RE,
    SHORT_CUE_RE,
    TAIL_HEAD_KEYS,
    TAIL_HEAD_RE,
    URL_RE,
    WEAK_RE,
    credit_cue,
    full_stop,
    strong_match,
    url_hint,
)
from worker.normalise.date_cues import date_line
from worker.normalise.dates import DATE_LABEL_RE
from worker.normalise.narrow import dense_chars
from worker.normalise.page_notes import consent_notice, platform_pitch, trailer_or_sign_up
from worker.normalise.print_pages import BRIEFS_RE
from worker.normalise.stopwords import ALL_STOPWORDS
from worker.normalise.textfix import lower_share, shouted
from worker.normalise.textparts import Line
from worker.normalise.title import strip_words

log = logging.getLogger(__name__)

_NO_KEYS: frozenset[str] = frozenset()
_REF_RE = re.compile(r"\[\d{1,4}\]\w")  # lynx -dump link markers: "[12]Donate"
_REF_MARK_RE = re.compile(r"\[\d{1,4}\](?=\w)")  # no words of the line: "[12]RELATED: ..."
MD_LINK_RE = re.compile(r"\]\([^)\s\]]*\)")  # stops at "]": "](](..." stays linear
# a line that is one markdown link, bulleted or not: a related-story link, not a list item
_MD_ONLY_RE = re.compile(r"^(?:[-*+•]\s+)?\[[^\]]{1,300}\]\([^)\s\]]*\)\W{0,3}$")
# a date line, not a live-blog time stamp
YEAR_RE = re.compile(r"\b(?:19|20|١٩|٢٠)\d\d(?:\b|(?=[年년]))")  # Arabic-Indic digits too
# a live-blog entry's contributor line: "From Aya Tanaka"
_CONTRIB_RE = re.compile(r"^From\s+[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){1,3}$")


def features(lines: list[Line], *, full: bool = True) -> None:
    """Set each line's cues; ``full=False`` only words, sentence and the furniture cues
    (strong, weak, boundary, meta): what ``is_furniture`` reads."""
    counts: dict[str, int] = {}  # (a Counter's update is interpreted even when compiled)
    if full:
        for ln in lines:
            key = ln.text.lower()
            counts[key] = counts.get(key, 0) + 1
    stopwords = ALL_STOPWORDS  # (a local: compiled, a global is a dict lookup per word)
    for ln in lines:
        t = ln.text
        if "](" in t:  # html2text markdown: judge "[text](url)" by its text
            t = MD_LINK_RE.sub("]", t)
        refs = len(_REF_RE.findall(t)) if (bracket := "[" in t) else 0
        t = _REF_MARK_RE.sub("", t) if refs else t
        low = t.lower()
        # split+strip is faster than a word regex; long lines only need a sample of words
        raw = low.split()
        # a few huge "words" (a blob, a run of URLs) are no short furniture line either: no
        # word cues, which also keeps their alternations (~1 us a character) off such lines
        long_line = len(raw) > 60 or len(t) > 5000
        toks = strip_words(raw[:40] if long_line else raw)
        keys = _NO_KEYS if long_line else frozenset(toks)
        cjk = 0 if t.isascii() else dense_chars(t)
        n = ln.words = (len(raw) if long_line else len(toks)) + cjk // 2
        # a plain loop: compiled, it stays in C (sum(map(set.__contains__, ...)) goes through
        # a method-wrapper call per word)
        stops = 0
        for w in toks:
            if w in stopwords:
                stops += 1
        ln.stop = stops / len(toks) if toks else 0.0
        if cjk > 10:
            ln.stop = max(ln.stop, 0.3)
        elif n >= 12 and ln.stop < 0.15 and len(ARABIC_RE.findall(t)) > 40:
            ln.stop = 0.15  # Arabic and Hebrew glue particles to words: few stand-alone stop words
        # CJK prose has no spaces but does have sentence stops; headlines and captions don't
        ln.sentence = (full_stop(t) and not shouted(t)) or (cjk > 10 and (any(
            c in t for c in "。！？") or (cjk > 36 and "\u0e00" <= t[-1] <= "\u0eff")))  # (Thai)
        # (capitals counted only for short lines without stop words; map keeps it in C)
        titleish = n <= 8 and len(toks) >= 2 and ln.stop < 0.15 \
            and sum(map(str.isupper, [w[0] for w in t.split()])) / len(toks) > 0.75
        if full:  # (is_furniture asks only for the furniture cues)
            ln.linky = n <= 40 and (
                # (a sentence that names a site, "... the map at traveler.modot.org.", is prose)
                (url_hint(low) and bool(URL_RE.search(t))
                 and not (n >= 15 and ln.sentence and "http" not in low and "www." not in low
                          and "@" not in low))
                # (French quotes « … » in a sentence, or quoting a subhead, are no separators)
                or (not SEP_CHARS.isdisjoint(t) and (seps := len(SEP_RE.findall(t))) >= 2
                    and not ("«" in t and ((ln.sentence and n > 12)
                                           or (seps == 2 and -1 < t.find("«") < t.find("»")))))
                or (titleish and n <= 6 and not ln.sentence)
                or (shouted(t) and 3 < n < 20 and not ln.sentence)
                or (bracket and 4 * refs >= n)
                or (t[:1] == "[" and t[-1:] == "]")  # w3m/lynx image alt or button label
                or (n <= 12 and "      " in t)  # a page header/footer laid out in columns
                or (t is not ln.text and bool(_MD_ONLY_RE.match(ln.text))))
        ln.strong = (n <= 40 and (not keys.isdisjoint(STRONG_KEYS) or "©" in t)
                     and strong_match(t, n, keys)) or \
            (n <= 12 and not keys.isdisjoint(SHORT_KEYS) and bool(SHORT_CUE_RE.search(t))) or \
            (n <= 120 and consent_notice(t, low, keys)) or platform_pitch(t, n) \
            or (n < 40 and trailer_or_sign_up(t)) or (cjk > 0 and cjk_related(t)) or \
            (12 <= n <= 150 and (not (long_disjoint(toks, raw, DISCLAIMER_KEYS) if long_line
                                      else keys.isdisjoint(DISCLAIMER_KEYS))
                                 or (cjk > 10 and any(m in t for m in CJK_DISCLAIMER_MARKS)))
             and bool(DISCLAIMER_RE.search(t)))
        ln.weak = n <= 6 and not ln.sentence and not keys.isdisjoint(WEAK_KEYS) \
            and bool(WEAK_RE.search(t))
        ln.boundary = n <= 8 and (
            ((not keys.isdisjoint(BOUNDARY_KEYS) or "©" in t) and bool(BOUNDARY_RE.search(t)))
            or ((cjk > 0 or not keys.isdisjoint(TAIL_HEAD_KEYS))
                and bool(TAIL_HEAD_RE.search(t)))
            or (n <= 3 and bool(BRIEFS_RE.match(t))))
        ln.meta = (n <= 12 and not keys.isdisjoint(COMMENT_KEYS)
                   and bool(COMMENT_META_RE.search(t))) or (n <= 5 and t[:5] == "From "
                                                             and bool(_CONTRIB_RE.match(t)))
        if not full:
            continue
        ln.repeated = n < 25 and counts.get(low, 0) > 1
        ln.credit = n <= 60 and (not keys.isdisjoint(CREDIT_KEYS) or "/" in t) and credit_cue(t)
        ln.bio = 8 <= n <= 80 and (b := t.strip("_*"))[:1].isupper() \
            and not BIO_VERBS.isdisjoint(b.split(None, 5)[1:5]) and bool(BIO_RE.match(b))
        ln.prose = (not ln.linky and not ln.strong and not ln.repeated and not ln.bio
                    and ((n >= 8 and ln.sentence and ln.stop >= 0.1)
                         or (n >= 20 and ln.stop >= 0.2)
                         # (Finnish, Turkish glue particles on: a long lower-case sentence)
                         or (n >= 15 and ln.sentence and not long_line
                             and lower_share(t) >= 0.6))
                    # "Published Feb. 23, 2024 at 5:48 p.m. Updated ..." reads like a sentence
                    and not (n <= 20 and DATE_LABEL_RE.match(t) and YEAR_RE.search(t)
                             and date_line(t)))


def long_disjoint(toks: list[str], words: list[str], keys: frozenset[str]) -> bool:
    """The long-line prefilter: ``keys`` of a line over 60 words are not collected (``toks``
    holds its first 40 words, stripped)."""
    return keys.isdisjoint(toks) and keys.isdisjoint(strip_words(words[40:]))


_FEED_TAIL_RE = re.compile(r"appeared first on|^continue reading|^the post .{3,200} appeared",
                           re.IGNORECASE)


def is_furniture(text: str) -> bool:
    """True for a standalone line that is page furniture (for feed-entry HTML)."""
    ln = Line(text, True)
    features([ln], full=False)
    # (every _FEED_TAIL_RE branch holds one of these words: most lines skip the regex)
    low = text.lower()
    if IMAGE_RE.match(text) or (("appeared" in low or "continue reading" in low)
                                and bool(_FEED_TAIL_RE.search(text))):
        return True
    if ln.words <= 12 and credit_cue(text) and not ln.sentence:
        return True
    return ln.boundary or ln.strong or ln.weak or ln.meta
