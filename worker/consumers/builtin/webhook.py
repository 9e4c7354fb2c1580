"""The ``webhook`` handler: POST each event as JSON, signed with HMAC-SHA256.

Headers: ``X-Newsworker-Signature: sha256=<hex HMAC of the exact body with webhook_secret>``,
``X-Newsworker-Event-Id`` (receivers dedupe on it: delivery is at-least-once) and
``X-Newsworker-Event-Type``. Within one delivery, 5xx, 408, 429 and network errors are retried
a few times with exponential back-off (``webhook_retries``, ``webhook_backoff_s``); if they
persist we raise HandlerError and the consumer retries the delivery later, up to
``max_deliveries``. Other 4xx answers are permanent: PermanentHandlerError, dead-lettered now.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import time

import httpx
import orjson

from worker.consumers.handler import Handler, HandlerContext
from worker.errors import ConfigError, HandlerError, PermanentHandlerError
from worker.events.models import AnyEvent

log = logging.getLogger(__name__)

RETRY_STATUSES = frozenset({408, 429})


def sign(body: bytes, secret: str) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def verify(body: bytes, secret: str, header: str) -> bool:
    """For receivers (and tests): constant-time check of the signature header."""
    return hmac.compare_digest(sign(body, secret), header)


class WebhookHandler(Handler):
    """POSTs each event, signed, to ``webhook_url``."""

    def __init__(self, ctx: HandlerContext) -> None:
        s = ctx.settings
        if not s.webhook_url:
            raise ConfigError("the webhook handler needs webhook_url (NEWSWORKER_WEBHOOK_URL)")
        self.url = s.webhook_url
        self.secret = s.webhook_secret or ""
        if not self.secret:
            log.warning("webhook_secret is empty: signatures prove nothing")
        self.retries = s.webhook_retries
        self.backoff_s = s.webhook_backoff_s
        self.client = httpx.Client(
            timeout=httpx.Timeout(s.webhook_timeout_s, connect=min(s.webhook_timeout_s, 5.0)),
            headers={"User-Agent": s.user_agent}, follow_redirects=False)

    def handle(self, event: AnyEvent) -> None:
        body = orjson.dumps(event.model_dump(mode="json"))
        headers = {"Content-Type": "application/json",
                   "X-Newsworker-Signature": sign(body, self.secret),
                   "X-Newsworker-Event-Id": event.event_id,
                   "X-Newsworker-Event-Type": event.type}
        problem = ""
        for attempt in range(self.retries + 1):
            if attempt:
                time.sleep(self.backoff_s * 2 ** (attempt - 1))
            try:
                resp = self.client.post(self.url, content=body, headers=headers)
            except httpx.HTTPError as exc:  # timeouts, refused connections, resets
                problem = f"{exc.__class__.__name__}: {exc}"
                continue
            if resp.status_code < 300:
                return
            problem = f"HTTP {resp.status_code}"
            if resp.status_code < 500 and resp.status_code not in RETRY_STATUSES:
                raise PermanentHandlerError(f"webhook {self.url}: {problem} (not retried)")
        raise HandlerError(f"webhook {self.url}: {problem} after {self.retries + 1} attempts")

    def close(self) -> None:
        self.client.close()
