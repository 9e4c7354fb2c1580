"""Normaliser behaviour: the seed, encodings, fields, inputs of each kind, and bad inputs."""

from __future__ import annotations

import json
import os
import random
from datetime import UTC, datetime

import pytest

from tests.conftest import ROOT
from worker.errors import (
    BinaryInput,
    EmptyInput,
    NotAnArticle,
    RejectedInput,
    TooLarge,
    UndecodableInput,
)
from worker.events.models import Source, content_hash
from worker.normalise.article import (
    NORMALISER_VERSION,
    normalise,
    normalise_html,
    normalise_text,
)
from worker.normalise.dates import parse_date, parse_date_hint
from worker.normalise.decode import decode_bytes
from worker.normalise.html import html_to_paragraphs
from worker.normalise.meta import canonical_url, dateline_date, parse_byline, split_dateline

SEED = ROOT / "seeds" / "000_ac19e9e0453ebfbc.txt"
SRC = Source(kind="file", location="test.txt")
ARTICLE = """Harbour Times
Home
World
Business

Ferry operator adds winter sailings after record summer

By Jane Doe and John Roe
Published: 3 March 2024 14:05 GMT

OSLO (Reuters) - The ferry operator said on Sunday it would add four winter sailings a week \
between the two cities after carrying a record number of passengers over the summer.

“We have never seen demand like this,” the chief executive told reporters at the harbour.

Advertisement

The company said bookings for the coming months were already well ahead of last year and \
that it would hire around 60 extra crew members.

Share this article Facebook Twitter Email
© 2024 Harbour Times. All rights reserved.
"""


def norm(text: str, **kw: object) -> object:
    return normalise(text.encode(), source=SRC, **kw)  # type: ignore[arg-type]


# --- the seed ------------------------------------------------------------------------------

def test_seed_article() -> None:
    art = normalise(SEED.read_bytes(), source=Source(kind="file", location=str(SEED)))
    assert art.title == "China's Xi says willing to put South Korea ties back on track"
    assert art.dateline == "BEIJING"
    assert art.body[0].startswith("Chinese President Xi Jinping told a visiting South Korean envoy")
    text = "\n".join(art.body)
    for junk in ("You are here", "Xi Jinping.jpg", "Market voices on:"):
        assert junk not in text
    assert art.images[0].src == "Xi Jinping.jpg"
    assert art.images[0].caption is not None
    assert art.images[0].caption.startswith("Mr Xi Jinping told Lee Hae Chan")
    assert art.lede == art.body[0]
    assert art.language == "en"
    assert art.word_count == sum(len(p.split()) for p in art.body)
    assert art.content_hash == content_hash(art.title, art.body)
    assert art.normaliser_version == NORMALISER_VERSION
    assert len(art.body) == 13


def test_plain_text_fields() -> None:
    art = norm(ARTICLE)
    assert art.title == "Ferry operator adds winter sailings after record summer"  # type: ignore[attr-defined]
    assert art.dateline == "OSLO"  # type: ignore[attr-defined]
    assert art.authors == ("Jane Doe", "John Roe")  # type: ignore[attr-defined]
    assert art.published_at == datetime(2024, 3, 3, 14, 5, tzinfo=UTC)  # type: ignore[attr-defined]
    body = "\n".join(art.body)  # type: ignore[attr-defined]
    assert body.startswith("The ferry operator said on Sunday")
    assert "“We have never seen demand like this,” the chief executive" in body
    for junk in ("Advertisement", "Share this article", "©", "Home"):
        assert junk not in body


def test_deterministic() -> None:
    raw = SEED.read_bytes()
    a = normalise(raw, source=SRC)
    b = normalise(raw, source=SRC)
    assert a == b


# --- encodings -----------------------------------------------------------------------------

@pytest.mark.parametrize("encoding", ["cp1252", "latin-1", "utf-8-sig", "utf-16", "utf-16-le",
                                      "utf-16-be", "utf-32"])
def test_encodings(encoding: str) -> None:
    text = "Café crème in Zürich: naïve façade, déjà vu. " * 5
    if encoding == "cp1252":
        text += "“Quoted” – dash € "
    assert decode_bytes(text.encode(encoding)).strip() == text.strip()


def test_mojibake_repaired_and_controls_removed() -> None:
    assert decode_bytes("The cafÃ© was â€œopenâ€\x9d.".encode()) == "The café was “open”."
    line = b"A line of scraped text with a stray NUL\x00 and a bell\x07 in it.\r\n"
    clean = "A line of scraped text with a stray NUL and a bell in it.\n"
    assert decode_bytes(line * 3) == clean * 3
    decomposed = "Cafe\u0301"
    assert decode_bytes(decomposed.encode()) == "Café"
    assert decode_bytes("\ufeffzero\u200bwidth".encode()) == "zerowidth"


def test_encoded_article_end_to_end() -> None:
    raw = ARTICLE.replace("Ferry", "Fährschiff").encode("utf-16")
    art = normalise(raw, source=SRC)
    assert art.title.startswith("Fährschiff operator")


# --- fields --------------------------------------------------------------------------------

@pytest.mark.parametrize(("para", "city", "rest"), [
    ("[BEIJING] Chinese President", "BEIJING", "Chinese President"),
    ("BEIJING (Reuters) - China said", "BEIJING", "China said"),
    ("WASHINGTON — The Senate voted", "WASHINGTON", "The Senate voted"),
    ("LONDON, March 3 (Reuters) - Britain", "LONDON", "Britain"),
    ("SPRINGFIELD, Ill. — A judge", "SPRINGFIELD", "A judge"),
    ("NEW YORK -- Stocks fell", "NEW YORK", "Stocks fell"),
    ("The U.S. — and China", None, "The U.S. — and China"),
    ("DENVER (April 9, 2024) — The plant", "DENVER", "The plant"),
    ("新华社北京1月11日电（记者王静）中国汽车工业协会11日发布", "北京", "中国汽车工业协会11日发布"),
])
def test_datelines(para: str, city: str | None, rest: str) -> None:
    assert split_dateline(para) == (city, rest)


@pytest.mark.parametrize(("line", "names"), [
    ("By Jane Doe and John Roe", ["Jane Doe", "John Roe"]),
    ("By Jane Doe, Reuters", ["Jane Doe"]),
    ("By Jane Doe | March 3, 2024", ["Jane Doe"]),
    ("By Reuters Staff", []),
])
def test_bylines(line: str, names: list[str]) -> None:
    assert parse_byline(line) == names


@pytest.mark.timeout(30, method="thread")
@pytest.mark.parametrize("raw", [
    b"<p> By Jane Doe <p> By Jane Doe <p>",
    b"\n\n \n\n By Jane Doe Share \n\n By Jane Doe on \n\n",
])
def test_repeated_bylines_terminate(raw: bytes) -> None:
    """Regression: a second byline paragraph once looped forever (found by hypothesis in CI)."""
    # Given a page of nothing but bylines, When it is normalised, Then it is rejected, not hung.
    for kind in (None, "html", "text"):
        with pytest.raises(RejectedInput):
            normalise(raw, source=Source(kind="file", location="bylines"), kind=kind)


NOW = datetime(2024, 6, 1, tzinfo=UTC)


@pytest.mark.parametrize(("value", "expected"), [
    ("Published: 3 March 2024 14:05 GMT", datetime(2024, 3, 3, 14, 5, tzinfo=UTC)),
    ("Updated Mar 3, 2024 9:05 a.m. ET", datetime(2024, 3, 3, 14, 5, tzinfo=UTC)),
    ("Updated Jul 3, 2023 9:05 a.m. ET", datetime(2023, 7, 3, 13, 5, tzinfo=UTC)),
    ("2024-03-03T14:05:00+01:00", datetime(2024, 3, 3, 13, 5, tzinfo=UTC)),
    ("2024-03-03", datetime(2024, 3, 3, tzinfo=UTC)),
    ("Sun, 03 Mar 2024 14:05:00 +0000", datetime(2024, 3, 3, 14, 5, tzinfo=UTC)),
    ("March 3, 2024 9:05 PM PST", datetime(2024, 3, 4, 5, 5, tzinfo=UTC)),
    ("3 March 2024 10:00 JST", datetime(2024, 3, 3, 1, 0, tzinfo=UTC)),
    ("3 March 2024 10:00 CET", datetime(2024, 3, 3, 9, 0, tzinfo=UTC)),
    ("3 May 2024 10:00 BST", datetime(2024, 5, 3, 9, 0, tzinfo=UTC)),
    # "GMT+8" is UTC+8 on news pages (dateutil alone reads it POSIX-style, as UTC-8)
    ("May 3, 2024 4:27 PM GMT+8", datetime(2024, 5, 3, 8, 27, tzinfo=UTC)),
    ("Fri, 03 May 2024 16:27:00 GMT+8", datetime(2024, 5, 3, 8, 27, tzinfo=UTC)),
    ("Madrid - 16 abr 2024 - 13:20 CEST", datetime(2024, 4, 16, 11, 20, tzinfo=UTC)),
    ("THE GAZETTE      Thursday, 7 March 2024      Page 3", datetime(2024, 3, 7, tzinfo=UTC)),
    ("June 4, 1931 - March 2, 2024 and more words", None),  # a life span, not one date
    ("garbage", None), ("", None), ("2024", None), ("99999999999999999999", None),
])
def test_parse_date(value: str, expected: datetime | None) -> None:
    assert parse_date(value, now=NOW) == expected


def test_date_hints_keep_page_calendar() -> None:
    # Y-M-D is never day-first, and the page's own offset keeps the date it printed.
    assert parse_date_hint("2024-01-11 16:42:08 来源：新华网", dayfirst=True) == \
        datetime(2024, 1, 11, 16, 42, 8, tzinfo=UTC)
    evening = parse_date_hint("2024-05-14T21:15:00-07:00", keep_offset=True, now=NOW)
    assert evening is not None and evening.date().isoformat() == "2024-05-14"
    assert evening == datetime(2024, 5, 15, 4, 15, tzinfo=UTC)  # same instant
    assert dateline_date("DENVER (April 9, 2024) — The plant") == datetime(2024, 4, 9, tzinfo=UTC)


def test_far_future_date_dropped(caplog: pytest.LogCaptureFixture) -> None:
    assert parse_date("2031-01-01T00:00:00Z", now=NOW) is None
    assert "future" in caplog.text
    assert parse_date("2024-06-02T12:00:00Z", now=NOW) is not None  # within the slack


@pytest.mark.parametrize(("url", "expected"), [
    ("HTTPS://Example.COM:443/a/B?utm_source=x&id=3&fbclid=9&b=2#frag",
     "https://example.com/a/B?b=2&id=3"),
    ("http://News.example:80/path?gclid=1&mc_cid=2&mc_eid=3", "http://news.example/path"),
    ("http://x.example:8080/p?q=1&utm_medium=rss", "http://x.example:8080/p?q=1"),
    # query order does not make another article (courlan sorts the parameters)
    ("https://x.example/p?b=2&a=1", "https://x.example/p?a=1&b=2"),
    # IDNA and Unicode spellings of one host are one host (UTS 46, given in Unicode)
    ("https://xn--bcher-kva.example/a", "https://bücher.example/a"),
    ("https://BÜCHER.example/a", "https://bücher.example/a"),
    ("https://ＢÜcher.example./a", "https://bücher.example/a"),  # full-width, trailing dot
    # trackers courlan knows and ours
    ("https://x.example/p?ref_src=tw&s=1&wickedid=2", "https://x.example/p?s=1"),
    ("https://x.example/p?id=7&mkt_tok=a&xtor=RSS-1", "https://x.example/p?id=7"),
    # the path percent-encoded one way
    ("https://x.example/a b/ü", "https://x.example/a%20b/%C3%BC"),
    ("http://[::1]:8080/x?a=1", "http://[::1]:8080/x?a=1"),
])
def test_canonical_url(url: str, expected: str) -> None:
    assert canonical_url(url) == expected
    assert canonical_url(expected) == expected  # a canonical URL is its own canonical form


# --- JSON and HTML -------------------------------------------------------------------------

def test_json_export() -> None:
    doc = {"title": "Council approves budget", "maintext": (
        "MADRID (Reuters) - The city council approved a budget on Tuesday that raises spending "
        "on schools and public transport.\nThe vote was 30 to 21 after a long debate."),
        "url": "https://News.example/a?utm_source=x", "date_publish": "2024-03-05 08:15:00",
        "authors": ["Ana Ruiz"], "language": "en", "source_domain": "news.example"}
    art = normalise(json.dumps(doc).encode(), source=Source(kind="file", location="a.json"))
    assert art.title == "Council approves budget"
    assert art.dateline == "MADRID"
    assert art.body[0].startswith("The city council approved")
    assert art.url == "https://news.example/a"
    assert art.published_at == datetime(2024, 3, 5, 8, 15, tzinfo=UTC)
    assert art.authors == ("Ana Ruiz",)
    assert art.site_name == "news.example"


HTML = """<!doctype html><html lang="en-GB"><head>
<title>Ferry sailings added | Harbour Times</title>
<meta property="og:site_name" content="Harbour Times">
<meta property="article:published_time" content="2024-03-03T14:05:00+01:00">
<meta name="keywords" content="ferries, travel"><link rel="canonical" href="https://harbour.example/f?utm_source=a">
<script>var junk = 1;</script></head><body><nav><a>Home</a><a>World</a></nav>
<article><h1>Ferry sailings added</h1><p>By Jane Doe</p>
<p>OSLO (Reuters) - The ferry operator said on Sunday it would add four winter sailings a week
between the two cities after carrying a record number of passengers over the summer.</p>
<p>The company said bookings for the coming months were already well ahead of last year.</p>
</article><footer>© 2024 Harbour Times. All rights reserved.</footer></body></html>"""


def test_html_page() -> None:
    art = normalise(HTML.encode(), source=Source(kind="file", location="page.html"))
    assert art.title == "Ferry sailings added"
    assert art.dateline == "OSLO"
    assert art.body[0].startswith("The ferry operator said on Sunday")
    assert art.published_at == datetime(2024, 3, 3, 13, 5, tzinfo=UTC)
    assert art.url == "https://harbour.example/f"
    assert art.language == "en"
    assert art.tags == ("ferries", "travel")
    assert art.site_name == "Harbour Times"
    assert "All rights reserved" not in art.text
    assert normalise_html(HTML, source=SRC).body == art.body


def test_html_sniffed_without_extension() -> None:
    art = normalise(HTML.encode(), source=Source(kind="url", location="https://x.example/p"))
    assert art.title == "Ferry sailings added"


def test_html_to_paragraphs() -> None:
    frag = ("<p>First paragraph of the entry.</p><p>Second <b>bold</b> one.</p>"
            "<figure><img src='a.jpg'><figcaption>Caption</figcaption></figure>"
            "<p>The post <a>X</a> appeared first on Example.</p><script>x()</script>")
    assert html_to_paragraphs(frag) == ["First paragraph of the entry.", "Second bold one."]


def test_normalise_text_api() -> None:
    art = normalise_text(ARTICLE, source=Source(kind="text", location="api"))
    assert art.dateline == "OSLO"


# --- bad inputs ----------------------------------------------------------------------------

def _reject(raw: bytes, exc: type[RejectedInput], **kw: object) -> str:
    with pytest.raises(exc) as info:
        normalise(raw, source=SRC, **kw)  # type: ignore[arg-type]
    assert info.value.reason and len(info.value.reason) < 120
    return info.value.reason


def test_bad_inputs() -> None:
    assert "empty" in _reject(b"", EmptyInput)
    assert "whitespace" in _reject(b"  \n\t \r\n", EmptyInput)
    rng = random.Random(7)
    png = b"\x89PNG\r\n\x1a\n" + bytes(rng.randrange(256) for _ in range(2000))
    assert "PNG" in _reject(png, BinaryInput)
    assert "binary" in _reject(os.urandom(0) + bytes(rng.randrange(256) for _ in range(4000)),
                               RejectedInput)
    _reject(b"caf\xe9 \x81\x8d\x8f\x90\x9d\x81\x8d\xfe\xa0\x90", UndecodableInput)
    assert "limit" in _reject(b"x" * 2000, TooLarge, max_bytes=1000)
    deep = "<html><body>" + "<div>" * 10_000 + "text" + "</div>" * 10_000 + "</body></html>"
    assert "nested" in _reject(deep.encode(), NotAnArticle, kind="html")
    nav = "Home\nWorld\nBusiness\nSport\nSubscribe\nSign in\n© 2024 Example News\n"
    assert "no article text" in _reject(nav.encode(), NotAnArticle)
    _reject(b'{"title": 3', NotAnArticle, kind="json")
    _reject(b'{"foo": "bar"}', NotAnArticle, kind="json")
    _reject(b"<html><body><nav><a>Home</a></nav></body></html>", NotAnArticle, kind="html")
