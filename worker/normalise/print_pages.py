"""A printed page's next story (``next_story_bylines``): an e-paper or print-page dump holds
the story and, under it, the briefs of the same page, each with its own headline and the
same staff byline ("Staff Reporter", "নিজস্ব প্রতিবেদক"). That byline's second copy, after the
story has begun, marks where the next story starts."""

from __future__ import annotations

import logging

from worker.normalise.textparts import Line

log = logging.getLogger(__name__)

_MAX_WORDS = 4  # a byline: a name or a desk
_MIN_PROSE = 40  # words of prose between the two copies: a story, not a header's repeat


def _headed(lines: list[Line], i: int) -> bool:
    """Line ``i`` sits between a headline and prose: a byline under its story's headline."""
    if i < 1 or i + 1 >= len(lines) or not lines[i + 1].prose:
        return False
    head = lines[i - 1]
    return 2 <= head.words <= 15 and not (head.prose or head.sentence or head.linky
                                          or head.strong or head.repeated)


def next_story_bylines(lines: list[Line]) -> None:
    """Mark as a boundary the headline over a byline line that repeats, under another
    headline, after the first copy's story (only a line that occurs twice: a live blog's
    author, on every entry, is left alone; so are a paginated page's repeated header, a
    section label and a related-links heading, which sit under no headline of their own)."""
    first: dict[str, int] = {}
    for i, ln in enumerate(lines):
        if not ln.repeated or ln.words > _MAX_WORDS or ln.sentence or ln.linky or ln.strong \
                or ln.weak or ln.meta or not ln.text[:1].isalpha():
            continue
        key = ln.text.casefold()
        if key not in first:
            first[key] = i
            continue
        f = first[key]
        if sum(1 for x in lines if x.text.casefold() == key) != 2 or not _headed(lines, f) \
                or not _headed(lines, i):
            continue
        if sum(x.words for x in lines[f + 1:i] if x.prose) >= _MIN_PROSE:
            lines[i - 1].boundary = ln.boundary = True
