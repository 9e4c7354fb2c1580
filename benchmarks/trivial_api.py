"""The ``api_ingest`` baseline: ``python -m benchmarks.trivial_api PORT``.

A FastAPI app with one ``POST /v1/ingest/text`` that takes the real request model
(``worker.api.models.TextIn``) and answers what the real route answers (202, a ``Queued``),
queueing nothing; served by uvicorn with the settings ``worker.api.app.serve`` uses. What the
real route costs beyond it is ours: auth, the size check, the ledger and the broker publish.
"""

from __future__ import annotations

import sys
import uuid

import uvicorn
from fastapi import FastAPI

from worker.api.models import Queued, TextIn


def build() -> FastAPI:
    api = FastAPI(docs_url=None, openapi_url=None, redoc_url=None)

    @api.post("/v1/ingest/text", status_code=202)
    def ingest_text(body: TextIn) -> Queued:
        task_id = str(uuid.uuid4())
        return Queued(task_id=task_id, task="newsworker.ingest_text",
                      status_url=f"/v1/tasks/{task_id}")

    return api


if __name__ == "__main__":
    print("ready", flush=True)
    uvicorn.run(build(), host="127.0.0.1", port=int(sys.argv[1]), log_level="info",
                access_log=False)
