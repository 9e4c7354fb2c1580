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
representative), ``by_last_seen`` (sorted set story_id by last_seen epoch seconds); and the
``story.article_added`` stream (``Keys.story_events``).

Idempotent: one Lua script checks ``assigned``, then records the assignment, the sketch,
the representative and the event together, so a redelivered event changes nothing and emits
nothing. The LSH buckets are written just before, one HSET per batch (measured: appending to
37 buckets inside the script cost ~0.3 ms of Redis time per article); an id in a bucket
counts only once it is assigned. A revision keeps its article's story.
Deterministic: the decision depends only on the articles assigned before (ties broken by
article id) and the timestamps come from the events, so the same input order gives the same
stories; ``rebuild`` replays the stream in order into ``stories-build:*`` and swaps them in.
Run one consumer for this group: two consumers assigning near-duplicates at the same moment
could each found a story.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from datetime import UTC, datetime
from functools import partial
from typing import Any
from urllib.parse import urlsplit

import orjson
import redis

from worker.consumers.handler import Handler, HandlerContext
from worker.consumers.similarity import NEW, Sketch, band_fields, level, similarity, sketch
from worker.errors import EventDecodeError
from worker.events.models import ARTICLE_INGESTED, ARTICLE_REVISED, AnyEvent, ArticleEvent
from worker.events.stories import StoryArticleAdded, encode_story_event, story_event_id
from worker.settings import Settings
from worker.store.eventstore import EventStore
from worker.store.keys import Keys

log = logging.getLogger(__name__)

PARTS = ("assigned", "signatures", "lsh", "docs", "by_last_seen")

# KEYS: assigned, signatures, lsh (unused here), docs, by_last_seen, story_events
# ARGV: article_id, story_id, sketch ('' = none), seen score, seen ISO, title, source,
#       emit (1/0), event fields...
COMMIT_LUA = """
local aid, sid = ARGV[1], ARGV[2]
local prev = redis.call('HGET', KEYS[1], aid)
if prev then return {'assigned', prev} end
redis.call('HSET', KEYS[1], aid, sid)
if ARGV[3] ~= '' then redis.call('HSET', KEYS[2], aid, ARGV[3]) end
local raw = redis.call('HGET', KEYS[4], sid)
local d
if raw then d = cjson.decode(raw) else
  d = {story_id = sid, title = ARGV[6], first_seen = ARGV[5], last_seen = ARGV[5],
       sources = {}, article_ids = {}, size = 0}
end
table.insert(d.article_ids, aid)
d.size = #d.article_ids
local known = false
for _, s in ipairs(d.sources) do if s == ARGV[7] then known = true end end
if not known then table.insert(d.sources, ARGV[7]) end
if ARGV[5] < d.first_seen then d.first_seen = ARGV[5] end
if ARGV[5] > d.last_seen then d.last_seen = ARGV[5] end
redis.call('HSET', KEYS[4], sid, cjson.encode(d))
local score = redis.call('ZSCORE', KEYS[5], sid)
if (not score) or tonumber(ARGV[4]) > tonumber(score) then
  redis.call('ZADD', KEYS[5], ARGV[4], sid)
end
if ARGV[8] == '1' then redis.call('XADD', KEYS[6], '*', unpack(ARGV, 9)) end
return {'added', sid}
"""


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
        self._commit = client.register_script(COMMIT_LUA)

    def all_keys(self) -> list[str]:
        return [self.key(p) for p in PARTS]

    # --- writing ------------------------------------------------------------------------------
    def assign(self, event: AnyEvent) -> str | None:
        """The story of the event's article (assigning it when new); None for other events."""
        return self.assign_many([event])[0]

    def assign_many(self, events: Sequence[AnyEvent]) -> list[str | None]:
        """``assign`` for a batch, in order, in three round trips: read what is known (the
        articles' assignments and buckets, then the candidates' sketches and stories),
        decide each article in order (seeing the batch's earlier articles as if they were
        stored), commit every decision (one script call each, pipelined).

        The decisions are those of assigning one event at a time: the batch's earlier
        articles take part exactly as stored ones would."""
        todo = [(e, sketch(e.data.body or (e.data.title,), self.settings))
                for e in events if isinstance(e, ArticleEvent)
                and e.article_id]
        fields = [band_fields(sk, self.settings) if sk is not None else [] for _, sk in todo]
        pipe = self.redis.pipeline(transaction=False)
        for (ev, _), f in zip(todo, fields, strict=True):
            pipe.hget(self.key("assigned"), ev.article_id)
            if f:
                pipe.hmget(self.key("lsh"), f)
            else:
                pipe.echo(b"")  # keeps two replies per article
        read = pipe.execute()
        stored = {str(ev.article_id): read[2 * i] for i, (ev, _) in enumerate(todo)}
        stored_buckets: dict[bytes, list[str]] = {}
        for i, f in enumerate(fields):
            for x, b in zip(f, read[2 * i + 1] or [], strict=False):
                stored_buckets[x] = b.decode().split() if b else []
        buckets = [[m for x in f for m in stored_buckets[x]] for f in fields]
        story: dict[str, str] = {a: v.decode() for a, v in stored.items() if v is not None}
        # Sketches of every candidate but this batch's unassigned articles (decided below)
        unassigned = {a for a, v in stored.items() if v is None}
        known = self._known(sorted({m for b in buckets for m in b} - unassigned), story)
        local: dict[bytes, list[str]] = {}  # this batch's buckets
        commits: list[tuple[list[Any], str]] = []
        for (ev, sk), f, found in zip(todo, fields, buckets, strict=True):
            aid = str(ev.article_id)
            if aid in story:
                continue  # redelivered, or twice in this batch
            cands = sorted((set(found) | {m for x in f for m in local.get(x, ())}) - {aid})
            matched, sim, sid = self._closest(sk, cands, known, story)
            sid = sid or story_id_for(aid)
            story[aid] = sid
            if sk is not None:
                known[aid] = sk
                for x in f:
                    local.setdefault(x, []).append(aid)
            commits.append((self._commit_args(ev, sk, sid, matched, sim), aid))
        pipe = self.redis.pipeline(transaction=False)
        # Buckets first, in one write: a crash before the commits leaves ids in buckets that
        # are not assigned, which readers skip (and a redelivery does not add twice).
        grown = {x: " ".join(dict.fromkeys([*stored_buckets.get(x, []), *ids]))
                 for x, ids in local.items()}
        if grown:
            pipe.hset(self.key("lsh"), mapping=grown)
        for args, _ in commits:
            self._commit(keys=[*self.all_keys(), self.keys.story_events], args=args, client=pipe)
        replies = pipe.execute()[1 if grown else 0:]
        for (status, got), (_, aid) in zip(replies, commits, strict=True):
            if status == b"assigned":  # another consumer was first: its decision stands
                story[aid] = got.decode()
        return [story.get(str(e.article_id)) if isinstance(e, ArticleEvent)
                else None for e in events]

    def _known(self, ids: list[str], story: dict[str, str]) -> dict[str, Sketch]:
        """Sketches of stored, assigned articles, their stories added to ``story`` (a
        half-written one, by a consumer that crashed before its commit, has no assignment
        and is left out)."""
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

    def state_hash(self) -> str:
        """SHA-256 over the assignments and representatives: equal hashes, equal stories."""
        h = hashlib.sha256()
        for field, value in sorted(self.redis.hgetall(self.key("assigned")).items()):
            h.update(field + b"=" + value + b"\x01")
        for _field, value in sorted(self.redis.hgetall(self.key("docs")).items()):
            h.update(orjson.dumps(public(orjson.loads(value)), option=orjson.OPT_SORT_KEYS))
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
    client.delete(*staging.all_keys())
    store = EventStore(client, keys)
    last, n = replay_into(staging, store, "-", page)
    live = Stories(client, keys, settings)
    pipe = client.pipeline(transaction=True)
    pipe.delete(*live.all_keys())
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
