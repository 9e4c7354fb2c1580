"""A worker's broker connection lost while it holds an unacked message: Celery's consumer
collects the connection and then closes it. The close must fail only with connection errors
(the ones Celery ignores; anything else stopped the worker for good, make faults row 4), and
the message must come back once Redis does."""

from __future__ import annotations

import contextlib
import signal
import socket
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import kombu
import pytest

from worker.ops.runner import free_port, redis_server_binary, wait_for_redis
from worker.settings import Settings
from worker.tasks.app import create_app


class OwnRedis:
    """A Redis of this test's own with AOF always, so a SIGKILL keeps the unacked hash."""

    def __init__(self, tmp_path: Path) -> None:
        self.dir = tmp_path
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [redis_server_binary(), "--port", str(self.port), "--bind", "127.0.0.1",
             "--save", "", "--appendonly", "yes", "--appendfsync", "always",
             "--dir", str(self.dir)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for_redis(self.url)

    def kill(self) -> None:
        if self.proc is not None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait()
            self.proc = None


@pytest.fixture
def own_redis(tmp_path: Path) -> Iterator[OwnRedis]:
    r = OwnRedis(tmp_path)
    r.start()
    yield r
    r.kill()


def drain(conn: Any, timeout_s: float) -> None:
    with contextlib.suppress(socket.timeout):
        conn.drain_events(timeout=timeout_s)


@pytest.mark.parametrize("attempt", range(3))  # the BRPOP in flight is the racy part
def test_connection_collected_under_an_unacked_message(
        attempt: int, own_redis: OwnRedis, make_settings: Callable[..., Settings]) -> None:
    settings = make_settings(redis_url=own_redis.url, visibility_timeout_s=1)
    app = create_app(settings)
    queue = kombu.Queue(settings.ingest_queue, kombu.Exchange(settings.ingest_queue),
                        settings.ingest_queue)
    with app.connection_for_write() as w:
        w.Producer().publish({"n": attempt}, exchange=queue.exchange,
                             routing_key=settings.ingest_queue, declare=[queue])

    # Given a worker-like connection: tasks on its default channel, a second channel with an
    # auto-delete fanout queue (Celery's remote control), one message received, not acked,
    # and its next BRPOP sent
    conn = app.connection_for_read()
    got: list[Any] = []
    tasks = kombu.Consumer(conn.default_channel, [queue], prefetch_count=2,
                           callbacks=[lambda body, message: got.append(message)])
    control = kombu.Queue(f"{settings.ingest_queue}.ctl",
                          kombu.Exchange(f"{settings.ingest_queue}.ctl", type="fanout"),
                          auto_delete=True)
    kombu.Consumer(conn.channel(), [control], callbacks=[lambda body, message: None]).consume()
    tasks.consume()
    for _ in range(50):
        drain(conn, 0.2)
        if got:
            break
    assert len(got) == 1
    drain(conn, 0.3)

    # When Redis goes away and the consumer collects the connection, then closes it (as
    # Celery's on_connection_error_after_connected does), and the task's ack comes late
    own_redis.kill()
    with contextlib.suppress(Exception):  # Celery ignores whatever collect raises
        conn.collect(socket_timeout=1)
    with contextlib.suppress(*conn.connection_errors):  # what Celery's ignore_errors ignores
        conn.close()
    with contextlib.suppress(*conn.connection_errors):  # Celery's ack_log_error: logged
        got[0].ack()

    # Then, Redis back, the unacked message returns to its queue and is received again
    own_redis.start()
    again: list[Any] = []
    with app.connection_for_read() as conn2:
        consumer = kombu.Consumer(conn2.default_channel, [queue],
                                  callbacks=[lambda body, message: again.append(body)])
        consumer.consume()
        for _ in range(20):
            conn2.default_channel.qos.restore_visible()
            drain(conn2, 0.5)
            if again:
                break
    assert again == [{"n": attempt}]
