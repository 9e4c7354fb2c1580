"""Pathological inputs: each either normalises or is refused with a reason, and quickly.

Several once hung the normaliser or took minutes (a regex retried from every character of a
long blank run, lines re-joined by copying a growing paragraph, pull quotes compared pairwise,
jusText walking runs of short blocks); those inputs are sized so that the quadratic code took
well over this module's timeout, which is what turns a regression into a failure here: no test
asserts a wall-clock time. The rest are the usual suspects (deep nesting, huge keys, scripts).
"""

from __future__ import annotations

import copy
import json
import random
from collections.abc import Callable
from typing import Any

import pytest

from worker.errors import NotAnArticle, RejectedInput
from worker.events.models import Article, Source
from worker.intake import articles_from_bytes
from worker.normalise import justext_patch as justextfast
from worker.normalise.article import normalise, normalise_html, normalise_text
from worker.normalise.html import FULL_ELEMENTS, MAX_ELEMENTS
from worker.settings import Settings

pytestmark = pytest.mark.timeout(120, method="thread")

SENT = "The council met on Tuesday to discuss the new budget for the coming year and more. "
STORY = SENT * 4
KB = 1024


def _rep(unit: str, size: int) -> str:
    return unit * (size // len(unit) + 1)


def _json(obj: object) -> bytes:
    return json.dumps(obj).encode()


# name -> (bytes, kind passed to normalise)
CASES: dict[str, tuple[bytes, str | None]] = {
    # plain text
    "one giant line": (_rep(SENT, 1024 * KB).encode(), None),
    "100k short lines": (("Line\n" * 100_000).encode(), None),
    "100k blank lines": (("Title of the story\n" + "\n" * 100_000 + STORY).encode(), None),
    "repeated bylines": (_rep("By Jane Doe\n\n" + SENT + "\n\n", 512 * KB).encode(), None),
    "repeated date lines": (_rep("Published 3 March 2024 | Updated 4 March 2024\n", 256 * KB)
                            .encode(), None),
    "repeated read more": (_rep("Read more:\n" + SENT + "\n", 512 * KB).encode(), None),
    "1 MB of one character": (b"a" * (1024 * KB), None),
    "1 MB of one-letter lines": (b"a\n" * (512 * KB), None),
    "1 MB of dots": (b"." * (1024 * KB), None),
    "punctuation runs": (("." * 200_000 + "\n" + "-" * 200_000 + "\n" + STORY).encode(), None),
    "combining marks": (("a" + "\u0301" * 300_000 + "\n\n" + STORY).encode(), None),
    "mixed RTL": (_rep("שלום abc مرحبا \u202e123\u202c. ", 512 * KB).encode(), None),
    "lines of a few huge words": (("\n\n".join(["LONDON, A" + "a." * 150_000 + " - more said"]
                                                  * 3)).encode(), None),
    "200 KB lines": (("\n".join([SENT * 2400] * 5)).encode(), None),
    # hard-wrapped paragraphs: each join once copied the whole growing paragraph
    "one wrapped paragraph of 1 MB": (_rep("a " * 20 + "says:\n", 1024 * KB).encode(), None),
    "wrapped prose": ("".join(f"The council met {i} on Tuesday to discuss the new budget for\n"
                              "the coming year and the members argued over roads and\n"
                              for i in range(9000)).encode(), None),
    # pull quotes were looked for across every pair of paragraphs
    "10k distinct paragraphs": ("".join(f"Para {i}: {SENT}\n\n" for i in range(10_000))
                                .encode(), None),
    # long blank runs inside a line: regexes once retried from every blank
    "blank run in a first line": (("A" * 20 + " " * 150_000 + "x\n\n" + STORY).encode(), None),
    "blank run in a comment handle line": (("ab" + " " * 100_000 + "ago\n\n" + STORY).encode(),
                                           None),
    "blank runs in many lines": (_rep("a" + " " * 1000 + "b\n", 512 * KB).encode(), None),
    "unclosed markdown links": (_rep("](", 300 * KB).encode(), None),
    "long word then a line-break hyphen": (("a" * 200_000 + " x-\nyz\n\n" + STORY).encode(),
                                           None),
    # HTML
    "10k nested divs": (("<html><body>" + "<div>" * 10_000 + STORY + "</div>" * 10_000)
                        .encode(), "html"),
    "many <p> never closed": (("<html><body>" + "<p>" * 100_000 + STORY).encode(), "html"),
    "many script and style blocks": (("<html><body>" + _rep(
        "<script>var a=1;</script><style>p{}</style>", 1024 * KB) + f"<p>{STORY}</p>")
                                     .encode(), "html"),
    "1 MB inside one script": (("<html><body><script>" + "a" * (1024 * KB) + "</script><p>"
                                + STORY + "</p>").encode(), "html"),
    "tags never closed by >": (("<html><body>" + "<a" * 300_000).encode(), "html"),
    "only end tags": (b"</script></script>", "html"),
    "giant attribute": (('<html><body><p class="' + "a" * (1024 * KB) + '">' + STORY)
                        .encode(), "html"),
    "deep JSON-LD": (('<html><head><script type="application/ld+json">' + "[" * 100_000
                      + "]" * 100_000 + f"</script></head><body><p>{STORY}</p>").encode(),
                     "html"),
    # JSON
    "JSON with 100k keys": (_json({f"k{i}": i for i in range(100_000)}
                                  | {"title": "T", "text": STORY}), "json"),
    "deeply nested JSON list": (("[" * 100_000 + "]" * 100_000).encode(), "json"),
    "deeply nested JSON body": (('{"title":"T","text":' + '{"value":' * 900 + '"x"'
                                 + "}" * 900 + "}").encode(), "json"),
    "JSON body of 256 KB of bylines": (_json({"title": "T", "text": _rep("By Jane Doe\n", 256 * KB)
                                            + STORY}), "json"),
    # a whole page in a JSON body whose <body> an open <script> swallowed: lxml asserted
    "JSON body page without a body": (_json({"title": "T", "articleBody":
                                             "<html><head><script></head><body><p>"
                                             + STORY + "</p></body></html>"}), "json"),
    "JSON body of 300k short lines": (_json({"title": "T", "text": "".join(
        f"{i % 10}\n" for i in range(300_000))}), "json"),
    "JSON body list of 200k strings": (_json({"title": "T", "text": [
        [str(i % 10) for i in range(1000)] for _ in range(200)]}), "json"),
    "JSON giant author": (_json({"title": "T", "text": STORY,
                                 "author": "By " + _rep("Jane Doe and ", 512 * KB)}), "json"),
}


def _check(fn: Callable[[], Article | list[Article]]) -> None:
    try:
        fn()
    except RejectedInput as exc:
        assert exc.reason
        # the catch-all for an internal error is not a reason the input deserves
        assert "could not extract an article (" not in exc.reason


@pytest.mark.parametrize("name", list(CASES))
def test_pathological_input(name: str) -> None:
    raw, kind = CASES[name]
    loc = "x.txt" if kind is None else f"x.{kind}"
    _check(lambda: normalise(raw, source=Source(kind="file", location=loc), kind=kind))


@pytest.mark.parametrize("name", ["one wrapped paragraph of 1 MB", "blank run in a first line",
                                  "blank run in a comment handle line", "10k distinct paragraphs",
                                  "unclosed markdown links"])
def test_pathological_text_api(name: str) -> None:
    text = CASES[name][0].decode()
    _check(lambda: normalise_text(text, source=Source(kind="text", location="api")))


@pytest.mark.parametrize("name", ["tags never closed by >", "only end tags"])
def test_pathological_html_api(name: str) -> None:
    raw = CASES[name][0]
    _check(lambda: normalise_html(raw, source=Source(kind="text", location="api")))
    _check(lambda: normalise_html(raw.decode(), source=Source(kind="text", location="api")))


@pytest.mark.parametrize("name", ["one giant line", "tags never closed by >",
                                  "JSON with 100k keys"])
def test_pathological_file_bytes(name: str) -> None:
    raw = CASES[name][0]
    _check(lambda: articles_from_bytes(raw, Source(kind="file", location="x"), Settings()))


@pytest.mark.parametrize("items", [1000, FULL_ELEMENTS // 2 + 1000, MAX_ELEMENTS])
def test_big_page_still_yields_its_story(items: int) -> None:
    """Full trafilatura, trafilatura without fallbacks past FULL_ELEMENTS, and past
    MAX_ELEMENTS the line classifier alone: each finds the story under a huge menu."""
    menu = "".join(f"<li><a href='/s{i}'>Section</a></li>" for i in range(items))
    story = "".join(f"<p>{SENT}Paragraph {i} says more about the vote.</p>" for i in range(6))
    page = (f"<html><head><title>Budget vote</title></head><body><ul>{menu}</ul>"
            f"<article><h1>Council passes the budget after a long night</h1>{story}</article>"
            "</body></html>")
    art = normalise(page.encode(), source=Source(kind="file", location="x.html"))
    assert art.title == "Council passes the budget after a long night"
    assert any("Paragraph 3" in p for p in art.body)
    assert not any("Section" in p for p in art.body)


def test_lowercase_symbol_before_a_line_break_hyphen() -> None:
    """"ⓐ" is lower case but not a letter: dehyphenating after it once raised IndexError."""
    text = ("1" * 31 + "ⓐ-\nabc def ghi jkl\n\n" + STORY + "\nfoo-\nbar\n")
    art = normalise(text.encode(), source=Source(kind="file", location="x.txt"))
    assert art.body


def test_only_end_tags_is_refused_as_unparseable() -> None:
    with pytest.raises(NotAnArticle, match="could not be parsed"):
        normalise(b"</script></script>", source=Source(kind="file", location="x.html"))


def test_long_run_of_short_blocks_over_a_short_story() -> None:
    """trafilatura's jusText fallback walked the whole run of short blocks for each one."""
    items = "".join(f"<li>Item {i}</li>" for i in range(3000))
    page = f"<html><body><ul>{items}</ul><p>{STORY}</p></body></html>"
    _check(lambda: normalise(page.encode(), source=Source(kind="file", location="x.html")))
    import trafilatura.external

    assert trafilatura.external.revise_paragraph_classification is justextfast.revise


class _Para:
    def __init__(self, rng: random.Random) -> None:
        self.heading = rng.random() < 0.3
        self.cf_class = rng.choice(["short", "short", "neargood", "good", "bad"])
        self.class_type = rng.choice(["", "", "good", "bad", "short"])
        self.text = "x" * rng.choice([0, 5, 50, 150, 250])


def test_linear_justext_revision_matches_justext() -> None:
    from justext.core import revise_paragraph_classification

    rng = random.Random(5)
    for _ in range(1000):
        paras: list[Any] = [_Para(rng) for _ in range(rng.randint(0, 12))]
        distance = rng.choice([0, 50, 200])
        ours, theirs = copy.deepcopy(paras), copy.deepcopy(paras)
        justextfast.revise(ours, distance)
        revise_paragraph_classification(theirs, distance)
        assert [p.class_type for p in ours] == [p.class_type for p in theirs]
