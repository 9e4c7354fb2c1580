"""Ingest tasks: files and text in, events out.

Each task returns a JSON-able result naming what happened to every input: ``appended``,
``unchanged`` or ``failed`` with a reason. Rejected inputs also become ``ingestion.failed``
events. Only infrastructure errors (Redis down) are retried, with exponential back-off.
The task functions are registered on an app by :func:`register` (called by the factory);
they read settings and the store from ``self.app``, never from globals.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import redis

from worker import metrics
from worker.errors import RejectedInput
from worker.events.models import Article, Source
from worker.intake import articles_from_bytes, articles_from_file
from worker.normalise.article import normalise
from worker.settings import Settings
from worker.sources.files import file_source, read_file, shown_path, upload_source
from worker.store.eventstore import EventStore
from worker.tasks import names

log = logging.getLogger(__name__)

RETRY_ON = (redis.ConnectionError, redis.TimeoutError, redis.BusyLoadingError)
TASK_RUNS_TTL_S = 7 * 24 * 3600
APPEND_CHUNK = 500  # articles per pipeline: bounds memory; a redelivery dedupes what landed
T = TypeVar("T")


def retry_options(settings: Settings) -> dict[str, Any]:
    """Celery's retry options for every newsworker task (Redis trouble only)."""
    return {"autoretry_for": RETRY_ON, "retry_backoff": 1, "retry_backoff_max": 60,
            "retry_jitter": True, "max_retries": settings.task_max_retries}


@dataclass(frozen=True, slots=True)
class Ingest:
    """What an ingest run needs: the settings and the store it appends to."""

    settings: Settings
    store: EventStore

    @classmethod
    def of(cls, task: Any) -> Ingest:
        return cls(task.app.settings, task.app.store())

    def failed(self, source: Source, exc: RejectedInput,
               correlation_id: str | None) -> dict[str, Any]:
        self.store.record_failure(source, exc.reason, code=exc.code,
                                  correlation_id=correlation_id)
        metrics.INGEST_FAILURES.labels(reason=exc.code).inc()
        return {"status": "failed", "source": self.shown(source), "reason": exc.reason,
                "code": exc.code}

    def shown(self, source: Source) -> str:
        """The input as results name it: a file relative to its input root, an upload by the
        client's file name; never a server path the client did not give."""
        if source.kind == "file":
            return shown_path(source.location, self.settings)
        return source.base if source.kind == "upload" else source.location

    def append(self, source: Source, articles: list[Article], correlation_id: str | None,
               input_names: list[str]) -> list[dict[str, Any]]:
        if not articles:
            return [self.failed(source, RejectedInput("no articles found"), correlation_id)]
        results = self.store.append_many(articles, correlation_id=correlation_id)
        out = []
        for art, res, name in zip(articles, results, input_names, strict=True):
            if res.status == "appended":
                metrics.EVENTS_APPENDED.labels(type=res.type).inc()
            elif res.code is not None:  # a claim on another origin's article
                metrics.INGEST_FAILURES.labels(reason=res.code).inc()
            out.append({**res.as_dict(), "source": name, "dateline": art.dateline,
                        "word_count": art.word_count})
        return out

    def patiently(self, fn: Callable[[], T]) -> T:
        """Run ``fn``, re-running it while Redis is unreachable, for up to ``redis_wait_s``.

        Celery's own retry must publish a new message, which fails while the broker (the same
        Redis) is down, and the task would then fail for good. The task bodies are idempotent
        (appends dedupe by content hash), so re-running one in place is safe.
        """
        deadline = time.monotonic() + self.settings.redis_wait_s
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

    def give_up_after(self, task_id: str | None, sources: list[Source],
                      correlation_id: str | None) -> list[dict[str, Any]] | None:
        """Count this run of the task id; past ``task_max_deliveries`` record each input as
        failed.

        Unacked-on-failure messages come back until they succeed; an input that crashes or
        times out the worker every time must end as a named failure, not as an endless loop.
        """
        if not task_id:  # called directly, not through Celery
            return None
        key = self.store.keys.task_runs(task_id)
        pipe = self.store.redis.pipeline(transaction=True)
        pipe.incr(key)
        pipe.expire(key, TASK_RUNS_TTL_S)
        runs = int(pipe.execute()[0])
        if runs <= self.settings.task_max_deliveries:
            return None
        log.error("task %s gave up after %d runs", task_id, runs - 1)
        reason = (f"gave up after {runs - 1} runs of task {task_id} "
                  "(it crashed, timed out or lost Redis every time)")
        return [self.failed(s, RejectedInput(reason), correlation_id) for s in sources]

    def path(self, path: str, correlation_id: str | None,
             name: str | None = None) -> list[dict[str, Any]]:
        """Normalise and append one file; never raises for bad input. ``name``: the client's
        name of an upload (its identity with the content, docs/identity.md)."""
        source = Source(kind="upload", location=name or "")  # named in a refusal
        try:
            if name is None:
                source, articles = articles_from_file(path, self.settings)
            else:
                raw = read_file(path, self.settings)[1]
                source = upload_source(name, raw)
                articles = articles_from_bytes(raw, source, self.settings)
        except RejectedInput as exc:
            location = exc.location or path
            failed = Source(kind="file", location=location) if name is None else source
            return [self.failed(failed, exc, correlation_id)]
        return self.append(source, articles, correlation_id,
                           [self.shown(source)] * len(articles))

    def paths(self, paths: list[str], cid: str | None) -> dict[str, Any]:
        """Many files, their articles appended in pipelines of APPEND_CHUNK."""
        results: list[dict[str, Any]] = []
        batch: list[Article] = []
        batch_names: list[str] = []

        def flush() -> None:
            results.extend(self.append(Source(kind="file", location=batch_names[0]), batch,
                                       cid, batch_names))
            batch.clear()
            batch_names.clear()

        for path in paths:
            try:
                _source, articles = articles_from_file(path, self.settings)
            except RejectedInput as exc:
                results.append(self.failed(Source(kind="file", location=exc.location or path),
                                           exc, cid))
                continue
            batch.extend(articles)
            batch_names.extend([shown_path(path, self.settings)] * len(articles))
            if len(batch) >= APPEND_CHUNK:
                flush()
        if batch:
            flush()
        return {"status": "batch", "results": results}

    def text(self, text: str, name: str, url: str | None, kind: str | None, cid: str | None,
             source: Source) -> dict[str, Any]:
        raw = text.encode("utf-8", "surrogatepass")
        try:
            if url or kind:
                articles = [normalise(raw, source=source, kind=kind, url=url,
                                      max_bytes=self.settings.max_body_bytes)]
            else:
                articles = articles_from_bytes(raw, source, self.settings)
        except RejectedInput as exc:
            return self.failed(source, exc, cid)
        results = self.append(source, articles, cid, [name] * len(articles))
        return {**results[0], "results": results}


# --- the tasks ---------------------------------------------------------------------------
def ingest_file(self: Any, path: str, correlation_id: str | None = None,
                name: str | None = None) -> dict[str, Any]:
    """Ingest one file (an article, or every entry of a feed file). ``name``: an upload's
    client file name (the API's uploads); the upload is deleted once ingested or refused."""
    run, cid = Ingest.of(self), correlation_id or self.request.id
    source = file_source(path) if name is None else Source(kind="upload", location=name)
    results = (run.patiently(lambda: run.give_up_after(self.request.id, [source], cid))
               or run.patiently(lambda: run.path(path, cid, name)))
    if name is not None:
        uploads = (run.settings.data_dir / "uploads").resolve()
        if Path(path).resolve().parent == uploads:  # only our own copies, never a user file
            Path(path).unlink(missing_ok=True)
    first = results[0] if len(results) == 1 else {"status": "batch"}
    return {**first, "path": run.shown(source), "results": results}


def ingest_files(self: Any, paths: list[str],
                 correlation_id: str | None = None) -> dict[str, Any]:
    """Ingest many files, appending their articles in pipelines of APPEND_CHUNK."""
    run, cid = Ingest.of(self), correlation_id or self.request.id
    gave_up = run.patiently(lambda: run.give_up_after(
        self.request.id, [file_source(p) for p in paths], cid))
    if gave_up is not None:
        return {"status": "batch", "results": gave_up}
    return run.patiently(lambda: run.paths(paths, cid))


def text_source(text: str, name: str | None, url: str | None = None) -> Source:
    """A text's source, which is also its origin (docs/identity.md): its name; else the URL
    it was given, so later texts for that URL revise it; else its content (``sha256:<hex>``),
    so an unnamed text without a URL never revises another article (not even through a
    canonical link in its HTML), and the same text sent twice is unchanged."""
    if name:
        return Source(kind="text", location=name)
    if url:
        return Source(kind="text", location=url)
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    return Source(kind="text", location=f"sha256:{digest[:32]}")


def ingest_text(self: Any, text: str, name: str | None = None, url: str | None = None,
                kind: str | None = None, correlation_id: str | None = None) -> dict[str, Any]:
    """Ingest an article given as text (HTTP API, Python client)."""
    run, cid = Ingest.of(self), correlation_id or self.request.id
    source = text_source(text, name, url)
    name = source.location
    gave_up = run.patiently(lambda: run.give_up_after(self.request.id, [source], cid))
    if gave_up is not None:
        return {**gave_up[0], "results": gave_up}
    return run.patiently(lambda: run.text(text, name, url, kind, cid, source))


def register(app: Any, retry: dict[str, Any]) -> None:
    """Register the ingest tasks on ``app`` under their names (worker.tasks.names)."""
    for name, fn in ((names.INGEST_FILE, ingest_file), (names.INGEST_FILES, ingest_files),
                     (names.INGEST_TEXT, ingest_text)):
        app.task(name=name, bind=True, **retry)(fn)
