"""The worker's main process imports the task code and freezes it before the pool forks
(worker/tasks/warm.py): the pool children start warm and skip those objects in every full
garbage collection (issue 16: latency_single's p99 spikes were the size of one)."""

from __future__ import annotations

import subprocess
import sys

import pytest

pytestmark = pytest.mark.timeout(180, method="thread")


def test_warm_and_freeze_imports_the_task_code_and_freezes_it() -> None:
    # Given a fresh interpreter (gc.freeze is per process)
    code = ("import gc, sys\n"
            "from worker.tasks.warm import warm_and_freeze\n"
            "before = ('worker.normalise.article' in sys.modules, gc.get_freeze_count())\n"
            "warm_and_freeze()\n"
            "print(*before, 'worker.normalise.article' in sys.modules, 'trafilatura' in "
            "sys.modules, 'worker.feeds.poll' in sys.modules, gc.get_freeze_count())\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=150, check=True).stdout.split()
    # Then nothing was imported or frozen before, and after it the normaliser, trafilatura
    # and the feed path are loaded and their objects sit in the permanent generation
    assert out[:2] == ["False", "0"]
    assert out[2:5] == ["True", "True", "True"]
    assert int(out[5]) > 20_000


def test_the_app_connects_it_to_worker_init() -> None:
    from celery import signals

    from worker.tasks.app import connect_signals

    connect_signals()
    assert any(key[0] == "newsworker.warm" for key, _ in signals.worker_init.receivers)
