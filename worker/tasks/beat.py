"""Beat's scheduler: Celery's persistent one, with its state file under ``data_dir``.

``create_app`` points ``beat_schedule_filename`` at ``data_dir/celerybeat-schedule`` so a
`celery -A worker beat` started in a checkout leaves no ``celerybeat-schedule.*`` files in the
repository root; this class creates that directory first (shelve would fail without it).
"""

from __future__ import annotations

import logging
from pathlib import Path

from celery.beat import PersistentScheduler

log = logging.getLogger(__name__)


class DataDirScheduler(PersistentScheduler):  # type: ignore[misc]  # celery is untyped
    def setup_schedule(self) -> None:
        Path(self.schedule_filename).parent.mkdir(parents=True, exist_ok=True)
        super().setup_schedule()
