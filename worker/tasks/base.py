"""The task class of every newsworker task (``NewsworkerCelery.task_cls``).

An ingest task whose client gave up on it is not run: the client (the API, with a deadline)
timed out, told its caller the submission failed, and marked it abandoned, because its commit
may have run just before Redis hung with the answer never sent (docs/recovery.md). Only
messages whose client had a deadline carry ``DEADLINE_HEADER``, so only they cost the look.
"""

from __future__ import annotations

import logging
from typing import Any

import redis
from celery import Task

from worker.tasks.broker import DEADLINE_HEADER

log = logging.getLogger(__name__)


class SubmittedTask(Task):  # type: ignore[misc]
    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if self.request_stack.top is None:
            # Called directly, not by a worker: Celery's own call sets up the request.
            return super().__call__(*args, **kwargs)
        req = self.request
        task_id = getattr(req, "id", None)
        # A worker's request carries the message headers as attributes; apply() nests them.
        had_deadline = getattr(req, DEADLINE_HEADER, None) or (
            getattr(req, "headers", None) or {}).get(DEADLINE_HEADER)
        ledger_of = getattr(self.app, "ledger", None)
        if task_id and had_deadline and callable(ledger_of):
            try:
                ledger = ledger_of()
                gave_up = ledger is not None and ledger.abandoned(task_id)
            except redis.RedisError:
                gave_up = False  # Redis away: the task itself will wait and retry
            if gave_up:
                log.warning("task %s (%s) not run: its submitter gave up on it", task_id,
                            self.name)
                return {"status": "abandoned", "task_id": task_id}
        # As Celery runs a task without a __call__ of its own (the worker pushed the request).
        return self.run(*args, **kwargs)
