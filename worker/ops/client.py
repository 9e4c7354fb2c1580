"""A small Python client: queue work for the newsworker Celery workers.

Built on Celery signatures by task *name*, so it needs neither the task modules nor their
dependencies, only the broker settings::

    from worker.ops.client import Client

    c = Client()                                  # settings from env / config file
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

from worker.settings import Settings, get_settings

log = logging.getLogger(__name__)


class Client:
    def __init__(self, settings: Settings | None = None, *, app: Any = None) -> None:
        from worker.tasks.app import make_app

        self.settings = settings or get_settings()
        self.app = app if app is not None else make_app(self.settings)

    def _send(self, name: str, args: list[Any], kwargs: dict[str, Any], queue: str) -> Any:
        return self.app.signature(name, args=args, kwargs=kwargs, queue=queue).apply_async()

    def submit_file(self, path: str | Path) -> Any:
        """One file (an article, or a feed file: every entry). Returns an AsyncResult."""
        return self._send("newsworker.ingest_file", [str(Path(path).resolve())], {},
                          self.settings.ingest_queue)

    def submit_files(self, paths: Iterable[str | Path], batch: int = 100) -> list[Any]:
        """Many files, ``batch`` per task (``newsworker.ingest_files``); one AsyncResult each."""
        files = [str(Path(p).resolve()) for p in paths]
        if batch <= 1:
            return [self.submit_file(f) for f in files]
        return [self._send("newsworker.ingest_files", [files[i:i + batch]], {},
                           self.settings.ingest_queue)
                for i in range(0, len(files), batch)]

    def submit_text(self, text: str, url: str | None = None, name: str = "text") -> Any:
        """An article given as text (plain, HTML or Markdown); ``url`` is its identity."""
        return self._send("newsworker.ingest_text", [text], {"name": name, "url": url},
                          self.settings.ingest_queue)

    def submit_feed(self, url: str) -> Any:
        """One poll of a feed URL (``newsworker.poll_feed`` on the feeds queue)."""
        return self._send("newsworker.poll_feed", [url], {}, self.settings.feeds_queue)
