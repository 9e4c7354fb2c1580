"""Score feed ingestion against hand-written expectations: ``python tools/eval_feeds.py``.

Every feed file in the fixture directory (default ``tests/fixtures/feeds/blind``) has a
``NAME.expected.json`` beside it: ``{"entries": [...]}``, one object per entry of the feed,
saying what a careful reader wants from it: ``accept`` (should it become an article at all),
``title``, ``url``, ``published`` (ISO UTC), ``authors`` and ``first_paragraph``.

The feed goes through the real entry point (``worker.intake.articles_from_file``). Produced
articles are paired with expected entries by URL, then by title/lede similarity. Fields:

- title, url, first_paragraph: exact after collapsing whitespace (Unicode NFC). A ``null``
  title is not scored (any derived title will do); a ``null`` first_paragraph means the entry
  has no body of its own, so an empty body or one that only repeats the headline is right.
- published: same instant to the second (``null``: the article must have no date).
- authors: the same names, in any order, case-insensitively.
- acceptance: an accepted entry is right when an article was paired with it; a rejected one is
  right unless an unpaired extra article stands for it. A whole file that fails to ingest
  scores every accepted entry wrong.

Only matched entries are scored on the other fields (a missing article already costs
acceptance). ``--verbose`` prints each mismatch.
"""

from __future__ import annotations

import argparse
import json
import sys
import unicodedata
from datetime import UTC, datetime
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from worker.errors import RejectedInput  # noqa: E402
from worker.events.models import Article  # noqa: E402
from worker.intake import articles_from_file  # noqa: E402
from worker.settings import Settings  # noqa: E402

DEFAULT_DIR = ROOT / "tests" / "fixtures" / "feeds" / "blind"
FIELDS = ("accept", "title", "url", "published", "authors", "first_paragraph")


def norm(value: str | None) -> str:
    return " ".join(unicodedata.normalize("NFC", value or "").split())


def _sim(a: str, b: str) -> float:
    a, b = norm(a).casefold(), norm(b).casefold()
    if not a or not b:
        return 0.0
    return SequenceMatcher(None, a, b).ratio()


def _pair_score(exp: dict[str, Any], art: Article) -> float:
    if exp.get("url") and art.url == exp["url"]:
        return 2.0
    lede = art.body[0] if art.body else ""
    return max(_sim(exp.get("title") or "", art.title),
               _sim(exp.get("first_paragraph") or "", lede))


def _pair(expected: list[dict[str, Any]], arts: list[Article]
          ) -> tuple[list[tuple[dict[str, Any], Article | None]], int]:
    """Greedy best-first pairing of accepted expectations with articles; extras counted."""
    wanted = [e for e in expected if e.get("accept", True)]
    cands = sorted(((_pair_score(e, a), i, j) for i, e in enumerate(wanted)
                    for j, a in enumerate(arts)), key=lambda t: (-t[0], t[1], t[2]))
    got: dict[int, int] = {}
    used: set[int] = set()
    for score, i, j in cands:
        if score < 0.5 or i in got or j in used:
            continue
        got[i] = j
        used.add(j)
    pairs = [(e, arts[got[i]] if i in got else None) for i, e in enumerate(wanted)]
    return pairs, len(arts) - len(used)


def _iso(dt: datetime | None) -> str | None:
    if dt is None:
        return None
    return dt.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def _check(field: str, exp: dict[str, Any], art: Article) -> tuple[bool | None, Any, Any]:
    """(right?, expected, got); right is None when the field is not scored."""
    want = exp.get(field)
    if field == "title":
        return (None if want is None else norm(want) == norm(art.title)), want, art.title
    if field == "url":
        return want == art.url, want, art.url
    if field == "published":
        got = _iso(art.published_at)
        if want is not None:
            want = _iso(datetime.fromisoformat(want.replace("Z", "+00:00")))
        return want == got, want, got
    if field == "authors":
        w = sorted(norm(a).casefold() for a in want or [])
        g = sorted(norm(a).casefold() for a in art.authors)
        return w == g, want, list(art.authors)
    if field == "first_paragraph":
        got = art.body[0] if art.body else ""
        if want is None:
            ok = not norm(got) or norm(got) in (norm(art.title), norm(exp.get("title")))
            return ok, None, got
        return norm(want) == norm(got), want, got
    raise ValueError(field)


def score_file(path: Path, settings: Settings, verbose: bool = False) -> dict[str, list[int]]:
    """Per field: [right, scored] for one feed file."""
    expected = json.loads(path.with_name(path.name.split(".")[0] + ".expected.json")
                          .read_text(encoding="utf-8"))["entries"]
    counts = {f: [0, 0] for f in FIELDS}
    try:
        _, arts = articles_from_file(path, settings)
    except RejectedInput as exc:
        if verbose:
            print(f"  {path.name}: rejected whole feed: {exc.reason}")
        arts = []
    pairs, extras = _pair(expected, arts)
    rejected = sum(1 for e in expected if not e.get("accept", True))
    counts["accept"][0] += sum(1 for _, a in pairs if a is not None)
    counts["accept"][0] += max(0, rejected - extras)
    counts["accept"][1] += len(expected)
    if verbose and extras > rejected:
        print(f"  {path.name}: {extras} unpaired extra article(s)")
    for exp, art in pairs:
        if art is None:
            if verbose:
                print(f"  {path.name}: no article for {exp.get('title') or exp.get('url')!r}")
            continue
        for field in FIELDS[1:]:
            ok, want, got = _check(field, exp, art)
            if ok is None:
                continue
            counts[field][1] += 1
            counts[field][0] += ok
            if verbose and not ok:
                print(f"  {path.name} [{field}]\n    want {want!r}\n    got  {got!r}")
    return counts


def feed_files(directory: Path) -> list[Path]:
    return sorted(p for p in directory.iterdir()
                  if not p.name.endswith(".expected.json") and not p.name.startswith("."))


def score_dir(directory: Path = DEFAULT_DIR, verbose: bool = False
              ) -> tuple[dict[str, dict[str, list[int]]], dict[str, float]]:
    """Per-file counts and the overall rate per field (entries pooled across files)."""
    settings = Settings(input_roots=[])
    per_file = {p.name: score_file(p, settings, verbose) for p in feed_files(directory)}
    overall: dict[str, float] = {}
    for f in FIELDS:
        right = sum(c[f][0] for c in per_file.values())
        total = sum(c[f][1] for c in per_file.values())
        overall[f] = right / total if total else 1.0
    return per_file, overall


def _cell(c: list[int]) -> str:
    return f"{c[0]}/{c[1]}" if c[1] else "-"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("directory", nargs="?", type=Path, default=DEFAULT_DIR)
    ap.add_argument("-v", "--verbose", action="store_true", help="print each mismatch")
    args = ap.parse_args(argv)
    per_file, overall = score_dir(args.directory, args.verbose)
    width = max(len(n) for n in per_file) + 2
    print("file".ljust(width) + "".join(f"{f[:10]:>11}" for f in FIELDS))
    for name, counts in per_file.items():
        print(name.ljust(width) + "".join(f"{_cell(counts[f]):>11}" for f in FIELDS))
    print("overall".ljust(width) + "".join(f"{overall[f]:>11.3f}" for f in FIELDS))
    print(f"mean of fields: {sum(overall.values()) / len(overall):.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
