"""A story body a single-page app ships as JSON only (Next.js's ``__NEXT_DATA__``, other
``application/json`` page state): the server-rendered page holds a preview line, the script
the whole body as an HTML string (Nine's mastheads, many Next.js news sites)."""

from __future__ import annotations

import json
import logging
import re
from typing import Any

log = logging.getLogger(__name__)

MIN_PARAGRAPHS = 3  # "<p" in the string: a body, not a teaser or a caption
PREVIEW_CHARS = 2_000  # page text under it may be a preview of a body in the page's JSON
MAX_NODES = 50_000  # JSON values walked at most (page state can hold a whole site's menu)


def _html_strings(data: Any) -> list[str]:
    """Strings in ``data`` holding MIN_PARAGRAPHS ``<p>`` or more, breadth-first, bounded."""
    out: list[str] = []
    todo = [data]
    seen = 0
    while todo and seen < MAX_NODES:
        node = todo.pop()
        seen += 1
        if isinstance(node, dict):
            todo.extend(node.values())
        elif isinstance(node, list):
            todo.extend(node)
        elif isinstance(node, str) and node.count("<p") >= MIN_PARAGRAPHS:
            out.append(node)
    return out


def embedded_body(scripts: list[Any]) -> str | None:
    """The longest HTML body string in the page's JSON state scripts, or None."""
    best: str | None = None
    for el in scripts:
        kind = (el.get("type") or "").lower()
        if el.get("id") != "__NEXT_DATA__" and kind != "application/json":
            continue
        try:
            data = json.loads(el.text or "")
        except ValueError:
            log.debug("page state script is not JSON")
            continue
        for s in _html_strings(data):
            if best is None or len(s) > len(best):
                best = s
    return best


_TAG_RE = re.compile(r"<[^>]*>")


def app_body(html: str, scripts: list[Any], shown: list[str]) -> str | None:
    """The body HTML in the page's JSON state when the page itself ``shown`` only a preview
    (under PREVIEW_CHARS of text, and under half the JSON body's text), else None."""
    chars = sum(map(len, shown))
    if chars >= PREVIEW_CHARS or ("__NEXT_DATA__" not in html and "application/json" not in html):
        return None
    body = embedded_body(scripts)
    if body is None or len(" ".join(_TAG_RE.sub(" ", body).split())) <= 2 * chars:
        return None
    log.debug("page shows %d characters; its JSON state holds the body", chars)
    return body
