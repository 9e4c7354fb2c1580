"""Feed polling: conditional fetch -> parse -> one pipelined append, per-feed state in Redis.

No Celery here (the thin tasks in worker.tasks.feeds call these functions). One poll reads one
feed and appends its entries chunk by chunk (``append_many`` per ~500), so a huge feed never
has all its articles in memory. A 200 whose bytes match the last parsed body counts as a 304
(not parsed again). Entries whose content hash matches what this feed produced last time are
skipped before the store is asked (so a full-text revision is not undone by the next poll's
summary). A Redis lock (SET NX PX + token, compare-and-delete release) keeps two
polls of one feed from overlapping. Failures back off exponentially (honouring Retry-After) and
park the feed after ``feed_max_errors`` in a row; a forced (manual) poll that succeeds unparks
it.
"""

from __future__ import annotations

import hashlib
import logging
import re
import time
import uuid
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import redis

from worker import metrics
from worker.errors import ConfigError, FetchError, RejectedInput
from worker.events.limits import capped
from worker.events.models import Article, Source
from worker.feeds import state as feed_state
from worker.feeds.parse import feed_chunks, open_feed
from worker.feeds.schedule import FeedConfig, feed_id_for, load_schedule, passes_filters
from worker.normalise.article import NORMALISER_VERSION, normalise_html
from worker.normalise.meta import canonical_url
from worker.redisconn import to_str
from worker.settings import Settings
from worker.sources.fetch import fetch
from worker.sources.files import read_file
from worker.store.eventstore import AppendResult, EventStore
from worker.store.keys import Keys

log = logging.getLogger(__name__)

BACKOFF_CAP_S = 24 * 3600.0
CHUNK = 500  # articles built and appended at a time
HOST_INTERVAL_S = 1.0  # full-text fetches: at most one request per second per host
URL_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
RELEASE_LOCK = """if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0"""
# Reserve the next free per-host slot: returns milliseconds to wait (0 = go now).
RESERVE_HOST_SLOT = """local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local free = tonumber(redis.call('GET', KEYS[1]) or '0')
local slot = math.max(now, free)
redis.call('SET', KEYS[1], slot + tonumber(ARGV[1]), 'PX', slot - now + tonumber(ARGV[1]) + 1000)
return slot - now"""


def body_digest(raw: bytes, headers: dict[str, str], location: str, cfg: FeedConfig) -> str:
    """What a feed's articles depend on: its bytes, where it came from, the headers the
    parsers read (charset, base URL, language), the feed's own options (tags, filters,
    fulltext) and the normaliser's version: a change to any of them parses it again."""
    h = hashlib.blake2b(raw, digest_size=16)
    low = {k.lower(): v for k, v in headers.items()}
    for name in ("content-type", "content-location", "content-language"):
        h.update(b"\0" + low.get(name, "").encode("utf-8", "replace"))
    h.update(b"\0" + location.encode("utf-8", "replace"))
    h.update(repr((cfg.tags, cfg.keep, cfg.block, cfg.fulltext, NORMALISER_VERSION)).encode())
    return h.hexdigest()


def is_url(target: str) -> bool:
    return bool(URL_RE.match(target)) and not re.match(r"^[A-Za-z]:[\\/]", target)


def backoff_s(errors: int, base: float, retry_after: float | None = None) -> float:
    delay = min(base * 2.0 ** max(0, errors - 1), BACKOFF_CAP_S)
    return max(delay, retry_after or 0.0)


def find_config(target: str, settings: Settings) -> FeedConfig | None:
    try:
        return next((c for c in load_schedule(settings.feeds_file) if c.url == target), None)
    except ConfigError as exc:
        log.warning("%s", exc)
        return None


def poll(target: str, settings: Settings, st: EventStore, *, options: dict[str, Any] | None = None,
         correlation_id: str | None = None) -> dict[str, Any]:
    """Poll one feed (URL or local path). Never raises for bad input or network trouble."""
    opts = dict(options or {})
    force = bool(opts.pop("force", False))
    # queue_due already judged the feed due and claimed its slot (moving next_due_at on):
    # the poll it queued must not then refuse itself as "not due".
    scheduled = bool(opts.pop("scheduled", False))
    if not {"interval_s", "tags", "keep", "block", "fulltext"} & opts.keys():
        found = find_config(target, settings)
        opts = {**(found.as_options() if found else {}), **opts}
    cfg = FeedConfig.from_options(target, opts)
    fid = feed_id_for(target)
    keys, client = st.keys, st.redis
    base = {"feed_id": fid, "url": target}
    # One script call takes the lock and reads the state; the release rides in the final
    # state update (one script call too): 2 round trips and 2 commands per 304 poll.
    lock = (keys.feed_lock(fid), uuid.uuid4().hex)
    ttl_ms = int((settings.fetch_deadline_s + settings.task_time_limit_s) * 1000)
    raw_state = feed_state.run(client, feed_state.LOCK_AND_READ, [lock[0], keys.feed(fid)],
                               [lock[1], ttl_ms])
    if raw_state is None:
        return {**base, "status": "skipped_locked", "reason": "feed is being polled"}
    release: tuple[str, str] | None = lock
    try:
        pairs = iter(raw_state)
        state = {to_str(k): to_str(v) for k, v in zip(pairs, pairs, strict=True)}
        now = time.time()
        if not force and state.get("parked") == "1":
            return {**base, "status": "skipped_parked", "reason": state.get("parked_reason", "")}
        if not (force or scheduled) and float(state.get("next_due_at") or 0) > now + 1:
            return {**base, "status": "skipped_not_due", "reason": "not due yet"}
        url = state.get("url") or target
        try:
            result = _poll_once(url, cfg, state, settings, st, fid, correlation_id)
        except (RejectedInput, FetchError) as exc:
            out = _failed(st, fid, url, state, exc, settings, correlation_id, now, lock)
            release = None
            return out
        result = {**base, **result}
        _record_ok(client, keys, fid, result, cfg, now, lock, state)
        release = None
        return result
    finally:
        if release is not None:
            _release(client, *release)


def _release(client: redis.Redis, key: str, token: str) -> None:
    try:
        client.eval(RELEASE_LOCK, 1, key, token)
    except redis.RedisError:  # expires on its own (PX)
        log.warning("could not release feed lock %s", key)


def _poll_once(url: str, cfg: FeedConfig, state: dict[str, str], settings: Settings,
               st: EventStore, fid: str, cid: str | None) -> dict[str, Any]:
    headers: dict[str, str] = {}
    update: dict[str, str] = {}
    if is_url(url):
        res = fetch(url, settings, etag=state.get("etag") or None,
                    last_modified=state.get("last_modified") or None)
        update = {"etag": res.etag or state.get("etag", ""),
                  "last_modified": res.last_modified or state.get("last_modified", "")}
        if res.permanent_redirect_to:
            log.info("feed %s moved permanently to %s", url, res.permanent_redirect_to)
            update["url"] = res.permanent_redirect_to
        if res.not_modified:
            return {"status": "not_modified", "entries": 0, "appended": 0, "state": update}
        raw, headers, location = res.content, res.headers, url
    else:
        source, raw = read_file(url, settings)
        location = source.location
    digest = body_digest(raw, headers, location, cfg)
    if digest == state.get("body_hash"):
        # Byte for byte what the last good poll parsed (an ETag that changes on every
        # request, a server that ignores validators): parsing it again would find nothing
        # new, so it is the 304 the server did not send.
        return {"status": "not_modified", **_no_entries(), "failed_entries": 0, "duplicates": 0,
                "state": update, "fulltext": cfg.fulltext, "same_body": True}
    update["body_hash"] = digest
    source = Source(kind="feed", location=location)
    try:
        stream = open_feed(raw, source=source, settings=settings, headers=headers, tags=cfg.tags)
    except RejectedInput as exc:
        if exc.reason == "feed has no entries":  # a quiet feed is not a broken one
            return {"status": "ok", "entries": 0, "appended": 0, "state": update}
        raise
    del raw  # the stream holds what it needs
    # Chunk by chunk: the feed's articles never exist all at once (flat memory).
    totals = _no_entries()
    hashes: dict[str, str] = {}  # article id -> content hash: this poll's entries
    ekey = st.keys.feed_entries(fid)
    for chunk in feed_chunks(stream, source, CHUNK):
        kept = [a for a in chunk if passes_filters(a, cfg.keep, cfg.block)]
        totals["entries"] += len(chunk)
        totals["filtered"] += len(chunk) - len(kept)
        for name, n in _append_changed(st, ekey, kept, cid, cfg.fulltext).items():
            totals[name] += n
        hashes.update((a.article_id, a.content_hash) for a in kept)
        del chunk, kept
    pipe = st.redis.pipeline(transaction=True)
    pipe.delete(ekey)  # only the current entries: the hash stays the size of the feed
    items = list(hashes.items())
    for k in range(0, len(items), CHUNK * 10):
        pipe.hset(ekey, mapping=dict(items[k:k + CHUNK * 10]))
    pipe.execute()
    return {"status": "ok", **totals, "failed_entries": stream.skipped,
            "duplicates": stream.duplicates, "state": update, "fulltext": cfg.fulltext}


def _no_entries() -> dict[str, Any]:
    """A parsed feed's counts before its first entry."""
    return {"entries": 0, "filtered": 0, "appended": 0, "ingested": 0, "revised": 0,
            "unchanged": 0, "conflicts": 0, "new_urls": []}


def _append_changed(st: EventStore, ekey: str, articles: list[Article], cid: str | None,
                    want_urls: bool) -> dict[str, Any]:
    """Append entries whose content changed since this feed's last poll, in one pipeline."""
    known = st.redis.hmget(ekey, [a.article_id for a in articles]) if articles else []
    changed = [a for a, h in zip(articles, known, strict=True) if to_str(h) != a.content_hash]
    results = st.append_many(changed, correlation_id=cid) if changed else []
    new = [r for r in results if r.status == "appended"]
    for r in new:
        metrics.EVENTS_APPENDED.labels(type=r.type).inc()
    ingested = [(r, a) for r, a in zip(results, changed, strict=True)
                if r.status == "appended" and r.version == 1]
    # Entries claiming an article another source established (ingestion.failed recorded).
    conflicts = sum(1 for r in results if r.status == "failed")
    return {"appended": len(new), "ingested": len(ingested),
            "revised": sum(1 for r in new if r.version > 1),
            "unchanged": len(articles) - len(new) - conflicts, "conflicts": conflicts,
            # Only a full-text feed uses them; a 50k-entry first poll would hold 50k pairs.
            "new_urls": [[a.url, a.source.location] for _, a in ingested
                         if a.url] if want_urls else []}


def _record_ok(client: redis.Redis, keys: Keys, fid: str, result: dict[str, Any],
               cfg: FeedConfig, now: float, lock: tuple[str, str],
               state: dict[str, str]) -> None:
    update = {k: v for k, v in result.pop("state", {}).items() if v is not None}
    # Values as Redis stores them (repr of a float, as redis-py encodes one).
    mapping = {**update, "last_poll_at": f"{now:.3f}", "last_result": result["status"],
               "last_error": "", "error_count": "0", "parked": "0", "parked_reason": "",
               "next_due_at": f"{now + cfg.interval_s:.3f}", "interval_s": repr(cfg.interval_s)}
    # Only what differs from the state read under this lock (nothing else writes these
    # fields meanwhile): a healthy feed's 304 rewrites two fields, not twelve.
    pairs = [x for k, v in mapping.items() if state.get(k) != v for x in (k, v)]
    entries, appended = int(result.get("entries", 0)), int(result.get("appended", 0))
    feed_state.run(client, feed_state.RECORD_OK,
                   [keys.feed(fid), keys.counters, keys.feeds_index, lock[0]],
                   [lock[1], fid, f"feed_polls:{result['status']}",
                    "" if "url" in state else result["url"],
                    entries if entries or "entries_seen" not in state else "",
                    appended if appended or "events_appended" not in state else "", *pairs])


def _failed(st: EventStore, fid: str, url: str, state: dict[str, str],
            exc: RejectedInput | FetchError, settings: Settings, cid: str | None,
            now: float, lock: tuple[str, str]) -> dict[str, Any]:
    code = exc.code if isinstance(exc, RejectedInput) else "fetch_error"
    st.record_failure(Source(kind="feed", location=url), exc.reason, code=code,
                      correlation_id=cid)
    metrics.INGEST_FAILURES.labels(reason=code).inc()
    errors = int(state.get("error_count") or 0) + 1
    retry_after = exc.retry_after_s if isinstance(exc, FetchError) else None
    delay = backoff_s(errors, settings.feed_backoff_base_s, retry_after)
    parked = errors >= settings.feed_max_errors
    mapping: dict[str, Any] = {
        "url": url, "last_poll_at": f"{now:.3f}", "last_result": "parked" if parked else "error",
        "last_error": exc.reason, "error_count": errors, "next_due_at": f"{now + delay:.3f}",
        "parked": int(parked),
        "parked_reason": f"{errors} failures in a row; last: {exc.reason}" if parked else ""}
    pipe = st.redis.pipeline(transaction=True)
    pipe.hset(st.keys.feed(fid), mapping=mapping)
    pipe.hincrby(st.keys.counters, f"feed_polls:{'parked' if parked else 'error'}", 1)
    pipe.sadd(st.keys.feeds_index, fid)
    pipe.eval(RELEASE_LOCK, 1, *lock)
    pipe.execute()
    if parked:
        log.warning("feed %s parked after %d failures: %s", url, errors, exc.reason)
    return {"feed_id": fid, "url": url, "status": "failed", "reason": exc.reason, "code": code,
            "http_status": getattr(exc, "status", None), "retry_after_s": retry_after,
            "error_count": errors, "parked": parked, "next_poll_in_s": delay}


def queue_due(settings: Settings, st: EventStore,
              send: Callable[[str, dict[str, Any]], Any]) -> dict[str, Any]:
    """Call ``send(url, options)`` for every configured feed that is due and not parked."""
    try:
        configs = [c for c in load_schedule(settings.feeds_file) if c.enabled]
    except ConfigError as exc:
        log.error("%s", exc)
        return {"status": "failed", "reason": str(exc), "queued": 0}
    now = time.time()
    pipe = st.redis.pipeline(transaction=False)
    for cfg in configs:
        pipe.hmget(st.keys.feed(feed_id_for(cfg.url)), ["next_due_at", "parked"])
    states = pipe.execute() if configs else []
    queued = []
    claim = st.redis.pipeline(transaction=False)
    for cfg, (due, parked) in zip(configs, states, strict=True):
        if to_str(parked) == "1" or float(to_str(due) or 0) > now:
            continue
        fid = feed_id_for(cfg.url)
        # Claim the slot now so the next beat tick doesn't queue a twin while this waits.
        claim.hset(st.keys.feed(fid), "next_due_at", f"{now + cfg.interval_s:.3f}")
        claim.hsetnx(st.keys.feed(fid), "url", cfg.url)
        claim.sadd(st.keys.feeds_index, fid)
        send(cfg.url, {**cfg.as_options(), "scheduled": True})
        queued.append(cfg.url)
    if queued:
        claim.execute()
    return {"status": "ok", "feeds": len(configs), "queued": len(queued), "urls": queued}


def reserve_host_slot(st: EventStore, url: str) -> float:
    """Seconds until this caller may fetch from ``url``'s host (0 = now); the slot is ours."""
    host = (urlsplit(url).hostname or "").lower()
    wait_ms = int(st.redis.eval(RESERVE_HOST_SLOT, 1, st.keys.host_rate(host),
                                int(HOST_INTERVAL_S * 1000)))
    return wait_ms / 1000


def fetch_fulltext(url: str, feed_entry_source: str, settings: Settings, st: EventStore,
                   correlation_id: str | None) -> dict[str, Any]:
    """Fetch an entry's linked page and append it as a revision of the same article."""
    source = Source(kind="feed", location=feed_entry_source)
    try:
        res = fetch(url, settings)
        article = normalise_html(res.content, source=source, url=url)
        article = capped(article.model_copy(update={"url": canonical_url(url)}))
    except (RejectedInput, FetchError) as exc:
        code = exc.code if isinstance(exc, RejectedInput) else "fetch_error"
        st.record_failure(Source(kind="url", location=url), exc.reason, code=code,
                          correlation_id=correlation_id)
        return {"status": "failed", "url": url, "reason": exc.reason, "code": code}
    out: AppendResult = st.append(article, correlation_id=correlation_id)
    if out.status == "appended":
        metrics.EVENTS_APPENDED.labels(type=out.type).inc()
    return {**out.as_dict(), "url": url}


def feed_states(st: EventStore) -> list[dict[str, str]]:
    """Every known feed's polling state hash, by feed id."""
    ids = sorted(to_str(i) for i in st.redis.smembers(st.keys.feeds_index))
    pipe = st.redis.pipeline(transaction=False)
    for fid in ids:
        pipe.hgetall(st.keys.feed(fid))
    return [{"feed_id": fid, **{to_str(k): to_str(v) for k, v in h.items()}}
            for fid, h in zip(ids, pipe.execute() if ids else [], strict=True)]
