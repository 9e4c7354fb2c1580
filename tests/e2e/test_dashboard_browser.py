"""The dashboard in real headless Chromium, served by a real `newsworker serve` process."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT, Proc
from tests.support.articles import make_article
from tests.support.serve import serve
from worker.settings import Settings
from worker.store.eventstore import EventStore
from worker.store.groups import ensure_group

pytestmark = [pytest.mark.browser, pytest.mark.e2e]

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
TOKEN = "browser-token-0123456789abcdef0123456789"


def test_dashboard_shows_queue_depth_and_lag_changing(
        settings: Settings, store: EventStore, celery_app: Any, spawn: Callable[..., Proc],
        tmp_path: Path) -> None:
    if not CHROMIUM.exists():
        pytest.skip("chromium not found at /usr/bin/chromium; install Debian's chromium")
    from playwright.sync_api import expect, sync_playwright

    # Given `newsworker serve` with a token, no Celery worker, and a consumer group
    base, _ = serve(settings, spawn, TOKEN)
    ensure_group(store.redis, store.keys.events, "indexer")
    store.redis.sadd(store.keys.feeds_index, "f1")
    store.redis.hset(store.keys.feed("f1"), mapping={
        "url": "https://news.example/rss.xml", "last_result": "parked", "error_count": 10,
        "parked": 1, "parked_reason": "10 failures in a row; last: HTTP 503"})

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            # The token travels in the fragment (never sent to the server, never logged).
            page.goto(f"{base}/#token={TOKEN}")
            depth = page.locator(f'[data-queue="{settings.ingest_queue}"]')
            lag = page.locator('[data-group="indexer"]')
            expect(depth).to_have_text("0", timeout=15_000)
            expect(lag).to_have_text("0")
            expect(page.locator('[data-alert="workers"]')).to_be_visible()
            assert "#token" not in page.url  # moved to sessionStorage

            # When 7 tasks are queued and 4 events appended, then the figures follow.
            for _ in range(7):
                celery_app.send_task("newsworker.ingest_file", args=["/nope"],
                                     queue=settings.ingest_queue)
            store.append_many([make_article(f"Browser {i}.", location=f"/b/{i}",
                                            title=f"Story {i}") for i in range(4)])
            expect(depth).to_have_text("7", timeout=15_000)
            expect(lag).to_have_text("4", timeout=15_000)
            expect(page.locator("#stream-length")).to_have_text("4")
            expect(page.locator("#events tbody tr")).to_have_count(4)
            expect(page.locator("#events tbody tr").first).to_contain_text("Story 3")
            expect(page.locator("#feeds tbody")).to_contain_text("HTTP 503")
            (ROOT / "docs").mkdir(exist_ok=True)
            shot = tmp_path / "dashboard.png"
            page.screenshot(path=str(shot), full_page=True)
            shutil.copyfile(shot, ROOT / "docs" / "dashboard.png")
        finally:
            browser.close()
