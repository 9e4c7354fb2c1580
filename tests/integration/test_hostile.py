"""Hostile-input corpus: every input is refused with a clear reason or becomes a clean
article; refusals become ``ingestion.failed`` events; nothing leaks and the worker stays up.

Files go through the task path in-process (``worker.tasks.ingest.Ingest.path``), URLs through
``worker.sources.fetch.fetch`` and ``worker.feeds.poll.poll``, and one batch through a real Celery
worker process that must then still ingest a good file. (More HTTP abuse — 304s, Retry-After,
TLS — is in tests/test_fetch.py.)
"""

from __future__ import annotations

import gzip
import os
import random
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Proc, settings_env, wait_until, worker_argv
from tests.feedserver import FeedServer, Route, feed_server, gzip_bomb, rss
from worker.errors import FetchError, FetchRefused, RejectedInput, TooLarge
from worker.events.models import IngestionFailed, Source
from worker.settings import Settings
from worker.sources.fetch import fetch
from worker.store.eventstore import EventStore
from worker.tasks.ingest import Ingest

__all__ = ["feed_server"]

MAX_FILE = 64 * 1024
PASSWD_MARKERS = ("root:x:0:0", "/bin/bash", "/usr/sbin/nologin", "daemon:")
BODY = ("The council met on Tuesday to discuss the new budget for the coming year. "
        "Members argued about road repairs, school funding and the library hours.")


@pytest.fixture
def root(tmp_path: Path) -> Path:
    r = tmp_path / "in"
    r.mkdir()
    return r


@pytest.fixture
def settings(make_settings: Callable[..., Settings], root: Path) -> Settings:
    """Small file cap, confined to ``root``; no fetch allow-list (SSRF rules in force)."""
    return make_settings(input_roots=[root], max_file_bytes=MAX_FILE, fetch_allow_hosts=[],
                         fetch_deadline_s=1.0, fetch_timeout_s=2.0, max_body_bytes=256 * 1024)


@pytest.fixture
def task_env(settings: Settings, store: EventStore) -> EventStore:
    """Run the real task code in-process against ``settings`` (same Redis, same scripts)."""
    return store


@pytest.fixture
def run(settings: Settings, task_env: EventStore) -> Ingest:
    """What the ingest tasks run, in-process against ``settings`` and its store."""
    return Ingest(settings, task_env)


def _billion_laughs(root_tag: bytes) -> bytes:
    ents = b"".join(b'<!ENTITY l%d "%s">' % (i, (b"&l%d;" % (i - 1)) * 10) for i in range(1, 10))
    return (b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY l0 "lol">' + ents + b"]>" + root_tag)


XXE_DTD = b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
XXE_PARAM = (b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY % p SYSTEM "file:///etc/passwd"> '
             b"%p;]>")
rng = random.Random(9)

# name, file name, bytes, expectation: "reject" (any RejectedInput), a code, or "any"
# (a clean article is as good as a clear refusal: e.g. UTF-16 without BOM may be decoded).
FILES: list[tuple[str, str, bytes, str]] = [
    ("empty", "a.txt", b"", "empty"),
    ("whitespace", "a.txt", b"  \n\t\r\n \x0b\x0c ", "empty"),
    ("only-nuls", "a.txt", b"\0" * 4096, "reject"),
    ("png", "a.txt", b"\x89PNG\r\n\x1a\n" + rng.randbytes(300), "binary"),
    ("zip", "a.txt", b"PK\x03\x04" + rng.randbytes(300), "binary"),
    ("elf", "a", b"\x7fELF\x02\x01\x01" + rng.randbytes(300), "binary"),
    ("gzip", "a.txt", gzip.compress(BODY.encode()), "reject"),
    ("pdf", "a.txt", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + rng.randbytes(300), "reject"),
    ("random", "a.txt", rng.randbytes(4096), "reject"),
    ("html-binary", "a.html", rng.randbytes(4096), "reject"),
    ("huge", "a.txt", b"word " * (MAX_FILE // 5 + 10), "too_large"),
    ("huge-feed", "a.xml", b"<rss>" + b"x" * MAX_FILE + b"</rss>", "too_large"),
    ("invalid-utf8", "a.txt", b"Budget row\n\n" + BODY.encode() + b" \xc3\x28 \xa0\xa1 \xff",
     "any"),
    ("mixed-encodings", "a.txt", "Caf\u00e9 budget\n\n".encode() + BODY.encode("latin-1")
     + " na\u00efve d\u00e9j\u00e0".encode("latin-1"), "any"),
    ("utf16-le-no-bom", "a.txt", ("Budget row\n\n" + BODY).encode("utf-16-le"), "any"),
    ("utf16-be-no-bom", "a.txt", ("Budget row\n\n" + BODY).encode("utf-16-be"), "any"),
    ("utf32-no-bom", "a.txt", ("Budget row\n\n" + BODY).encode("utf-32-le"), "any"),
    ("nul-in-text", "a.txt", ("Budget row\n\n" + BODY).encode().replace(b" ", b"\0 ", 5),
     "any"),
    ("control-chars", "a.txt", b"Budget\x1b[31m row\x07\n\n" + BODY.encode() + b"\x1b]0;x\x07",
     "any"),
    ("zero-width-only", "a.txt", "\u200b\u200c\u200d\ufeff\u2060 \u00ad\n".encode() * 50,
     "reject"),
    ("bidi-override", "a.txt", ("\u202eBudget row\u202c\n\n" + BODY).encode(), "any"),
    ("long-line", "a.txt", b"x" * 60_000, "any"),
    ("nested-divs-100k", "a.html",
     b"<html><body>" + b"<div>" * 100_000 + b"<p>" + BODY.encode() + b"</p>"
     + b"</div>" * 100_000 + b"</body></html>", "reject"),
    ("unclosed-tags-100k", "a.html", b"<b><i>" * 50_000 + BODY.encode(), "any"),
    ("billion-laughs-feed", "a.xml", _billion_laughs(
        b'<rss version="2.0"><channel><title>&l9;</title><item><title>A &l9;</title>'
        b"<description>" + BODY.encode() + b" &l9;</description>"
        b"<link>http://news.example.com/a</link></item></channel></rss>"), "any"),
    ("billion-laughs-xhtml", "a.html", _billion_laughs(
        b"<html><body><h1>&l9;</h1><p>" + BODY.encode() + b" &l9;</p></body></html>"), "any"),
    ("xxe-feed", "a.rss", XXE_DTD + b'<rss version="2.0"><channel><title>T &xxe;</title>'
     b"<item><title>Leak &xxe;</title><description>" + BODY.encode() + b" &xxe;</description>"
     b"<link>http://news.example.com/b</link></item></channel></rss>", "any"),
    ("xxe-atom", "a.atom", XXE_DTD + b'<feed xmlns="http://www.w3.org/2005/Atom"><title>&xxe;'
     b"</title><entry><id>x1</id><title>&xxe;</title><content>" + BODY.encode()
     + b"&xxe;</content></entry></feed>", "any"),
    ("xxe-parameter-entity", "a.xml", XXE_PARAM + b'<rss version="2.0"><channel><item>'
     b"<title>P</title><description>" + BODY.encode() + b"</description></item></channel></rss>",
     "any"),
    ("xxe-xhtml", "a.html", XXE_DTD + b"<html><body><h1>Title &xxe;</h1><p>" + BODY.encode()
     + b" &xxe;</p></body></html>", "any"),
    ("xinclude", "a.html", b'<html xmlns:xi="http://www.w3.org/2001/XInclude"><body><h1>Inc</h1>'
     b'<xi:include href="file:///etc/passwd" parse="text"/><p>' + BODY.encode()
     + b"</p></body></html>", "any"),
    ("malformed-dates-text", "a.txt", b"Budget row\nPublished: 31/02/2021 99:99 +9999\n"
     b"Updated: yesterday-ish\n\n" + BODY.encode(), "any"),
    ("malformed-dates-feed", "a.xml", b'<rss version="2.0"><channel><item><guid>d1</guid>'
     b"<title>Dates</title><pubDate>Mon, 99 Foo 99999 25:61:61 +9900</pubDate>"
     b"<description>" + BODY.encode() + b"</description></item><item><guid>d2</guid>"
     b"<title>Dates 2</title><pubDate>0000-00-00T00:00:00Z</pubDate><description>"
     + BODY.encode() + b"</description></item></channel></rss>", "any"),
    ("malformed-json", "a.json", b'{"title": "Budget", "body": [' + BODY.encode(), "any"),
    ("deep-json", "a.json", b"[" * 100_000 + b"]" * 100_000, "reject"),
    ("feed-no-items", "a.xml", b'<rss version="2.0"><channel><title>Nothing</title>'
     b"</channel></rss>", "reject"),
    ("truncated-feed", "a.xml", b'<rss version="2.0"><channel><item><guid>t1</guid><title>'
     b"Trunc</title><description>" + BODY.encode()[:60], "any"),
    ("json-feed-garbage", "a.json", b'{"version": "https://jsonfeed.org/version/1.1", '
     b'"items": [1, null, "x", {"id": []}, {"content_html": {"a": 1}}]}', "any"),
]


def _check_no_leak(*blobs: Any) -> None:
    for blob in blobs:
        text = str(blob)
        for marker in PASSWD_MARKERS:
            assert marker not in text, f"/etc/passwd content leaked: {marker!r}"


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
    _check_no_leak(results, failures, [e.model_dump() for e in events])
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
    _check_no_leak(results, task_env.read_failures())


@pytest.mark.parametrize("target", ["/etc/passwd", "/etc", "/dev/zero", "/proc/self/environ"])
def test_symlink_leaving_roots(target: str, root: Path, task_env: EventStore, run: Ingest) -> None:
    link = root / "innocent.txt"
    link.symlink_to(target)
    results = run.path(str(link), "link")
    assert results[0]["code"] == "outside_roots", results
    assert task_env.read_failures()[0][1].data.code == "outside_roots"  # type: ignore[union-attr]
    _check_no_leak(results)


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


def test_every_rejection_has_a_reason() -> None:
    # The error type itself insists on a reason string (what operators see)
    exc = RejectedInput("no articles found", location="/x")
    assert str(exc) == "/x: no articles found"


# --- a real worker process survives the hostile batch -------------------------------------------

@pytest.fixture
def hostile_worker(settings: Settings, spawn: Callable[..., Proc]) -> Iterator[Proc]:
    env = {**settings_env(settings), "NEWSWORKER_MAX_FILE_BYTES": str(MAX_FILE),
           "NEWSWORKER_FETCH_ALLOW_HOSTS": "[]"}
    proc = spawn(worker_argv(settings, concurrency=1), env, name="celery-hostile")
    wait_until(lambda: "ready." in proc.output() or (proc.proc and proc.proc.poll() is not None),
               timeout=60, message="celery worker ready")
    yield proc
    proc.stop()


@pytest.mark.e2e
def test_real_worker_survives_hostile_batch(root: Path, settings: Settings, store: EventStore,
                                            hostile_worker: Proc, celery_app: Any) -> None:
    # Given the whole corpus written under the input root, plus escapes
    paths = []
    for name, fname, raw, _ in FILES:
        p = root / f"{name}-{fname}"
        p.write_bytes(raw)
        paths.append(str(p))
    (root / "escape.txt").symlink_to("/etc/passwd")
    paths += [str(root / "escape.txt"), str(root / ("../" * 40 + "etc/shadow"))]
    # When it is submitted as one batch and as single tasks
    batch = celery_app.send_task("newsworker.ingest_files", args=[paths],
                                 queue=settings.ingest_queue)
    singles = [celery_app.send_task("newsworker.ingest_file", args=[p],
                                    queue=settings.ingest_queue) for p in paths[:5]]
    out = batch.get(timeout=90)
    for s in singles:
        s.get(timeout=30)
    # Then every input has an outcome, refusals are failure events, nothing leaked
    assert len([r for r in out["results"] if r["status"] == "failed"]) >= 15
    _check_no_leak(out, store.read_failures())
    assert hostile_worker.proc is not None and hostile_worker.proc.poll() is None
    # And the same worker still ingests a good file
    good = root / f"good-{uuid.uuid4().hex[:6]}.txt"
    good.write_text("Library hours extended\n\n" + BODY)
    res = celery_app.send_task("newsworker.ingest_file", args=[str(good)],
                               queue=settings.ingest_queue).get(timeout=30)
    assert res["status"] == "appended", res
    assert "Traceback" not in hostile_worker.output()
