"""A page of the event stream bounded in bytes: what ``/v1/events`` and ``newsworker events``
return.

By default each entry is a summary (id, type, article id, version, a truncated title, time,
sizes) built from the entry's small fields and the article's history index, never from its
body: the walk (``worker.store.peek``) brings back at most ``SUMMARY_VALUE_BYTES`` of any value.
With ``full`` each entry also carries its decoded event, read whole only when it fits what is
left of ``max_bytes``; the page ends before the first one that does not (a first entry larger
than the whole budget comes as its summary, with ``omitted`` saying why, so paging always
moves on). ``truncated`` says the page ended early; ``next_after`` continues it.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

import orjson
import redis
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from worker.errors import EventDecodeError
from worker.events.codec import decode
from worker.events.models import INGESTION_FAILED
from worker.redisconn import to_str
from worker.store.history import Summary
from worker.store.keys import Keys
from worker.store.peek import Peek, Peeked

TITLE_CHARS = 200  # of a title in a summary (the whole title is in the full event)
TEXT_CHARS = 500  # of a failure's reason or a source location in a summary
# Longest value the walk returns whole: every small field, and the body of a small failure
# (decoded for its reason); an article's body never is (its summary comes from the history).
SUMMARY_VALUE_BYTES = 16 * 1024
# Bytes of entries one page may pass over inside Redis: walking entries costs Redis ~2 ms per
# MB (measured: 10 entries of 9 MB in 180 ms), so a page of huge articles stops after ~64 MB
# (truncated, with next_after) instead of holding Redis for a second.
WALK_BYTES = 64 * 1024 * 1024
PAGE_SLACK_BYTES = 1024  # the page's own keys around its events


class ChangeCounts(BaseModel):
    model_config = ConfigDict(frozen=True)

    fields: list[str] = Field(description="Article fields the revision changed")
    words_added: int
    words_removed: int


class EventSummary(BaseModel):
    model_config = ConfigDict(frozen=True)

    entry_id: str
    type: str | None = Field(description="None: the entry could not be decoded")
    version: int | None = None
    article_id: str | None = None
    event_id: str | None = None
    occurred_at: datetime | None = None
    title: str | None = Field(default=None, description=f"At most {TITLE_CHARS} characters")
    title_truncated: bool = False
    source: str | None = Field(default=None, description="The source's location (failures; "
                               f"at most {TEXT_CHARS} characters)")
    reason: str | None = Field(default=None, description="ingestion.failed: why")
    code: str | None = Field(default=None, description="ingestion.failed: its code")
    changes: ChangeCounts | None = Field(default=None, description="article.revised: what "
                                         "changed, when known")
    size_bytes: int = Field(description="The whole stream entry")
    body_bytes: int = Field(description="Its body (the event's JSON)")
    error: str | None = Field(default=None, description="Why the entry could not be decoded")
    event: dict[str, Any] | None = Field(default=None, description="full=true: the decoded "
                                         "event (what `newsworker events --full` prints)")
    omitted: str | None = Field(default=None, description="full=true: why `event` is not "
                                "here")


class EventsPage(BaseModel):
    model_config = ConfigDict(frozen=True)

    events: list[EventSummary] = Field(description="Oldest first")
    next_after: str | None = Field(description="Continue with after=<this>")
    truncated: bool = Field(description="The page ended before its limit (max_bytes, or the "
                            "bytes one page may walk): continue with after=next_after")
    max_bytes: int = Field(description="The bound this page was built under")


def _cut(text: str, limit: int) -> tuple[str, bool]:
    return (text, False) if len(text) <= limit else (text[:limit] + "…", True)


def _body_bytes(entry: Peeked) -> int:
    return entry.cut.get("body", len(entry.fields.get("body", b"")))


def _from_event(entry: Peeked, event: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"type": event.type, "version": event.version,
                           "article_id": event.article_id, "event_id": event.event_id,
                           "occurred_at": event.occurred_at}
    if event.type == INGESTION_FAILED:
        out["reason"] = _cut(event.data.reason, TEXT_CHARS)[0]
        out["code"] = event.data.code
        out["source"] = _cut(event.source.location, TEXT_CHARS)[0]
    else:
        out["title"], out["title_truncated"] = _cut(event.data.title, TITLE_CHARS)
    return out


# What a cut history member still gives: its start is `<entry id>\n{"version":..,"type":..,
# "event_id":..,"occurred_at":..,"title":"...` (Summary's field order), so the time and the
# start of the title are there; the rest is not needed for a summary.
_CUT_MEMBER_RE = re.compile(rb'"occurred_at":"([^"]+)","title":"((?:[^"\\]|\\.)*)')


def _summary(member: bytes, cut: bool) -> Summary | None:
    """The history summary of a member; from a cut one, its time and the title's start."""
    text = member.partition(b"\n")[2]
    try:
        if not cut:
            return Summary.model_validate_json(text)
        m = _CUT_MEMBER_RE.search(text)
        if m is None:
            return None
        whole = m.end() < len(text)  # the title's closing quote is within the cut
        raw = m.group(2) if whole else re.sub(rb"\\u[0-9a-fA-F]{0,3}$", b"", m.group(2))
        title = orjson.loads(b'"' + raw.decode("utf-8", "ignore").encode() + b'"')
        return Summary.model_validate({
            "version": 0, "type": "", "event_id": "", "word_count": 0, "content_hash": "",
            "occurred_at": m.group(1).decode(), "title": title if whole else title + "…"})
    except (ValidationError, orjson.JSONDecodeError, UnicodeDecodeError):
        return None


def summarise(entry: Peeked, history: tuple[bytes, bool] | None) -> EventSummary:
    """An entry's summary from its small fields, its history member (article events) or, for
    a body that arrived whole, the body itself."""
    f = {k: to_str(v) for k, v in entry.fields.items() if k not in entry.cut}
    base: dict[str, Any] = {"entry_id": entry.entry_id, "size_bytes": entry.size_bytes,
                            "body_bytes": _body_bytes(entry), "type": f.get("type"),
                            "article_id": f.get("article_id") or None,
                            "event_id": f.get("event_id")}
    if (f.get("version") or "").isdigit():
        base["version"] = int(f["version"])
    if history is not None:
        s = _summary(*history)
        if s is not None:
            title, cut = _cut(s.title, TITLE_CHARS)
            changes = None if s.changes is None else ChangeCounts(
                fields=list(s.changes.fields), words_added=s.changes.words_added,
                words_removed=s.changes.words_removed)
            return EventSummary(**base, occurred_at=s.occurred_at, title=title,
                                title_truncated=cut, changes=changes)
    body = entry.whole("body")
    if body is None:
        return EventSummary(**base)
    try:
        event = decode(entry.entry_id, {k.encode(): v for k, v in entry.fields.items()})
    except EventDecodeError as exc:
        return EventSummary(**{**base, "type": None, "error": str(exc)[:TEXT_CHARS]})
    return EventSummary(**{**base, **_from_event(entry, event)})


def _history(client: redis.Redis, keys: Keys, entries: list[Peeked]
             ) -> list[tuple[bytes, bool] | None]:
    """Each article entry's member of its article's history index, cut at
    ``SUMMARY_VALUE_BYTES`` (True: it was cut); None when it is not there."""
    wanted: list[tuple[str, str, int, str]] = []
    asked: list[bool] = []
    for e in entries:
        aid, version = to_str(e.fields.get("article_id", b"")), to_str(e.fields.get("version", b""))
        ok = bool(aid) and version.isdigit() and e.fields.get("type") != INGESTION_FAILED.encode()
        if ok:
            wanted.append((keys.history(aid), keys.versions(aid), int(version), e.entry_id))
        asked.append(ok)
    replies = iter(Peek(client).members(wanted, value_bytes=SUMMARY_VALUE_BYTES))
    out: list[tuple[bytes, bool] | None] = []
    for e, a in zip(entries, asked, strict=True):
        members = next(replies) if a else []
        # the member of this entry (a version re-appended after a conflict has one member)
        out.append(next((m for m in members if m[0].startswith(e.entry_id.encode() + b"\n")),
                        None))
    return out


def _size(row: EventSummary) -> int:
    return len(orjson.dumps(row.model_dump(mode="json"))) + 1


def page(client: redis.Redis, keys: Keys, stream: str, *, max_bytes: int, limit: int,
         after: str | None = None, start: str = "-", tail: int | None = None,
         full: bool = False) -> EventsPage:
    """Entries after ``after`` (exclusive; else from ``start``, inclusive), or the newest
    ``tail``, oldest first, in at most ``max_bytes`` of JSON."""
    peek = Peek(client)
    if tail is not None:
        walk = peek.walk(stream, newest_first=True, count=tail, walk_bytes=WALK_BYTES,
                         value_bytes=SUMMARY_VALUE_BYTES)
        entries = walk.entries  # newest first: a budget that runs out drops the oldest
    else:
        walk = peek.walk(stream, start=f"({after}" if after else start, count=limit,
                         walk_bytes=WALK_BYTES, value_bytes=SUMMARY_VALUE_BYTES)
        entries = walk.entries
    budget = max_bytes - PAGE_SLACK_BYTES
    rows: list[EventSummary] = []
    truncated = walk.stopped
    for entry, member in zip(entries, _history(client, keys, entries), strict=True):
        row: EventSummary | None = summarise(entry, member)
        if full and row is not None:
            row = _with_event(client, stream, entry, row, budget - _size(row), first=not rows)
        if row is None:
            truncated = True
            break
        cost = _size(row)
        if cost > budget:
            truncated = True
            break
        budget -= cost
        rows.append(row)
    if tail is not None:
        rows.reverse()
        next_after = entries[0].entry_id if rows else after
    else:
        next_after = rows[-1].entry_id if rows else after
    return EventsPage(events=rows, next_after=next_after, truncated=truncated,
                      max_bytes=max_bytes)


def _with_event(client: redis.Redis, stream: str, entry: Peeked, row: EventSummary,
                room: int, *, first: bool) -> EventSummary | None:
    """``row`` with its decoded event when the entry fits in ``room`` bytes; a first entry
    that cannot fit comes without it (``omitted``); None: the page ends before it."""
    # The event's JSON is about its body's size (the body is that JSON).
    if _body_bytes(entry) > room:
        if not first:
            return None
        return row.model_copy(update={"omitted": f"the event's {_body_bytes(entry)} bytes "
                                      "exceed max_bytes"})
    raw = client.xrange(stream, entry.entry_id, entry.entry_id)
    if not raw:  # trimmed meanwhile
        return row.model_copy(update={"omitted": "trimmed from the stream"})
    try:
        event = decode(entry.entry_id, raw[0][1]).model_dump(mode="json")
    except EventDecodeError as exc:
        return row.model_copy(update={"omitted": str(exc)[:TEXT_CHARS]})
    size = len(orjson.dumps(event))
    if size > room:  # upcasting can add a little
        return row.model_copy(update={"omitted": f"the event's {size} bytes exceed "
                                      "max_bytes"}) if first else None
    return row.model_copy(update={"event": event})
