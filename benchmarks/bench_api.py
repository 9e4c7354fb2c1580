"""``api_ingest``: ``POST /v1/ingest/text`` of ~3 KB articles at concurrency 16 through a real
``newsworker serve`` (auth, ledger, broker publish into the bench Redis), against a trivial
FastAPI endpoint with the same body model under the same uvicorn settings
(``benchmarks.trivial_api``); same run, passes alternating.

The load comes from a minimal asyncio HTTP/1.1 client over 16 kept-alive connections: on two
cores httpx spent more CPU per request than the trivial endpoint itself (measured: ~0.5 ms),
which squeezed the ratio towards 1 whatever the API did.
"""

from __future__ import annotations

import asyncio
import json
import os
import secrets
import sys
import time
from pathlib import Path

from benchmarks.data import text_article
from benchmarks.harness import Bench, Proc, Row, free_port, row, wait_until

CONCURRENCY = 16


def _request(path: str, body: bytes, token: str) -> bytes:
    return (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            f"Authorization: Bearer {token}\r\nContent-Length: {len(body)}\r\n\r\n"
            ).encode() + body


async def _one_connection(port: int, requests: list[bytes], statuses: dict[int, int]) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        for req in requests:
            writer.write(req)
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head.split(b" ", 2)[1])
            statuses[status] = statuses.get(status, 0) + 1
            length = 0
            for line in head.split(b"\r\n"):
                if line[:15].lower() == b"content-length:":
                    length = int(line[15:])
            await reader.readexactly(length)
    finally:
        writer.close()


def _drive(port: int, requests: list[bytes]) -> tuple[float, dict[int, int]]:
    """Seconds to send ``requests`` over CONCURRENCY connections (each in turn), statuses."""
    statuses: dict[int, int] = {}
    parts = [requests[k::CONCURRENCY] for k in range(CONCURRENCY)]

    async def run() -> float:
        t = time.perf_counter()
        await asyncio.gather(*(_one_connection(port, p, statuses) for p in parts))
        return time.perf_counter() - t

    return asyncio.run(run()), statuses


def _cpu_s(proc: Proc) -> float:
    """CPU seconds the server process has used (user + system)."""
    fields = Path(f"/proc/{proc.proc.pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _answers(port: int, proc: Proc) -> bool:
    if not proc.alive():
        raise RuntimeError(f"API server died:\n{proc.output()[-3000:]}")
    try:
        _, statuses = _drive(port, [b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"])
    except OSError:
        return False
    return statuses.get(200, 0) == 1


def bench_api_ingest(b: Bench) -> list[Row]:
    n = b.n(2_000, minimum=CONCURRENCY * 2)
    token = secrets.token_hex(24)
    s = b.settings(api_token=token)
    ours_port, base_port = free_port(), free_port()
    ours = b.spawn([sys.executable, "-m", "worker", "serve", "--port", str(ours_port)],
                   b.env(s), "serve")
    base = b.spawn([sys.executable, "-m", "benchmarks.trivial_api", str(base_port)],
                   b.env(s), "trivial-api")
    wait_until(lambda: _answers(ours_port, ours), 60, "newsworker serve")
    wait_until(lambda: base.alive() and "ready" in base.output(), 60, "trivial api")
    texts = [text_article(4_000_000 + i).decode() for i in range(n)]
    path = "/v1/ingest/text"
    bodies = [json.dumps({"text": t, "name": f"api-{i}"}).encode() for i, t in enumerate(texts)]
    # Warm both (imports, first connections, the ledger script), then alternate passes.
    warm = [_request(path, bodies[i], token) for i in range(CONCURRENCY)]
    for port in (ours_port, base_port):
        wait_until(lambda p=port: _drive(p, warm)[1].get(202) == len(warm), 60, "warm-up")
    ours_s = base_s = 0.0
    cpu = {"ours": 0.0, "trivial": 0.0}
    statuses: dict[str, dict[int, int]] = {"ours": {}, "trivial": {}}
    for k in range(2):
        reqs = [_request(path, body.replace(b'"api-', f'"p{k}-'.encode(), 1), token)
                for body in bodies]
        c0 = _cpu_s(ours)
        took, st = _drive(ours_port, reqs)
        cpu["ours"] += _cpu_s(ours) - c0
        ours_s += took
        statuses["ours"] = {c: statuses["ours"].get(c, 0) + v for c, v in st.items()}
        c0 = _cpu_s(base)
        took, st = _drive(base_port, reqs)
        cpu["trivial"] += _cpu_s(base) - c0
        base_s += took
        statuses["trivial"] = {c: statuses["trivial"].get(c, 0) + v for c, v in st.items()}
    if statuses["ours"] != {202: 2 * n} or statuses["trivial"] != {202: 2 * n}:
        raise RuntimeError(f"unexpected answers: {statuses}")
    queued = int(b.client.llen(s.celery_key_prefix + s.ingest_queue))
    ours.stop()
    base.stop()
    return [row("api_ingest", 2 * n / ours_s, "req/s", 2 * n / base_s, "ratio >= 0.8",
                requests=2 * n, concurrency=CONCURRENCY,
                server_cpu_ms_per_request=round(cpu["ours"] / (2 * n) * 1000, 3),
                trivial_cpu_ms_per_request=round(cpu["trivial"] / (2 * n) * 1000, 3),
                article_bytes=int(sum(len(t) for t in texts) / n), queued=queued,
                path="POST /v1/ingest/text -> newsworker serve (uvicorn) -> ledger + broker",
                baseline_is="trivial FastAPI endpoint, same body model and uvicorn settings")]
