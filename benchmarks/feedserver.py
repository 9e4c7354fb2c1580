"""A local HTTP/1.1 feed server for ``feed_polls``, run as its own process (so it does not
share the poller's GIL): ``python -m benchmarks.feedserver PORT NFEEDS``.

``/feed/<k>`` serves a small RSS feed with ETag ``"k-v1"`` and answers 304 to a matching
``If-None-Match``; every 20th feed changes on each request (new ETag, 200).
"""

from __future__ import annotations

import socket
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from benchmarks.data import rss_feed


def main(port: int, nfeeds: int) -> None:
    bodies = {k: rss_feed(5, feed_no=1000 + k, para_bytes=100) for k in range(nfeeds)}
    hits = {"n": 0}

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:
            pass

        def setup(self) -> None:
            super().setup()
            # Headers and body go out in two writes: with Nagle on, the body waits for the
            # client's delayed ACK (~40 ms) on a kept-alive connection, which punished
            # exactly the clients that reuse connections (ours and the baseline alike).
            self.request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

        def do_GET(self) -> None:
            try:
                k = int(self.path.rsplit("/", 1)[-1])
                body = bodies[k]
            except (ValueError, KeyError):
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            hits["n"] += 1
            etag = f'"{k}-n{hits["n"]}"' if k % 20 == 0 else f'"{k}-v1"'
            if self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.send_header("ETag", etag)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.send_header("ETag", etag)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    httpd = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    httpd.daemon_threads = True
    print("ready", flush=True)
    httpd.serve_forever()


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]))
