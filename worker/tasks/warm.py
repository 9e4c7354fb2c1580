"""A worker's main process, before its pool forks: the task code imported, then frozen.

Tasks import the normaliser, trafilatura and the feed parser lazily (the CLI and the API
start fast without them). In a worker they are imported here instead, once, in the parent:
every pool child starts warm and shares those pages. Then ``gc.freeze()``: a full
collection over the ~80,000 objects they hold took 30-60 ms (measured on the 2-core dev
machine), the size of the rare spikes in ``latency_single``'s p99; frozen, the children's
collections skip them (and, not touching them, keep their pages shared after the fork).
"""

from __future__ import annotations

import gc
import logging
import time
from typing import Any

log = logging.getLogger(__name__)


def warm_and_freeze(**_: Any) -> None:
    """Celery's ``worker_init`` receiver (the main process, before the pool starts)."""
    started = time.perf_counter()
    from worker.feeds import poll  # noqa: F401  (the feed path: lxml, feedparser)
    from worker.normalise import article  # noqa: F401
    from worker.normalise.html_parse import trafilatura_module

    trafilatura_module()
    gc.collect()  # (what import-time garbage there is goes now, not into the frozen set)
    gc.freeze()
    log.info("task code imported and %d objects frozen in %.2f s", gc.get_freeze_count(),
             time.perf_counter() - started)
