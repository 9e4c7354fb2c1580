"""The Celery application factory: JSON only, named queues, late acks, bounded retries.

Tasks are idempotent (the event store dedupes by content hash and checks versions), which
is what makes ``acks_late`` + ``reject_on_worker_lost`` safe: a redelivered task appends
nothing new. Nothing is built at import: :func:`create_app` makes the app from the settings
it is given, registers the tasks and connects the signal receivers; ``celery -A worker``
reaches it through the lazy ``worker.app``.
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import time
import uuid
from types import SimpleNamespace
from typing import Any

import redis
from celery import Celery, signals
from celery.worker import state as worker_state
from kombu import Exchange, Queue

from worker import metrics
from worker.redisconn import connect
from worker.settings import Settings
from worker.store.eventstore import EventStore
from worker.tasks import feeds, ingest, names
from worker.tasks.backend import SubmitOnlyRedisBackend
from worker.tasks.broker import LEDGER_HEADER, Entry, Keeper, SubmissionLedger, queue_keys
from worker.tasks.recovery import Roster, Watchman
from worker.tasks.transport import LEDGER_PREFIX_OPTION, committed
from worker.tasks.warm import warm_and_freeze

log = logging.getLogger(__name__)

PURGE_AWARE_TRANSPORT = "worker.tasks.transport:Transport"
BEAT_INTERVAL_S = 30.0  # how often beat asks which feeds are due (each feed has its own interval)
RESULT_EXPIRES_S = 24 * 3600


def transport_options(settings: Settings) -> dict[str, object]:
    vt = settings.visibility_timeout_s
    opts: dict[str, object] = {
        "visibility_timeout": vt,
        # Restore a killed worker's unacked messages within about half the timeout.
        "unacked_restore_interval": max(1, min(10, vt // 2)),
        "unacked_restore_throttle": 1 if vt < 120 else 10,
    }
    if settings.celery_key_prefix:
        opts["global_keyprefix"] = settings.celery_key_prefix
    # Read by worker.tasks.transport (kombu passes options it does not know along untouched).
    opts[LEDGER_PREFIX_OPTION] = settings.key_prefix
    return opts


def declared_queue(name: str) -> Queue:
    # A direct exchange of the queue's own name: `inspect active_queues` then shows each
    # queue bound to itself, not `feeds` bound to the default `ingest` exchange.
    return Queue(name, Exchange(name, type="direct"), routing_key=name)


def configure(app: Celery, settings: Settings) -> None:
    app.conf.update(
        broker_url=settings.celery_broker,
        result_backend=settings.celery_backend,
        task_serializer="json",
        result_serializer="json",
        accept_content=["json"],  # a pickled message is rejected, never executed
        result_accept_content=["json"],
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_time_limit=settings.task_time_limit_s,
        task_soft_time_limit=settings.task_soft_time_limit_s,
        task_track_started=True,
        result_expires=RESULT_EXPIRES_S,
        # Off: it stored every task's args (a whole article for ingest_text) with its result
        # and nothing reads them back.
        result_extended=False,
        task_default_queue=settings.ingest_queue,
        task_default_exchange=settings.ingest_queue,
        task_default_routing_key=settings.ingest_queue,
        task_queues=[declared_queue(settings.ingest_queue), declared_queue(settings.feeds_queue)],
        task_routes={name: {"queue": settings.feeds_queue} for name in names.FEED_TASKS},
        # ETA/countdown tasks longer than this would be redelivered: keep it above retry caps.
        broker_transport_options=transport_options(settings),
        result_backend_transport_options={"visibility_timeout": settings.visibility_timeout_s},
        broker_connection_retry_on_startup=True,
        worker_send_task_events=True,  # Flower and `celery events` need only these
        # Flower shows queued tasks only from "task-sent" events (one more publish per task).
        task_send_sent_event=True,
        worker_hijack_root_logger=False,
        enable_utc=True,
        timezone="UTC",
    )
    if settings.celery_broker.startswith(("redis://", "rediss://")):
        # kombu's Redis transport, telling the ledger when an operator purges a queue.
        app.conf.broker_transport = PURGE_AWARE_TRANSPORT


class NewsworkerCelery(Celery):  # type: ignore[misc]
    """Celery that records ingest submissions in the ledger before publishing them."""

    task_cls = "worker.tasks.base:SubmittedTask"

    settings: Settings
    keeper: Keeper | None = None
    watchman: Watchman | None = None
    # Waits between tries of a ledger write; a caller that must answer fast (the API) tries
    # once, with a short socket timeout.
    ledger_retry_delays_s: tuple[float, ...] = (0.2, 0.5, 1.0, 2.0)
    ledger_socket_timeout_s: float = 5.0
    _ledger: SubmissionLedger | None = None
    _store: EventStore | None = None
    _durations: metrics.DurationBatch | None = None

    def store(self) -> EventStore:
        """The event store the tasks of this app append to (one client per process)."""
        if self._store is None:
            self._store = EventStore.from_settings(self.settings)
        return self._store

    def durations(self) -> metrics.DurationBatch:
        """Task runs on their way to the shared histogram (batched: see DurationBatch)."""
        if self._durations is None:
            st = self.store()
            self._durations = metrics.DurationBatch(st.redis, st.keys)
        return self._durations

    def ledger(self) -> SubmissionLedger | None:
        if not self.settings.journal or not self.settings.celery_broker.startswith(
                ("redis://", "rediss://", "unix://")):
            return None
        if self._ledger is None:
            client = connect(self.settings.celery_broker,
                             socket_timeout=self.ledger_socket_timeout_s,
                             socket_connect_timeout=self.ledger_socket_timeout_s,
                             retry_on_timeout=False)
            self._ledger = SubmissionLedger(client, self.store().keys)
        return self._ledger

    def queue_for(self, name: str, args: Any, kwargs: Any, options: dict[str, Any]) -> str:
        q = options.get("queue")
        if q is None:
            q = self.amqp.router.route(dict(options), name, args, kwargs).get("queue")
        return str(getattr(q, "name", q) or self.conf.task_default_queue)

    def send_task(self, name: str, args: Any = None, kwargs: Any = None,
                  **options: Any) -> Any:
        resends = int(options.pop("journal_resends", 0))
        ledger = self.ledger() if name in names.LEDGERED else None
        if ledger is None:
            return super().send_task(name, args, kwargs, **options)
        options["task_id"] = options.get("task_id") or str(uuid.uuid4())
        entry = Entry(options["task_id"], name, list(args or ()), dict(kwargs or {}),
                      self.queue_for(name, args, kwargs, options), resends)
        if self.conf.broker_transport == PURGE_AWARE_TRANSPORT:
            # Our transport records and publishes in one step that never lands late.
            options["headers"] = {**(options.get("headers") or {}),
                                  LEDGER_HEADER: ledger.body(entry).decode()}
            try:
                return super().send_task(name, args, kwargs, **options)
            except Exception:
                if not committed(entry.task_id):
                    # Its commit may have run just before Redis hung, the answer never sent:
                    # no worker may run what the caller is told failed (docs/recovery.md).
                    ledger.abandon(self.settings.celery_broker, entry.task_id,
                                   self.ledger_socket_timeout_s)
                    raise
                # Only what follows the commit failed (Celery's task-sent event): the task
                # will run, so the caller must be told it was queued.
                log.warning("task %s queued; its task-sent event was not", entry.task_id,
                            exc_info=True)
                return self.AsyncResult(entry.task_id)
        # Ledger first: a message published but never recorded could be lost unseen.
        for delay in (*self.ledger_retry_delays_s, None):
            try:
                ledger.record(entry)
                break
            except (redis.ConnectionError, redis.TimeoutError, redis.BusyLoadingError):
                if delay is None:
                    raise
                time.sleep(delay)
        try:
            return super().send_task(name, args, kwargs, **options)
        except Exception:
            # The caller is told the submission failed: don't re-send it behind its back.
            with contextlib.suppress(redis.RedisError):
                ledger.forget(entry)
            raise

    def broker_queue_len(self, queue: str) -> int:
        ledger = self.ledger()
        if ledger is None:
            return 0
        pipe = ledger.redis.pipeline(transaction=False)
        for key in queue_keys(self.settings, queue):
            pipe.llen(key)
        return sum(int(n) for n in pipe.execute())

    def resend(self, entry: Entry) -> None:
        self.send_task(entry.name, entry.args, entry.kwargs, task_id=entry.task_id,
                       queue=entry.queue, journal_resends=entry.resends + 1)


# --- signal receivers (connected by create_app; each acts only for a NewsworkerCelery) ------
def app_of(sender: Any) -> NewsworkerCelery | None:
    app = getattr(sender, "app", None)
    return app if isinstance(app, NewsworkerCelery) else None


def start_watchman(sender: Any = None, **_: Any) -> None:
    """Dead-worker recovery (worker.tasks.recovery): on a Redis broker, journal or not."""
    app = app_of(sender)
    s = app.settings if app is not None else None
    if (app is None or s is None or app.watchman is not None
            or not s.celery_broker.startswith(("redis://", "rediss://", "unix://"))):
        return
    # A client of its own, with short timeouts: this thread must never wedge on Redis.
    client = connect(s.celery_broker, socket_timeout=2, socket_connect_timeout=2)
    worker_id = f"{getattr(sender, 'hostname', None) or socket.gethostname()}:{os.getpid()}"
    app.watchman = Watchman(Roster(client, app.store().keys, s), worker_id,
                            busy=lambda: bool(worker_state.active_requests),
                            drain_s=float(s.task_time_limit_s))
    app.watchman.start()


def announce_ready(sender: Any = None, **_: Any) -> None:
    """One line once the worker consumes. At WARNING because that is Celery's default log
    level: without ``-l INFO`` Celery itself says nothing, and an operator cannot tell that
    the worker is up."""
    app = app_of(sender)
    if app is None:
        return
    from kombu.utils.url import maybe_sanitize_url

    consumed = getattr(getattr(app.amqp, "queues", None), "consume_from", None) or {}
    log.warning("newsworker worker ready: %s consuming %s from %s, store %s",
                getattr(sender, "hostname", None) or socket.gethostname(),
                ",".join(sorted(consumed)) or "-",
                maybe_sanitize_url(app.settings.celery_broker),
                maybe_sanitize_url(app.settings.store_url))


def start_keeper(sender: Any = None, **_: Any) -> None:
    app = app_of(sender)
    if app is None or app.keeper is not None:
        return
    ledger = app.ledger()
    if ledger is None:
        return
    # A client of its own, with short timeouts: this thread must never wedge on Redis.
    own = SubmissionLedger(connect(app.settings.celery_broker, socket_timeout=2,
                                   socket_connect_timeout=2), ledger.keys)
    s = app.settings
    consumed = getattr(getattr(app.amqp, "queues", None), "consume_from", None) or {}
    queues = sorted({s.ingest_queue, *consumed})
    app.keeper = Keeper(own, resend=app.resend, queues=queues,
                        queue_len=app.broker_queue_len, resend_after_s=s.journal_resend_after_s,
                        max_resends=s.journal_max_resends,
                        reap_every_s=min(5.0, max(0.5, s.journal_resend_after_s / 4)))
    app.keeper.start()


def record_receipt(sender: Any = None, request: Any = None, **_: Any) -> None:
    # Runs in the consumer's event loop: only deque appends, the threads do the I/O.
    app = app_of(sender)
    tag = getattr(getattr(request, "message", None), "delivery_tag", None)
    if app is not None and app.watchman is not None and tag:
        app.watchman.received(str(tag))
    if (app is not None and app.keeper is not None and request is not None
            and getattr(request, "name", None) in names.LEDGERED):
        app.keeper.receipt(request.id)


def record_revoked(sender: Any = None, request: Any = None, **_: Any) -> None:
    """A revoked task counts as received: the ledger must never re-send what an operator
    revoked (Celery discards a revoked message before ``task_received``)."""
    app = app_of(sender)
    task_id = getattr(request, "id", None)
    if app is not None and app.keeper is not None and task_id:
        app.keeper.receipt(task_id)


def stop_keeper(sender: Any = None, **_: Any) -> None:
    app = app_of(sender)
    if app is not None and app.keeper is not None:
        app.keeper.stop()
        app.keeper.join(timeout=5)
    if app is not None and app.watchman is not None:
        app.watchman.stop()
        app.watchman.join(timeout=5)


_STARTED: dict[str, float] = {}


def task_started(task_id: str | None = None, **_: Any) -> None:
    if task_id:
        _STARTED[task_id] = time.perf_counter()


def task_finished(task_id: str | None = None, task: Any = None, **_: Any) -> None:
    """Every task's wall time, into this process's histogram and the shared one in Redis."""
    started = _STARTED.pop(task_id or "", None)
    app = app_of(task)
    if started is None or app is None:
        return
    seconds = time.perf_counter() - started
    name = str(task.name)  # as Celery and Flower name it
    metrics.TASK_DURATION.labels(task=name).observe(seconds)
    app.durations().add(name, seconds)  # no I/O here: written in batches by a thread


def flush_durations(sender: Any = None, **_: Any) -> None:
    """A pool child (or a solo worker) stopping writes the task runs it still holds. Celery
    sends worker_process_shutdown without a sender: the process's current app is ours."""
    # celery.current_app imported here: a module attribute proxying it makes a default
    # Celery app whenever something inspects the module (tests/unit/test_import_clean.py)
    from celery import current_app

    app = app_of(sender) or app_of(SimpleNamespace(app=current_app._get_current_object()))
    if app is not None and app._durations is not None:
        app._durations.stop()


def connect_signals() -> None:
    """Idempotent (dispatch_uid): many apps in one process share one receiver each."""
    signals.worker_init.connect(warm_and_freeze, weak=False, dispatch_uid="newsworker.warm")
    signals.worker_ready.connect(start_keeper, weak=False, dispatch_uid="newsworker.keeper")
    signals.worker_ready.connect(start_watchman, weak=False, dispatch_uid="newsworker.watchman")
    signals.worker_ready.connect(announce_ready, weak=False, dispatch_uid="newsworker.ready")
    signals.task_received.connect(record_receipt, weak=False, dispatch_uid="newsworker.receipt")
    signals.worker_shutdown.connect(stop_keeper, weak=False, dispatch_uid="newsworker.stop")
    signals.task_revoked.connect(record_revoked, weak=False, dispatch_uid="newsworker.revoked")
    signals.task_prerun.connect(task_started, weak=False, dispatch_uid="newsworker.prerun")
    signals.task_postrun.connect(task_finished, weak=False, dispatch_uid="newsworker.postrun")
    signals.worker_process_shutdown.connect(flush_durations, weak=False,
                                            dispatch_uid="newsworker.durations")
    signals.worker_shutdown.connect(flush_durations, weak=False,
                                    dispatch_uid="newsworker.durations_main")


def create_client_app(settings: Settings, timeout_s: float) -> NewsworkerCelery:
    """An app for a process that submits and must answer within ``timeout_s`` (the API):
    one try of each Redis or broker operation, bounded by that timeout, never a long retry."""
    app = create_app(settings)
    app.ledger_retry_delays_s = ()
    app.ledger_socket_timeout_s = timeout_s
    app.conf.broker_transport_options = {
        **transport_options(settings), "socket_timeout": timeout_s,
        "socket_connect_timeout": timeout_s, "retry_on_timeout": False}
    app.conf.result_backend_transport_options = {
        "visibility_timeout": settings.visibility_timeout_s, "socket_timeout": timeout_s,
        "socket_connect_timeout": timeout_s, "retry_on_timeout": False,
        "retry_policy": {"max_retries": 0}}
    app.conf.redis_socket_timeout = timeout_s
    app.conf.redis_socket_connect_timeout = timeout_s
    app.conf.broker_connection_timeout = timeout_s
    app.conf.broker_connection_retry = False
    app.conf.task_publish_retry = False
    submit_only = f"{SubmitOnlyRedisBackend.__module__}:{SubmitOnlyRedisBackend.__name__}"
    app.loader.override_backends = {"redis": submit_only, "rediss": submit_only}
    return app


def create_app(settings: Settings) -> NewsworkerCelery:
    """A configured Celery app with every newsworker task registered on it."""
    app = NewsworkerCelery("newsworker")
    app.settings = settings
    configure(app, settings)
    # `celery beat` polls the feed schedule; poll_due_feeds only queues feeds that are due.
    app.conf.beat_schedule = {
        "poll-due-feeds": {"task": names.POLL_DUE_FEEDS, "schedule": BEAT_INTERVAL_S,
                           "options": {"queue": settings.feeds_queue,
                                       "expires": BEAT_INTERVAL_S - 5}},
    }
    # Beat's state file goes with the rest of the local state, not the working directory.
    app.conf.beat_schedule_filename = str(settings.data_dir / "celerybeat-schedule")
    app.conf.beat_scheduler = "worker.tasks.beat:DataDirScheduler"
    retry = ingest.retry_options(settings)
    ingest.register(app, retry)
    feeds.register(app, retry)
    connect_signals()
    return app
