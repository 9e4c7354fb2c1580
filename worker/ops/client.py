"""The one way to queue work for the newsworker Celery workers: the CLI, the HTTP API and
library users all submit through :class:`Client`.

Tasks are sent by *name* (worker.tasks.names), so a client process never runs task code::

    from worker import Client, load_settings

    c = Client(load_settings())                   # settings from env / config file
    res = c.submit_text("Headline\\n\\nFirst paragraph.", url="https://example.com/a")
    print(res.get(timeout=30))                    # {'status': 'appended', 'article_id': ...}

Files are read by the worker, so paths must be visible to it (same machine or shared disk)
and inside ``input_roots`` when that is set.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from worker.redisconn import connect
from worker.settings import Settings
from worker.tasks import names
from worker.tasks.app import create_app

log = logging.getLogger(__name__)

BROKER_PING_TIMEOUT_S = 3.0


class Client:
    def __init__(self, settings: Settings, *, app: Any = None) -> None:
        self.settings = settings
        self.app = app if app is not None else create_app(settings)

    def send(self, name: str, args: list[Any], kwargs: dict[str, Any], queue: str) -> Any:
        """Queue task ``name``; returns its AsyncResult (ingest tasks go through the ledger)."""
        return self.app.send_task(name, args=args, kwargs=kwargs, queue=queue)

    def ping_broker(self) -> None:
        """Raise redis.ConnectionError at once when a Redis broker is down (Celery would
        retry for a long while, then print a traceback)."""
        url = self.settings.celery_broker
        if url.startswith(("redis://", "rediss://", "unix://")):
            connect(url, socket_connect_timeout=BROKER_PING_TIMEOUT_S,
                    retry_on_timeout=False).ping()

    def submit_file(self, path: str | Path, *, name: str | None = None) -> Any:
        """One file (an article, or a feed file: every entry). Returns an AsyncResult.

        ``name``: the file is an upload the client called so (its identity is that name
        plus the content; the worker deletes the file once it is done with it)."""
        kwargs = {"name": name} if name is not None else {}
        return self.send(names.INGEST_FILE, [str(Path(path).resolve())], kwargs,
                         self.settings.ingest_queue)

    def submit_files(self, paths: Iterable[str | Path], batch: int = 100) -> list[Any]:
        """Many files, ``batch`` per task (``newsworker.ingest_files``); one AsyncResult each."""
        files = [str(Path(p).resolve()) for p in paths]
        if batch <= 1:
            return [self.submit_file(f) for f in files]
        return [self.send(names.INGEST_FILES, [files[i:i + batch]], {},
                          self.settings.ingest_queue)
                for i in range(0, len(files), batch)]

    def submit_text(self, text: str, url: str | None = None, name: str | None = None) -> Any:
        """An article given as text (plain, HTML or Markdown). Its identity is ``url``, else
        ``name``, else its content (docs/identity.md)."""
        return self.send(*self.text_task(text, url=url, name=name))

    def text_task(self, text: str, url: str | None = None, name: str | None = None
                  ) -> tuple[str, list[Any], dict[str, Any], str]:
        """What submit_text sends: task name, args, kwargs, queue (the API's async path
        sends the same through worker.tasks.submitter)."""
        return names.INGEST_TEXT, [text], {"name": name, "url": url}, self.settings.ingest_queue

    def submit_feed(self, url: str, *, force: bool = False) -> Any:
        """One poll of a feed URL or file (``newsworker.poll_feed`` on the feeds queue).

        ``force`` ignores the feed's schedule, back-off and parking (a success unparks it).
        """
        kwargs: dict[str, Any] = {"options": {"force": True}} if force else {}
        return self.send(names.POLL_FEED, [url], kwargs, self.settings.feeds_queue)

    def result(self, task_id: str) -> Any:
        """The AsyncResult of a submitted task."""
        return self.app.AsyncResult(task_id)
