"""The shipped retention, live: a real `newsworker consume` process applies it while articles
keep arriving for several retention windows; the stream, the catalog and the full per-article
state stay bounded, and dedupe still works, for recent articles and forgotten ones."""

from __future__ import annotations

import time
from collections.abc import Callable

from tests.conftest import Proc, settings_env, wait_until
from tests.support.articles import make_article
from tests.support.consume import consume_argv, settled
from worker.consumers.builtin.catalog import Catalog
from worker.events.models import Article
from worker.settings import Settings
from worker.store.eventstore import EventStore

WINDOW_S = 2.0  # retention_s for the test; consumers apply it every claim_idle_s (1 s)
RATE_PER_S = 20
FEED_S = 5 * WINDOW_S


def _art(n: int) -> Article:
    return make_article(f"Paragraph number {n} of a story that retention should forget.",
                        location=f"/live/{n}.txt", title=f"Story {n}")


def _full_states(store: EventStore) -> int:
    """Articles whose state still names a stream entry (not yet forgotten)."""
    keys = list(store.redis.scan_iter(match=store.keys.article("*"), count=1000))
    pipe = store.redis.pipeline(transaction=False)
    for k in keys:
        pipe.hget(k, "entry_id")
    return sum(1 for v in pipe.execute() if v)


def test_a_stream_fed_for_longer_than_retention_stays_bounded(
        make_settings: Callable[..., Settings], spawn: Callable[..., Proc]) -> None:
    # Given the catalog consumer running with a retention of WINDOW_S
    settings = make_settings(retention_s=WINDOW_S, claim_idle_s=1.0)
    store = EventStore.from_settings(settings)
    consumer = spawn(consume_argv("catalog", "catalog", "c1", 50), settings_env(settings),
                     name="consume")
    catalog = Catalog(store.redis, store.keys)

    # When articles arrive at RATE_PER_S for five windows
    peaks = {"stream": 0, "catalog": 0, "history": 0, "state": 0}
    n, started = 0, time.monotonic()
    while time.monotonic() - started < FEED_S:
        store.append(_art(n))
        n += 1
        if n % RATE_PER_S == 0:  # once a second: sample, and dedupe a recent article
            assert store.append(_art(n - 5)).status == "unchanged"
            peaks["stream"] = max(peaks["stream"], store.length())
            peaks["catalog"] = max(peaks["catalog"], catalog.count())
            peaks["history"] = max(peaks["history"], sum(
                1 for _ in store.redis.scan_iter(match=store.keys.versions("*"), count=1000)))
            peaks["state"] = max(peaks["state"], _full_states(store))
        time.sleep(1 / RATE_PER_S)
    wait_until(lambda: settled(store.redis, store.keys, "catalog"), timeout=30,
               message="the consumer caught up")

    # Then every measure stayed near what one window (+ one maintenance interval) holds,
    # far below everything appended
    bound = int(RATE_PER_S * (WINDOW_S + 1.0 + 1.5))
    assert n >= RATE_PER_S * FEED_S * 0.8, n
    assert all(peak <= bound for peak in peaks.values()), (peaks, bound, n)
    assert consumer.proc is not None and consumer.proc.poll() is None, consumer.output()
    # ... a forgotten article still dedupes, keeping its version
    first = store.append(_art(0))
    assert (first.status, first.version) == ("unchanged", 1)
    # ... and once the feed stops, one more window empties the stream and the catalog
    wait_until(lambda: store.length() == 0 and catalog.count() == 0,
               timeout=WINDOW_S + 10, message="everything past retention")
    assert _full_states(store) == 0
