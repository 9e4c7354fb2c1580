"""Safe fetching against a real local HTTP server: validators, redirects, limits, SSRF.
(Refusals decided before any I/O are in tests/unit/test_fetch.py.)"""

from __future__ import annotations

import socket
import time
import tracemalloc
from collections.abc import Callable
from email.utils import formatdate
from typing import Any

import pytest

from tests.feedserver import FeedServer, Route, feed_server, gzip_bomb, rss
from worker.errors import FetchError, FetchRefused, TooLarge
from worker.settings import Settings
from worker.sources.fetch import fetch, retry_after

__all__ = ["feed_server"]

FEED = rss([("a", "A", "<p>Alpha</p>")]).encode()


@pytest.fixture
def local(make_settings: Callable[..., Settings]) -> Settings:
    """Settings allowing the test server's address, with small limits."""
    return make_settings(fetch_allow_hosts=["127.0.0.1/32"], max_body_bytes=1024 * 1024,
                         fetch_deadline_s=1.5, fetch_timeout_s=5.0, fetch_max_redirects=3)


def test_connects_to_the_checked_address(monkeypatch: pytest.MonkeyPatch,
                                         feed_server: FeedServer,
                                         make_settings: Callable[..., Settings]) -> None:
    # Given a hostname whose DNS answer is decided by the test (first public, then loopback)
    answers = iter(["127.0.0.1"])
    real = socket.getaddrinfo

    def fake(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        if host == "rebind.example":
            return real(next(answers, "127.0.0.1"), port, *args, **kwargs)
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", fake)
    feed_server.routes["/f"] = Route(FEED)
    url = f"http://rebind.example:{feed_server.port}/f"
    # When the name resolves to loopback at connect time, Then the fetch is refused
    with pytest.raises(FetchRefused, match=r"rebind.example \(127.0.0.1\): loopback"):
        fetch(url, make_settings(fetch_allow_hosts=[]))
    # And when that address is allowed, the socket goes to it with the original Host header
    res = fetch(url, make_settings(fetch_allow_hosts=["127.0.0.0/8"]))
    assert res.content == FEED
    assert feed_server.seen("/f")[-1].headers["host"] == f"rebind.example:{feed_server.port}"


def test_redirect_hops_are_checked_again(feed_server: FeedServer, local: Settings) -> None:
    feed_server.routes["/to-meta"] = Route(status=302, headers={
        "Location": "http://169.254.169.254/latest/meta-data/"})
    feed_server.routes["/to-file"] = Route(status=301, headers={"Location": "file:///etc/passwd"})
    with pytest.raises(FetchRefused, match="link-local"):
        fetch(feed_server.url("/to-meta"), local)
    with pytest.raises(FetchRefused, match="only http and https"):
        fetch(feed_server.url("/to-file"), local)


# --- protocol behaviour ------------------------------------------------------------------

def test_conditional_request_gets_304(feed_server: FeedServer, local: Settings) -> None:
    lm = "Wed, 21 Oct 2015 07:28:00 GMT"
    feed_server.routes["/etag.xml"] = Route(FEED, etag='"v1"', last_modified=lm)
    first = fetch(feed_server.url("/etag.xml"), local)
    assert (first.status, first.etag, first.last_modified, first.content) == (200, '"v1"', lm,
                                                                              FEED)
    second = fetch(feed_server.url("/etag.xml"), local, etag=first.etag,
                   last_modified=first.last_modified)
    assert second.not_modified and second.status == 304 and second.content == b""
    sent = feed_server.seen("/etag.xml")[-1].headers
    assert sent["if-none-match"] == '"v1"' and sent["if-modified-since"] == lm
    assert sent["user-agent"] == local.user_agent


def test_retry_after_seconds_and_http_date(feed_server: FeedServer, local: Settings) -> None:
    feed_server.routes["/busy"] = Route(status=429, headers={"Retry-After": "120"})
    when = formatdate(time.time() + 600, usegmt=True)
    feed_server.routes["/down"] = Route(status=503, headers={"Retry-After": when})
    with pytest.raises(FetchError) as busy:
        fetch(feed_server.url("/busy"), local)
    assert busy.value.status == 429 and busy.value.retry_after_s == 120
    with pytest.raises(FetchError) as down:
        fetch(feed_server.url("/down"), local)
    assert down.value.status == 503
    assert down.value.retry_after_s is not None and 590 <= down.value.retry_after_s <= 600
    assert retry_after("garbage") is None


def test_permanent_and_temporary_redirects(feed_server: FeedServer, local: Settings) -> None:
    feed_server.routes["/new.xml"] = Route(FEED)
    feed_server.routes["/moved"] = Route(status=301, headers={"Location": "/new.xml"})
    feed_server.routes["/found"] = Route(status=302, headers={"Location": "/new.xml"})
    feed_server.routes["/both"] = Route(status=301, headers={"Location": "/found"})
    moved = fetch(feed_server.url("/moved"), local)
    assert moved.permanent_redirect_to == feed_server.url("/new.xml") and moved.content == FEED
    found = fetch(feed_server.url("/found"), local)
    assert found.permanent_redirect_to is None and found.url == feed_server.url("/new.xml")
    assert fetch(feed_server.url("/both"), local).permanent_redirect_to is None


def test_a_cookie_set_by_a_redirect_goes_with_the_next_hop(feed_server: FeedServer,
                                                          local: Settings) -> None:
    # Given a cookie wall: a 302 that sets a cookie and sends the client to the feed
    feed_server.routes["/wall"] = Route(status=302, headers={
        "Location": "/behind.xml", "Set-Cookie": "consent=yes; Path=/"})
    feed_server.routes["/behind.xml"] = Route(FEED)
    # When fetched, Then the hop behind the wall carries the cookie and the request keeps
    # the headers it always had
    assert fetch(feed_server.url("/wall"), local).content == FEED
    sent = feed_server.seen("/behind.xml")[-1].headers
    assert sent["cookie"] == "consent=yes"
    assert (sent["connection"], sent["accept-encoding"]) == ("keep-alive", "gzip, deflate")
    assert sent["host"] == f"127.0.0.1:{feed_server.port}"


def test_redirect_loop_and_limit(feed_server: FeedServer, local: Settings) -> None:
    feed_server.routes["/loop1"] = Route(status=302, headers={"Location": "/loop2"})
    feed_server.routes["/loop2"] = Route(status=302, headers={"Location": "/loop1"})
    for i in range(6):
        feed_server.routes[f"/hop{i}"] = Route(status=307, headers={"Location": f"/hop{i + 1}"})
    with pytest.raises(FetchError, match="redirect loop"):
        fetch(feed_server.url("/loop1"), local)
    with pytest.raises(FetchError, match="too many redirects"):
        fetch(feed_server.url("/hop0"), local)


def test_slow_drip_hits_the_deadline(feed_server: FeedServer, local: Settings) -> None:
    # Given a server trickling a feed one byte every 50 ms (each read is "fast enough")
    feed_server.routes["/drip"] = Route(FEED, drip_s=0.05)
    started = time.monotonic()
    with pytest.raises(FetchError, match="deadline exceeded"):
        fetch(feed_server.url("/drip"), local)
    assert time.monotonic() - started < local.fetch_deadline_s + 3


def test_oversized_body_is_refused(feed_server: FeedServer, local: Settings) -> None:
    big = b"x" * (local.max_body_bytes + 10)
    feed_server.routes["/big"] = Route(big)
    feed_server.routes["/big-chunked"] = Route(big, content_length=False)
    for path in ("/big", "/big-chunked"):
        with pytest.raises(TooLarge, match="cap"):
            fetch(feed_server.url(path), local)


def test_gzip_bomb_is_refused_without_inflating_it(feed_server: FeedServer,
                                                   local: Settings) -> None:
    # Given 50 MB of zeros, gzipped (~50 KB on the wire), with a 1 MiB body cap
    feed_server.routes["/bomb"] = Route(gzip_bomb(), headers={"Content-Encoding": "gzip"})
    tracemalloc.start()
    try:
        with pytest.raises(TooLarge, match="after decompression"):
            fetch(feed_server.url("/bomb"), local)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # Then memory stays near the cap, far below the 50 MB it would inflate to
    assert peak < 8 * local.max_body_bytes


def test_gzip_body_is_decoded(feed_server: FeedServer, local: Settings) -> None:
    import gzip

    feed_server.routes["/gz"] = Route(gzip.compress(FEED), headers={"Content-Encoding": "gzip"})
    assert fetch(feed_server.url("/gz"), local).content == FEED


def test_http_error_and_connection_refused(feed_server: FeedServer, local: Settings) -> None:
    with pytest.raises(FetchError) as missing:
        fetch(feed_server.url("/nope"), local)
    assert missing.value.status == 404 and missing.value.retry_after_s is None
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    with pytest.raises(FetchError, match="request failed"):
        fetch(f"http://127.0.0.1:{port}/", local)


# --- pooled connections ---------------------------------------------------------------------

@pytest.fixture
def keepalive_server() -> Any:
    """HTTP/1.1 keep-alive server recording each request's client port; /drip trickles."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    ports: list[int] = []

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            pass

        def do_GET(self) -> None:
            ports.append(self.client_address[1])
            self.send_response(200)
            self.send_header("Content-Length", str(len(FEED)))
            self.end_headers()
            drip = self.path == "/drip"
            try:
                for chunk in [FEED[i:i + 1] for i in range(len(FEED))] if drip else [FEED]:
                    self.wfile.write(chunk)
                    time.sleep(0.05 if drip else 0)
            except OSError:  # the client gave up (deadline)
                self.close_connection = True

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield httpd.server_address[1], ports
    httpd.shutdown()
    httpd.server_close()


def test_connections_are_reused_only_under_the_same_policy(
        keepalive_server: Any, make_settings: Callable[..., Settings]) -> None:
    port, ports = keepalive_server
    url = f"http://localhost:{port}/feed"
    allowed = make_settings(fetch_allow_hosts=["localhost"], fetch_deadline_s=1.0)
    # Given two fetches under one policy: the second reuses the checked connection
    assert fetch(url, allowed).content == FEED
    assert fetch(url, allowed).content == FEED
    assert len(ports) == 2 and ports[0] == ports[1]
    # When the policy no longer allows the host, the pooled connection is not used: the
    # name is resolved and refused again
    with pytest.raises(FetchRefused, match="loopback"):
        fetch(url, make_settings(fetch_allow_hosts=[]))
    assert len(ports) == 2
    # And a trickling response on a pooled connection still hits the total deadline,
    # after which the next fetch starts from a fresh connection
    assert fetch(url, allowed).content == FEED
    with pytest.raises(FetchError, match="deadline exceeded"):
        fetch(f"http://localhost:{port}/drip", allowed)
    assert fetch(url, allowed).content == FEED
    assert ports[-2] == ports[-3] != ports[-1]  # the drip ran on a pooled connection
