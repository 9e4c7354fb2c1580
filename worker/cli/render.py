"""Terminal rendering for the CLI: the status snapshot as rich tables, one-line summaries."""

from __future__ import annotations

import time
from typing import Any

from rich.console import Group
from rich.table import Table
from rich.text import Text

from worker.ops.snapshot import Snapshot


def _age(ts: float | None, now: float) -> str:
    if ts is None:
        return "-"
    d = now - ts
    return f"{d:.0f}s ago" if d >= 0 else f"in {-d:.0f}s"


def render(snap: Snapshot) -> Any:
    """Rich tables for a snapshot."""
    now = snap.at
    parts: list[Any] = []
    w = snap.workers
    q = Table(title="Celery", title_justify="left")
    for col in ("queue", "depth"):
        q.add_column(col)
    for name, depth in snap.queues.items():
        q.add_row(name, str(depth))
    q.add_row("(unacked, all queues)", str(snap.unacked))
    q.add_row("(submissions not yet received)", str(snap.journal_pending))
    q.add_row("live workers", str(w.live))
    q.add_row("active tasks", str(w.active))
    parts.append(q)
    s = snap.stream
    st = Table(title="Event stream", title_justify="left")
    for col in ("length", "first id", "last id", "newest age", "events/min (5 min)"):
        st.add_column(col)
    age = "-" if s.newest_age_s is None else f"{s.newest_age_s:.1f}s"
    st.add_row(str(s.length), s.first_id or "-", s.last_id or "-", age,
               f"{s.events_per_minute:.1f}")
    parts.append(st)
    g = Table(title="Consumer groups", title_justify="left")
    for col in ("group", "consumers", "pending", "lag", "oldest pending idle"):
        g.add_column(col)
    for row in snap.groups:
        idle = row.oldest_pending_idle_ms
        g.add_row(row.name, str(row.consumers), str(row.pending),
                  f">={row.lag}" if row.lag_capped else str(row.lag),
                  "-" if idle is None else f"{idle / 1000:.1f}s")
    parts.append(g)
    d = Table(title=f"Dead letters: {snap.dead_letters.length}  ·  "
                    f"ingestion failures: {snap.failures.length}", title_justify="left")
    for col in ("id", "group / source", "error / reason"):
        d.add_column(col, overflow="fold")
    for dl in snap.dead_letters.recent:
        d.add_row(dl.id, dl.group, dl.error)
    for fr in snap.failures.recent:
        d.add_row(fr.entry_id, fr.source, f"[{fr.code}] {fr.reason}")
    parts.append(d)
    if snap.feeds:
        f = Table(title="Feeds", title_justify="left")
        for col in ("url", "last poll", "result", "next due", "errors", "parked"):
            f.add_column(col, overflow="fold")
        for r in snap.feeds:
            f.add_row(r.url, _age(r.last_poll_at, now), r.last_result,
                      _age(r.next_due_at, now), str(r.error_count),
                      r.parked_reason or ("yes" if r.parked else ""))
        parts.append(f)
    if snap.redis is not None:
        rh = snap.redis
        limit = f"{rh.maxmemory_bytes / 2**20:.0f} MiB" if rh.maxmemory_bytes else "no limit"
        parts.append(Text(f"Redis {rh.version}: {rh.used_memory_bytes / 2**20:.1f} MiB used "
                          f"({limit}), policy {rh.maxmemory_policy}, "
                          f"AOF {'on' if rh.aof_enabled else 'off'}"))
    if snap.alerts:
        parts.extend(Text(f"ALERT: {a.message}", style="bold red") for a in snap.alerts)
    else:
        parts.append(Text("no alerts", style="green"))
    return Group(*parts)




def summary_line(result: dict[str, Any]) -> str:
    status = result.get("status", "?")
    if status == "failed":
        return f"{result.get('url')}: failed: {result.get('reason')}"
    parts = [f"{result.get('url')}: {status}"]
    for k in ("entries", "appended", "ingested", "revised", "unchanged", "conflicts",
              "failed_entries", "filtered"):
        if k in result and (k != "conflicts" or result[k]):
            parts.append(f"{k} {result[k]}")
    if result.get("reason"):
        parts.append(str(result["reason"]))
    return ", ".join(parts)


def feed_rows(states: list[dict[str, str]]) -> list[list[str]]:
    """`newsworker feeds`: a header, then one row per feed."""

    def when(v: str) -> str:
        return time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(float(v))) if v else "-"

    rows = [["URL", "LAST POLL (UTC)", "RESULT", "NEXT DUE (UTC)", "ERRORS", "PARKED"]]
    for s in states:
        rows.append([s.get("url", s["feed_id"]), when(s.get("last_poll_at", "")),
                     s.get("last_result", "-"), when(s.get("next_due_at", "")),
                     s.get("error_count", "0"),
                     s.get("parked_reason", "") if s.get("parked") == "1" else "no"])
    return rows
