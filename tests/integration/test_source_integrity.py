"""Source integrity against a real Redis: only the origin that established an article revises
it (append.lua checks it atomically); other sources' claims are ``source_conflict`` failures;
unnamed texts and uploads get identities of their own (docs/identity.md)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.feedserver import FeedServer, Route, feed_server, rss
from tests.support.articles import make_article
from worker.events.models import IngestionFailed
from worker.feeds.poll import poll
from worker.ops.prometheus import failure_codes
from worker.settings import Settings
from worker.store.eventstore import EventStore
from worker.tasks.ingest import Ingest, text_source

__all__ = ["feed_server"]

URL = "https://example.com/x"
TEXT = "A headline for the test\n\nThe first paragraph of a short article, long enough to count."


def failures(store: EventStore) -> list[IngestionFailed]:
    return [e for _, e in store.read_failures() if isinstance(e, IngestionFailed)]


def test_foreign_claim_changes_nothing_and_is_recorded(store: EventStore) -> None:
    # Given an article established by one file
    first = store.append(make_article("one", location="/a.txt", url=URL))
    # When another file claims its URL with other content
    res = store.append(make_article("forged", location="/b.txt", url=URL, title="Forged"),
                       correlation_id="c1")
    # Then nothing is appended, the article's state still points at v1
    assert (res.status, res.code, res.version, res.entry_id) == (
        "failed", "source_conflict", 1, first.entry_id)
    assert "belongs to file:/a.txt" in (res.reason or "")
    assert store.length() == 1 and store.version_of(first.article_id) == 1
    # and the claim is visible as ingestion.failed, code source_conflict, naming the article
    [failed] = failures(store)
    assert (failed.data.code, failed.source.location, failed.correlation_id) == (
        "source_conflict", "/b.txt", "c1")
    assert first.article_id in (failed.data.detail or "")
    # counted by code, and exported from zero (newsworker_ingest_failures_total)
    assert store.redis.hget(store.keys.counters, "failures:source_conflict") == b"1"
    assert "source_conflict" in failure_codes()


def test_identical_content_from_another_source_is_a_conflict_too(store: EventStore) -> None:
    store.append(make_article("same", location="/a.txt", url=URL))
    assert store.append(make_article("same", location="/b.txt", url=URL)).status == "failed"


def test_batch_mixes_own_and_foreign(store: EventStore) -> None:
    own = make_article("one", location="/a.txt", url=URL)
    other = make_article("other", location="/c.txt", url="https://example.com/y")
    store.append_many([own, other])
    res = store.append_many([make_article("two", location="/a.txt", url=URL),
                             make_article("forged", location="/a.txt",
                                          url="https://example.com/y")])
    assert [(r.status, r.version) for r in res] == [("appended", 2), ("failed", 1)]


def test_state_without_origin_takes_the_next_claimant_as_origin(store: EventStore) -> None:
    # Given state written before origins existed (no `origin` field)
    first = store.append(make_article("one", location="/a.txt", url=URL))
    store.redis.hdel(store.keys.article(first.article_id), "origin")
    # When a source revises it, that source becomes the origin (treated as the first)
    assert store.append(make_article("two", location="/b.txt", url=URL)).version == 2
    assert store.redis.hget(store.keys.article(first.article_id), "origin") == b"file:/b.txt"
    # and from then on the rule holds
    assert store.append(make_article("three", location="/a.txt", url=URL)).status == "failed"


def test_unchanged_on_old_state_records_the_origin(store: EventStore) -> None:
    first = store.append(make_article("one", location="/a.txt", url=URL))
    store.redis.hdel(store.keys.article(first.article_id), "origin")
    assert store.append(make_article("one", location="/a.txt", url=URL)).status == "unchanged"
    assert store.redis.hget(store.keys.article(first.article_id), "origin") == b"file:/a.txt"


def test_any_source_may_revise_when_configured(make_settings: Callable[..., Settings]) -> None:
    store = EventStore.from_settings(make_settings(revisions_from_any_source=True))
    store.append(make_article("one", location="/a.txt", url=URL))
    res = store.append(make_article("two", location="/b.txt", url=URL))
    assert (res.status, res.version) == ("appended", 2)
    # the origin stays the first one
    assert store.redis.hget(store.keys.article(res.article_id), "origin") == b"file:/a.txt"


# --- text submissions ---------------------------------------------------------------------

@pytest.fixture
def run(settings: Settings, store: EventStore) -> Ingest:
    return Ingest(settings, store)


def submit(run: Ingest, text: str, *, name: str | None = None,
           url: str | None = None) -> dict[str, object]:
    source = text_source(text, name, url)
    return run.text(text, source.location, url, None, None, source)


def test_unnamed_texts_never_revise_each_other(run: Ingest, store: EventStore) -> None:
    a = submit(run, TEXT)
    b = submit(run, TEXT.replace("first paragraph", "only paragraph"))
    assert (a["status"], a["version"], b["status"], b["version"]) == (
        "appended", 1, "appended", 1)
    assert a["article_id"] != b["article_id"]
    # the same unnamed text twice is unchanged
    assert submit(run, TEXT)["status"] == "unchanged"


def test_named_text_revises_itself(run: Ingest) -> None:
    submit(run, TEXT, name="desk")
    res = submit(run, TEXT.replace("first", "corrected first"), name="desk")
    assert (res["status"], res["version"]) == ("appended", 2)


def test_text_with_url_revises_its_own_article(run: Ingest) -> None:
    submit(run, TEXT, url=URL)
    res = submit(run, TEXT.replace("first", "corrected first"), url=URL)
    assert (res["status"], res["version"]) == ("appended", 2)


def test_unnamed_html_cannot_claim_a_url_through_its_canonical_link(run: Ingest) -> None:
    # Given an article a text established for its URL
    submit(run, TEXT, url=URL)
    # When an unnamed text without a URL carries a canonical link to it
    page = (f'<html><head><link rel="canonical" href="{URL}"><title>Forged</title></head>'
            "<body><article><h1>Forged</h1><p>" + "A forged paragraph with words. " * 8 +
            "</p></article></body></html>")
    res = submit(run, page)
    # Then it is the same article (its URL) but not its origin: nothing changes
    assert (res["status"], res["code"], res["version"]) == ("failed", "source_conflict", 1)


# --- feeds ----------------------------------------------------------------------------------

ITEMS = [("a", "Alpha story", "<p>Alpha body.</p>"), ("b", "Beta story", "<p>Beta body.</p>")]


def test_feed_cannot_rewrite_another_feeds_item(feed_server: FeedServer, settings: Settings,
                                                store: EventStore, run: Ingest) -> None:
    # Given a feed whose items link to another host (news.example.com): aggregator-style
    feed_server.routes["/own.xml"] = Route(rss(ITEMS).encode())
    own = feed_server.url("/own.xml")
    assert poll(own, settings, store)["ingested"] == 2
    before = [e for _, e in store.read()]
    # When a second feed carries the same links with its own titles and bodies
    forged = [("a", "Forged alpha", "<p>Forged.</p>"), ("b", "Forged beta", "<p>Forged.</p>")]
    feed_server.routes["/other.xml"] = Route(rss(forged).encode())
    res = poll(feed_server.url("/other.xml"), settings, store)
    # Then nothing is appended; both claims are counted and recorded
    assert (res["status"], res["appended"], res["conflicts"]) == ("ok", 0, 2)
    assert [e for _, e in store.read()] == before
    assert [f.data.code for f in failures(store)] == ["source_conflict"] * 2
    # polled again unchanged: not re-sent, so not recorded again
    res = poll(feed_server.url("/other.xml"), settings, store, options={"force": True})
    assert (res["conflicts"], len(failures(store))) == (0, 2)
    # and a text claiming one of the URLs is refused the same way
    claim = submit(run, TEXT, url="http://news.example.com/a")
    assert (claim["status"], claim["code"]) == ("failed", "source_conflict")
    # while the first feed still revises its own items
    feed_server.routes["/own.xml"] = Route(rss([ITEMS[0], ("b", "Beta story",
                                                           "<p>Beta, corrected.</p>")]).encode())
    again = poll(own, settings, store, options={"force": True})
    assert (again["revised"], again["conflicts"]) == (1, 0)


# --- uploads ------------------------------------------------------------------------------

def test_same_upload_twice_is_unchanged(run: Ingest, settings: Settings, tmp_path: Path) -> None:
    # Each upload is stored under a fresh server name; its identity is the client's name
    # plus its content, so the second copy is the same article, unchanged.
    first, second = tmp_path / "u1.txt", tmp_path / "u2.txt"
    for p in (first, second):
        p.write_text(TEXT)
    [a] = run.path(str(first), None, "story.txt")
    [b] = run.path(str(second), None, "story.txt")
    assert (a["status"], b["status"], b["article_id"]) == ("appended", "unchanged",
                                                          a["article_id"])
    assert a["source"] == "story.txt"  # named as the client named it, not by a server path
    # Other content under the same name is another article, not a revision
    second.write_text(TEXT.replace("first", "other"))
    [c] = run.path(str(second), None, "story.txt")
    assert (c["status"], c["version"]) == ("appended", 1) and c["article_id"] != a["article_id"]


def test_one_source_claiming_many_articles_records_each_once(store: EventStore) -> None:
    urls = [f"https://example.com/{i}" for i in range(5)]
    store.append_many([make_article(f"own {i}", location="/a.txt", url=u)
                       for i, u in enumerate(urls)])
    claims = [make_article(f"forged {i}", location="/b.txt", url=u) for i, u in enumerate(urls)]
    first = store.append_many(claims, correlation_id="c1")
    again = store.append_many(claims, correlation_id="c1")  # the task redelivered
    assert {r.status for r in first + again} == {"failed"}
    recorded = failures(store)
    assert len(recorded) == len(urls)  # one per claimed article, not one per source
    assert sorted(f.data.detail or "" for f in recorded) == sorted(
        f"article {r.article_id} v1 kept" for r in first)
