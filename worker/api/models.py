"""Request and response bodies of the HTTP API (their constraints are in the OpenAPI schema)."""

from __future__ import annotations

from typing import Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, Field, field_validator

# The URL rule in the schema, so clients (and schemathesis) know it: http(s), a host name or
# IPv4 address, an optional port, then anything without white space. Stricter than
# http_url() below, never looser: a schema-valid URL is always accepted. The validators, not
# the pattern, check requests, so a rejection keeps its plain-words message.
HTTP_URL_PATTERN = r"^[Hh][Tt][Tt][Pp][Ss]?://[A-Za-z0-9._~-]+(:[0-9]{1,5})?([/?#][^\s]*)?$"


def http_url(v: str | None) -> str | None:
    if v is None:
        return None
    parts = urlsplit(v)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("must be an absolute http:// or https:// URL")
    return v


class TextIn(BaseModel):
    text: str = Field(min_length=1, json_schema_extra={"pattern": r"\S"},
                      description="The article: plain text, HTML or Markdown (not blank).")
    name: str | None = Field(default=None, min_length=1, max_length=200,
                             description="Source name recorded on the event; without a url "
                             "it is the article's identity (none: the text's content is).")
    url: str | None = Field(default=None, max_length=2048,
                            json_schema_extra={"pattern": HTTP_URL_PATTERN},
                            description="The article's URL (its identity).")

    @field_validator("text")
    @classmethod
    def _not_blank(cls, v: str) -> str:
        if not v.strip():
            raise ValueError("text is blank")
        return v

    @field_validator("url")
    @classmethod
    def _check_url(cls, v: str | None) -> str | None:
        return http_url(v)


class FeedIn(BaseModel):
    url: str = Field(max_length=2048, json_schema_extra={"pattern": HTTP_URL_PATTERN},
                     description="RSS/Atom/JSON Feed URL.")

    @field_validator("url")
    @classmethod
    def _check_url(cls, v: str) -> str:
        return http_url(v) or v


class Queued(BaseModel):
    task_id: str
    task: str
    status_url: str


class Health(BaseModel):
    status: Literal["ok", "down"]
