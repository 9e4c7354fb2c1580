"""``stories_assign``: articles/s through the ``stories`` handler (a real Consumer, in-process,
one core) over a stream of 20,000 articles with realistic duplication, against the noop
handler over the same stream; and Redis memory per indexed article.

Duplication: of every five articles, two are syndicated copies of an earlier one (another
site's URL and headline, furniture lines around the body, the last paragraph trimmed), so
about 40 % of the stream joins an existing story.
"""

from __future__ import annotations

import time
from typing import Any

from benchmarks.bench_store import consumer_run
from benchmarks.data import paragraphs_for
from benchmarks.harness import Bench, Row, row
from worker.events.models import Article, Source, content_hash
from worker.store.eventstore import EventStore
from worker.store.keys import Keys

BATCH = 500
FURNITURE = ("Advertisement", "Share this article", "Sign up for our daily newsletter")


def story_articles(n: int) -> list[Article]:
    out: list[Article] = []
    for i in range(n):
        if i % 5 in (3, 4):
            orig = out[i - 3]
            body = (FURNITURE[0], *orig.body[:-1], FURNITURE[1 + i % 2])
            title = f"{orig.title} (copy {i})"
        else:
            title, paras, _ = paragraphs_for(i)
            body = tuple(paras)
        out.append(Article(title=title, body=body, source=Source(kind="file", location=f"/s/{i}"),
                           url=f"https://site{i % 7}.example/a/{i}", site_name=f"Site {i % 7}",
                           content_hash=content_hash(title, body), normaliser_version="bench"))
    return out


def _used_memory(client: Any) -> int:
    return int(client.info("memory")["used_memory"])


def _redis_cpu_s(client: Any) -> float:
    cpu = client.info("cpu")
    return float(cpu["used_cpu_user"]) + float(cpu["used_cpu_sys"])


def bench_stories_assign(b: Bench) -> list[Row]:
    n = b.n(20_000, minimum=50)
    s = b.settings()
    st = EventStore(b.client, Keys(s.key_prefix))
    arts = story_articles(n)
    for i in range(0, n, BATCH):
        st.append_many(arts[i:i + BATCH])
    noop_s = consumer_run(b, s, st, "noop")
    # Imported before the clocks start: loading datasketch (and scipy) is a process's start,
    # ~0.3 s of CPU once, not a cost per article (consumer_run's wall clock excludes it too).
    from worker.consumers.builtin.stories import Stories

    before, redis_cpu, cpu = _used_memory(b.client), _redis_cpu_s(b.client), time.process_time()
    stories_s = consumer_run(b, s, st, "stories", "stories")
    # CPU time (this process + Redis) per article: the one-core rate on a shared machine,
    # where wall time also counts other processes' turns.
    cpu_s = time.process_time() - cpu + _redis_cpu_s(b.client) - redis_cpu
    per_article = (_used_memory(b.client) - before) / n
    listing = Stories(b.client, st.keys, s).listing(limit=n)
    joined = sum(d["size"] - 1 for d in listing)
    return [row("stories_assign", n / stories_s, "articles/s", n / noop_s,
                ">= 2,000 articles/s", articles=n, stories=len(listing),
                joined_existing=joined, bytes_per_article=int(per_article),
                cpu_ms_per_article=round(1000 * cpu_s / n, 3),
                one_core_articles_per_s=int(n / cpu_s),
                story_events=int(b.client.xlen(st.keys.story_events)))]
