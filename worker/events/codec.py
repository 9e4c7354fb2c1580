"""Events to stream entries and back, lifting old schema versions on read.

A stream entry is flat: ``type``, ``article_id``, ``version``, ``event_id``,
``schema_version`` (routing without decoding) and ``body`` (the JSON envelope).
Old schema versions are upcast on read (see ``UPCASTERS``); entries are never rewritten.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Annotated, Any

import orjson
from pydantic import BaseModel, Field, TypeAdapter, ValidationError

from worker.errors import EventDecodeError, UnknownEventType
from worker.events.models import (
    ARTICLE_INGESTED,
    ARTICLE_REVISED,
    EVENT_TYPES,
    INGESTION_FAILED,
    SCHEMA_VERSION,
    SCHEMA_VERSIONS,
    AnyEvent,
)
from worker.redisconn import to_str

# mypy cannot see an Annotated discriminated union as a type; pydantic can.
_EVENT_SCHEMA: Any = Annotated[AnyEvent, Field(discriminator="type")]
_EVENT_ADAPTER: TypeAdapter[AnyEvent] = TypeAdapter(_EVENT_SCHEMA)
# The adapter's own validate_json wraps this call in Python: ~0.2 us of the ~5 us a 4 KB
# event costs to decode (measured), paid by every event a consumer reads.
_VALIDATE_JSON: Callable[[bytes], AnyEvent] = _EVENT_ADAPTER.validator.validate_json


def _fields(obj: Any) -> dict[str, Any]:
    if isinstance(obj, BaseModel):
        return obj.__dict__  # its fields, in declaration order
    raise TypeError(f"{type(obj).__name__} is not JSON serialisable")


def dump_json(obj: BaseModel | dict[str, Any]) -> bytes:
    """The JSON ``model_dump_json`` writes for our event models (or a dict holding them),
    byte for byte, through orjson: ~1 us for a 4 KB article event against ~6 us (pydantic's
    serialiser plus its str round trip), paid by every append.

    The same bytes because the models are plain (no aliases, excluded or computed fields,
    custom serialisers): a model is its fields in order, datetimes are ISO 8601 with ``Z``
    for UTC (tests/unit/test_models.py holds the two side by side for every event type).
    What orjson refuses (a lone surrogate, an unknown type) goes to pydantic, which
    raises its own error.
    """
    try:
        return orjson.dumps(obj, default=_fields, option=orjson.OPT_UTC_Z)
    except TypeError:  # orjson.JSONEncodeError too
        if isinstance(obj, BaseModel):
            return obj.model_dump_json().encode()
        raise


def encode(event: AnyEvent) -> dict[str, bytes]:
    """Flat stream fields; ``body`` is the whole envelope as JSON (:func:`dump_json`)."""
    return {
        "type": event.type.encode(),
        "article_id": (event.article_id or "").encode(),
        "version": str(event.version).encode(),
        "event_id": event.event_id.encode(),
        "schema_version": str(event.schema_version).encode(),
        "body": dump_json(event),
    }


Upcaster = Callable[[dict[str, Any]], dict[str, Any]]


def _upcast_article_v1(body: dict[str, Any]) -> dict[str, Any]:
    """v1 articles: ``body`` was one string; no lede; ``image`` list used ``file``."""
    data = dict(body.get("data") or {})
    if isinstance(data.get("body"), str):
        data["body"] = [p for p in data["body"].split("\n\n") if p.strip()]
    data.setdefault("lede", data["body"][0] if data.get("body") else None)
    data["images"] = [
        {"src": i.get("src") or i.get("file", ""), "caption": i.get("caption"),
         "credit": i.get("credit")} for i in data.get("images") or []
    ]
    data.setdefault("normaliser_version", "v1")
    return {**body, "data": data, "schema_version": 2}


def _upcast_failure_v1(body: dict[str, Any]) -> dict[str, Any]:
    return {**body, "schema_version": 2}


def _upcast_revised_v2(body: dict[str, Any]) -> dict[str, Any]:
    """v2 revisions carried no ``changes``: None says "unknown" (an upcaster sees one event,
    not the version before it; `articles history` computes it from both when they are
    still in the stream)."""
    return {**body, "changes": None, "schema_version": 3}


UPCASTERS: dict[tuple[str, int], Upcaster] = {
    (ARTICLE_INGESTED, 1): _upcast_article_v1,
    (ARTICLE_REVISED, 1): _upcast_article_v1,
    (INGESTION_FAILED, 1): _upcast_failure_v1,
    (ARTICLE_REVISED, 2): _upcast_revised_v2,
}


def upcast(body: dict[str, Any]) -> dict[str, Any]:
    """Apply upcasters until the body reaches its type's version (SCHEMA_VERSIONS)."""
    seen = 0
    target = SCHEMA_VERSIONS.get(str(body.get("type")), SCHEMA_VERSION)
    while int(body.get("schema_version", 1)) < target:
        key = (str(body.get("type")), int(body.get("schema_version", 1)))
        fn = UPCASTERS.get(key)
        if fn is None or seen > 16:
            raise UnknownEventType(f"no upcaster for {key[0]} v{key[1]}", raw=body)
        body = fn(body)
        seen += 1
    return body


_CURRENT = frozenset(str(v).encode() for v in SCHEMA_VERSIONS.values())


def decode(entry_id: str | bytes, fields: Mapping[Any, Any]) -> AnyEvent:
    """Decode one stream entry; raises EventDecodeError (keeping the raw entry) when it can't."""
    # Fast path: a current-schema entry is parsed and validated in one pass (Rust).
    # Anything odd falls through to the careful path below for a precise error.
    fast_body = fields.get(b"body")
    if fast_body is not None and fields.get(b"schema_version") in _CURRENT:
        try:
            event = _VALIDATE_JSON(fast_body)
        except (ValidationError, ValueError):
            pass
        else:
            if event.schema_version == SCHEMA_VERSIONS.get(event.type, SCHEMA_VERSION):
                return event
    # Entries are written by anyone with XADD access: to_str never lets bad bytes escape as
    # UnicodeDecodeError (the raw entry is kept on the error for inspection).
    eid = to_str(entry_id)
    raw = {to_str(k): v for k, v in fields.items()}
    body_raw = raw.get("body")
    if body_raw is None:
        raise EventDecodeError(f"entry {eid} has no body", raw=fields, entry_id=eid)
    try:
        body = orjson.loads(body_raw)
    except orjson.JSONDecodeError as exc:
        raise EventDecodeError(f"entry {eid}: body is not JSON ({exc})", raw=fields,
                               entry_id=eid) from None
    if not isinstance(body, dict):
        raise EventDecodeError(f"entry {eid}: body is not an object", raw=fields, entry_id=eid)
    etype = body.get("type")
    if etype not in EVENT_TYPES:
        raise UnknownEventType(f"entry {eid}: unknown event type {etype!r}", raw=fields,
                               entry_id=eid)
    try:
        body = upcast(body)
        if int(body.get("schema_version", 0)) > SCHEMA_VERSIONS.get(etype, SCHEMA_VERSION):
            raise UnknownEventType(
                f"entry {eid}: schema v{body['schema_version']} is newer than this reader",
                raw=fields, entry_id=eid)
        return _EVENT_ADAPTER.validate_python(body)
    except UnknownEventType as exc:
        raise UnknownEventType(str(exc), raw=fields, entry_id=eid) from None
    except (ValidationError, ValueError, TypeError, KeyError, AttributeError) as exc:
        msg = str(exc).splitlines()[0]
        raise EventDecodeError(f"entry {eid}: malformed {etype}: {msg}", raw=fields,
                               entry_id=eid) from None
