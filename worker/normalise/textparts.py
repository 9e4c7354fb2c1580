"""The plain-text classifier's data: one logical line with its features, and the parts found.

A module of their own because the classifier (``plaintext``), the line helpers (``lines``)
and the headline picker (``title``) all read and write them.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class Line:
    text: str
    gap: bool  # a blank line precedes it
    words: int = 0
    stop: float = 0.0
    sentence: bool = False
    prose: bool = False
    linky: bool = False
    strong: bool = False
    weak: bool = False
    boundary: bool = False
    repeated: bool = False
    meta: bool = False  # comment metadata: "Jane says:", "3 hours ago", "Reply"
    credit: bool = False  # ends with / is a photo credit
    bio: bool = False  # "Jane Doe is a reporter ...": author box, ends the story
    kind: str = ""  # "image" | "caption" | "credit" once claimed
    item: bool = False  # one line of a list, steps or table inside the story (blocks.py)


@dataclass(slots=True)
class TextParts:
    title: str = ""
    body: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    date_lines: list[str] = field(default_factory=list)
    images: list[tuple[str, str | None, str | None]] = field(default_factory=list)
    site_name: str | None = None
