"""Where fetches may connect, and the pooled connections that do it.

``AddressPolicy`` decides which hosts/addresses may be contacted. ``GuardedBackend``
resolves inside the connection, checks every address and dials the checked one (DNS
pinning by construction). Each thread keeps one ``Session`` (client + pool) per allow-list:
a pooled connection is only reused for the same scheme/host/port, so it always goes to an
address that was checked when it was dialled. ``watchdog`` is one shared thread that
enforces every fetch's total deadline by shutting that fetch's sockets down.
"""

from __future__ import annotations

import contextlib
import functools
import ipaddress
import logging
import os
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

import httpcore
import httpx

from worker.errors import FetchError, FetchRefused
from worker.settings import Settings

log = logging.getLogger(__name__)

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


# --- address policy -------------------------------------------------------------------------

def _forbidden_kind(ip: IPAddress) -> str | None:
    """Why ``ip`` may not be fetched, or None when it is a public unicast address."""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return "IPv4-mapped"
    checks = (("unspecified", ip.is_unspecified), ("loopback", ip.is_loopback),
              ("link-local", ip.is_link_local), ("multicast", ip.is_multicast),
              ("private", ip.is_private), ("reserved", ip.is_reserved))
    for name, hit in checks:
        if hit:
            return name
    if not ip.is_global:  # shared address space 100.64/10, 6to4/teredo oddities, ...
        return "non-global"
    return None


class AddressPolicy:
    """Decides whether a host (and each address it resolves to) may be contacted."""

    def __init__(self, allow: Iterable[str]) -> None:
        self.hosts: set[str] = set()
        self.nets: list[ipaddress.IPv4Network | ipaddress.IPv6Network] = []
        for item in allow:
            item = item.strip().lower()
            try:
                self.nets.append(ipaddress.ip_network(item, strict=False))
            except ValueError:
                self.hosts.add(item.rstrip("."))

    def host_allowed(self, host: str) -> bool:
        """Exact hostname, or a ``.example.com`` / ``*.example.com`` entry for subdomains."""
        host = host.lower().rstrip(".").strip("[]")
        if host in self.hosts:
            return True
        return any(host.endswith(h.lstrip("*")) for h in self.hosts if h.startswith((".", "*.")))

    def check_address(self, host: str, ip: IPAddress) -> None:
        if self.host_allowed(host) or any(ip in net for net in self.nets):
            return
        kind = _forbidden_kind(ip)
        if kind is not None:
            shown = host if host == str(ip) else f"{host} ({ip})"
            raise FetchRefused(f"refusing to fetch {shown}: {kind} address")

    def resolve(self, host: str, port: int) -> list[IPAddress]:
        """Resolve and check every address; refuse the host if any address is forbidden."""
        bare = host.strip("[]")
        try:
            literal: IPAddress | None = ipaddress.ip_address(bare)
        except ValueError:
            literal = None
        if literal is not None:
            self.check_address(bare, literal)
            return [literal]
        try:
            infos = socket.getaddrinfo(bare, port, type=socket.SOCK_STREAM)
        except (socket.gaierror, UnicodeError, OSError) as exc:
            raise FetchError(f"cannot resolve host {bare}: {exc}") from None
        out: list[IPAddress] = []
        for info in infos:
            ip = ipaddress.ip_address(str(info[4][0]).split("%", 1)[0])
            self.check_address(bare, ip)  # one bad answer refuses the host: no mixing
            if ip not in out:
                out.append(ip)
        if not out:
            raise FetchError(f"host {bare} has no addresses")
        return out


class GuardedBackend(httpcore.SyncBackend):
    """Resolves, checks, then connects to the checked address (DNS pinning by construction).

    TLS still verifies the certificate against the URL's hostname: httpcore passes the
    origin host as ``server_hostname`` to ``start_tls``, not the address we dialled.
    Opened sockets are remembered so the deadline watchdog can shut them down.
    """

    def __init__(self, policy: AddressPolicy) -> None:
        self.policy = policy
        self.sockets: list[socket.socket] = []
        self.lock = threading.Lock()
        self.expired = False
        self.generation = 0  # one per fetch: a late watchdog must not hit the next fetch

    def begin(self) -> int:
        with self.lock:
            self.generation += 1
            self.expired = False
            self.sockets = [s for s in self.sockets if s.fileno() != -1]  # drop closed ones
            return self.generation

    def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                    local_address: str | None = None,
                    socket_options: Iterable[Any] | None = None) -> httpcore.NetworkStream:
        last: Exception | None = None
        for ip in self.policy.resolve(host, port):
            if self.expired:
                break
            try:
                stream = super().connect_tcp(str(ip), port, timeout, local_address,
                                             socket_options)
            except httpcore.ConnectError as exc:
                last = exc
                continue
            sock = stream.get_extra_info("socket")
            with self.lock:
                self.sockets.append(sock)
            if self.expired:  # the watchdog fired while we were connecting
                _shutdown(sock)
            return stream
        raise last or httpcore.ConnectError(f"could not connect to {host}")

    def expire(self, generation: int | None = None) -> None:
        with self.lock:
            if generation is not None and generation != self.generation:
                return  # that fetch is over
            self.expired = True
            for sock in self.sockets:
                _shutdown(sock)


def _shutdown(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)  # unblocks a recv() in the fetching thread


@functools.lru_cache(maxsize=1)
def _ssl_context() -> ssl.SSLContext:
    """Loading the CA bundle costs ~20 ms: once per process (contexts are thread-safe)."""
    return httpx.create_ssl_context()


class _GuardedTransport(httpx.HTTPTransport):
    def __init__(self, backend: GuardedBackend) -> None:
        ctx = _ssl_context()
        super().__init__(verify=ctx, trust_env=False)
        # httpx has no public hook for the network backend; the pool is rebuilt with ours.
        self._pool = httpcore.ConnectionPool(ssl_context=ctx, max_connections=4,
                                             network_backend=backend)


class Session:
    """One thread's transport (its pool keeps connections alive between fetches) and cookie
    jar. Fetches send through the transport itself: httpx.Client's per-request work
    (header/cookie merging, redirect bookkeeping) cost more CPU than a 304 exchange."""

    def __init__(self, allow: tuple[str, ...]) -> None:
        self.allow, self.pid = allow, os.getpid()
        self.policy = AddressPolicy(allow)
        self.backend = GuardedBackend(self.policy)
        self.transport: httpx.BaseTransport = _GuardedTransport(self.backend)
        self.cookies = httpx.Cookies()

    def send(self, request: httpx.Request) -> httpx.Response:
        """One exchange, no redirects followed; the caller closes the response. Cookies are
        kept per session as httpx.Client kept them (a redirect hop may need the cookie
        its 3xx set)."""
        if self.cookies:
            self.cookies.set_cookie_header(request)
        response = self.transport.handle_request(request)
        response.request = request
        if "set-cookie" in response.headers:
            self.cookies.extract_cookies(response)
        return response

    def close(self) -> None:
        self.backend.expire()
        with contextlib.suppress(Exception):
            self.transport.close()


_local = threading.local()


def session(settings: Settings) -> Session:
    allow = tuple(settings.fetch_allow_hosts)
    sess: Session | None = getattr(_local, "session", None)
    if sess is not None and (sess.allow != allow or sess.pid != os.getpid()):
        if sess.pid == os.getpid():
            sess.close()
        sess = None  # a forked child never touches its parent's sockets
    if sess is None:
        sess = _local.session = Session(allow)
    return sess


def drop_session() -> None:
    sess: Session | None = getattr(_local, "session", None)
    _local.session = None
    if sess is not None and sess.pid == os.getpid():
        sess.close()


class _Watchdog:
    """One thread for every fetch's deadline (a Timer thread per fetch costs ~0.1 ms)."""

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self.cond = threading.Condition()
        self.jobs: dict[int, tuple[float, Callable[[], None]]] = {}
        self.seq = 0
        self.wake_at = float("inf")  # when the thread next looks (inf: waits for a notify)
        self.thread: threading.Thread | None = None
        self.pid = 0

    def arm(self, delay_s: float, fn: Callable[[], None]) -> int:
        at = time.monotonic() + delay_s
        with self.cond:
            if self.thread is None or self.pid != os.getpid() or not self.thread.is_alive():
                self.pid, self.wake_at = os.getpid(), float("inf")
                self.thread = threading.Thread(target=self._run, name="fetch-watchdog",
                                               daemon=True)
                self.thread.start()
            self.seq += 1
            self.jobs[self.seq] = (at, fn)
            if at < self.wake_at:  # deadlines are mostly later than the next wake-up
                self.cond.notify()
            return self.seq

    def disarm(self, token: int) -> None:
        with self.cond:
            self.jobs.pop(token, None)

    def _run(self) -> None:
        while True:
            with self.cond:
                now = time.monotonic()
                due = [k for k, (at, _) in self.jobs.items() if at <= now]
                fns = [self.jobs.pop(k)[1] for k in due]
                if not fns:
                    self.wake_at = min((at for at, _ in self.jobs.values()),
                                       default=float("inf"))
                    self.cond.wait(None if self.wake_at == float("inf")
                                   else self.wake_at - now)
                    self.wake_at = 0.0  # awake: an arm() need not notify
                    continue
            for fn in fns:
                with contextlib.suppress(Exception):
                    fn()


watchdog = _Watchdog()
# A forked child (Celery prefork) starts with no watchdog thread and maybe a copy of its
# lock taken: give it a fresh one.
os.register_at_fork(after_in_child=watchdog.reset)
