"""The stories handler against real Redis: idempotent under redelivery, deterministic under
replay and rebuild, and the HTTP routes."""

from __future__ import annotations

import json
import warnings
from collections.abc import Callable
from typing import Any

from tests.conftest import FIXTURES, load_tool
from tests.support.api import AUTH, api_settings, http
from tests.support.consume import cli, run_group
from worker.consumers.builtin.catalog import Catalog
from worker.consumers.builtin.stories import Stories, rebuild
from worker.consumers.replay import replay
from worker.events.models import Article, Source, content_hash
from worker.events.stories import decode_story_event
from worker.settings import Settings
from worker.store.eventstore import EventStore

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from fastapi.testclient import TestClient

__all__ = ["api_settings", "http"]  # fixtures, found by pytest in this module's namespace

FIXTURE = json.loads((FIXTURES / "stories" / "stories.json").read_text())


def articles() -> list[Article]:
    """Every text and syndicated copy of the labelled set, in a fixed order."""
    bodies = load_tool("eval_stories").bodies(FIXTURE)
    out = []
    for name in sorted(bodies):
        spec = FIXTURE["copies"].get(name) or FIXTURE["texts"][name]
        site = spec.get("outlet") or "Newswire"
        title = spec.get("title") or FIXTURE["texts"][spec["of"]]["title"]
        body = tuple(bodies[name])
        out.append(Article(title=title, body=body, url=f"https://{name}.example/{name}",
                           site_name=site, source=Source(kind="url", location=name),
                           content_hash=content_hash(title, body)))
    return out


def stories_of(stories: Stories, arts: list[Article]) -> dict[str, str]:
    names = {a.article_id: a.source.location for a in arts}
    return {names[a.article_id]: stories.story_of(a.article_id) or "" for a in arts}


def grouped(settings: Settings, store: EventStore) -> tuple[list[Article], Stories]:
    """The labelled set appended, in order, and run through a `stories` consumer group."""
    arts = articles()
    store.append_many(arts)
    run_group(settings, store, "stories", "stories")
    return arts, Stories(store.redis, store.keys, settings)


def test_labelled_pairs_are_grouped_and_each_article_is_assigned_once(
        settings: Settings, store: EventStore) -> None:
    arts, stories = grouped(settings, store)
    of = stories_of(stories, arts)
    for a, b, label in FIXTURE["pairs"]:
        assert (of[a] == of[b]) == (label == "duplicate"), (a, b, label)
    events = [decode_story_event(eid, f) for eid, f in
              store.redis.xrange(store.keys.story_events)]
    assert sorted(e.article_id for e in events) == sorted(a.article_id for a in arts)
    dup = next(e for e in events if e.article_id == arts[0].article_id)
    assert dup.story_id == of[arts[0].source.location]
    assert {e.level for e in events} >= {"new", "duplicate"}
    assert sum(d["size"] for d in stories.listing(limit=1000)) == len(arts)


def test_redelivery_changes_nothing_and_emits_nothing(
        settings: Settings, store: EventStore) -> None:
    arts, stories = grouped(settings, store)
    before, emitted = stories.state_hash(), store.redis.xlen(store.keys.story_events)
    # Every event delivered again (a replay from the start), then one by hand once more
    replay(store.redis, store.keys, "stories", "0")
    run_group(settings, store, "stories", "stories")
    _, first = next(iter(store.read()))
    assert stories.assign(first) == stories.story_of(first.article_id or "")
    assert stories.state_hash() == before
    assert store.redis.xlen(store.keys.story_events) == emitted == len(arts)


def test_a_redelivered_batch_mixing_done_and_new_articles_decides_as_one_pass(
        make_settings: Callable[..., Settings]) -> None:
    # The same events, once in one pass and once as batches that overlap (a consumer that
    # crashed after committing part of its batch gets the whole batch again)
    one, two = make_settings(), make_settings()
    st = EventStore.from_settings(one)
    st.append_many(articles())
    events = [ev for _, ev in st.read()]
    single = Stories(st.redis, st.keys, one)
    single.assign_many(events)
    again = Stories(st.redis, EventStore.from_settings(two).keys, two)
    for start in range(0, len(events), 10):
        again.assign_many(events[max(0, start - 7):start + 10])
    ids = [ev.article_id or "" for ev in events]
    assert [again.story_of(a) for a in ids] == [single.story_of(a) for a in ids]
    assert again.state_hash() == single.state_hash()
    assert st.redis.xlen(again.keys.story_events) == len(events)


def test_same_input_order_gives_the_same_stories_live_rebuilt_and_elsewhere(
        make_settings: Callable[..., Settings]) -> None:
    arts = articles()
    one, two = make_settings(), make_settings()
    assigned = []
    for s in (one, two):
        st = EventStore.from_settings(s)
        st.append_many(arts)
        run_group(s, st, "stories", "stories")
        assigned.append(stories_of(Stories(st.redis, st.keys, s), arts))
    assert assigned[0] == assigned[1]
    st = EventStore.from_settings(one)
    live = Stories(st.redis, st.keys, one)
    before = live.state_hash()
    listing = live.listing(limit=1000)
    n, after = rebuild(st.redis, st.keys, one)
    assert (n, after) == (len(arts), before)
    assert live.listing(limit=1000) == listing
    assert rebuild(st.redis, st.keys, one)[1] == before


def test_a_revision_keeps_its_story(settings: Settings, store: EventStore) -> None:
    arts = articles()[:3]
    store.append_many(arts)
    first = arts[0]
    body = (*first.body, "A paragraph added in an update, with enough words to count here.")
    store.append(first.model_copy(update={"body": body,
                                          "content_hash": content_hash(first.title, body)}))
    run_group(settings, store, "stories", "stories")
    stories = Stories(store.redis, store.keys, settings)
    sid = stories.story_of(first.article_id)
    assert sid is not None
    doc = stories.get(sid)
    assert doc is not None and doc["article_ids"].count(first.article_id) == 1


def test_http_routes(http: TestClient, store: EventStore, settings: Settings) -> None:
    grouped(settings, store)
    listed = http.get("/v1/stories", params={"min_size": 3}, headers=AUTH)
    assert listed.status_code == 200
    rows: list[dict[str, Any]] = listed.json()["stories"]
    assert rows and all(r["size"] >= 3 for r in rows)
    assert rows == sorted(rows, key=lambda r: -r["size"])
    one = http.get(f"/v1/stories/{rows[0]['story_id']}", headers=AUTH)
    assert one.status_code == 200 and one.json() == rows[0]
    assert http.get("/v1/stories/0123456789abcdef", headers=AUTH).status_code == 404
    assert http.get("/v1/stories/NOT-AN-ID", headers=AUTH).status_code == 422
    assert http.get("/v1/stories", params={"min_size": 0}, headers=AUTH).status_code == 422
    assert http.get("/v1/stories", params={"since": "yesterday"}, headers=AUTH
                    ).status_code == 422
    assert http.get("/v1/stories").status_code == 401
    future = http.get("/v1/stories", params={"since": "2999-01-01T00:00:00Z"}, headers=AUTH)
    assert future.json() == {"stories": []}
    # The article and the catalog name each article's story
    aid = rows[0]["article_ids"][0]
    art = http.get(f"/v1/articles/{aid}", headers=AUTH)
    assert art.status_code == 200 and art.json()["story_id"] == rows[0]["story_id"]
    run_group(settings, store, "catalog", "catalog")
    catalog = Catalog(store.redis, store.keys)
    doc = catalog.get(aid)
    assert doc is not None and doc["story_id"] == rows[0]["story_id"]
    assert {d["story_id"] for d in catalog.latest(limit=1000)} == \
        {r["story_id"] for r in http.get("/v1/stories", params={"limit": 1000},
                                          headers=AUTH).json()["stories"]}


def test_cli_list_filters_as_the_api_does(http: TestClient, store: EventStore,
                                          settings: Settings) -> None:
    # `stories list --since T --min-size N` (issue 19's CLI), against the same read model
    grouped(settings, store)

    def listed(*args: str) -> list[dict[str, Any]]:
        done = cli(settings, "stories", "list", "--json", *args)
        assert done.returncode == 0, done.stderr
        return [json.loads(line) for line in done.stdout.splitlines() if line.strip()]

    big = listed("--min-size", "3")
    assert big == http.get("/v1/stories", params={"min_size": 3}, headers=AUTH).json()["stories"]
    assert big and len(big) < len(listed())
    assert listed("--since", "2999-01-01") == []
    bad = cli(settings, "stories", "list", "--since", "yesterday")
    assert bad.returncode == 2 and bad.stderr.strip().splitlines() == [
        "newsworker: --since 'yesterday': expected an ISO-8601 date or time"]
