"""Hostile-input corpus: every input is refused with a clear reason or becomes a clean
article; refusals become ``ingestion.failed`` events; nothing leaks and the worker stays up.

Files go through the task path in-process (``worker.tasks.ingest.Ingest.path``), URLs through
``worker.sources.fetch.fetch`` and ``worker.feeds.poll.poll``. The corpus is in
tests/support/hostile.py; tests/e2e/test_hostile.py sends it through a real Celery worker
process that must then still ingest a good file. (More HTTP abuse — 304s, Retry-After,
TLS — is in tests/integration/test_fetch.py.)
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.feedserver import FeedServer, Route, feed_server, gzip_bomb, rss
from tests.support.hostile import BODY, FILES, check_no_leak, root, settings
from worker.errors import FetchError, FetchRefused, TooLarge
from worker.events.models import IngestionFailed, Source
from worker.settings import Settings
from worker.sources.fetch import fetch
from worker.store.eventstore import EventStore
from worker.tasks.ingest import Ingest

__all__ = ["feed_server", "root", "settings"]


@pytest.fixture
def task_env(settings: Settings, store: EventStore) -> EventStore:
    """Run the real task code in-process against ``settings`` (same Redis, same scripts)."""
    return store


@pytest.fixture
def run(settings: Settings, task_env: EventStore) -> Ingest:
    """What the ingest tasks run, in-process against ``settings`` and its store."""
    return Ingest(settings, task_env)


@pytest.mark.parametrize(("name", "fname", "raw", "expect"), FILES, ids=[c[0] for c in FILES])
def test_hostile_file(name: str, fname: str, raw: bytes, expect: str, root: Path,
                      task_env: EventStore, run: Ingest) -> None:
    # Given a hostile file inside the input root
    path = root / f"{name}-{fname}"
    path.write_bytes(raw)
    cid = f"hostile-{name}"
    # When it goes through the ingest task's code
    started = time.monotonic()
    results = run.path(str(path), cid)
    elapsed = time.monotonic() - started
    # Then each outcome is a clean article or a refusal with a reason, quickly
    assert elapsed < 30, f"{name} took {elapsed:.1f}s"
    assert results
    failures = [e for _, e in task_env.read_failures() if e.correlation_id == cid]
    events = [e for _, e in task_env.read()]
    check_no_leak(results, failures, [e.model_dump() for e in events])
    for res in results:
        assert res["status"] in ("appended", "unchanged", "failed"), res
        if res["status"] == "failed":
            assert res["reason"] and "Traceback" not in res["reason"], res
    failed = [r for r in results if r["status"] == "failed"]
    if expect != "any":
        assert failed, f"{name} should be refused, got {results}"
        if expect != "reject":
            assert failed[0]["code"] == expect, failed
    # Every refusal is a failure event with the reason; every success an article event
    assert len(failures) == len(failed)
    for ev in failures:
        assert isinstance(ev, IngestionFailed) and ev.data.reason
    appended = [r for r in results if r["status"] == "appended"]
    assert len(events) == len(appended)
    for ev in events:
        body = ev.data.text  # type: ignore[union-attr]
        assert "\0" not in body and "\ufffd" not in ev.data.title  # type: ignore[union-attr]


# --- paths and symlinks ------------------------------------------------------------------------

def test_path_traversal_is_outside_roots(root: Path, task_env: EventStore, run: Ingest) -> None:
    target = root / ("../" * 40 + "etc/passwd")
    results = run.path(str(target), "trav")
    assert results[0]["status"] == "failed" and results[0]["code"] == "outside_roots"
    assert [e.data.code for _, e in task_env.read_failures()] == ["outside_roots"]
    check_no_leak(results, task_env.read_failures())


@pytest.mark.parametrize("target", ["/etc/passwd", "/etc", "/dev/zero", "/proc/self/environ"])
def test_symlink_leaving_roots(target: str, root: Path, task_env: EventStore, run: Ingest) -> None:
    link = root / "innocent.txt"
    link.symlink_to(target)
    results = run.path(str(link), "link")
    assert results[0]["code"] == "outside_roots", results
    assert task_env.read_failures()[0][1].data.code == "outside_roots"  # type: ignore[union-attr]
    check_no_leak(results)


def test_absolute_path_outside_roots(run: Ingest) -> None:
    assert run.path("/etc/hostname", "abs")[0]["code"] == "outside_roots"


@pytest.mark.parametrize("kind", ["loop", "dangling", "directory", "fifo", "missing"])
def test_odd_paths_are_refused(kind: str, root: Path, task_env: EventStore, run: Ingest) -> None:
    p = root / f"odd-{kind}"
    if kind == "loop":
        p.symlink_to(p)
    elif kind == "dangling":
        p.symlink_to(root / "nowhere")
    elif kind == "directory":
        p.mkdir()
    elif kind == "fifo":
        os.mkfifo(p)  # opening it would block the worker forever
    results = run.path(str(p), kind)
    assert results[0]["status"] == "failed" and results[0]["reason"], results
    assert len(task_env.read_failures()) == 1


# --- URLs: SSRF, schemes, redirects, slow and compressed bodies ----------------------------------

SSRF = ["http://10.0.0.1/", "http://192.168.1.1/feed", "http://172.16.0.1/rss",
        "http://169.254.169.254/latest/meta-data/", "http://169.254.1.1/", "http://0.0.0.0/",
        "http://[fd12:3456::1]/", "http://[fe80::1]/", "http://[::ffff:10.0.0.1]/",
        "http://100.64.0.1/", "http://255.255.255.255/"]
SCHEMES = ["file:///etc/passwd", "ftp://ftp.example.com/f.xml", "gopher://127.0.0.1:70/_x",
           "javascript:alert(1)", "data:text/html,<h1>x</h1>", "/etc/passwd", "dict://x:11211/",
           "http://user:pw@example.com/feed"]


@pytest.mark.parametrize("url", SSRF + SCHEMES)
def test_unsafe_urls_are_refused_before_any_io(url: str, settings: Settings) -> None:
    with pytest.raises(FetchRefused) as info:
        fetch(url, settings)
    assert info.value.reason


def test_loopback_refused_and_never_contacted(feed_server: FeedServer,
                                              settings: Settings) -> None:
    # Given a real server on loopback and no allow-list
    feed_server.routes["/f"] = Route(body=rss([("a", "A", BODY)]).encode())
    port = feed_server.port
    for url in (f"http://127.0.0.1:{port}/f", f"http://localhost:{port}/f",
                f"http://[::1]:{port}/f", f"http://127.1:{port}/f",
                f"http://2130706433:{port}/f", f"http://0x7f000001:{port}/f"):
        with pytest.raises((FetchRefused, FetchError)) as info:
            fetch(url, settings)
        assert info.value.reason
    # Then the server saw nothing
    assert feed_server.requests == []


@pytest.fixture
def local(make_settings: Callable[..., Settings], root: Path) -> Settings:
    return make_settings(input_roots=[root], fetch_allow_hosts=["127.0.0.1/32"],
                         fetch_deadline_s=1.0, fetch_timeout_s=2.0, max_body_bytes=64 * 1024,
                         fetch_max_redirects=3)


@pytest.mark.parametrize(("routes", "start", "error", "reason"), [
    ({"/a": ("/b", 302), "/b": ("/a", 302)}, "/a", FetchError, "redirect loop"),
    ({f"/r{i}": (f"/r{i + 1}", 301) for i in range(10)}, "/r0", FetchError, "too many"),
    ({"/p": ("http://10.0.0.1/feed", 302)}, "/p", FetchRefused, "private"),
    ({"/m": ("http://169.254.169.254/latest/", 307)}, "/m", FetchRefused, "link-local"),
    ({"/f": ("file:///etc/passwd", 302)}, "/f", FetchRefused, "only http"),
    ({"/l": ("http://[::1]:1/x", 302)}, "/l", FetchRefused, "loopback"),
])
def test_hostile_redirects(routes: dict[str, tuple[str, int]], start: str, error: type,
                           reason: str, feed_server: FeedServer, local: Settings) -> None:
    for path, (loc, status) in routes.items():
        feed_server.routes[path] = Route(status=status, headers={"Location": loc})
    with pytest.raises(error) as info:
        fetch(feed_server.url(start), local)
    assert reason in info.value.reason


def test_slow_drip_hits_the_deadline(feed_server: FeedServer, local: Settings) -> None:
    feed_server.routes["/slow"] = Route(body=b"x" * 400, drip_s=0.02)
    started = time.monotonic()
    with pytest.raises(FetchError, match="deadline"):
        fetch(feed_server.url("/slow"), local)
    assert time.monotonic() - started < 5


def test_gzip_bomb_over_http(feed_server: FeedServer, local: Settings) -> None:
    feed_server.routes["/bomb"] = Route(body=gzip_bomb(20 * 1024 * 1024),
                                        headers={"Content-Encoding": "gzip"})
    with pytest.raises(TooLarge, match="after decompression"):
        fetch(feed_server.url("/bomb"), local)


def test_lying_content_length(feed_server: FeedServer, local: Settings) -> None:
    feed_server.routes["/big"] = Route(body=b"y" * (local.max_body_bytes + 10))
    with pytest.raises(TooLarge):
        fetch(feed_server.url("/big"), local)


@pytest.mark.parametrize("url", ["http://169.254.169.254/latest/meta-data/", "file:///etc/passwd",
                                 "http://[::1]/feed", "gopher://localhost/"])
def test_unsafe_feed_urls_become_failure_events(url: str, settings: Settings,
                                                store: EventStore) -> None:
    # Through the feed-polling task's code: a failure event, no exception
    from worker.feeds.poll import poll

    result = poll(url, settings, store, correlation_id="ssrf")
    assert result["status"] == "failed" and result["reason"], result
    failures = store.read_failures()
    assert len(failures) == 1
    ev = failures[0][1]
    assert isinstance(ev, IngestionFailed) and ev.correlation_id == "ssrf"
    assert ev.data.code == "fetch_refused"


def test_redirect_loop_feed_becomes_failure_event(feed_server: FeedServer, local: Settings,
                                                  store: EventStore) -> None:
    from worker.feeds.poll import poll

    feed_server.routes["/x"] = Route(status=302, headers={"Location": "/y"})
    feed_server.routes["/y"] = Route(status=302, headers={"Location": "/x"})
    s = EventStore.from_settings(local)
    result = poll(feed_server.url("/x"), local, s, correlation_id="loop")
    assert result["status"] == "failed" and "redirect loop" in result["reason"]
    assert s.read_failures()[0][1].data.code == "fetch_error"  # type: ignore[union-attr]


def test_feed_with_100k_entries(make_settings: Callable[..., Settings]) -> None:
    from worker.feeds.parse import articles_from_feed_bytes

    settings = make_settings()  # default 15 MiB body cap: the feed is ~7 MB

    items = "".join(f"<item><guid>g{i}</guid><title>T{i}</title><description>Body {i}"
                    "</description></item>" for i in range(100_000))
    raw = f'<rss version="2.0"><channel><title>Big</title>{items}</channel></rss>'.encode()
    arts = articles_from_feed_bytes(raw, source=Source(kind="feed", location="http://e.com/f"),
                                    settings=settings)
    assert len(arts) == 100_000
    assert len({a.article_id for a in arts}) == 100_000
