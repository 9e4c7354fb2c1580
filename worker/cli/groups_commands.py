"""`newsworker groups`: list consumer groups, delete an abandoned one, prune dead consumers.

Plain functions; worker.cli.app registers them on the typer app.
"""

from __future__ import annotations

import logging
from typing import Annotated, Any

import typer

from worker.cli.console import cli_settings, out, print_json

log = logging.getLogger(__name__)


def store_client_keys() -> tuple[Any, Any]:
    from worker.store.eventstore import EventStore

    store = EventStore.from_settings(cli_settings())
    return store.redis, store.keys


def age(ms: int | None) -> str:
    if ms is None or ms < 0:
        return "-"
    seconds = ms // 1000
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


def groups_list(
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per group.")] = False,
) -> None:
    """Consumer groups on the event stream: position, pending, lag and each consumer's
    pending entries and inactivity."""
    from worker.store.groupadmin import groups_with_consumers

    client, keys = store_client_keys()
    rows = groups_with_consumers(client, keys)
    if not rows and not as_json:
        out.print("no consumer groups", highlight=False)
    for g, members in rows:
        if as_json:
            print_json({"group": g.name, "last_delivered_id": g.last_delivered_id,
                        "pending": g.pending, "lag": g.lag, "lag_capped": not g.lag_exact,
                        "oldest_pending_id": g.oldest_pending_id,
                        "consumers": [{"name": c.name, "pending": c.pending,
                                       "inactive_ms": c.inactive_ms} for c in members]})
            continue
        lag = "?" if g.lag < 0 else str(g.lag) if g.lag_exact else f">={g.lag}"
        out.print(f"{g.name}  last={g.last_delivered_id} pending={g.pending} lag={lag} "
                  f"consumers={len(members)}", markup=False, highlight=False)
        for c in members:
            out.print(f"  {c.name}  pending={c.pending} inactive={age(c.inactive_ms)}",
                      markup=False, highlight=False)


def groups_delete(
    group: Annotated[str, typer.Argument(help="Consumer group to delete.")],
) -> None:
    """Delete an abandoned consumer group (and its redelivery guard) so it no longer holds
    back trimming. Its dead letters stay until `dlq purge --group`."""
    from worker.store.groupadmin import delete_group

    client, keys = store_client_keys()
    dropped = delete_group(client, keys, group)
    out.print(f"deleted group {group} ({dropped} pending entries dropped)", highlight=False)


def groups_prune(
    idle: Annotated[float, typer.Option(help="Seconds a consumer must have been inactive.")]
    = 3600.0,
    group: Annotated[str | None, typer.Option(help="Only this group (default: all).")] = None,
) -> None:
    """Delete consumers inactive for longer than --idle; one still owning pending entries is
    kept (a live consumer claims them first)."""
    from worker.store.groupadmin import prune_consumers

    client, keys = store_client_keys()
    results = prune_consumers(client, keys, idle, group=group)
    for r in results:
        what = "removed" if r.removed else f"kept ({r.pending} pending)"
        out.print(f"{r.group}/{r.consumer} inactive {age(r.inactive_ms)}: {what}",
                  markup=False, highlight=False)
    out.print(f"{sum(r.removed for r in results)} consumer(s) removed", highlight=False)


def register(app: typer.Typer) -> None:
    groups_app = typer.Typer(help="Consumer groups: list, delete, prune consumers.",
                             no_args_is_help=True)
    app.add_typer(groups_app, name="groups")
    groups_app.command("list")(groups_list)
    groups_app.command("delete")(groups_delete)
    groups_app.command("prune-consumers")(groups_prune)
