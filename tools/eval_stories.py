"""Score story detection on labelled article pairs: ``python tools/eval_stories.py``.

The fixture (default ``tests/fixtures/stories/stories.json``) holds hand-written ``texts`` and
syndicated ``copies`` of them (another outlet's headline, page furniture that survives
extraction, house-style edits, an ending trimmed by N paragraphs), and ``pairs`` labelled
``duplicate`` (a syndicated copy), ``same_story`` (the same event written independently) or
``different``.

Each article's body goes through the handler's own functions (``worker.consumers.similarity``:
word shingles, MinHash sketch, estimated containment). Per level, a pair is predicted positive
when the estimate reaches that level's threshold (the settings' defaults unless given):

- ``duplicate``: positives are the pairs labelled ``duplicate``;
- ``same story``: positives are the pairs labelled ``duplicate`` or ``same_story``.

Reports pair precision and recall per level, per fixture file and pooled; ``--verbose``
prints every pair with the exact value (from the shingle sets) beside the estimate.
``--check`` exits 1 unless pooled duplicate precision >= 0.95 and recall >= 0.90.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from worker.consumers.similarity import (  # noqa: E402
    MIN_CONTAINED_SHINGLES,
    shingles,
    similarity,
    sketch,
    story_words,
)
from worker.settings import Settings, load_settings  # noqa: E402

FIXTURE = ROOT / "tests" / "fixtures" / "stories" / "stories.json"
LEVELS = ("duplicate", "same_story")


def copy_paragraphs(spec: dict[str, Any], base: list[str]) -> list[str]:
    """A syndicated copy's body: the original trimmed, edited, with furniture around it."""
    paras = base[:len(base) - int(spec.get("trim", 0))]
    for old, new in spec.get("edits", []):
        paras = [p.replace(old, new) for p in paras]
    out: list[str] = list(spec.get("top", []))
    inserts = {int(k): v for k, v in spec.get("insert", {}).items()}
    for i, para in enumerate(paras):
        if i in inserts:
            out.append(inserts[i])
        out.append(para)
    return out + list(spec.get("bottom", []))


def bodies(fixture: dict[str, Any]) -> dict[str, list[str]]:
    texts = {name: list(t["paragraphs"]) for name, t in fixture["texts"].items()}
    out = dict(texts)
    for name, spec in fixture["copies"].items():
        out[name] = copy_paragraphs(spec, texts[spec["of"]])
    return out


def exact_similarity(a: list[str], b: list[str], settings: Settings) -> float:
    """What the estimate approximates, computed on the shingle sets themselves."""
    k = settings.story_shingle_words
    sa, sb = shingles(story_words(a, settings), k), shingles(story_words(b, settings), k)
    if not sa or not sb:
        return 0.0
    if min(len(sa), len(sb)) < MIN_CONTAINED_SHINGLES:
        return len(sa & sb) / len(sa | sb)
    return len(sa & sb) / min(len(sa), len(sb))


def evaluate(fixture: dict[str, Any], settings: Settings) -> dict[str, Any]:
    text = bodies(fixture)
    sigs = {name: sketch(body, settings) for name, body in text.items()}
    rows = []
    for a, b, label in fixture["pairs"]:
        sa, sb = sigs[a], sigs[b]
        est = similarity(sa, sb) if sa is not None and sb is not None else 0.0
        rows.append({"a": a, "b": b, "label": label, "estimate": est,
                     "exact": exact_similarity(text[a], text[b], settings)})
    return score(rows, settings)


def score(rows: list[dict[str, Any]], settings: Settings) -> dict[str, Any]:
    """Pair precision and recall per level."""
    thresholds = {"duplicate": settings.story_duplicate_containment_min,
                  "same_story": settings.story_same_containment_min}
    positive = {"duplicate": {"duplicate"}, "same_story": {"duplicate", "same_story"}}
    levels = {}
    for lvl in LEVELS:
        tp = sum(1 for r in rows if r["estimate"] >= thresholds[lvl]
                 and r["label"] in positive[lvl])
        fp = sum(1 for r in rows if r["estimate"] >= thresholds[lvl]
                 and r["label"] not in positive[lvl])
        fn = sum(1 for r in rows if r["estimate"] < thresholds[lvl]
                 and r["label"] in positive[lvl])
        levels[lvl] = {"threshold": thresholds[lvl], "tp": tp, "fp": fp, "fn": fn,
                       "precision": tp / (tp + fp) if tp + fp else 1.0,
                       "recall": tp / (tp + fn) if tp + fn else 1.0}
    return {"pairs": len(rows), "levels": levels, "rows": rows}


def report(name: str, result: dict[str, Any], verbose: bool) -> None:
    if verbose:
        for r in result["rows"]:
            print(f"  {r['label']:<10} est {r['estimate']:.3f} exact {r['exact']:.3f}  "
                  f"{r['a']} ~ {r['b']}")
    print(f"stories ({name}): {result['pairs']} labelled pairs")
    for lvl, s in result["levels"].items():
        print(f"  {lvl:<10} (containment >= {s['threshold']:.2f}): precision "
              f"{s['precision']:.3f} recall {s['recall']:.3f}  "
              f"(tp {s['tp']} fp {s['fp']} fn {s['fn']})")


def main(argv: list[str] | None = None) -> int:
    defaults = Settings.model_fields
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--fixture", type=Path, action="append",
                        help="default: every *.json in tests/fixtures/stories")
    parser.add_argument("--duplicate", type=float,
                        default=defaults["story_duplicate_containment_min"].default)
    parser.add_argument("--same-story", type=float,
                        default=defaults["story_same_containment_min"].default)
    parser.add_argument("--shingle-words", type=int,
                        default=defaults["story_shingle_words"].default)
    parser.add_argument("--min-paragraph-words", type=int,
                        default=defaults["story_min_paragraph_words"].default)
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args(argv)
    settings = load_settings(
        story_shingle_words=args.shingle_words, story_duplicate_containment_min=args.duplicate,
        story_same_containment_min=args.same_story,
        story_min_paragraph_words=args.min_paragraph_words)
    files = args.fixture or sorted(FIXTURE.parent.glob("*.json"))
    print(f"stories: {settings.story_shingle_words}-word shingles, "
          f"{settings.story_minhash_permutations} permutations, "
          f"paragraphs under {settings.story_min_paragraph_words} words left out")
    pooled: dict[str, Any] = {"pairs": 0, "rows": []}
    for path in files:
        result = evaluate(json.loads(path.read_text(encoding="utf-8")), settings)
        report(path.name, result, args.verbose)
        pooled["rows"] += result["rows"]
    total = score(pooled["rows"], settings)
    if len(files) > 1:
        report("all", total, False)
    dup = total["levels"]["duplicate"]
    if args.check and (dup["precision"] < 0.95 or dup["recall"] < 0.90):
        print("stories: duplicate level below acceptance (precision 0.95, recall 0.90)")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
