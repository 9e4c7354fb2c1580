"""The dashboard's history view in real headless Chromium, against the API served by uvicorn
in a thread: recently revised articles, an article's version timeline and the diff between
versions."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from tests.conftest import wait_until
from tests.e2e.test_dashboard_browser import CHROMIUM, FLAGS
from worker.events.models import Article, Source, content_hash
from worker.ops.runner import free_port
from worker.settings import Settings
from worker.store.eventstore import EventStore

pytestmark = [pytest.mark.browser, pytest.mark.e2e]

TOKEN = "history-browser-token-0123456789abcdef01"
URL = "https://news.example/revised-story"


def art(title: str, *paras: str) -> Article:
    return Article(title=title, body=paras, source=Source(kind="url", location=URL), url=URL,
                   word_count=sum(len(p.split()) for p in paras),
                   content_hash=content_hash(title, paras))


@pytest.fixture
def base_url(settings: Settings) -> Iterator[str]:
    import uvicorn

    from worker.api.app import create_app

    app = create_app(settings.model_copy(update={"api_token": TOKEN,
                                                 "worker_ping_timeout_s": 0.3}))
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    wait_until(lambda: server.started, timeout=30, message="uvicorn started")
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)


def test_dashboard_shows_revised_article_timeline_and_diff(
        store: EventStore, base_url: str) -> None:
    if not CHROMIUM.exists():
        pytest.skip("chromium not found at /usr/bin/chromium; install Debian's chromium")
    from playwright.sync_api import expect, sync_playwright

    store.append(art("Old headline", "Kept paragraph.", "A paragraph that goes away."))
    store.append(art("New headline", "Kept paragraph.", "Its <b>replacement</b> text."))
    aid = art("x").article_id

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(f"{base_url}/#token={TOKEN}")
            row = page.locator("#revised tbody tr")
            expect(row).to_have_count(1, timeout=15_000)
            expect(row).to_contain_text("title, body")
            page.locator(f'[data-article="{aid}"]').click()
            expect(page.locator("#timeline li")).to_have_count(2, timeout=15_000)
            expect(page.locator('#timeline [data-version="2"]')).to_contain_text("New headline")
            expect(page.locator("#diff-title del")).to_have_text("Old")
            expect(page.locator("#diff-title ins")).to_have_text("New")
            expect(page.locator("#diff-body del")).to_contain_text("A paragraph that goes away.")
            # untrusted text stays text: the markup in the article is not rendered
            expect(page.locator("#diff-body ins")).to_contain_text("<b>replacement</b>")
            expect(page.locator("#diff-body b")).to_have_count(0)
            expect(page.locator("#diff-heading")).to_contain_text("v1 → v2")
        finally:
            browser.close()
