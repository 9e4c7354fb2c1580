"""Feed parsing: fixtures, hostile XML, fuzz, the streaming path, the schedule file (no Redis;
polling is in tests/integration/test_feeds.py)."""

from __future__ import annotations

import contextlib
import random
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import FIXTURES, ROOT
from tests.feedserver import rss
from worker.errors import RejectedInput
from worker.events.models import Article, Source
from worker.feeds.parse import articles_from_feed_bytes, parse_feed
from worker.feeds.schedule import load_schedule
from worker.settings import load_settings

FIX = FIXTURES / "feeds"
SETTINGS = load_settings()


def parse(name: str, **kw: Any) -> list[Article]:
    return articles_from_feed_bytes((FIX / name).read_bytes(),
                                    source=Source(kind="feed", location=str(FIX / name)),
                                    settings=SETTINGS, **kw)


# --- parsing ------------------------------------------------------------------------------

def test_rss2_entry_fields() -> None:
    first, second, third = parse("rss2.xml")
    assert first.title == "Council approves new bridge"
    assert first.body == ("The city council voted on Tuesday to approve the new river bridge.",
                          "Construction starts next spring, officials said.")  # content wins
    assert first.url == "https://gazette.example.com/news/bridge?id=7"
    assert first.published_at is not None and first.published_at.isoformat() == \
        "2021-09-07T07:30:00+00:00"
    assert first.authors == ("Jane Reporter",) and first.tags == ("Local", "Transport")
    assert [i.src for i in first.images] == ["https://gazette.example.com/img/bridge.jpg"]
    assert (first.site_name, first.language) == ("The Example Gazette", "en")
    assert first.source.location.endswith("rss2.xml#urn:gazette:1001")
    assert first.content_hash and first.normaliser_version and first.word_count == 18
    assert second.body == ("The second story has a plain summary only.",)
    # No title: the first words of the content; no link: identity from the GUID
    assert third.title.startswith("An entry without a link or a title")
    assert third.url is None and third.source.location.endswith("#urn:gazette:no-link")
    assert len({a.article_id for a in (first, second, third)}) == 3


def test_atom_rss1_rss091_and_json_feeds() -> None:
    atom = parse("atom.xml")
    assert atom[0].title == "Neue Brücke beschlossen" and atom[0].language == "de"
    assert atom[0].authors == ("Erika Mustermann", "Max Muster")
    assert atom[0].updated_at is not None and atom[0].published_at is not None
    assert parse("rss1.rdf")[0].url == "http://rdf.example.org/a"
    assert parse("rss091.xml")[0].title == "Café ouvert"
    one, two, three = parse("jsonfeed11.json")  # the non-object item is ignored
    assert one.title == "First JSON item" and one.body[0] == "Hello from JSON Feed."
    assert one.tags == ("a", "b") and one.images[0].src.endswith("one.jpg")
    assert two.authors == ("Item Author",) and two.body[1] == "It has two paragraphs."
    assert two.source.location.endswith("#two") and three.authors == ("Feed Author",)
    assert parse("jsonfeed1.json")[0].authors == ("Old Author",)


def test_identity_is_stable_and_distinct() -> None:
    a1 = [a.article_id for a in parse("rss2.xml")]
    assert a1 == [a.article_id for a in parse("rss2.xml")]
    # Entries without links: distinct GUIDs give distinct ids
    raw = rss([("g1", "One", "Body one"), ("g2", "Two", "Body two")]).replace(
        "<link>http://news.example.com/g1</link>", "").replace(
        "<link>http://news.example.com/g2</link>", "").encode()
    arts = articles_from_feed_bytes(raw, source=Source(kind="feed", location="f"),
                                    settings=SETTINGS)
    assert len({a.article_id for a in arts}) == 2 and all(a.url is None for a in arts)
    # Two GUIDs sharing one link must not collapse into one article
    shared = rss([("s1", "One", "Body one"), ("s2", "Two", "Body two")]).replace(
        "news.example.com/s2", "news.example.com/s1").encode()
    arts = articles_from_feed_bytes(shared, source=Source(kind="feed", location="f"),
                                    settings=SETTINGS)
    assert len({a.article_id for a in arts}) == 2


def test_duplicate_guids_keep_the_last() -> None:
    parsed = parse_feed((FIX / "duplicate_guids.xml").read_bytes(),
                        source=Source(kind="feed", location="d"), settings=SETTINGS)
    assert [a.title for a in parsed.articles] == ["Copy 2", "Solo"]
    assert parsed.duplicates == 2


def test_xxe_and_billion_laughs_are_harmless() -> None:
    passwd = Path("/etc/passwd").read_text()[:20]
    for art in parse("xxe.xml"):
        dumped = art.model_dump_json()
        assert "root:" not in dumped and passwd not in dumped
    started = time.monotonic()
    arts = parse("billion_laughs.xml")
    assert all(len(a.title) < 1000 and a.word_count < 1000 for a in arts)
    assert time.monotonic() - started < 30  # no exponential expansion (generous bound)


def test_bytes_that_look_like_a_path_are_not_opened() -> None:
    with pytest.raises(RejectedInput):
        articles_from_feed_bytes(b"/etc/passwd", source=Source(kind="feed", location="p"),
                                 settings=SETTINGS)


@pytest.mark.parametrize(("name", "reason"), [("garbage.xml", "malformed feed:"),
                                              ("empty.xml", "feed has no entries")])
def test_rejections(name: str, reason: str) -> None:
    with pytest.raises(RejectedInput) as info:
        parse(name)
    assert info.value.reason.startswith(reason)


def test_malformed_feed_keeps_recovered_entries() -> None:
    assert [a.title for a in parse("malformed.xml")] == ["Survivor one", "Survivor two"]


@pytest.mark.parametrize("name", ["declared_latin1_is_utf8.xml", "declared_utf8_is_latin1.xml"])
def test_lying_encodings(name: str) -> None:
    (art,) = parse(name)
    assert art.title == "Café crème à Zürich" and art.body == ("Déjà vu für Müller.",)


def test_fuzzed_feeds_only_ever_reject() -> None:
    # Given every fixture truncated and bit-flipped (seeded, so failures reproduce)
    rng = random.Random(4)
    src = Source(kind="feed", location="fuzz")
    for path in sorted(p for p in FIX.rglob("*")  # blind/ holds feeds + their expectations
                       if p.is_file() and not p.name.endswith(".expected.json")):
        raw = path.read_bytes()
        variants = [raw[:n] for n in range(0, len(raw), max(1, len(raw) // 25))]
        for _ in range(25):
            b = bytearray(raw)
            for _ in range(rng.randint(1, 8)):
                b[rng.randrange(len(b))] = rng.randrange(256)
            variants.append(bytes(b))
        for v in variants:
            with contextlib.suppress(RejectedInput):
                articles_from_feed_bytes(v, source=src, settings=SETTINGS)


def test_ten_thousand_entries() -> None:
    raw = rss([(f"g{i}", f"Title {i}", f"<p>Paragraph {i} of a big feed.</p>")
               for i in range(10_000)]).encode()
    arts = articles_from_feed_bytes(raw, source=Source(kind="feed", location="big"),
                                    settings=SETTINGS)
    assert len(arts) == 10_000 and len({a.article_id for a in arts}) == 10_000


PLAIN_RSS = b"""<?xml version="1.0"?><rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>T &amp; Co</title>
<language>de</language>
<item><title>AT&amp;T &lt;b&gt;bold&lt;/b&gt; story</title>
<link> https://e.com/a?utm_source=x </link><author>Jo Bloggs</author>
<description>&lt;p&gt;One&lt;/p&gt;&lt;p&gt;Two &amp;amp; 3&lt;/p&gt;</description>
<pubDate>Mon, 01 Jan 2024 10:00:00 EST</pubDate><category>x</category><category></category></item>
<item><guid>https://e.com/perma</guid><title>Perma</title><description>text</description>
<pubDate>garbage date</pubDate><enclosure url="/i.png" type="image/png"/></item>
<item><guid isPermaLink="false">k1</guid><title>Same link</title><link>https://e.com/s</link>
<description>a</description><dc:creator>Ann Writer</dc:creator></item>
<item><guid isPermaLink="false">k2</guid><title>Same link 2</title><link>https://e.com/s</link>
<content:encoded><![CDATA[<p>Full <b>text</b></p><script>x()</script>]]></content:encoded>
<description>b</description></item>
<item><title></title><description></description></item>
<item><description>No title but body words here</description></item>
<item><guid>k1</guid><title>Later copy</title><description>wins</description></item>
<item><description>No title but body words here</description></item>
<item><title>Future</title><pubDate>Mon, 01 Jan 2224 10:00:00 GMT</pubDate></item>
</channel></rss>"""


def _dump(raw: bytes, location: str) -> Any:
    try:
        p = parse_feed(raw, source=Source(kind="feed", location=location), settings=SETTINGS)
    except RejectedInput as exc:
        return exc.reason
    return [a.model_dump() for a in p.articles], p.title, p.skipped, p.duplicates


@pytest.mark.parametrize("name", ["plain", "duplicate_guids.xml", "rss2.xml", "atom.xml",
                                  "xxe.xml", "billion_laughs.xml", "malformed.xml"])
@pytest.mark.parametrize("location", ["https://feeds.example.com/f.xml", "/srv/f.rss"])
def test_streaming_rss_path_gives_what_feedparser_gives(
        name: str, location: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from worker.feeds import rss_stream as feedfast
    from worker.feeds.parse import open_feed

    raw = PLAIN_RSS if name == "plain" else (FIX / name).read_bytes()
    # Given the same bytes through feedparser and through the lxml streaming path
    slow = _dump(raw, location)
    monkeypatch.setattr(feedfast, "MIN_BYTES", 0)
    fast = _dump(raw, location)
    # Then every article field, count and rejection is identical
    assert fast == slow
    stream = open_feed(raw, source=Source(kind="feed", location=location), settings=SETTINGS)
    used = stream.parser == "lxml-stream"
    # and the plain feeds really took the fast path; DOCTYPE/XXE/Atom/broken ones did not
    assert used == (name in ("plain", "duplicate_guids.xml"))


@pytest.mark.parametrize("name", ["plain", "duplicate_guids.xml"])
def test_held_entries_and_a_second_parse_give_the_same_articles(
        name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from worker.feeds import parse
    from worker.feeds import rss_stream as feedfast

    raw = PLAIN_RSS if name == "plain" else (FIX / name).read_bytes()
    monkeypatch.setattr(feedfast, "MIN_BYTES", 0)
    # Given a small feed (its entries held between FeedStream's passes)
    held = _dump(raw, "/srv/f.rss")
    # and the same feed over the size that parses it again for the second pass
    monkeypatch.setattr(parse, "HELD_FEED_BYTES", 0)
    streamed = _dump(raw, "/srv/f.rss")
    # Then both give the same articles, duplicates and rejections
    assert held == streamed


def test_large_entity_feed_never_takes_the_streaming_path() -> None:
    # Given a billion-laughs feed padded past the fast path's size threshold
    raw = (FIX / "billion_laughs.xml").read_bytes().replace(
        b"</channel>", b"<!--" + b"x" * (2 << 20) + b"--></channel>")
    started = time.monotonic()
    with contextlib.suppress(RejectedInput):
        arts = articles_from_feed_bytes(raw, source=Source(kind="feed", location="b"),
                                        settings=SETTINGS)
        assert all(len(a.title) < 1000 and a.word_count < 1000 for a in arts)
    assert time.monotonic() - started < 30


@pytest.mark.parametrize("size", [1, 2, 3, 1000])
def test_chunks_keep_order_and_last_copy_at_any_size(size: int) -> None:
    from worker.feeds.parse import open_feed

    items = [("a", "A0", "x"), ("b", "B", "x"), ("a", "A1", "x"), ("c", "C0", "x"),
             ("d", "D", "x"), ("c", "C1", "x"), ("a", "A2", "x"), ("e", "E", "x")]
    src = Source(kind="feed", location="o")
    stream = open_feed(rss(items).encode(), source=src, settings=SETTINGS)
    chunks = list(stream.chunks(size))
    # The last copy of each GUID wins, in the position of its first copy
    assert [a.title for c in chunks for a in c] == ["A2", "B", "C1", "D", "E"]
    assert stream.duplicates == 3
    assert all(len(c) >= min(size, 1) for c in chunks)


def test_cli_normalize_json_over_fixtures() -> None:
    proc = subprocess.run([sys.executable, "-m", "worker.cli.app", "normalize", "--json", str(FIX)],
                          capture_output=True, cwd=ROOT, timeout=100)
    assert proc.returncode == 1  # garbage.xml and empty.xml are rejected
    assert b"Traceback" not in proc.stderr + proc.stdout
    assert b"feed has no entries" in proc.stderr and proc.stdout.count(b"\n") >= 15


def test_load_schedule(tmp_path: Path) -> None:
    f = tmp_path / "feeds.toml"
    f.write_text('[[feed]]\nurl = "https://a.example/rss"\ninterval_s = 60\ntags = ["x"]\n'
                 'keep = ["bridge"]\n[[feed]]\nurl = "/tmp/local.xml"\n')
    a, b = load_schedule(f)
    assert (a.interval_s, a.tags, a.keep, b.interval_s) == (60, ("x",), ("bridge",), 900)
    assert load_schedule(tmp_path / "missing.toml") == []
    assert load_schedule(ROOT / "config" / "feeds.toml")  # the example parses
