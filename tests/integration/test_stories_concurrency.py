"""Several `stories` consumers in one group against real Redis: a batch decided on buckets that
changed before its commit is decided again, and concurrent consumers group the labelled set as
one consumer does."""

from __future__ import annotations

import threading
from collections.abc import Callable

from tests.integration.test_stories import FIXTURE, articles
from worker.consumers.builtin.stories import Commit, Stories, story_id_for
from worker.consumers.consumer import Consumer
from worker.consumers.handler import HandlerContext, resolve
from worker.consumers.similarity import band_fields, sketches
from worker.events.models import ArticleEvent
from worker.settings import Settings
from worker.store.eventstore import EventStore


def events_named(store: EventStore, *names: str) -> list[ArticleEvent]:
    arts = {a.source.location: a for a in articles()}
    store.append_many([arts[n] for n in names])
    evs = [ev for _, ev in store.read()]
    assert all(isinstance(ev, ArticleEvent) for ev in evs)
    return [ev for ev in evs if isinstance(ev, ArticleEvent)]


def planned(stories: Stories, ev: ArticleEvent, settings: Settings
            ) -> tuple[dict[str, str], Commit]:
    sks = sketches([ev.data.body], settings)
    assert sks[0] is not None
    story, plan = stories.plan([ev], sks, [band_fields(sks[0], settings)])
    assert plan is not None
    return story, plan


def test_a_batch_decided_before_a_near_duplicate_was_committed_is_decided_again(
        settings: Settings, store: EventStore) -> None:
    a, b = next((x, y) for x, y, label in FIXTURE["pairs"] if label == "duplicate")
    ev_a, ev_b = events_named(store, a, b)
    one = Stories(store.redis, store.keys, settings)
    two = Stories(store.redis, store.keys, settings)
    # Consumer one decides B while A is unassigned: B would found a story of its own ...
    story, plan = planned(one, ev_b, settings)
    assert story[str(ev_b.article_id)] == story_id_for(str(ev_b.article_id))
    # ... consumer two assigns A meanwhile, into buckets B read
    sid = two.assign(ev_a)
    assert sid == story_id_for(str(ev_a.article_id))
    assert not one.commit(plan)
    assert one.story_of(str(ev_b.article_id)) is None
    assert store.redis.xlen(store.keys.story_events) == 1
    # Decided again on fresh reads, B joins A's story
    assert one.assign(ev_b) == sid
    doc = one.get(sid)
    assert doc is not None and doc["size"] == 2


def test_a_batch_whose_buckets_did_not_change_commits_after_another_consumers_commit(
        settings: Settings, store: EventStore) -> None:
    texts = sorted(FIXTURE["texts"])
    unrelated = next(t for t in texts[1:] if not any(
        {x, y} == {texts[0], t} for x, y, _ in FIXTURE["pairs"]))
    ev_a, ev_c = events_named(store, texts[0], unrelated)
    one = Stories(store.redis, store.keys, settings)
    two = Stories(store.redis, store.keys, settings)
    _, plan = planned(one, ev_c, settings)
    two.assign(ev_a)  # another commit, in other buckets
    assert one.commit(plan)
    assert one.story_of(str(ev_c.article_id)) == story_id_for(str(ev_c.article_id))
    assert store.redis.xlen(store.keys.story_events) == 2


def partition(stories: Stories, ids: list[str]) -> set[frozenset[str]]:
    groups: dict[str, set[str]] = {}
    for aid in ids:
        sid = stories.story_of(aid)
        assert sid is not None, aid
        groups.setdefault(sid, set()).add(aid)
    return {frozenset(g) for g in groups.values()}


def test_two_consumers_in_one_group_group_the_labelled_set_as_one_consumer_does(
        make_settings: Callable[..., Settings]) -> None:
    arts = articles()
    ids = [a.article_id for a in arts]
    single_s, shared_s = make_settings(), make_settings()
    single = EventStore.from_settings(single_s)
    single.append_many(arts)
    Stories(single.redis, single.keys, single_s).assign_many([ev for _, ev in single.read()])
    alone = partition(Stories(single.redis, single.keys, single_s), ids)

    shared = EventStore.from_settings(shared_s)
    shared.append_many(arts)
    spec = resolve("stories", HandlerContext(shared_s, shared.keys, shared.redis, "stories"))
    consumers = [Consumer(shared.redis, shared.keys, "stories", spec, shared_s,
                          consumer=f"c{i}", batch=2) for i in range(2)]
    errors: list[BaseException] = []

    def run(c: Consumer) -> None:
        try:
            c.run(until_idle=True)
        except BaseException as exc:  # reported below, not lost in the thread
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(c,)) for c in consumers]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors and not any(t.is_alive() for t in threads)
    stories = Stories(shared.redis, shared.keys, shared_s)
    assert partition(stories, ids) == alone
    assert shared.redis.xlen(shared.keys.story_events) == len(arts)
    assert sum(d["size"] for d in stories.listing(limit=1000)) == len(arts)


def test_every_assigned_article_sits_in_the_bucket_of_each_of_its_bands(
        settings: Settings, store: EventStore) -> None:
    # Buckets are written two ways (sent whole, or cut from the sketch inside the commit
    # script); either way each bucket holds exactly the articles whose band it is.
    store.append_many(articles())
    events = [ev for _, ev in store.read() if isinstance(ev, ArticleEvent)]
    stories = Stories(store.redis, store.keys, settings)
    for start in range(0, len(events), 7):
        stories.assign_many(events[start:start + 7])
    sks = sketches([ev.data.body for ev in events], settings)
    want: dict[bytes, set[str]] = {}
    for ev, sk in zip(events, sks, strict=True):
        assert sk is not None
        for field in band_fields(sk, settings):
            want.setdefault(field, set()).add(str(ev.article_id))
    got = {k: set(v.decode().split())
           for k, v in store.redis.hgetall(stories.key("lsh")).items()}
    assert got == want
    assert any(len(ids) > 1 for ids in got.values())  # shared buckets: copies found
