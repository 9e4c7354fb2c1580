"""Event envelope and codec."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta, timezone

import orjson
import pytest
from pydantic import ValidationError

from worker.errors import EventDecodeError, UnknownEventType
from worker.events.codec import decode, dump_json, encode
from worker.events.models import (
    AnyEvent,
    Article,
    Changes,
    Image,
    Source,
    article_event,
    failure_event,
    uuid7,
)


def _article() -> Article:
    return Article(title="T", body=("p1", "p2"), source=Source(kind="file", location="/x"))


def test_roundtrip_and_flat_routing_fields() -> None:
    ev = article_event(_article(), version=1, correlation_id="c")
    fields = encode(ev)
    assert fields["type"] == b"article.ingested" and fields["version"] == b"1"
    assert fields["article_id"] == ev.article_id.encode()  # type: ignore[union-attr]
    assert decode("1-0", fields) == ev


def test_events_are_frozen() -> None:
    ev = failure_event(Source(kind="file", location="/x"), "empty")
    with pytest.raises(ValidationError):
        ev.version = 3  # type: ignore[misc]


def test_uuid7_is_time_ordered() -> None:
    ids = [uuid7() for _ in range(50)]
    assert all(i[14] == "7" for i in ids)
    assert [i[:13] for i in ids] == sorted(i[:13] for i in ids)


def test_uuid7_is_monotonic_within_a_millisecond() -> None:
    # RFC 9562 6.2: ids made in one process sort in the order they were made, also the many
    # made in one millisecond (the hand-made ids before issue 15 were random there).
    ids = [uuid7() for _ in range(20_000)]
    assert len({i[:13] for i in ids}) < len(ids) // 10  # many share their millisecond
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    assert all(uuid.UUID(i).version == 7 and uuid.UUID(i).variant == uuid.RFC_4122
               for i in ids[:100])


@pytest.mark.parametrize("fields,exc", [
    ({b"type": b"article.ingested"}, EventDecodeError),
    ({b"body": b"{not json"}, EventDecodeError),
    ({b"body": b"[1]"}, EventDecodeError),
    ({b"body": orjson.dumps({"type": "article.deleted"})}, UnknownEventType),
    ({b"body": orjson.dumps({"type": "article.ingested", "schema_version": 2})}, EventDecodeError),
    ({b"body": orjson.dumps({"type": "article.ingested", "schema_version": 99})},
     UnknownEventType),
])
def test_bad_entries_raise_our_error_keeping_raw(fields: dict[bytes, bytes],
                                                 exc: type[Exception]) -> None:
    with pytest.raises(exc) as info:
        decode(b"5-1", fields)
    assert isinstance(info.value, EventDecodeError)
    assert info.value.raw == fields and info.value.entry_id == "5-1"


def test_v1_article_is_upcast_on_read() -> None:
    body = {"type": "article.ingested", "schema_version": 1, "event_id": uuid7(),
            "occurred_at": "2024-01-01T00:00:00Z", "article_id": "abc", "version": 1,
            "source": {"kind": "file", "location": "/x"},
            "data": {"title": "Old", "body": "one\n\ntwo", "source": {"kind": "file",
                                                               "location": "/x"},
                     "images": [{"file": "a.jpg", "caption": "cap"}]}}
    ev = decode("1-0", {b"body": orjson.dumps(body)})
    assert ev.schema_version == 2
    assert ev.data.body == ("one", "two")  # type: ignore[union-attr]
    assert ev.data.images[0].src == "a.jpg"  # type: ignore[union-attr]


def _full_article(**kw: object) -> Article:
    fields: dict[str, object] = dict(
        title='Quote "it" \\ \u00e9\u2028', body=("a\x00b\x1f\x7f", "\U0001f600 \n\t"),
        lede="l", dateline="PARIS", authors=("A", "B"),
        published_at=datetime(2024, 1, 2, 3, 4, 5, 400000, tzinfo=UTC),
        updated_at=datetime(2024, 1, 2, 3, 4, 5,
                            tzinfo=timezone(timedelta(hours=-2, minutes=-30))),
        url="https://x.example/a", site_name="X", source=Source(kind="feed", location="f#k"),
        language="fr", images=(Image(src="i.jpg", caption="c"), Image(src="j.png")),
        tags=("t",), word_count=3, content_hash="h", normaliser_version="n")
    fields.update(kw)
    return Article.model_validate(fields)


@pytest.mark.parametrize("event", [
    article_event(_full_article(), version=1, correlation_id="c"),
    article_event(_full_article(published_at=datetime(2024, 1, 2), updated_at=None),
                  version=1, correlation_id=None),
    article_event(_full_article(), version=3, correlation_id="c",
                  changes=Changes(fields=("title",), words_added=2, old_title="o",
                                  new_title="n")),
    article_event(_article(), version=2, correlation_id="c"),
    failure_event(Source(kind="url", location="https://x"), "bad", code="c", detail="d"),
])
def test_dump_json_writes_what_pydantic_writes(event: AnyEvent) -> None:
    # The append path writes bodies with dump_json (orjson): the same bytes as pydantic's
    # model_dump_json, so readers, tests and `rebuild` see no difference.
    assert dump_json(event) == event.model_dump_json().encode()
    assert encode(event)["body"] == dump_json(event)


def test_dump_json_leaves_what_orjson_refuses_to_pydantic() -> None:
    ev = article_event(_article().model_copy(update={"title": "\ud800"}), version=1,
                       correlation_id=None)
    with pytest.raises(Exception, match="surrogates"):
        dump_json(ev)
