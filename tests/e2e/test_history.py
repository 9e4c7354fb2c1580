"""Article history on real processes: a URL submitted three times through `newsworker submit
text` to a real Celery worker, then read back with `newsworker articles history / diff /
show --as-of` and the HTTP API."""

from __future__ import annotations

import subprocess
import sys
from typing import TYPE_CHECKING, Any

import orjson
import pytest

from tests.conftest import Proc, settings_env
from tests.support.api import AUTH, api_settings, http
from worker.settings import Settings
from worker.store.eventstore import EventStore

if TYPE_CHECKING:  # imported at run time by tests.support.api, under a warnings filter
    from fastapi.testclient import TestClient

__all__ = ["api_settings", "http"]  # fixtures, found by pytest in this module's namespace

pytestmark = pytest.mark.e2e

URL = "https://news.example/2026/council-bridge"
OLD_TITLE = "Council approves river bridge after long debate"
NEW_TITLE = "Council narrowly approves river bridge"
OLD_PARA = ("Opponents warned that construction would disrupt the riverside park for at "
            "least three summers.")
NEW_PARA = ("The mayor promised that the riverside park would stay open during most of the "
            "building work.")
V1_TEXT = f"""{OLD_TITLE}

The city council voted on Tuesday to approve the new river bridge, ending a debate that had \
lasted more than two years.

Supporters said the bridge would cut commuting times and bring shoppers back to the old town \
centre.

{OLD_PARA}

The first contracts are expected to be signed before the end of the year.
"""
V2_TEXT = V1_TEXT.replace(OLD_TITLE, NEW_TITLE).replace(OLD_PARA, NEW_PARA)


def cli(settings: Settings, *args: str, stdin: str | None = None) -> str:
    res = subprocess.run([sys.executable, "-m", "worker", *args], input=stdin, text=True,
                         env=settings_env(settings), capture_output=True, timeout=120)
    assert res.returncode == 0, res.stdout + res.stderr
    return res.stdout


def cli_json(settings: Settings, *args: str) -> Any:
    lines = cli(settings, *args).splitlines()
    return [orjson.loads(line) for line in lines]


def test_history_diff_and_as_of_through_cli_and_api(
        settings: Settings, store: EventStore, celery_worker: Proc, http: TestClient) -> None:
    outputs = [cli(settings, "submit", "text", "-", "--url", URL, "--wait", stdin=text)
               for text in (V1_TEXT, V2_TEXT, V2_TEXT)]
    assert [o.split()[0] for o in outputs] == ["appended", "appended", "unchanged"], outputs
    [(_, first), *_] = store.read()
    aid = first.article_id
    assert aid is not None

    # history: exactly versions 1 and 2, the revision naming the title and the body words
    rows = cli_json(settings, "articles", "history", aid, "--json")
    assert [(r["version"], r["type"]) for r in rows] == [(1, "article.ingested"),
                                                         (2, "article.revised")]
    assert [r["entry_id"] for r in rows] == [e for e, _ in store.read()]
    for r in rows:
        assert set(r) >= {"version", "type", "entry_id", "event_id", "occurred_at", "title",
                          "word_count", "content_hash", "changes"}
    ch = rows[1]["changes"]
    assert ch["fields"] == ["title", "body"]
    assert (ch["old_title"], ch["new_title"]) == (OLD_TITLE, NEW_TITLE)
    assert ch["words_added"] > 0 and ch["words_removed"] > 0
    plain = cli(settings, "articles", "history", aid)
    assert plain.count("\n") == 2 and "title, body" in plain

    # diff (default: the last two versions) shows the replaced paragraph
    [d] = cli_json(settings, "articles", "diff", aid, "--json")
    deleted = " ".join(c["text"] for c in d["body"] if c["op"] == "delete")
    inserted = " ".join(c["text"] for c in d["body"] if c["op"] == "insert")
    assert "disrupt" in deleted and "three summers" in deleted
    assert "mayor promised" in inserted and "building work" in inserted
    assert "supporters" not in (deleted + inserted).lower()  # unchanged paragraphs stay equal
    text = cli(settings, "articles", "diff", aid, "--from", "1", "--to", "2")
    assert "[-" in text and "{+" in text and "\x1b[" not in text  # piped: marks, no colour
    assert "narrowly" in text

    # as_of a moment between the two versions returns version 1, with its body
    mid = rows[0]["occurred_at"]  # v1 is current from its own moment until v2's
    [shown] = cli_json(settings, "articles", "show", aid, "--as-of", mid, "--json")
    assert shown["version"] == 1 and shown["title"] == OLD_TITLE and OLD_PARA in shown["body"]
    [v2] = cli_json(settings, "articles", "show", aid, "--version", "2", "--json")
    assert v2["title"] == NEW_TITLE and NEW_PARA in v2["body"]

    # the API answers the same
    r = http.get(f"/v1/articles/{aid}/history", headers=AUTH)
    assert r.status_code == 200, r.text
    assert r.json() == {"article_id": aid, "versions": rows}
    r = http.get(f"/v1/articles/{aid}/diff", headers=AUTH, params={"from": 1, "to": 2})
    assert r.status_code == 200 and r.json() == d
    r = http.get(f"/v1/articles/{aid}", headers=AUTH, params={"as_of": mid})
    assert r.status_code == 200 and r.json()["version"] == 1
    assert r.json()["data"]["title"] == OLD_TITLE
    r = http.get(f"/v1/articles/{aid}", headers=AUTH, params={"version": 2})
    assert r.json()["version"] == 2 and r.json()["changes"] == ch
    assert http.get(f"/v1/articles/{aid}", headers=AUTH).json()["version"] == 2
    # unknown version / article / moment before the article: 404 with a message
    assert http.get(f"/v1/articles/{aid}", headers=AUTH, params={"version": 3}).status_code \
        == 404
    assert http.get("/v1/articles/nope/history", headers=AUTH).status_code == 404
    r = http.get(f"/v1/articles/{aid}", headers=AUTH, params={"as_of": "2000-01-01T00:00:00Z"})
    assert r.status_code == 404 and "did not exist yet" in r.json()["message"]
    assert http.get(f"/v1/articles/{aid}/history").status_code == 401
