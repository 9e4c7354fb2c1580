"""Lists in a story's container:

- a key-points box over the story goes (its points sum the story up, they are no text);
- a "Related" list whose items are each a link and its date is a related box;
- a short list the story introduces with a colon ("Five streets are affected:" over
  ``<ul><li>Jalan Pramuka</li>...``) becomes paragraphs before trafilatura reads the page:
  on pages where no container class names the story, trafilatura recovers only the loose
  ``<p>``s and drops the list (blind batch zb: a Kompas-like page lost its five streets).
  Only a list of plain text (no link: a list of links is a "related" box), of two to
  fifteen short items, right after a ``<p>`` that ends with a colon, among other paragraphs.
"""

from __future__ import annotations

import re
from typing import Any

_MAX_ITEMS = 15
_MAX_ITEM_WORDS = 40
_LABEL_CHARS = 40  # a date and its label beside a related link
# a key-points box's class or id: "key-points", "keypoints", "key_facts", "takeaways", "tldr"
_KEY_BOX_RE = re.compile(r"(?:^|[\s_-])(?:key[-_]?(?:points?|facts|takeaways|moments)|"
                         r"takeaways|tl-?dr|highlights)(?:$|[\s_-])", re.IGNORECASE)
_KEY_NAMES = ("key", "Key", "KEY", "takeaway", "tldr", "highlights", "Highlights")


# ... or whose heading says so ("Key Takeaways" in a "callout" box)
_KEY_HEAD_RE = re.compile(r"^(?:key (?:takeaways|points|facts)|takeaways|highlights|at a glance|"
                          r"das wichtigste(?: in kürze)?|l'essentiel|points clés|puntos clave|"
                          r"lo (?:esencial|más importante)|in breve|pontos-chave)\W*$",
                          re.IGNORECASE)


def drop_list_boxes(root: Any, names: str, html: str) -> None:
    """The boxes of lists that are no story text (``drop_key_points``, ``drop_offer_tables``)
    and the labels only screen readers speak around them (``drop_screen_reader_labels``).
    (The offers table's XPath, ~47 us a page, runs only on a page that says "sponsored".)"""
    drop_key_points(root, names)
    if "sponsored" in html:
        drop_offer_tables(root)
    if "screen-reader" in names or "sr-only" in names or "visually-hidden" in names:
        drop_screen_reader_labels(root)


def drop_key_points(root: Any, names: str) -> None:
    """A box whose class or id names it a key-points box, or whose heading does, and that
    holds a list of short points and little else (the heading over it): ``names`` is the
    page's class and id values."""
    boxes = [el for el in root.iter("div", "aside", "section")
             if _KEY_BOX_RE.search(f"{el.get('class', '')} {el.get('id', '')}")] \
        if any(k in names for k in _KEY_NAMES) else []
    for head in root.iter("h2", "h3", "h4"):
        if len(head.text_content()) < 40 and _KEY_HEAD_RE.match(head.text_content().strip()):
            box = head.getparent()
            if box is not None and len(box) == 1:  # the heading's own wrapper
                box = box.getparent()
            if box is not None and box.tag in ("div", "aside", "section"):
                boxes.append(box)
    for box in boxes:
        lists = box.findall(".//ul") + box.findall(".//ol")
        if box.getparent() is None or len(lists) != 1 or box.find(".//p") is not None:
            continue
        items = lists[0].findall("li")
        text = box.text_content()
        if 2 <= len(items) <= 8 and len(text) < 1200 and all(
                len(li.text_content().split()) <= _MAX_ITEM_WORDS for li in items) \
                and lists[0].find(".//a") is None:
            box.drop_tree()


def drop_offer_tables(root: Any) -> None:
    """An affiliate offers table in mid-story: every link in it is marked ``rel="sponsored"``
    (Google's rule for paid links), with its heading and compensation footnote around it."""
    for table in root.xpath(".//table[.//a[contains(@rel, 'sponsored')]]"):
        links = table.findall(".//a")
        if len(links) < 2 or not all("sponsored" in (a.get("rel") or "") for a in links):
            continue
        box, parent = table, table.getparent()
        if parent is not None and parent.tag == "div" and parent.getparent() is not None \
                and len(parent.text_content()) <= len(table.text_content()) + 500:
            box = parent
        if box.getparent() is not None:
            box.drop_tree()


_SR_ONLY_RE = re.compile(r"(?:^|\s)(?:screen-reader-text|sr-only|visually-hidden)(?:$|\s)")


def drop_screen_reader_labels(root: Any) -> None:
    """Labels only a screen reader speaks ("نشر في" before a date, "List of 3 items", "End of
    list" around a related box): short, and never the story's words."""
    for el in [el for el in root.iter("span", "p", "div", "h2", "h3", "label")
               if _SR_ONLY_RE.search(el.get("class") or "")]:
        if el.getparent() is not None and len(el.text_content()) < 80:
            el.drop_tree()


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


def dated_links(box: Any) -> bool:
    """``box`` (under a "Related" heading) holds a list of two or more items, each one link
    and a short label beside it: its date ("Published 2 October 2024"), a duration."""
    lists = box.findall(".//ul") + box.findall(".//ol")
    if len(lists) != 1:
        return False
    items = lists[0].findall("li")
    if len(items) < 2:
        return False
    for li in items:
        links = li.findall(".//a")
        if len(links) != 1:
            return False
        rest = len(li.text_content()) - len(links[0].text_content())
        if rest > _LABEL_CHARS or len(links[0].text_content().strip()) < 10:
            return False
    return True
