"""Request guards of the HTTP API: a body-size limit, bearer-token auth, and the
no-token-means-loopback-only rule (DNS rebinding, cross-site posts)."""

from __future__ import annotations

import hmac
import ipaddress
import logging
from typing import Annotated, Any
from urllib.parse import urlsplit

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from worker.api.errors import error
from worker.errors import ConfigError
from worker.settings import Settings

log = logging.getLogger(__name__)

MIN_TOKEN_CHARS = 32
# The pages (dashboard, /docs) load only their own scripts and styles and talk only to us.
CSP = ("default-src 'self'; connect-src 'self'; img-src 'self' data:; style-src 'self'; "
       "script-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'")


class BodyLimit:
    """413 for bodies over ``limit``: by Content-Length up front, else counted while reading."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope["headers"]:
            if name == b"content-length" and value.isdigit() and int(value) > self.limit:
                await error(413, too_large(self.limit))(scope, receive, send)
                return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    # HTTPException passes through FastAPI's body parsing untouched -> 413.
                    raise HTTPException(413, too_large(self.limit))
            return message

        await self.app(scope, counted, send)


def too_large(limit: int) -> str:
    return f"request body exceeds {limit} bytes"


# --- auth ------------------------------------------------------------------------------------
def _is_loopback(host: str) -> bool:
    host = host.strip("[]").lower()
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _host_of(header: str) -> str:
    if header.startswith("["):
        return header[1:].partition("]")[0]
    return header.rpartition(":")[0] if header.count(":") == 1 else header


def check_bind(settings: Settings, host: str) -> None:
    """Checked before serving. No token means no auth: only acceptable when nothing off this
    machine can connect. A token must be one nobody guesses: MIN_TOKEN_CHARS or more, with
    no white space around it (a blank one would start a server that refuses everyone)."""
    token = settings.api_token
    if token is not None:
        if not token.strip() or token != token.strip():
            raise ConfigError("api_token (NEWSWORKER_API_TOKEN) is blank or has white space "
                              "around it")
        if len(token) < MIN_TOKEN_CHARS:
            raise ConfigError(f"api_token (NEWSWORKER_API_TOKEN) has {len(token)} characters; "
                              f"use at least {MIN_TOKEN_CHARS} (e.g. `openssl rand -hex 24`)")
    if not token and not _is_loopback(host):
        raise ConfigError(f"api_token (NEWSWORKER_API_TOKEN) must be set to serve on {host}; "
                          "without a token the API binds to loopback only")


def only_part(name: str) -> Any:
    """A guard: the multipart body holds exactly one part, ``name``. A second ``file`` part
    would otherwise silently replace the first, and other parts would go unread."""

    async def check(request: Request) -> None:
        form = await request.form()  # parsed once: the route's own parameter reuses it
        names = [key for key, _ in form.multi_items()]
        if names != [name]:
            shown = ", ".join(repr(n[:40]) for n in names[:5]) + (", ..." if len(names) > 5
                                                                  else "")
            raise HTTPException(400, f"expected exactly one multipart part, {name!r}; got "
                                     f"{len(names)}: {shown}")

    return check


_BEARER = HTTPBearer(auto_error=False, description="settings.api_token")


def require_auth(settings: Settings) -> Any:
    # async: it does no I/O, and a sync dependency costs every request a thread-pool hop.
    async def require(request: Request, creds: Annotated[
            HTTPAuthorizationCredentials | None, Depends(_BEARER)]) -> None:
        token = settings.api_token
        if token:
            given = creds.credentials if creds else ""
            if not hmac.compare_digest(given.encode(), token.encode()):
                raise HTTPException(401, "missing or wrong bearer token",
                                    headers={"WWW-Authenticate": "Bearer"})
            return
        host = _host_of(request.headers.get("host", ""))
        origin = request.headers.get("origin")
        if not _is_loopback(host) or (origin and not _is_loopback(urlsplit(origin).hostname
                                                                   or "")):
            raise HTTPException(403, "no api_token configured: loopback clients only")

    return require
