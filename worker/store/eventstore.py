"""The Redis event store: idempotent, versioned appends and reads by id range.

Appends are optimistic: build the event for ``version + 1`` of the version we believe
current, and let ``append.lua`` check atomically, per article, that the content changed and
the version is still the expected one. A conflict reports the current version and we try
again with it, so two concurrent revisions can never produce two events with the same
version. ``append.lua`` takes a batch of articles per call (every key shares our hash tag,
so it stays cluster-safe). It also checks, in the same atomic step, that the article's origin
(the source that established it) is the one revising it: another source's claim changes
nothing and is recorded as ``ingestion.failed`` with code ``source_conflict``
(docs/identity.md).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import islice
from typing import Any, Literal

import hiredis
import redis

from worker.errors import EventDecodeError, StoreError, VersionConflict
from worker.events.codec import decode, dump_json, encode
from worker.events.models import (
    AnyEvent,
    Article,
    Changes,
    Source,
    article_event,
    article_event_type,
    failure_event,
    origin_of,
)
from worker.redisconn import connect, to_str
from worker.settings import Settings
from worker.store import lua
from worker.store.history import revision_changes, summary_bytes
from worker.store.keys import Keys

log = logging.getLogger(__name__)

FAILURE_DEDUPE_TTL_S = 7 * 24 * 3600
PIPELINE_CHUNK = 500  # articles per append pipeline (memory bound; ~2 MB of commands)
SCRIPT_BATCH = 32  # articles per append.lua call: fewer calls, yet short enough not to
# stall other Redis clients (the script runs atomically)
FIRST_CALL = 4  # articles in a batch's first call (Redis waits for it to be encoded); each
# call after it is 1.5 times as long, up to SCRIPT_BATCH: Redis runs a call in about the time
# we encode one 1.4 times as long, so it hardly waits between calls (a model of 500 articles
# at 13 us client, 18.3 us Redis each: 4, 6, 9, ... 2.8% faster than 8, 32, ...; doubling 1%)
SOURCE_CONFLICT = "source_conflict"  # the failure code of a claim from a foreign origin
# append.lua's statuses (an append replies with its entry id alone) -> AppendResult.status;
# foreign: reason and failure event by _claims
_STATUSES: dict[str, Literal["unchanged", "failed"]] = {"unchanged": "unchanged",
                                                         "conflict": "unchanged",
                                                         "foreign": "failed"}


@dataclass(frozen=True, slots=True)
class AppendResult:
    """What one append did. ``failed`` (code ``source_conflict``): another origin owns the
    article; ``version``/``entry_id``/``event_id`` are then the owner's, left as they were."""

    status: Literal["appended", "unchanged", "failed"]
    article_id: str
    version: int
    entry_id: str
    event_id: str
    type: str
    title: str = ""
    code: str | None = None
    reason: str | None = None

    def as_dict(self) -> dict[str, Any]:
        out = {"status": self.status, "article_id": self.article_id, "version": self.version,
               "entry_id": self.entry_id, "event_id": self.event_id, "type": self.type,
               "title": self.title}
        return out if self.code is None else {**out, "code": self.code, "reason": self.reason}


def _first_round(articles: Sequence[Article], ids: list[str], this_round: list[int],
                 later: list[int]) -> Iterator[tuple[Article, str, int, Changes | None]]:
    """A batch's first round, each article's id computed (into ``ids``) as ``_run`` gets to
    it, so Redis runs the first call meanwhile; a repeat waits (``later``); all go as new."""
    seen: set[str] = set()
    for i, article in enumerate(articles):
        aid = article.article_id
        ids.append(aid)
        if aid in seen:
            later.append(i)
        else:
            seen.add(aid)
            this_round.append(i)
            yield article, aid, 0, None


# What append.lua did with one article: its result, or None for a conflict (retried), with
# the article's current version and entry id as Redis reported them.
Reply = tuple[AppendResult | None, int, str]


class EventStore:
    def __init__(self, client: redis.Redis, keys: Keys, *, origin_only: bool = True) -> None:
        self.redis = client
        self.keys = keys
        # Only an article's origin may revise it (settings.revisions_from_any_source off).
        self.origin_only = origin_only
        self._append_src = lua.source("append.lua")
        self._sha: str | None = None  # of append.lua, loaded on first use
        self._fail = client.register_script(lua.source("fail.lua"))

    @classmethod
    def from_settings(cls, settings: Settings, *, client: redis.Redis | None = None,
                      **connect_kwargs: Any) -> EventStore:
        """The store ``settings`` name: its Redis (``store_url``) and keys (``key_prefix``).

        ``client`` reuses a connection already open to that Redis; ``connect_kwargs`` go to
        :func:`worker.redisconn.connect` otherwise. Use ``.redis`` and ``.keys`` for the rest.
        """
        if client is None:
            client = connect(settings.store_url, **connect_kwargs)
        return cls(client, Keys(settings.key_prefix),
                   origin_only=not settings.revisions_from_any_source)

    # --- writing --------------------------------------------------------------------------
    def append(self, article: Article, *, correlation_id: str | None = None,
               expected_version: int | None = None) -> AppendResult:
        """Append one article. With ``expected_version`` a mismatch raises VersionConflict."""
        if expected_version is not None:
            aid = article.article_id
            prev: dict[str, Article | str] = {}
            if expected_version > 0:
                state = self.redis.hmget(self.keys.article(aid), ["version", "entry_id"])
                if state[1] is not None and int(state[0] or 0) == expected_version:
                    prev[aid] = to_str(state[1])
            [change] = revision_changes(self.redis, self.keys,
                                        [(article, aid, expected_version)], prev)
            [(out, current, _)] = [r for _, got in self._run(
                [(article, aid, expected_version, change)], correlation_id) for r in got]
            if out is None:
                raise VersionConflict(aid, expected_version, current)
            return self._claims([article], [out], correlation_id)[0]
        return self.append_many([article], correlation_id=correlation_id)[0]

    def append_many(self, articles: Sequence[Article], *,
                    correlation_id: str | None = None,
                    max_rounds: int = 10) -> list[AppendResult]:
        """Append many articles: one round trip per round, ``SCRIPT_BATCH`` per script call.

        Optimistic: an article we know nothing about is sent as new (version 0), so new and
        unchanged articles need no read first; a revision comes back as a conflict carrying
        the current version and goes again next round (that first round is not counted in
        ``max_rounds``), with its ``changes`` against the version Redis reported (read by
        entry id; append.lua refuses it if that version is no longer current).
        An article appearing twice in one batch is appended in order, in a later round.
        Big batches go in chunks of PIPELINE_CHUNK, one after the other (order kept): a
        pipeline buffers every command and reply, so one pipeline per 50,000-entry
        feed made worker memory grow with the feed.
        """
        if not articles:
            return []
        if len(articles) > PIPELINE_CHUNK:
            done: list[AppendResult] = []
            for k in range(0, len(articles), PIPELINE_CHUNK):
                done += self.append_many(articles[k:k + PIPELINE_CHUNK],
                                         correlation_id=correlation_id, max_rounds=max_rounds)
            return done
        ids: list[str] = []  # a blake2b each: computed once, as the first round sends them
        known: dict[str, int] = {}  # current version per article, as last reported by Redis
        # ... and that version: the article we appended, or the entry id Redis reported
        prev: dict[str, Article | str] = {}
        results: list[AppendResult | None] = [None] * len(articles)
        todo: list[int] = []
        for rnd in range(max_rounds + 1):
            # Only the first occurrence of each article this round; repeats wait a round.
            this_round: list[int] = []
            later: list[int] = []
            items: Iterable[tuple[Article, str, int, Changes | None]]
            if rnd == 0:
                items = _first_round(articles, ids, this_round, later)
            elif not todo:
                break
            else:
                seen: set[str] = set()
                for i in todo:
                    aid = ids[i]
                    (later if aid in seen else this_round).append(i)
                    seen.add(aid)
                batch = [(articles[i], ids[i], known.get(ids[i], 0)) for i in this_round]
                changes = revision_changes(self.redis, self.keys, batch, prev)
                items = [(*b, c) for b, c in zip(batch, changes, strict=True)]
            # Each call's replies as they come: Redis runs the next call meanwhile.
            for start, replies in self._run(items, correlation_id):
                for i, (out, current, entry_id) in zip(this_round[start:start + len(replies)],
                                                       replies, strict=True):
                    if out is None:
                        known[ids[i]] = current
                        prev[ids[i]] = entry_id
                    else:
                        known[ids[i]] = out.version
                        prev[ids[i]] = articles[i] if out.status == "appended" else out.entry_id
                        results[i] = out
            todo = sorted([i for i in this_round if results[i] is None] + later)  # conflicts
        if todo:
            raise StoreError(f"append: {len(todo)} articles still conflicting after {max_rounds} "
                             "rounds")
        return self._claims(articles, [r for r in results if r is not None], correlation_id)

    def _claims(self, articles: Sequence[Article], results: list[AppendResult],
                correlation_id: str | None) -> list[AppendResult]:
        """Record each foreign claim (``source_conflict``) as ``ingestion.failed``, naming the
        article it claimed and the origin that owns it; the results gain the reason."""
        foreign = [i for i, r in enumerate(results) if r.status == "failed"]
        if not foreign:
            return results
        pipe = self.redis.pipeline(transaction=False)
        for i in foreign:
            pipe.hget(self.keys.article(results[i].article_id), "origin")
        out = list(results)
        # One pipeline for all the failure events (a hostile feed may claim thousands).
        record = self._node().pipeline(transaction=False)
        for i, owner in zip(foreign, pipe.execute(), strict=True):
            art, res = articles[i], results[i]
            reason = (f"{art.url or art.identity} belongs to {to_str(owner) if owner else '?'}; "
                      f"{origin_of(art.source)} may not revise it")
            keys, args = self._failure_call(
                art.source, reason, code=SOURCE_CONFLICT, correlation_id=correlation_id,
                detail=f"article {res.article_id} v{res.version} kept", claimed=res.article_id)
            self._fail(keys=keys, args=args, client=record)
            out[i] = AppendResult(status="failed", article_id=res.article_id,
                                  version=res.version, entry_id=res.entry_id,
                                  event_id=res.event_id, type=res.type, title=art.title,
                                  code=SOURCE_CONFLICT, reason=reason)
        record.execute()
        log.info("%d claims on other origins' articles recorded (source_conflict)", len(foreign))
        return out

    def _node(self) -> Any:
        """The client to write through. On Redis Cluster: the node owning our hash tag's slot
        (every key we touch is in that slot; cluster pipelines refuse scripts)."""
        client: Any = self.redis
        if hasattr(client, "get_node_from_key"):  # redis.cluster.RedisCluster
            client = client.get_redis_connection(client.get_node_from_key(self.keys.events))
        return client

    def _run(self, batch: Iterable[tuple[Article, str, int, Changes | None]],
             correlation_id: str | None) -> Iterator[tuple[int, list[Reply]]]:
        """Send ``(article, article_id, current version, changes)`` through ``append.lua``,
        SCRIPT_BATCH per call; yields each call's :data:`Reply` list (one per article, in
        order) with the position of its first article. Each call is sent once encoded, then
        the reply to the one before it is read, converted and yielded, so Redis runs call k
        while we use k-1 and encode k+1 (a pipeline would send nothing before all is encoded,
        and give nothing back before all has run). After a NOSCRIPT it starts again from 0."""
        client = self._node()
        if self._sha is None:
            self._sha = str(client.script_load(self._append_src))
        pool = client.connection_pool
        conn = pool.get_connection()
        error: redis.ResponseError | None = None
        items = iter(batch)
        start = 0  # position of the next reply's first article
        art_key, hist_key = self.keys.article(""), self.keys.versions("")  # + the article id
        sent: list[tuple[Article, str, int, Changes | None]] = []  # for a NOSCRIPT retry
        try:
            # Per call sent, its articles: (article, article_id, current version, event_id)
            pending: list[list[tuple[Article, str, int, str]]] = []
            size = FIRST_CALL  # short: Redis starts on it while we encode the next, longer one
            while True:
                if chunk := list(islice(items, size)):
                    size = min(size + size // 2, SCRIPT_BATCH)
                    sent += chunk
                    call: list[tuple[Article, str, int, str]] = []
                    keys = [self.keys.events, self.keys.counters]
                    args: list[Any] = ["1" if self.origin_only else "0"]
                    for article, aid, current, changes in chunk:
                        event = article_event(article, version=current + 1,
                                              correlation_id=correlation_id, article_id=aid,
                                              changes=changes)
                        call.append((article, aid, current, event.event_id))
                        keys += [art_key + aid, hist_key + aid]
                        # Only the body: append.lua writes the flat fields from these args.
                        args += [article.content_hash, current, current + 1, event.type,
                                 event.event_id, aid, event.schema_version, dump_json(event),
                                 summary_bytes(event), origin_of(article.source)]
                    # hiredis packs the call in C (redis-py's pack: ~0.8 us per article more)
                    conn.send_packed_command(
                        [hiredis.pack_command(("EVALSHA", self._sha, len(keys), *keys, *args))])
                    pending.append(call)
                while len(pending) > (1 if chunk else 0):  # every reply is read, even
                    got: list[Reply] = []  # after an error: the connection stays in step
                    error = self._read(conn, pending[0], got, error)
                    yield start, got
                    start += len(pending.pop(0))
                if not chunk:
                    break
        except BaseException:
            conn.disconnect()  # replies may be unread: never reuse this connection
            raise
        finally:
            pool.release(conn)
        if error is not None:
            if not isinstance(error, redis.exceptions.NoScriptError):
                raise error
            # Script cache flushed (Redis restarted): load it and go again; safe, as an
            # article that did land comes back unchanged.
            self._sha = None
            yield from self._run(sent, correlation_id)

    def _read(self, conn: Any, call: list[tuple[Article, str, int, str]],
              out: list[Reply], error: redis.ResponseError | None
              ) -> redis.ResponseError | None:
        """Read one call's reply into ``out``; the first error is kept, not raised."""
        try:
            reply = conn.read_response()
        except redis.ResponseError as exc:
            return error or exc
        # Replies of our own script: bytes, so to_str's checks are skipped.
        values = [x.decode("utf-8", "replace") if type(x) is bytes else to_str(x)
                  for x in reply]
        j = 0
        for article, aid, current, event_id in call:
            status = values[j]
            if status in _STATUSES:  # unchanged | conflict | foreign: 4 values
                v, entry_id, event_id = int(values[j + 1]), values[j + 2], values[j + 3]
                j += 4
            else:  # appended: just its entry id
                v, entry_id, status = current + 1, status, "appended"
                j += 1
            out.append((None if status == "conflict" else AppendResult(
                status=_STATUSES.get(status, "appended"), article_id=aid, version=v,
                entry_id=entry_id, event_id=event_id, type=article_event_type(v),
                title=article.title, code=SOURCE_CONFLICT if status == "foreign" else None),
                        v, entry_id))
        return error

    def record_failure(self, source: Source, reason: str, *, code: str = "rejected",
                       correlation_id: str | None = None,
                       detail: str | None = None) -> str | None:
        """Append an ``ingestion.failed`` event; once per (submission, source) on retries.

        Returns the entry id, or None when this submission's failure was already recorded.
        """
        keys, args = self._failure_call(source, reason, code=code,
                                        correlation_id=correlation_id, detail=detail)
        res = self._fail(keys=keys, args=args)
        log.info("ingestion failed: %s: %s", source.location, reason)
        return to_str(res) if res else None

    def _failure_call(self, source: Source, reason: str, *, code: str,
                      correlation_id: str | None, detail: str | None,
                      claimed: str = "") -> tuple[list[str], list[Any]]:
        """fail.lua's keys and args for one failure, deduped per (submission, source) and,
        for a claim, the article claimed (one source may claim many)."""
        event = failure_event(source, reason, code=code, correlation_id=correlation_id,
                              detail=detail)
        ident = f"{correlation_id or event.event_id}|{source.kind}|{source.location}"
        ident += f"|{claimed}" if claimed else ""  # markers of other failures stay as they were
        marker = self.keys.failure_marker(hashlib.sha256(ident.encode()).hexdigest()[:32])
        flat: list[Any] = []
        for k, v in encode(event).items():
            flat += [k, v]
        return [self.keys.failures, marker, self.keys.counters], [FAILURE_DEDUPE_TTL_S, code,
                                                                  *flat]

    # --- reading --------------------------------------------------------------------------
    def version_of(self, article_id: str) -> int:
        return int(self.redis.hget(self.keys.article(article_id), "version") or 0)

    def read(self, start: str = "-", end: str = "+", count: int | None = None, *,
             stream: str | None = None) -> list[tuple[str, AnyEvent]]:
        """Events with ids in [start, end]. Undecodable entries raise EventDecodeError."""
        raw = self.redis.xrange(stream or self.keys.events, start, end, count=count)
        return [(to_str(eid), decode(eid, fields)) for eid, fields in raw]

    def read_failures(self, start: str = "-", end: str = "+",
                      count: int | None = None) -> list[tuple[str, AnyEvent]]:
        return self.read(start, end, count, stream=self.keys.failures)

    def iter_all(self, start: str = "-", *, stream: str | None = None,
                 page: int = 1000) -> Iterator[tuple[str, AnyEvent | EventDecodeError]]:
        """Walk the whole stream in pages; bad entries are yielded as their error."""
        key = stream or self.keys.events
        cursor = start
        while True:
            raw = self.redis.xrange(key, cursor, "+", count=page)
            for eid, fields in raw:
                try:
                    yield to_str(eid), decode(eid, fields)
                except EventDecodeError as exc:
                    yield to_str(eid), exc
            if len(raw) < page:
                return
            cursor = "(" + to_str(raw[-1][0])

    def length(self) -> int:
        return int(self.redis.xlen(self.keys.events))
