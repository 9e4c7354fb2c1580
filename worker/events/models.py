"""Typed events and the article they carry, plus the stream-entry codec.

A stream entry is flat: ``type``, ``article_id``, ``version``, ``event_id``,
``schema_version`` (routing without decoding) and ``body`` (the JSON envelope).
Old schema versions are upcast on read (see ``UPCASTERS``); entries are never rewritten.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from random import getrandbits
from typing import Annotated, Any, Literal

import orjson
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from worker.errors import EventDecodeError, UnknownEventType

SCHEMA_VERSION = 2  # v1 had no ``lede``/``normaliser_version``; see _upcast_article_v1

ARTICLE_INGESTED = "article.ingested"
ARTICLE_REVISED = "article.revised"
INGESTION_FAILED = "ingestion.failed"


def uuid7() -> str:
    """RFC 9562 UUIDv7: 48-bit ms timestamp then randomness, so ids sort by time.

    Formatted by hand from ``random.getrandbits`` (reseeded in every forked child): about
    4x cheaper than ``os.urandom`` + ``uuid.UUID``, and it runs once per appended event.
    """
    ms = time.time_ns() // 1_000_000
    rand = getrandbits(74)
    value = ((ms & 0xFFFF_FFFF_FFFF) << 80 | 0x7 << 76 | (rand >> 62) << 64
             | 0b10 << 62 | rand & ((1 << 62) - 1))
    h = f"{value:032x}"
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def utcnow() -> datetime:
    return datetime.now(UTC)


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")


class Source(Frozen):
    kind: str = Field(description="file | feed | text | url | upload")
    location: str


class Image(Frozen):
    src: str
    caption: str | None = None
    credit: str | None = None


class Article(Frozen):
    title: str
    body: tuple[str, ...] = Field(description="paragraphs")
    lede: str | None = None
    dateline: str | None = None
    authors: tuple[str, ...] = ()
    published_at: datetime | None = None
    updated_at: datetime | None = None
    url: str | None = None
    site_name: str | None = None
    source: Source
    language: str | None = None
    images: tuple[Image, ...] = ()
    tags: tuple[str, ...] = ()
    word_count: int = 0
    content_hash: str = ""
    normaliser_version: str = ""

    @property
    def text(self) -> str:
        return "\n\n".join(self.body)

    @property
    def identity(self) -> str:
        """Canonical URL when known, else the source location."""
        return self.url or f"{self.source.kind}:{self.source.location}"

    @property
    def article_id(self) -> str:
        return article_id_for(self.identity)


def article_id_for(identity: str) -> str:
    return hashlib.blake2b(identity.encode(), digest_size=10).hexdigest()


def content_hash(title: str, body: tuple[str, ...] | list[str]) -> str:
    h = hashlib.sha256()
    h.update(" ".join(title.split()).encode())
    for para in body:
        h.update(b"\x00")
        h.update(" ".join(para.split()).encode())
    return h.hexdigest()


class Failure(Frozen):
    reason: str
    code: str = "rejected"
    detail: str | None = None


class _Envelope(Frozen):
    event_id: str = Field(default_factory=uuid7)
    schema_version: int = SCHEMA_VERSION
    occurred_at: datetime = Field(default_factory=utcnow)
    article_id: str | None = None
    version: int = 0
    correlation_id: str | None = None
    source: Source


class ArticleIngested(_Envelope):
    type: Literal["article.ingested"] = "article.ingested"
    data: Article


class ArticleRevised(_Envelope):
    type: Literal["article.revised"] = "article.revised"
    data: Article


class IngestionFailed(_Envelope):
    type: Literal["ingestion.failed"] = "ingestion.failed"
    data: Failure


AnyEvent = ArticleIngested | ArticleRevised | IngestionFailed
Event = Annotated[ArticleIngested | ArticleRevised | IngestionFailed, Field(discriminator="type")]
ArticleEvent = ArticleIngested | ArticleRevised
EVENT_TYPES = (ARTICLE_INGESTED, ARTICLE_REVISED, INGESTION_FAILED)
# mypy cannot see an Annotated discriminated union as a type; pydantic can.
_EVENT_SCHEMA: Any = Event
_EVENT_ADAPTER: TypeAdapter[AnyEvent] = TypeAdapter(_EVENT_SCHEMA)


def article_event(article: Article, *, version: int, correlation_id: str | None) -> ArticleEvent:
    cls = ArticleIngested if version == 1 else ArticleRevised
    return cls(article_id=article.article_id, version=version, correlation_id=correlation_id,
               source=article.source, data=article)


def failure_event(source: Source, reason: str, *, code: str = "rejected",
                  correlation_id: str | None = None, detail: str | None = None) -> IngestionFailed:
    return IngestionFailed(
        article_id=article_id_for(f"{source.kind}:{source.location}"), source=source,
        correlation_id=correlation_id, data=Failure(reason=reason, code=code, detail=detail))


# --- codec ---------------------------------------------------------------------------------

def encode(event: ArticleIngested | ArticleRevised | IngestionFailed) -> dict[str, bytes]:
    """Flat stream fields; ``body`` is the whole envelope as JSON.

    ``model_dump_json`` serialises in pydantic's Rust core: same JSON as
    ``model_dump(mode="json")`` + orjson, without the intermediate dicts.
    """
    return {
        "type": event.type.encode(),
        "article_id": (event.article_id or "").encode(),
        "version": str(event.version).encode(),
        "event_id": event.event_id.encode(),
        "schema_version": str(event.schema_version).encode(),
        "body": event.model_dump_json().encode(),
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


UPCASTERS: dict[tuple[str, int], Upcaster] = {
    (ARTICLE_INGESTED, 1): _upcast_article_v1,
    (ARTICLE_REVISED, 1): _upcast_article_v1,
    (INGESTION_FAILED, 1): _upcast_failure_v1,
}


def upcast(body: dict[str, Any]) -> dict[str, Any]:
    """Apply upcasters until the body reaches SCHEMA_VERSION."""
    seen = 0
    while int(body.get("schema_version", 1)) < SCHEMA_VERSION:
        key = (str(body.get("type")), int(body.get("schema_version", 1)))
        fn = UPCASTERS.get(key)
        if fn is None or seen > 16:
            raise UnknownEventType(f"no upcaster for {key[0]} v{key[1]}", raw=body)
        body = fn(body)
        seen += 1
    return body


def _s(v: Any) -> str:
    # Entries are written by anyone with XADD access: never let bad bytes escape as
    # UnicodeDecodeError (the raw entry is kept on the error for inspection).
    return v.decode(errors="replace") if isinstance(v, bytes) else str(v)


_CURRENT = (str(SCHEMA_VERSION).encode(),)


def decode(entry_id: str | bytes, fields: Mapping[Any, Any]) -> AnyEvent:
    """Decode one stream entry; raises EventDecodeError (keeping the raw entry) when it can't."""
    # Fast path: a current-schema entry is parsed and validated in one pass (Rust).
    # Anything odd falls through to the careful path below for a precise error.
    fast_body = fields.get(b"body")
    if fast_body is not None and fields.get(b"schema_version") in _CURRENT:
        try:
            event = _EVENT_ADAPTER.validate_json(fast_body)
        except (ValidationError, ValueError):
            pass
        else:
            if event.schema_version == SCHEMA_VERSION:
                return event
    eid = _s(entry_id)
    raw = {_s(k): v for k, v in fields.items()}
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
        if int(body.get("schema_version", 0)) > SCHEMA_VERSION:
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
