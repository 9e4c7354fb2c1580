"""Stream entries decoded on first use: :func:`decode_lazily`.

Validating a ~4 KB article event costs ~4 us, most of what a consumer spends on an entry
(bench ``consume``); a handler that never looks at an event (``noop``, one that only counts
deliveries) need not pay it. :func:`decode_lazily` hands out a stand-in that decodes the
entry, with :func:`worker.events.codec.decode` (upcasting included), the first time anything
of the event is read, and then behaves as the decoded event: attributes, methods,
``isinstance``, ``==``, ``hash``, ``repr``, copy and pickle (a copy or pickle is the plain
event).

Only entries that look as the append writes them are left undecoded: a known ``type`` at its
current ``schema_version``, and a ``body`` that opens with this entry's ``event_id`` as
``codec.encode`` serialises it and closes as a JSON object does (~0.2 us to check). Any other
is decoded at once, so it is upcast, or found malformed, before a handler sees it. Such
checks catch garbage, not every malformed body: one left undecoded is untrusted until read.
If it then fails to decode, reading it raises the decode error, and :func:`decode_failure`
tells the consumer so, which dead-letters the entry whatever the handler did with the
error; a handler that never reads it takes it as it is.
"""

from __future__ import annotations

import copy
import logging
from collections.abc import Iterator, Mapping
from typing import Any, cast

from worker.events.codec import decode
from worker.events.models import SCHEMA_VERSIONS, AnyEvent

log = logging.getLogger(__name__)

# The append's own stream fields: ``type`` -> its current ``schema_version``.
_CURRENT: dict[bytes, bytes] = {t.encode(): str(v).encode() for t, v in SCHEMA_VERSIONS.items()}
# How ``codec.encode`` (model_dump_json: fields in declaration order, no spaces) opens a body,
# before the event id. A test holds the two together.
_HEAD = b'{"event_id":"'


class LazyEvent:
    """The event of a stream entry, decoded when first read (see the module doc)."""

    __slots__ = ("__weakref__", "_entry_id", "_error", "_event", "_fields")

    # No __setattr__ of its own (one would make this ~0.2 us slower, per entry): setting an
    # event field still fails, as on the frozen event, since the stand-in has no __dict__.
    def __init__(self, entry_id: str | bytes, fields: Mapping[Any, Any]) -> None:
        self._entry_id = entry_id
        self._fields = fields
        self._event: AnyEvent | None = None
        self._error: Exception | None = None

    def _resolve(self) -> AnyEvent:
        event = self._event
        if event is None:
            if self._error is not None:
                raise self._error  # decoded once: a failure is not retried per read
            try:
                event = decode(self._entry_id, self._fields)
            except Exception as exc:
                self._error = exc
                raise
            self._event = event
        return event

    # Called only for names the stand-in lacks itself: everything of the event.
    def __getattr__(self, name: str) -> Any:
        return getattr(self._resolve(), name)

    # isinstance() falls back to __class__ when type() does not match.
    @property  # type: ignore[misc]
    def __class__(self) -> type:
        return type(self._resolve())

    def __eq__(self, other: object) -> bool:
        return bool(self._resolve() == plain(other))

    def __ne__(self, other: object) -> bool:
        return not self == other

    def __hash__(self) -> int:
        return hash(self._resolve())

    def __repr__(self) -> str:
        return repr(self._resolve())

    def __str__(self) -> str:
        return str(self._resolve())

    def __iter__(self) -> Iterator[tuple[str, Any]]:
        return iter(self._resolve())

    def __dir__(self) -> list[str]:
        return dir(self._resolve())

    def __copy__(self) -> AnyEvent:
        return self._resolve()  # frozen: the event is its own copy

    def __deepcopy__(self, memo: dict[int, Any]) -> AnyEvent:
        return copy.deepcopy(self._resolve(), memo)

    def __reduce_ex__(self, protocol: Any) -> Any:
        return self._resolve().__reduce_ex__(protocol)

    def __reduce__(self) -> Any:
        return self._resolve().__reduce__()


def decode_lazily(entry_id: str | bytes, fields: Mapping[Any, Any]) -> AnyEvent:
    """The entry's event, decoded on first use when it looks as the append writes it (see
    the module doc), else decoded now (raising as :func:`~worker.events.codec.decode` does)."""
    schema = fields.get(b"schema_version")
    body = fields.get(b"body")
    event_id = fields.get(b"event_id")
    if (schema is not None and _CURRENT.get(fields.get(b"type", b"")) == schema
            and type(body) is bytes and type(event_id) is bytes and body.startswith(_HEAD)
            and body.startswith(event_id, len(_HEAD)) and body.endswith(b"}")):
        return cast(AnyEvent, LazyEvent(entry_id, fields))
    return decode(entry_id, fields)


def decode_failure(event: object) -> Exception | None:
    """The error a stand-in of :func:`decode_lazily` raised when read, else None (also for a
    stand-in never read, and for a plain event)."""
    return event._error if type(event) is LazyEvent else None


def plain(event: Any) -> Any:
    """``event`` itself, or the decoded event behind a stand-in (decoding it now)."""
    return event._resolve() if type(event) is LazyEvent else event
