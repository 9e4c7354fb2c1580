"""Feed parsing (fixtures, hostile XML, fuzz) and polling against a real server and Redis."""

from __future__ import annotations

import contextlib
import random
import subprocess
import sys
import time
from collections.abc import Callable
from email.utils import formatdate
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT, settings_env, wait_until
from tests.feedserver import FeedServer, Route, feed_server, gzip_bomb, rss
from worker.errors import RejectedInput
from worker.events.models import Article, Source
from worker.feeds.parse import articles_from_feed_bytes, parse_feed
from worker.feeds.poll import RESERVE_HOST_SLOT, poll, queue_due
from worker.feeds.schedule import feed_id_for, load_schedule
from worker.settings import Settings, load_settings
from worker.store.eventstore import EventStore

__all__ = ["feed_server"]

FIX = Path(__file__).parent / "fixtures" / "feeds"
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
    used = isinstance(stream._entries, feedfast.FastRss)
    # and the plain feeds really took the fast path; DOCTYPE/XXE/Atom/broken ones did not
    assert used == (name in ("plain", "duplicate_guids.xml"))


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


# --- polling (real Redis, real HTTP) ------------------------------------------------------

@pytest.fixture
def ps(make_settings: Callable[..., Settings]) -> Settings:
    return make_settings(fetch_deadline_s=1.5, max_body_bytes=1024 * 1024,
                         feed_backoff_base_s=10.0, feed_max_errors=3)


@pytest.fixture
def st(ps: Settings) -> EventStore:
    return EventStore.from_settings(ps)


def state(st: EventStore, url: str) -> dict[str, str]:
    return {k.decode(): v.decode() for k, v in
            st.redis.hgetall(st.keys.feed(feed_id_for(url))).items()}


ITEMS = [("a", "Alpha", "<p>Alpha body.</p>"), ("b", "Beta", "<p>Beta body.</p>"),
         ("c", "Gamma", "<p>Gamma body.</p>")]


def test_poll_appends_then_304_then_revision(feed_server: FeedServer, ps: Settings,
                                             st: EventStore) -> None:
    # Given a feed with validators
    feed_server.routes["/f.xml"] = Route(rss(ITEMS).encode(), etag='"1"',
                                         last_modified="Wed, 21 Oct 2015 07:28:00 GMT")
    url = feed_server.url("/f.xml")
    # When polled: three article.ingested events in one go
    r1 = poll(url, ps, st)
    assert (r1["status"], r1["entries"], r1["appended"], r1["ingested"]) == ("ok", 3, 3, 3)
    assert [e.type for _, e in st.read()] == ["article.ingested"] * 3
    s = state(st, url)
    assert (s["etag"], s["last_result"], s["error_count"], s["entries_seen"]) == (
        '"1"', "ok", "0", "3")
    # When polled again (forced past its interval): validators sent, 304, nothing appended
    r2 = poll(url, ps, st, options={"force": True})
    assert r2["status"] == "not_modified" and st.length() == 3
    assert feed_server.seen("/f.xml")[-1].headers["if-none-match"] == '"1"'
    # and both polls are counted by result (newsworker_feed_polls_total reads these)
    counters = st.redis.hgetall(st.keys.counters)
    assert (counters[b"feed_polls:ok"], counters[b"feed_polls:not_modified"]) == (b"1", b"1")
    # When one entry's content changes: exactly one article.revised v2
    edited = [ITEMS[0], ("b", "Beta", "<p>Beta body, corrected.</p>"), ITEMS[2]]
    feed_server.routes["/f.xml"] = Route(rss(edited).encode(), etag='"2"')
    r3 = poll(url, ps, st, options={"force": True})
    assert (r3["appended"], r3["revised"], r3["unchanged"]) == (1, 1, 2)
    events = [e for _, e in st.read()]
    assert [(e.type, e.version) for e in events[3:]] == [("article.revised", 2)]
    assert events[3].data.body == ("Beta body, corrected.",)  # type: ignore[union-attr]
    assert state(st, url)["events_appended"] == "4"
    # Not due yet without force
    assert poll(url, ps, st)["status"] == "skipped_not_due"


def test_failures_back_off_park_and_unpark(feed_server: FeedServer, ps: Settings,
                                           st: EventStore) -> None:
    feed_server.routes["/busy"] = Route(status=429, headers={"Retry-After": "3600"})
    url = feed_server.url("/busy")
    before = time.time()
    r = poll(url, ps, st)
    assert (r["status"], r["http_status"], r["retry_after_s"]) == ("failed", 429, 3600)
    s = state(st, url)
    assert s["error_count"] == "1" and float(s["next_due_at"]) >= before + 3600
    (_, failure), = st.read_failures()
    assert failure.type == "ingestion.failed" and failure.source.location == url
    assert failure.data.reason == "HTTP 429 Too Many Requests"  # type: ignore[union-attr]
    # Back-off without Retry-After grows exponentially; after 3 failures the feed is parked
    feed_server.routes["/busy"] = Route(status=500)
    r2 = poll(url, ps, st, options={"force": True})
    assert r2["next_poll_in_s"] == 20.0 and not r2["parked"]
    r3 = poll(url, ps, st, options={"force": True})
    assert r3["parked"] and state(st, url)["parked"] == "1"
    assert "3 failures in a row" in state(st, url)["parked_reason"]
    assert poll(url, ps, st)["status"] == "skipped_parked"
    # A forced (manual) poll that succeeds unparks it
    feed_server.routes["/busy"] = Route(rss(ITEMS).encode())
    assert poll(url, ps, st, options={"force": True})["status"] == "ok"
    s = state(st, url)
    assert (s["parked"], s["error_count"], s["last_result"]) == ("0", "0", "ok")
    assert len(st.read_failures()) == 3


def test_retry_after_http_date_sets_next_due(feed_server: FeedServer, ps: Settings,
                                             st: EventStore) -> None:
    feed_server.routes["/down"] = Route(status=503, headers={
        "Retry-After": formatdate(time.time() + 7200, usegmt=True)})
    r = poll(feed_server.url("/down"), ps, st)
    assert r["status"] == "failed" and 7100 < r["next_poll_in_s"] <= 7200


def test_301_updates_stored_url_302_does_not(feed_server: FeedServer, ps: Settings,
                                             st: EventStore) -> None:
    feed_server.routes["/new.xml"] = Route(rss(ITEMS).encode())
    feed_server.routes["/old.xml"] = Route(status=301, headers={"Location": "/new.xml"})
    feed_server.routes["/tmp.xml"] = Route(status=302, headers={"Location": "/new.xml"})
    old, tmp = feed_server.url("/old.xml"), feed_server.url("/tmp.xml")
    assert poll(old, ps, st)["status"] == "ok"
    assert state(st, old)["url"] == feed_server.url("/new.xml")
    poll(old, ps, st, options={"force": True})  # goes straight to the new URL
    assert len(feed_server.seen("/old.xml")) == 1
    assert poll(tmp, ps, st)["status"] == "ok" and state(st, tmp)["url"] == tmp
    assert st.length() == 3  # the same entries via three URLs: appended once


@pytest.mark.parametrize(("route", "reason"), [
    (Route(rss(ITEMS).encode(), drip_s=0.05), "deadline exceeded"),
    (Route(gzip_bomb(), headers={"Content-Encoding": "gzip"}), "after decompression"),
    (Route(b"x" * (2 * 1024 * 1024)), "byte cap"),
    (Route(b"<?xml version='1.0'?><rss><channel><<<"), "malformed feed"),
    (Route(status=302, headers={"Location": "/bad"}), "redirect loop"),
])
def test_bad_feeds_fail_with_reason(feed_server: FeedServer, ps: Settings, st: EventStore,
                                    route: Route, reason: str) -> None:
    feed_server.routes["/bad"] = route
    r = poll(feed_server.url("/bad"), ps, st)
    assert r["status"] == "failed" and reason in r["reason"]
    (_, failure), = st.read_failures()
    assert reason in failure.data.reason  # type: ignore[union-attr]
    assert st.length() == 0


def test_encodings_duplicates_and_filters_over_http(feed_server: FeedServer, ps: Settings,
                                                    st: EventStore) -> None:
    lying = (FIX / "declared_latin1_is_utf8.xml").read_bytes()
    feed_server.routes["/enc"] = Route(lying, headers={
        "Content-Type": "application/rss+xml; charset=ISO-8859-1"})
    assert poll(feed_server.url("/enc"), ps, st)["appended"] == 1
    (_, ev), = st.read()
    assert ev.data.title == "Café crème à Zürich"  # type: ignore[union-attr]
    feed_server.routes["/dup"] = Route((FIX / "duplicate_guids.xml").read_bytes())
    r = poll(feed_server.url("/dup"), ps, st)
    assert (r["appended"], r["duplicates"]) == (2, 2)
    feed_server.routes["/filt"] = Route(rss(ITEMS).encode())
    r = poll(feed_server.url("/filt"), ps, st,
             options={"keep": ["alpha|beta"], "block": ["^Beta"], "tags": ["mine"]})
    assert (r["appended"], r["filtered"]) == (1, 2)
    last = st.read()[-1][1]
    assert last.data.title == "Alpha" and last.data.tags == ("mine",)  # type: ignore[union-attr]


def test_local_path_and_lock(ps: Settings, st: EventStore) -> None:
    path = str(FIX / "rss2.xml")
    # Given another poll holds the feed's lock (its SET NX PX token), a poll is skipped
    lock = st.keys.feed_lock(feed_id_for(path))
    assert st.redis.set(lock, "another-poll", nx=True, px=10_000)
    assert poll(path, ps, st)["status"] == "skipped_locked"
    assert st.redis.get(lock) == b"another-poll"  # not released by the poll that skipped
    st.redis.delete(lock)
    r = poll(path, ps, st)
    assert (r["status"], r["appended"]) == ("ok", 3)
    assert poll("file:///etc/passwd", ps, st)["status"] == "failed"


def test_queue_due_respects_schedule(tmp_path: Path, feed_server: FeedServer,
                                     make_settings: Callable[..., Settings]) -> None:
    f = tmp_path / "feeds.toml"
    urls = [feed_server.url(f"/s{i}") for i in range(3)]
    f.write_text("".join(f'[[feed]]\nurl = "{u}"\ninterval_s = 300\n' for u in urls))
    s = make_settings(feeds_file=f)
    st = EventStore.from_settings(s)
    st.redis.hset(st.keys.feed(feed_id_for(urls[1])), "parked", 1)
    sent: list[tuple[str, dict[str, Any]]] = []
    first = queue_due(s, st, lambda u, o: sent.append((u, o)))
    assert first["queued"] == 2 and [u for u, _ in sent] == [urls[0], urls[2]]
    assert sent[0][1]["interval_s"] == 300
    # The next beat tick finds nothing due (slots claimed)
    assert queue_due(s, st, lambda u, o: sent.append((u, o)))["queued"] == 0


def test_scheduled_poll_is_not_refused_as_not_due(tmp_path: Path, feed_server: FeedServer,
                                                  make_settings: Callable[..., Settings]) -> None:
    # Given a scheduled feed that beat has just queued (its slot claimed),
    feed_server.routes["/sched.xml"] = Route(rss(ITEMS).encode(), etag='"s"')
    url = feed_server.url("/sched.xml")
    f = tmp_path / "feeds.toml"
    f.write_text(f'[[feed]]\nurl = "{url}"\ninterval_s = 300\n')
    s = make_settings(feeds_file=f)
    st = EventStore.from_settings(s)
    sent: list[tuple[str, dict[str, Any]]] = []
    assert queue_due(s, st, lambda u, o: sent.append((u, o)))["queued"] == 1
    # when the queued poll runs, then it fetches and appends (not "skipped_not_due"),
    [(u, opts)] = sent
    result = poll(u, s, st, options=opts)
    assert (result["status"], result["appended"]) == ("ok", 3)
    # while an unscheduled, unforced poll before the next slot is still refused.
    assert poll(url, s, st)["status"] == "skipped_not_due"


def test_host_rate_reservation(st: EventStore) -> None:
    key = st.keys.host_rate("example.com")
    waits = [int(st.redis.eval(RESERVE_HOST_SLOT, 1, key, 1000)) for _ in range(3)]
    assert waits[0] == 0 and 900 <= waits[1] <= 1000 and 1900 <= waits[2] <= 2000


# --- end to end through a real Celery worker ----------------------------------------------

@pytest.mark.e2e
def test_e2e_poll_feed_through_celery(feed_server: FeedServer, settings: Settings,
                                      celery_worker: Any, celery_app: Any) -> None:
    article = ("<html><head><title>Full story</title></head><body><article><h1>Full story"
               "</h1>" + "<p>The full text of the story has many more words than the "
               "summary in the feed did.</p>" * 4 + "</article></body></html>").encode()
    feed_server.routes["/story.html"] = Route(article, headers={"Content-Type": "text/html"})
    body = rss([("s1", "Full story", "<p>Short summary.</p>")]).replace(
        "http://news.example.com/s1", feed_server.url("/story.html")).encode()
    feed_server.routes["/e2e.xml"] = Route(body, etag='"e1"')
    url = feed_server.url("/e2e.xml")
    st = EventStore.from_settings(settings)

    def submit() -> dict[str, Any]:
        res = celery_app.send_task("newsworker.poll_feed", args=[url],
                                   kwargs={"options": {"force": True, "fulltext": True}},
                                   queue=settings.feeds_queue)
        out: dict[str, Any] = res.get(timeout=60)
        return out

    first = submit()
    assert (first["status"], first["appended"], first["fulltext_queued"]) == ("ok", 1, 1)
    # The full-text task appends the page as revision 2 of the same article
    wait_until(lambda: st.length() == 2, timeout=60, message="full-text revision")
    (_, v1), (_, v2) = st.read()
    assert (v1.type, v2.type, v2.version, v1.article_id) == (
        "article.ingested", "article.revised", 2, v2.article_id)
    assert "full text of the story" in v2.data.text  # type: ignore[union-attr]
    # Second poll: validators -> 304 -> no new events
    second = submit()
    assert second["status"] == "not_modified" and st.length() == 2
    assert feed_server.seen("/e2e.xml")[-1].headers["if-none-match"] == '"e1"'
    # The CLI: --wait prints the summary; a failure exits 1 with the reason
    env = settings_env(settings)
    cli = [sys.executable, "-m", "worker.cli.app"]
    ok = subprocess.run([*cli, "submit", "feed", url, "--wait"], env=env, cwd=ROOT,
                        capture_output=True, text=True, timeout=100)
    assert ok.returncode == 0 and "not_modified" in ok.stdout, ok.stderr
    bad = subprocess.run([*cli, "submit", "feed", feed_server.url("/missing"), "--wait"],
                         env=env, cwd=ROOT, capture_output=True, text=True, timeout=100)
    assert bad.returncode == 1 and "failed: HTTP 404 Not Found" in bad.stderr
    listing = subprocess.run([*cli, "feeds"], env=env, cwd=ROOT, capture_output=True,
                             text=True, timeout=100)
    assert url in listing.stdout and feed_server.url("/missing") in listing.stdout
