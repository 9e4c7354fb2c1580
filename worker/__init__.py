"""newsworker: files and feeds -> normalised article events -> Redis Stream -> handlers.

The public API is ``__all__``; everything is imported lazily, so ``import worker`` reads no
settings, opens no connection and builds no Celery app. ``celery -A worker worker`` finds the
Celery app through ``worker.app``, built on first access from the environment's settings.
"""

from __future__ import annotations

import importlib
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from worker import errors, events
    from worker.consumers.handler import Handler
    from worker.ops.client import Client
    from worker.settings import Settings, load_settings
    from worker.store.eventstore import EventStore
    from worker.tasks.app import create_app

__version__ = "0.1.0"

__all__ = [
    "Client",
    "EventStore",
    "Handler",
    "Settings",
    "__version__",
    "app",
    "create_app",
    "errors",
    "events",
    "load_settings",
]

# name -> (module, attribute or None for the module itself)
_LAZY = {
    "Client": ("worker.ops.client", "Client"),
    "EventStore": ("worker.store.eventstore", "EventStore"),
    "Handler": ("worker.consumers.handler", "Handler"),
    "Settings": ("worker.settings", "Settings"),
    "load_settings": ("worker.settings", "load_settings"),
    "create_app": ("worker.tasks.app", "create_app"),
    "errors": ("worker.errors", None),
    "events": ("worker.events", None),
}
_app: Any = None


def _celery_app() -> Any:
    """The app `celery -A worker` runs: settings from the environment, a bad one named."""
    global _app
    if _app is None:
        from worker.errors import ConfigError
        from worker.settings import default_redis_notice, load_settings, with_recorded_redis
        from worker.tasks.app import create_app

        try:
            settings = with_recorded_redis(load_settings())
        except ConfigError as exc:
            # Celery would print a traceback; an operator needs the key.
            sys.exit(f"newsworker: {exc}")
        notice = default_redis_notice(settings)
        if notice:
            print(f"newsworker: {notice}", file=sys.stderr, flush=True)
        _app = create_app(settings)
    return _app


def __getattr__(name: str) -> Any:
    if name in ("app", "celery"):
        return _celery_app()
    if name in _LAZY:
        module, attr = _LAZY[name]
        mod = importlib.import_module(module)
        return mod if attr is None else getattr(mod, attr)
    raise AttributeError(f"module 'worker' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
