"""``make faults``: run the fault scenarios, print the table, write tests/faults/results.md
and tests/faults/results.json (one object per row: scenario, submitted, events, lost,
duplicated, recovery_s, visibility_timeout_s).

Exits 1 when any row shows lost or duplicated articles/events (or a failed check).

    python -m tests.faults [--scale 0.2] [--only poison,redis-kill] [--keep]
"""

from __future__ import annotations

import argparse
import json
import logging
import shutil
import sys
import tempfile
import time
import traceback
from pathlib import Path

from tests.faults.harness import Row
from tests.faults.scenarios import SCENARIOS

RESULTS = Path(__file__).with_name("results.md")
RESULTS_JSON = Path(__file__).with_name("results.json")
HEADER = ["scenario", "faults injected", "submitted", "events in stream", "lost", "duplicated",
          "handled", "dead letters", "recovery s", "visibility timeout s", "s", "notes"]


def table(rows: list[Row]) -> str:
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    for r in rows:
        cells = [r.scenario, r.faults, r.submitted, r.events, r.lost, r.duplicated, r.handled,
                 r.dead_letters, "-" if r.recovery_s is None else f"{r.recovery_s:.1f}",
                 r.visibility_timeout_s or "-", f"{r.seconds:.0f}", "; ".join(r.notes)]
        lines.append("| " + " | ".join(str(c) for c in cells) + " |")
    return "\n".join(lines)


def record(r: Row) -> dict[str, object]:
    return {"scenario": r.scenario, "submitted": r.submitted, "events": r.events,
            "lost": r.lost, "duplicated": r.duplicated, "recovery_s": r.recovery_s,
            "visibility_timeout_s": r.visibility_timeout_s, "ok": r.ok, "notes": r.notes}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m tests.faults", description=__doc__)
    ap.add_argument("--scale", type=float, default=1.0, help="multiply article counts")
    ap.add_argument("--only", default="", help="comma-separated: " + ",".join(SCENARIOS))
    ap.add_argument("--keep", action="store_true", help="keep the temp dir (logs, AOF)")
    ap.add_argument("--no-write", action="store_true",
                    help="do not write results.md and results.json")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    names = [n for n in args.only.split(",") if n] or list(SCENARIOS)
    unknown = [n for n in names if n not in SCENARIOS]
    if unknown:
        ap.error(f"unknown scenario(s): {', '.join(unknown)}")
    base = Path(tempfile.mkdtemp(prefix="newsworker-faults-"))
    rows: list[Row] = []
    started = time.monotonic()
    try:
        for name in names:
            t0 = time.monotonic()
            print(f"--- {name} ...", flush=True)
            try:
                row = SCENARIOS[name](base, args.scale)
            except Exception as exc:
                traceback.print_exc()
                row = Row(name, "", notes=[f"FAIL: {exc.__class__.__name__}: {exc}"])
            row.seconds = time.monotonic() - t0
            rows.append(row)
            print(table([row]).splitlines()[-1], flush=True)
    finally:
        if args.keep:
            print(f"logs kept in {base}")
        else:
            shutil.rmtree(base, ignore_errors=True)
    out = table(rows)
    print()
    print(out)
    total = time.monotonic() - started
    ok = all(r.ok for r in rows)
    print(f"\n{'OK' if ok else 'FAILED'}: {len(rows)} scenarios in {total:.0f}s "
          f"(scale {args.scale:g})")
    if not args.no_write:
        RESULTS_JSON.write_text(json.dumps([record(r) for r in rows], indent=2) + "\n")
        RESULTS.write_text(
            "# Fault-injection results (`make faults`)\n\n"
            f"Scale {args.scale:g}, {len(rows)} scenarios, {total:.0f} s on "
            f"{time.strftime('%Y-%m-%d')}. lost = submitted with no event (scenario 3: "
            "acknowledged appends missing after the restart); duplicated = articles with more "
            "than one `article.ingested` event, or event ids seen twice in the archive / "
            "dead-letter stream. handled = events the scenario's group (or a final audit "
            "group) handled. Scenario 7: submitted = answered 2xx (a refused one that ran "
            "fails the row); scenario 8: submitted = the backlog that must run (a purged or "
            "revoked task that ran fails the row). recovery s = from the fault (7: Redis "
            "resumed) until every accepted task is an event. JSON: results.json.\n\n"
            + out + "\n")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
