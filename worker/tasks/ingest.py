"""Celery tasks: files and text in, events out.

Each task returns a JSON-able result naming what happened to every input: ``appended``,
``unchanged`` or ``failed`` with a reason. Rejected inputs also become ``ingestion.failed``
events. Only infrastructure errors (Redis down) are retried, with exponential back-off.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

import redis
from celery import signals

from worker import metrics
from worker.errors import RejectedInput
from worker.events.models import Article, Source
from worker.settings import get_settings
from worker.sources.files import articles_from_bytes, articles_from_file, file_source
from worker.store.eventstore import EventStore
from worker.tasks.app import app

log = logging.getLogger(__name__)

RETRY_ON = (redis.ConnectionError, redis.TimeoutError, redis.BusyLoadingError)
RETRY_OPTS: dict[str, Any] = {
    "autoretry_for": RETRY_ON,
    "retry_backoff": 1,
    "retry_backoff_max": 60,
    "retry_jitter": True,
    "max_retries": get_settings().task_max_retries,
}


@lru_cache(maxsize=1)
def store() -> EventStore:
    return EventStore.from_settings(get_settings())


def _failed(source: Source, exc: RejectedInput, correlation_id: str | None) -> dict[str, Any]:
    reason = exc.reason
    store().record_failure(source, reason, code=exc.code, correlation_id=correlation_id)
    metrics.INGEST_FAILURES.labels(reason=exc.code).inc()
    return {"status": "failed", "source": source.location, "reason": reason, "code": exc.code}


def _append(source: Source, articles: list[Article], correlation_id: str | None,
            input_name: str) -> list[dict[str, Any]]:
    if not articles:
        return [_failed(source, RejectedInput("no articles found"), correlation_id)]
    results = store().append_many(articles, correlation_id=correlation_id)
    out = []
    for art, res in zip(articles, results, strict=True):
        if res.status == "appended":
            metrics.EVENTS_APPENDED.labels(type=res.type).inc()
        out.append({**res.as_dict(), "source": input_name, "dateline": art.dateline,
                    "word_count": art.word_count})
    return out


TASK_RUNS_TTL_S = 7 * 24 * 3600
T = TypeVar("T")


def patiently(fn: Callable[[], T]) -> T:
    """Run ``fn``, re-running it while Redis is unreachable, for up to ``redis_wait_s``.

    Celery's own retry must publish a new message, which fails while the broker (the same
    Redis) is down, and the task would then fail for good. The task bodies are idempotent
    (appends dedupe by content hash), so re-running one in place is safe.
    """
    deadline = time.monotonic() + get_settings().redis_wait_s
    delay = 0.2
    while True:
        try:
            return fn()
        except RETRY_ON as exc:
            if time.monotonic() + delay > deadline:
                raise
            log.warning("Redis unavailable (%s); retrying in %.1fs", exc, delay)
            time.sleep(delay)
            delay = min(delay * 2, 5.0)


def give_up_after(task: Any, sources: list[Source], correlation_id: str | None
                  ) -> list[dict[str, Any]] | None:
    """Count this run of the task id; past ``task_max_deliveries`` record each input as failed.

    Unacked-on-failure messages come back until they succeed; an input that crashes or times
    out the worker every time must end as a named failure, not as an endless loop.
    """
    task_id = getattr(task.request, "id", None)
    if not task_id:  # called directly, not through Celery
        return None
    st = store()
    key = st.keys.task_runs(task_id)
    pipe = st.redis.pipeline(transaction=True)
    pipe.incr(key)
    pipe.expire(key, TASK_RUNS_TTL_S)
    runs = int(pipe.execute()[0])
    limit = get_settings().task_max_deliveries
    if runs <= limit:
        return None
    log.error("task %s gave up after %d runs", task_id, runs - 1)
    reason = (f"gave up after {runs - 1} runs of task {task_id} "
              "(it crashed, timed out or lost Redis every time)")
    return [_failed(s, RejectedInput(reason), correlation_id) for s in sources]


def ingest_path(path: str, correlation_id: str | None) -> list[dict[str, Any]]:
    """Normalise and append one file; never raises for bad input."""
    try:
        source, articles = articles_from_file(path, get_settings())
    except RejectedInput as exc:
        return [_failed(Source(kind="file", location=exc.location or path), exc, correlation_id)]
    return _append(source, articles, correlation_id, path)


@app.task(name="newsworker.ingest_file", bind=True, **RETRY_OPTS)
def ingest_file(self: Any, path: str, correlation_id: str | None = None) -> dict[str, Any]:
    """Ingest one file (an article, or every entry of a feed file)."""
    cid = correlation_id or self.request.id
    results = (patiently(lambda: give_up_after(self, [file_source(path)], cid))
               or patiently(lambda: ingest_path(path, cid)))
    first = results[0] if len(results) == 1 else {"status": "batch"}
    return {**first, "path": path, "results": results}


APPEND_CHUNK = 500  # articles per pipeline: bounds memory; a redelivery dedupes what landed


@app.task(name="newsworker.ingest_files", bind=True, **RETRY_OPTS)
def ingest_files(self: Any, paths: list[str],
                 correlation_id: str | None = None) -> dict[str, Any]:
    """Ingest many files, appending their articles in pipelines of APPEND_CHUNK."""
    cid = correlation_id or self.request.id
    gave_up = patiently(lambda: give_up_after(self, [file_source(p) for p in paths], cid))
    if gave_up is not None:
        return {"status": "batch", "results": gave_up}
    return patiently(lambda: _ingest_files(paths, cid))


def _ingest_files(paths: list[str], cid: str | None) -> dict[str, Any]:
    settings = get_settings()
    results: list[dict[str, Any]] = []
    batch: list[Article] = []
    names: list[str] = []

    def flush() -> None:
        appended = store().append_many(batch, correlation_id=cid)
        for art, res, name in zip(batch, appended, names, strict=True):
            if res.status == "appended":
                metrics.EVENTS_APPENDED.labels(type=res.type).inc()
            results.append({**res.as_dict(), "source": name, "dateline": art.dateline,
                            "word_count": art.word_count})
        batch.clear()
        names.clear()

    for path in paths:
        try:
            _source, articles = articles_from_file(path, settings)
        except RejectedInput as exc:
            results.append(_failed(Source(kind="file", location=exc.location or path), exc, cid))
            continue
        batch.extend(articles)
        names.extend([path] * len(articles))
        if len(batch) >= APPEND_CHUNK:
            flush()
    if batch:
        flush()
    return {"status": "batch", "results": results}


@app.task(name="newsworker.ingest_text", bind=True, **RETRY_OPTS)
def ingest_text(self: Any, text: str, name: str = "text", url: str | None = None,
                kind: str | None = None, correlation_id: str | None = None) -> dict[str, Any]:
    """Ingest an article given as text (HTTP API, Python client)."""
    cid = correlation_id or self.request.id
    source = Source(kind="text", location=name)
    gave_up = patiently(lambda: give_up_after(self, [source], cid))
    if gave_up is not None:
        return {**gave_up[0], "results": gave_up}
    return patiently(lambda: _ingest_text(text, name, url, kind, cid, source))


def _ingest_text(text: str, name: str, url: str | None, kind: str | None, cid: str | None,
                 source: Source) -> dict[str, Any]:
    raw = text.encode("utf-8", "surrogatepass")
    try:
        if url or kind:
            from worker.normalise import article as normalise

            articles = [normalise.normalise(raw, source=source, kind=kind, url=url,
                                            max_bytes=get_settings().max_body_bytes)]
        else:
            articles = articles_from_bytes(raw, source, get_settings())
    except RejectedInput as exc:
        return _failed(source, exc, cid)
    results = _append(source, articles, cid, name)
    return {**results[0], "results": results}


_STARTED: dict[str, float] = {}


def _task_started(task_id: str | None = None, **_: Any) -> None:
    if task_id:
        _STARTED[task_id] = time.perf_counter()


def _task_finished(task_id: str | None = None, task: Any = None, **_: Any) -> None:
    """Every task's wall time, into this process's histogram and the shared one in Redis."""
    started = _STARTED.pop(task_id or "", None)
    if started is None or task is None:
        return
    seconds = time.perf_counter() - started
    name = str(getattr(task, "name", "?")).removeprefix("newsworker.")
    metrics.TASK_DURATION.labels(task=name).observe(seconds)
    try:
        st = store()
        metrics.record_task_duration(st.redis, st.keys, name, seconds)
    except redis.RedisError as exc:  # a lost sample must never fail the task
        log.debug("task duration not recorded: %s", exc)


signals.task_prerun.connect(_task_started)
signals.task_postrun.connect(_task_finished)


def submit_file(path: str | Path) -> Any:
    """Queue one file; returns the Celery AsyncResult."""
    return ingest_file.delay(str(Path(path).resolve()))


__all__ = ["app", "file_source", "ingest_file", "ingest_files", "ingest_text", "submit_file"]
