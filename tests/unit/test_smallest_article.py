"""The smallest article, as README.md and docs/monitoring.md state it (issue 21: the monitoring
guide's example failed with "no article text found" and the minimum was documented nowhere):
a title line and a paragraph of at least 8 words; short lines alone are furniture."""

from __future__ import annotations

import ast
import re

import pytest

from tests.conftest import ROOT
from worker.errors import NotAnArticle
from worker.events.models import Source
from worker.normalise.article import normalise

SOURCE = Source(kind="text", location="smallest")
SHORT = ["The harbour reopened on Monday morning again.", "Ships came in after the long storm.",
         "Crews cleared the old wreck by noon.", "Fishermen said trade would recover soon."]


def monitoring_example_text() -> str:
    """The text the Python client example in docs/monitoring.md submits."""
    doc = (ROOT / "docs" / "monitoring.md").read_text()
    [block] = re.findall(r"```python\n(.*?)```", doc, re.DOTALL)
    for node in ast.walk(ast.parse(block)):
        if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "submit_text":
            arg = node.args[0]
            assert isinstance(arg, ast.Constant) and isinstance(arg.value, str)
            return arg.value
    raise AssertionError("no client.submit_text(...) in docs/monitoring.md")


def test_the_documented_example_is_an_article() -> None:
    art = normalise(monitoring_example_text().encode(), source=SOURCE)
    assert art.title == "Harbour reopens" and len(art.body) == 1


def test_a_paragraph_of_eight_words_is_enough() -> None:
    art = normalise(b"Harbour reopens\n\nThe city harbour reopened on Monday after a storm.",
                    source=SOURCE)
    assert art.body == ("The city harbour reopened on Monday after a storm.",)


@pytest.mark.parametrize("body", [
    "The harbour reopened on Monday after storms.",  # 7 words
    "\n\n".join(SHORT),  # 27 words, every line under 8
], ids=["seven-words", "short-lines-only"])
def test_less_is_not_an_article(body: str) -> None:
    with pytest.raises(NotAnArticle, match="no article text found"):
        normalise(f"Harbour reopens\n\n{body}".encode(), source=SOURCE)
