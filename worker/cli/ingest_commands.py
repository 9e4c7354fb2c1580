"""CLI commands on the way in: normalise, submit, feeds, events, consume, run.

Plain functions; worker.cli.app registers them on the typer app. Heavy modules (Celery,
trafilatura) are imported inside the commands that need them.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from worker.cli.console import cli_settings, err, out
from worker.cli.render import feed_rows, summary_line
from worker.errors import RejectedInput

if TYPE_CHECKING:
    from worker.ops.client import Client

log = logging.getLogger(__name__)


def article_json(article: Any, source_name: str) -> dict[str, Any]:
    data: dict[str, Any] = article.model_dump(mode="json")
    data["body"] = "\n\n".join(article.body)
    data["source"] = source_name
    data["article_id"] = article.article_id
    return data


# --- normalize ----------------------------------------------------------------------------
def normalize(
    paths: Annotated[list[Path], typer.Argument(help="Files or directories (recursed).")],
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per article.")] = False,
) -> None:
    """Normalise files to articles without Redis; rejected inputs go to stderr."""
    import orjson

    from worker.intake import articles_from_file
    from worker.sources.files import iter_files

    settings = cli_settings(announce_default=False)  # no Redis here
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
                sys.stdout.buffer.write(orjson.dumps(article_json(art, str(path))) + b"\n")
            else:
                out.print(f"[bold]{art.title}[/bold]  ({path})", highlight=False)
                meta = [f"dateline {art.dateline}" if art.dateline else "",
                        f"{art.word_count} words", f"id {art.article_id}"]
                out.print("  " + " · ".join(m for m in meta if m), highlight=False)
    sys.stdout.flush()
    if bad:
        raise typer.Exit(1)


# --- submit -------------------------------------------------------------------------------
def client() -> Client:
    """The submission client, after a fast check that the broker answers (Celery would
    retry for a long while, then print a traceback)."""
    from worker.ops.client import Client

    c = Client(cli_settings())
    c.ping_broker()
    return c


def wait_and_report(results: list[tuple[str, Any]], timeout_s: float) -> int:
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


def submit_file(
    paths: Annotated[list[Path], typer.Argument(help="Article or feed files; dirs recurse.")],
    wait: Annotated[bool, typer.Option("--wait", help="Wait and print each result.")] = False,
    batch: Annotated[int, typer.Option(help="Files per task (1 = one task per file).")] = 1,
    timeout: Annotated[float, typer.Option(help="Seconds to wait per task.")] = 300.0,
) -> None:
    """Queue files for ingestion (one task per file, or batches with --batch).

    A path that cannot be listed or resolved (a symlink loop, an unreadable directory) is
    named on stderr and the rest still goes; the exit status is then 1."""
    from worker.sources.files import iter_files, unreadable

    c = client()
    refused: list[tuple[str, str]] = []
    files: list[str] = []
    for p in iter_files(paths, on_error=lambda path, why: refused.append((str(path), why))):
        try:
            files.append(str(p.resolve()))
        except (OSError, RuntimeError) as exc:  # RuntimeError: a symlink loop (Python 3.11)
            refused.append((str(p), unreadable(exc)))
    for name, why in refused:
        err.print(f"{name}: {why}", markup=False, highlight=False)
    tasks = c.submit_files(files, batch=batch) if files else []
    results = list(zip(files[::max(batch, 1)], tasks, strict=True))
    err.print(f"queued {len(files)} file(s) in {len(results)} task(s)"
              + (f"; {len(refused)} path(s) refused" if refused else ""), highlight=False)
    if not wait:
        for name, res in results:
            out.print(f"{res.id}  {name}", highlight=False, markup=False)
        if refused:
            raise typer.Exit(1)
        return
    raise typer.Exit(wait_and_report(results, timeout) or (1 if refused else 0))


def submit_dir(
    directory: Annotated[Path, typer.Argument(help="Directory to ingest recursively.")],
    wait: Annotated[bool, typer.Option("--wait", help="Wait and print each result.")] = False,
    batch: Annotated[int, typer.Option(help="Files per task.")] = 100,
) -> None:
    """Queue every file under a directory, batched."""
    if not directory.is_dir():
        raise RejectedInput("not a directory", location=str(directory))
    submit_file([directory], wait=wait, batch=batch)


def submit_text(
    text: Annotated[str, typer.Argument(help="Article text, or - for stdin.")],
    name: Annotated[str | None, typer.Option(
        help="Source name in the event; without --url, the article's identity "
        "(default: the text's content is).")] = None,
    url: Annotated[str | None, typer.Option(help="The article's URL (its identity).")] = None,
    wait: Annotated[bool, typer.Option("--wait", help="Wait up to 60 s, print it.")] = False,
) -> None:
    """Queue an article given as text."""
    c = client()
    if text == "-":
        text = sys.stdin.read()
    res = c.submit_text(text, url=url, name=name)
    if not wait:
        out.print(res.id)
        return
    raise typer.Exit(wait_and_report([(name or "text", res)], 60))


def submit_feed(
    target: Annotated[str, typer.Argument(help="Feed URL, or a local feed file.")],
    wait: Annotated[bool, typer.Option("--wait", help="Wait and print the poll summary.")] = False,
    timeout: Annotated[float, typer.Option(help="Seconds to wait.")] = 120.0,
) -> None:
    """Poll a feed now (ignores its schedule, back-off and parking; success unparks it)."""
    from worker.feeds.poll import is_url

    c = client()
    if not is_url(target):
        target = str(Path(target).resolve())
    res = c.submit_feed(target, force=True)
    if not wait:
        out.print(f"{res.id}  {target}", highlight=False, markup=False)
        return
    value = res.get(timeout=timeout, propagate=True)
    line = summary_line(value)
    if value.get("status") == "failed":
        err.print(line, markup=False, highlight=False)
        raise typer.Exit(1)
    out.print(line, markup=False, highlight=False)


def feeds() -> None:
    """List polled feeds: URL, last poll, result, next due, errors, parked."""
    from worker.feeds.poll import feed_states
    from worker.store.eventstore import EventStore

    for row in feed_rows(feed_states(EventStore.from_settings(cli_settings()))):
        out.print("  ".join(row), markup=False, highlight=False)


# --- events -------------------------------------------------------------------------------
def events(
    as_json: Annotated[bool, typer.Option("--json", help="JSON Lines.")] = False,
    start: Annotated[str, typer.Option("--from", help="First entry id (inclusive).")] = "-",
    count: Annotated[int, typer.Option(help="At most this many entries.")] = 100,
    failures: Annotated[bool, typer.Option("--failures", help="Read ingestion.failed.")] = False,
    full: Annotated[bool, typer.Option(
        "--full", help="Whole events as JSON Lines (else summaries).")] = False,
    max_bytes: Annotated[int | None, typer.Option(
        min=4096, help="Most bytes read per page (default: events_max_bytes).")] = None,
) -> None:
    """Read the event stream (or the failures stream): summaries, or whole events with --full.

    Read a page at a time, each bounded by --max-bytes: an event larger than that is named on
    stderr instead of printed."""
    import orjson

    from worker.ops.eventpage import page
    from worker.store.eventstore import EventStore

    settings = cli_settings()
    st = EventStore.from_settings(settings)
    key = st.keys.failures if failures else st.keys.events
    after: str | None = None
    while count > 0:
        want = min(count, 1000)
        got = page(st.redis, st.keys, key, max_bytes=max_bytes or settings.events_max_bytes,
                   limit=want, after=after, start=start, full=full)
        for row in got.events:
            if row.error is not None:
                err.print(f"{row.entry_id}: {row.error}", markup=False)
            elif full and row.event is None:
                err.print(f"{row.entry_id}: not shown: {row.omitted}", markup=False)
            elif row.event is not None:
                sys.stdout.buffer.write(orjson.dumps({"entry_id": row.entry_id,
                                                      **row.event}) + b"\n")
            elif as_json:
                sys.stdout.buffer.write(orjson.dumps(row.model_dump(
                    mode="json", exclude={"event", "omitted"})) + b"\n")
            elif row.type == "ingestion.failed":
                out.print(f"{row.entry_id} {row.type} {row.source}: {row.reason}",
                          markup=False, highlight=False)
            else:
                out.print(f"{row.entry_id} {row.type} v{row.version} {row.article_id} "
                          f"{row.title!r}", markup=False, highlight=False)
        count -= len(got.events)
        if not got.events or (len(got.events) < want and not got.truncated):
            break
        after = got.next_after
    sys.stdout.flush()


# --- consume ------------------------------------------------------------------------------
def consume(
    group: Annotated[str, typer.Argument(help="Consumer group name.")],
    handler: Annotated[str, typer.Option(help="Handler name or module:callable.")] = "log",
    consumer: Annotated[str | None, typer.Option(help="Consumer name (default host-pid).")] = None,
    batch: Annotated[int | None, typer.Option(help="Entries per read.")] = None,
    until_idle: Annotated[bool, typer.Option(help="Exit when nothing is left to read.")] = False,
) -> None:
    """Deliver stream events to a handler through a consumer group."""
    from worker.consumers.consumer import Consumer
    from worker.consumers.handler import HandlerContext, resolve
    from worker.store.eventstore import EventStore

    settings = cli_settings()
    store = EventStore.from_settings(settings)
    # A `module:callable` handler is found in the working directory, as `python -m` would
    # find it (the `newsworker` console script does not put the directory on sys.path).
    if os.getcwd() not in sys.path:
        sys.path.insert(0, os.getcwd())
    spec = resolve(handler, HandlerContext(settings, store.keys, store.redis, group))
    c = Consumer(store.redis, store.keys, group, spec, settings, consumer=consumer, batch=batch)
    c.install_signal_handlers()
    stats = c.run(until_idle=until_idle)
    err.print(f"consumer {c.name}: handled {stats.handled}, skipped {stats.skipped}, "
              f"failed {stats.failed}, dead-lettered {stats.dead_lettered}", highlight=False)


# --- run ----------------------------------------------------------------------------------
def run(
    paths: Annotated[list[Path] | None, typer.Argument(help="Inputs (default seeds/).")] = None,
    serve: Annotated[bool, typer.Option("--serve", help="Keep running after ingesting.")] = False,
    handler: Annotated[str, typer.Option(help="Handler for the run's consumer.")] = "log",
    timeout: Annotated[float, typer.Option(help="Seconds to wait for everything.")] = 120.0,
) -> None:
    """The standalone main job: Redis (embedded unless configured), worker, consumer, ingest."""
    from worker.ops.runner import run_main

    raise typer.Exit(run_main(cli_settings(announce_default=False), paths or [Path("seeds")],
                              serve=serve, handler=handler,
                              timeout_s=timeout, console=out, errors=err))



def register(app: typer.Typer) -> None:
    submit_app = typer.Typer(help="Queue work for the Celery workers.", no_args_is_help=True)
    app.add_typer(submit_app, name="submit")
    app.command()(normalize)
    submit_app.command("file")(submit_file)
    submit_app.command("dir")(submit_dir)
    submit_app.command("text")(submit_text)
    submit_app.command("feed")(submit_feed)
    app.command()(feeds)
    app.command()(events)
    app.command()(consume)
    app.command()(run)
