"""newsworker: files and feeds -> normalised article events -> Redis Stream -> handlers.

``celery -A worker worker`` finds the Celery app through ``worker.app``, imported lazily
so the CLI and library users don't pay for Celery unless they use it.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    if name in ("app", "celery"):
        from worker.tasks.ingest import app

        return app
    raise AttributeError(f"module 'worker' has no attribute {name!r}")
