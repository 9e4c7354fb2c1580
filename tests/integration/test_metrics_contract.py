"""/metrics as operators rely on it: counters exist at 0 before the first event (so
``increase()`` counts from zero), a consumer's outcomes are visible whichever process serves
the scrape, and nothing always-empty is exported."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from pathlib import Path

from prometheus_client.parser import text_string_to_metric_families

from tests.support.articles import make_article
from worker.api.app import create_app
from worker.consumers.consumer import Consumer
from worker.consumers.handler import HandlerContext, resolve
from worker.settings import Settings
from worker.store.eventstore import EventStore
from worker.store.groups import ensure_group

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from fastapi.testclient import TestClient

TOKEN = "m" * 40
AUTH = {"Authorization": f"Bearer {TOKEN}"}
Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


def scrape(settings: Settings) -> tuple[str, Samples]:
    text = TestClient(create_app(settings)).get("/metrics", headers=AUTH).text
    samples = {(s.name, tuple(sorted(s.labels.items()))): s.value
               for fam in text_string_to_metric_families(text) for s in fam.samples}
    return text, samples


def test_counters_are_exported_at_zero_before_the_first_event(
        make_settings: Callable[..., Settings], store: EventStore) -> None:
    settings = make_settings(api_token=TOKEN, key_prefix=store.keys.prefix)
    ensure_group(store.redis, store.keys.events, "idx")
    # Given nothing happened yet, Then every counter already has its series, at 0
    text, samples = scrape(settings)
    for key in (("newsworker_events_appended_total", (("type", "article.ingested"),)),
                ("newsworker_events_appended_total", (("type", "article.revised"),)),
                ("newsworker_ingest_failures_total", (("reason", "binary"),)),
                ("newsworker_ingest_failures_total", (("reason", "fetch_error"),)),
                ("newsworker_feed_polls_total", (("result", "not_modified"),)),
                ("newsworker_events_handled_total", (("group", "idx"), ("outcome", "ok"))),
                ("newsworker_events_handled_total",
                 (("group", "idx"), ("outcome", "dead_letter")))):
        assert samples[key] == 0, key
    # And the serving process exports no always-empty in-process families
    assert "newsworker_process_" not in text

    # When one article is appended, Then the series counts 1 (increase() from 0 is exact)
    store.append(make_article("One story."))
    _, samples = scrape(settings)
    assert samples[("newsworker_events_appended_total", (("type", "article.ingested"),))] == 1


def test_a_failing_handlers_outcomes_appear_in_metrics(
        make_settings: Callable[..., Settings], tmp_path: Path) -> None:
    # Given a consumer whose handler fails every delivery (dead-lettered after 2)
    settings = make_settings(api_token=TOKEN, max_deliveries=2, claim_idle_s=0.05,
                             data_dir=tmp_path / "data")
    store = EventStore.from_settings(settings)
    store.append_many([make_article(f"Story {i}.", location=f"/in/{i}") for i in range(3)])
    ctx = HandlerContext(settings, store.keys, store.redis, "flaky")
    handler = resolve("tests.handlers_for_tests:FlakyArchive", ctx)
    stats = Consumer(store.redis, store.keys, "flaky", handler, settings).run(until_idle=True)
    assert stats.dead_lettered == 3

    # When Prometheus scrapes the API (another process than the consumer's, in real life)
    _, samples = scrape(settings)
    # Then the consumer's errors and dead letters are there, per group and outcome
    def outcome(name: str) -> float:
        return samples[("newsworker_events_handled_total", (("group", "flaky"),
                                                             ("outcome", name)))]

    assert outcome("dead_letter") == 3
    assert outcome("error") >= 3
    assert outcome("ok") == 0
