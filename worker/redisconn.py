"""Redis clients and the one bytes -> str helper every layer uses on Redis replies.

Clients come from :func:`connect` so every process gets the same timeouts and health checks;
nothing here connects until a command runs.
"""

from __future__ import annotations

import ipaddress
import logging
import socket
import threading
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any

import redis

log = logging.getLogger(__name__)

__all__ = ["BoundedLookupConnection", "BoundedLookupSSLConnection", "connect", "lookup",
           "send_blind", "to_str"]

# Host-name lookups in flight, shared: while a name server does not answer, every caller
# waits on the one lookup instead of starting a thread of its own.
_lookups: dict[tuple[str, int], Future[list[str]]] = {}
_lookups_lock = threading.Lock()


def _resolve(key: tuple[str, int], fut: Future[list[str]]) -> None:
    try:
        infos = socket.getaddrinfo(key[0], key[1], 0, socket.SOCK_STREAM)
        fut.set_result(list(dict.fromkeys(str(info[4][0]) for info in infos)))
    except OSError as exc:
        fut.set_exception(exc)
    finally:
        with _lookups_lock:
            _lookups.pop(key, None)


def lookup(host: str, port: int, timeout_s: float) -> list[str]:
    """The addresses of ``host``, or ``TimeoutError`` after ``timeout_s``: getaddrinfo itself
    cannot be interrupted, so it runs in a thread that is left to finish on its own."""
    key = (host, port)
    with _lookups_lock:
        fut = _lookups.get(key)
        if fut is None:
            fut = _lookups[key] = Future()
            threading.Thread(target=_resolve, args=(key, fut), name="redis-lookup",
                             daemon=True).start()
    try:
        return fut.result(timeout_s)
    except FutureTimeout:
        raise TimeoutError(f"looking up {host} took over {timeout_s:g} s") from None


def is_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


class BoundedLookupConnection(redis.Connection):  # type: ignore[misc]
    """A TCP connection whose host-name lookup is bounded by ``socket_connect_timeout`` too.

    redis-py bounds the TCP connect, not getaddrinfo: with Compose's Redis stopped, Docker's
    DNS took 10 s to fail, and every API request waited for it. Each resolved address is tried
    in turn, as redis-py does (``localhost`` may name ::1 before 127.0.0.1)."""

    def _connect(self) -> socket.socket:
        host = str(self.host)  # type: ignore[has-type]
        timeout = self.socket_connect_timeout
        sock: socket.socket
        if not timeout or is_address(host):
            sock = super()._connect()
            return sock
        err: OSError = OSError(f"no address for {host}")
        for address in lookup(host, self.port, timeout):
            self.host = address  # redis-py connects to self.host; restored at once
            try:
                sock = super()._connect()
                return sock
            except OSError as exc:
                err = exc
            finally:
                self.host = host
        raise err


class BoundedLookupSSLConnection(redis.SSLConnection, BoundedLookupConnection):  # type: ignore[misc]
    """``rediss://``: SSLConnection's connect calls the bounded TCP connect above (the method
    order puts it between the two), then wraps the socket once the host *name* is back, so
    TLS checks the certificate against the name, not the address."""


def resp(args: tuple[str, ...]) -> bytes:
    """One command in Redis's wire protocol."""
    out = [b"*%d\r\n" % len(args)]
    for arg in args:
        raw = arg.encode()
        out.append(b"$%d\r\n%s\r\n" % (len(raw), raw))
    return b"".join(out)


def send_blind(url: str, commands: list[tuple[str, ...]], timeout_s: float) -> None:
    """Hand ``commands`` to the Redis at ``url`` (redis:// only) in one write, AUTH and SELECT
    first, without waiting for an answer before sending: a hung Redis (SIGSTOP) has its kernel
    accept the connection and runs them, in order, as soon as it resumes. Waits up to
    ``timeout_s`` for the answers afterwards only so that the close is a clean one."""
    opts = redis.connection.parse_url(url)
    host, port = str(opts.get("host") or "localhost"), int(opts.get("port") or 6379)
    first: list[tuple[str, ...]] = []
    if opts.get("password"):
        user = opts.get("username")
        first.append(("AUTH", user, opts["password"]) if user else ("AUTH", opts["password"]))
    if opts.get("db"):
        first.append(("SELECT", str(opts["db"])))
    address = host if is_address(host) else lookup(host, port, timeout_s)[0]
    with socket.create_connection((address, port), timeout=timeout_s) as sock:
        sock.sendall(b"".join(resp(c) for c in first + commands))
        sock.shutdown(socket.SHUT_WR)
        try:
            while sock.recv(4096):
                pass
        except OSError:
            pass  # no answer in time: what was sent is in the server's buffer all the same


def connect(url: str, **kwargs: Any) -> redis.Redis:
    """A Redis client for ``url`` (redis://, rediss:// with TLS, unix://; AUTH in the URL).

    Over TCP and TLS, ``socket_connect_timeout`` bounds the host-name lookup too."""
    kwargs.setdefault("health_check_interval", 30)
    kwargs.setdefault("socket_connect_timeout", 5)
    kwargs.setdefault("retry_on_timeout", True)
    if url.startswith("redis://"):
        kwargs.setdefault("connection_class", BoundedLookupConnection)
    elif url.startswith("rediss://"):
        kwargs.setdefault("connection_class", BoundedLookupSSLConnection)
    return redis.Redis.from_url(url, **kwargs)


def to_str(value: Any) -> str:
    """A Redis reply (bytes, str, int or None) as text.

    Invalid UTF-8 is replaced, never raised: stream entries are written by anyone with XADD
    access, and a UnicodeDecodeError must not escape a consumer or a status page.
    """
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return "" if value is None else str(value)
