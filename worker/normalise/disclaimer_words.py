"""The words each ASCII alternative of ``cues.DISCLAIMER_RE`` holds whole, and one search
for any of them in a text.

A text's words are its maximal [a-z0-9_] runs once A-Z is lower-cased (``WORD_BYTES`` turns
every other byte into a space). Splitting a story into its ~500 words to test each against
the set cost ~25 us a bench page (the objects, not the tests); one regex pass over the
spaced text, its alternation factored into a trie, ~15 us and no objects.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

WORDS = frozenset(
    b"affiliate commission share cost substitute purposes information advice performance "
    b"capital sponsored paid produced independent practice disclaimer constituye informativo "
    b"constitui constitue remplace costituisce ersetzt keine liens enlaces afiliados "
    b"afiliadas affiliazione affiliati comision provision".split())
WORD_BYTES = bytes(c if 48 <= c <= 57 or 97 <= c <= 122 or c == 95 else c + 32 if 65 <= c <= 90
                   else 32 for c in range(256))  # [a-z0-9_] kept, A-Z lower-cased


def _trie(words: Iterable[bytes]) -> bytes:
    """An alternation matching exactly ``words`` (letters only), common prefixes shared."""
    groups: dict[bytes, list[bytes]] = {}
    for w in sorted(set(words)):
        groups.setdefault(w[:1], []).append(w[1:])
    ends = b"" in groups
    alts = [head + _trie(tails) for head, tails in sorted(groups.items()) if head]
    if not alts:
        return b""
    return b"(?:" + b"|".join(alts) + (b")?" if ends else b")")


_ANY_WORD_RE = re.compile(b" " + _trie(WORDS) + b" ")


def holds_word(text: str) -> bool:
    """Whether the ASCII ``text`` holds one of ``WORDS`` as a word."""
    return _ANY_WORD_RE.search(b" " + text.encode().translate(WORD_BYTES) + b" ") is not None
