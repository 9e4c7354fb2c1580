"""Plain-text dumps -> logical lines (hard wraps and print hyphenation undone), and the
line-level helpers the classifier uses: wrap width, pull-quote repeats, images and credits."""

from __future__ import annotations

import logging
import re

from worker.normalise.cjk_cues import CJK_CAPTION_RE
from worker.normalise.cues import (
    BYLINE_RE,
    CREDIT_RE,
    FULL_STOP_RE,
    IMAGE_EXTS,
    IMAGE_RE,
)
from worker.normalise.date_cues import date_line
from worker.normalise.dumps import sign_off
from worker.normalise.meta import split_dateline
from worker.normalise.textfix import dehyphen, doc_vocab, joins_freely
from worker.normalise.textparts import Line, TextParts
from worker.normalise.wrap import hangs_under_item, wrap_measure

log = logging.getLogger(__name__)

_NORM_RE = re.compile(r"[^\w]+")
_SENT_RE = re.compile(r"(?<=[.!?…])[\"'”’]?\s+")


def logical_lines(text: str) -> list[Line]:
    """Split into lines, rejoining hard-wrapped ones (the next word would have fitted).

    Without blank lines between paragraphs, a line ending a sentence followed by a
    capitalised line is taken as a paragraph end: splitting a paragraph costs nothing,
    merging furniture into prose does.
    """
    # pdftotext ends each page with a form feed: a break, never a wrapped line
    split = text.replace("\f", "\n\n").split("\n")
    raw = [s.strip() for s in split]
    indents = paragraph_indents(split)
    width, measure = wrap_measure(raw)
    vocab = doc_vocab(text) if "-\n" in text else frozenset()
    free = bool(vocab) and joins_freely(vocab)
    blank_seps = sum(1 for i in range(1, len(raw) - 1) if not raw[i] and raw[i - 1])
    out: list[Line] = []
    gap = indented = False
    cur: str | None = None
    last = ""
    for i, s in enumerate(raw):
        if not s:
            gap, indented = True, False
            cur = None
            continue
        if s[0] in "-=_*~" and len(s) >= 10 and _RULE_RE.fullmatch(s):
            out.append(Line(s, True))  # a rule: no wrapped text on either side of it
            gap, indented, cur, last = True, False, None, s
            continue
        if out and len(last) == 1 and last.isupper() and s[:1].islower() and not gap:
            out[-1].text = last = cur = last + s  # drop cap: "T" + "he first thing ..."
            continue
        if indents and i in indents:
            gap = True  # an indented first line starts a paragraph (wire copy, typescripts)
        elif indented and not gap and len(out[-1].text) < _MAX_JOIN \
                and not FULL_STOP_RE.search(out[-1].text):
            # ... and the unindented lines under it go on with it, wrapped short or not,
            # until a sentence ends (a wire's "RCP // SF" trailer follows without a blank)
            out[-1].text = dehyphen(out[-1].text, s, vocab, free) if out[-1].text.endswith("-") \
                else f"{out[-1].text} {s}"
            cur = out[-1].text if width else None
            last = s
            continue
        if out and not gap and len(out[-1].text) < _MAX_JOIN \
                and (_fragment(out[-1].text, s, raw, i) or hangs_under_item(split, i)):
            joined = out[-1].text
            out[-1].text = last = dehyphen(joined, s, vocab, free) if joined.endswith("-") else \
                joined + ("" if s[:1] in _GLUE else " ") + s
            cur = out[-1].text if width else None
            continue
        first = s.split(None, 1)[0]
        if (cur is not None and width and not gap and len(cur) < _MAX_JOIN
                and measure(last) + 1 + measure(first) > width  # (as the wrapping tool counts)
                # far longer than the column: not wrapped (unless a link's address made it so)
                and (measure(raw[i - 1]) <= width + 8 or "](" in raw[i - 1])
                and measure(s) <= width + 8  # (nor is it the next line of one)
                # a sentence's end with room left for the next word ends the paragraph
                and not (measure(raw[i - 1]) + 1 + measure(first) <= width
                         and FULL_STOP_RE.search(raw[i - 1]))
                and not (len(s) <= 40 and _stands_alone(last, s, raw, i))
                and not IMAGE_RE.match(s) and not s.startswith(("-", "*", "•"))
                # "1. [Headline](url)" (not "... linee 9, 15 e" / "19. La giunta ...")
                and not (s[:1].isdigit() and _NUMBERED_RE.match(s) and not last[-1:].islower())
                # a byline under the headline, a "Headline | Site" tab title: never wrapped
                and " | " not in last and not BYLINE_RE.match(s)
                and not (blank_seps < 3 and FULL_STOP_RE.search(last)
                         and not s[:1].islower())):
            cur = dehyphen(cur, s, vocab, free) if cur.endswith("-") else f"{cur} {s}"
            out[-1].text = cur
            last = s
            continue
        if len(out) >= MAX_LINES:
            break
        out.append(Line(s, gap or not out))
        indented = i in indents
        cur = s if width else None
        last = s
        gap = False
    return out


def paragraph_indents(split: list[str]) -> frozenset[int]:
    """Lines whose indent marks a paragraph's first line: only in a text where most indented
    lines (3+) go on in unindented ones, as a first-line indent does (an indented code block
    or a margin on every line marks nothing)."""
    at = [i for i, s in enumerate(split) if s[:1] in (" ", "\t") and s.strip()]
    if len(at) < 3:
        return frozenset()
    runs_on = sum(1 for i in at if i + 1 < len(split) and split[i + 1].strip()
                  and split[i + 1][:1] not in (" ", "\t"))
    return frozenset(at) if runs_on >= 3 and 2 * runs_on >= len(at) else frozenset()


_GLUE = frozenset(",.;:)!?»”")
_RULE_RE = re.compile(r"([-=_*~])\1+")
_NUMBERED_RE = re.compile(r"\d{1,3}[.)] ")  # an ordered list's item: no wrapped text
_PUNCT = frozenset(",.;:!?।")


def _stands_alone(last: str, s: str, raw: list[str], i: int) -> bool:
    """A short line under a headline is no wrapped text of it: a date/time line ("10-04-2025
    13:22"), or a label without punctuation ("Coastal Press Agency") over a date or a gap."""
    if date_line(s) and not FULL_STOP_RE.search(s):
        return len(s.split()) <= 5
    if len(s.split()) > 4 or not _PUNCT.isdisjoint(s) or not _PUNCT.isdisjoint(last):
        return False
    nxt = raw[i + 1] if i + 1 < len(raw) else ""
    return not nxt or date_line(nxt)
# Lines classified per document (~30 us each): an article dump has a few thousand at most, so
# a longer one is read from its top rather than for tens of seconds.
MAX_LINES = 20_000
# No paragraph is this long: past it lines stop being joined, so joining stays linear
# (each join copies the line, and the checks below look at its end).
_MAX_JOIN = 10_000
_LINK_RUN_RE = re.compile(r"[\w'’]$")


def _fragment(prev: str, s: str, raw: list[str], i: int) -> bool:
    """An inline link cut out of its sentence (``get_text("\\n")`` dumps): the sentence
    goes on in lower case or with its punctuation on the next line."""
    # the end of prev is enough for the end-anchored regexes (prev can be a long paragraph)
    if s[:1].isdigit() and i > 1 and _link_after_open(raw[i - 2], raw[i - 1]):
        return True  # "... passed the" / "Texas House" / "128-16 after ...": the link's line
    if (len(prev) < 25 and not _open_end(prev)) or FULL_STOP_RE.search(prev[-32:]) \
            or prev.endswith(":") \
            or " | " in prev:
        return False  # a finished sentence, or "Headline | Site" (a tab title, not prose)
    if prev.endswith("-"):  # a word hyphenated across a line break
        return prev[-2:-1].islower() and s[:1].islower()
    if not _LINK_RUN_RE.search(prev[-1:]) or s.startswith(("http://", "https://")):
        return False  # (a bare address under a headline: a clipping's source line)
    if len(prev) >= 60 and len(s.split()) <= 3 and FULL_STOP_RE.search(s) \
            and raw[i + 1:i + 2] in ([], [""]):
        return True  # a long line's sentence ends on a short last one ("... Оксана" "Дяченко.")
    # ("”Jos ..." / "»Wir ...": a quote opening a paragraph, Nordic and German style)
    if (s[:1] in _GLUE and not (s[:1] in "”»" and s[1:2].isalpha())) \
            or (s[:1].islower() and len(s) > 2):
        return True
    # a capitalised link ("... students of the" / "University of X" / ", who ..."):
    # only when the sentence visibly carries on after it
    nxt = raw[i + 1] if i + 1 < len(raw) else ""
    return len(s) > 1 and len(s.split()) <= 6 and not FULL_STOP_RE.search(s) and bool(nxt) \
        and (nxt[:1] in _GLUE or nxt[:1].islower()
             or (nxt[:1].isdigit() and _open_end(prev))) and prev[-1:].islower()


# words no sentence ends on: a line ending on one goes on in the next ("The" / "Texas Water
# Development Board" / "estimates ...": an inline link cut out by get_text("\n"))
_OPEN_WORDS = frozenset(("the", "a", "an", "of", "to", "for", "with", "by", "from", "at", "in",
                         "on", "and", "or", "including", "into", "under", "about"))


def _open_end(prev: str) -> bool:
    return prev[-12:].rsplit(None, 1)[-1].lower() in _OPEN_WORDS if prev.strip() else False


def _link_after_open(before: str, link: str) -> bool:
    return 0 < len(link.split()) <= 6 and link[:1].isupper() and not FULL_STOP_RE.search(link) \
        and _open_end(before)


_PULL_SPAN = 150  # paragraphs either side; real stories are shorter than this


def drop_pull_quotes(body: list[str]) -> list[str]:
    """Pull quotes repeat a sentence of the story: drop a short paragraph whose words all
    appear, in order, inside a longer one."""
    drop: set[int] = set()
    norms: dict[int, str] = {}  # each paragraph normalised once, not once per pair

    def norm(k: int) -> str:
        if k not in norms:
            norms[k] = _norm(body[k])
        return norms[k]

    for i, p in enumerate(body):
        if not 20 <= len(p) < 300:
            continue
        mid = p[len(p) // 2 - 8: len(p) // 2 + 8]  # cheap probe before normalising
        # an elided quote ("A. [...] B.") repeats each of its sentences, not the whole;
        # split only once the probe is found (most paragraphs never need it)
        sents: list[str] | None = None
        probe = p[:12].strip("“\"'‘ >")  # ("> ": an html2text blockquote)
        # A pull quote sits near what it repeats: a window keeps huge bodies linear.
        for j in range(max(0, i - _PULL_SPAN), min(len(body), i + _PULL_SPAN + 1)):
            q = body[j]
            if j == i or len(q) <= len(p):
                continue
            # (a subhead quoting four words of the paragraph under it, "« On déplace le
            # problème »", is no pull quote: those are a sentence or a clause of one)
            if mid in q and norm(i) in norm(j) and norm(i).count(" ") >= 4:
                drop.add(i)
                break
            if probe in q:
                if sents is None:
                    sents = [_norm(x) for x in _SENT_RE.split(p)]
                if len(sents) > 1 and all(x in norm(j) for x in sents if x):
                    drop.add(i)
                    break
    return [p for i, p in enumerate(body) if i not in drop] if drop else body


def _norm(text: str) -> str:
    return _NORM_RE.sub(" ", text.lower()).strip()


# A photo caption signed by its photographer at its end: "... 新华社记者 王五 摄",
# "... (Photo: Jane Doe)", "... Foto: X", "... Ảnh: X", "... צילום: X", "... STAFF PHOTO / X"
_SIGNED_RE = re.compile(
    r"(?:(?:[\s（(]|记者|記者|摄影|攝影|通讯员)\s*[\u4e00-\u9fff·]{2,5}\s*[摄攝]"
    # after a sentence, a bracket or a separator ("... With Beach Photos: 'X'" is a headline)
    r"|[.!?。)\]\"”’|–—-]\s*[(\[（]?(?:\w[\w.]*\s+){0,2}"
    r"(?:photo|foto|ảnh|צילום|تصوير|φωτογραφία|撮影|source|πηγή|quelle|fuente|fonte|źródło|"
    r"forrás|kaynak|sumber|источник)s?\s*[:：/=]\s*[^\s.!?:][^.!?:]{1,50})"
    r"[)）\]]?$", re.IGNORECASE)

_SIGNED_WORDS = ("photo", "foto", "source", "quelle", "fuente", "fonte", "kaynak", "sumber")

# ... or straight after the caption's last word when the credit names photographer and
# agency: "... besonders lange Foto: Jonas Keller / dpa"
_AGENCY_SIGNED_RE = re.compile(r"\s(?:photo|foto|bild)s?\s*:\s*[^\s.!?:/][^.!?:/]{1,40}"
                               r"\s/\s[^\s.!?:/][^.!?:/]{1,30}$", re.IGNORECASE)
_CAPS_NAME_RE = re.compile(r"[a-zà-ÿ\d][.!?] (?:[A-ZÀ-Þ]{2,}[ -]){1,3}[A-ZÀ-Þ]{2,}$")
# ... photographer and outlet in brackets: "(Ann Ruiz / Chicago Ledger)", "(CBN News: Lu Carter)"
_NAME_OUTLET_RE = re.compile(r"[.!?]\s?\((?:(?:[A-ZÀ-Þ][\w'’-]+ ){1,3}/ [A-ZÀ-Þ][\w .&'’-]{1,40}|"
                             r"(?:[A-ZÀ-Þ][\w'’-]+ ){0,3}[A-ZÀ-Þ][\w'’-]+: "
                             r"(?:[A-ZÀ-Þ][\w'’-]+ ?){1,3})\)$")
_LABELLED_CAPTION_RE = re.compile(r"^(?:photo|image|picture|foto|imagen|bild)\s*:\s.{10,300}"
                                  r"\((?:[^()]{2,40}[:/][^()]{2,40})\)$", re.IGNORECASE)


def signed_caption(text: str) -> bool:
    """A sentence or two about a photo, then its photographer's credit."""
    tail = text[-70:]
    if text[-1:] == ")" and (_LABELLED_CAPTION_RE.match(text)  # "Photo: ... (ABC: Lucy Murray)"
                             or _NAME_OUTLET_RE.search(tail)):  # "... evening. (Ann Ruiz / X)"
        return True
    if text[-1:].isupper() and len(text) < 300 and _CAPS_NAME_RE.search(tail):
        return True  # "... en julio de 2024. PACO HERRERA": the photographer in capitals
    if text.isascii() and not any(w in tail.lower() for w in _SIGNED_WORDS):
        return False  # (most lines: the regex is never tried)
    m = _SIGNED_RE.search(tail) or _AGENCY_SIGNED_RE.search(tail)
    return m is not None and len(text) - len(tail) + m.start() >= 15

_MD_IMAGE_RE = re.compile(r"^!\[[^\]]{0,300}\]\(([^)\s]{1,500})[^)]{0,200}\)$")
_MD_ITALIC_RE = re.compile(r"^(?:_[^_]{2,300}_|\*[^*]{2,300}\*)$")


def claim_images(lines: list[Line], parts: TextParts) -> None:
    """Image file names take the caption that follows them (same paragraph) and credits."""
    for i, ln in enumerate(lines):
        if ln.kind:
            continue
        if not ln.text.isascii() and CJK_CAPTION_RE.match(ln.text):
            ln.kind = "caption"
            continue
        if ln.text[:2] == "![" and _MD_IMAGE_RE.match(ln.text):
            # html2text's image: the alt text is no story text; an italic line under it
            # (blank line between) is its caption
            ln.kind = "image"
            nxt = lines[i + 1] if i + 1 < len(lines) else None
            md_caption = None
            if nxt and not nxt.kind and nxt.words <= 30 and _MD_ITALIC_RE.match(nxt.text):
                nxt.kind, md_caption = "caption", nxt.text.strip("_*")
            elif nxt and not nxt.kind and nxt.text == ln.text[2 : ln.text.find("](")]:
                nxt.kind, md_caption = "caption", nxt.text  # the alt text again, as caption
                after = lines[i + 2] if i + 2 < len(lines) else None
                if after and not after.kind and after.words <= 12 \
                        and _MD_ITALIC_RE.match(after.text):
                    after.kind = "credit"  # and an italic credit line under it
            parts.images.append((_MD_IMAGE_RE.sub(r"\1", ln.text), md_caption, None))
            continue
        if ln.words <= 25 and ln.text.lower().endswith(IMAGE_EXTS) \
                and IMAGE_RE.match(ln.text):
            ln.kind = "image"
            caption: str | None = None
            credit: str | None = None
            nxt = lines[i + 1] if i + 1 < len(lines) else None
            if nxt and not nxt.kind and (not nxt.gap or nxt.credit) \
                    and not IMAGE_RE.match(nxt.text):
                nxt.kind = "caption"
                caption, credit = split_credit(nxt.text)
                after = lines[i + 2] if i + 2 < len(lines) else None
                if credit is None and after and not after.kind and after.words <= 8 \
                        and after.credit:
                    after.kind = "credit"
                    credit = split_credit(after.text)[1]
            parts.images.append((ln.text, caption, credit))
        elif ln.words <= 60 and signed_caption(ln.text):
            ln.kind = "caption"
        elif ln.credit and not ln.text.endswith(".") and not _mid_phrase(ln.text) \
                and not sign_off(ln.text):  # ("jkl/dpa": the story's sign-off, no photo's)
            # A caption or bare credit without a file name: metadata, not story text.
            caption, credit = split_credit(ln.text)
            if credit and (ln.words <= 8 or "(" in ln.text[-len(credit) - 3:]
                           or ln.text.isupper() or ln.text.rstrip(")").endswith(credit)):
                ln.kind = "credit"
                prev = lines[i - 1] if i else None
                if ln.words <= 6 and prev is not None and not prev.kind and not ln.gap \
                        and prev.words <= 30 and prev.text.count(". ") == 0 and (prev.sentence or (
                            prev.gap and CREDIT_RE.match(ln.text) is not None  # "Фото: X / Y"
                            and any(x.gap and x.prose for x in lines[i + 1:i + 2]))):
                    prev.kind = "caption"  # one sentence right over a bare credit: its photo's
                elif parts.images and parts.images[-1][2] is None and caption is None:
                    src, cap, _ = parts.images[-1]
                    parts.images[-1] = (src, cap, credit)


def _mid_phrase(text: str) -> bool:
    """"... With Beach Photos: 'Easiest Yes Ever'" is a headline: a credit's "Photo:" opens
    the line or follows a sentence, a bracket or a separator."""
    m = CREDIT_RE.search(text)
    if m is None or m.group(1) is None or m.start() == 0 or text[m.start()] in "([":
        return False
    return text[: m.start()].rstrip()[-1:].isalnum()


def split_credit(text: str) -> tuple[str | None, str | None]:
    m = CREDIT_RE.search(text)
    if not m:
        return text, None
    credit = (m.group(1) or m.group(2) or m.group(3) or "").strip(" )]")
    caption = text[: m.start()].strip(" -–—|") or None
    return caption, credit or None


_WIRE_ALONE_RE = re.compile(r"\)\.?$")
_DASHES = frozenset(("—", "–", "-", "--"))


# a lynx link marker inside a line (one opening the line stays, as the labels keep it), or
# a plain-text newsletter's note mark after a word ("associations[1] still require")
_REF_MARK_RE = re.compile(r"(?<=\s)\[\d{1,4}\](?=\w)|(?<=\w)\[\d{1,3}\](?=[\s.,;:!?)]|$)")
_MD_REF_LINK_RE = re.compile(r"\[([^\[\]\n]{1,200})\]\[\d{1,4}\]")  # html2text "[text][3]"
_MD_LINK_RE = re.compile(r"(?<!!)\[([^\[\]\n]{1,300})\]\([^()\s]{1,800}\)")
# html2text emphasis: **41 counties**, _thirty years_ (not snake_case names)
_MD_EMPH_RE = re.compile(r"(?<![\w*])\*\*(?=\S)([^*\n]{1,200}?)(?<=\S)\*\*(?![\w*])|"
                         r"(?<![\w_])_(?=[^\W_]|[«“‘\"])([^_\n]{1,200}?)(?<=[^\W_]|[»”’\"])_"
                         r"(?![\w_])")  # (a quote in italics: "_« ... »_")


def story_line(lines: list[Line], i: int, text: str, first: bool) -> str:
    """A story line as text: without lynx link markers in it ("the [14]library board"),
    html2text reference links ("[text][3]") or emphasis marks; the first one with a wire
    dateline put back (wire_lead)."""
    if "[" in text:  # (and an inline "[text](url)": its text)
        text = _MD_LINK_RE.sub(r"\1", _MD_REF_LINK_RE.sub(r"\1", _REF_MARK_RE.sub("", text)))
    if "*" in text or "_" in text:
        text = _MD_EMPH_RE.sub(lambda m: m.group(1) or m.group(2), text)
        text = text[2:] if text[:2] == "* " else text  # a Markdown list item's marker
        if len(text) > 2 and text[0] == "*" == text[-1] and text[1] not in "* ":
            text = text[1:-1]  # a chat app's bold line: a subhead ("*Tekort aan technici*")
    return wire_lead(lines, i, text) if first else text


def wire_lead(lines: list[Line], i: int, text: str) -> str:
    """The story's first line, with a wire dateline that stands alone on the line above it
    ("SEVILLA, 3 (EUROPA PRESS)") put back in front, where the dateline parser reads it."""
    if i == 0 or lines[i - 1].kind:
        return text
    head = lines[i - 1].text
    if head in _DASHES and i >= 3:  # get_text("\n"): "Austin, Texas" / "CNN" / "—" / story
        where, agency = lines[i - 3].text, lines[i - 2].text
        if lines[i - 3].words <= 4 and agency.isupper() and agency.isalpha() \
                and len(agency) <= 8 and where[:1].isupper() and not split_dateline(text)[0]:
            lead = f"{where} ({agency}) — {text}"
            return lead if split_dateline(lead) == (where.split(",")[0], text) else text
    if lines[i - 1].words > 8 or not _WIRE_ALONE_RE.search(head) or split_dateline(text)[0]:
        return text
    place, rest = split_dateline(f"{head} - {text}")  # an all-caps place, not a caption's
    return f"{head} - {text}" if place and place.isupper() and rest == text else text
