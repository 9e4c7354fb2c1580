"""Story similarity (MinHash sketches, containment, banding), the story event's encoding and
the labelled evaluation's acceptance, without Redis."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from tests.conftest import FIXTURES, load_tool
from worker.consumers.similarity import (
    DUPLICATE,
    NEW,
    SAME_STORY,
    SCHEME,
    SEED,
    Sketch,
    band_fields,
    level,
    shingle_hashes,
    similarity,
    sketch,
    sketches,
    story_words,
)
from worker.errors import EventDecodeError, UnknownEventType
from worker.events.stories import (
    StoryArticleAdded,
    decode_story_event,
    encode_story_event,
    story_event_id,
)
from worker.settings import Settings

P = Settings()  # the defaults
TEXTS = json.loads((FIXTURES / "stories" / "stories.json").read_text())["texts"]
WIRE = TEXTS["flood-wire"]["paragraphs"]


def sk(paragraphs: list[str]) -> Sketch:
    s = sketch(paragraphs, P)
    assert s is not None
    return s


def test_a_trimmed_copy_with_furniture_is_a_duplicate_and_another_story_is_new() -> None:
    copy = ["Advertisement", *WIRE[:-2], "Sign up to our daily newsletter"]
    assert level(similarity(sk(WIRE), sk(copy)), P) == DUPLICATE
    assert level(similarity(sk(WIRE), sk(TEXTS["rates-wire"]["paragraphs"])), P) == NEW


def test_a_partly_rewritten_copy_is_the_same_story_not_a_duplicate() -> None:
    # the last three of eight paragraphs replaced by other words: ~0.7 of the text shared
    half = WIRE[:5] + [p[::-1] for p in WIRE[5:]]
    assert level(similarity(sk(WIRE), sk(half)), P) == SAME_STORY


def test_sketches_are_deterministic_and_survive_their_bytes() -> None:
    a, b = sk(WIRE), sk(list(WIRE))
    assert a.to_bytes() == b.to_bytes()
    back = Sketch.from_bytes(a.to_bytes())
    assert back.shingles == a.shingles and (back.signature == a.signature).all()
    assert similarity(a, back) == 1.0
    assert band_fields(a, P) == band_fields(back, P)
    assert sketch([], P) is None and sketch(["", "  "], P) is None


def test_short_bodies_compare_by_jaccard_not_containment() -> None:
    # "Photo: Reuters" is contained in nothing meaningful: a tiny body must not join stories
    tiny, long = sk(["Reporting by Jan Holt"]), sk([*WIRE, "Reporting by Jan Holt"])
    assert similarity(tiny, long) < P.story_same_containment_min


def test_story_events_round_trip_and_bad_entries_are_named_errors() -> None:
    when = datetime(2026, 3, 14, 6, 0, tzinfo=UTC)
    ev = StoryArticleAdded(event_id=story_event_id("s1", "a1"), story_id="s1", article_id="a1",
                           article_version=1, article_event_id="e1", level="duplicate",
                           similarity=0.93, matched_article_id="a0", source="x.example",
                           title="T", seen_at=when, recorded_at=when)
    fields = {k.encode(): v for k, v in encode_story_event(ev).items()}
    assert decode_story_event(b"1-0", fields) == ev
    assert story_event_id("s1", "a1") == ev.event_id != story_event_id("s2", "a1")
    with pytest.raises(UnknownEventType):
        decode_story_event("1-0", {"body": b'{"type": "article.ingested"}'})
    for bad in ({}, {"body": b"not json"}, {"body": b'{"type": "story.article_added"}'}):
        with pytest.raises(EventDecodeError):
            decode_story_event("1-0", bad)


def test_labelled_pairs_meet_the_duplicate_acceptance() -> None:
    tool = load_tool("eval_stories")
    rows = []
    for path in sorted((FIXTURES / "stories").glob("*.json")):
        rows += tool.evaluate(json.loads(path.read_text()), P)["rows"]
    assert len(rows) >= 40
    dup = tool.score(rows, P)["levels"]["duplicate"]
    assert dup["precision"] >= 0.95 and dup["recall"] >= 0.90


def test_batched_sketches_equal_datasketch_minhash_of_each_body() -> None:
    # sketches() hashes a whole consumer batch in single numpy passes; each signature must be
    # datasketch's own MinHash of that body's shingle hashes, value for value (stored
    # sketches and LSH buckets stay valid), short and empty bodies included.
    from datasketch import MinHash

    def reference(paragraphs: list[str]) -> tuple[list[int], int] | None:
        words = story_words(paragraphs, P)
        hashes = shingle_hashes(words, P.story_shingle_words)
        if not len(hashes):
            return None
        mh = MinHash(num_perm=P.story_minhash_permutations, seed=SEED, hashfunc=int,
                     scheme=SCHEME)
        mh.update_batch(hashes.tolist())
        return [int(v) for v in mh.hashvalues], len(hashes)

    bodies = [list(t["paragraphs"]) for t in TEXTS.values()]
    bodies += [[], ["", " "], ["Two words"], ["x"], ["Photo: Reuters", *WIRE[:2]], WIRE[-1:]]
    got = sketches(bodies, P)
    assert len(got) == len(bodies) and sum(g is None for g in got) == 2
    for body, g in zip(bodies, got, strict=True):
        ref = reference(body)
        assert (None if g is None else ([int(v) for v in g.signature], g.shingles)) == ref
        one = sketch(body, P)
        assert (one is None) == (g is None)
        assert one is None or g is None or one.to_bytes() == g.to_bytes()
