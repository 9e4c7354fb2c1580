"""Downstream handlers and their registry.

A handler is a plain callable taking one decoded, typed event. It may carry an
``event_types`` attribute (a set of type names) to receive only those; other types are
acknowledged and skipped with a debug log line. Handlers are named in config
(``handlers = {name = "module:callable"}``) or given as a dotted path. A class is
instantiated with a ``HandlerContext`` when its constructor takes one argument, else with none;
instances are called per event and may have a ``close()`` run when the consumer stops. A
handler may also define ``handle_batch(events)`` (a list, in stream order): the consumer then
calls it once per batch and, if it raises, retries the events one by one through the plain
call, so it must be as idempotent as the plain call.

Contract: a handler is called at least once per event and group (redeliveries after crashes,
``replay``), and with several consumers per group events of one article may arrive out of
order: make effects idempotent (by ``event_id``) and order-insensitive (by ``version``).
Raise ``PermanentHandlerError`` for events that can never succeed (dead-lettered at once);
any other exception is retried up to ``max_deliveries``.
"""

from __future__ import annotations

import importlib
import inspect
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from worker.errors import ConfigError
from worker.events.models import ArticleIngested, ArticleRevised, IngestionFailed
from worker.settings import Settings
from worker.store.keys import Keys

log = logging.getLogger(__name__)

AnyEvent = ArticleIngested | ArticleRevised | IngestionFailed
HandlerFn = Callable[[AnyEvent], Any]


@dataclass(frozen=True)
class HandlerContext:
    settings: Settings
    keys: Keys
    redis: Any
    group: str


@dataclass(frozen=True)
class HandlerSpec:
    name: str
    fn: HandlerFn
    event_types: frozenset[str] | None = None
    close: Callable[[], Any] | None = None
    # True when the handler itself makes a repeat harmless (dedupes by event id or
    # version): the consumer then records processed ids once per batch, not per event.
    idempotent: bool = False
    # Optional ``handle_batch(events)``: the consumer hands it every event of a batch at once
    # (and falls back to one call per event, to isolate the culprit, when it raises).
    batch: Callable[[list[AnyEvent]], Any] | None = None

    def wants(self, event_type: str) -> bool:
        return self.event_types is None or event_type in self.event_types


def log_event(event: AnyEvent) -> None:
    """Print one line per event."""
    if isinstance(event, IngestionFailed):
        line = f"{event.type} {event.source.location}: {event.data.reason}"
    else:
        art = event.data
        dateline = f" [{art.dateline}]" if art.dateline else ""
        line = (f"{event.type} v{event.version} {event.article_id}{dateline} "
                f"{art.title!r} ({art.word_count} words)")
    print(line, flush=True)


BUILTINS: dict[str, str] = {
    "log": "worker.consumers.handler:log_event",
    "noop": "worker.consumers.handler:noop",
    "archive": "worker.consumers.builtin.archive:ArchiveHandler",
    "catalog": "worker.consumers.builtin.catalog:CatalogHandler",
    "webhook": "worker.consumers.builtin.webhook:WebhookHandler",
}


def noop(event: AnyEvent) -> None:
    """Does nothing; for benchmarks and smoke tests."""


noop.idempotent = True  # type: ignore[attr-defined]


def _import(path: str) -> Any:
    module_name, _, attr = path.partition(":")
    if not attr:
        module_name, _, attr = path.rpartition(".")
    if not module_name or not attr:
        raise ConfigError(f"handler {path!r}: expected 'module:callable'")
    try:
        obj: Any = importlib.import_module(module_name)
        for part in attr.split("."):
            obj = getattr(obj, part)
    except (ImportError, AttributeError) as exc:
        raise ConfigError(f"handler {path!r} cannot be imported: {exc}") from None
    return obj


def resolve(name: str, ctx: HandlerContext) -> HandlerSpec:
    """Find a handler by configured name, built-in name, or dotted path."""
    path = ctx.settings.handlers.get(name) or BUILTINS.get(name) or name
    obj = _import(path)
    if inspect.isclass(obj):
        params = [p for p in inspect.signature(obj).parameters.values()
                  if p.default is inspect.Parameter.empty]
        obj = obj(ctx) if len(params) == 1 else obj()
    if not callable(obj):
        raise ConfigError(f"handler {name!r} ({path}) is not callable")
    types = getattr(obj, "event_types", None)
    if isinstance(types, str):
        types = [types]
    close = getattr(obj, "close", None)
    batch = getattr(obj, "handle_batch", None)
    return HandlerSpec(name=name, fn=obj, event_types=frozenset(types) if types else None,
                       idempotent=bool(getattr(obj, "idempotent", False)),
                       close=close if callable(close) else None,
                       batch=batch if callable(batch) else None)
