"""trafilatura reads the page without its <nav>, <footer> and <aside> (html_parse.chrome_out):
the text around them stays in place, the tree is put back exactly, and on the labelled pages
the text trafilatura returns is the same as with them. Without metadata to extract, the
<head> goes too, but its JSON-LD."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import lxml.html  # type: ignore[import-untyped]
import pytest

from worker.normalise.html_layout import prepare_tree
from worker.normalise.html_parse import (
    chrome_out,
    extractor_options,
    parse_page,
    trafilatura_module,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "articles"
PAGE = ("<html><body><div>lead<nav>menu<footer>inner</footer></nav>after one"
        "<nav>second</nav>after two<p>story</p><footer>rights</footer>end</div>"
        "<article><footer>by line</footer>closing<aside>related</aside></article></body></html>")


@contextlib.contextmanager
def hidden(root: Any, head: bool = False) -> Iterator[None]:
    """``chrome_out`` over ``root``, checking the tree comes back byte for byte."""
    before = lxml.html.tostring(root)
    with chrome_out(root, head=head):
        yield
    assert lxml.html.tostring(root) == before



def test_chrome_leaves_and_comes_back_exactly() -> None:
    root = lxml.html.document_fromstring(PAGE)
    with hidden(root):
        # Then no <nav> or <footer> is left, and every text outside them is, in order
        assert not list(root.iter("nav", "footer", "aside"))
        assert root.text_content() == "leadafter oneafter twostoryendclosing"


def test_chrome_comes_back_after_an_error() -> None:
    root = lxml.html.document_fromstring(PAGE)
    before = lxml.html.tostring(root)
    with pytest.raises(RuntimeError), chrome_out(root):  # (the error goes through it)
        raise RuntimeError("extraction failed")
    assert lxml.html.tostring(root) == before


def test_labelled_pages_give_trafilatura_the_same_text_and_come_back_whole() -> None:
    traf = trafilatura_module()
    pages = sorted(FIXTURES.glob("*.html"))
    assert len(pages) >= 200
    with_chrome = 0
    for path in pages:
        root = parse_page(path.read_text(encoding="utf-8", errors="replace"))
        prepare_tree(root)
        before = lxml.html.tostring(root)
        with_chrome += next(root.iter("nav", "footer", "aside"), None) is not None
        whole = traf.bare_extraction(root, options=extractor_options(None, False, False))
        with chrome_out(root):
            cut = traf.bare_extraction(root, options=extractor_options(None, False, False))
        assert getattr(cut, "text", None) == getattr(whole, "text", None), path.name
        assert lxml.html.tostring(root) == before, path.name
    assert with_chrome >= 50  # (the pages this is about are many among them)


def test_the_head_goes_but_its_json_ld() -> None:
    root = lxml.html.document_fromstring(
        "<html><head><title>T</title><meta name='a' content='b'><script>var x;</script>"
        "<script type='application/ld+json'>{\"articleBody\": \"x\"}</script></head>"
        "<body><p>story</p><footer>f</footer></body></html>")
    with hidden(root, head=True):
        assert [el.get("type") for el in root.find("head")] == ["application/ld+json"]
        assert root.find("body/footer") is None


def test_a_site_header_goes_a_story_header_stays() -> None:
    root = lxml.html.document_fromstring(
        "<html><body><header>Site<nav>menu</nav></header>one<main><header><p>dek</p></header>"
        "<p>story</p></main><header><h1>Headline</h1></header><article><header>by</header>"
        "</article></body></html>")
    with hidden(root):
        assert [" ".join(h.text_content().split()) for h in root.iter("header")] == [
            "dek", "Headline", "by"]
        assert root.find("body").text == "one"
