"""kombu's Redis transport, plus one thing: a purge of a queue (``celery -A worker purge``,
``Channel.queue_purge``) also tells the submission ledger, so the ledger never re-sends a
message an operator purged. Everything else is kombu's own behaviour, unchanged.
"""

from __future__ import annotations

import logging
from typing import Any

import redis
from kombu.transport import redis as kombu_redis

from worker.store.keys import Keys
from worker.tasks.broker import SubmissionLedger

log = logging.getLogger(__name__)

LEDGER_PREFIX_OPTION = "newsworker_key_prefix"


class Channel(kombu_redis.Channel):  # type: ignore[misc]
    def _purge(self, queue: str) -> Any:
        purged = super()._purge(queue)
        prefix = self.connection.client.transport_options.get(LEDGER_PREFIX_OPTION)
        if prefix:
            # A plain client to the same server: kombu's own client adds celery_key_prefix
            # to every key it touches.
            pool = self.client.connection_pool
            plain = redis.Redis(connection_pool=redis.ConnectionPool(
                connection_class=pool.connection_class, **pool.connection_kwargs))
            try:
                forgotten = SubmissionLedger(plain, Keys(str(prefix))).purged(queue)
            finally:
                plain.close()
            log.info("purged %s: %s message(s), %d ledger entr(ies) forgotten", queue, purged,
                     forgotten)
        return purged


class Transport(kombu_redis.Transport):  # type: ignore[misc]
    Channel = Channel
