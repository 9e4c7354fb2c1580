"""What common publishing software puts into an entry's markup around the story
(``clean_cms_markup``): a Drupal Views item's node fields before its body field (title,
author, date, image and its credit), Ghost's widget cards (audio player, embed, bookmark,
button, call to action, sign-up) and a callout card opening the post (a partnership or
funding note), a feed generator's credit; and the paragraphs that are a label or an
editor's note over the story (``lead_note_texts``): wholly italic, before the first plain
paragraph.
"""

from __future__ import annotations

import html as htmllib
import re

from worker.normalise.html import html_to_paragraphs

# Drupal's field wrappers: class="field field--name-body ..." holds the node's text
_DRUPAL_BODY_RE = re.compile(r"<(?:div|section)\b[^>]*\bclass\s*=\s*[\"'][^\"']*"
                             r"\bfield--name-body\b", re.IGNORECASE)
# Ghost's cards that hold a widget, never text of the story
_GHOST_WIDGET_RE = re.compile(
    r"<(div|figure)\b[^>]*\bclass\s*=\s*[\"'][^\"']*\bkg-(?:audio|video|embed|bookmark|button|"
    r"cta|signup|product|file|header)-card\b[^>]*>", re.IGNORECASE)
_GHOST_CALLOUT_RE = re.compile(r"<(div)\b[^>]*\bclass\s*=\s*[\"'][^\"']*\bkg-callout-card\b"
                               r"[^>]*>", re.IGNORECASE)
_P_RE = re.compile(r"<p\b", re.IGNORECASE)
# A feed generator's credit appended to every item ("(Feed generated with FetchRSS)")
# (the tool's name one capitalised word, "FetchRSS", "Feed43": not "(made with care)")
_GENERATOR_RE = re.compile(r"(?i:\(\s*(?:feed|rss) (?:generated|created|made) (?:with|by)\s*"
                           r"(?:<a\b[^>]*>)?)[A-Z][\w.-]{1,30}(?i:</a\s*>)?\s*\)")


def _element_end(markup: str, tag: str, start: int) -> int:
    """Where the ``tag`` element opened at ``start`` ends (nesting counted), or -1."""
    pattern = re.compile(rf"<(/?){tag}\b[^>]*>", re.IGNORECASE)
    depth = 0
    for m in pattern.finditer(markup, start):
        depth += -1 if m.group(1) else 1
        if depth == 0:
            return m.end()
    return -1


def _drop_elements(markup: str, opener: re.Pattern[str], *, before: int | None = None) -> str:
    """``markup`` without the elements ``opener`` finds (only those opening before
    ``before`` when given)."""
    out, pos = [], 0
    while (m := opener.search(markup, pos)) is not None:
        if before is not None and m.start() >= before:
            break
        end = _element_end(markup, m.group(1), m.start())
        if end < 0:
            break
        out.append(markup[pos:m.start()])
        pos = end
    out.append(markup[pos:])
    return " ".join(out) if len(out) > 1 else markup


_AUTOBR_RE = re.compile(r"<br\s+class=(['\"])autobr\1\s*/?>\s*", re.IGNORECASE)


def clean_cms_markup(markup: str) -> str:
    """Entry markup without a Drupal node's fields before its body and Ghost's widget
    cards (a callout card only when it comes before the first paragraph); SPIP's soft
    line breaks as spaces."""
    if "field--name-" in markup and (m := _DRUPAL_BODY_RE.search(markup)) \
            and "field--name-" in markup[:m.start()]:
        markup = markup[m.start():]  # title, author, date, image: the node's other fields
    if "enerated" in markup or "reated" in markup or "ade with" in markup:
        markup = _GENERATOR_RE.sub(" ", markup)
    if "autobr" in markup:  # SPIP's soft line break inside a paragraph: a space
        markup = _AUTOBR_RE.sub(" ", markup)
    if "kg-" in markup:
        markup = _drop_elements(markup, _GHOST_WIDGET_RE)
        if "kg-callout-card" in markup:
            first_p = _P_RE.search(markup)
            markup = _drop_elements(markup, _GHOST_CALLOUT_RE,
                                    before=first_p.start() if first_p else None)
    return markup


_PARA_RE = re.compile(r"<p\b[^>]*>(.{0,1500}?)</p\s*>", re.IGNORECASE | re.DOTALL)
# A paragraph's content wholly inside one <em>/<i> (links inside it allowed)
_ITALIC_RE = re.compile(r"^\s*<(em|i)\b[^>]*>(.*)</\1\s*>\s*$", re.IGNORECASE | re.DOTALL)
_TAG_RE = re.compile(r"<[^>]*>")
# What such a note says: a newsletter's own pitch ("Si te lo han reenviado, puedes
# suscribirte aquí"), a series' place ("Del 2 av 3 i serien", "Part 2 of 3"), a summary's
# or translation's source ("This is an English summary of our ... investigation"), an
# op-ed's disclaimer ("Les tribunes ... n'engagent que leurs auteurs"). (A collaboration
# credit, "This post is a collaboration with ...", is the story's own first line.)
_NOTE_RE = re.compile(
    r"\b(?:subscribe|subscribing|suscri\w+|abonne[rz]|abonnez-vous|abbonati|iscriviti|"
    r"prenumerera|abonnieren|forwarded|reenviado|inoltrat\w|weitergeleitet|"
    r"(?:part|del|partie|parte|teil|deel|część|osa) \d+ (?:of|av|de|di|von|van|z|af) \d+|"
    r"(?:english|german|french|spanish|swedish|short) (?:summary|version|translation) of|"
    r"translated (?:from|by)|full (?:story|article|report|version) is in|"
    r"n['’]engagent? que|views expressed|opinions expressed|do not necessarily reflect|"
    r"die meinung (?:des|der) autor)", re.IGNORECASE)


def lead_note_texts(markup: str | None) -> frozenset[str]:
    """The texts, spaced, of the wholly italic paragraphs before the markup's first plain
    one: a newsletter's boilerplate, a series or translation note, an issue's label, an
    op-ed's author note. None when no plain paragraph follows (an all-italic post)."""
    if not markup or ("<em" not in markup and "<i" not in markup):
        return frozenset()
    notes: set[str] = set()
    for m in _PARA_RE.finditer(markup):
        inner = m.group(1)
        text = " ".join(htmllib.unescape(_TAG_RE.sub(" ", inner)).split())
        if not text:
            continue
        m2 = _ITALIC_RE.match(inner)
        if m2 is None or inner.lower().count(f"</{m2.group(1).lower()}") > 1:
            # a plain paragraph: the story, when it is one (a short line may be a label)
            return frozenset(notes) if len(text.split()) >= 12 else frozenset()
        words = len(text.split())
        if words > 80:
            return frozenset()  # an italic story, not a note
        if words > 4 and not _NOTE_RE.search(text):
            continue  # (a note of another kind, kept as the post's first line)
        # (the paragraph's own text: tags spaced out would part a link from its full stop)
        notes.add(" ".join(" ".join(html_to_paragraphs(m.group(0))).split()))
    return frozenset()
