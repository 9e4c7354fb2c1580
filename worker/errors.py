"""Every error newsworker raises on purpose derives from one root.

::

    NewsworkerError
    ├── ConfigError                 invalid setting; message names the key
    ├── RejectedInput               an input we refuse; ``reason`` is user-facing
    │   ├── EmptyInput
    │   ├── BinaryInput
    │   ├── UndecodableInput
    │   ├── TooLarge
    │   ├── NotAnArticle
    │   ├── OutsideInputRoots
    │   └── FetchRefused            URL scheme / address not allowed
    ├── FetchError                  network trouble reaching a source
    ├── EventDecodeError            a stream entry we cannot decode (keeps ``raw``)
    │   └── UnknownEventType
    ├── StoreError                  event-store invariants
    │   ├── VersionConflict         expected version did not match
    │   ├── VersionNotFound         no such article, version or moment in its history
    │   └── VersionTrimmed          the version is in the history, its event no longer in
    │                               the stream
    ├── ReadModelError              the PostgreSQL read model: unreachable, not migrated
    ├── HandlerError                raised by a handler; counted toward dead-lettering
    │   └── PermanentHandlerError   retrying cannot help: dead-lettered at once
    └── FeedNeedsFullParser         internal: the fast RSS reader hands a feed to feedparser
                                    (caught where it is raised; never reaches a user)

Retry control flow is *not* modelled as errors of this tree: transient infrastructure
failures (``redis.ConnectionError``, ``OSError``) are left as they are so Celery's
``autoretry_for`` can retry them.
"""

from __future__ import annotations

from typing import Any


class NewsworkerError(Exception):
    """Root of every newsworker error."""


class ConfigError(NewsworkerError):
    """A setting has an invalid value."""


class RejectedInput(NewsworkerError):
    """An input that cannot become an article. ``reason`` is short and user-facing."""

    code = "rejected"

    def __init__(self, reason: str, *, location: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.location = location

    def __str__(self) -> str:
        return f"{self.location}: {self.reason}" if self.location else self.reason


class EmptyInput(RejectedInput):
    """Nothing to read: an empty file, blank text, a feed with no entries."""

    code = "empty"


class BinaryInput(RejectedInput):
    """Bytes that are not text (an image, an archive, a PDF)."""

    code = "binary"


class UndecodableInput(RejectedInput):
    """Bytes that are not valid UTF-8 and fit no other text encoding we tried (the BOM's,
    then charset detection)."""

    code = "undecodable"


class TooLarge(RejectedInput):
    """Over a size cap (``max_file_bytes``, ``max_body_bytes``, ``max_upload_bytes``);
    the reason names the cap."""

    code = "too_large"


class NotAnArticle(RejectedInput):
    """Text was found, but no article in it (a menu, a login page, a list of links)."""

    code = "not_article"


class OutsideInputRoots(RejectedInput):
    """A file outside ``input_roots`` once symlinks are resolved: refused before it is read,
    so no path can be used to read what the operator did not offer."""

    code = "outside_roots"


class MissingInput(RejectedInput):
    """No such file (or a path that cannot be resolved: a symlink loop, no permission)."""

    code = "missing"


class FetchRefused(RejectedInput):
    """A URL we will not fetch: its scheme, or an address that is private, loopback or
    link-local (unless ``fetch_allow_hosts`` lists it)."""

    code = "fetch_refused"


class FetchError(NewsworkerError):
    """A source could not be fetched (timeouts, HTTP errors, oversize bodies)."""

    def __init__(self, reason: str, *, status: int | None = None,
                 retry_after_s: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status
        self.retry_after_s = retry_after_s


class EventDecodeError(NewsworkerError):
    """A stream entry that cannot be decoded. ``raw`` keeps the entry untouched."""

    def __init__(self, message: str, *, raw: Any, entry_id: str | None = None) -> None:
        super().__init__(message)
        self.raw = raw
        self.entry_id = entry_id


class UnknownEventType(EventDecodeError):
    """The entry's ``type`` (or schema version) is not one we know."""


class StoreError(NewsworkerError):
    """The event store refused an operation."""


class VersionConflict(StoreError):
    def __init__(self, article_id: str, expected: int, actual: int) -> None:
        super().__init__(f"article {article_id}: expected version {expected}, found {actual}")
        self.article_id = article_id
        self.expected = expected
        self.actual = actual


class VersionNotFound(StoreError):
    """An article, or a version / moment of it, that its history does not have."""


class VersionTrimmed(StoreError):
    """The history lists the version but its event was trimmed from the stream."""


class ReadModelError(NewsworkerError):
    """The PostgreSQL read model cannot serve: no DSN, unreachable, or not migrated."""


class HandlerError(NewsworkerError):
    """A handler failed on an event."""


class PermanentHandlerError(HandlerError):
    """The event can never succeed as it is (e.g. a webhook 4xx): dead-letter it now."""


class FeedNeedsFullParser(NewsworkerError):
    """The fast RSS 2.0 reader (worker.feeds.rss_stream) met something only feedparser
    handles; worker.feeds.parse catches it and parses the feed with feedparser instead."""
