"""Compare the HTML normaliser with bare ``trafilatura.extract`` on the g-set.

For each ``tests/fixtures/articles/g*.html`` fixture, prints the body F1 (same 4-word
shingle metric as tools/eval_normalise.py) of our ``normalise(..., kind="html")`` and of
``trafilatura.extract(html)`` with default settings, so a regression of our
post-processing against the library it wraps is visible per document.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import trafilatura

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tools"))

from eval_normalise import FIXTURES, prf  # noqa: E402

from worker.errors import RejectedInput  # noqa: E402
from worker.events.models import Source  # noqa: E402
from worker.normalise.article import normalise  # noqa: E402
from worker.normalise.decode import decode_bytes  # noqa: E402


def compare(pattern: str = "g*.html") -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for path in sorted(FIXTURES.glob(pattern)):
        exp = json.loads(path.with_name(path.stem + ".expected.json").read_text("utf-8"))
        gold = "\n".join(exp["body"])
        raw = path.read_bytes()
        try:
            art = normalise(raw, source=Source(kind="file", location=str(path)), kind="html")
            ours, title = "\n".join(art.body), art.title
        except RejectedInput:
            ours, title = "", None
        bare = trafilatura.extract(decode_bytes(raw)) or ""
        rows.append({"name": path.name, "ours": prf(ours, gold)[2],
                     "bare": prf(bare, gold)[2], "title_ok": title == exp.get("title")})
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pattern", default="g*.html", help="fixture glob (default g*.html)")
    args = ap.parse_args(argv)
    rows = compare(args.pattern)
    print(f"{'document':40} {'ours':>6} {'bare':>6} {'diff':>6}  title")
    for r in rows:
        print(f"{r['name'][:40]:40} {r['ours']:6.3f} {r['bare']:6.3f} "
              f"{r['ours'] - r['bare']:+6.3f}  {'ok' if r['title_ok'] else 'x'}")
    if rows:
        n = len(rows)
        ours = sum(r["ours"] for r in rows) / n
        bare = sum(r["bare"] for r in rows) / n
        print(f"{'mean doc F1':40} {ours:6.3f} {bare:6.3f} {ours - bare:+6.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
