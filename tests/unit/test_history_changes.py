"""``article.revised`` v3 carries ``changes``: older revisions are upcast with None, and the
summary and word diff behind `articles history` / `articles diff`."""

from __future__ import annotations

from typing import Any

import orjson

from worker.events import models
from worker.events.changes import summarise, word_diff
from worker.events.codec import decode, encode
from worker.events.models import Article, ArticleRevised, Changes, Source
from worker.store.history import Summary, summary_json

SRC = Source(kind="url", location="https://x.example/a")


def art(title: str, *paras: str, **extra: Any) -> Article:
    return Article(title=title, body=paras, source=SRC, url=SRC.location,
                   content_hash=models.content_hash(title, paras), **extra)


def entry(body: dict[str, Any]) -> dict[bytes, bytes]:
    return {b"type": body["type"].encode(), b"schema_version": str(body["schema_version"]).encode(),
            b"body": orjson.dumps(body)}


def revised_body(schema_version: int) -> dict[str, Any]:
    return {"event_id": models.uuid7(), "type": "article.revised", "schema_version": schema_version,
            "occurred_at": "2024-01-02T03:04:05+00:00", "article_id": "abc", "version": 2,
            "source": SRC.model_dump(),
            # v1 data: one body string, no lede
            "data": ({"title": "T", "body": "one two", "source": SRC.model_dump()}
                     if schema_version == 1 else art("T", "one two").model_dump(mode="json"))}


def test_v2_revision_is_upcast_to_v3_with_unknown_changes() -> None:
    ev = decode("1-0", entry(revised_body(2)))
    assert isinstance(ev, ArticleRevised)
    assert ev.schema_version == 3 and ev.changes is None and ev.data.body == ("one two",)


def test_v1_revision_goes_through_both_upcasters() -> None:
    ev = decode("1-0", entry(revised_body(1)))
    assert isinstance(ev, ArticleRevised) and ev.schema_version == 3 and ev.changes is None
    assert ev.data.lede == "one two"


def test_ingested_stays_at_v2_and_v3_revision_round_trips() -> None:
    first = models.article_event(art("T", "a b"), version=1, correlation_id=None)
    assert isinstance(first, models.ArticleIngested) and first.schema_version == 2
    ch = Changes(fields=("body",), words_added=1)
    rev = models.article_event(art("T", "a b c"), version=2, correlation_id=None, changes=ch)
    assert isinstance(rev, ArticleRevised) and rev.schema_version == 3
    back = decode("2-0", encode(rev))
    assert back == rev and isinstance(back, ArticleRevised) and back.changes == ch


def test_summarise_names_fields_words_and_titles() -> None:
    old = art("Old title", "Same first paragraph.", "Gone para here.", authors=("A",))
    new = art("New title", "Same first paragraph.", "Brand new paragraph now here.",
              authors=("A",))
    ch = summarise(old, new)
    assert ch.fields == ("title", "body")
    assert (ch.words_removed, ch.words_added) == (2, 4)  # "here." is kept
    assert (ch.old_title, ch.new_title) == ("Old title", "New title")
    assert summarise(old, old) == Changes()
    rewrapped = art("Old title", "Same  first\nparagraph.", "Gone para here.", authors=("A",))
    assert summarise(old, rewrapped).fields == ()
    assert summarise(old, old.model_copy(update={"authors": ("B",)})).fields == ("authors",)


def test_word_diff_shows_a_replaced_paragraph() -> None:
    chunks = word_diff("Keep this.\n\nOld words go.\n\nEnd.",
                       "Keep this.\n\nNew ones come.\n\nEnd.")
    ops = [(c.op, c.text) for c in chunks]
    assert ("delete", "Old words go.") in ops and ("insert", "New ones come.") in ops
    assert ops[0] == ("equal", "Keep this.\n\n")
    assert word_diff("same", "same") == [type(chunks[0])("equal", "same")]


def test_summary_json_is_the_summary_model_as_json() -> None:
    # summary_json builds the JSON without the model; rebuild and append must agree with it.
    revised = models.article_event(art("T", "one two"), version=2, correlation_id="c",
                                   changes=summarise(art("S", "one"), art("T", "one two")))
    for event in (models.article_event(art("T", "one"), version=1, correlation_id=None),
                  revised):
        expected = Summary(version=event.version, type=event.type, event_id=event.event_id,
                           occurred_at=event.occurred_at, title=event.data.title,
                           word_count=event.data.word_count,
                           content_hash=event.data.content_hash,
                           changes=getattr(event, "changes", None)).model_dump_json()
        assert summary_json(event) == expected
