"""Line-level helpers for plain-text dumps: hard-wrap width, pull-quote repeats, images."""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING

from worker.normalise.cues import CJK_CAPTION_RE, CREDIT_RE, IMAGE_EXTS, IMAGE_RE

if TYPE_CHECKING:  # textclean imports this module; the types are only for annotations
    from worker.normalise.plaintext import Line, TextParts

log = logging.getLogger(__name__)

_NORM_RE = re.compile(r"[^\w]+")
_SENT_RE = re.compile(r"(?<=[.!?…])[\"'”’]?\s+")


def wrap_width(lines: list[str]) -> int:
    """The column a hard-wrapped dump is wrapped at, or 0 when it is not wrapped."""
    lens = [len(s) for s in lines if s]
    n = len(lens)
    if n < 5:
        return 0
    hist = [0] * 102
    for k in lens:
        hist[min(k, 101)] += 1
    upto = [0] * 102  # upto[w] = lines no longer than w
    acc = 0
    for w in range(102):
        acc += hist[w]
        upto[w] = acc
    for width in range(45, 101):  # the narrowest width almost every line fits in
        if n - upto[width] <= 0.1 * n:
            # near-width lines dominate the longer lines (menus and link lists are short)
            if upto[width] - upto[width - 12] >= max(3, 0.3 * (n - upto[width // 2])) \
                    and _continues(lines, width - 12, width):
                return max(w for w in range(width + 1) if hist[w])
            return 0
    return 0


def _continues(lines: list[str], lo: int, hi: int) -> bool:
    """Wrapped prose: lines near the width often run on into a lower-case word (a list
    of headlines of similar length never does)."""
    near = low = 0
    for i in range(len(lines) - 1):
        if lo < len(lines[i]) <= hi and lines[i + 1]:
            near += 1
            low += lines[i + 1][:1].islower()
    return low >= 0.25 * near


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
        # an elided quote ("A. [...] B.") repeats each of its sentences, not the whole
        sents = [_norm(x) for x in _SENT_RE.split(p)]
        probe = p[:12].strip("“\"'‘ ")
        # A pull quote sits near what it repeats: a window keeps huge bodies linear.
        for j in range(max(0, i - _PULL_SPAN), min(len(body), i + _PULL_SPAN + 1)):
            q = body[j]
            if j == i or len(q) <= len(p):
                continue
            if mid in q and norm(i) in norm(j):
                drop.add(i)
                break
            if len(sents) > 1 and probe in q:
                nq = norm(j)
                if all(x in nq for x in sents if x):
                    drop.add(i)
                    break
    return [p for i, p in enumerate(body) if i not in drop] if drop else body


def _norm(text: str) -> str:
    return _NORM_RE.sub(" ", text.lower()).strip()


def claim_images(lines: list[Line], parts: TextParts) -> None:
    """Image file names take the caption that follows them (same paragraph) and credits."""
    for i, ln in enumerate(lines):
        if ln.kind:
            continue
        if not ln.text.isascii() and CJK_CAPTION_RE.match(ln.text):
            ln.kind = "caption"
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
        elif ln.credit and not ln.text.endswith(".") and not _mid_phrase(ln.text):
            # A caption or bare credit without a file name: metadata, not story text.
            caption, credit = split_credit(ln.text)
            if credit and (ln.words <= 8 or "(" in ln.text[-len(credit) - 3:]
                           or ln.text.isupper() or ln.text.rstrip(")").endswith(credit)):
                ln.kind = "credit"
                if parts.images and parts.images[-1][2] is None and caption is None:
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


# --- print line breaks ---------------------------------------------------------------

_SUFFIX_RE = re.compile(r"(?:ing|ment|ments|tions?|sions?|tures?|ly|ed|[a-z]?ers?|ity|ness|ance|"
                        r"ence|able|ible|ous|ive|al)\b")
_HEAD_RE = re.compile(r"(?:^|\W)\w{1,3}-$")


_BREAK_RE = re.compile(r"\b\w+-[ \t]*\n\s*\w+")  # \b: not from every letter of a long word
_ALPHA_RE = re.compile(r"[^\W\d_]+")


def doc_vocab(text: str) -> frozenset[str]:
    """Words the document uses whole (line-break hyphenations left out)."""
    return frozenset(w.lower() for w in _ALPHA_RE.findall(_BREAK_RE.sub(" ", text)))


def dehyphen(cur: str, s: str, vocab: frozenset[str] = frozenset()) -> str:
    """'govern-' + 'ment' -> 'government', 'rec-' + 'ommended' -> 'recommended' (print
    line breaks); a compound ('fast-' + 'growing', 'long-' + 'term') keeps its hyphen.
    Beyond the suffix list, the document's own words decide: 'adminis-' + 'tration' joins
    when 'administration' occurs whole elsewhere in it."""
    if cur[-2:-1].islower() and s[:1].islower():
        if _SUFFIX_RE.match(s) or _HEAD_RE.search(cur[-8:]):  # the regex ends at $
            return cur[:-1] + s
        if vocab:
            # none when the letter before "-" is a lower-case symbol such as "ⓐ"
            lefts = _ALPHA_RE.findall(cur[-40:])
            m = _ALPHA_RE.match(s)
            right = m.group(0).lower() if m else ""
            if lefts and right and lefts[-1].lower() + right in vocab:
                return cur[:-1] + s
    return cur + s
