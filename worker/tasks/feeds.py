"""Feed tasks: thin Celery wrappers around worker.feeds.poll (which has no Celery in it)."""

from __future__ import annotations

import logging
from typing import Any

from worker.feeds import poll
from worker.tasks import names

log = logging.getLogger(__name__)


def poll_feed(self: Any, url_or_path: str, correlation_id: str | None = None,
              options: dict[str, Any] | None = None) -> dict[str, Any]:
    """Poll one feed; returns a summary (status ok/not_modified/skipped_*/failed)."""
    settings, cid = self.app.settings, correlation_id or self.request.id
    result = poll.poll(url_or_path, settings, self.app.store(), options=options,
                       correlation_id=cid)
    fulltext, new_urls = result.pop("fulltext", False), result.pop("new_urls", [])
    for link, location in new_urls if fulltext else []:
        self.app.send_task(names.FETCH_FULLTEXT, args=[link, location],
                           kwargs={"correlation_id": cid}, queue=settings.feeds_queue)
    result["fulltext_queued"] = len(new_urls) if fulltext else 0
    return result


def poll_due_feeds(self: Any) -> dict[str, Any]:
    """Queue a poll for every configured feed that is due and not parked (run by beat)."""
    settings = self.app.settings

    def send(url: str, options: dict[str, Any]) -> Any:
        return self.app.send_task(names.POLL_FEED, args=[url], kwargs={"options": options},
                                  queue=settings.feeds_queue)

    return poll.queue_due(settings, self.app.store(), send)


def fetch_fulltext(self: Any, url: str, feed_entry_source: str,
                   correlation_id: str | None = None, slot: bool = False) -> dict[str, Any]:
    """Fetch an entry's linked page and append it as a revision of the same article."""
    st = self.app.store()
    if not slot:
        wait_s = poll.reserve_host_slot(st, url)
        if wait_s > 0:  # our slot is reserved: run once, later
            raise self.retry(countdown=wait_s, kwargs={
                "correlation_id": correlation_id, "slot": True}, max_retries=None)
    return poll.fetch_fulltext(url, feed_entry_source, self.app.settings, st,
                               correlation_id or self.request.id)


def register(app: Any, retry: dict[str, Any]) -> None:
    """Register the feed tasks on ``app`` under their names (worker.tasks.names)."""
    for name, fn in ((names.POLL_FEED, poll_feed), (names.POLL_DUE_FEEDS, poll_due_feeds),
                     (names.FETCH_FULLTEXT, fetch_fulltext)):
        app.task(name=name, bind=True, **retry)(fn)
