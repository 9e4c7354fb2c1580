"""Every Redis key newsworker uses is built here.

All event-store keys share one hash tag, ``{<prefix>}``, so they live in one slot and
the Lua append (which touches the stream and the article's state) also runs on Redis Cluster.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Keys:
    prefix: str = "newsworker"

    @property
    def tag(self) -> str:
        return "{" + self.prefix + "}"

    @property
    def events(self) -> str:
        """The event stream (article.ingested / article.revised)."""
        return f"{self.tag}:events"

    @property
    def failures(self) -> str:
        """ingestion.failed events, kept apart from the article stream."""
        return f"{self.tag}:failures"

    def failure_marker(self, digest: str) -> str:
        """Marks a (submission, source) failure as recorded, so task retries add no twin."""
        return f"{self.tag}:failed:{digest}"

    def task_runs(self, task_id: str) -> str:
        """Counter of one Celery task id's runs (retries and redeliveries)."""
        return f"{self.tag}:task_runs:{task_id}"

    def journal(self, part: str) -> str:
        """Submission journal (on the broker's Redis): task messages not yet received."""
        return f"{self.tag}:journal:{part}"

    @property
    def dead_letters(self) -> str:
        return f"{self.tag}:dlq"

    def article(self, article_id: str) -> str:
        """Hash: version, content_hash, entry_id, event_id of the article's latest event."""
        return f"{self.tag}:article:{article_id}"

    def processed(self, group: str) -> str:
        """Sorted set: event ids a group's handler completed, scored by entry-id ms
        (redelivery guard; trimmed below the group's oldest in-flight entry)."""
        return f"{self.tag}:processed:{group}"

    def handler_state(self, group: str, name: str) -> str:
        return f"{self.tag}:handler:{group}:{name}"

    # --- catalog read model ---------------------------------------------------------------
    @property
    def catalog_articles(self) -> str:
        return f"{self.tag}:catalog:articles"

    @property
    def catalog_by_published(self) -> str:
        return f"{self.tag}:catalog:by_published"

    def catalog_by_source(self, source: str) -> str:
        return f"{self.tag}:catalog:by_source:{source}"

    def catalog(self, part: str, *, build: bool = False) -> str:
        """A catalog key; ``build`` names its twin used by `rebuild` before the RENAME swap."""
        return f"{self.tag}:catalog{'-build' if build else ''}:{part}"

    # --- feeds -----------------------------------------------------------------------------
    def feed(self, feed_id: str) -> str:
        """Hash of a feed's polling state (etag, last_modified, errors, parked, ...)."""
        return f"{self.tag}:feed:{feed_id}"

    @property
    def feeds_index(self) -> str:
        return f"{self.tag}:feeds"

    def feed_entries(self, feed_id: str) -> str:
        """Hash entry key -> content hash of the feed's last poll (skips unchanged entries)."""
        return f"{self.tag}:feed:{feed_id}:entries"

    def feed_lock(self, feed_id: str) -> str:
        return f"{self.tag}:feed:{feed_id}:lock"

    def host_rate(self, host: str) -> str:
        return f"{self.tag}:rate:{host}"

    # --- metrics counters ----------------------------------------------------------------
    @property
    def counters(self) -> str:
        return f"{self.tag}:counters"

    @property
    def task_durations(self) -> str:
        """Hash: ``<task>|<le>`` bucket counts, ``<task>|sum``, ``<task>|count``."""
        return f"{self.tag}:task_durations"

    def all_patterns(self) -> list[str]:
        """Glob patterns matching every key of this prefix (for cleanup in tests/tools)."""
        return [f"{self.tag}:*"]
