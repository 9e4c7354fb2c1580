"""Safe HTTP fetching for feeds and linked pages.

Guarantees, whatever the server does:

* only ``http``/``https``; every redirect hop is followed by hand and checked again;
* SSRF: the host is resolved *inside the connection* (a custom httpcore network backend),
  every address is checked (loopback, private, link-local incl. 169.254.169.254, multicast,
  reserved, unspecified, ULA, IPv4-mapped...) and the socket connects to the address that
  was checked — so a DNS answer that changes between check and connect (rebinding) cannot
  slip through. ``settings.fetch_allow_hosts`` (hostnames or CIDRs) exempts hosts;
* a total deadline: a watchdog shuts the sockets down at ``fetch_deadline_s``, so even a
  server dripping headers byte by byte cannot hold the worker;
* connections are pooled per thread (one client per allow-list) and reused only for the
  same scheme/host/port, i.e. to an address that was checked when it was dialled. One
  shared watchdog thread serves every fetch; a session whose fetch hit the deadline or
  failed is thrown away;
* the body cap counts *decompressed* bytes: we decode gzip/deflate ourselves with a
  bounded ``max_length``, so a gzip bomb costs at most the cap in memory.
"""

from __future__ import annotations

import contextlib
import functools
import ipaddress
import logging
import time
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx

from worker.errors import FetchError, FetchRefused, TooLarge
from worker.settings import Settings
from worker.sources.netguard import (
    AddressPolicy,
    GuardedBackend,
    IPAddress,
    Session,
    drop_session,
    session,
    watchdog,
)

__all__ = ["FetchResult", "check_url", "fetch", "retry_after"]

log = logging.getLogger(__name__)

REDIRECTS = {301, 302, 303, 307, 308}
PERMANENT = {301, 308}
RETRY_AFTER_CAP_S = 7 * 24 * 3600.0
ACCEPT = ("application/rss+xml, application/atom+xml, application/feed+json, "
          "application/xml;q=0.9, text/xml;q=0.9, text/html;q=0.8, */*;q=0.5")


@dataclass(frozen=True, slots=True)
class FetchResult:
    status: int
    url: str  # final URL after redirects
    content: bytes
    headers: dict[str, str] = field(default_factory=dict)
    etag: str | None = None
    last_modified: str | None = None
    permanent_redirect_to: str | None = None  # set when every hop was 301/308
    not_modified: bool = False


# --- helpers --------------------------------------------------------------------------------

@functools.lru_cache(maxsize=4096)
def _split(url: str) -> tuple[str, str, int, bool, IPAddress | None]:
    """(scheme, host, port, has credentials, literal address) of a URL: feeds are fetched
    again and again, so each is read once per process (a ValueError is not cached)."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    host = parts.hostname or ""
    port = parts.port or (443 if scheme == "https" else 80)
    try:
        literal: IPAddress | None = ipaddress.ip_address(host)
    except ValueError:
        literal = None
    return scheme, host, port, bool(parts.username or parts.password), literal


@functools.lru_cache(maxsize=4096)
def _request_url(url: str) -> httpx.URL:
    """httpx's parse of a URL (immutable), once per process like _split."""
    return httpx.URL(url)


def check_url(url: str, policy: AddressPolicy | None = None) -> tuple[str, int]:
    """Refuse anything but http(s) with a host; returns (host, port)."""
    try:
        scheme, host, port, credentials, literal = _split(url)
    except ValueError as exc:
        raise FetchRefused(f"invalid URL {url!r}: {exc}") from None
    if scheme not in ("http", "https"):
        raise FetchRefused(f"refusing {scheme or 'relative'}:// URL: only http and https "
                           "are fetched")
    if not host:
        raise FetchRefused(f"URL {url!r} has no host")
    if credentials:
        raise FetchRefused("refusing URL with embedded credentials")
    if policy is not None and literal is not None:
        # A literal address can be refused before any I/O, with a clear reason.
        policy.check_address(host, literal)
    return host, port


def retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP-date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return min(float(value), RETRY_AFTER_CAP_S)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        return None
    return min(max(0.0, when.timestamp() - (now or time.time())), RETRY_AFTER_CAP_S)


class _Decoder:
    """Bounded gzip/deflate decoding: never inflates more than ``limit`` bytes at a time."""

    def __init__(self, encoding: str) -> None:
        enc = encoding.strip().lower()
        if enc in ("", "identity"):
            self.z: Any = None
        elif enc in ("gzip", "x-gzip"):
            self.z = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif enc == "deflate":
            self.z = zlib.decompressobj(zlib.MAX_WBITS)
        else:
            raise FetchError(f"unsupported Content-Encoding {encoding!r}")

    def feed(self, data: bytes, limit: int) -> Iterable[bytes]:
        if self.z is None:
            yield data
            return
        try:
            while data:
                out = self.z.decompress(data, limit)
                if out:
                    yield out
                data = self.z.unconsumed_tail
        except zlib.error as exc:
            raise FetchError(f"corrupt compressed body: {exc}") from None


# --- fetching -------------------------------------------------------------------------------

def fetch(url: str, settings: Settings, *, etag: str | None = None,
          last_modified: str | None = None) -> FetchResult:
    """GET ``url`` safely. Raises FetchRefused / TooLarge (RejectedInput) or FetchError."""
    sess = session(settings)
    backend = sess.backend
    deadline = time.monotonic() + settings.fetch_deadline_s
    # The headers httpx.Client sent (its defaults merged with ours), in its order.
    headers = {"Accept": ACCEPT, "Accept-Encoding": "gzip, deflate", "Connection": "keep-alive",
               "User-Agent": settings.user_agent}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    timeout = httpx.Timeout(settings.fetch_timeout_s,
                            connect=settings.fetch_connect_timeout_s).as_dict()
    generation = backend.begin()
    token = watchdog.arm(settings.fetch_deadline_s,
                          functools.partial(backend.expire, generation))
    ok = False
    try:
        result = _follow(sess, url, headers, settings, deadline, timeout)
        ok = not backend.expired
        return result
    except httpx.TimeoutException as exc:
        if backend.expired:
            raise _deadline(settings) from None
        raise FetchError(f"timed out ({exc.__class__.__name__})") from None
    except httpx.InvalidURL as exc:  # e.g. 0177.0.0.1, a bad IDNA host: nothing was sent
        raise FetchRefused(f"invalid URL: {exc}") from None
    except (httpx.HTTPError, httpcore.ConnectError, OSError) as exc:
        if backend.expired:
            raise _deadline(settings) from None
        raise FetchError(f"request failed: {exc.__class__.__name__}: {exc}") from None
    finally:
        watchdog.disarm(token)
        if not ok:  # unknown connection state: start the next fetch from a clean pool
            drop_session()


def _deadline(settings: Settings) -> FetchError:
    return FetchError(f"deadline exceeded: no complete response within "
                      f"{settings.fetch_deadline_s:g}s")


def _follow(sess: Session, url: str, headers: dict[str, str], settings: Settings,
            deadline: float, timeout: dict[str, float | None]) -> FetchResult:
    seen: set[str] = set()
    all_permanent = True
    hops = 0
    while True:
        check_url(url, sess.policy)
        if url in seen:
            raise FetchError(f"redirect loop at {url}")
        seen.add(url)
        request = httpx.Request("GET", _request_url(url), headers=headers,
                                extensions={"timeout": timeout})
        with contextlib.closing(sess.send(request)) as resp:
            status = resp.status_code
            if status in REDIRECTS:
                location = resp.headers.get("location")
                if not location:
                    raise FetchError(f"HTTP {status} redirect without a Location", status=status)
                hops += 1
                if hops > settings.fetch_max_redirects:
                    raise FetchError(f"too many redirects (over {settings.fetch_max_redirects})",
                                     status=status)
                all_permanent = all_permanent and status in PERMANENT
                url = urljoin(url, location.strip())
                continue
            permanent = url if hops and all_permanent else None
            if status == 304:
                resp.read()  # no body by definition; completes the exchange so the
                # connection goes back to the pool instead of being closed
                got = dict(resp.headers.items())  # one pass (dict(headers) is one per name)
                return FetchResult(status=304, url=url, content=b"", headers=got,
                                   etag=got.get("etag"), last_modified=got.get("last-modified"),
                                   permanent_redirect_to=permanent, not_modified=True)
            if status >= 400 or status < 200:
                wait = retry_after(resp.headers.get("retry-after")) \
                    if status in (429, 503) else None
                raise FetchError(f"HTTP {status} {resp.reason_phrase}".strip(), status=status,
                                 retry_after_s=wait)
            body = _read_body(resp, settings, deadline, sess.backend)
            got = dict(resp.headers.items())
            return FetchResult(status=status, url=url, content=body, headers=got,
                               etag=got.get("etag"), last_modified=got.get("last-modified"),
                               permanent_redirect_to=permanent)


def _read_body(resp: httpx.Response, settings: Settings, deadline: float,
               backend: GuardedBackend) -> bytes:
    cap = settings.max_body_bytes
    declared = resp.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > cap and "content-encoding" not in resp.headers:
        raise TooLarge(f"response is {declared} bytes, over the {cap}-byte cap")
    decoder = _Decoder(resp.headers.get("content-encoding", ""))
    chunks: list[bytes] = []
    size = 0
    for raw in resp.iter_raw():
        if time.monotonic() > deadline or backend.expired:
            raise _deadline(settings)
        for chunk in decoder.feed(raw, cap + 1 - size):
            size += len(chunk)
            if size > cap:
                raise TooLarge(f"response body over the {cap}-byte cap (after decompression)")
            chunks.append(chunk)
    if backend.expired:
        raise _deadline(settings)
    return b"".join(chunks)
