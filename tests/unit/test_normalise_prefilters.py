"""The cheap tests that stand before a regex (issue 16's normaliser work) never change what
the regex alone would say: each is checked against the regex over every line of the
labelled fixtures, and over lines with dates spliced in.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from worker.normalise.cues import BIO_RE, BIO_VERBS, DATE_LINE_RE
from worker.normalise.date_cues import date_line
from worker.normalise.line_cues import is_furniture

pytestmark = pytest.mark.timeout(120, method="thread")

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


@pytest.fixture(scope="module")
def fixture_lines() -> list[str]:
    lines: list[str] = []
    for f in sorted(FIXTURES.rglob("*")):
        if f.is_file() and f.suffix in (".txt", ".html", ".xml", ".md"):
            lines += f.read_text("utf-8", errors="replace").splitlines()
    return lines


def test_date_line_says_what_the_regex_says(fixture_lines: list[str]) -> None:
    # Given the fixtures' lines and the same lines with a month and day spliced in anywhere,
    # after every kind of blank
    rng = random.Random(16)
    lines = list(fixture_lines)
    for _ in range(5000):
        words = rng.choice(fixture_lines).split() or ["x"]
        at = rng.randrange(len(words) + 1)
        words[at:at] = [rng.choice(["May", "Sept.", "janvier", "Dez.", "يناير"]),
                        rng.choice(["", " ", "\u00a0", "  \t"]) + str(rng.randrange(40))]
        lines.append(rng.choice([" ", "  ", "\u3000"]).join(words))
    # Then the prefiltered search finds a date line exactly where the whole search does
    found = [date_line(ln) for ln in lines]
    assert found == [DATE_LINE_RE.search(ln) is not None for ln in lines]
    assert sum(found) > 1000  # (the check saw real date lines, not only misses)


@pytest.mark.parametrize("line", [
    "Marktforschungsunternehmensberaterinnen 12 sagen ...",  # "mar" + 36 more letters
    "Published Sept.\u00a0 5, 2024", "(Decemberish 7)", "éMay 5", "ſeptember 3"])
def test_date_line_on_long_month_words_and_odd_letters(line: str) -> None:
    assert date_line(line) == (DATE_LINE_RE.search(line) is not None)


def test_every_bio_line_has_a_bio_verb_among_its_first_words(fixture_lines: list[str]) -> None:
    bios = [b for ln in fixture_lines if BIO_RE.match(b := ln.strip().strip("_*"))]
    assert bios  # the fixtures hold author bios
    assert all(not BIO_VERBS.isdisjoint(b.split(None, 5)[1:5]) for b in bios)


@pytest.mark.parametrize(("line", "furniture"), [
    ("The post Ten ways to cook rice appeared first on Rice Blog.", True),
    ("Continue reading…", True),
    ("The council continued reading the report aloud before the vote on Tuesday night.", False),
])
def test_feed_tail_lines_are_still_furniture(line: str, furniture: bool) -> None:
    assert is_furniture(line) is furniture
