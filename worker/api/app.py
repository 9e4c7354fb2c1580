"""The HTTP API: submit work, follow tasks, read events and status; dashboard and /metrics.

Auth: every route but ``/healthz`` and the page shells (the dashboard's ``/``, ``/docs``,
``/static``; their scripts send the token) needs ``Authorization: Bearer <api_token>``.
Without a configured token the API only starts bound to loopback, and then refuses requests
whose Host or Origin is not loopback (DNS rebinding and cross-site form posts from a browser
on the same machine).

Work is queued through :class:`worker.ops.client.Client` (tasks by *name*), the same path
the CLI takes.
"""

from __future__ import annotations

import logging
import re
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

import redis
from celery.states import READY_STATES
from fastapi import Depends, FastAPI, File, HTTPException, Query, UploadFile
from fastapi import Path as PathParam
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool

from worker.api import (
    docs_routes,
    errors,
    events_routes,
    history_routes,
    search_routes,
    series_routes,
    stories_routes,
)
from worker.api.errors import responses
from worker.api.models import FeedIn, Health, Queued, TextIn
from worker.api.security import CSP, BodyLimit, check_bind, only_part, require_auth
from worker.errors import EventDecodeError
from worker.events.codec import decode
from worker.ops.client import Client
from worker.ops.monitor import collect
from worker.ops.prometheus import metrics_text
from worker.redisconn import to_str
from worker.settings import Settings
from worker.store.eventstore import EventStore
from worker.tasks import names
from worker.tasks.app import create_client_app
from worker.tasks.submitter import GroupSubmitter

log = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).parent / "static"
MULTIPART_SLACK = 64 * 1024  # boundaries and part headers around the file itself
STATUS_CACHE_S = 1.0  # dashboards poll every 2 s; share one worker broadcast between them
UPLOAD_CHUNK = 1024 * 1024


# --- the app ---------------------------------------------------------------------------------
class StatusCache:
    def __init__(self, settings: Settings, celery: Any, client: Any) -> None:
        self.settings, self.celery, self.client = settings, celery, client
        self.lock = threading.Lock()
        self.at = 0.0
        self.snap: dict[str, Any] = {}

    def get(self) -> dict[str, Any]:
        with self.lock:
            if time.monotonic() - self.at > STATUS_CACHE_S:
                self.snap = collect(self.settings, app=self.celery,
                                    client=self.client).model_dump(mode="json")
                self.at = time.monotonic()
            return self.snap


def event_row(eid: Any, fields: Any) -> dict[str, Any]:
    entry_id = to_str(eid)
    try:
        return {"entry_id": entry_id, **decode(entry_id, fields).model_dump(mode="json")}
    except EventDecodeError as exc:
        return {"entry_id": entry_id, "error": str(exc)}


def upload_name(filename: str | None) -> str:
    """The client's file name as a label (task results, the upload's identity): its last
    path part, printable, at most 200 characters; never used as a path."""
    base = re.split(r"[/\\]", filename or "")[-1]
    base = "".join(c for c in base if c.isprintable()).strip()[:200]
    return base if base not in ("", ".", "..") else "upload"


def _safe_suffix(filename: str | None) -> str:
    # Only the extension survives (it picks the parser); the name itself is generated.
    suffix = Path(filename or "").suffix.lower()
    return suffix if re.fullmatch(r"\.[a-z0-9]{1,10}", suffix) else ""


def create_app(settings: Settings) -> FastAPI:
    # Every Redis and broker operation of a request is bounded: a hung Redis costs a client
    # api_redis_timeout_s and a 503, never a minute and a 500.
    timeout_s = settings.api_redis_timeout_s
    submit = Client(settings, app=create_client_app(settings, timeout_s))
    grouped = GroupSubmitter.for_app(submit.app, timeout_s)
    store = EventStore.from_settings(settings, socket_timeout=timeout_s,
                                     socket_connect_timeout=timeout_s, retry_on_timeout=False)
    client, keys = store.redis, store.keys
    health_pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="healthz")
    status_cache = StatusCache(settings, submit.app, client)
    uploads = settings.data_dir / "uploads"

    api = FastAPI(title="newsworker", version="1", summary="Submit news for ingestion; "
                  "follow tasks, events and queues.", docs_url=None,
                  openapi_url=None, redoc_url=None)  # docs_routes: behind the token
    api.add_middleware(BodyLimit, limit=settings.max_upload_bytes + MULTIPART_SLACK)
    auth = [Depends(require_auth(settings))]
    search_routes.register(api, settings, auth)
    stories_routes.register(api, settings, auth, client, keys)
    history_routes.register(api, client, keys, auth)
    docs_routes.register(api, settings, auth)
    events_routes.register(api, settings, auth, client, keys)
    series_routes.register(api, auth, client, keys, status_cache.get)

    errors.install(api)

    def queued(name: str, res: Any) -> Queued:
        return Queued(task_id=res.id, task=name, status_url=f"/v1/tasks/{res.id}")

    @api.post("/v1/ingest/text", status_code=202, dependencies=auth, tags=["ingest"],
              responses=responses(401, 403, 413, 422, 503))
    async def ingest_text(body: TextIn) -> Queued:
        """Queue an article given as text (newsworker.ingest_text)."""
        if len(body.text.encode()) > settings.max_upload_bytes:
            raise HTTPException(413, f"text exceeds {settings.max_upload_bytes} bytes")
        task = submit.text_task(body.text, url=body.url, name=body.name)
        if grouped is None:  # no ledger commit on this broker: Celery's own path
            res = await run_in_threadpool(submit.send, *task)
            return queued(names.INGEST_TEXT, res)
        # On the loop, no thread hop: committed in groups by one thread (~1 ms of CPU less
        # per submission than send_task; worker.tasks.submitter).
        task_id = await grouped.send(*task)
        return Queued(task_id=task_id, task=names.INGEST_TEXT, status_url=f"/v1/tasks/{task_id}")

    @api.post("/v1/ingest/feed", status_code=202, dependencies=auth, tags=["ingest"],
              responses=responses(401, 403, 413, 422, 503))
    def ingest_feed(body: FeedIn) -> Queued:
        """Queue one poll of a feed URL (newsworker.poll_feed)."""
        return queued(names.POLL_FEED, submit.submit_feed(body.url))

    @api.post("/v1/ingest/file", status_code=202, tags=["ingest"],
              dependencies=[*auth, Depends(only_part("file"))],
              responses=responses(400, 401, 403, 413, 422, 503))
    def ingest_file(file: Annotated[UploadFile, File(description="An article or feed file.")]
                    ) -> Queued:
        """Upload a file; it is stored under data_dir/uploads and queued (ingest_file)."""
        if file.size is not None and file.size > settings.max_upload_bytes:
            raise HTTPException(413, f"file exceeds {settings.max_upload_bytes} bytes")
        uploads.mkdir(parents=True, exist_ok=True)
        dest = uploads / f"{uuid.uuid4().hex}{_safe_suffix(file.filename)}"
        size = 0
        with dest.open("xb") as fh:
            while chunk := file.file.read(UPLOAD_CHUNK):
                size += len(chunk)
                if size > settings.max_upload_bytes:
                    break
                fh.write(chunk)
        if size > settings.max_upload_bytes or size == 0:
            dest.unlink(missing_ok=True)
            if size:
                raise HTTPException(413, f"file exceeds {settings.max_upload_bytes} bytes")
            raise RequestValidationError([{"loc": ("body", "file"), "msg": "file is empty",
                                           "type": "value_error"}])
        try:
            return queued(names.INGEST_FILE,
                          submit.submit_file(dest, name=upload_name(file.filename)))
        except BaseException:
            # Not queued (Redis or the broker away): the client is told so, and nothing will
            # ever read the upload.
            dest.unlink(missing_ok=True)
            raise

    @api.get("/v1/tasks/{task_id}", dependencies=auth, tags=["tasks"],
             responses=responses(401, 403, 422, 503))
    def task(task_id: Annotated[str, PathParam(pattern=r"^[A-Za-z0-9_.:-]{1,128}$")]
             ) -> dict[str, Any]:
        """A task's state (PENDING also means unknown) and, once done, its result."""
        res = submit.result(task_id)
        # One read of the task's state: `ready` from a second read could disagree with it
        # (STARTED, yet ready) when the task finishes in between.
        state = res.state
        out: dict[str, Any] = {"task_id": task_id, "state": state,
                               "ready": state in READY_STATES, "result": None, "error": None}
        if state == "SUCCESS":
            out["result"] = jsonable_encoder(res.result)
        elif state in ("FAILURE", "RETRY", "REVOKED"):
            out["error"] = f"{type(res.result).__name__}: {res.result}"
        return out

    @api.get("/v1/status", dependencies=auth, tags=["monitoring"],
             responses=responses(401, 403, 503))
    def status() -> dict[str, Any]:
        """The monitor snapshot (what `newsworker status --json` prints)."""
        return status_cache.get()

    @api.get("/v1/articles/{article_id}", dependencies=auth, tags=["events"],
             responses=history_routes.ARTICLE_RESPONSES)
    def article(article_id: Annotated[str, PathParam(pattern=r"^[A-Za-z0-9_-]{1,128}$")],
                version: Annotated[int | None, Query(ge=1, description="This version.")] = None,
                as_of: Annotated[datetime | None, Query(
                    description="As it stood at this ISO-8601 moment.")] = None,
                ) -> dict[str, Any]:
        """The article's latest event, or its event at ``version`` / as of ``as_of``."""
        if version is not None or as_of is not None:
            return history_routes.article_at(client, keys, article_id, version=version,
                                             as_of=as_of)
        entry = client.hget(keys.article(article_id), "entry_id")
        rows = client.xrange(keys.events, entry, entry) if entry else []
        if not rows:
            raise HTTPException(404, "no such article (or its event was trimmed)")
        story = client.hget(keys.stories("assigned"), article_id)  # the stories handler's
        return {**event_row(*rows[0]), "story_id": to_str(story) if story else None}

    @api.get("/metrics", dependencies=auth, tags=["monitoring"],
             response_class=Response, responses={
                 200: {"content": {"text/plain": {"schema": {"type": "string"}}},
                       "description": "Prometheus text exposition format"},
                 **responses(401, 403, 503)})
    def metrics() -> Response:
        """Prometheus text format, computed from Redis at scrape time."""
        body, content_type = metrics_text(settings, client)
        return Response(body, media_type=content_type)

    @api.get("/healthz", tags=["monitoring"], response_model=Health, responses={
        503: {"model": Health, "description": "Redis does not answer (within "
              "api_redis_timeout_s)"}})
    def healthz() -> JSONResponse:
        """No auth: 200 when Redis answers, else 503 (naming no address: anyone may ask)."""
        # The socket timeouts do not bound the name lookup (with Compose's Redis stopped,
        # Docker's DNS took 10 s to fail): the answer waits api_redis_timeout_s at most.
        try:
            health_pool.submit(client.ping).result(timeout=timeout_s)
        except (redis.RedisError, FutureTimeout) as exc:
            log.warning("healthz: Redis unavailable: %r", exc)
            return JSONResponse(Health(status="down").model_dump(), 503,
                                headers={"Retry-After": str(errors.RETRY_AFTER_S)})
        return JSONResponse(Health(status="ok").model_dump())

    @api.get("/", include_in_schema=False)
    def dashboard() -> FileResponse:
        return FileResponse(STATIC_DIR / "dashboard.html",
                            headers={"Content-Security-Policy": CSP, "Cache-Control": "no-cache"})

    api.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    api.openapi = lambda: openapi_schema(api)  # type: ignore[method-assign]
    return api


def openapi_schema(api: FastAPI) -> dict[str, Any]:
    """FastAPI's document, plus the rules it cannot express: an upload is never empty, and
    its form holds no other part (security.only_part)."""
    if api.openapi_schema is None:
        doc = get_openapi(title=api.title, version=api.version, summary=api.summary,
                          routes=api.routes)
        for schema in doc.get("components", {}).get("schemas", {}).values():
            for prop in schema.get("properties", {}).values():
                if prop.get("format") == "binary" or prop.get("contentMediaType") == \
                        "application/octet-stream":
                    prop["minLength"] = 1
                    schema["additionalProperties"] = False
        api.openapi_schema = doc
    return api.openapi_schema


def serve(settings: Settings, *, host: str | None = None, port: int | None = None) -> None:
    """Run the API under uvicorn (blocking)."""
    import uvicorn

    host = host or settings.api_host
    check_bind(settings, host)
    uploads = (settings.data_dir / "uploads").resolve()
    if settings.input_roots and not any(uploads.is_relative_to(r.resolve())
                                        for r in settings.input_roots):
        log.warning("uploads dir %s is outside input_roots: uploaded files will be rejected",
                    uploads)
    uvicorn.run(create_app(settings), host=host, port=port or settings.api_port,
                log_level="info", access_log=False)
