"""Entry fields of feed extensions that feedparser keeps under their own keys: Yandex's
full text (``yandex:full-text``) and a journal's article type (``prism:section``).
"""

from __future__ import annotations

import re
from typing import Any

_MARKUP_RE = re.compile(r"<(?:p|br|div|img|em|strong|a)\b", re.IGNORECASE)


def full_text(e: Any) -> tuple[str | None, str | None] | None:
    """(html, text) from an item's ``yandex:full-text``, or None when it has none. The
    element holds plain text with one paragraph a line, or (DLE sites) the story's HTML."""
    value = e.get("yandex_full-text")
    if not isinstance(value, str) or not value.strip():
        return None
    if _MARKUP_RE.search(value):
        return value, None
    return None, "\n\n".join(line.strip() for line in value.splitlines() if line.strip())


def section_tags(e: Any) -> list[str]:
    """A journal's article type (``prism:section``: "RESEARCH ARTICLE", "CORRECTION"), as a
    category: the item kinds read it ("Issue Information" filed as such is front matter)."""
    value = e.get("prism_section")
    return [" ".join(value.split()).title()] if isinstance(value, str) and value.strip() else []
