"""Feeds and history: a revised feed entry becomes a revision carrying its ``changes``; an
unchanged one still appends nothing (real Redis, real local HTTP server)."""

from __future__ import annotations

from collections.abc import Callable

from tests.feedserver import FeedServer, Route, feed_server, rss
from worker.events.models import ArticleRevised
from worker.feeds.poll import poll
from worker.settings import Settings
from worker.store.eventstore import EventStore
from worker.store.history import History

__all__ = ["feed_server"]

ITEMS = [("a", "Alpha", "<p>Alpha body stays.</p>"),
         ("b", "Beta", "<p>Beta body with the first facts.</p>")]


def test_revised_feed_entry_records_its_changes(feed_server: FeedServer,
                                                make_settings: Callable[..., Settings]) -> None:
    settings = make_settings(fetch_deadline_s=1.5)
    st = EventStore.from_settings(settings)
    feed_server.routes["/h.xml"] = Route(rss(ITEMS).encode(), etag='"1"')
    url = feed_server.url("/h.xml")
    assert poll(url, settings, st)["appended"] == 2
    edited = [ITEMS[0], ("b", "Beta, updated", "<p>Beta body with the corrected facts.</p>")]
    feed_server.routes["/h.xml"] = Route(rss(edited).encode(), etag='"2"')
    r = poll(url, settings, st, options={"force": True})
    assert (r["appended"], r["revised"], r["unchanged"]) == (1, 1, 1)
    (_, rev), = st.read()[2:]
    assert isinstance(rev, ArticleRevised) and rev.changes is not None
    assert rev.changes.fields[:2] == ("title", "body")
    assert (rev.changes.old_title, rev.changes.new_title) == ("Beta", "Beta, updated")
    assert (rev.changes.words_removed, rev.changes.words_added) == (1, 1)
    versions = History(st.redis, st.keys).versions(rev.article_id or "")
    assert [v.version for v in versions] == [1, 2] and versions[1].changes == rev.changes
    # the same content under a new validator: nothing appended, history unchanged
    feed_server.routes["/h.xml"] = Route(rss(edited).encode(), etag='"3"')
    r = poll(url, settings, st, options={"force": True})
    assert r["appended"] == 0 and st.length() == 3
    assert History(st.redis, st.keys).versions(rev.article_id or "") == versions
