"""A story whose paragraphs sit in several sibling containers of the same body class
(``<div class="body-text">`` once under the lede and once in each subheaded section, as
broadcasters' pages have it).

trafilatura reads the first element its first body rule matches; when that is the first of
such containers it keeps it, then falls back to a wider container for the rest, and the
text comes out with the first paragraphs OVER the headline and lede (blind batch zb: an
NHK-like page lost them and its order). Seen that way (the headline after a story-length
line), the page is read again with those containers' marks hidden, so that trafilatura
takes the story's common container.
"""

from __future__ import annotations

import logging
from typing import Any

log = logging.getLogger(__name__)

_MARKS = ("class", "id", "itemprop")
_STORY_LINE = 40  # characters: a line this long over the headline is story text
_NEAR = 3  # levels from each container up to their common ancestor


def headline_after_story(text: str, title: str) -> bool:
    """trafilatura's ``text`` holds the headline after a story-length line."""
    if not title or len(title) < 8:
        return False
    want = " ".join(title.split())
    key = max(want.split(" ")[:3], key=len)[:24]  # a word of it, whatever the spacing
    if text.find(key, _STORY_LINE, 3000) < 0:  # (a cheap look first: most pages fail it)
        return False
    head = text.split("\n", 12)[:12]
    first = want.split(" ", 1)[0]  # (a line that is the headline starts with its first word:
    for k, line in enumerate(head):  # most are ruled out without a split and a join)
        if k and line.lstrip().startswith(first) and " ".join(line.split()) == want:
            return any(len(ln) >= _STORY_LINE for ln in head[:k])
    return False


def split_containers(root: Any) -> list[Any]:
    """The containers trafilatura's first body rule matches in ``root`` when there are two
    or more, none inside another, all near one common ancestor; else none."""
    from trafilatura.xpaths import BODY_XPATH

    found = list(BODY_XPATH[0](root))
    top = [el for el in found if not any(a in found for a in el.iterancestors())]
    if len(top) < 2:
        return []
    near = [set(_ancestors(el)) for el in top]
    common = set.intersection(*near)
    if not common:
        return []
    return top


def _ancestors(el: Any) -> list[Any]:
    out = []
    for k, a in enumerate(el.iterancestors()):
        if k >= _NEAR:
            break
        out.append(a)
    return out


def reread(root: Any, containers: list[Any], extract: Any) -> Any:
    """``extract(root)`` with the containers' marks hidden (put back after)."""
    saved = [(el, {m: el.attrib.pop(m) for m in _MARKS if m in el.attrib})
             for el in containers]
    try:
        return extract(root)
    finally:
        for el, marks in saved:
            el.attrib.update(marks)
