"""The `newsworker` command line (typer + rich).

Every expected failure ends as one readable line and a non-zero status, never a traceback.
Heavy modules (Celery, trafilatura) are imported inside the commands that need them.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from worker.errors import ConfigError, NewsworkerError, RejectedInput
from worker.settings import get_settings

log = logging.getLogger(__name__)

app = typer.Typer(help="Event-sourced news ingestion: files and feeds -> Redis Stream -> handlers.",
                  no_args_is_help=True, pretty_exceptions_enable=False, add_completion=False)
submit_app = typer.Typer(help="Queue work for the Celery workers.", no_args_is_help=True)
app.add_typer(submit_app, name="submit")

out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)


def _setup_logging(verbose: bool) -> None:
    level = os.environ.get("NEWSWORKER_LOG_LEVEL", "DEBUG" if verbose else "WARNING")
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")


def _article_json(article: Any, source_name: str) -> dict[str, Any]:
    data: dict[str, Any] = article.model_dump(mode="json")
    data["body"] = "\n\n".join(article.body)
    data["source"] = source_name
    data["article_id"] = article.article_id
    return data


# --- normalize ----------------------------------------------------------------------------
@app.command()
def normalize(
    paths: Annotated[list[Path], typer.Argument(help="Files or directories (recursed).")],
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per article.")] = False,
) -> None:
    """Normalise files to articles without Redis; rejected inputs go to stderr."""
    import orjson

    from worker.sources import articles_from_file, iter_files

    settings = get_settings()
    bad = 0
    for path in iter_files(paths):
        try:
            _, articles = articles_from_file(path, settings)
        except RejectedInput as exc:
            bad += 1
            err.print(f"{path}: {exc.reason}", markup=False, highlight=False)
            continue
        except Exception as exc:
            bad += 1
            log.debug("normalize %s", path, exc_info=True)
            err.print(f"{path}: internal error ({exc.__class__.__name__}: {exc})", markup=False)
            continue
        for art in articles:
            if as_json:
                sys.stdout.buffer.write(orjson.dumps(_article_json(art, str(path))) + b"\n")
            else:
                out.print(f"[bold]{art.title}[/bold]  ({path})", highlight=False)
                meta = [f"dateline {art.dateline}" if art.dateline else "",
                        f"{art.word_count} words", f"id {art.article_id}"]
                out.print("  " + " · ".join(m for m in meta if m), highlight=False)
    sys.stdout.flush()
    if bad:
        raise typer.Exit(1)


# --- submit -------------------------------------------------------------------------------
def _wait_and_report(results: list[tuple[str, Any]], timeout_s: float) -> int:
    from rich.progress import Progress

    failures = 0
    rows: list[dict[str, Any]] = []
    with Progress(console=err, transient=True) as progress:
        task = progress.add_task("waiting for tasks", total=len(results))
        for name, res in results:
            try:
                value = res.get(timeout=timeout_s, propagate=True)
            except Exception as exc:
                value = {"status": "failed", "reason": f"task error: {exc}", "source": name}
            for row in value.get("results") or [value]:
                rows.append(row)
            progress.advance(task)
    for row in rows:
        if row.get("status") == "failed":
            failures += 1
            err.print(f"{row.get('source')}: {row.get('reason')}", markup=False, highlight=False)
        else:
            out.print(f"{row['status']:<9} {row.get('type', ''):<17} v{row.get('version')} "
                      f"{row.get('article_id')} {row.get('entry_id')}  {row.get('title', '')!r}",
                      highlight=False, markup=False)
    ok = len(rows) - failures
    out.print(f"{ok} ok, {failures} failed", highlight=False)
    return 1 if failures else 0


@submit_app.command("file")
def submit_file(
    paths: Annotated[list[Path], typer.Argument(help="Article or feed files; dirs recurse.")],
    wait: Annotated[bool, typer.Option("--wait", help="Wait and print each result.")] = False,
    batch: Annotated[int, typer.Option(help="Files per task (1 = one task per file).")] = 1,
    timeout: Annotated[float, typer.Option(help="Seconds to wait per task.")] = 300.0,
) -> None:
    """Queue files for ingestion (one task per file, or batches with --batch)."""
    from worker.sources import iter_files
    from worker.tasks import ingest_file, ingest_files

    files = [str(p.resolve()) for p in iter_files(paths)]
    results: list[tuple[str, Any]] = []
    if batch <= 1:
        results = [(f, ingest_file.delay(f)) for f in files]
    else:
        for i in range(0, len(files), batch):
            chunk = files[i:i + batch]
            results.append((chunk[0], ingest_files.delay(chunk)))
    err.print(f"queued {len(files)} file(s) in {len(results)} task(s)", highlight=False)
    if not wait:
        for name, res in results:
            out.print(f"{res.id}  {name}", highlight=False, markup=False)
        return
    raise typer.Exit(_wait_and_report(results, timeout))


@submit_app.command("dir")
def submit_dir(
    directory: Annotated[Path, typer.Argument(help="Directory to ingest recursively.")],
    wait: Annotated[bool, typer.Option("--wait")] = False,
    batch: Annotated[int, typer.Option(help="Files per task.")] = 100,
) -> None:
    """Queue every file under a directory, batched."""
    if not directory.is_dir():
        raise RejectedInput("not a directory", location=str(directory))
    submit_file([directory], wait=wait, batch=batch)


@submit_app.command("text")
def submit_text(
    text: Annotated[str, typer.Argument(help="Article text, or - for stdin.")],
    name: Annotated[str, typer.Option(help="Source name for the article.")] = "text",
    url: Annotated[str | None, typer.Option(help="The article's URL (its identity).")] = None,
    wait: Annotated[bool, typer.Option("--wait")] = False,
) -> None:
    """Queue an article given as text."""
    from worker.tasks import ingest_text

    if text == "-":
        text = sys.stdin.read()
    res = ingest_text.delay(text, name=name, url=url)
    if not wait:
        out.print(res.id)
        return
    raise typer.Exit(_wait_and_report([(name, res)], 60))


@submit_app.command("feed")
def submit_feed(
    target: Annotated[str, typer.Argument(help="Feed URL, or a local feed file.")],
    wait: Annotated[bool, typer.Option("--wait", help="Wait and print the poll summary.")] = False,
    timeout: Annotated[float, typer.Option(help="Seconds to wait.")] = 120.0,
) -> None:
    """Poll a feed now (ignores its schedule, back-off and parking; success unparks it)."""
    from worker.feedtasks import is_url, poll_feed, summary_line

    if not is_url(target):
        target = str(Path(target).resolve())
    res = poll_feed.delay(target, options={"force": True})
    if not wait:
        out.print(f"{res.id}  {target}", highlight=False, markup=False)
        return
    value = res.get(timeout=timeout, propagate=True)
    line = summary_line(value)
    if value.get("status") == "failed":
        err.print(line, markup=False, highlight=False)
        raise typer.Exit(1)
    out.print(line, markup=False, highlight=False)


@app.command()
def feeds() -> None:
    """List polled feeds: URL, last poll, result, next due, errors, parked."""
    from worker.feedtasks import feed_states

    for row in feed_states(get_settings()):
        out.print("  ".join(row), markup=False, highlight=False)


# --- events -------------------------------------------------------------------------------
@app.command()
def events(
    as_json: Annotated[bool, typer.Option("--json", help="JSON Lines.")] = False,
    start: Annotated[str, typer.Option("--from", help="First entry id (inclusive).")] = "-",
    count: Annotated[int, typer.Option(help="At most this many.")] = 100,
    failures: Annotated[bool, typer.Option("--failures", help="Read ingestion.failed.")] = False,
) -> None:
    """Read the event stream (or the failures stream)."""
    import orjson

    from worker.store import EventStore

    st = EventStore.from_settings(get_settings())
    key = st.keys.failures if failures else st.keys.events
    for eid, item in st.iter_all(start, stream=key):
        if count <= 0:
            break
        count -= 1
        if isinstance(item, NewsworkerError):
            err.print(f"{eid}: {item}", markup=False)
            continue
        if as_json:
            sys.stdout.buffer.write(orjson.dumps({"entry_id": eid,
                                                  **item.model_dump(mode="json")}) + b"\n")
        elif item.type == "ingestion.failed":
            out.print(f"{eid} {item.type} {item.source.location}: {item.data.reason}",
                      markup=False, highlight=False)
        else:
            out.print(f"{eid} {item.type} v{item.version} {item.article_id} "
                      f"{item.data.title!r}", markup=False, highlight=False)
    sys.stdout.flush()


# --- consume ------------------------------------------------------------------------------
@app.command()
def consume(
    group: Annotated[str, typer.Argument(help="Consumer group name.")],
    handler: Annotated[str, typer.Option(help="Handler name or module:callable.")] = "log",
    consumer: Annotated[str | None, typer.Option(help="Consumer name (default host-pid).")] = None,
    batch: Annotated[int | None, typer.Option(help="Entries per read.")] = None,
    until_idle: Annotated[bool, typer.Option(help="Exit when nothing is left.")] = False,
) -> None:
    """Deliver stream events to a handler through a consumer group."""
    from worker.consume import Consumer
    from worker.handlers import HandlerContext, resolve
    from worker.keys import Keys
    from worker.store import connect

    settings = get_settings()
    client = connect(settings.store_url)
    keys = Keys(settings.key_prefix)
    spec = resolve(handler, HandlerContext(settings, keys, client, group))
    c = Consumer(client, keys, group, spec, settings, consumer=consumer, batch=batch)
    c.install_signal_handlers()
    stats = c.run(until_idle=until_idle)
    err.print(f"consumer {c.name}: handled {stats.handled}, skipped {stats.skipped}, "
              f"failed {stats.failed}, dead-lettered {stats.dead_lettered}", highlight=False)


# --- handlers: replay, rebuild, dead letters, trim, catalog (see docs/handlers.md) ---------
dlq_app = typer.Typer(help="Dead-lettered events: list, retry, purge.", no_args_is_help=True)
articles_app = typer.Typer(help="The catalog read model.", no_args_is_help=True)
app.add_typer(dlq_app, name="dlq")
app.add_typer(articles_app, name="articles")


def _client_keys() -> tuple[Any, Any]:
    from worker.keys import Keys
    from worker.store import connect

    settings = get_settings()
    return connect(settings.store_url), Keys(settings.key_prefix)


def _print_json(obj: Any) -> None:
    import orjson

    sys.stdout.buffer.write(orjson.dumps(obj) + b"\n")
    sys.stdout.flush()


@app.command()
def replay(
    group: Annotated[str, typer.Argument(help="Consumer group to rewind.")],
    start: Annotated[str, typer.Option("--from", help="Entry id, 0, or ISO-8601 time.")],
) -> None:
    """Re-deliver events from a point on to a group (handlers are idempotent)."""
    from worker.replay import replay as do_replay

    client, keys = _client_keys()
    pos = do_replay(client, keys, group, start)
    out.print(f"group {group} rewound: entries after {pos} will be delivered again",
              highlight=False)


@app.command()
def rebuild(
    model: Annotated[str, typer.Argument(help="Read model to rebuild: catalog.")],
) -> None:
    """Rebuild a read model from the whole stream into fresh keys, then swap it in."""
    from worker.catalog import rebuild as rebuild_catalog

    if model != "catalog":
        raise ConfigError(f"rebuild: unknown read model {model!r} (known: catalog)")
    client, keys = _client_keys()
    n, digest = rebuild_catalog(client, keys)
    out.print(f"catalog rebuilt from {n} events, state {digest}", highlight=False)


@app.command()
def trim(
    maxlen: Annotated[int | None, typer.Option(help="Keep at most this many entries.")] = None,
    minid: Annotated[str | None, typer.Option(help="Remove entries below this id.")] = None,
) -> None:
    """Trim the event stream, never past entries a consumer group still needs."""
    from worker.replay import trim as do_trim

    settings = get_settings()
    client, keys = _client_keys()
    removed = do_trim(client, keys, maxlen=maxlen if maxlen or minid else settings.stream_maxlen,
                      minid=minid)
    out.print(f"removed {removed} entries", highlight=False)


@dlq_app.command("list")
def dlq_list_cmd(
    group: Annotated[str | None, typer.Option(help="Only this group.")] = None,
    limit: Annotated[int, typer.Option(help="At most this many.")] = 100,
    as_json: Annotated[bool, typer.Option("--json", help="JSON Lines.")] = False,
) -> None:
    """List dead letters (oldest first)."""
    from worker.replay import dlq_list

    client, keys = _client_keys()
    for d in dlq_list(client, keys, group=group, limit=limit):
        if as_json:
            _print_json(d.as_dict())
        else:
            out.print(f"{d.id} group={d.group} handler={d.handler} entry={d.entry_id} "
                      f"{d.type} x{d.deliveries}: {d.error}", markup=False, highlight=False)


@dlq_app.command("retry")
def dlq_retry_cmd(
    ids: Annotated[list[str] | None, typer.Argument(help="Dead-letter ids (default: all).")] = None,
    group: Annotated[str | None, typer.Option(help="Only this group's.")] = None,
) -> None:
    """Give dead letters back to their own group for another round of deliveries."""
    from worker.replay import dlq_retry

    client, keys = _client_keys()
    done = dlq_retry(client, keys, group=group, ids=ids or None)
    for d, how in done:
        out.print(f"{d.id} -> group {d.group} ({how})", markup=False, highlight=False)
    out.print(f"{len(done)} dead letter(s) retried", highlight=False)


@dlq_app.command("purge")
def dlq_purge_cmd(
    ids: Annotated[list[str] | None, typer.Argument(help="Dead-letter ids.")] = None,
    group: Annotated[str | None, typer.Option(help="Only this group's.")] = None,
    purge_all: Annotated[bool, typer.Option("--all", help="Every dead letter.")] = False,
) -> None:
    """Delete dead letters for good."""
    from worker.replay import dlq_purge

    if not (ids or group or purge_all):
        raise ConfigError("dlq purge: give ids, --group or --all")
    client, keys = _client_keys()
    out.print(f"purged {dlq_purge(client, keys, group=group, ids=ids or None)}", highlight=False)


@articles_app.command("list")
def articles_list(
    source: Annotated[str | None, typer.Option(help="Source kind or site name.")] = None,
    since: Annotated[str | None, typer.Option(help="Published on/after (ISO date).")] = None,
    limit: Annotated[int, typer.Option(help="At most this many.")] = 50,
    as_json: Annotated[bool, typer.Option("--json", help="JSON Lines.")] = False,
) -> None:
    """Latest version of each article, newest first."""
    from datetime import datetime

    from worker.catalog import Catalog

    try:
        when = datetime.fromisoformat(since) if since else None
    except ValueError:
        raise ConfigError(f"--since {since!r}: expected an ISO-8601 date") from None
    client, keys = _client_keys()
    for doc in Catalog(client, keys).latest(source=source, since=when, limit=limit):
        if as_json:
            _print_json(doc)
        else:
            out.print(f"{doc['article_id']} v{doc['version']} {(doc['published_at'] or '-')[:10]} "
                      f"{doc['site_name'] or doc['source_kind']}: {doc['title']}",
                      markup=False, highlight=False)


@articles_app.command("show")
def articles_show(
    article_id: Annotated[str, typer.Argument(help="Article id.")],
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """One article's latest catalog entry."""
    from worker.catalog import Catalog

    client, keys = _client_keys()
    doc = Catalog(client, keys).get(article_id)
    if doc is None:
        raise RejectedInput("no such article in the catalog", location=article_id)
    if as_json:
        _print_json(doc)
        return
    for k, v in doc.items():
        out.print(f"{k:>16}: {v}", markup=False, highlight=False)


# --- status / serve (see docs/monitoring.md) ----------------------------------------------
@app.command()
def status(
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object.")] = False,
    watch: Annotated[bool, typer.Option("--watch", help="Refresh every 2 s until Ctrl-C.")] = False,
) -> None:
    """Queues, workers, stream, groups, dead letters, feeds; exit 1 when an alert is raised."""
    import time

    from worker.celeryapp import make_app
    from worker.monitor import collect, render

    settings = get_settings()
    celery = make_app(settings)
    snap = collect(settings, app=celery)
    if as_json and not watch:
        _print_json(snap)
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
    raise typer.Exit(1 if snap["alerts"] else 0)


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Bind address (default api_host).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default api_port).")] = None,
) -> None:
    """The HTTP API, dashboard (/) and Prometheus /metrics."""
    from worker.api import serve as run_api

    run_api(get_settings(), host=host, port=port)


# --- run ----------------------------------------------------------------------------------
@app.command()
def run(
    paths: Annotated[list[Path] | None, typer.Argument(help="Inputs (default seeds/).")] = None,
    serve: Annotated[bool, typer.Option("--serve", help="Keep running after ingesting.")] = False,
    handler: Annotated[str, typer.Option(help="Handler for the run's consumer.")] = "log",
    timeout: Annotated[float, typer.Option(help="Seconds to wait for everything.")] = 120.0,
) -> None:
    """The standalone main job: Redis (embedded unless configured), worker, consumer, ingest."""
    from worker.runner import run_main

    raise typer.Exit(run_main(paths or [Path("seeds")], serve=serve, handler=handler,
                              timeout_s=timeout, console=out, errors=err))


def main() -> None:
    _setup_logging(verbose=False)
    try:
        app()
    except ConfigError as exc:
        err.print(f"newsworker: {exc}", markup=False, highlight=False)
        sys.exit(2)
    except RejectedInput as exc:
        err.print(f"{exc}", markup=False, highlight=False)
        sys.exit(1)
    except NewsworkerError as exc:
        err.print(f"newsworker: {exc}", markup=False, highlight=False)
        sys.exit(1)
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as exc:
        import redis

        if isinstance(exc, redis.ConnectionError):
            err.print(f"newsworker: cannot reach Redis ({exc})", markup=False)
            sys.exit(2)
        raise


if __name__ == "__main__":
    main()
