"""Repairs to a plain-text dump before its lines are classified."""

from __future__ import annotations

import logging
import re

log = logging.getLogger(__name__)

# html2text / pandoc wrap markdown links like prose: "[Erzurum Büyükşehir\nBelediyesi](url)"
# and "](https://site/a-long-\nslug)". A link split over lines leaves its halves on two lines
# ("Müdürlüğü](https://...) ise ...") that read as furniture; rejoined, the link markup goes.
_LINK_TEXT_RE = re.compile(r"\[(?:[^\[\]\n]|\n(?![ \t]*\n)){0,300}\n(?:[^\[\]\n]){0,300}\]\(")
_LINK_URL_RE = re.compile(r"\]\([^()\s]{1,800}(?:\n[^()\s]{1,800}){1,4}\)")


# a paragraph opening with a link on a line of its own: "[Erzurum Belediyesi](url)\nekipleri, ..."
_LINK_END_RE = re.compile(r"\]\([^()\s]{1,800}\)\n(?=[^\W\d_])")


def _goes_on(m: re.Match[str]) -> str:
    s = m.string
    return m.group(0)[:-1] + " " if s[m.end()].islower() else m.group(0)


def _spaced(m: re.Match[str]) -> str:
    return m.group(0).replace("\n", " ")


def _joined(m: re.Match[str]) -> str:
    return m.group(0).replace("\n", "")


def rejoin_markdown_links(text: str) -> str:
    """Markdown links and images wrapped over lines, back on one line."""
    if "](" not in text:
        return text
    text = _LINK_URL_RE.sub(_joined, text)
    return _LINK_END_RE.sub(_goes_on, _LINK_TEXT_RE.sub(_spaced, text))
