"""Every Celery task name, in one place: producers send by these names, the factory
registers the task functions under them, and routing and the ledger key on them."""

from __future__ import annotations

INGEST_FILE = "newsworker.ingest_file"
INGEST_FILES = "newsworker.ingest_files"
INGEST_TEXT = "newsworker.ingest_text"
POLL_FEED = "newsworker.poll_feed"
POLL_DUE_FEEDS = "newsworker.poll_due_feeds"
FETCH_FULLTEXT = "newsworker.fetch_fulltext"

# The submissions a user makes go through the ledger; feed polls are re-queued by the
# schedule anyway.
LEDGERED = frozenset({INGEST_FILE, INGEST_FILES, INGEST_TEXT})
# Feed work runs on the feeds queue so a 50,000-entry feed never delays a user's article.
FEED_TASKS = frozenset({POLL_FEED, POLL_DUE_FEEDS, FETCH_FULLTEXT})
