"""Per-article history: every version of an article without reading the stream.

``append.lua`` pushes two elements to ``Keys.versions(article_id)`` with each article event,
in the same script: its entry id and its summary JSON (:class:`Version` without its entry
id). Versions appended before 2026-12-01, and those `rebuild history` writes, are members
``<entry_id>\\n<summary JSON>`` of the sorted set ``Keys.history(article_id)`` scored by
version; readers take both (one pipelined round trip) and keep, per version, the later entry
(a version written twice: the article's state was lost and it started again). Listing the
versions is that one read; the article as it stood at a version is one point read
(``XRANGE id id``) of that version's entry; so every question costs in proportion to the
article's own versions, never to the stream.

Trimming the stream leaves the index alone: the history still lists trimmed versions (their
summaries and changes), but their full text is gone (:class:`VersionTrimmed`); the archive
keeps it. ``rebuild`` rewrites each version still in the stream and keeps the rest.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime
from typing import Any

import redis
from pydantic import BaseModel, ConfigDict

from worker.errors import EventDecodeError, VersionNotFound, VersionTrimmed
from worker.events.changes import summarise, word_diff
from worker.events.codec import decode, dump_json
from worker.events.models import (
    AnyEvent,
    Article,
    ArticleEvent,
    ArticleIngested,
    ArticleRevised,
    Changes,
)
from worker.redisconn import to_str
from worker.store.groups import parse_id
from worker.store.keys import Keys

log = logging.getLogger(__name__)

REBUILD_BATCH = 500  # versions per MULTI while rebuilding


class Summary(BaseModel):
    """What the index keeps of one version (everything `articles history` prints)."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    version: int
    type: str
    event_id: str
    occurred_at: datetime
    title: str
    word_count: int
    content_hash: str
    changes: Changes | None = None


class Version(Summary):
    entry_id: str


def summary_json(event: ArticleEvent) -> str:
    """The index's summary of ``event`` (deterministic: `rebuild` rewrites the same bytes)."""
    return summary_bytes(event).decode()


def summary_bytes(event: ArticleEvent) -> bytes:
    """What ``Summary(...).model_dump_json()`` writes, without building the model (~0.7 us
    against ~5 us per append): the event's values are already validated. The keys are
    Summary's fields in order (tests/unit/test_history_changes.py holds the two side by
    side, so a field added to Summary fails there until it is added here)."""
    data = event.data
    return dump_json({"version": event.version, "type": event.type, "event_id": event.event_id,
                      "occurred_at": event.occurred_at, "title": data.title,
                      "word_count": data.word_count, "content_hash": data.content_hash,
                      "changes": event.changes if isinstance(event, ArticleRevised) else None})


def revision_changes(client: redis.Redis, keys: Keys, batch: list[tuple[Article, str, int]],
                     prev: dict[str, Article | str]) -> list[Changes | None]:
    """The ``changes`` of each revision in ``batch`` (article, article id, current version)
    against that current version, which ``prev`` holds: the article itself when the caller
    appended it, else its entry id, read here (one pipelined round trip, point reads only).
    None for a new article or a previous version no longer readable."""
    wanted = {aid: p for _, aid, current in batch if current > 0
              and isinstance(p := prev.get(aid), str) and p}
    old: dict[str, Article] = {aid: p for aid, p in prev.items() if isinstance(p, Article)}
    if wanted:
        pipe = client.pipeline(transaction=False)
        for entry_id in wanted.values():
            pipe.xrange(keys.events, entry_id, entry_id)
        for aid, raw in zip(wanted, pipe.execute(), strict=True):
            if (event := _article_event(raw)) is not None:
                old[aid] = event.data
    return [summarise(old[aid], article) if current > 0 and aid in old else None
            for article, aid, current in batch]


def _parse(member: bytes | str) -> Version:
    entry_id, _, summary = to_str(member).partition("\n")
    return _version(entry_id, summary)


def _version(entry_id: bytes | str, summary: bytes | str) -> Version:
    return Version(entry_id=to_str(entry_id), **dict(Summary.model_validate_json(summary)))


def merge_versions(legacy: list[bytes], pushed: list[bytes]) -> list[Version]:
    """The versions in a sorted set's members (``legacy``) and a versions list's elements
    (``pushed``: entry id, summary, ...), oldest first; per version the later entry."""
    found = [_parse(m) for m in legacy]
    found += [_version(pushed[i], pushed[i + 1]) for i in range(0, len(pushed) - 1, 2)]
    latest: dict[int, Version] = {}
    for v in found:
        if (had := latest.get(v.version)) is None or parse_id(v.entry_id) > parse_id(had.entry_id):
            latest[v.version] = v
    return [latest[n] for n in sorted(latest)]


class History:
    def __init__(self, client: redis.Redis, keys: Keys) -> None:
        self.redis = client
        self.keys = keys

    def versions(self, article_id: str, *, fill_changes: bool = True) -> list[Version]:
        """Every version, oldest first ([] for an unknown article). ``fill_changes`` computes
        the changes that revisions written before schema v3 lack, from both versions' entries
        when the stream still has them."""
        pipe = self.redis.pipeline(transaction=False)
        pipe.zrange(self.keys.history(article_id), 0, -1)
        pipe.lrange(self.keys.versions(article_id), 0, -1)
        out = merge_versions(*pipe.execute())
        if fill_changes:
            out = self._fill(out)
        return out

    def require(self, article_id: str) -> list[Version]:
        """Every version, oldest first; VersionNotFound for an article without history."""
        versions = self.versions(article_id)
        if not versions:
            raise VersionNotFound(self._missing(article_id, "has no versions"))
        return versions

    def version(self, article_id: str, number: int) -> Version:
        found = [v for v in self.versions(article_id, fill_changes=False) if v.version == number]
        if not found:
            raise VersionNotFound(self._missing(article_id, f"has no version {number}"))
        return found[0]

    def latest(self, article_id: str) -> Version:
        versions = self.versions(article_id, fill_changes=False)
        if not versions:
            raise VersionNotFound(self._missing(article_id, "has no versions"))
        return versions[-1]

    def as_of(self, article_id: str, when: datetime) -> Version:
        """The version current at ``when``: the last one that occurred at or before it."""
        found = [v for v in self.versions(article_id, fill_changes=False)
                 if v.occurred_at <= when]
        if not found:
            raise VersionNotFound(self._missing(article_id,
                                                f"did not exist yet at {when.isoformat()}"))
        return found[-1]

    def events(self, article_id: str, versions: list[Version]) -> list[ArticleEvent]:
        """The full events of ``versions`` of one article: one point read each, pipelined."""
        pipe = self.redis.pipeline(transaction=False)
        for v in versions:
            pipe.xrange(self.keys.events, v.entry_id, v.entry_id)
        out: list[ArticleEvent] = []
        for v, raw in zip(versions, pipe.execute(), strict=True):
            event = _article_event(raw)
            if event is None:
                raise VersionTrimmed(
                    f"article {article_id}: version {v.version} (entry {v.entry_id}) is no "
                    "longer in the stream (trimmed); its summary is in the history, its text "
                    "in the archive")
            out.append(event)
        return out

    def at(self, article_id: str, *, version: int | None = None,
           as_of: datetime | None = None) -> tuple[Version, ArticleEvent]:
        """The article as it stood at ``version`` or at the moment ``as_of`` (else now); with
        both, ``version`` provided it existed at ``as_of``."""
        if version is not None:
            v = self.version(article_id, version)
            if as_of is not None and v.occurred_at > as_of:
                raise VersionNotFound(f"article {article_id}: version {version} did not exist "
                                      f"yet at {as_of.isoformat()}")
        elif as_of is not None:
            v = self.as_of(article_id, as_of)
        else:
            v = self.latest(article_id)
        return v, self.events(article_id, [v])[0]

    def diff(self, article_id: str, start: int | None = None,
             end: int | None = None) -> dict[str, Any]:
        """Word-level diff of title and body from version ``start`` to ``end`` (default: the
        last two versions): ``title`` and ``body`` are lists of ``{"op", "text"}`` chunks,
        ``op`` one of equal / delete / insert."""
        end = self.latest(article_id).version if end is None else end
        start = end - 1 if start is None else start
        if start < 1:
            raise VersionNotFound(f"article {article_id} has only version {end}: give --from "
                                  "and --to to compare two versions")
        va, vb = self.version(article_id, start), self.version(article_id, end)
        old, new = self.events(article_id, [va, vb])
        return {
            "article_id": article_id,
            "from": va.model_dump(mode="json"), "to": vb.model_dump(mode="json"),
            "changes": summarise(old.data, new.data).model_dump(mode="json"),
            "title": [{"op": c.op, "text": c.text}
                      for c in word_diff(old.data.title, new.data.title)],
            "body": [{"op": c.op, "text": c.text}
                     for c in word_diff(old.data.text, new.data.text)],
        }

    def _missing(self, article_id: str, what: str) -> str:
        """The message for a lookup that found nothing: the article or only ``what``."""
        if not self.redis.exists(self.keys.history(article_id), self.keys.versions(article_id)):
            state = self.redis.hmget(self.keys.article(article_id), ["version", "entry_id"])
            if state[0] is not None and not state[1]:  # worker.store.expiry forgot it
                return (f"article {article_id} is past retention (retention_s): its versions "
                        "are in the archive")
            if state[0] is not None:
                return (f"article {article_id} has no history index yet: run "
                        "`newsworker rebuild history`")
            return f"article {article_id}: no such article"
        return f"article {article_id} {what}"

    def _fill(self, versions: list[Version]) -> list[Version]:
        todo = [k for k, v in enumerate(versions)
                if v.changes is None and v.version > 1 and k > 0
                and versions[k - 1].version == v.version - 1]
        if not todo:
            return versions
        needed = sorted({j for k in todo for j in (k - 1, k)})
        pipe = self.redis.pipeline(transaction=False)
        for j in needed:
            pipe.xrange(self.keys.events, versions[j].entry_id, versions[j].entry_id)
        events = dict(zip(needed, (_article_event(r) for r in pipe.execute()), strict=True))
        out = list(versions)
        for k in todo:
            old, new = events[k - 1], events[k]
            if old is not None and new is not None:
                out[k] = versions[k].model_copy(update={"changes": summarise(old.data,
                                                                             new.data)})
        return out


def _article_event(raw: list[tuple[bytes, dict[bytes, bytes]]]) -> ArticleEvent | None:
    if not raw:
        return None
    try:
        event = decode(raw[0][0], raw[0][1])
    except EventDecodeError:
        return None
    return event if isinstance(event, ArticleIngested | ArticleRevised) else None


def rebuild(client: redis.Redis, keys: Keys,
            entries: Iterable[tuple[str, AnyEvent | EventDecodeError]]) -> tuple[int, int]:
    """Rewrite the history of every article event in ``entries`` (the stream, oldest first).

    Each version is replaced in place in the sorted set ``Keys.history`` (ZREMRANGEBYSCORE
    v v + ZADD, in MULTI batches), which readers take with the versions list appends push to
    (the same entry there gives the same version), so appends running meanwhile are never
    lost, and versions already trimmed from the stream keep their summaries.
    Returns (versions written, articles touched). The articles are counted in a Redis set
    (unlinked at the end), so the process stays the same size whatever the stream holds.
    """
    seen = keys.history_rebuild_seen
    client.unlink(seen)
    pipe = client.pipeline(transaction=True)
    written, pending = 0, 0
    for eid, item in entries:
        if isinstance(item, EventDecodeError):
            log.warning("rebuild history: skipping undecodable entry %s: %s", eid, item)
            continue
        if not isinstance(item, ArticleIngested | ArticleRevised) or not item.article_id:
            continue
        key = keys.history(item.article_id)
        pipe.zremrangebyscore(key, item.version, item.version)
        pipe.zadd(key, {f"{eid}\n{summary_json(item)}": item.version})
        pipe.sadd(seen, item.article_id)
        written += 1
        pending += 1
        if pending >= REBUILD_BATCH:
            pipe.execute()
            pending = 0
    pipe.scard(seen)
    pipe.unlink(seen)
    articles = int(pipe.execute()[-2])
    return written, articles
