"""A feed polled through a real Celery worker, with its full-text follow-up and the CLI."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest

from tests.conftest import ROOT, settings_env, wait_until
from tests.feedserver import FeedServer, Route, feed_server, rss
from worker.settings import Settings
from worker.store.eventstore import EventStore

__all__ = ["feed_server"]


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
