"""Narrow print columns in a script without letter case (``join_narrow_blocks``), and the
characters of scripts written without spaces between words (``dense_chars``).

pdftotext of an e-paper page in Bengali, Tamil, Amharic or Thai wraps each paragraph at
the column's 20-40 characters, with blank lines between paragraphs. The line joiner tells a
wrapped line from a new one by the case of the next line's first letter and by a wrap width
of 45 columns or more (``lines.logical_lines``); neither exists here, so every wrapped line
would stand alone, too short to read as prose. Such a block is joined here first.

A block is joined only in a text mostly in such a script, with blank lines between its
paragraphs, when every line of the block is short and most of them do not end a sentence
(a stack of menu items or a list of headlines ends each line or is no block of short lines
running on).
"""

from __future__ import annotations

import logging
import re

log = logging.getLogger(__name__)

_MAX_LINE = 45  # characters: wider lines are left to the wrap-width guess
_MIN_BLOCKS = 3  # multi-line blocks of short lines in the text
# sentence ends in the scripts concerned (danda, Ethiopic full stop) and the common ones
_END_RE = re.compile(r"[.!?।॥።፧。”\"»)]\W{0,2}$")
# Indic scripts, Thai, Lao, Myanmar, Khmer, Ethiopic (Arabic and Hebrew, also caseless, are
# left to the classifier's own rules for them)
_SCRIPT_RE = re.compile(r"[\u0900-\u0dff\u0e00-\u0eff\u1000-\u109f\u1200-\u139f"
                        r"\u1780-\u17ff]+")
_CASED_RE = re.compile(r"[A-Za-zÀ-ɏͰ-ϿЀ-ӿ]+")  # Latin, Greek, Cyrillic


def _caseless(text: str) -> bool:
    """Runs of such a script's letters outnumber the runs of cased letters three to one in
    the text's first 4,000 characters (two regex scans in C: ~30 us)."""
    sample = text[:4000]
    if sample.isascii() or _SCRIPT_RE.search(sample) is None:
        return False
    return len(_SCRIPT_RE.findall(sample)) > 3 * len(_CASED_RE.findall(sample)) + 30


def _runs_on(block: list[str]) -> bool:
    if len(block) < 2 or max(map(len, block)) > _MAX_LINE:
        return False
    open_ends = sum(1 for s in block[:-1] if not _END_RE.search(s))
    return 3 * open_ends >= 2 * (len(block) - 1)


def join_narrow_blocks(text: str) -> str:
    """``text`` with each run-on block of short lines joined into one line (see above)."""
    if "\n\n" not in text or not _caseless(text):
        return text
    blocks = [[s.strip() for s in b.split("\n") if s.strip()] for b in text.split("\n\n")]
    if sum(1 for b in blocks if _runs_on(b)) < _MIN_BLOCKS:
        return text
    return "\n\n".join(" ".join(b) if _runs_on(b) else "\n".join(b) for b in blocks)


# Written without spaces between words: CJK (a word is ~2 characters) and Thai, Lao, Myanmar
# and Khmer (~5: counted at 2/5 so that half the count is still about the words)
_CJK_RE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
_SEA_RE = re.compile(r"[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff]")


def dense_chars(t: str) -> int:
    """CJK characters of a (non-ASCII) line plus 2/5 of its Thai, Lao, Myanmar and Khmer
    ones: twice its words in those scripts."""
    n = len(_CJK_RE.findall(t))
    return n if n or _SEA_RE.search(t) is None else 2 * len(_SEA_RE.findall(t)) // 5
