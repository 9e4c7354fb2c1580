"""Boxes inside an article's container that are no story text, dropped from the parsed page
before trafilatura reads it (called by ``html_layout``'s widget pass):

- embedded social posts (X/Twitter, Instagram, TikTok, Threads, Bluesky, Facebook): their
  ``<blockquote>`` holds the post's text and a "— Name (@handle) date" line; the story
  paraphrases the post, the labels exclude it;
- an info / fact box (``class="infobox"``, "factbox", "faktaruta"): a condolence register's
  hours, a fact sheet beside the story;
- a labelled data box: a heading over three or more paragraphs that each open with a bold
  label ("<p><strong>ARBITRO:</strong> ...", "REFEREE:", "Scorers:"), as a match report's
  line-ups or a results sheet are printed;
- a heading over such labelled paragraphs that close the story's container, not boxed
  (WordPress content: "<h3>Line-ups</h3><p><strong>Home:</strong> ...</p>..." at the end);
- a jump list: a heading over a list of links to anchors on the page itself (a live
  blog's "Key Events", a contents box), no text of its own;
- a summary list over the story (``<ul class="summary">``, "key-points", "highlights"):
  a few short points the story then tells;
- a summary box over the story: a "Key takeaways" / "In brief" / "要点" heading over a list
  of points (often written by AI, with a note saying so).
"""

from __future__ import annotations

import re
from itertools import pairwise
from typing import Any

from worker.normalise.cues import KEY_POINTS_RE

# Class words of the embed blockquotes the platforms' scripts turn into widgets.
_EMBED_RE = re.compile(r"(?:^|\s)(?:twitter-tweet|twitter-video|instagram-media|tiktok-embed|"
                       r"text-post-media|bluesky-embed|fb-xfbml-parse-ignore|reddit-embed-bq|"
                       r"mastodon-embed)(?:$|\s)")
_INFOBOX_RE = re.compile(r"info-?box|fact-?box|fakta(?:ruta|box)|faktenbox", re.IGNORECASE)
_BOX_TAGS = frozenset(("div", "aside", "section"))
_LABEL_TAGS = frozenset(("strong", "b"))
# Summary-box headings KEY_POINTS_RE lacks ("Key takeaways", "TL;DR", "In het kort").
_SUMMARY_HEAD_RE = re.compile(
    r"^\W*(?:(?:key|main|quick) takeaways?|takeaways|highlights|tl;?dr|(?:ai|quick|story|"
    r"article) summary|summary of (?:the|this) (?:article|story)|in het kort|kort sagt|"
    r"i korthet|kurz (?:gesagt|und knapp)|lyhyesti|摘要|核心要点|핵심 요약)\W*$", re.IGNORECASE)
_SUMMARY_LIST_RE = re.compile(r"summary|key-?points|highlights|takeaways", re.IGNORECASE)
_POINT_WORDS = 25
_HEAD_TAGS = frozenset(("h2", "h3", "h4", "h5", "p", "strong", "b"))
# A box this long is a container, not a box beside the story.
_BOX_CHARS = 1500
_PAYWALL_RE = re.compile(r"paywall|(?:^|[\s_-])piano(?:$|[\s_-])|tp-container|regwall|"
                         r"subscri(?:be|ption)[-_](?:wall|prompt|box)", re.IGNORECASE)
_PAYWALL_CHARS = 1000
_AUTHOR_BOX_RE = re.compile(r"author[-_]?(?:box|bio|card)|about[-_]the[-_]author", re.IGNORECASE)
_YEAR_RE = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")


def drop_boxes(root: Any, names: str) -> None:
    """Drop the embeds and the info boxes; ``names`` is every class and id value of the
    page, one a line, so each pass runs only on pages that have its words (a few substring
    scans, ~3 us a page; a regex over the names took 10). The heading-led boxes are
    ``head_box``'s, asked by the caller's walk over the headings."""
    if "-tweet" in names or "-media" in names or "-embed" in names:
        for el in list(root.iter("blockquote")):
            if el.getparent() is not None and _EMBED_RE.search(el.get("class") or ""):
                el.drop_tree()
    low = names.lower()
    if "nfobox" in low or "nfo-box" in low or "actbox" in low or "act-box" in low \
            or "fakta" in low:
        for el in list(root.iter(*_BOX_TAGS)):
            if el.getparent() is not None \
                    and _INFOBOX_RE.search(f"{el.get('class', '')} {el.get('id', '')}") \
                    and len(el.text_content()) < _BOX_CHARS:
                el.drop_tree()
    if "mw-parser-output" in names:
        drop_wiki_lists(root)
    if "author" in low:
        for el in list(root.iter(*_BOX_TAGS)):
            if el.getparent() is not None and author_box(el):
                el.drop_tree()
    if "paywall" in low or "piano" in low or "tp-container" in low or "regwall" in low:
        for el in list(root.iter(*_BOX_TAGS)):
            if el.getparent() is not None and paywall_box(el):
                el.drop_tree()
    if "summary" in low or "points" in low or "highlights" in low or "takeaways" in low:
        for el in list(root.iter("ul", "ol")):
            if el.getparent() is not None and _SUMMARY_LIST_RE.search(el.get("class") or "") \
                    and len(el.text_content()) < _BOX_CHARS \
                    and all(len(li.text_content().split()) < _POINT_WORDS for li in el):
                head = el.getprevious()  # its heading: "Key points:"
                if head is not None and head.tag in _HEAD_TAGS \
                        and len(head.text_content()) < 40:
                    head.drop_tree()
                el.drop_tree()
    if "synopsis" in low or "summary" in low or "highlight" in low:
        for el in list(root.iter("ul", "ol")):
            if el.getparent() is not None and (box := labelled_points(el)) is not None:
                box.drop_tree()


def labelled_points(lst: Any) -> Any:
    """The box that holds ``lst`` (a list of short points, no links) under a summary label
    that is no heading ("<div>Highlights</div><div><ul>...</ul></div>"), or None."""
    if lst.find(".//a") is not None or not 2 <= len(lst) <= 8 \
            or any(len(li.text_content().split()) >= _POINT_WORDS for li in lst):
        return None
    child, box = lst, lst.getparent()
    for _ in range(2):
        if box is None or box.tag not in _BOX_TAGS:
            return None
        label = box[0]
        if label is not child and isinstance(label.tag, str) and label.tag not in _HEAD_TAGS \
                and _SUMMARY_HEAD_RE.match(label.text_content()) \
                and len(box.text_content()) < _BOX_CHARS:
            return box
        child, box = box, box.getparent()
    return None


def drop_wiki_lists(root: Any) -> None:
    """A MediaWiki page (Wikinews): its "[edit]" links go, and so does a section that holds
    nothing but lists ("Related news", "Sources", "External links" under the story)."""
    for el in list(root.iter("span")):
        if "mw-editsection" in (el.get("class") or "") and el.getparent() is not None:
            el.drop_tree()
    for box in list(root.iter("div")):
        if "mw-parser-output" not in (box.get("class") or ""):
            continue
        kids = list(box)
        heads = [k for k, el in enumerate(kids) if _wiki_head(el)] + [len(kids)]
        for at, end in pairwise(heads):
            body = kids[at + 1:end]
            # (a share or navigation box after the last list counts with it)
            if body and body[0].tag in ("ul", "ol") and all(map(_list_or_small_box, body)):
                for el in (kids[at], *body):
                    el.drop_tree()


def _list_or_small_box(el: Any) -> bool:
    return el.tag in ("ul", "ol") or (el.tag in ("div", "table") and el.find(".//p") is None
                                      and len(el.text_content()) < 300)


def _wiki_head(el: Any) -> bool:
    return el.tag in ("h2", "h3") or (el.tag == "div" and "mw-heading" in (el.get("class") or ""))


def author_box(el: Any) -> bool:
    """The author's box after the story (``class="author-box"``, "AuthorBox_root", "author-bio"):
    name, role and a line of bio, no date; one over the story (a byline row) stays."""
    if not _AUTHOR_BOX_RE.search(f"{el.get('class', '')} {el.get('id', '')}"):
        return False
    text = el.text_content()
    return len(text) < 600 and not _YEAR_RE.search(text) \
        and bool(el.xpath("preceding::p[string-length(normalize-space()) > 150][1]"))


def paywall_box(el: Any) -> bool:
    """A subscription prompt the page marks as such (``class="paywall"``, Piano's
    ``tp-container``, a registration wall): short, no story-length paragraph in it (a
    container some sites so mark around the story's subscriber part stays)."""
    if not _PAYWALL_RE.search(f"{el.get('class', '')} {el.get('id', '')}"):
        return False
    text = el.text_content()
    return len(text) < _PAYWALL_CHARS \
        and all(len(p.text_content().split()) < _POINT_WORDS for p in el.iter("p"))


def head_box(box: Any, head: Any, text: str) -> bool:
    """``box`` (a div, aside or section) opened by the heading ``head`` whose text is
    ``text`` is a labelled data box or a summary box."""
    return box[0] is head and box.tag in _BOX_TAGS and head.tag[0] == "h" \
        and (labelled_box(box, head) or summary_box(box, text))


def labelled_box(box: Any, head: Any) -> bool:
    """``head`` opens ``box``, whose other children are three or more paragraphs that each
    start with a short bold label ending in a colon, and nothing else."""
    if len(box) < 4 or (box.text and box.text.strip()):
        return False
    for p in box[1:]:
        if p.tag != "p" or not len(p) or (p.text and p.text.strip()):
            return False
        label = p[0]
        text = label.text_content().strip() if label.tag in _LABEL_TAGS else ""
        if not text.endswith(":") or len(text) > 40:
            return False
    return len(box.text_content()) < _BOX_CHARS


def labelled_run(head: Any, text: str) -> list[Any]:
    """The heading ``head`` (text ``text``) and the three or more paragraphs after it that
    each open with a different short bold label ("Scorers:", "Referee:") and end the
    container: a line-ups or results sheet printed after the story; else []. (An interview's
    repeated "Q:" / "A:" labels are no such sheet.)"""
    if head.tag[0] != "h" or len(text) > 40:
        return []
    run, labels = [head], set()
    for p in head.itersiblings():
        label = p[0].text_content().strip() if p.tag == "p" and len(p) \
            and not (p.text and p.text.strip()) and p[0].tag in _LABEL_TAGS else ""
        if not label.endswith(":") or len(label) > 40 or label in labels:
            if p.tag == "p" or p.find(".//p") is not None:
                return []  # story text after it: no closing sheet
            continue
        labels.add(label)
        run.append(p)
    return run if len(labels) >= 3 and sum(len(p.text_content()) for p in run) < _BOX_CHARS \
        else []


def jump_list(box: Any, head: Any) -> bool:
    """``box``, opened by the heading ``head``, holds a list whose two or more links all
    point into the page ("#entry-8817")."""
    if head.tag[0] != "h" or box[0] is not head or len(box) > 3 \
            or (box.find("ul") is None and box.find("ol") is None):
        return False
    hrefs = [a.get("href") or "" for a in box.iter("a")]
    return len(hrefs) >= 2 and all(h.startswith("#") and len(h) > 1 for h in hrefs)


def summary_box(box: Any, text: str) -> bool:
    """``box``'s heading ``text`` is a summary heading ("Key takeaways") over a list of
    points; the box is short and holds no story-length paragraph."""
    if len(text) > 40 or not (KEY_POINTS_RE.match(text) or _SUMMARY_HEAD_RE.match(text)):
        return False
    if box.find("ul") is None and box.find("ol") is None:
        return False
    return len(box.text_content()) < _BOX_CHARS \
        and all(len(p.text_content().split()) < 40 for p in box.iter("p"))
