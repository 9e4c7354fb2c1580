"""The ``stories`` read model and handler: every article assigned to one story.

An article joins the story of its most similar earlier article when their similarity (the
share of the shorter body's word shingles found in the other, estimated with MinHash: see
``worker.consumers.similarity``) reaches ``story_same_containment_min`` (at
``story_duplicate_containment_min`` it is recorded as a ``duplicate``); otherwise it founds
a story whose id is derived from its article id. The founding article gives the story its
title.

Keys (``Keys.stories``): ``assigned`` (hash article_id -> story_id: the record of what was
processed), ``signatures`` (hash article_id -> MinHash sketch bytes), ``lsh`` (hash band number +
the band's rows -> space-separated article ids), ``docs`` (hash story_id -> JSON
representative), ``by_last_seen`` (sorted set story_id by last_seen epoch seconds), ``seq``
(the token of the last commit), ``seen`` (sorted set article_id by its event's time) and
``trimmed`` (retention's counter: ``story_retention``); and the ``story.article_added`` stream
(``Keys.story_events``). Measured memory: about 4.9 KB of Redis per indexed article (the
``stories_assign`` bench row, ``bytes_per_article``), three quarters of it the ~37 LSH bucket
entries.

Idempotent and safe with several consumers: a consumer reads, decides a whole batch, and
one Lua script commits it (buckets, assignments, sketches, representatives, events) only if
nothing it read has changed since (see ``COMMIT_LUA``); otherwise it reads and decides again.
A redelivered event changes nothing and emits nothing. A revision keeps its article's story.
Deterministic: the decision depends only on the articles assigned before (ties broken by
article id) and the timestamps come from the events, so the same input order gives the same
stories; ``rebuild`` replays the stream in order into ``stories-build:*`` and swaps them in.
With several consumers the input order is the order in which their batches commit.
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from itertools import chain
from typing import Any
from urllib.parse import urlsplit

import orjson
import redis

from worker.consumers.builtin.story_commit import COMMIT_LUA, EVENT_FIELDS, PARTS, RECORD
from worker.consumers.builtin.story_retention import expire_stories
from worker.consumers.handler import Handler, HandlerContext
from worker.consumers.similarity import NEW, Sketch, band_fields, level, similarity, sketches
from worker.errors import EventDecodeError, HandlerError
from worker.events.models import ARTICLE_INGESTED, ARTICLE_REVISED, AnyEvent, ArticleEvent
from worker.events.stories import StoryArticleAdded, encode_story_event, story_event_id
from worker.settings import Settings
from worker.store.eventstore import EventStore
from worker.store.keys import Keys

log = logging.getLogger(__name__)

COMMIT_ATTEMPTS = 50


@dataclass(frozen=True, slots=True)
class Commit:
    """A batch's decisions and what they were decided on (see ``COMMIT_LUA``)."""

    seq: bytes  # the last commit's token when read
    trimmed: bytes  # retention's counter when read
    read: dict[bytes, bytes | None]  # the buckets read, as they were
    grown: list[bytes]  # bucket field, new value, ...
    records: list[Any]  # RECORD values per article


def story_id_for(article_id: str) -> str:
    return hashlib.blake2b(f"story\x00{article_id}".encode(), digest_size=8).hexdigest()


def seen_iso(when: datetime) -> str:
    """Fixed-width UTC, so that the Lua script can compare timestamps as strings."""
    when = when if when.tzinfo else when.replace(tzinfo=UTC)
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def source_name(event: ArticleEvent) -> str:
    art = event.data
    if art.site_name:
        return art.site_name
    host = urlsplit(art.url).hostname if art.url else None
    return host or art.source.kind


class Stories:
    def __init__(self, client: redis.Redis, keys: Keys, settings: Settings, *,
                 build: bool = False, emit: bool = True) -> None:
        self.redis, self.keys, self.settings, self.emit = client, keys, settings, emit
        # a key of this read model, or of its twin that `rebuild` fills
        self.key = partial(keys.stories, build=build)
        self._commit = client.register_script(COMMIT_LUA.replace("RECORD", str(RECORD)))

    def all_keys(self) -> list[str]:
        return [self.key(p) for p in PARTS]

    # --- writing ------------------------------------------------------------------------------
    def assign(self, event: AnyEvent) -> str | None:
        """The story of the event's article (assigning it when new); None for other events."""
        return self.assign_many([event])[0]

    def assign_many(self, events: Sequence[AnyEvent]) -> list[str | None]:
        """``assign`` for a batch, in order: sketch every article at once, then read what is
        known (the articles' assignments and buckets; then the candidates' sketches), decide
        each article in order (the batch's earlier articles take part exactly as stored
        ones would) and commit every decision in one script call.

        Safe with several consumers in the group: the commit writes nothing if a bucket it
        read has grown or an article of the batch was assigned since the read; the batch
        is then decided again on fresh reads. The outcome is that of some serial order of
        the batches (the order of their commits)."""
        todo = [e for e in events if isinstance(e, ArticleEvent) and e.article_id]
        sks = sketches([e.data.body or (e.data.title,) for e in todo], self.settings)
        fields = [band_fields(sk, self.settings) if sk is not None else [] for sk in sks]
        for _ in range(COMMIT_ATTEMPTS):
            story, planned = self.plan(todo, sks, fields)
            if planned is None or self.commit(planned):
                return [story.get(str(e.article_id)) if isinstance(e, ArticleEvent)
                        else None for e in events]
        raise HandlerError(f"stories: {COMMIT_ATTEMPTS} attempts to commit a batch of "
                           f"{len(todo)} all met another consumer's commits; retried later")

    def plan(self, todo: Sequence[ArticleEvent], sks: Sequence[Sketch | None],
             fields: Sequence[list[bytes]]) -> tuple[dict[str, str], Commit | None]:
        """Read and decide: (article -> story for the batch, the commit's arguments or None
        when there is nothing to commit)."""
        ids = [str(e.article_id) for e in todo]
        wanted = list(dict.fromkeys(chain.from_iterable(fields)))
        pipe = self.redis.pipeline(transaction=True)  # one consistent snapshot
        pipe.get(self.key("seq"))
        pipe.get(self.key("trimmed"))
        for key, names in (("assigned", ids), ("lsh", wanted)):
            if names:
                pipe.hmget(self.key(key), names)
            else:
                pipe.echo(b"")  # keeps one reply each
        seq, trimmed, assigned, raw_buckets = pipe.execute()
        story: dict[str, str] = {a: v.decode() for a, v in zip(ids, assigned or (), strict=False)
                                 if v is not None}
        raw = dict(zip(wanted, raw_buckets or (), strict=False))
        # bucket -> article ids, this batch's decided articles added as they are decided
        members = {x: v.decode().split() for x, v in raw.items() if v}
        # Sketches of every candidate but this batch's unassigned articles (decided below)
        unassigned = set(ids) - story.keys()
        known = self._known(sorted(set(chain.from_iterable(members.values())) - unassigned),
                            story)
        touched: set[bytes] = set()
        records: list[Any] = []
        for ev, sk, f in zip(todo, sks, fields, strict=True):
            aid = str(ev.article_id)
            if aid in story:
                continue  # redelivered, or twice in this batch
            cands = set(chain.from_iterable(filter(None, map(members.get, f))))
            cands.discard(aid)
            matched, sim, sid = self._closest(sk, sorted(cands), known, story)
            sid = sid or story_id_for(aid)
            story[aid] = sid
            if sk is not None:
                known[aid] = sk
                touched.update(f)
                for x in f:
                    members.setdefault(x, []).append(aid)
            records += self._commit_args(ev, sk, sid, matched, sim)
        if not records:
            return story, None
        grown = [y for x in touched for y in (x, " ".join(members[x]).encode())]
        return story, Commit(seq or b"", trimmed or b"", raw, grown, records)

    def commit(self, plan: Commit) -> bool:
        """Commit a planned batch; False when what it was decided on has changed since (and
        nothing was written). The buckets' lengths are sent only when needed: with one
        consumer every commit finds ``seq`` as it read it."""
        keys = [*self.all_keys(), self.keys.story_events]
        tail = [len(plan.grown) // 2, *plan.grown, *plan.records]
        token = uuid.uuid4().hex
        got = self._commit(keys=keys, args=[plan.seq, token, plan.trimmed, -1, *tail])
        if got == b"stale":
            checks = [y for x, v in plan.read.items() for y in (x, len(v or b""))]
            got = self._commit(keys=keys, args=[plan.seq, token, plan.trimmed, len(plan.read),
                                                *checks, *tail])
        return bool(got == b"ok")

    def _known(self, ids: list[str], story: dict[str, str]) -> dict[str, Sketch]:
        """Sketches of stored, assigned articles, their stories added to ``story`` (an article
        left in a bucket without an assignment, which a version before the one-script
        commit could leave after a crash, is left out)."""
        if not ids:
            return {}
        pipe = self.redis.pipeline(transaction=False)
        pipe.hmget(self.key("signatures"), ids)
        pipe.hmget(self.key("assigned"), ids)
        sigs, stories = pipe.execute()
        story.update({a: s.decode() for a, s in zip(ids, stories, strict=True) if s})
        return {a: Sketch.from_bytes(raw) for a, raw, s in zip(ids, sigs, stories, strict=True)
                if raw is not None and s is not None}

    def _closest(self, sk: Sketch | None, cands: list[str], known: dict[str, Sketch],
                 story: dict[str, str]) -> tuple[str | None, float, str | None]:
        """(article, similarity, story) of the most similar assigned candidate at or above
        the same-story level; ties go to the smaller article id."""
        best: tuple[float, str] | None = None
        if sk is not None:
            for cand in cands:
                other = known.get(cand)
                if other is None:
                    continue
                sim = similarity(sk, other)
                if sim >= self.settings.story_same_containment_min and (
                        best is None or sim > best[0]):
                    best = (sim, cand)
        if best is None:
            return None, 0.0, None
        return best[1], best[0], story[best[1]]

    def _commit_args(self, event: ArticleEvent, sk: Sketch | None, sid: str,
                     matched: str | None, sim: float) -> list[Any]:
        aid = str(event.article_id)
        ev = StoryArticleAdded(
            event_id=story_event_id(sid, aid), story_id=sid, article_id=aid,
            article_version=max(event.version, 1), article_event_id=event.event_id,
            level=level(sim, self.settings) if matched else NEW,
            similarity=round(min(sim, 1.0), 4) if matched else 0.0, matched_article_id=matched,
            source=source_name(event), title=event.data.title, seen_at=event.occurred_at,
            recorded_at=event.occurred_at)
        flat = [x for kv in encode_story_event(ev).items() for x in kv]
        assert len(flat) == 2 * EVENT_FIELDS  # the commit script reads fixed-size records
        return [aid, sid, sk.to_bytes() if sk is not None else b"",
                event.occurred_at.timestamp(), seen_iso(event.occurred_at), event.data.title,
                ev.source, "1" if self.emit else "0", *flat]

    # --- reading ------------------------------------------------------------------------------
    def get(self, story_id: str) -> dict[str, Any] | None:
        raw = self.redis.hget(self.key("docs"), story_id)
        return public(orjson.loads(raw)) if raw else None

    def story_of(self, article_id: str) -> str | None:
        raw = self.redis.hget(self.key("assigned"), article_id)
        return raw.decode() if raw else None

    def listing(self, *, since: datetime | None = None, min_size: int = 1,
                limit: int = 100) -> list[dict[str, Any]]:
        """Stories last seen at or after ``since``, largest first (then latest, then id)."""
        low: float | str = since.timestamp() if since else "-inf"
        ids = self.redis.zrangebyscore(self.key("by_last_seen"), low, "+inf")
        docs = [public(orjson.loads(r))
                for r in (self.redis.hmget(self.key("docs"), ids) if ids else []) if r]
        docs = [d for d in docs if d["size"] >= min_size]
        docs.sort(key=lambda d: d["story_id"])
        docs.sort(key=lambda d: (d["size"], d["last_seen"]), reverse=True)
        return docs[:limit]

    def state_hash(self, *, page: int = 500) -> str:
        """SHA-256 over the assignments and representatives: equal hashes, equal stories.

        Walks ``by_last_seen`` (every story is in it) by rank a page at a time, hashing each
        representative and its articles' assignments (HMGET), never a whole hash; the counts
        cover entries outside that walk.
        """
        h = hashlib.sha256()
        h.update(b"%d/%d\x00" % (int(self.redis.hlen(self.key("assigned"))),
                                  int(self.redis.hlen(self.key("docs")))))
        start = 0
        while ids := self.redis.zrange(self.key("by_last_seen"), start, start + page - 1):
            docs = [public(orjson.loads(raw)) if raw else None
                    for raw in self.redis.hmget(self.key("docs"), ids)]
            members = [a for d in docs if d for a in d["article_ids"]]
            sids = iter(self.redis.hmget(self.key("assigned"), members) if members else [])
            for doc in docs:
                h.update(orjson.dumps(doc, option=orjson.OPT_SORT_KEYS))
                for aid in doc["article_ids"] if doc else []:
                    h.update(aid.encode() + b"=" + (next(sids) or b"") + b"\x01")
            start += page
        return h.hexdigest()


def public(doc: dict[str, Any]) -> dict[str, Any]:
    """The representative as the CLI and API show it (fixed key order)."""
    return {"story_id": doc["story_id"], "size": int(doc["size"]), "title": doc["title"],
            "first_seen": doc["first_seen"], "last_seen": doc["last_seen"],
            "article_ids": list(doc["article_ids"]), "sources": list(doc["sources"])}


def rebuild(client: redis.Redis, keys: Keys, settings: Settings, *, page: int = 500
            ) -> tuple[int, str]:
    """Replay the whole article stream, in order, into fresh keys, then swap them in.

    The ``story.article_added`` stream is left as it is: it records what the live handler
    decided (event ids are derived from story and article, so a re-decision that agrees
    carries the same id). Events appended meanwhile are assigned after the swap.
    Returns (events read, state hash).
    """
    staging = Stories(client, keys, settings, build=True, emit=False)
    client.unlink(*staging.all_keys())  # freed off Redis' main thread, as in the swap
    store = EventStore(client, keys)
    last, n = replay_into(staging, store, "-", page)
    live = Stories(client, keys, settings)
    pipe = client.pipeline(transaction=True)
    pipe.unlink(*live.all_keys())
    for part in PARTS:
        if client.exists(staging.key(part)):
            pipe.rename(staging.key(part), live.key(part))
    pipe.execute()
    if last:
        replay_into(live, store, "(" + last, page)
    return n, live.state_hash()


def replay_into(stories: Stories, store: EventStore, start: str, page: int
                ) -> tuple[str, int]:
    """Assign the stream's events from ``start`` on, a page at a time, in stream order.
    Returns (last entry id read, or "", events decoded)."""
    last, n, batch = "", 0, []
    for eid, item in store.iter_all(start, page=page):
        last = eid
        if isinstance(item, EventDecodeError):
            log.warning("stories: skipping undecodable entry %s: %s", eid, item)
            continue
        batch.append(item)
        if len(batch) >= page:
            n += len(batch)
            stories.assign_many(batch)
            batch = []
    stories.assign_many(batch)
    return last, n + len(batch)


class StoriesHandler(Handler):
    """Consumer-group handler assigning each article to a story."""

    event_types = frozenset({ARTICLE_INGESTED, ARTICLE_REVISED})
    idempotent = True  # the commit script records each article once
    batched = True  # three round trips per batch (see Stories.assign_many)

    def __init__(self, ctx: HandlerContext) -> None:
        self.stories = Stories(ctx.redis, ctx.keys, ctx.settings)

    def handle(self, event: AnyEvent) -> None:
        self.stories.assign(event)

    def handle_batch(self, events: Sequence[AnyEvent]) -> None:
        self.stories.assign_many(events)

    def maintain(self) -> None:
        # Applied here, after the store's pass, not by worker.store.expiry: the store sits
        # below the read models (docs/architecture.md) and the bands are computed here.
        if self.stories.settings.retention_s:
            expire_stories(self.stories.redis, self.stories.keys, self.stories.settings)
