"""One error body for every 4xx/5xx the API sends, with a stable ``error`` code, and the
OpenAPI ``responses`` that document them (so the schema tells clients the truth).

Redis or the broker being away is a 503 with ``Retry-After``, never a traceback, and the
body names no address, host or port.
"""

from __future__ import annotations

import logging
from typing import Any

import redis
from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from kombu.exceptions import OperationalError
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

log = logging.getLogger(__name__)

RETRY_AFTER_S = 5
# Stable codes clients can switch on; the message is for people.
CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
         405: "method_not_allowed", 413: "too_large", 415: "unsupported_media_type",
         422: "invalid_request", 503: "unavailable"}
DESCRIPTIONS = {
    400: "Malformed request", 401: "Missing or wrong bearer token",
    403: "No token configured and the client is not on loopback", 404: "Not found",
    413: "Body over the size cap", 422: "Invalid parameters or body",
    503: "Redis or the broker is unavailable; retry after Retry-After seconds"}


# What json.loads raised besides JSONDecodeError, as the 422 says it.
UNPARSABLE: dict[type[BaseException], str] = {
    UnicodeDecodeError: "JSON decode error: not UTF-8",
    RecursionError: "JSON decode error: nested too deeply"}


class ErrorBody(BaseModel):
    error: str = Field(description="Stable code: " + ", ".join(sorted(set(CODES.values()))))
    message: str = Field(description="What went wrong, for people")
    detail: Any = Field(default=None, description="Per-field errors of a 422")


def responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses=`` for these status codes, all with the error body."""
    return {code: {"model": ErrorBody, "description": DESCRIPTIONS[code]} for code in codes}


def error(status: int, message: str, detail: Any = None,
          headers: dict[str, str] | None = None) -> JSONResponse:
    body = ErrorBody(error=CODES.get(status, "error"), message=message, detail=detail)
    return JSONResponse(body.model_dump(mode="json"), status, headers=headers)


def unavailable(what: str = "Redis") -> JSONResponse:
    return error(503, f"{what} is unavailable; retry later",
                 headers={"Retry-After": str(RETRY_AFTER_S)})


def install(api: FastAPI) -> None:
    """Every error the app raises leaves as an ErrorBody."""

    @api.exception_handler(RequestValidationError)
    async def invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [{"loc": list(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type")}
                  for e in exc.errors()]
        message = "; ".join(".".join(str(p) for p in e["loc"]) + f": {e['msg']}" for e in errors)
        return error(422, message, jsonable_encoder(errors))

    @api.exception_handler(StarletteHTTPException)
    async def http_error(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        # FastAPI answers a JSON body it cannot decode as 400 "There was an error parsing the
        # body" unless json.loads raised JSONDecodeError; the same kind of mistake is a 422.
        cause = exc.__cause__
        why = UNPARSABLE.get(type(cause)) if exc.status_code == 400 and cause else None
        if why is not None:
            return error(422, f"body: {why}",
                         [{"loc": ["body"], "msg": why, "type": "json_invalid"}])
        return error(exc.status_code, str(exc.detail), headers=dict(exc.headers or {}))

    @api.exception_handler(redis.RedisError)
    async def redis_down(_request: Request, exc: redis.RedisError) -> JSONResponse:
        # Logged with its address for the operator; the client learns only that it is away.
        log.warning("Redis unavailable: %s", exc)
        return unavailable()

    @api.exception_handler(OperationalError)
    async def broker_down(_request: Request, exc: OperationalError) -> JSONResponse:
        log.warning("broker unavailable: %s", exc)
        return unavailable("The broker")
