"""Side-by-side text columns (``pdftotext -layout`` of a newspaper page) read one at a time.

A region of lines that all keep a gutter -- a run of three or more spaces ending at the
same column, with prose on both sides on many lines -- is split at that column and read
left column first, then the right one. Full-width lines above or below the region (a
masthead, a headline spanning both columns, a page footer) stay where they are.

The check is meant never to fire on ordinary text, tables, aligned menus, code or poetry:
both sides must hold several words of filled lines on most rows of the region.
"""
from __future__ import annotations

import logging
import re
from collections import Counter

from worker.normalise.cues import FULL_STOP_RE

log = logging.getLogger(__name__)

# a gutter: 3+ spaces between text, the column where the right-hand text starts
_GAP_RE = re.compile(r"(?<=\S) {3,}(?=\S)")
# a run this wide inside one side is a spread-out header or footer, never column text
_WIDE_GAP = " " * 8
_MIN_ROWS = 8  # rows with text on both sides of the gutter
_MIN_LINE = 40  # only lines this long can hold two columns of prose
_MAX_DEPTH = 2  # a column may split once more (three-column pages)


_BOX_LEFT = frozenset("│┌└├╭╰┃┏┗┣║╔╚╠")
_BOX_RIGHT = tuple("│┐┘┤╮╯┃┓┛┫║╗╝╣")
_MIN_BOX_ROWS = 4


def side_boxes(text: str) -> str:
    """A box a text browser (links, elinks) draws beside the story ("│ Most read │", its
    "┌───┐" borders) cut off the lines it shares with the story: the story's column stays,
    the box (a sidebar: most read, weather, a sign-up form) goes. Only a box whose left
    border keeps one column on several rows, with the story's text or blank left of it."""
    if "│" not in text and "┃" not in text and "║" not in text:
        return text
    lines = text.split("\n")
    cols: Counter[int] = Counter()
    for line in lines:
        col = _box_col(line)
        if col is not None:
            cols[col] += 1
    if not cols:
        return text
    col, rows = cols.most_common(1)[0]
    if rows < _MIN_BOX_ROWS or col < _MIN_LINE // 2:
        return text
    cut = [_box_col(line) == col for line in lines]
    out: list[str] = []
    width = max(len(line[:col].rstrip()) for line, c in zip(lines, cut, strict=True) if c)
    for k, line in enumerate(lines):
        t = line[:col].rstrip() if cut[k] else line
        prev = out[-1].strip() if out else ""
        word = t.split(None, 1)[0] if t.strip() else ""
        # the story's column is narrower than the page: its wrapped lines joined here, as
        # a line that stops where the next word would not have fitted the column
        if (cut[k] or (k and cut[k - 1])) and prev and word and prev[:1] != "[" \
                and word[:1] != "[" and len(out[-1]) + 1 + len(word) > width:
            out[-1] = f"{out[-1]} {t.strip()}"
        else:
            out.append(t)
    return "\n".join(out)


def _box_col(line: str) -> int | None:
    end = line.rstrip()
    if not end.endswith(_BOX_RIGHT):
        return None
    for k, c in enumerate(end):
        if c in _BOX_LEFT:
            return k if (k >= 2 and end[k - 2 : k] == "  ") or not end[:k].strip() else None
    return None


def split_columns(text: str, depth: int = 0) -> str:
    """Return ``text`` with each side-by-side column region read one column after the other."""
    if depth == 0:
        text = side_boxes(text)
    # cheap gate: two-column text has a mid-line 3-space run on most of its rows
    if text.count("   ") < _MIN_ROWS or depth > _MAX_DEPTH:
        return text
    lines = text.split("\n")
    votes: Counter[int] = Counter()
    for line in lines:
        if len(line) >= _MIN_LINE and "   " in line.strip():
            for m in _GAP_RE.finditer(line):
                votes[m.end()] += 1
    if not votes:
        return text
    for col, n in votes.most_common(2):
        if n < _MIN_ROWS:
            break
        out = _split_at(lines, col, depth)
        if out is not None:
            return "\n".join(out)
    return text


def _side(line: str, col: int) -> int:
    """0 blank, 1 left only, 2 right only, 3 both sides, -1 crosses the gutter."""
    s = line.rstrip()
    if not s:
        return 0
    if len(s) <= col - 3:
        return 1
    if line[col - 3:col] != "   ":
        return -1
    left, right = s[:col - 3].strip(), s[col:].strip()
    if _WIDE_GAP in left or _WIDE_GAP in right:
        return -1
    return 3 if left else 2


def _split_at(lines: list[str], col: int, depth: int) -> list[str] | None:
    sides = [_side(line, col) for line in lines]
    out: list[str] = []
    i, n, found = 0, len(lines), False
    while i < n:
        if sides[i] < 2:
            out.append(lines[i])
            i += 1
            continue
        j = i
        while j < n and sides[j] >= 0:
            j += 1
        # left-only lines after the last two-sided one belong to the left column up to a gap
        last = max(k for k in range(i, j) if sides[k] >= 2)
        end = last + 1
        while end < j and sides[end] == 1:
            end += 1
        region = _region(lines[i:end], sides[i:end], col, depth)
        if region is None:
            out.extend(lines[i:end])
        else:
            out.extend(region)
            found = True
        i = end
    return out if found else None


def _region(lines: list[str], sides: list[int], col: int, depth: int) -> list[str] | None:
    both = [ln for ln, s in zip(lines, sides, strict=True) if s == 3]
    if len(both) < _MIN_ROWS or len(both) * 2 < sum(1 for s in sides if s):
        return None
    lefts = sorted(len(ln[:col].rstrip()) for ln in both)
    rights = sorted(len(ln[col:].strip()) for ln in both)
    # filled prose lines on both sides: most left parts reach near the gutter, and both
    # sides hold words (a table's or a menu's cells are short, code's left side ragged)
    if lefts[len(lefts) // 2] < 0.75 * (col - 3) or rights[len(rights) // 2] < 20:
        return None
    wordy = sum(1 for ln in both if len(ln[:col].split()) >= 3 and len(ln[col:].split()) >= 3)
    if wordy * 4 < len(both) * 3:
        return None
    left = [ln[:col].rstrip() for ln in lines]
    right = [ln[col:].rstrip() for ln in lines]
    while right and not right[0].strip():
        right.pop(0)
    left = split_columns("\n".join(left), depth + 1).split("\n")
    right = split_columns("\n".join(right), depth + 1).split("\n")
    log.debug("split %d lines at column %d", len(lines), col)
    return _continued(left, right)


def _continued(left: list[str], right: list[str]) -> list[str]:
    """Left column, then the right one. A sentence the left column breaks off goes on in
    the right column's first paragraph opening in lower case; what stands above that
    paragraph (a photo caption at the head of the column) follows it instead."""
    while left and not left[-1].strip():
        left.pop()
    while right and not right[-1].strip():
        right.pop()
    tail = left[-1].strip() if left else ""
    if tail and not FULL_STOP_RE.search(tail) and (tail[-1].isalnum() or tail[-1] in ",;-"):
        for k in range(1, min(len(right), 12)):
            s = right[k].strip()
            if s[:1].islower() and not right[k - 1].strip():
                end = k
                while end < len(right) and right[end].strip():
                    end += 1
                return [*left, *right[k:end], "", *right[:k - 1], *right[end:]]
    return [*left, "", *right]
