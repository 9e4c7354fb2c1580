"""The normaliser's fast paths give exactly what the regexes they stand in for give."""

from __future__ import annotations

from pathlib import Path

from worker.normalise.cues import CREDIT_RE, credit_cue

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "articles"

_CREDITS = [
    "Photo: AP", "(AP Photo/Jane Doe)", "Getty Images", "A protest in Lima (Reuters)",
    "Smoke over the city via Getty Images)", "REUTERS/Bob Smith", "Credit: Jim Lee",
    "photo by Ann Roe", "the ap", "XINHUA]", "Bild: dpa", "Illustration: Kim Park",
    "Video: BBC", "Pictures by Sam", "Graphic: Staff", "FOTO: ANSA", "Kiev via AFP",
    "BEIJING (Reuters) - Shares rose on Thursday.", "Photo\nCredit: X",
]


def test_credit_cue_is_credit_re() -> None:
    lines = list(_CREDITS)
    for path in sorted(FIXTURES.iterdir()):
        lines += path.read_text(encoding="utf-8", errors="replace").split("\n")
    found = 0
    for line in lines:
        expected = bool(CREDIT_RE.search(line))
        assert credit_cue(line) is expected, line
        found += expected
    assert found > 50  # the lines hold credits: the test compares both answers
