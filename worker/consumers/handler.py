"""The handler contract (:class:`Handler`), the adapter for plain callables, and the registry.

A handler receives decoded, typed events from a consumer group (one called per event gets
them decoded when it first reads them: ``worker.events.lazy``). Write one either way:

- subclass :class:`Handler` and override ``handle`` (every other hook is a no-op), setting
  ``event_types``, ``idempotent``, ``batched`` and ``positioned`` as class attributes when
  they apply;
- or give a plain callable taking one event: a function, or a class whose instances are
  called per event. It may carry the same optional attributes (``event_types``,
  ``idempotent``, ``handle_batch``, ``close``); :func:`as_handler` reads them once and wraps
  it in a :class:`CallableHandler`.

Handlers are named in config (``handlers = {name = "module:callable"}``), by a built-in name
(``BUILTINS``), or by a dotted path. A class is instantiated with a ``HandlerContext`` when its
constructor takes one argument, else with none.

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
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from worker.errors import ConfigError
from worker.events.models import AnyEvent
from worker.settings import Settings
from worker.store.keys import Keys

log = logging.getLogger(__name__)

HandlerFn = Callable[[AnyEvent], Any]


@dataclass(frozen=True)
class HandlerContext:
    settings: Settings
    keys: Keys
    redis: Any
    group: str


class Handler:
    """What a consumer calls. Override ``handle``; the other hooks do nothing by default."""

    #: How logs and dead letters name the handler (``resolve`` sets the name it was given).
    name: str = ""
    #: Event types to receive; None: all. Others are acknowledged and skipped.
    event_types: frozenset[str] | None = None
    #: True when the handler itself makes a repeat harmless (dedupes by event id or version):
    #: the consumer then keeps no per-event redelivery markers for it.
    idempotent: bool = False
    #: True when ``handle_batch`` takes a whole consumer batch as one effect. If it raises,
    #: the consumer retries the events one by one through ``handle``, so it must be as
    #: idempotent as ``handle``.
    batched: bool = False
    #: True when the handler takes the stream entry ids too (``handle_entries``): one that
    #: records how far it got in the same transaction as its effect needs them.
    positioned: bool = False

    def handle(self, event: AnyEvent) -> None:
        raise NotImplementedError(f"{type(self).__name__}.handle")

    def handle_entries(self, entries: Sequence[tuple[str, AnyEvent]]) -> None:
        """Called instead of ``handle`` / ``handle_batch`` when ``positioned``: (entry id,
        event) pairs in stream order, one pair for a retry, the whole batch otherwise."""
        self.handle_batch([event for _, event in entries])

    def handle_batch(self, events: Sequence[AnyEvent]) -> None:
        """Called instead of ``handle`` for a batch (in stream order) when ``batched``."""
        for event in events:
            self.handle(event)

    def close(self) -> None:
        """Called once when the consumer stops."""

    def maintain(self) -> None:
        """Called with the consumer's housekeeping, after the store's retention pass: a read
        model with retention of its own applies it here."""

    def wants(self, event_type: str) -> bool:
        return self.event_types is None or event_type in self.event_types

    def __call__(self, event: AnyEvent) -> None:
        self.handle(event)


def event_type_set(types: str | Iterable[str] | None) -> frozenset[str] | None:
    """``event_types`` as a frozenset; a single name, or None / empty (all types) accepted."""
    if isinstance(types, str):
        types = [types]
    return frozenset(types) if types else None


class CallableHandler(Handler):
    """A plain callable as a Handler, with the optional parts given explicitly."""

    def __init__(self, name: str, fn: HandlerFn,
                 event_types: str | Iterable[str] | None = None,
                 close: Callable[[], Any] | None = None, idempotent: bool = False,
                 batch: Callable[[list[AnyEvent]], Any] | None = None) -> None:
        self.name = name
        self.fn = fn
        self.event_types = event_type_set(event_types)
        self.idempotent = idempotent
        self.batched = batch is not None
        self._close = close
        self._batch = batch

    def handle(self, event: AnyEvent) -> None:
        self.fn(event)

    def handle_batch(self, events: Sequence[AnyEvent]) -> None:
        if self._batch is None:
            super().handle_batch(events)
        else:
            self._batch(list(events))

    def close(self) -> None:
        if self._close is not None:
            self._close()


def as_handler(obj: Any, name: str) -> Handler:
    """``obj`` as a Handler named ``name``: a Handler as it is, a callable wrapped with the
    optional attributes it carries (``event_types``, ``idempotent``, ``handle_batch``,
    ``close``)."""
    if isinstance(obj, Handler):
        obj.name = name
        return obj
    if not callable(obj):
        raise ConfigError(f"handler {name!r} is not callable")
    close = getattr(obj, "close", None)
    batch = getattr(obj, "handle_batch", None)
    return CallableHandler(name, obj, getattr(obj, "event_types", None),
                           close=close if callable(close) else None,
                           idempotent=bool(getattr(obj, "idempotent", False)),
                           batch=batch if callable(batch) else None)


# Paths, not classes: a consumer imports only the handler it runs (webhook pulls in httpx).
BUILTINS: dict[str, str] = {
    "log": "worker.consumers.builtin.log:LogHandler",
    "noop": "worker.consumers.builtin.noop:NoopHandler",
    "archive": "worker.consumers.builtin.archive:ArchiveHandler",
    "catalog": "worker.consumers.builtin.catalog:CatalogHandler",
    "webhook": "worker.consumers.builtin.webhook:WebhookHandler",
    "stories": "worker.consumers.builtin.stories:StoriesHandler",
    "postgres": "worker.consumers.builtin.postgres:PostgresHandler",
}


def load(path: str) -> Any:
    """The object at ``module:attr`` (or ``module.attr``)."""
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


def resolve(name: str, ctx: HandlerContext) -> Handler:
    """Find a handler by configured name, built-in name, or dotted path."""
    path = ctx.settings.handlers.get(name) or BUILTINS.get(name) or name
    obj = load(path)
    if inspect.isclass(obj):
        params = [p for p in inspect.signature(obj).parameters.values()
                  if p.default is inspect.Parameter.empty]
        obj = obj(ctx) if len(params) == 1 else obj()
    return as_handler(obj, name)
