"""A real HTTP server on 127.0.0.1 (random port) serving feeds and misbehaving on purpose.

Routes are plain data (``Route``) and can be swapped while the server runs; every request's
path and headers are recorded so tests can assert conditional requests.
"""

from __future__ import annotations

import gzip
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    etag: str | None = None
    last_modified: str | None = None
    drip_s: float = 0.0  # delay between single bytes of the body
    content_length: bool = True


@dataclass
class Seen:
    path: str
    headers: dict[str, str]


class FeedServer:
    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[Seen] = []
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def seen(self, path: str) -> list[Seen]:
        return [r for r in self.requests if r.path == path]

    def start(self) -> FeedServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def _handler(server: FeedServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:  # quiet
            pass

        def do_GET(self) -> None:
            server.requests.append(Seen(self.path, {k.lower(): v for k, v in
                                                    self.headers.items()}))
            route = server.routes.get(self.path)
            if route is None:
                self._send(404, {}, b"not found")
                return
            inm = self.headers.get("If-None-Match")
            ims = self.headers.get("If-Modified-Since")
            validators = {}
            if route.etag:
                validators["ETag"] = route.etag
            if route.last_modified:
                validators["Last-Modified"] = route.last_modified
            if (route.etag and inm == route.etag) or (
                    not route.etag and route.last_modified and ims == route.last_modified):
                self._send(304, validators, b"")
                return
            self._send(route.status, {**route.headers, **validators}, route.body,
                       route.drip_s, route.content_length)

        def _send(self, status: int, headers: dict[str, str], body: bytes,
                  drip_s: float = 0.0, content_length: bool = True) -> None:
            try:
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                if content_length and status != 304:
                    self.send_header("Content-Length", str(len(body)))
                if not content_length:
                    self.send_header("Connection", "close")
                self.end_headers()
                if drip_s:
                    for i in range(len(body)):
                        self.wfile.write(body[i:i + 1])
                        self.wfile.flush()
                        time.sleep(drip_s)
                elif body:
                    self.wfile.write(body)
                if not content_length:
                    self.close_connection = True
            except (BrokenPipeError, ConnectionResetError):
                pass

    return Handler


def gzip_bomb(size: int = 50 * 1024 * 1024) -> bytes:
    """``size`` zero bytes gzipped (~50 KB on the wire for 50 MB)."""
    return gzip.compress(b"\0" * size, compresslevel=9)


def rss(items: list[tuple[str, str, str]], *, title: str = "Test feed",
        encoding: str = "utf-8") -> str:
    """RSS 2.0 text from (guid, title, html description) triples."""
    from xml.sax.saxutils import escape

    body = "".join(
        f"<item><guid isPermaLink=\"false\">{escape(g)}</guid><title>{escape(t)}</title>"
        f"<link>http://news.example.com/{escape(g)}</link>"
        f"<description>{escape(d)}</description>"
        f"<pubDate>Mon, 06 Sep 2021 16:45:00 GMT</pubDate></item>" for g, t, d in items)
    return (f'<?xml version="1.0" encoding="{encoding}"?><rss version="2.0"><channel>'
            f"<title>{escape(title)}</title><link>http://news.example.com/</link>{body}"
            "</channel></rss>")


@pytest.fixture
def feed_server() -> Iterator[FeedServer]:
    srv = FeedServer().start()
    yield srv
    srv.stop()
