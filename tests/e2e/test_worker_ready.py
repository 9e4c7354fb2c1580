"""A worker started as the README says, without `-l INFO`, still says when it is ready (Celery
logs nothing below WARNING by default, so an operator could not tell)."""

from __future__ import annotations

from collections.abc import Callable

from tests.conftest import Proc, settings_env, wait_until, worker_argv
from worker.settings import Settings


def test_the_worker_logs_one_ready_line_at_the_default_log_level(
        settings: Settings, spawn: Callable[..., Proc]) -> None:
    # Given a worker command line without -l (Celery's default level, WARNING)
    argv = worker_argv(settings)
    argv = argv[:argv.index("-l")]
    assert "-l" not in argv and "--loglevel" not in argv

    # When the worker starts
    proc = spawn(argv, settings_env(settings), name="celery")
    wait_until(lambda: "newsworker worker ready" in proc.output()
               or (proc.proc and proc.proc.poll() is not None), timeout=60,
               message="the ready line")

    # Then it says once that it is ready, with its queues and its Redis (no password)
    ready = [line for line in proc.output().splitlines() if "newsworker worker ready" in line]
    assert len(ready) == 1, proc.output()
    assert settings.ingest_queue in ready[0] and settings.feeds_queue in ready[0]
    assert settings.store_url.split("@")[-1] in ready[0]
    assert proc.proc is not None and proc.proc.poll() is None, proc.output()
