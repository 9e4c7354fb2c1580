"""Headline choice for plain-text dumps: the most title-like short line above the story.

Scores length, stop words and distance to the story, then layout around the candidate: a
date or byline right under it, or a row of button labels around it.
"""

from __future__ import annotations

import logging
import re

from worker.normalise.cues import (
    BYLINE_RE,
    DATE_HINT_RE,
    DIGIT_RE,
    SEP_RE,
    TITLE_SUFFIX_RE,
    URL_RE,
    WORD_RE,
)
from worker.normalise.date_cues import date_line
from worker.normalise.dates import DATE_LABELS
from worker.normalise.stopwords import ALL_STOPWORDS
from worker.normalise.textparts import Line, TextParts

log = logging.getLogger(__name__)

PUNCT = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~“”‘’«»—–…¿¡·•›‹„"
_PUNCT_CHARS = frozenset(PUNCT)


def strip_words(words: list[str]) -> list[str]:
    """Each (non-empty) word with ``PUNCT`` stripped from its ends; words of punctuation
    only dropped. The ends are looked at first: most words have nothing to strip, and
    ``strip(PUNCT)`` builds a filter of its 48 characters on every call. Compiled (mypyc),
    this loop is a fifth of ``map(str.strip, ...)``'s instructions; as plain Python it is
    about as fast (measured on the bench articles)."""
    out = []
    ends = _PUNCT_CHARS  # (a local: compiled, a global is a dict lookup per word)
    for w in words:
        if w[0] in ends or w[-1] in ends:
            w = w.strip(PUNCT)
            if not w:
                continue
        out.append(w)
    return out
_MD_HEAD_RE = re.compile(r"^#{1,6}\s+")
_BULLETS = frozenset(("- ", "* ", "• ", "· ", "▪ ", "– "))
# A photo caption: a sentence then its credit, "(Jane Doe / Agency)" or "| AGENCY"
_CAPTION_TAIL_RE = re.compile(
    r"[.!?]\s+(?:\([^()]{2,60}/[^()]{2,60}\)|\|\s+[A-Z][A-Z .&'-]{1,40})$|"
    r"[.!?]\s*Credit\W.{2,80}$|"  # "... in Tucson.Credit...Rebecca Noble for The Times"
    r"（[^（）]{2,40}(?:で|にて|撮影)）$|撮影$")  # a Japanese photo caption: "（…駅前で）", "…撮影"


def title_score(ln: Line, distance: int) -> float:
    t = ln.text
    if not 2 <= ln.words <= 30 or not 10 <= len(t) <= 250 or ln.kind or ln.boundary:
        return -1.0
    if ln.strong or ln.weak or (ln.credit and _STOP_INSIDE_RE.search(t)) or URL_RE.search(t) \
            or BYLINE_RE.match(t):  # (a caption: a sentence, then its credit)
        return -1.0
    if t[:2] in _BULLETS or (t[:1] == "[" and (t[-1:] == "]" or t.startswith(
            ("[IMG]", "[INLINE]", "[BUTTON]")))):
        return -1.0  # a list item ("- 48 000 foyers sans ..."), a text browser's image alt
    title_case = ln.words >= 6 and _title_case(t)
    two = False  # an opinion headline of two short sentences ("... Don't close it on Sundays.")
    if t.endswith((".", ":", ",", ";")) and not t.endswith("...") \
            and not (title_case and t.endswith(".")):  # "She Turned a Truck Into a Library."
        two = t.endswith(".") and ln.words <= 24 and _two_sentences(t)
        if not two:
            return -1.0
    # "Gift this article", "Live: Follow our coverage of ...", "© ..."
    if _BUTTON_RE.match(t) or _RIGHTS_TAIL_RE.search(t):
        return -1.0
    if (t.endswith((")", "）", "影")) or "|" in t or "Credit" in t) \
            and _CAPTION_TAIL_RE.search(t):
        return -1.0
    # a date line; a long headline may name a date ("dal 15 giugno orari estivi: ...")
    if (DIGIT_RE.search(t) and ((DATE_HINT_RE.search(t) and ln.words <= 8)
                                 or (date_line(t) and (
                                     ln.words <= 12 or "|" in t or "·" in t
                                     or _NOT_TITLE_RE.search(t))))) or BY_INSIDE_RE.search(t):
        return -1.0
    toks = t.split() if DIGIT_RE.search(t) else []
    nums = sum(1 for w in toks if w.strip(PUNCT).replace(".", "").replace(",", "")
               .rstrip("%").isdigit())
    if (nums >= 2 and 3 * nums >= max(len(toks), ln.words)) or (nums and len(toks) <= 4
                                                  and toks[-1].strip(PUNCT).isdigit()):
        return -1.0  # a table row or score line ("Shots on target 6 3", "Rovers 1")
    score = 10.0 - 0.7 * distance
    score += min(ln.words, 12) * 0.5 - max(0, ln.words - 18) * 0.5
    if ln.stop > 0:
        score += 2.0
    if len(SEP_RE.findall(t)) or ln.repeated:
        score -= 3.0
    if ln.linky:
        score -= 4.0
    if title_case:
        score += 3.0  # a long line in Title Case: a headline, not a caption or a button
    return score - 3.0 if two else score


# (and a live coverage banner: "Live: Follow our emergency coverage of ...")
_BUTTON_RE = re.compile(r"^(?:(?:live|watch|listen)\s*:\s*(?:follow|watch|listen to|get) "
                        r"(?:our|the latest)\b.*|"
                        r"(?:gift|share|save|listen to|print|e-?mail|bookmark|read)(?: "
                        r"\w+)?(?: this)? (?:article|story|page|post)|mark all as read|"
                        r"markeer alles als gelezen|alle als gelesen markieren|"
                        r"tout marquer comme lu|marcar todo como leído|visit (?:the )?website|"
                        r"website bezoeken|zur website|visiter le site)\W*$", re.IGNORECASE)
_STOP_INSIDE_RE = re.compile(r"[.!?।。] ")
_SENTENCE_SPLIT_RE = re.compile(r"(?<=[a-z][.!?]) (?=[A-Z])")


def _two_sentences(t: str) -> bool:
    parts = _SENTENCE_SPLIT_RE.split(t)
    return len(parts) == 2 and all(3 <= len(p.split()) <= 16 for p in parts)


def _title_case(text: str) -> bool:
    """Every word of four characters or more capitalised, and at least four of them (read
    word by word, stopping at the first lower-case one: most lines are sentences)."""
    caps = 0
    for w in text.split():
        if len(w) < 4:
            continue
        c = w[0] if w[0].isalnum() else w[1:2]  # past an opening quote or bracket
        if c.islower():
            return False
        caps += c.isupper()
    return caps >= 4


def _menu_block(lines: list[Line], i: int) -> bool:
    """The line sits among short label lines in one block (a button row or menu)."""
    def label(j: int) -> bool:
        ln = lines[j]
        return ln.words <= 4 and not ln.sentence and not DIGIT_RE.search(ln.text)
    prev = i > 0 and not lines[i].gap and label(i - 1)
    nxt = i + 1 < len(lines) and not lines[i + 1].gap and label(i + 1)
    return bool(prev or nxt)


def _title_context(lines: list[Line], i: int, a: int) -> float:
    """Layout around a headline candidate: a date or byline just under it counts for it, a
    row of button labels against it; title case alone is not a menu when it stands apart."""
    ln = lines[i]
    adj = 0.0
    for j in range(i + 1, min(i + 3, a)):
        t = lines[j].text
        if lines[j].words <= 20 and (BYLINE_RE.match(t) or date_line(t)):
            adj += 3.0
            break
    menu = _menu_block(lines, i)
    if menu and ln.words <= 4:
        adj -= 5.0
    elif ln.linky and not menu and not SEP_RE.search(ln.text) and ln.words >= 2:
        adj += 2.0  # a lone title-case line: half the menu penalty back
    return adj


def _content(text: str) -> set[str]:
    return {w for w in (t.strip(PUNCT).lower() for t in text.split())
            if len(w) > 2 and w not in ALL_STOPWORDS}


def _tab_head(text: str) -> str | None:
    """The headline of a first line shaped like a page title, "Headline | Section | Site"."""
    m = TITLE_SUFFIX_RE.match(text)
    if not m or len(m.group(2).split()) > 4:
        return None
    head = m.group(1).split(" | ")[0].strip()
    words = head.split()
    if len(words) < 5 or head.isupper() or not (
            not head.isascii() or any(w.lower() in ALL_STOPWORDS for w in words)):
        return None
    return head


def _weak_for(ln: Line, tab: str) -> bool:
    """A short label (a category, a section) that shares nothing with the tab title."""
    mine = _content(ln.text)
    shared = len(mine & _content(tab)) / len(mine) if mine else 0.0
    return shared < 0.5 and (ln.words <= 4 or ln.stop == 0)


_YEAR_RE = re.compile(r"\b(?:19|20)\d\d\b|(?:19|20)\d\d(?=[年년]|-\d\d-\d\d)")  # ("송고2025-03-14")
BY_INSIDE_RE = re.compile(r"\b(?:by|von|par|por)\s+(?:Dr\.?\s+)?[A-Z][a-z]+\s+[A-Z]")
# a date line's label anywhere in it ("Publié le ..., modifié le ...")
_NOT_TITLE_RE = re.compile(
    rf"\b(?:ago|{DATE_LABELS}|modifié|julkaistu|päivitetty|publikováno|aktualizováno|"
    r"опубликовано|обновлено|опубліковано|оновлено)\b", re.IGNORECASE)
# a photo's rights line closing a caption ("... Cinquecento - RIPRODUZIONE RISERVATA")
_RIGHTS_TAIL_RE = re.compile(r"(?:riproduzione riservata|all rights reserved|tous droits "
                             r"réservés|todos los derechos reservados|alle rechte "
                             r"vorbehalten)\W*$", re.IGNORECASE)


def _carries_on(prev: Line, cur: Line) -> bool:
    first = cur.text[:1]
    # (a markdown "# " heading is one line: a short line glued under one is its wrap,
    # capitalised or not: "# ... Alde Zaharrean eta" / "Erdialdean")
    md_wrap = prev.text.startswith("# ") and prev.words <= 16 and first.isalpha() \
        and not cur.text.endswith(tuple(".:;!?,|")) and not cur.linky
    # (or an amount in a currency written with letters: "Tea farmers to get" / "Sh3.1bn second")
    lead = cur.text.split(" ", 1)[0]
    return (md_wrap or first.islower() or (not first.isalpha() and first not in "\"'“‘([")
            or (len(lead) <= 12 and any(c.isdigit() for c in lead))) \
        and (md_wrap or prev.words <= 8) and cur.words <= 8 \
        and not prev.text.endswith(tuple(".:;!?,")) \
        and title_score(prev, 0) > 0 and (md_wrap or title_score(cur, 0) > 0) \
        and not _NOT_TITLE_RE.search(cur.text)


def _wrapped_tail(lines: list[Line], i: int) -> bool:
    """The line under a long headline line is the rest of it, wrapped by a text browser
    ("Stavba terminálu ... v lednu, autobusy" / "MHD pojedou objížďkou")."""
    if i + 1 >= len(lines):
        return False
    head, tail = lines[i], lines[i + 1]
    return len(head.text) >= 50 and not tail.gap and tail.words <= 8 and not tail.sentence \
        and not head.text.endswith(tuple(".:;!?")) and title_score(tail, 0) > 0


def _meta_under(lines: list[Line], i: int, a: int) -> int | None:
    """Index of a byline or date line right under line ``i``, or under the dek below it."""
    start = i + 2 if i + 2 < a and _wrapped_tail(lines, i) else i + 1
    for j in range(start, min(start + 2, a)):
        if _is_meta(lines[j]):
            return j  # (a bare time is a video's length: "02:31 - Source: CNN")
        # a bare author or agency name over the date ("Lusa" / "15 de julho de 2024, 14:03")
        if j + 1 < a and _short_name(lines[j]) and _is_meta(lines[j + 1]):
            return j
        if not (lines[j].sentence and not lines[j].linky and lines[j].words >= 5):
            return None  # not a dek: a menu, a label
    return None


def _is_meta(ln: Line) -> bool:
    t = ln.text
    return ln.words <= 20 and bool(BYLINE_RE.match(t) or (
        _YEAR_RE.search(t) and date_line(t)))


def _short_name(ln: Line) -> bool:
    """"Lusa", "Rachel Okafor": one to three capitalised words, no stop word, no figure."""
    words = ln.text.split()
    return 1 <= len(words) <= 3 and all(w[:1].isupper() and w.isalpha() for w in words) \
        and ln.stop == 0 and not ln.linky


def _name_only(ln: Line) -> bool:
    """"Rachel Okafor": two or three capitalised words, no stop word, no figure."""
    words = ln.text.split()
    return 2 <= len(words) <= 3 and all(w[:1].isupper() and w.isalpha() for w in words) \
        and ln.stop == 0


def pick_title(lines: list[Line], a: int, parts: TextParts) -> int | None:
    best, best_i = 0.0, None
    lo = max(0, a - 25)
    head, in_head = lines[0].text, None
    # the best candidate with a byline or date under it, and where that line is: a line
    # between that block and the story is a photo caption, a video's title or a dek
    dated, dated_i, dated_meta = 0.0, None, a
    h1s = sum(1 for ln in lines[lo:a] if ln.text.startswith("# "))
    for i in range(a - 1, lo - 1, -1):
        s = title_score(lines[i], a - 1 - i)
        meta = _meta_under(lines, i, a) if s > 0 else None
        if meta == i + 1 and _name_only(lines[i]) and any(
                lines[k].words >= 5 and title_score(lines[k], 0) > 0
                for k in range(max(lo, i - 3), i)):
            s = -1.0  # an author's name over the date, under the headline: a bare byline
        if s > 0:
            s += _title_context(lines, i, a)
            if meta is not None and s > dated and lines[i].words >= 6 and lines[i].stop > 0 \
                    and not lines[i].linky:  # a headline, not a name or a site's masthead
                dated, dated_i, dated_meta = s, i, meta
        if s > 0 and i and len(lines[i].text) >= 15 and head.startswith(lines[i].text):
            s += 6.0  # the page <title> usually opens a dump and the headline repeats it
            in_head = i
        if s > 0 and lines[i].text.startswith("# "):
            # html2text/markdown h1: the page's one top-level heading (over a bold standfirst
            # of two sentences, "**La métropole lance ... restent partagés.**", when alone)
            s += 6.0 if h1s > 1 else 12.0
        elif s > 0 and lines[i].text[:1] == "*" and lines[i].text[1:2] not in "* " \
                and lines[i].text[-1:] == "*":
            s += 6.0  # a chat app's bold line: the headline of a story shared there
        if s > best:
            best, best_i = s, i
    if best_i is not None and dated_i is not None and best_i > dated_meta:
        best_i = dated_i
    tab = _tab_head(head) if a > 0 and in_head is None else None
    if tab and (best_i is None or _weak_for(lines[best_i], tab)):
        # The page's headline was not copied, only the browser-tab "Headline | Site" line.
        m = TITLE_SUFFIX_RE.match(head)
        parts.title, parts.site_name = tab, m.group(2).strip() if m else None
        return best_i
    if best_i is None:
        return None
    # Headline then standfirst: both title-like, the first one is the headline.
    prev = best_i - 1
    if best_i != in_head and prev >= lo and lines[prev].words >= 5 and not lines[prev].linky \
            and not SEP_RE.search(lines[prev].text) \
            and not (prev and lines[prev - 1].boundary) \
            and title_score(lines[prev], a - 1 - prev) > 0:
        best_i = prev
    # An image's alt text repeated as its caption, each a cut-down headline: the headline
    # above holds all of its words
    if lines[best_i].repeated:
        words = set(WORD_RE.findall(lines[best_i].text))
        for k in range(best_i - 1, lo - 1, -1):
            if lines[k].words > lines[best_i].words and not SEP_RE.search(lines[k].text) \
                    and words <= set(WORD_RE.findall(lines[k].text)) \
                    and title_score(lines[k], 0) > 0:
                best_i = k
                break
    # A headline wrapped over narrow print columns ("Ferry operator fined" / "£180,000 over
    # gangway" / "collapse that injured six"): each line carries on the one above it.
    top, end = best_i, best_i
    while top > lo and not lines[top].gap and _carries_on(lines[top - 1], lines[top]):
        top -= 1
    while end + 1 < a and not lines[end + 1].gap and _carries_on(lines[end], lines[end + 1]):
        end += 1
    if end == best_i and end + 1 < a and lines[end + 1].text[:1].islower() \
            and _wrapped_tail(lines, end):
        end += 1  # "PMC to dig 200 rainwater recharge pits along flood-prone nullahs before"
    title = " ".join(_MD_HEAD_RE.sub("", lines[j].text) for j in range(top, end + 1))
    if title[:2] in ("**", "=="):  # a text browser's heading rule: "****** Headline ******"
        title = title.strip("*= ")
    elif title[:1] in "*_" and title[-1:] == title[:1] and len(title) > 2:
        title = title.strip("*_ ")  # WhatsApp / Markdown bold or italic: "*Headline*"
    m = TITLE_SUFFIX_RE.match(title)
    if m and len(m.group(2).split()) <= 4 \
            and not _clause(m.group(2), "|" not in title[len(m.group(1)):m.start(2)]):
        title, parts.site_name = m.group(1), m.group(2)
    if ":" in title[:40] and (m := _MAIL_LABELS_RE.match(title)) \
            and len(title[m.end():].split()) >= 3:
        title = title[m.end():]  # a forwarded release's "Subject: FW: MEDIA STATEMENT: ..."
    parts.title = title
    return best_i


# An e-mail's subject label with its reply/forward marks, then a release's own label
_MAIL_LABELS_RE = re.compile(
    r"^(?:(?:subject|subj|perkara|betreff|objet|asunto|oggetto|assunto|onderwerp|ämne|emne|"
    r"aihe|temat|konu|тема)\s*:\s*(?:(?:fwd?|re|aw|wg|tr|rv|sv|vs|i|r)\s*:\s*)*)?"
    r"(?:(?:media statement|press release|news release|media release|press statement|"
    r"kenyataan (?:media|akhbar)|siaran (?:akhbar|pers)|comunicado(?: de prensa)?|"
    r"pressemitteilung|communiqué(?: de presse)?|comunicato stampa|persbericht|"
    r"pressmeddelande|tiedote|komunikat prasowy)\s*:\s*)?", re.IGNORECASE)


def _clause(tail: str, dash: bool = False) -> bool:
    """The words after a headline's dash read as its second clause, not a site's name: three
    or more words, two of them lower-case ("– Ilmajoella varaudutaan jo", "- borgere frygter
    længere ventetid"; a name is "La Voz de Galicia", "heise online")."""
    words = tail.split()
    if len(words) <= 2 and _SPEAKER_RE.match(tail):
        return True  # who said it: "… for rural schools – Commissioner", "– Police chief"
    # (two lower-case words after a dash, "– perpus mažesnis", too: a pipe's are a site's,
    # "| heise online")
    return len(words) >= 2 + (not dash) and sum(w[:1].islower() for w in words) >= 2


# The speaker a headline credits after its dash (Nigerian, Indian, Kenyan style): a role,
# not a site's name.
_SPEAKER_RE = re.compile(
    r"^(?:\w+ )?(?:commissioner|minister|governor|president|senator|mayor|police|official|"
    r"officials|expert|experts|chief|ceo|chairman|chairperson|lawmakers?|judge|court|"
    r"spokes(?:man|woman|person)|residents|stakeholders|union|report|study|survey)$", re.I)


def printed_headline(lines: list[Line], a: int, head: str | None) -> str | None:
    """A tool's header took the page's tab title ("Headline | AP News", the site cut off),
    but the page prints a headline of its own, worded otherwise, over its byline or date
    above the story: that one is the story's title."""
    if not head:
        return None
    words = set(WORD_RE.findall(head.lower()))
    for j in range(a - 1, max(0, a - 12), -1):
        if _is_meta(lines[j]):
            cand = lines[j - 1]
            if cand.text != head and cand.words >= 5 and title_score(cand, 0) > 0 \
                    and len(words & set(WORD_RE.findall(cand.text.lower()))) >= 3:
                return cand.text
    return None
