"""The ``webhook`` handler: POST each event as JSON, signed per the Standard Webhooks spec
(https://www.standardwebhooks.com/, verifiers exist in many languages).

Headers: ``webhook-id`` (the event id: receivers dedupe on it, delivery is at-least-once),
``webhook-timestamp`` (Unix seconds of this attempt: receivers reject old ones, which stops
replays) and ``webhook-signature`` (``v1,<base64 HMAC-SHA256 of id.timestamp.body>``), made
by the ``standardwebhooks`` library. ``webhook_secret`` is used as Standard Webhooks has it
(``whsec_<base64>``) or, any other string, as its UTF-8 bytes. ``X-Newsworker-Event-Type``
names the type; ``X-Newsworker-Signature`` (``sha256=<hex HMAC of the body>``, no timestamp)
is still sent for receivers written against earlier releases, and is deprecated.

Within one delivery, 5xx, 408, 429 and network errors are retried
a few times with exponential back-off (``webhook_retries``, ``webhook_backoff_s``); if they
persist we raise HandlerError and the consumer retries the delivery later, up to
``max_deliveries``. Other 4xx answers are permanent: PermanentHandlerError, dead-lettered now.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import time
from datetime import UTC, datetime

import httpx
import orjson
from standardwebhooks.webhooks import Webhook

from worker.consumers.handler import Handler, HandlerContext
from worker.errors import ConfigError, HandlerError, PermanentHandlerError
from worker.events.models import AnyEvent

log = logging.getLogger(__name__)

RETRY_STATUSES = frozenset({408, 429})
SECRET_PREFIX = "whsec_"


def sign(body: bytes, secret: str) -> str:
    """The deprecated ``X-Newsworker-Signature`` value (no timestamp: no replay protection)."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def verify(body: bytes, secret: str, header: str) -> bool:
    """Constant-time check of the deprecated ``X-Newsworker-Signature`` header."""
    return hmac.compare_digest(sign(body, secret), header)


def standard_webhook(secret: str) -> Webhook:
    """The Standard Webhooks signer/verifier for ``webhook_secret``."""
    return Webhook(secret if secret.startswith(SECRET_PREFIX) else secret.encode())


def standard_headers(signer: Webhook, event_id: str, body: bytes) -> dict[str, str]:
    now = datetime.now(UTC)
    return {"webhook-id": event_id, "webhook-timestamp": str(int(now.timestamp())),
            "webhook-signature": signer.sign(event_id, now, body.decode())}


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
        self.signer = standard_webhook(self.secret)
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
            # Signed per attempt: the timestamp is the attempt's, the id the event's.
            signed = {**headers, **standard_headers(self.signer, event.event_id, body)}
            try:
                resp = self.client.post(self.url, content=body, headers=signed)
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
