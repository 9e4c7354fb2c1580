"""Retention of the stories read model against real Redis (worker.consumers.builtin.
story_retention): fed for longer than ``retention_s``, the stories keys stay bounded, a story
keeps going on its recent members, and a batch decided before a retention pass is decided
again."""

from __future__ import annotations

import random
import time
from collections.abc import Callable

from tests.support.articles import make_article
from worker.consumers.builtin.stories import Stories, story_id_for
from worker.consumers.builtin.story_retention import expire_stories
from worker.consumers.consumer import Consumer
from worker.consumers.handler import HandlerContext, resolve
from worker.consumers.similarity import band_fields, sketches
from worker.events.models import Article, ArticleEvent
from worker.redisconn import to_str
from worker.settings import Settings
from worker.store.eventstore import EventStore
from worker.store.expiry import expire

WINDOW_S = 1.0
ROUND_S = 0.2
ROUNDS = 20  # four windows at least: a slower machine feeds fewer articles per window
PER_ROUND = 4  # unrelated articles per round, each a story of its own
RUNNING = " ".join(f"running{i}" for i in range(90))  # one story, copied every round


def text(rng: random.Random, words: int = 90) -> str:
    """A body no other shares (words drawn from 5,000 made-up ones)."""
    return " ".join(f"w{rng.randrange(5000)}" for _ in range(words))


def article(body: str, n: int, site: str = "") -> Article:
    return make_article(body, location=f"/in/{n}.txt", title=f"Story {n}",
                        url=f"https://{site or 'site'}.example/{n}")


def bucket_members(store: EventStore) -> set[str]:
    raw = store.redis.hvals(store.keys.stories("lsh"))
    return {a for v in raw for a in to_str(v).split()}


def test_stories_keys_stay_bounded_fed_past_the_window_and_a_recent_copy_joins_its_story(
        make_settings: Callable[..., Settings]) -> None:
    # Given a stories group under a one-second retention window, its housekeeping every round
    settings = make_settings(retention_s=WINDOW_S)
    store = EventStore.from_settings(settings)
    spec = resolve("stories", HandlerContext(settings, store.keys, store.redis, "stories"))
    consumer = Consumer(store.redis, store.keys, "stories", spec, settings, consumer="c")
    stories = Stories(store.redis, store.keys, settings)
    rng = random.Random(7)
    founder = store.append(article(RUNNING, 0, "wire")).article_id
    sid = story_id_for(founder)
    sizes: list[int] = []
    n, copy, started = 1, "", time.monotonic()

    # When unrelated articles and copies of one running story are fed for four windows
    for _ in range(ROUNDS):
        arts = [article(text(rng), n + i) for i in range(PER_ROUND)]
        arts.append(article(RUNNING, n + PER_ROUND, "outlet"))
        copy = store.append_many(arts)[-1].article_id
        n += PER_ROUND + 1
        consumer.run(until_idle=True)
        consumer.maintain()  # the store's pass, then the stories handler's
        sizes.append(int(store.redis.hlen(store.keys.stories("assigned"))))
        time.sleep(ROUND_S)

    # Then what the stories keep is about one window of articles, not all that was fed
    assert time.monotonic() - started >= 4 * WINDOW_S
    fed, per_window = n, (PER_ROUND + 1) * (WINDOW_S / ROUND_S + 2)
    assert fed > 2.5 * per_window
    assert max(sizes[len(sizes) // 2:]) <= per_window, sizes
    assigned = {to_str(a) for a in store.redis.hkeys(store.keys.stories("assigned"))}
    assert founder not in assigned
    # ... and every part agrees with the assignments: no bucket, sketch or member left behind
    assert bucket_members(store) <= assigned
    assert {to_str(a) for a in store.redis.hkeys(store.keys.stories("signatures"))} == assigned
    assert {to_str(a) for a in store.redis.zrange(store.keys.stories("seen"), 0, -1)} == assigned
    docs = stories.listing(limit=10_000)
    assert {a for d in docs for a in d["article_ids"]} == assigned
    assert all(d["size"] == len(d["article_ids"]) for d in docs)
    assert len(docs) <= per_window
    assert int(store.redis.hlen(store.keys.stories("docs"))) == len(docs)
    # ... the story events stream is trimmed to the window too
    assert int(store.redis.xlen(store.keys.story_events)) <= per_window

    # And the running story lives on in its recent copies, the last one joined to it
    assert stories.story_of(copy) == sid
    doc = stories.get(sid)
    assert doc is not None and founder not in doc["article_ids"]
    assert copy in doc["article_ids"] and 1 < doc["size"] <= WINDOW_S / ROUND_S + 2
    assert doc["sources"] == ["outlet.example"]  # the founder's source went with it


def test_a_batch_decided_before_a_retention_pass_is_decided_again(
        make_settings: Callable[..., Settings]) -> None:
    # Given an article assigned, then forgotten by the store's retention
    settings = make_settings(retention_s=WINDOW_S)
    store = EventStore.from_settings(settings)
    spec = resolve("stories", HandlerContext(settings, store.keys, store.redis, "stories"))
    consumer = Consumer(store.redis, store.keys, "stories", spec, settings, consumer="c")
    old = store.append(article(RUNNING, 0)).article_id
    consumer.run(until_idle=True)
    later_ms = int(time.time() * 1000) + 2000
    assert expire(store.redis, store.keys, retention_s=WINDOW_S,
                  now_ms=later_ms).articles_forgotten == 1
    # ... and a copy decided while the old article is still in the buckets
    store.append(article(RUNNING, 1))
    ev = store.read()[-1][1]
    assert isinstance(ev, ArticleEvent)
    one = Stories(store.redis, store.keys, settings)
    sks = sketches([ev.data.body], settings)
    assert sks[0] is not None
    story, plan = one.plan([ev], sks, [band_fields(sks[0], settings)])
    assert plan is not None and story[str(ev.article_id)] == story_id_for(old)

    # When the stories' retention pass removes the old article before the commit
    done = expire_stories(store.redis, store.keys, settings, now_ms=later_ms)
    assert (done.forgotten, done.stories_removed) == (1, 1)

    # Then the commit writes nothing, and decided again the copy founds its own story
    assert not one.commit(plan)
    assert one.assign(ev) == story_id_for(str(ev.article_id))
    assert one.get(story_id_for(old)) is None
    assert bucket_members(store) == {str(ev.article_id)}
