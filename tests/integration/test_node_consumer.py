"""A consumer nobody here wrote in Python: examples/node-consumer (plain Node.js, RESP over a
socket) reads the stream through a consumer group, parses every event and acknowledges it."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.support.articles import make_article
from worker.settings import Settings
from worker.store.eventstore import EventStore

CONSUMER = Path(__file__).resolve().parents[2] / "examples" / "node-consumer" / "consumer.js"


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_node_consumer_reads_parses_and_acks(store: EventStore, settings: Settings) -> None:
    # Given three events: two articles and a revision
    store.append(make_article("First story.", location="/in/1"))
    store.append(make_article("Second story.", location="/in/2"))
    store.append(make_article("Second story, corrected.", location="/in/2"))

    # When the Node consumer reads them through its own group
    out = subprocess.run(
        ["node", str(CONSUMER), "--url", settings.store_url, "--stream", store.keys.events,
         "--group", "node", "--consumer", "n1", "--count", "3", "--block-ms", "2000"],
        capture_output=True, text=True, timeout=60, check=False)
    assert out.returncode == 0, out.stderr

    # Then it printed each event as parsed from the body, and acknowledged every one
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    assert [(r["type"], r["version"]) for r in rows] == [
        ("article.ingested", 1), ("article.ingested", 1), ("article.revised", 2)]
    assert all(r["title"] == "A title" and r["article_id"] for r in rows)
    assert store.redis.xpending(store.keys.events, "node")["pending"] == 0
