"""Stories live: HTML pages from three sites through a real Celery worker, a real
`newsworker consume ... --handler stories` process, then `stories list --json` and
`rebuild stories` from the command line."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from html import escape
from pathlib import Path
from typing import Any

import orjson
import pytest

from tests.conftest import FIXTURES, Proc, settings_env, wait_until
from tests.support.consume import cli, settled
from worker.settings import Settings
from worker.store.eventstore import EventStore

pytestmark = pytest.mark.e2e

TEXTS = json.loads((FIXTURES / "stories" / "stories.json").read_text())["texts"]

# Three sites' page furniture around the article body: navigation, share bars, related links,
# newsletter boxes, footers; each site its own.
SITES = {
    "harbourtimes.example": (
        "<header><nav><a href='/'>Home</a> <a href='/news'>News</a> <a href='/sport'>Sport</a>"
        " <a href='/weather'>Weather</a></nav></header>",
        "<aside class='share'>Share on Facebook | Share on X | Email this story</aside>",
        "<section class='related'><h3>Most read</h3><ul><li><a href='/a'>Council tax to rise "
        "by 5% next year</a></li><li><a href='/b'>Pier reopens after repairs</a></li></ul>"
        "</section><footer>&copy; 2026 Harbour Times. All rights reserved. "
        "<a href='/privacy'>Privacy</a> <a href='/cookies'>Cookies</a></footer>"),
    "dailyledger.example": (
        "<div class='topbar'>Subscribe | Sign in | Today's paper</div><nav><ul><li>World</li>"
        "<li>Business</li><li>Politics</li><li>Opinion</li></ul></nav>",
        "<div class='ad'>Advertisement</div>",
        "<div class='newsletter'><h4>Get the morning briefing</h4><p>Sign up for our free "
        "newsletter and never miss a story.</p></div><footer>Daily Ledger Media Group. "
        "Terms of use. Contact us.</footer>"),
    "metronews.example": (
        "<header class='masthead'><a href='/'>Metro News</a><form><input name='q'></form>"
        "</header><ol class='breadcrumbs'><li>Home</li><li>UK</li><li>Transport</li></ol>",
        "<p class='byline'>By Metro reporters</p>",
        "<aside><h3>More on this story</h3><ul><li>Rail fares to rise again in March</li>"
        "<li>How to claim a refund for a cancelled train</li></ul></aside>"
        "<footer>Metro News is not responsible for the content of external sites.</footer>"),
}


def page(site: str, path: str, title: str, paragraphs: list[str]) -> bytes:
    top, inner, bottom = SITES[site]
    url = f"https://{site}/{path}"
    body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    return (f"<!doctype html><html><head><title>{escape(title)} | {site}</title>"
            f"<link rel='canonical' href='{url}'><meta property='og:url' content='{url}'>"
            f"<meta property='og:site_name' content='{site}'></head><body>{top}<main><article>"
            f"<h1>{escape(title)}</h1>{inner}{body}</article></main>{bottom}</body></html>"
            ).encode()


def ingest(celery_app: Any, settings: Settings, path: Path) -> dict[str, Any]:
    res = celery_app.send_task("newsworker.ingest_file", args=[str(path)],
                               queue=settings.ingest_queue)
    value: dict[str, Any] = res.get(timeout=60)
    return value


def stories_json(settings: Settings) -> list[dict[str, Any]]:
    done = cli(settings, "stories", "list", "--json")
    assert done.returncode == 0, done.stderr
    return [orjson.loads(line) for line in done.stdout.splitlines() if line.strip()]


def test_one_story_from_three_sources_and_two_others_survive_rebuild(
        settings: Settings, store: EventStore, celery_worker: Proc, celery_app: Any,
        spawn: Callable[..., Proc], tmp_path: Path) -> None:
    # Given the same rail-strike story from three sites: different URLs, headlines and page
    # furniture around the same body, the third with its last paragraph trimmed
    strike = TEXTS["strike-wire"]["paragraphs"]
    pages = {
        "a.html": page("harbourtimes.example", "news/rail-strike-1234", "Rail workers to "
                       "strike for three days next week over pay", strike),
        "b.html": page("dailyledger.example", "business/2026/09/02/rail-strike",
                       "Three-day national rail strike called for next week", strike),
        "c.html": page("metronews.example", "uk/transport/rail-strike-what-you-need-to-know",
                       "Rail strike: what you need to know", strike[:-1]),
        # and two unrelated stories
        "d.html": page("dailyledger.example", "health/coffee-heart",
                       TEXTS["coffee-wire"]["title"], TEXTS["coffee-wire"]["paragraphs"]),
        "e.html": page("metronews.example", "world/vestria-coalition",
                       TEXTS["election-wire"]["title"], TEXTS["election-wire"]["paragraphs"]),
    }
    for name, content in pages.items():
        (tmp_path / name).write_bytes(content)
    # When a real worker ingests them and a real consumer runs the stories handler
    results = [ingest(celery_app, settings, tmp_path / name) for name in sorted(pages)]
    assert [r["status"] for r in results] == ["appended"] * 5, results
    consumer = spawn([sys.executable, "-m", "worker", "consume", "stories", "--handler",
                      "stories", "--consumer", "s1"], settings_env(settings), name="stories")
    wait_until(lambda: settled(store.redis, store.keys, "stories")
               and store.redis.xlen(store.keys.story_events) == 5, 60,
               message="stories consumer catches up")
    assert consumer.stop() == 0, consumer.output()

    # Then `stories list --json` shows one story of size 3 and two of size 1
    listed = stories_json(settings)
    assert [s["size"] for s in listed] == [3, 1, 1]
    big = listed[0]
    assert sorted(big["sources"]) == sorted(SITES)
    ids = {r["title"]: r["article_id"] for r in results}
    assert set(big["article_ids"]) == {r["article_id"] for r in results[:3]}
    assert set(listed[1]["article_ids"]) | set(listed[2]["article_ids"]) == \
        {r["article_id"] for r in results[3:]}
    assert len(ids) == 5
    assert set(big) == {"story_id", "size", "title", "first_seen", "last_seen", "article_ids",
                        "sources"}
    shown = cli(settings, "stories", "show", big["story_id"], "--json")
    assert shown.returncode == 0 and orjson.loads(shown.stdout) == big

    # And `rebuild stories` gives the same stories
    rebuilt = cli(settings, "rebuild", "stories")
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert stories_json(settings) == listed
    missing = cli(settings, "stories", "show", "0123456789abcdef")
    assert missing.returncode == 1 and "no such story" in missing.stderr
