"""One Redis connection driven by the event loop itself (the API's submissions).

redis-py's sync client needs a thread, and handing every submission to a thread and back cost
the API more than the commit itself (two wake-ups and a GIL hand-over per group, a long wait on
a loaded host). This is the little the submitter needs: commands in, replies out in order
(hiredis parses), every call bounded by the timeout, the host-name lookup bounded too, as
``worker.redisconn`` bounds it for sync clients. Plain TCP (``redis://``) only.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
from collections import deque
from typing import Any

import hiredis
import redis
from redis.connection import parse_url

from worker.redisconn import is_address, lookup

log = logging.getLogger(__name__)


# TCP keepalive on the idle link: a peer gone without a FIN (a NAT or firewall dropping the
# flow, a host powered off) is found within ~60 s of quiet, so the next group reconnects at once
# instead of waiting out its timeout; redis-py clients ping after 30 s idle for the same reason.
KEEPALIVE_IDLE_S, KEEPALIVE_INTERVAL_S, KEEPALIVE_PROBES = 30, 10, 3


def keepalive(sock: socket.socket) -> None:
    with contextlib.suppress(OSError, AttributeError):  # AttributeError: no TCP_KEEP* here
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPIDLE, KEEPALIVE_IDLE_S)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPINTVL, KEEPALIVE_INTERVAL_S)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPCNT, KEEPALIVE_PROBES)


class RedisLink(asyncio.Protocol):
    def __init__(self) -> None:
        self.reader = hiredis.Reader()
        self.waiters: deque[asyncio.Future[Any]] = deque()
        self.transport: asyncio.Transport | None = None
        self.lost = False
        self.holder: asyncio.Task[None] | None = None

    # --- asyncio.Protocol --------------------------------------------------------------------
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]
        sock = transport.get_extra_info("socket")
        if sock is not None:
            keepalive(sock)

    def data_received(self, data: bytes) -> None:
        self.reader.feed(data)
        while (reply := self.reader.gets()) is not False:
            if not self.waiters:  # never asked for: the stream is out of step
                self.close()
                return
            fut = self.waiters.popleft()
            if not fut.done():
                fut.set_result(reply)

    def connection_lost(self, exc: Exception | None) -> None:
        self.lost = True
        while self.waiters:
            fut = self.waiters.popleft()
            if not fut.done():
                fut.set_exception(redis.ConnectionError(f"broker connection lost: {exc}"))

    # --- calls -------------------------------------------------------------------------------
    async def call(self, *args: Any, timeout_s: float) -> Any:
        """One command's reply; redis.TimeoutError (and the link closed, so no late reply
        is ever taken for another's) when none comes within ``timeout_s``."""
        if self.lost or self.transport is None or self.transport.is_closing():
            raise redis.ConnectionError("broker connection closed")
        fut: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self.waiters.append(fut)
        self.transport.write(hiredis.pack_command(args))
        try:
            reply = await asyncio.wait_for(fut, timeout_s)
        except TimeoutError:
            self.close()
            raise redis.TimeoutError(f"no answer from the broker in {timeout_s:g} s") from None
        if isinstance(reply, hiredis.ReplyError):
            raise redis.ResponseError(str(reply))
        return reply

    def close(self) -> None:
        self.lost = True
        if self.transport is not None:
            self.transport.abort()
        if self.holder is not None:
            self.holder.cancel()

    async def hold(self) -> None:
        """Closes the connection when its loop shuts down (asyncio.Runner cancels this):
        a loop per request (TestClient) must not leave sockets open behind it."""
        try:
            await asyncio.get_running_loop().create_future()
        finally:
            if self.transport is not None and not self.transport.is_closing():
                self.transport.close()


async def open_link(url: str, timeout_s: float) -> RedisLink:
    """A connected link to ``url`` (redis://), AUTH and SELECT done."""
    opts = parse_url(url)
    host, port = str(opts.get("host") or "localhost"), int(opts.get("port") or 6379)
    loop = asyncio.get_running_loop()
    addresses = [host] if is_address(host) else await loop.run_in_executor(
        None, lookup, host, port, timeout_s)
    err: BaseException = OSError(f"no address for {host}")
    for address in addresses:
        try:
            _, link = await asyncio.wait_for(loop.create_connection(RedisLink, address, port),
                                             timeout_s)
            break
        except (TimeoutError, OSError) as exc:
            err = exc
    else:
        raise redis.ConnectionError(f"cannot connect to the broker at {host}:{port}: {err!r}")
    link.holder = loop.create_task(link.hold())
    try:
        if opts.get("password"):
            user = opts.get("username")
            await link.call("AUTH", *([user] if user else []), opts["password"],
                            timeout_s=timeout_s)
        if opts.get("db"):
            await link.call("SELECT", int(opts["db"]), timeout_s=timeout_s)
    except BaseException:
        with contextlib.suppress(Exception):
            link.close()
        raise
    return link
