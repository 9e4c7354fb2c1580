"""What changed between two versions of an article: the ``changes`` summary of a revision
and the word-level diff behind ``articles diff``.

Both compare words (whitespace-split), so re-wrapping a paragraph changes nothing, and
both are pure functions of the two articles: the store computes the summary before its
append script runs, and a reader can recompute it for events written before v3.
"""

from __future__ import annotations

import difflib
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from worker.events.models import Article, Changes

log = logging.getLogger(__name__)

# Article fields a revision may change, in the order `changes.fields` lists them. Derived
# fields (word_count, content_hash, normaliser_version) and the source are left out: they
# follow from these or say how we got the article, not what it says.
COMPARED_FIELDS: tuple[str, ...] = (
    "title", "body", "lede", "dateline", "authors", "published_at", "updated_at", "url",
    "site_name", "language", "images", "tags",
)

Op = Literal["equal", "insert", "delete"]


@dataclass(frozen=True, slots=True)
class Chunk:
    """A run of words that both versions share (``equal``), or only the new (``insert``) or
    the old one has (``delete``). A replacement is a delete followed by an insert."""

    op: Op
    text: str


def _words(paragraphs: tuple[str, ...] | list[str]) -> list[str]:
    return [w for p in paragraphs for w in p.split()]


def _opcodes(old: list[str], new: list[str]) -> Iterator[tuple[str, int, int, int, int]]:
    # autojunk off: in long bodies it would treat common words ("the") as junk and
    # report them changed.
    return iter(difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes())


def summarise(old: Article, new: Article) -> Changes:
    """The ``changes`` of the revision ``old`` -> ``new``."""
    fields = [f for f in COMPARED_FIELDS if _norm(getattr(old, f)) != _norm(getattr(new, f))]
    added = removed = 0
    if "body" in fields:
        for tag, i1, i2, j1, j2 in _opcodes(_words(old.body), _words(new.body)):
            if tag in ("delete", "replace"):
                removed += i2 - i1
            if tag in ("insert", "replace"):
                added += j2 - j1
    title_changed = "title" in fields
    return Changes(fields=tuple(fields), words_added=added, words_removed=removed,
                   old_title=old.title if title_changed else None,
                   new_title=new.title if title_changed else None)


def _norm(value: object) -> object:
    """Compare text by its words: whitespace-only edits are not changes."""
    if isinstance(value, str):
        return " ".join(value.split())
    if isinstance(value, tuple) and all(isinstance(v, str) for v in value):
        return tuple(" ".join(v.split()) for v in value)
    return value


def word_diff(old: str, new: str) -> list[Chunk]:
    """Word-level diff of two texts; paragraph breaks (blank lines) are kept as ``\\n\\n``
    words so a replaced paragraph reads as one."""
    a = _tokens(old)
    b = _tokens(new)
    out: list[Chunk] = []
    for tag, i1, i2, j1, j2 in _opcodes(a, b):
        if tag == "equal":
            out.append(Chunk("equal", _join(a[i1:i2])))
            continue
        if tag in ("delete", "replace"):
            out.append(Chunk("delete", _join(a[i1:i2])))
        if tag in ("insert", "replace"):
            out.append(Chunk("insert", _join(b[j1:j2])))
    return out


PARAGRAPH = "\n\n"


def _tokens(text: str) -> list[str]:
    tokens: list[str] = []
    for k, para in enumerate(p for p in text.split(PARAGRAPH) if p.strip()):
        if k:
            tokens.append(PARAGRAPH)
        tokens += para.split()
    return tokens


def _join(tokens: list[str]) -> str:
    parts: list[str] = []
    for t in tokens:
        if parts and t != PARAGRAPH and parts[-1] != PARAGRAPH:
            parts.append(" ")
        parts.append(t)
    return "".join(parts)
