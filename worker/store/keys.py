"""Every Redis key newsworker uses is built here.

All keys share one hash tag, ``{<prefix>}``, so they live in one slot: the Lua append (which
touches the stream, the article's state and the counters) and the ledger's scripts also run
on Redis Cluster. Each accessor says what Redis type the key holds and what is in it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Keys:
    prefix: str = "newsworker"

    @property
    def tag(self) -> str:
        return "{" + self.prefix + "}"

    # --- the event store --------------------------------------------------------------------
    @property
    def events(self) -> str:
        """Stream: the article events (``article.ingested``, ``article.revised``), one entry
        each, appended only by ``append.lua``."""
        return f"{self.tag}:events"

    @property
    def failures(self) -> str:
        """Stream: ``ingestion.failed`` events, kept apart so consumers of articles never
        have to skip them."""
        return f"{self.tag}:failures"

    def failure_marker(self, digest: str) -> str:
        """String with a TTL: marks a (submission, source) failure as recorded, so a task's
        retry adds no twin."""
        return f"{self.tag}:failed:{digest}"

    def article(self, article_id: str) -> str:
        """Hash: the article's latest event as ``append.lua`` checks it (version,
        content_hash, entry_id, event_id, origin: the source that may revise it; state written
        before 2026-11-30 also has the type, which follows from the version); the article's
        whole state is the stream. Once retention forgets the article
        (worker.store.expiry), entry_id and event_id are ''."""
        return f"{self.tag}:article:{article_id}"

    def history(self, article_id: str) -> str:
        """Sorted set: one member per version, scored by version, ``<entry_id>\\n<summary
        JSON>``: what ``append.lua`` wrote before 2026-12-01 and what `rebuild history` writes
        (see worker.store.history, which reads it with :meth:`versions`). Outlives the
        stream's trimming of older versions; deleted when retention forgets the article."""
        return f"{self.tag}:history:{article_id}"

    def versions(self, article_id: str) -> str:
        """List: ``append.lua`` pushes ``<entry_id>``, ``<summary JSON>`` with each event of
        the article (a list, not the sorted set above: one RPUSH, and a summary longer than
        ``zset-max-listpack-value`` does not turn it into a skiplist; measured ~8% more
        appends per second). Outlives trimming; deleted when retention forgets the article."""
        return f"{self.tag}:versions:{article_id}"

    @property
    def history_rebuild_seen(self) -> str:
        """Set of the article ids `rebuild history` has rewritten so far (counted in Redis,
        not in the process); unlinked when it ends."""
        return f"{self.tag}:history-rebuild:seen"

    @property
    def counters(self) -> str:
        """Hash of totals for every process: ``appended:<type>``, ``failures:<code>``,
        ``feed_polls:<result>``."""
        return f"{self.tag}:counters"

    def series(self, part: str) -> str:
        """The monitor's rolling series (worker.ops.series): ``points`` (list of JSON points,
        the newest last, LTRIM-bounded) and ``tick`` (SET NX PX: one point per interval)."""
        return f"{self.tag}:series:{part}"

    @property
    def retention_lock(self) -> str:
        """String (SET NX EX, a token): held while one retention pass runs
        (worker.store.expiry), so concurrent consumers do not repeat it."""
        return f"{self.tag}:retention:lock"

    # --- Celery side --------------------------------------------------------------------------
    def task_runs(self, task_id: str) -> str:
        """Counter (expires after a week): runs of one Celery task id, retries and
        redeliveries included."""
        return f"{self.tag}:task_runs:{task_id}"

    def journal(self, part: str) -> str:
        """The submission ledger's keys on the broker's Redis (``msg``, ``queue``, ``marks``,
        ``sent:<queue>``, ``reaper``, ``abandoned:<task id>``): task messages not yet received
        by a worker, and submissions their client gave up on."""
        return f"{self.tag}:journal:{part}"

    def workers(self, part: str) -> str:
        """Dead-worker recovery's keys on the broker's Redis (see worker.tasks.recovery):
        ``beats`` (sorted set: worker id -> last heartbeat, broker ms), ``held:<worker id>``
        (hash: delivery tag -> ms received, the messages that worker holds), ``lock``."""
        return f"{self.tag}:workers:{part}"

    @property
    def task_durations(self) -> str:
        """Hash: ``<task>|<le>`` bucket counts, ``<task>|sum``, ``<task>|count``."""
        return f"{self.tag}:task_durations"

    # --- consumers ---------------------------------------------------------------------------
    @property
    def dead_letters(self) -> str:
        """Stream: entries a handler gave up on, each with ``dlq_*`` fields (group, handler,
        error, deliveries) added to the original event's fields."""
        return f"{self.tag}:dlq"

    def processed(self, group: str) -> str:
        """Sorted set: event ids a group's handler completed, scored by entry-id ms
        (redelivery guard; trimmed below the group's oldest in-flight entry)."""
        return f"{self.tag}:processed:{group}"

    def handler_state(self, group: str, name: str) -> str:
        """Free for a handler's own state (any type), one namespace per group."""
        return f"{self.tag}:handler:{group}:{name}"

    def catalog(self, part: str, *, build: bool = False) -> str:
        """A key of the catalog read model; ``build`` names its twin that `rebuild` fills
        before the RENAME swap."""
        return f"{self.tag}:catalog{'-build' if build else ''}:{part}"

    def stories(self, part: str, *, build: bool = False) -> str:
        """A key of the stories read model (``assigned``, ``signatures``, ``lsh``, ``docs``,
        ``by_last_seen``, ``seq``, ``seen``, ``trimmed``); ``build`` names its twin that
        `rebuild stories` fills."""
        return f"{self.tag}:stories{'-build' if build else ''}:{part}"

    @property
    def story_events(self) -> str:
        """Stream: ``story.article_added`` events, one per article assigned to a story."""
        return f"{self.tag}:story_events"

    # --- feeds -----------------------------------------------------------------------------
    def feed(self, feed_id: str) -> str:
        """Hash of a feed's polling state (etag, last_modified, body_hash of the last parsed
        body, errors, parked, ...)."""
        return f"{self.tag}:feed:{feed_id}"

    @property
    def feeds_index(self) -> str:
        """Set of the ids of every feed ever polled."""
        return f"{self.tag}:feeds"

    def feed_entries(self, feed_id: str) -> str:
        """Hash: article id -> content hash of the feed's last poll (skips unchanged
        entries)."""
        return f"{self.tag}:feed:{feed_id}:entries"

    def feed_lock(self, feed_id: str) -> str:
        """String (SET NX PX, a token): held while one poll of the feed runs."""
        return f"{self.tag}:feed:{feed_id}:lock"

    def host_rate(self, host: str) -> str:
        """String: the next free full-text fetch slot for ``host``, Unix ms."""
        return f"{self.tag}:rate:{host}"

    def all_patterns(self) -> list[str]:
        """Glob patterns matching every key of this prefix (for cleanup in tests/tools)."""
        return [f"{self.tag}:*"]
