"""Benchmark-only Celery task, loaded by the bench worker with ``-I benchmarks.trivial``.

The baseline of ``end_to_end_batch``: one trivial task per item. It does the least a task
can do and still be observed: one INCR, so the benchmark can see when all have run.
"""

from __future__ import annotations

import time
from functools import lru_cache
from typing import Any

import redis
from celery import shared_task

from worker.settings import load_settings


@lru_cache(maxsize=1)
def _client() -> redis.Redis:
    return redis.Redis.from_url(load_settings().store_url)


# shared_task: registered on the worker's app (built by `celery -A worker`), whichever it is.
@shared_task(name="bench.trivial", ignore_result=True)
def trivial(counter_key: str, item: Any = None) -> None:
    _client().incr(counter_key)


@shared_task(name="bench.stamp", ignore_result=True)
def stamp(hash_key: str, name: str) -> None:
    """Records when the task ran: the Celery-only share of ``latency_single``."""
    _client().hset(hash_key, name, repr(time.time()))
