"""jusText's context pass in linear time, for trafilatura's last-resort extractor.

jusText 3 finds each short paragraph's nearest good or bad neighbour by walking the list,
so a run of k short blocks (a long link list or menu) costs k^2 steps: a page with 8,000
list items over a short story took 11 s, 20,000 over a minute. ``revise`` computes the same
classes with one pass each way; ``install`` swaps it in for trafilatura.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

log = logging.getLogger(__name__)

_GOOD_OR_BAD = frozenset({"good", "bad"})
_WITH_NEARGOOD = frozenset({"good", "bad", "neargood"})


def _nearest(classes: Sequence[str], accept: frozenset[str], *, before: bool) -> list[str]:
    """For each paragraph, the class of the closest one before (or after) it whose class is
    in ``accept``; "bad" past the edge (jusText's ``_get_neighbour``)."""
    out = ["bad"] * len(classes)
    last = "bad"
    order = range(len(classes)) if before else range(len(classes) - 1, -1, -1)
    for i in order:
        out[i] = last
        if classes[i] in accept:
            last = classes[i]
    return out


def _good_headings(paragraphs: Sequence[Any], classes: Sequence[str], lens: Sequence[int],
                   max_distance: int, *, cf: str, new: str) -> None:
    """A heading of class ``cf`` gets class ``new`` when a paragraph of ``classes`` "good"
    starts within ``max_distance`` chars below it (the walk jusText does from each one)."""
    starts = [0] * (len(lens) + 1)  # starts[j] = chars before paragraph j
    for j, n in enumerate(lens):
        starts[j + 1] = starts[j] + n
    next_good = len(classes)
    for i in range(len(paragraphs) - 1, -1, -1):
        para = paragraphs[i]
        if para.heading and para.class_type == cf and (cf == "short" or para.cf_class != "bad") \
                and next_good < len(classes) \
                and starts[next_good] - starts[i + 1] <= max_distance:
            para.class_type = new
        if classes[i] == "good":
            next_good = i


def revise(paragraphs: Sequence[Any], max_heading_distance: int = 200) -> None:
    """Same result as ``justext.core.revise_paragraph_classification``, in O(n)."""
    lens = [len(p.text) for p in paragraphs]
    # jusText copies each class as it goes, so a heading looks ahead at the classes the
    # paragraphs below it had before this pass
    before = [p.class_type for p in paragraphs]
    for para in paragraphs:
        para.class_type = para.cf_class
    _good_headings(paragraphs, before, lens, max_heading_distance, cf="short", new="neargood")

    # short paragraphs take their class from their neighbours (all read before any changes)
    classes = [p.class_type for p in paragraphs]
    prev, nxt = (_nearest(classes, _GOOD_OR_BAD, before=b) for b in (True, False))
    prev_ng, nxt_ng = (_nearest(classes, _WITH_NEARGOOD, before=b) for b in (True, False))
    new_classes: dict[int, str] = {}
    for i, c in enumerate(classes):
        if c != "short":
            continue
        if prev[i] == "good" and nxt[i] == "good":
            new_classes[i] = "good"
        elif prev[i] == "bad" and nxt[i] == "bad":
            new_classes[i] = "bad"
        elif (prev[i] == "bad" and prev_ng[i] == "neargood") or \
                (nxt[i] == "bad" and nxt_ng[i] == "neargood"):
            new_classes[i] = "good"
        else:
            new_classes[i] = "bad"
    for i, c in new_classes.items():
        paragraphs[i].class_type = c

    # near-good paragraphs: revised in order, so an earlier one's new class counts for the
    # next (jusText changes them in place); the ones after are not revised yet
    classes = [p.class_type for p in paragraphs]
    nxt = _nearest(classes, _GOOD_OR_BAD, before=False)
    last = "bad"
    for i, para in enumerate(paragraphs):
        if para.class_type == "neargood":
            para.class_type = "bad" if (last, nxt[i]) == ("bad", "bad") else "good"
        if para.class_type in _GOOD_OR_BAD:
            last = para.class_type

    # a heading turned good looks ahead only, so the classes below it are this pass's input
    classes = [p.class_type for p in paragraphs]
    _good_headings(paragraphs, classes, lens, max_heading_distance, cf="bad", new="good")


def install() -> None:
    """Point trafilatura at ``revise`` (only while it still uses jusText's own function)."""
    try:
        import justext.core  # type: ignore[import-untyped]
        import trafilatura.external as external
    except ImportError:  # pragma: no cover - both come with trafilatura
        return
    if getattr(external, "revise_paragraph_classification", None) is \
            justext.core.revise_paragraph_classification:
        external.revise_paragraph_classification = revise
