"""Loose text runs in a page's containers, for ``html_layout.prepare_tree``: the inline tags
that continue a container's own text, and a story <div>'s loose first paragraphs."""

from __future__ import annotations

import logging
import re
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
