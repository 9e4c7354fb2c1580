"""Loose text runs in a page's containers, for ``html_layout.prepare_tree``: the inline tags
that continue a container's own text, and a story <div>'s loose first paragraphs."""

from __future__ import annotations

import logging
import re
from itertools import pairwise
from typing import Any

log = logging.getLogger(__name__)

# Inline elements that continue a container's own text run (wrapped with it into a <p>).
INLINE_TAGS = frozenset(("a", "abbr", "b", "bdi", "cite", "code", "data", "dfn", "em", "i",
                         "kbd", "mark", "q", "s", "samp", "small", "span", "strong", "sub", "sup",
                         "time", "u", "var", "font"))
# Class/id of a caption, credit or meta block: such a div stays a div (trafilatura's call).
NOT_PARA_RE = re.compile(r"caption|credit|unterschrift|legend|byline|author|meta|date|"
                         r"share|tag|foot|note|disclaimer|promo|ad[-_]|related", re.IGNORECASE)


def wrap_leading_run(div: Any) -> None:
    """A story <div> whose first paragraphs are loose (text and inline tags parted by
    ``<br><br>``) before its <p>s: trafilatura drops that run, so it becomes one <p> (its
    <br> tails already end lines). Only a paragraph's worth, the div's only loose text,
    beside <p> children."""
    from lxml import etree  # type: ignore[import-untyped]

    run = []
    for child in div:
        if not isinstance(child.tag, str) or (child.tag not in INLINE_TAGS and child.tag != "br"):
            break
        run.append(child)
    # (loose text further on too, a <br> body with blocks between: trafilatura reads it)
    if len(run) == len(div) or div.find("p") is None \
            or any(c.tail and c.tail.strip() for c in div[len(run):]) \
            or NOT_PARA_RE.search(f"{div.get('class', '')} {div.get('id', '')}"):
        return
    words = (div.text or "").split() + [w for c in run for w in
                                        (c.text_content() + (c.tail or "")).split()]
    if len(words) < 8 or not any(c in " ".join(words) for c in ".!?。！？"):
        return
    para = etree.Element("p")
    para.text, div.text = div.text, None
    for child in run:
        para.append(child)  # moves it, with its tail
    div.insert(0, para)


def br_paragraphs(div: Any) -> None:
    """A story <div> written as loose text parted by ``<br><br>``, with no <p> (TOI, old CMSs):
    each run becomes a <p>, the blocks between them (a read-also box, an ad slot) staying
    where they are. trafilatura reads such a div by its own rules and dropped some runs (the
    first, under a bold dateline <span>; those after a box)."""
    from lxml import etree

    kids = list(div)
    breaks = sum(1 for a, b in pairwise(kids)
                 if a.tag == "br" and b.tag == "br" and not (a.tail or "").strip())
    if breaks < 2 or div.find("p") is not None \
            or NOT_PARA_RE.search(f"{div.get('class', '')} {div.get('id', '')}"):
        return
    loose = (div.text or "") + " ".join((c.tail or "") for c in kids)
    if len(loose.split()) < 40:
        return
    out: list[Any] = []
    cur = etree.Element("p")
    cur.text, div.text = div.text, None
    i = 0
    while i < len(kids):
        c = kids[i]
        if c.tag == "br" and i + 1 < len(kids) and kids[i + 1].tag == "br" \
                and not (c.tail or "").strip():
            out.append(cur)  # a paragraph break: the text after the second <br> opens the next
            cur = etree.Element("p")
            cur.text = kids[i + 1].tail
            i += 2
            continue
        if isinstance(c.tag, str) and (c.tag in INLINE_TAGS or c.tag == "br"):
            cur.append(c)  # (moves it, with its tail)
        else:
            out.append(cur)
            tail, c.tail = c.tail, None
            out.append(c)
            cur = etree.Element("p")
            cur.text = tail
        i += 1
    out.append(cur)
    for child in list(div):
        div.remove(child)
    for node in out:
        if node.tag != "p" or "".join(node.itertext()).strip():
            div.append(node)
