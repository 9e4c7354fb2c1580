"""Repairs to a plain-text dump before its lines are classified."""

from __future__ import annotations

import logging
import re

from worker.normalise.stopwords import STOPWORDS

log = logging.getLogger(__name__)

# html2text / pandoc wrap markdown links like prose: "[Erzurum Büyükşehir\nBelediyesi](url)"
# and "](https://site/a-long-\nslug)". A link split over lines leaves its halves on two lines
# ("Müdürlüğü](https://...) ise ...") that read as furniture; rejoined, the link markup goes.
_LINK_TEXT_RE = re.compile(r"\[(?:[^\[\]\n]|\n(?![ \t]*\n)){0,300}\n(?:[^\[\]\n]){0,300}\]\(")
_LINK_URL_RE = re.compile(r"\]\([^()\s]{1,800}(?:\n[^()\s]{1,800}){1,4}\)")


# a paragraph opening with a link on a line of its own: "[Erzurum Belediyesi](url)\nekipleri, ..."
_LINK_END_RE = re.compile(r"\]\([^()\s]{1,800}\)\n(?=[^\W\d_])")


# a link ending a wrapped line inside a sentence, after a word, the sentence going on below
# ("eskasia baizik. [Helegitea aurkezteko aukera](https://...)\naztertzen ari ..."): its text
# (its address made the wrapped line read as a link line)
_MID_LINK_RE = re.compile(r"(?:(?<=\w )|(?<=\w[,;:.] ))\[([^\[\]\n]{1,300})\]\([^()\s]{1,800}\)"
                          r"(?=\n\w)")


def _mid_sentence(m: re.Match[str]) -> str:
    return m.group(1) if m.string[m.end() + 1].islower() else m.group(0)


def _goes_on(m: re.Match[str]) -> str:
    s = m.string
    # (a link ending a wrapped line after other words is the wrap's, left to the joiner)
    alone = s[s.rfind("\n", 0, m.start()) + 1:][:1] == "["
    return m.group(0)[:-1] + " " if alone and s[m.end()].islower() else m.group(0)


def _spaced(m: re.Match[str]) -> str:
    return m.group(0).replace("\n", " ")


def _joined(m: re.Match[str]) -> str:
    return m.group(0).replace("\n", "")


# A Setext heading (Markdown's "Heading" over a line of "-" or "="): one line of up to 80
# characters that ends no sentence, right over its rule
_SETEXT_RE = re.compile(r"^([^\n]{2,80}?[^.!?:;,\s])[ \t]*\n[ \t]*(-{3,}|={3,})[ \t]*$",
                        re.MULTILINE)


def _atx(m: re.Match[str]) -> str:
    """"===" under a heading marks the page's h1 ("# "), "---" an h2 ("## ")."""
    return ("# " if m.group(2)[0] == "=" else "## ") + m.group(1)


def rejoin_markdown_links(text: str) -> str:
    """Markdown links and images wrapped over lines, back on one line; Setext headings as
    ATX ones ("# Heading", "## Heading"), the rule under them gone."""
    # (a plain-text "===" under a headline too: newsletters underline theirs so)
    if "\n===" in text or ("\n---" in text and "](" in text):
        text = _SETEXT_RE.sub(_atx, text)
    if "](" not in text:
        return text
    text = _LINK_URL_RE.sub(_joined, text)
    text = _LINK_END_RE.sub(_goes_on, _LINK_TEXT_RE.sub(_spaced, text))
    return _MID_LINK_RE.sub(_mid_sentence, text)


# --- print line breaks ---------------------------------------------------------------

_SUFFIX_RE = re.compile(r"(?:ings?|ment|ments|tions?|sions?|tures?|ly|ed|[a-z]?ers?|ity|ness|ance|"
                        r"ence|able|ible|ous|ive|al|"
                        # ("finan-" + "cial", "partici-" + "pation", "polit-" + "ical")
                        r"[a-z]?ations?|[a-z]?itions?|[cst]ials?|[a-z]?ically|ical|ious|ency|"
                        r"ancy)\b")
_HEAD_RE = re.compile(r"(?:^|\W)\w{1,3}-$")
_CHAIN_RE = re.compile(r"[^\W\d_]-[^\W\d_]{1,12}-$")


_BREAK_RE = re.compile(r"\b\w+-[ \t]*\n\s*\w+")  # \b: not from every letter of a long word
_ALPHA_RE = re.compile(r"[^\W\d_]+")


def doc_vocab(text: str) -> frozenset[str]:
    """Words the document uses whole (line-break hyphenations left out)."""
    return frozenset(w.lower() for w in _ALPHA_RE.findall(_BREAK_RE.sub(" ", text)))


def joins_freely(vocab: frozenset[str]) -> bool:
    """Whether a lower-case word broken at a line-end hyphen is one word by default: in
    text with few English function words or fewer than another language's, where a hyphenated
    lower-case compound ("long-term") is rare (Danish, Spanish, Finnish ...)."""
    en = len(vocab & STOPWORDS["en"])
    return en < 6 or any(len(vocab & words) > en
                         for lang, words in STOPWORDS.items() if lang != "en")


# The conjunction after a suspended hyphen ("Personal- und Energiekosten", "binnen- en
# buitenland", "pre- and post-war"): the hyphen and the space after it stay.
_SUSPENDED_RE = re.compile(r"(?:und|oder|bis|sowie|bzw\.|and|or|to|en|of|et|ou|och|eller|og|"
                           r"tai|ja|i|a|lub|oraz)\s")


def dehyphen(cur: str, s: str, vocab: frozenset[str] = frozenset(), free: bool = False) -> str:
    """'govern-' + 'ment' -> 'government', 'rec-' + 'ommended' -> 'recommended' (print
    line breaks); a compound ('fast-' + 'growing', 'long-' + 'term') keeps its hyphen.
    Beyond the suffix list, the document's own words decide: 'adminis-' + 'tration' joins
    when 'administration' occurs whole elsewhere in it."""
    if cur[-2:-1].islower() and s[:1].islower():
        if _SUSPENDED_RE.match(s):  # "Personal-" + "und Energiekosten": a suspended compound
            return f"{cur} {s}"
        if _CHAIN_RE.search(cur[-24:]):  # "year-on-" + "year": a hyphenated chain goes on
            return cur + s
        if _SUFFIX_RE.match(s) or _HEAD_RE.search(cur[-8:]):  # the regex ends at $
            return cur[:-1] + s
        if vocab:
            # none when the letter before "-" is a lower-case symbol such as "ⓐ"
            lefts = _ALPHA_RE.findall(cur[-40:])
            m = _ALPHA_RE.match(s)
            right = m.group(0).lower() if m else ""
            if lefts and right and lefts[-1].lower() + right in vocab:
                return cur[:-1] + s
            # elsewhere a syllable break, unless both halves are words of the text
            if free and lefts and right and not (lefts[-1].lower() in vocab and right in vocab):
                return cur[:-1] + s
    return cur + s


def shouted(t: str) -> bool:
    """The line is in capitals: ``str.isupper``, but a Thai or Arabic line naming "PM2.5" or
    "COVID" is not (its letters have no case; half of them must be capitals)."""
    return t.isupper() and (t.isascii() or 2 * sum(map(str.isupper, t)) >= len(t) - t.count(" "))


def lower_share(t: str) -> float:
    """The share of a line's words that start lower-case, or with a letter of a script
    without case (Tamil, Bengali, Amharic: their particles are suffixes, so stop words are
    too few to tell prose by, as in Finnish)."""
    words = t.split()
    heads = [w[:1] for w in words]
    low = sum(map(str.islower, heads))
    if t.isascii():
        return low / len(words)
    return (low + sum(c.isalpha() and not c.isupper() and not c.islower() for c in heads)) \
        / len(words)


# str.split()'s ASCII whitespace besides the space (a paragraph holds no newline, but the
# check is the definition, not that assumption)
_ASCII_SPACES = ("\t", "\n", "\x0b", "\x0c", "\r", "\x1c", "\x1d", "\x1e", "\x1f")


def squeeze(text: str) -> str:
    """``" ".join(text.split())``: each run of whitespace one space, none at the ends. An
    ASCII text that is so already comes back as it is: most story paragraphs are, and their
    split and join cost ~15,000 instructions each (compiled), these checks a few hundred."""
    if text.isascii() and "  " not in text and text[:1] != " " and text[-1:] != " " \
            and not any(c in text for c in _ASCII_SPACES):
        return text
    return " ".join(text.split())


_TITLE_WORD_RE = re.compile(r"[^\W\d_][\w'’-]*")


def unshout(title: str, body: list[str]) -> str:
    """An all-capitals headline ("ANUNCIAN TANDEOS EN 120 COLONIAS DE ... GUADALAJARA") in
    sentence case, each word as the story writes it ("Guadalajara", "EU"), or lower case."""
    letters = [c for c in title if c.isalpha()]
    if len(title.split()) < 3 or len(letters) < 12 or not title.isupper():
        return title
    forms: dict[str, str] = {}
    for para in body[:30]:
        for w in _TITLE_WORD_RE.findall(para):
            low = w.lower()
            if w == low:
                forms[low] = low  # written lower case somewhere: a common word
            elif low not in forms:
                forms[low] = w
    out = _TITLE_WORD_RE.sub(lambda m: forms.get(m.group(0).lower(), m.group(0).lower()),
                             title)
    return out[:1].upper() + out[1:]
