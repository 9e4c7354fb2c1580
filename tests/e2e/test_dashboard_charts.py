"""The dashboard's charts (the last hour, from the series kept in Redis) and its largest-stories
panel in real headless Chromium, served by a real `newsworker serve` process; the screenshot
is docs/dashboard.png."""

from __future__ import annotations

import math
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import ROOT, Proc
from tests.e2e.test_dashboard_browser import CHROMIUM, FLAGS, TOKEN
from tests.e2e.test_stories import TEXTS
from tests.support.consume import run_group
from tests.support.serve import serve
from worker.events.models import Article, Source, content_hash
from worker.ops import series
from worker.settings import Settings
from worker.store.eventstore import EventStore
from worker.store.groups import ensure_group

pytestmark = [pytest.mark.browser, pytest.mark.e2e]

CHARTS = ("events", "queue", "lag", "failures", "dlq")


def article(site: str, title: str, paragraphs: list[str]) -> Article:
    body = tuple(paragraphs)
    return Article(title=title, body=body, url=f"https://{site}/a", site_name=site,
                   source=Source(kind="url", location=f"https://{site}/a"),
                   content_hash=content_hash(title, body))


def seed_history(store: EventStore, now: float, minutes: int = 55) -> int:
    """A point every 10 s for the last ``minutes``, as the API would have recorded them while
    a dashboard was open; returns the appended total reached."""
    appended = failed = 0
    for i in range(minutes * 6):
        appended += 30 + int(25 * math.sin(i / 7))
        failed += i % 9 == 0
        snap = {"at": now - 10 * (minutes * 6 - i),
                "queues": {"ingest": int(40 + 35 * math.sin(i / 11))},
                "counters": {"appended": {"article.ingested": appended},
                             "failures": {"binary": failed}},
                "groups": [{"name": "catalog", "lag": max(0, int(60 * math.sin(i / 9)))},
                           {"name": "stories", "lag": i % 30}],
                "dead_letters": {"length": i // 40}}
        assert series.record(store.redis, store.keys, snap, interval_s=0.001)
        time.sleep(0.002)
    return appended


def test_dashboard_draws_the_last_hour_and_the_largest_stories(
        settings: Settings, store: EventStore, spawn: Callable[..., Proc],
        tmp_path: Path) -> None:
    if not CHROMIUM.exists():
        pytest.skip("chromium not found at /usr/bin/chromium; install Debian's chromium")
    from playwright.sync_api import expect, sync_playwright

    # Given the same story from three sites and two others, grouped by the stories handler
    wire = TEXTS["flood-wire"]
    arts = [article("harbourtimes.example", wire["title"], wire["paragraphs"]),
            article("dailyledger.example", wire["title"] + " - live",
                    ["Advertisement", *wire["paragraphs"]]),
            article("metronews.example", "Floods: what we know",
                    [*wire["paragraphs"][:-1], "Share this article"])]
    arts += [article(f"other{i}.example", TEXTS[name]["title"], TEXTS[name]["paragraphs"])
             for i, name in enumerate(sorted(n for n in TEXTS if n != "flood-wire")[:2])]
    store.append_many(arts)
    ensure_group(store.redis, store.keys.events, "catalog")
    run_group(settings, store, "stories", "stories")
    # and 55 minutes of recorded history, the counters where that history left them
    total = seed_history(store, time.time() - 5)
    store.redis.hincrby(store.keys.counters, "appended:article.ingested", total)

    base, _ = serve(settings, spawn, TOKEN)

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 1400})
            page.goto(f"{base}/#token={TOKEN}")
            # Then every chart draws lines from the series, the live point included
            for chart in CHARTS:
                expect(page.locator(f'svg[data-chart="{chart}"] polyline').first
                       ).to_be_visible(timeout=15_000)
            expect(page.locator("#series-note")).to_contain_text("331 point(s)")
            for chart in CHARTS:
                drawn = page.locator(f'svg[data-chart="{chart}"]').get_attribute("data-points")
                assert drawn is not None and int(drawn) >= 300, (chart, drawn)
            lines = page.locator('svg[data-chart="lag"] polyline')
            assert {lines.nth(i).get_attribute("data-line") for i in range(lines.count())} == {
                "catalog", "stories"}
            expect(page.locator("#chart-events .latest")).not_to_have_text("no data yet")
            # and the largest story of the day comes first: three sites, one story
            first = page.locator("#stories tbody tr").first
            expect(first).to_contain_text(wire["title"], timeout=15_000)
            expect(first.locator("td").first).to_have_text("3")
            expect(first).to_contain_text("metronews.example")
            expect(page.locator("#stories tbody tr")).to_have_count(3)
            shot = tmp_path / "dashboard.png"
            page.screenshot(path=str(shot), full_page=True)
            shutil.copyfile(shot, ROOT / "docs" / "dashboard.png")
        finally:
            browser.close()
