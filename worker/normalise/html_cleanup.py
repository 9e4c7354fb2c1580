"""trafilatura's main text -> the article's paragraphs.

trafilatura returns markdown-ish text: list markers, table rows, headings of link lists it
dropped, the dek under the headline, an author bio, reader comments. Each is cleaned or cut
here, checked against the parsed page (``root``) where the page says what an element is.
"""

from __future__ import annotations

import re
from typing import Any

from worker.normalise.cues import BIO_RE

# Markdown table rows from trafilatura: "| a | b |" and the "|---|---|" rule under a header.
_TABLE_RULE_RE = re.compile(r"^\|(?:\s*:?-{3,}:?\s*\|)+$")
# A related-links heading whose link list trafilatura dropped ("Related topics",
# "Noticias relacionadas", "Lesen Sie auch", ...): short, so real prose is never hit.
_RELATED_RE = re.compile(
    r"^(?:related|more on this|see also|read (?:more|also)|noticias relacionadas|"
    r"relacionad[ao]s|te puede interesar|lee tambi[eé]n|mehr zum thema|lesen sie auch|"
    r"[àa] lire aussi|sur le m[eê]me sujet|leggi anche|articoli correlati|"
    r"leia tamb[eé]m)\b", re.IGNORECASE)
# Class names of the standfirst / dek / subtitle printed under a headline, outside the text.
_DEK_CLASS_RE = re.compile(
    r"standfirst|\bdek\b|[-_]dek\b|subtitle|sub-?headline|entradilla|sumario|"
    r"chapeau|\bdeck\b|teaser-text|article-summary", re.IGNORECASE)


_HEADS = ("h2", "h3", "h4", "h5", "h6")
_COMMENTS_RE = re.compile(r"^(?:\d+\s+)?(?:reader\s+)?(?:comments?|responses?|replies)"
                          r"(?:\s*\(\d+\))?:?$|^(?:leave a (?:comment|reply)|join the "
                          r"(?:conversation|discussion))\b", re.IGNORECASE)
_LINK_LEADIN_RE = re.compile(r"^(?:related|read more|see also|also read|read also|more on "
                             r"this)\s*:\s*\S", re.IGNORECASE)


def _norm(text: str) -> str:
    return " ".join(text.split()).rstrip(".").lower()


def _table_row(line: str) -> str:
    cells = [c.strip() for c in line.strip("|").split("|")]
    return " | ".join(c for c in cells if c)


def _is_standfirst(line: str, root: Any, description: str | None) -> bool:
    """The headline's dek that trafilatura kept as the first paragraph.

    Only dropped when the page marks it as such: a heading repeating the meta description,
    or an element with a standfirst / dek / subtitle class. A lede that merely repeats the
    meta description (common) is a ``<p>`` and stays.
    """
    target = _norm(line)
    if len(target.split()) > 45:
        return False
    desc = _norm(description) if description else None
    for el in root.iter("h2", "h3", "h4", "p", "div", "span"):
        if _norm(el.text_content()) != target:
            continue
        if el.tag in ("h2", "h3", "h4") and target == desc:
            return True
        if _DEK_CLASS_RE.search(el.get("class") or ""):
            return True
    return False


def clean_main_text(text: str, root: Any, description: str | None, title: str) -> list[str]:
    """trafilatura's text -> paragraphs: list markers, markdown tables, orphan headings."""
    lines: list[str] = []
    for raw in text.split("\n"):
        ln = " ".join(raw.split())
        if not ln or _TABLE_RULE_RE.match(ln):
            continue
        if ln.startswith("- "):
            ln = ln[2:]
        elif ln.startswith("|") and ln.endswith("|"):
            ln = _table_row(ln)
            if not ln:
                continue
        if len(ln.split()) <= 4 and _RELATED_RE.match(ln) and ln[-1] not in ".!?:":
            continue
        if _LINK_LEADIN_RE.match(ln) and len(ln.split()) <= 20 and ln[-1] not in ".!?":
            continue  # "Related: <headline>", an inline link to another story
        lines.append(ln)
    # The dek follows the headline, which trafilatura often keeps as the first line.
    first = 1 if lines and title and _norm(lines[0]) == _norm(title) else 0
    if len(lines) > first + 1 and _is_standfirst(lines[first], root, description):
        del lines[first]
    # The author's bio closing an opinion piece: "Jane Doe is a writer and the author of ..."
    while len(lines) > 2 and 8 <= len(lines[-1].split()) <= 80 and BIO_RE.match(lines[-1]):
        del lines[-1]
    return _before_comments(lines, root)


def _before_comments(lines: list[str], root: Any) -> list[str]:
    """Drop the reader comments trafilatura kept from an unlabelled comment list: lines that
    come after a "Comments (3)" heading which itself follows most of the story."""
    if not lines:
        return lines
    pos: dict[str, int] = {}
    heads: list[int] = []
    for n, el in enumerate(root.iter("p", "li", "blockquote", "div", "span", *_HEADS)):
        if el.tag in ("div", "span"):
            text = el.text or ""  # a label's own text, not its whole subtree
        else:
            text = el.text_content()
            pos.setdefault(_norm(text), n)
        if len(text) < 60 and _COMMENTS_RE.match(" ".join(text.split())):
            heads.append(n)
    if not heads:
        return lines
    at = [pos.get(_norm(ln)) for ln in lines]
    words = [len(ln.split()) if p is not None else 0 for ln, p in zip(lines, at, strict=True)]
    total = sum(words)
    # words above each head in one sweep (heads ascend): a sum per head was quadratic
    placed = sorted((p, w) for p, w in zip(at, words, strict=True) if p is not None)
    above = k = 0
    for h in heads:
        while k < len(placed) and placed[k][0] < h:
            above += placed[k][1]
            k += 1
        if above >= 0.5 * total > 0:
            return [ln for ln, p in zip(lines, at, strict=True) if p is None or p < h]
    return lines
