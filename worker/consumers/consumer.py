"""Consumer groups: at-least-once delivery of stream events to one handler.

Loop: re-read this consumer's own pending entries, then new ones (``>``); every
``claim_idle_s / 2`` take over entries idle longer than ``claim_idle_s`` from dead or stuck
consumers (XAUTOCLAIM); a failed entry stays pending and is retried by delivery count; past
``max_deliveries`` (or at once for PermanentHandlerError / undecodable entries) it is copied to
the dead-letter stream with the error and acknowledged in the same MULTI. Entries are decoded
when a handler reads them (``events.lazy``): one found undecodable then is dead-lettered too.

Redelivery guard: right after a handler succeeds the event id goes into the group's
``processed`` sorted set (scored by entry-id ms), *before* the batch ack. A consumer killed
between handling and acking leaves its entries pending; whoever reclaims them skips the ones
already marked. The window left (effect done, marker not yet written) is one round trip, which
is why the built-in handlers are idempotent themselves. The set is trimmed below the group's
oldest in-flight entry, so it only ever holds the recent window. Handlers that declare
``idempotent = True`` (archive, catalog, noop) dedupe by themselves, so for them the consumer
neither reads nor writes the markers and a batch costs what a raw XREADGROUP + XACK costs.
"""

from __future__ import annotations

import logging
import signal
import threading
import time
import traceback
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import redis

from worker.consumers.handler import Handler
from worker.consumers.hooks import ConsumerHooks, default_hooks
from worker.consumers.replay import RETRY_GROUP_FIELD, dead_letter_entry
from worker.consumers.upkeep import ack_vanished, delivery_counts, maintain, write_counts
from worker.errors import PermanentHandlerError
from worker.events.codec import decode
from worker.events.lazy import decode_failure, decode_lazily
from worker.events.models import EVENT_TYPES, AnyEvent
from worker.redisconn import to_str
from worker.settings import Settings
from worker.store.groups import default_consumer_name, ensure_group
from worker.store.keys import Keys

log = logging.getLogger(__name__)

Entry = tuple[bytes, dict[bytes, bytes]]
# (entry id, fields, event id, deliveries, event, handled by handle_batch)
_Ready = tuple[bytes, dict[bytes, bytes], bytes, int, AnyEvent, bool]


@dataclass
class Stats:
    handled: int = 0
    skipped: int = 0
    failed: int = 0
    dead_lettered: int = 0
    claimed: int = 0
    batches: int = 0
    last_error: str | None = None
    errors: list[str] = field(default_factory=list)


class Consumer:
    def __init__(self, client: redis.Redis, keys: Keys, group: str, handler: Handler,
                 settings: Settings, *, consumer: str | None = None,
                 batch: int | None = None, hooks: ConsumerHooks | None = None) -> None:
        self.redis = client
        self.keys = keys
        self.stream = keys.events
        self.group = group
        self.handler = handler
        self.handler_name = handler.name or type(handler).__name__
        self.hooks = hooks if hooks is not None else default_hooks(client, keys)
        self.settings = settings
        self.name = consumer or default_consumer_name()
        self.batch = batch or settings.consumer_batch
        self.stop_event = threading.Event()
        self.stats = Stats()
        self._claim_every = max(settings.claim_idle_s / 2, 0.05)
        self._maint_every = max(settings.claim_idle_s, 1.0)
        self._next_claim = 0.0
        self._next_maint = time.monotonic() + self._maint_every
        self._claim_cursor = "0-0"
        self._retry_at: float | None = 0.0  # 0: read own pending at start
        self._skipped_types: set[str] = set()
        self._wanted = {t.encode(): handler.wants(t) for t in EVENT_TYPES}  # asked once
        # New entries read by the last ack's round trip, handled next step (see _ack).
        self._prefetched: list[Entry] = []

    # --- lifecycle ---------------------------------------------------------------------------
    def install_signal_handlers(self) -> None:
        """SIGTERM/SIGINT: finish the current batch, ack, exit."""
        def _stop(signum: int, _frame: Any) -> None:
            log.info("consumer %s: signal %d, stopping after this batch", self.name, signum)
            self.stop_event.set()

        signal.signal(signal.SIGTERM, _stop)
        signal.signal(signal.SIGINT, _stop)

    def run(self, *, until_idle: bool = False) -> Stats:
        """Consume until stopped (or, with ``until_idle``, until nothing is left to do)."""
        ensure_group(self.redis, self.stream, self.group)
        log.info("consumer %s in group %s, handler %s", self.name, self.group, self.handler_name)
        outage = 0
        try:
            while not self.stop_event.is_set():
                try:
                    # until_idle never blocks: an empty read means the work is done.
                    did = self.step(block=not until_idle)
                    if until_idle and did == 0 and not self._has_own_pending():
                        break
                    outage = 0
                    if self.stop_event.is_set() and self._prefetched:
                        # Read with the last batch's ack: finish them as part of it.
                        entries, self._prefetched = self._prefetched, []
                        self.process(entries, fresh=True)
                except (redis.ConnectionError, redis.TimeoutError) as exc:
                    # Redis away: back off and resume; unacked entries stay pending for us.
                    outage += 1
                    delay = min(0.1 * 2 ** outage, 5.0)
                    log.warning("consumer %s: Redis unavailable (%s), retrying in %.1fs",
                                self.name, exc, delay)
                    self.stop_event.wait(delay)
                    self._retry_at = 0.0  # re-reads our pending, prefetched ones too
                    self._prefetched = []
                except redis.ResponseError as exc:
                    if not str(exc).startswith(("NOGROUP", "UNBLOCKED")):
                        raise
                    # Stream or group deleted under us (flush, restore): start over from 0.
                    log.warning("consumer %s: group %s vanished, recreating it", self.name,
                                self.group)
                    ensure_group(self.redis, self.stream, self.group)
                    self._claim_cursor = "0-0"
                    self._prefetched = []
        finally:
            write_counts(self.redis, self.hooks, self.name)
            self.handler.close()
        return self.stats

    def step(self, *, block: bool = True) -> int:
        """One round: retries of own pending, claims, then new entries (or those the last ack
        read ahead, handled first when a retry or claim round is due). Returns entries seen."""
        now = time.monotonic()
        n = 0
        retry_due = self._retry_at is not None and now >= self._retry_at
        claim_due = now >= self._next_claim
        if self._prefetched and (retry_due or claim_due):
            # Read ahead by the last ack, so pending for us: a re-read of our pending list or
            # XAUTOCLAIM would hand them over again (twice handled, twice dead-lettered).
            entries, self._prefetched = self._prefetched, []
            self.process(entries, fresh=True)
            n += len(entries)
        if retry_due:
            self._retry_at = None
            n += self._read_own_pending()
        if claim_due:
            self._next_claim = now + self._claim_every
            n += self._claim()
        if now >= self._next_maint:
            self._next_maint = now + self._maint_every
            self.maintain()
        entries, self._prefetched = self._prefetched, []
        if self.stop_event.is_set() and not entries:
            return n
        if not entries:
            block_ms: int | None = None
            if block and n == 0:
                # Wake up in time for the next retry or claim round.
                wake = min(self._next_claim,
                           self._retry_at if self._retry_at is not None else now + 60)
                block_ms = max(1, min(self.settings.consumer_block_ms,
                                      int((wake - now) * 1000)))
            reply = self.redis.xreadgroup(self.group, self.name, {self.stream: ">"},
                                          count=self.batch, block=block_ms)
            entries = reply[0][1] if reply else []
        if entries:
            # A full batch suggests more waiting: its ack reads the next one.
            self.process(entries, fresh=True, read_next=len(entries) >= self.batch)
        return n + len(entries)

    # --- reading -----------------------------------------------------------------------------
    def _read_own_pending(self) -> int:
        total, cursor = 0, "0"
        while not self.stop_event.is_set():
            reply = self.redis.xreadgroup(self.group, self.name, {self.stream: cursor},
                                          count=self.batch)
            rows = reply[0][1] if reply else []
            entries = [e for e in rows if e[1]]
            deleted = [e[0] for e in rows if not e[1]]
            if deleted:  # trimmed/deleted while pending: nothing left to deliver
                self.redis.xack(self.stream, self.group, *deleted)
            if not rows:
                break
            if entries:
                self.process(entries, fresh=False)
            total += len(entries)
            cursor = to_str(rows[-1][0])
        return total

    def _claim(self) -> int:
        min_idle = int(self.settings.claim_idle_s * 1000)
        reply = self.redis.xautoclaim(self.stream, self.group, self.name, min_idle,
                                      start_id=self._claim_cursor, count=self.batch)
        # Continue the scan next round; "0-0" means it wrapped around.
        self._claim_cursor = to_str(reply[0]) if reply and reply[0] else "0-0"
        raw = reply[1] if reply else []
        entries = [e for e in raw if e and e[0] is not None and e[1]]
        if len(entries) < len(raw):
            # Redis 6.2 returns deleted entries as nils and keeps them pending (7 drops them).
            ack_vanished(self.redis, self.stream, self.group, self.name, self.batch * 4)
        if entries:
            self.stats.claimed += len(entries)
            log.info("consumer %s claimed %d idle entries", self.name, len(entries))
            self.process(entries, fresh=False)
        return len(entries)

    def _has_own_pending(self) -> bool:
        return bool(self.redis.xpending_range(self.stream, self.group, "-", "+", 1,
                                              consumername=self.name))

    # --- processing ----------------------------------------------------------------------------
    def process(self, entries: Sequence[Entry], *, fresh: bool, read_next: bool = False) -> None:
        """Handle a batch; ack successes (and skips) together, leave failures pending."""
        self.stats.batches += 1
        counts = {} if fresh else delivery_counts(self.redis, self.stream, self.group,
                                                  [e[0] for e in entries])
        event_ids = [e[1].get(b"event_id") or b"-" for e in entries]
        marks = ([None] * len(event_ids) if self.handler.idempotent
                 else self.redis.zmscore(self.keys.processed(self.group), event_ids))
        acks: list[bytes] = []
        dead: list[dict[bytes, bytes]] = []
        # Unless batched, a handler gets each event at once: held for the whole batch (~1,500
        # GC-tracked objects) they set off full collections (~2.5 us an event, bench consume).
        ready: list[_Ready] | None = [] if self.handler.batched else None
        # One at a time, an event is decoded when the handler reads it (events.lazy): ~4 us
        # saved if it never does. A batch is one effect that a bad entry would fail whole.
        decoder = decode if self.handler.batched or self.handler.positioned else decode_lazily
        outcomes: list[bool | None] = []  # of _handle_one, in stream order
        for (eid, fields), event_id, mark in zip(entries, event_ids, marks, strict=True):
            retry_group = fields.get(RETRY_GROUP_FIELD)
            if mark is not None or (retry_group is not None and to_str(retry_group) != self.group):
                acks.append(eid)  # done before, or a dlq-retry copy meant for another group
                self.stats.skipped += 1
                continue
            deliveries = counts.get(to_str(eid), 1) if counts else 1
            if deliveries > self.settings.max_deliveries:
                # Delivered too often without an outcome: it likely kills its consumers.
                dead.append(self._dead_letter(eid, fields, "poison: consumer died handling it",
                                              deliveries))
                acks.append(eid)
                continue
            raw_type = fields.get(b"type", b"")
            wanted = self._wanted.get(raw_type)
            if not (self.handler.wants(to_str(raw_type)) if wanted is None else wanted):
                self._log_skip(to_str(raw_type))
                acks.append(eid)
                self.stats.skipped += 1
                continue
            try:
                event = decoder(eid, fields)
            except Exception as exc:  # one bad entry must not sink its batch
                # Decoding is deterministic: retrying can't help, park it at once.
                dead.append(self._dead_letter(eid, fields, f"decode: {exc}", deliveries))
                acks.append(eid)
                continue
            if ready is not None:
                ready.append((eid, fields, event_id, deliveries, event, False))
            else:
                outcomes.append(self._handle_one(eid, fields, event_id, deliveries, event, acks,
                                                 dead))
        if ready and len(ready) > 1:
            ready = self._call_batch(ready)
            acks += [r[0] for r in ready if r[5]]
        outcomes += [self._handle_one(*r[:5], acks, dead) for r in ready or () if not r[5]]
        handled, failed = outcomes.count(True), False in outcomes
        if handled:  # one metric update per batch, not per event
            self.stats.handled += handled
            self.hooks.on_batch_handled(self.group, handled)
        self._ack(acks, dead, read_next=read_next)
        if failed and self._retry_at is None:
            self._retry_at = time.monotonic() + self._retry_delay_s()

    def _handle_one(self, eid: bytes, fields: dict[bytes, bytes], event_id: bytes,
                    deliveries: int, event: AnyEvent, acks: list[bytes],
                    dead: list[dict[bytes, bytes]]) -> bool | None:
        """Call the handler on one event: True when handled, None when dead-lettered (both go
        into ``acks``), False when it failed and stays pending for a retry."""
        try:
            if self.handler.positioned:
                self.handler.handle_entries([(to_str(eid), event)])
            else:
                self.handler.handle(event)
        except Exception as exc:
            if decode_failure(event) is None:
                return self._failed(eid, fields, deliveries, exc, acks, dead)
        if (bad := decode_failure(event)) is not None:
            # Read by the handler and found malformed (whatever it did with the error): as
            # deterministic as an entry that fails to decode up front, parked at once.
            dead.append(self._dead_letter(eid, fields, f"decode: {bad}", deliveries))
            acks.append(eid)
            return None
        if not self.handler.idempotent:
            # Mark now, not with the batch ack: a crash later in the batch must not
            # make the reclaiming consumer repeat this event.
            self.redis.zadd(self.keys.processed(self.group),
                            {event_id: float(to_str(eid).partition("-")[0])})
        acks.append(eid)
        return True

    def _failed(self, eid: bytes, fields: dict[bytes, bytes], deliveries: int, exc: Exception,
                acks: list[bytes], dead: list[dict[bytes, bytes]]) -> bool | None:
        """The handler raised: None when dead-lettered (and acked), False when left pending."""
        sid = to_str(eid)
        err = f"{exc.__class__.__name__}: {exc}"
        self.stats.failed += 1
        self.stats.last_error = err
        self.hooks.on_error(self.group, sid, exc)
        log.warning("handler %s failed on %s (delivery %d/%d): %s", self.handler_name,
                    sid, deliveries, self.settings.max_deliveries, err)
        log.debug("%s", traceback.format_exc())
        permanent = isinstance(exc, PermanentHandlerError)
        if permanent or deliveries >= self.settings.max_deliveries:
            dead.append(self._dead_letter(eid, fields, err, deliveries))
            acks.append(eid)
            return None
        return False

    def _call_batch(self, ready: list[_Ready]) -> list[_Ready]:
        """One ``handle_batch`` call for the whole batch. Returns ``ready`` with its last
        element True when handled; on an exception all stay False, for one-by-one calls."""
        try:
            if self.handler.positioned:
                self.handler.handle_entries([(to_str(r[0]), r[4]) for r in ready])
            else:
                self.handler.handle_batch([r[4] for r in ready])
        except Exception as exc:
            log.warning("handler %s: batch of %d failed (%s: %s); retrying one by one",
                        self.handler_name, len(ready), exc.__class__.__name__, exc)
            return ready
        done = {r[2]: float(to_str(r[0]).partition("-")[0]) for r in ready}
        if not self.handler.idempotent:  # marked before the ack, the batch being one effect
            self.redis.zadd(self.keys.processed(self.group), done)
        self.stats.handled += len(ready)
        self.hooks.on_batch_handled(self.group, len(ready))
        return [(*r[:5], True) for r in ready]

    def _log_skip(self, etype: str) -> None:
        level = logging.DEBUG if etype in self._skipped_types else logging.INFO
        self._skipped_types.add(etype)
        log.log(level, "handler %s does not take %s events: skipped", self.handler_name, etype)

    def _retry_delay_s(self) -> float:
        return min(1.0, self.settings.claim_idle_s / 4)

    def _ack(self, acks: list[bytes], dead: list[dict[bytes, bytes]], *,
             read_next: bool = False) -> None:
        """One MULTI: dead letters and acks — a crash never leaves one without the other —
        and the hooks' counts, which thereby cost no round trip of their own.

        With ``read_next`` the same round trip reads the next new entries (a non-blocking
        XREADGROUP), handled by the next step: one round trip per batch instead of two.
        They are pending for this consumer from then on, like any entry it read."""
        if not acks:
            return
        pipe = self.redis.pipeline(transaction=True)
        for entry in dead:
            pipe.xadd(self.keys.dead_letters, entry)
        pipe.xack(self.stream, self.group, *acks)
        self.hooks.write(pipe)
        # Not on Redis Cluster: its transaction pipeline hands XREADGROUP's reply back in
        # another shape ({stream: ...}); the next step reads as usual there.
        read_next = (read_next and not self.stop_event.is_set()
                     and not hasattr(self.redis, "get_node_from_key"))
        if read_next:
            pipe.xreadgroup(self.group, self.name, {self.stream: ">"}, count=self.batch)
        results = pipe.execute(raise_on_error=False)
        # A count that fails (say, a counters key of another type) must not fail the ack.
        for res in results[:len(dead) + 1]:
            if isinstance(res, Exception):
                raise res
        # A failed read is left to the next step's own XREADGROUP (and its error handling).
        if read_next and results[-1] and not isinstance(results[-1], Exception):
            self._prefetched = list(results[-1][0][1])

    def _dead_letter(self, eid: bytes, fields: dict[bytes, bytes], error: str,
                     deliveries: int) -> dict[bytes, bytes]:
        self.stats.dead_lettered += 1
        sid = to_str(eid)
        self.hooks.on_dead_letter(self.group, sid, error)
        log.error("dead-lettering %s after %d deliveries: %s", sid, deliveries, error)
        return dead_letter_entry(eid, fields, group=self.group, handler=self.handler_name,
                                 error=error, deliveries=deliveries, stream=self.stream)

    # --- housekeeping ----------------------------------------------------------------------------
    def maintain(self) -> None:
        """Processed-marker window, ``retention_s`` and ``stream_maxlen`` (see ``upkeep``)."""
        maintain(self.redis, self.keys, self.settings, stream=self.stream, group=self.group,
                 consumer=self.name, handler=self.handler)
