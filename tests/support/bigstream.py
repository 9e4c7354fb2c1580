"""A stream of huge articles, and a TCP proxy that counts the bytes Redis sends through it:
what "a request reads under N bytes from Redis" is measured with (issue 14). The proxy
counts what crosses the wire whatever the client library does with it."""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Iterator
from urllib.parse import urlsplit, urlunsplit

from worker.events.models import Article, Source, content_hash
from worker.store.eventstore import EventStore

MB = 1024 * 1024
BIG_BYTES = 9 * MB  # each article's body, as in the adversarial trial


def big_articles(store: EventStore, n: int = 10, size: int = BIG_BYTES) -> list[str]:
    """Append ``n`` articles of ``size`` bytes of body each; their entry ids."""
    ids = []
    for i in range(n):
        word = f"word{i} "
        para = (word * (size // len(word) + 1))[:size]
        paras = (para,)
        art = Article(title=f"Big {i}", body=paras, word_count=size // 6,
                      source=Source(kind="file", location=f"/in/big{i}.txt"),
                      content_hash=content_hash(f"Big {i}", paras))
        ids.append(store.append(art).entry_id)
    return ids


class CountingProxy:
    """Forwards 127.0.0.1:<port> to Redis and counts the bytes Redis sends back."""

    def __init__(self, redis_url: str) -> None:
        self.upstream = urlsplit(redis_url)
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        creds = self.upstream.netloc.rpartition("@")[0]
        here = f"127.0.0.1:{self.port}"
        self.url = urlunsplit(self.upstream._replace(netloc=f"{creds}@{here}" if creds else here))
        self._lock = threading.Lock()
        self.from_server = 0
        self._stop = False
        self._socks: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def reset(self) -> None:
        with self._lock:
            self.from_server = 0

    def _accept(self) -> None:
        while not self._stop:
            try:
                client, _ = self.server.accept()
            except OSError:
                return
            upstream = socket.create_connection((self.upstream.hostname or "127.0.0.1",
                                                 self.upstream.port or 6379))
            self._socks += [client, upstream]
            threading.Thread(target=self._pump, args=(client, upstream, False),
                             daemon=True).start()
            threading.Thread(target=self._pump, args=(upstream, client, True),
                             daemon=True).start()

    def _pump(self, src: socket.socket, dst: socket.socket, count: bool) -> None:
        with contextlib.suppress(OSError):
            while chunk := src.recv(256 * 1024):
                if count:
                    with self._lock:
                        self.from_server += len(chunk)
                dst.sendall(chunk)
        for s in (src, dst):
            with contextlib.suppress(OSError):
                s.shutdown(socket.SHUT_RDWR)

    def close(self) -> None:
        self._stop = True
        self.server.close()
        for s in self._socks:
            with contextlib.suppress(OSError):
                s.close()


@contextlib.contextmanager
def counting_proxy(redis_url: str) -> Iterator[CountingProxy]:
    proxy = CountingProxy(redis_url)
    try:
        yield proxy
    finally:
        proxy.close()
