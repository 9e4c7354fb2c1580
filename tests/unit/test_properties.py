"""Property tests of the stream-entry codec (normaliser properties live in
tests/unit/test_normalise_props.py).

* ``decode(encode(e)) == e`` for generated article and failure events, whatever unicode their
  titles, bodies, URLs and dates carry;
* ``decode`` of arbitrary field dicts raises nothing but EventDecodeError (consumers
  dead-letter those; anything else would crash them).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from worker.errors import EventDecodeError
from worker.events.codec import decode, encode
from worker.events.models import (
    EVENT_TYPES,
    Article,
    Failure,
    Image,
    IngestionFailed,
    Source,
    article_event,
    content_hash,
)

# Hypothesis re-runs a hanging example while shrinking, so a SIGALRM timeout cannot end it:
# the thread method kills the run instead, so a hang fails CI fast rather than eating its budget.
pytestmark = pytest.mark.timeout(300 * max(1, settings().max_examples // 150), method="thread")

# The active profile can only raise the count (`make fuzz`).
PROPS = settings(max_examples=max(200, settings().max_examples), deadline=None)

# Any unicode but lone surrogates (not representable in UTF-8, so never in an event).
text = st.text(st.characters(exclude_categories=("Cs",)), max_size=200)
short = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)
opt_text = st.none() | short
offsets = st.sampled_from([UTC, timezone(timedelta(hours=5, minutes=30)),
                           timezone(timedelta(hours=-8)), timezone(timedelta(minutes=-45))])
aware = st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30),
                     timezones=offsets)
naive = st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30))
dates = st.none() | aware | naive
urls = st.none() | short | st.builds(lambda p: f"https://example.com/{p}", short)
sources = st.builds(Source, kind=st.sampled_from(["file", "feed", "text", "url", "upload"]),
                    location=short)
images = st.builds(Image, src=short, caption=opt_text, credit=opt_text)


@st.composite
def articles(draw: st.DrawFn) -> Article:
    title = draw(text)
    body = tuple(draw(st.lists(text, max_size=6)))
    return Article(
        title=title, body=body, lede=draw(st.none() | text), dateline=draw(opt_text),
        authors=tuple(draw(st.lists(short, max_size=3))), published_at=draw(dates),
        updated_at=draw(dates), url=draw(urls), site_name=draw(opt_text), source=draw(sources),
        language=draw(opt_text), images=tuple(draw(st.lists(images, max_size=3))),
        tags=tuple(draw(st.lists(short, max_size=4))),
        word_count=draw(st.integers(0, 10**9)), content_hash=content_hash(title, body),
        normaliser_version=draw(short))


@PROPS
@given(article=articles(), version=st.integers(1, 10**6), cid=opt_text)
def test_article_events_roundtrip(article: Article, version: int, cid: str | None) -> None:
    # Given an article event (ingested for v1, revised after)
    event = article_event(article, version=version, correlation_id=cid)
    # When it is encoded to stream fields and decoded back
    back = decode("1-0", encode(event))
    # Then it is the same event, field for field
    assert back == event
    assert type(back) is type(event)


@PROPS
@given(source=sources, reason=text, code=short, detail=st.none() | text, cid=opt_text)
def test_failure_events_roundtrip(source: Source, reason: str, code: str, detail: str | None,
                                  cid: str | None) -> None:
    event = IngestionFailed(source=source, correlation_id=cid,
                            data=Failure(reason=reason, code=code, detail=detail))
    assert decode(b"2-0", encode(event)) == event


def test_roundtrip_has_teeth() -> None:
    # A changed body must not decode to the original: the equality above is meaningful.
    art = Article(title="t", body=("a",), source=Source(kind="file", location="x"))
    fields = encode(article_event(art, version=1, correlation_id=None))
    body = orjson.loads(fields["body"])
    body["data"]["title"] = "other"
    assert decode("1-0", {**fields, "body": orjson.dumps(body)}).data.title == "other"


# --- decoding hostile entries -----------------------------------------------------------------
json_scalars = (st.none() | st.booleans() | st.integers(-(2**63), 2**64 - 1)
                | st.floats(allow_nan=True) | text)
json_values = st.recursive(json_scalars, lambda inner: st.lists(inner, max_size=4)
                           | st.dictionaries(short, inner, max_size=4), max_leaves=20)
field_values = st.binary(max_size=100) | text | st.integers().map(str)


@st.composite
def plausible_bodies(draw: st.DrawFn) -> bytes:
    """JSON objects shaped roughly like envelopes: a known type, odd everything else."""
    body: dict[str, Any] = draw(st.dictionaries(short, json_values, max_size=5))
    body["type"] = draw(st.sampled_from([*EVENT_TYPES, "article.deleted", ""]))
    if draw(st.booleans()):
        body["schema_version"] = draw(json_values | st.sampled_from([1, 2, 3, -1, "1", 1e308]))
    if draw(st.booleans()):
        body["data"] = draw(st.dictionaries(short, json_values, max_size=5) | json_values)
    if draw(st.booleans()):
        body["source"] = draw(st.fixed_dictionaries({"kind": json_values,
                                                     "location": json_values}) | json_values)
    return orjson.dumps(body, option=orjson.OPT_NON_STR_KEYS)


# Field names as Redis hands them over: bytes (UTF-8; non-UTF-8 tested below) or str.
names = short.map(str.encode) | short


@PROPS
@given(fields=st.dictionaries(names, field_values, max_size=6),
       body=st.none() | st.binary(max_size=200) | plausible_bodies()
       | json_values.map(lambda v: orjson.dumps(v)))
def test_decode_raises_only_event_decode_error(fields: dict[Any, Any],
                                               body: bytes | None) -> None:
    if body is not None:
        fields = {**fields, b"body": body}
    try:
        event = decode("3-0", fields)
    except EventDecodeError as exc:
        assert exc.raw is fields  # the raw entry is kept for the dead-letter stream
    else:
        assert event.type in EVENT_TYPES


@PROPS
@given(body=st.sampled_from([b"[]", b"1", b'"x"', b"null", b"{", b"\xff\xfe", b"[" * 5000,
                             b'{"type": "article.ingested", "schema_version": 1e400}',
                             b'{"type": "article.ingested", "schema_version": "x"}',
                             b'{"type": "ingestion.failed", "schema_version": 0}',
                             b'{"type": "article.ingested", "schema_version": [1]}']))
def test_known_bad_bodies(body: bytes) -> None:
    try:
        decode("4-0", {"body": body})
    except EventDecodeError:
        return
    raise AssertionError(f"decoded {body!r}")


def test_non_utf8_field_name_is_a_decode_error() -> None:
    with pytest.raises(EventDecodeError):
        decode("5-0", {b"\x80": b"", b"body": b"{}"})
