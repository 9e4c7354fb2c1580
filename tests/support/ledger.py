"""The submission ledger (`worker.tasks.broker`) of a test's settings, read and written directly."""

from __future__ import annotations

from worker.redisconn import connect
from worker.settings import Settings
from worker.store.keys import Keys
from worker.tasks.broker import SubmissionLedger


def ledger_for(settings: Settings) -> SubmissionLedger:
    return SubmissionLedger(connect(settings.celery_broker), Keys(settings.key_prefix))
