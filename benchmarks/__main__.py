"""``python -m benchmarks [--scale X] [--only a,b] [--out DIR]``: run, print, write
``results.json`` and ``results.md``.

Each bench runs in its own private Redis (see harness.Bench). A bench that fails still gets
a row (value null, ``error`` in extra) so a run always reports every row.
"""

from __future__ import annotations

import argparse
import json
import logging
import platform
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path

from benchmarks.harness import Bench, Row

HERE = Path(__file__).resolve().parent


def _benches() -> dict[str, tuple[Callable[[Bench], list[Row]], list[str]]]:
    from benchmarks import (
        bench_api,
        bench_feeds,
        bench_normalise,
        bench_pipeline,
        bench_store,
        bench_stories,
    )
    from benchmarks.bench_postgres import bench_pg_project
    from benchmarks.bench_rebuild import bench_rebuild

    return {
        "append": (bench_store.bench_append, ["append"]),
        "normalise": (bench_normalise.bench_normalise, ["normalise_text", "normalise_html"]),
        "consume": (bench_store.bench_consume, ["consume"]),
        "feed_polls": (bench_feeds.bench_feed_polls, ["feed_polls"]),
        "feed_parse": (bench_feeds.bench_feed_parse, ["feed_parse"]),
        "latency": (bench_pipeline.bench_latency,
                    ["latency_single", "latency_single_p50", "latency_single_p95"]),
        "end_to_end": (bench_pipeline.bench_end_to_end, ["end_to_end_batch"]),
        "worker_rss": (bench_pipeline.bench_rss, ["worker_rss", "worker_rss_small"]),
        "stories_assign": (bench_stories.bench_stories_assign, ["stories_assign"]),
        "pg_project": (bench_pg_project, ["pg_project"]),
        "api_ingest": (bench_api.bench_api_ingest, ["api_ingest"]),
        "rebuild": (bench_rebuild, ["rebuild_rss", "rebuild_stall"]),
    }


def _fmt(v: object) -> str:
    if v is None:
        return "–"
    if isinstance(v, float):
        return f"{v:,.2f}" if abs(v) < 100 else f"{v:,.0f}"
    return str(v)


def markdown(rows: list[Row], meta: dict[str, object]) -> str:
    lines = [f"# newsworker benchmarks (scale {meta['scale']}, {meta['when']})", "",
             "| name | value | unit | baseline | ratio | goal | notes |",
             "|---|---:|---|---:|---:|---|---|"]
    for r in rows:
        notes = ", ".join(f"{k}={v}" for k, v in r.extra.items() if k != "traceback")
        lines.append(f"| {r.name} | {_fmt(r.value)} | {r.unit} | {_fmt(r.baseline)} | "
                     f"{_fmt(r.ratio)} | {r.goal} | {notes} |")
    lines += ["", f"{meta['cpus']} CPUs, Python {meta['python']}; baselines measured in the "
              "same run, next to the measured thing.", ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks")
    ap.add_argument("--scale", type=float, default=1.0, help="multiply every size (1 = full)")
    ap.add_argument("--only", default="", help="comma-separated bench names")
    ap.add_argument("--out", type=Path, default=HERE, help="where results.json/md go")
    ap.add_argument("--keep", action="store_true", help="keep the temp dir (logs)")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    benches = _benches()
    only = [n for n in args.only.split(",") if n]
    unknown = set(only) - benches.keys()
    if unknown:
        ap.error(f"unknown bench(es) {sorted(unknown)}; known: {sorted(benches)}")
    rows: list[Row] = []
    started = time.time()
    for name, (fn, row_names) in benches.items():
        if only and name not in only:
            continue
        t = time.perf_counter()
        print(f"== {name} ...", file=sys.stderr, flush=True)
        try:
            with Bench(args.scale, keep=args.keep) as b:
                got = fn(b)
        except Exception as exc:
            tb = traceback.format_exc()
            print(tb, file=sys.stderr)
            got = [Row(n, None, "", goal="", extra={"error": f"{type(exc).__name__}: {exc}"})
                   for n in row_names]
        for r in got:
            r.extra["bench_s"] = round(time.perf_counter() - t, 1)
            print(json.dumps(r.as_dict()), file=sys.stderr, flush=True)
        rows += got
    meta = {"scale": args.scale, "when": time.strftime("%Y-%m-%d %H:%M", time.localtime(started)),
            "cpus": len(__import__("os").sched_getaffinity(0)), "python": platform.python_version(),
            "total_s": round(time.time() - started, 1)}
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "results.json").write_text(
        json.dumps([r.as_dict() for r in rows], indent=2) + "\n")
    md = markdown(rows, meta)
    (args.out / "results.md").write_text(md)
    print(md)
    print(f"total {meta['total_s']}s", file=sys.stderr)
    return 0 if all(r.value is not None for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
