"""A "Key points" box over a plain-text story (``past_key_points``): its bullets or short
sentences sum the story up and are not its text. ``POINT_MARKS`` are the bullet marks that
open such points (and a related box's linked headlines, ``related_boxes.inline_boxes``)."""

from __future__ import annotations

import logging

from worker.normalise.cues import KEY_POINTS_RE
from worker.normalise.textparts import Line

log = logging.getLogger(__name__)

POINT_MARKS = frozenset(("- ", "* ", "• ", "· ", "▪ ", "– "))


def past_key_points(lines: list[Line], a: int, b: int) -> int:
    """A "Key points" / "L'essentiel" box of bullets over the story sums it up: not its text."""
    for h in (a - 1, a):
        if not 0 <= h < len(lines) or lines[h].words > 5 \
                or not KEY_POINTS_RE.match(lines[h].text):
            continue
        k = h + 1
        while k <= b and lines[k].text[:2] in POINT_MARKS:
            k += 1
        if k > h + 1 and k <= b and lines[k].prose:
            return k
        # unmarked points: short sentences (and a "What's next?" label) over a long lede
        k = h + 1
        while k <= b and k - h <= 8 and lines[k].words <= 20 and (
                lines[k].sentence or (lines[k].words <= 4 and lines[k].text.endswith(("?", ":")))):
            k += 1
        if k > h + 2 and k <= b and lines[k].prose and lines[k].words > 20:
            return k
        # ... closed by a link to the sources ("See the sources for this fact-check")
        if k > h + 2 and k < b and lines[k].words <= 8 and not lines[k].prose \
                and lines[k + 1].prose and lines[k + 1].words > 20:
            return k + 1
    return a
