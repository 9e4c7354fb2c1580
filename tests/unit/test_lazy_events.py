"""events.lazy: a stream entry's event decoded on first read, then behaving as that event;
entries not in the append's current shape decoded at once (no Redis)."""

from __future__ import annotations

import copy
import pickle
import weakref
from collections.abc import Iterator
from typing import Any

import orjson
import pytest
from pydantic import TypeAdapter

import worker.events.lazy as lazy
from tests.support.articles import make_article
from worker.errors import EventDecodeError, UnknownEventType
from worker.events.codec import decode, encode
from worker.events.lazy import LazyEvent, decode_failure, decode_lazily, plain
from worker.events.models import (
    ArticleIngested,
    ArticleRevised,
    Changes,
    IngestionFailed,
    Source,
    article_event,
    failure_event,
)


def fields_of(event: Any) -> dict[bytes, bytes]:
    return {k.encode(): v for k, v in encode(event).items()}


@pytest.fixture
def decodes(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str | bytes]]:
    """The entry ids ``events.lazy`` decodes."""
    calls: list[str | bytes] = []

    def counting(entry_id: str | bytes, fields: Any) -> Any:
        calls.append(entry_id)
        return decode(entry_id, fields)

    monkeypatch.setattr(lazy, "decode", counting)
    yield calls


def test_an_entry_is_decoded_once_when_first_read(decodes: list[str | bytes]) -> None:
    event = article_event(make_article(), version=1, correlation_id="c")
    got = decode_lazily(b"1-1", fields_of(event))
    assert type(got) is LazyEvent and decodes == []  # nothing read yet: nothing decoded
    assert got.data.title == "A title" and got.event_id == event.event_id
    assert got.version == 1 and got.source.location == "/in/a.txt"
    assert decodes == [b"1-1"]  # once, however much is read


def test_the_stand_in_behaves_as_its_event() -> None:
    event = article_event(make_article(), version=1, correlation_id="c")
    got = decode_lazily(b"1-1", fields_of(event))
    assert isinstance(got, ArticleIngested) and not isinstance(got, IngestionFailed)
    assert isinstance(got, ArticleIngested | ArticleRevised)
    match got:
        case ArticleIngested(version=v):
            assert v == 1
        case _:
            pytest.fail("class pattern did not match")
    assert got == event and event == got and (got != event) is False
    assert got != "something else" and hash(got) == hash(event)
    decoded = decode(b"1-1", fields_of(event))  # occurred_at's tzinfo is pydantic's own
    assert repr(got) == repr(decoded) and str(got) == str(decoded)
    assert dict(got) == dict(event) and "data" in dir(got)
    assert got.model_dump(mode="json") == event.model_dump(mode="json")
    assert got.model_dump_json() == event.model_dump_json()
    for other in (copy.copy(got), copy.deepcopy(got), pickle.loads(pickle.dumps(got))):
        assert type(other) is ArticleIngested and other == event
    assert plain(got) == event and type(plain(got)) is ArticleIngested and plain(event) is event
    assert weakref.ref(got)() is got
    adapter: TypeAdapter[Any] = TypeAdapter(ArticleIngested)
    assert adapter.dump_python(got, mode="json") == event.model_dump(mode="json")
    assert adapter.validate_python(got) == event
    with pytest.raises(AttributeError):  # as frozen as its event
        got.version = 2
    assert got.version == 1
    assert decode_failure(got) is None and decode_failure(event) is None


def test_a_revision_keeps_its_changes() -> None:
    event = article_event(make_article(), version=2, correlation_id=None,
                          changes=Changes(fields=("body",), words_added=3))
    got = decode_lazily(b"1-2", fields_of(event))
    assert type(got) is LazyEvent and isinstance(got, ArticleRevised)
    assert got.changes is not None and got.changes.words_added == 3 and got == event


def test_every_event_type_as_appended_is_left_undecoded() -> None:
    # Holds events.lazy's idea of how codec.encode opens a body to what it writes.
    for event in (article_event(make_article(), version=1, correlation_id=None),
                  article_event(make_article(), version=2, correlation_id=None),
                  failure_event(Source(kind="text", location="x"), "empty")):
        got = decode_lazily(b"1-1", fields_of(event))
        assert type(got) is LazyEvent and got == event


def corrupt_inside(body: bytes) -> bytes:
    """The body as the append wrote it, with invalid JSON in its middle."""
    return body.replace(b'"data":{', b'"data":{{', 1)


def test_a_bad_body_raises_when_read_and_is_remembered(decodes: list[str | bytes]) -> None:
    fields = fields_of(article_event(make_article(), version=1, correlation_id=None))
    fields[b"body"] = corrupt_inside(fields[b"body"])  # opens and closes as appended
    got = decode_lazily(b"1-3", fields)
    assert decode_failure(got) is None  # not read: not known to be bad
    with pytest.raises(EventDecodeError, match="not JSON"):
        _ = got.data
    with pytest.raises(EventDecodeError):
        isinstance(got, ArticleIngested)
    error = decode_failure(got)
    assert isinstance(error, EventDecodeError) and error.entry_id == "1-3"
    assert decodes == [b"1-3"]  # failed once, not decoded again per read


@pytest.mark.parametrize("fields,exc", [
    ({b"type": b"article.ingested", b"event_id": b"x", b"body": b"not json"}, EventDecodeError),
    ({b"foo": b"bar", b"event_id": b"x"}, EventDecodeError),
    ({b"type": b"article.exploded", b"schema_version": b"2",
      b"body": b'{"type": "article.exploded"}'}, UnknownEventType),
    ({b"type": b"article.ingested", b"schema_version": b"2"}, EventDecodeError),  # no body
    ({b"type": b"article.ingested", b"body": orjson.dumps(
        {"type": "article.ingested", "schema_version": 99})}, UnknownEventType),
    ({b"\x80\xff": b"x", b"event_id": b"bad-6", b"body": b"{}"}, EventDecodeError),
])
def test_entries_not_in_the_appends_shape_are_decoded_at_once(fields: dict[bytes, bytes],
                                                              exc: type[Exception]) -> None:
    with pytest.raises(exc):
        decode_lazily(b"5-1", fields)


@pytest.mark.parametrize("body", [
    b"not json", b"", b"{}", b'{"type": "article.ingested"',
    b'{"event_id":"other","schema_version":2,"type":"article.ingested"}',
])
def test_a_body_unlike_the_appends_is_decoded_at_once(body: bytes) -> None:
    fields = fields_of(article_event(make_article(), version=1, correlation_id=None))
    fields[b"body"] = body  # the append's stream fields, another body
    with pytest.raises(EventDecodeError):
        decode_lazily(b"5-1", fields)


def test_a_body_cut_short_or_written_otherwise_is_decoded_at_once() -> None:
    event = article_event(make_article(), version=1, correlation_id=None)
    fields = fields_of(event)
    with pytest.raises(EventDecodeError):
        decode_lazily(b"5-1", {**fields, b"body": fields[b"body"][:200]})
    spaced = orjson.dumps(orjson.loads(fields[b"body"]), option=orjson.OPT_INDENT_2)
    got = decode_lazily(b"5-1", {**fields, b"body": spaced})  # valid, another writer's
    assert type(got) is ArticleIngested and got == event


def test_an_old_schema_version_is_upcast_at_once() -> None:
    event = article_event(make_article(), version=2, correlation_id=None,
                          changes=Changes(fields=("title",)))
    fields = fields_of(event)
    body = orjson.loads(fields[b"body"])
    del body["changes"]
    body["schema_version"] = 2  # article.revised v2 had no changes (upcast to v3 on read)
    fields[b"body"], fields[b"schema_version"] = orjson.dumps(body), b"2"
    got = decode_lazily(b"1-4", fields)
    assert type(got) is ArticleRevised and got.schema_version == 3 and got.changes is None
