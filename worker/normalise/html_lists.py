"""A short list the story introduces with a colon ("Five streets are affected:" over
``<ul><li>Jalan Pramuka</li>...``) becomes paragraphs before trafilatura reads the page:
on pages where no container class names the story, trafilatura recovers only the loose
``<p>``s and drops the list (blind batch zb: a Kompas-like page lost its five streets).

Only a list of plain text (no link: a list of links is a "related" box), of two to fifteen
short items, right after a ``<p>`` that ends with a colon, among other paragraphs.
"""

from __future__ import annotations

from typing import Any

_MAX_ITEMS = 15
_MAX_ITEM_WORDS = 40


def lists_as_paragraphs(root: Any) -> None:
    """Each such list's items as ``<p>``s in its place (in ``root``, which is ours)."""
    from lxml import etree  # type: ignore[import-untyped]

    for lst in [el for el in root.iter("ul", "ol") if _story_list(el)]:
        parent = lst.getparent()
        at = parent.index(lst)
        for k, li in enumerate(lst.findall("li")):
            para = etree.Element("p")
            para.text = " ".join(li.text_content().split())
            parent.insert(at + k, para)
        para.tail = lst.tail  # (remove() takes the tail with the element)
        parent.remove(lst)


def _story_list(lst: Any) -> bool:
    prev, parent = lst.getprevious(), lst.getparent()
    if prev is None or prev.tag != "p" or parent is None:
        return False
    lead = prev.text_content().rstrip()
    if not lead.endswith((":", "：")) or len(lead.split()) < 3:
        return False
    items = list(lst)
    if not 2 <= len(items) <= _MAX_ITEMS or any(li.tag != "li" for li in items):
        return False
    if lst.find(".//a") is not None or lst.find(".//img") is not None \
            or lst.find(".//ul") is not None or lst.find(".//ol") is not None:
        return False
    for li in items:
        text = li.text_content().split()
        if not text or len(text) > _MAX_ITEM_WORDS:
            return False
    return sum(1 for el in parent if el.tag == "p") >= 3
