"""Source integrity end to end: the HTTP API in-process, a real Celery worker polling real HTTP
feeds. A feed item claiming another source's article URL does not change what
``/v1/articles/{id}`` serves, and its outcome is visible; an aggregator feed (items on other
hosts) is still ingested and revises its own items (docs/identity.md)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

import pytest

from tests.conftest import Proc, wait_until
from tests.feedserver import FeedServer, Route, feed_server
from tests.support.api import AUTH, api_settings, http
from worker.events.models import IngestionFailed, article_id_for
from worker.settings import Settings
from worker.store.eventstore import EventStore

if TYPE_CHECKING:
    from fastapi.testclient import TestClient

__all__ = ["api_settings", "feed_server", "http"]

BODY = "<p>{} A paragraph long enough to be the body of a news item, with a few more words.</p>"


def feed(items: list[tuple[str, str, str]], title: str) -> bytes:
    """RSS from (link, title, body text) triples; the GUID is the link."""
    body = "".join(f"<item><guid>{escape(link)}</guid><title>{escape(t)}</title>"
                   f"<link>{escape(link)}</link>"
                   f"<description>{escape(BODY.format(text))}</description></item>"
                   for link, t, text in items)
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>{title}</title>'
            f"<link>http://aggregator.example/</link>{body}</channel></rss>").encode()


def done(http: TestClient, queued: Any) -> dict[str, Any]:
    assert queued.status_code == 202, queued.text
    task = wait_until(lambda: (t := http.get(queued.json()["status_url"], headers=AUTH).json())
                      ["ready"] and t, timeout=60, message="task done")
    assert task["state"] == "SUCCESS", task
    result: dict[str, Any] = task["result"]
    return result


@pytest.mark.e2e
def test_forged_feed_item_does_not_rewrite_the_article(
        http: TestClient, celery_worker: Proc, api_settings: Settings,
        feed_server: FeedServer) -> None:
    # Given an aggregator feed whose items link to two other hosts
    items = [("https://publisher-one.example/2026/a", "Story from the first publisher", "One."),
             ("https://publisher-two.example/news/b", "Story from the second publisher", "Two.")]
    feed_server.routes["/agg.xml"] = Route(feed(items, "Aggregator"))
    agg = feed_server.url("/agg.xml")
    # When polled through the API and a real worker: both entries are ingested
    first = done(http, http.post("/v1/ingest/feed", headers=AUTH, json={"url": agg}))
    assert (first["status"], first["ingested"], first["conflicts"]) == ("ok", 2, 0), first
    aid = article_id_for(items[0][0])
    before = http.get(f"/v1/articles/{aid}", headers=AUTH).json()
    assert before["data"]["title"] == "Story from the first publisher", before

    # When another feed claims the same URL with its own title and body
    feed_server.routes["/forged.xml"] = Route(feed([(items[0][0], "Forged headline",
                                                     "Forged.")], "Forger"))
    forged = done(http, http.post("/v1/ingest/feed", headers=AUTH,
                                  json={"url": feed_server.url("/forged.xml")}))
    # Then its outcome is visible: counted as a conflict by the poll ...
    assert (forged["status"], forged["appended"], forged["conflicts"]) == ("ok", 0, 1), forged
    # ... and recorded as ingestion.failed with code source_conflict
    store = EventStore.from_settings(api_settings)
    claims = [e for _, e in store.read_failures() if isinstance(e, IngestionFailed)]
    assert [(c.data.code, c.source.location.partition("#")[0]) for c in claims] == [
        ("source_conflict", feed_server.url("/forged.xml"))]
    # and /v1/articles/{id} serves exactly what it served before
    assert http.get(f"/v1/articles/{aid}", headers=AUTH).json() == before

    # A text submitted through the API claiming the URL is refused the same way
    text = done(http, http.post("/v1/ingest/text", headers=AUTH, json={
        "text": "Forged headline\n\nA forged paragraph that is long enough to be a body.",
        "url": items[0][0]}))
    assert (text["status"], text["code"]) == ("failed", "source_conflict"), text
    assert http.get(f"/v1/articles/{aid}", headers=AUTH).json() == before

    # The aggregator still revises its own item (on another host than the feed's)
    feed_server.routes["/agg.xml"] = Route(feed([(items[0][0], items[0][1], "One, updated."),
                                                 items[1]], "Aggregator"))
    from worker.ops.client import Client  # the API queues scheduled polls; this one is forced

    again = Client(api_settings).submit_feed(agg, force=True).get(timeout=60)
    assert (again["revised"], again["conflicts"]) == (1, 0), again
    after = http.get(f"/v1/articles/{aid}", headers=AUTH).json()
    assert (after["type"], after["version"]) == ("article.revised", 2)
    assert "One, updated." in after["data"]["body"][0]
