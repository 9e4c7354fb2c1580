"""Operator commands of the `newsworker` CLI: monitoring, serving, replay and read models.

Plain functions; worker.cli.app registers them on the typer app.
"""

from __future__ import annotations

import logging
from typing import Annotated, Any

import typer

from worker.cli.console import cli_settings, out, print_json
from worker.errors import ConfigError, RejectedInput

log = logging.getLogger(__name__)


# --- handlers: replay, rebuild, dead letters, trim, catalog (see docs/handlers.md) ---------
def store_client_keys() -> tuple[Any, Any]:
    from worker.store.eventstore import EventStore

    store = EventStore.from_settings(cli_settings())
    return store.redis, store.keys


def replay(
    group: Annotated[str, typer.Argument(help="Consumer group to rewind.")],
    start: Annotated[str, typer.Option("--from", help="Entry id, 0, or ISO-8601 time.")],
) -> None:
    """Re-deliver events from a point on to a group (handlers are idempotent)."""
    from worker.consumers.replay import replay as do_replay

    client, keys = store_client_keys()
    pos = do_replay(client, keys, group, start)
    out.print(f"group {group} rewound: entries after {pos} will be delivered again",
              highlight=False)


def rebuild(
    model: Annotated[str, typer.Argument(
        help="Read model to rebuild: catalog, postgres, history, stories.")],
) -> None:
    """Rebuild a read model from the whole stream into fresh keys, then swap it in."""
    from worker.consumers.builtin.catalog import rebuild as rebuild_catalog
    from worker.consumers.builtin.postgres import rebuild as rebuild_postgres

    if model not in ("catalog", "postgres", "history", "stories"):
        raise ConfigError(f"rebuild: unknown read model {model!r} (known: catalog, postgres, "
                          "history, stories)")
    client, keys = store_client_keys()
    if model == "stories":
        from worker.cli.stories_commands import rebuild_stories

        rebuild_stories(client, keys)
        return
    if model == "history":
        from worker.cli.history_commands import rebuild_history

        rebuild_history(client, keys)
        return
    if model == "postgres":
        n, digest = rebuild_postgres(cli_settings(), client, keys)
        out.print(f"postgres rebuilt from {n} events, state {digest}", highlight=False)
        return
    n, digest = rebuild_catalog(client, keys)
    out.print(f"catalog rebuilt from {n} events, state {digest}", highlight=False)


def trim(
    maxlen: Annotated[int | None, typer.Option(help="Keep at most this many entries.")] = None,
    minid: Annotated[str | None, typer.Option(help="Remove entries below this id.")] = None,
) -> None:
    """Trim the event stream, never past entries a consumer group still needs; names the
    groups that held entries back, and why."""
    from worker.store.retention import holding_back, safe_minid
    from worker.store.retention import trim as do_trim

    settings = cli_settings()
    client, keys = store_client_keys()
    if not (maxlen or minid):
        maxlen = settings.stream_maxlen
    removed = do_trim(client, keys, maxlen=maxlen, minid=minid)
    out.print(f"removed {removed} entries", highlight=False)
    blockers = holding_back(client, keys, maxlen=maxlen, minid=minid)
    asked = minid is not None or int(client.xlen(keys.events)) > (maxlen or 0)
    if asked and safe_minid(client, keys) is None:
        out.print("kept everything: no consumer group exists, so nothing is known to be "
                  "handled", highlight=False)
    for g in blockers:
        why = (f"{g.pending} pending (unacknowledged) from {g.oldest_pending_id}"
               if g.oldest_pending_id else f"has read only up to {g.last_delivered_id}")
        out.print(f"held back by group {g.name}: {why}; `newsworker groups delete {g.name}` "
                  "if it is abandoned", markup=False, highlight=False)


def dlq_list_cmd(
    group: Annotated[str | None, typer.Option(help="Only this group.")] = None,
    limit: Annotated[int, typer.Option(help="At most this many.")] = 100,
    as_json: Annotated[bool, typer.Option("--json", help="JSON Lines.")] = False,
) -> None:
    """List dead letters (oldest first)."""
    from worker.consumers.replay import dlq_list

    client, keys = store_client_keys()
    for d in dlq_list(client, keys, group=group, limit=limit):
        if as_json:
            print_json(d.as_dict())
        else:
            out.print(f"{d.id} group={d.group} handler={d.handler} entry={d.entry_id} "
                      f"{d.type} x{d.deliveries}: {d.error}", markup=False, highlight=False)


def dlq_retry_cmd(
    ids: Annotated[list[str] | None, typer.Argument(help="Dead-letter ids (default: all).")] = None,
    group: Annotated[str | None, typer.Option(help="Only this group's.")] = None,
) -> None:
    """Give dead letters back to their own group for another round of deliveries."""
    from worker.consumers.replay import dlq_retry

    client, keys = store_client_keys()
    done = dlq_retry(client, keys, group=group, ids=ids or None)
    for d, how in done:
        out.print(f"{d.id} -> group {d.group} ({how})", markup=False, highlight=False)
    out.print(f"{len(done)} dead letter(s) retried", highlight=False)


def dlq_purge_cmd(
    ids: Annotated[list[str] | None, typer.Argument(help="Dead-letter ids.")] = None,
    group: Annotated[str | None, typer.Option(help="Only this group's.")] = None,
    purge_all: Annotated[bool, typer.Option("--all", help="Every dead letter.")] = False,
) -> None:
    """Delete dead letters for good."""
    from worker.consumers.replay import dlq_purge

    if not (ids or group or purge_all):
        raise ConfigError("dlq purge: give ids, --group or --all")
    client, keys = store_client_keys()
    out.print(f"purged {dlq_purge(client, keys, group=group, ids=ids or None)}", highlight=False)


def articles_list(
    source: Annotated[str | None, typer.Option(help="Source kind or site name.")] = None,
    since: Annotated[str | None, typer.Option(help="Published on/after (ISO date).")] = None,
    limit: Annotated[int, typer.Option(help="At most this many.")] = 50,
    as_json: Annotated[bool, typer.Option("--json", help="JSON Lines.")] = False,
) -> None:
    """Latest version of each article, newest first."""
    from datetime import datetime

    from worker.consumers.builtin.catalog import Catalog

    try:
        when = datetime.fromisoformat(since) if since else None
    except ValueError:
        raise ConfigError(f"--since {since!r}: expected an ISO-8601 date") from None
    client, keys = store_client_keys()
    for doc in Catalog(client, keys).latest(source=source, since=when, limit=limit):
        if as_json:
            print_json(doc)
        else:
            out.print(f"{doc['article_id']} v{doc['version']} {(doc['published_at'] or '-')[:10]} "
                      f"{doc['site_name'] or doc['source_kind']}: {doc['title']}",
                      markup=False, highlight=False)


def articles_show(
    article_id: Annotated[str, typer.Argument(help="Article id.")],
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object.")] = False,
    as_of: Annotated[str | None, typer.Option("--as-of", help="The article as it stood at "
                                              "this ISO-8601 time (with its body).")] = None,
    version: Annotated[int | None, typer.Option("--version", help="... or at this version.")
                       ] = None,
) -> None:
    """One article's latest catalog entry, or (--as-of / --version) an earlier version."""
    from worker.consumers.builtin.catalog import Catalog

    if as_of is not None or version is not None:
        from worker.cli.history_commands import show_version

        show_version(article_id, version=version, as_of=as_of, as_json=as_json)
        return
    client, keys = store_client_keys()
    doc = Catalog(client, keys).get(article_id)
    if doc is None:
        raise RejectedInput("no such article in the catalog", location=article_id)
    if as_json:
        print_json(doc)
        return
    for k, v in doc.items():
        out.print(f"{k:>16}: {v}", markup=False, highlight=False)


# --- status / serve (see docs/monitoring.md) ----------------------------------------------
def status(
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object.")] = False,
    watch: Annotated[bool, typer.Option("--watch", help="Refresh every 2 s until Ctrl-C.")] = False,
) -> None:
    """Queues, workers, stream, groups, dead letters, feeds, Redis memory and persistence.
    Exit 0: no alert, 1: an alert is raised, 2: Redis unreachable, 3: configuration error."""
    import time

    from worker.cli.console import err
    from worker.cli.render import render
    from worker.ops.monitor import collect
    from worker.tasks.app import create_app

    try:
        settings = cli_settings()
    except ConfigError as exc:  # a healthcheck must tell a bad setting from a sick system
        err.print(f"newsworker: {exc}", markup=False, highlight=False)
        raise typer.Exit(3) from None
    celery = create_app(settings)
    snap = collect(settings, app=celery)
    if as_json and not watch:
        print_json(snap.model_dump(mode="json"))
    elif not watch:
        out.print(render(snap))
    else:
        from rich.live import Live

        try:
            with Live(render(snap), console=out, auto_refresh=False) as live:
                while True:
                    time.sleep(2)
                    snap = collect(settings, app=celery)
                    live.update(render(snap), refresh=True)
        except KeyboardInterrupt:
            pass
    raise typer.Exit(1 if snap.alerts else 0)


def serve(
    host: Annotated[str | None, typer.Option(help="Bind address (default api_host).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default api_port).")] = None,
) -> None:
    """The HTTP API, dashboard (/) and Prometheus /metrics."""
    from worker.api.app import serve as run_api

    run_api(cli_settings(), host=host, port=port)


def register(app: typer.Typer) -> typer.Typer:
    """Register the operator commands; returns the `articles` sub-app for more commands."""
    dlq_app = typer.Typer(help="Dead-lettered events: list, retry, purge.", no_args_is_help=True)
    articles_app = typer.Typer(help="The catalog read model.", no_args_is_help=True)
    app.add_typer(dlq_app, name="dlq")
    app.add_typer(articles_app, name="articles")
    for fn in (replay, rebuild, trim, status, serve):
        app.command()(fn)
    dlq_app.command("list")(dlq_list_cmd)
    dlq_app.command("retry")(dlq_retry_cmd)
    dlq_app.command("purge")(dlq_purge_cmd)
    articles_app.command("list")(articles_list)
    articles_app.command("show")(articles_show)
    return articles_app
