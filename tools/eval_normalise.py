"""Score the normaliser on the labelled dev set in tests/fixtures/articles (``make eval``).

Body F1 uses 4-word shingles over lower-case word tokens; precision and recall are
computed per document and averaged over documents (F1 from the averages, and the mean of
per-document F1). Title, dateline and date are exact-match rates. The keep-every-line
baseline shows how much the cleanup adds.

Groups: ``text``/``html``/``json`` (and ``all``) are the original dev set; fixtures named
``h21_`` .. ``h89_`` are the hard full-page dumps (``text-hard``, ``html-hard``), ``h9x_``
were written after tuning and never tuned on (``fresh``); ``b01_`` .. ``b99_`` are
plain-text page dumps written blind, without reading the classifier (``blind``);
``c01_`` .. ``c99_`` are a second blind set of unusual page shapes (CJK, live text,
obituaries, Q&A, recipes, numbered statements, pagination, forums, hard-wrapped dumps) (``c``);
``d01_`` .. ``d99_`` are a third blind set of scraper outputs (BeautifulSoup fragments, pdftotext
pages, Cyrillic/Arabic/Italian/Portuguese, tickers, social embeds, alert bullets) (``d``);
``g01_`` .. ``g99_`` are full HTML pages from different CMSs written blind, scored against bare
trafilatura with tools/compare_trafilatura.py (``g``); ``k01_`` .. ``k99_`` are a sixth blind
set mixing text dumps and HTML pages (cookie banners, wire trailers, tab titles, press releases,
ES/ZH, live blogs, pdftotext, JSON-LD, <time>-only dates, AMP, kicker/deck) (``k``);
``m01_`` .. ``m99_`` are a seventh blind set for issue 17 (text after HTML comments, wire
copy wrapped at 60-64 columns, comment labels by the story, list/step/results lines,
heading- or formula-first articles, disclaimers and affiliate notices) (``m``);
``n01_`` .. ``n99_`` (40 pages in 10 languages: wrapped wire copy, ad comments, lists, results
tables, live blogs, disclaimers, local date formats) and ``p01_`` .. ``p99_`` (30 pages in 10
languages: press releases, paywall teasers, key-points boxes, galleries, transcripts, wire
datelines in Spanish/Arabic/Chinese, relative dates) are the eighth and ninth blind sets for
issue 17 (``n``, ``p``); ``q01_`` .. ``q99_`` (30 modern news/blog pages, mostly full-page text
dumps: furniture in mid-story, captions and credits under the headline, HTML boilerplate inside
article containers, run-together dates) are the tenth blind set for issue 17 (``q``);
``r01_`` .. ``r99_`` (30 older news pages and long-form articles: table-layout HTML with
``<br><br>`` paragraphs inside ``<font>``, lynx dumps, wire copy, footnoted essays) are the
eleventh (``r``); ``s01_`` .. ``s99_`` (24 pages in 9 languages: select-all, lynx, html2text
and wire dumps, Next.js, table-layout, AMP, live-blog, long-form and list HTML) are the twelfth
(``s``); ``u``, ``v``, ``w``, ``x``, ``y``, ``z``, ``za`` to ``ze``, ``zg``, ``zh``, ``zi``
(24 pages each, 12 to 24 languages) are the later blind batches (tests/fixtures/articles/README.md
has their rows); ``overall`` is every document.

Every score is also reported per language (the expected file's ``language``; ``unknown`` when
missing) and per page shape (its ``shape``, set by the batches from ``n`` on).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from worker.errors import RejectedInput  # noqa: E402
from worker.events.models import Source  # noqa: E402
from worker.normalise.article import normalise  # noqa: E402
from worker.normalise.decode import decode_bytes  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures" / "articles"
KINDS = {".txt": "text", ".html": "html", ".htm": "html", ".json": "json"}
_TOKEN_RE = re.compile(r"\w+")
_HARD_RE = re.compile(r"h(\d\d)_")
# Blind batches, by file-name prefix letter (b01_..., c01_...): the group they report in.
_BATCH_RE = re.compile(r"(z[a-eg-i]|[bcdegkmnpqrsuvwxyz])\d\d_")
BATCH_GROUPS = {"b": "blind", "c": "c", "d": "d", "e": "e", "g": "g", "k": "k", "m": "m",
                "n": "n", "p": "p", "q": "q", "r": "r", "s": "s", "u": "u", "v": "v", "w": "w",
                "x": "x", "y": "y", "z": "z", "za": "za", "zb": "zb", "zc": "zc",
                "zd": "zd", "ze": "ze", "zg": "zg", "zh": "zh", "zi": "zi"}


def group(name: str, kind: str) -> str:
    """Dev-set group of a fixture: its kind, or a hard/fresh group by filename prefix."""
    batch = _BATCH_RE.match(name)
    if batch:
        return BATCH_GROUPS[batch.group(1)]
    m = _HARD_RE.match(name)
    if m is None or int(m.group(1)) < 21:
        return kind
    if int(m.group(1)) >= 90:
        return "fresh"
    return f"{kind}-hard"


def shingles(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    toks = _TOKEN_RE.findall(text.lower())
    if len(toks) < n:
        return Counter([tuple(toks)]) if toks else Counter()
    return Counter(tuple(toks[i : i + n]) for i in range(len(toks) - n + 1))


def prf(pred: str, gold: str) -> tuple[float, float, float]:
    p, g = shingles(pred), shingles(gold)
    if not p and not g:
        return 1.0, 1.0, 1.0
    overlap = sum((p & g).values())
    prec = overlap / sum(p.values()) if p else 0.0
    rec = overlap / sum(g.values()) if g else 0.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    return prec, rec, f1


def _baseline_text(path: Path, kind: str) -> str:
    """Keep everything: every visible line of the input."""
    text = decode_bytes(path.read_bytes())
    if kind == "html":
        text = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", text)
        text = re.sub(r"<[^>]+>", "\n", text)
    if kind == "json":
        return text
    return text


def evaluate() -> dict[str, Any]:
    docs: list[dict[str, Any]] = []
    for path in sorted(FIXTURES.iterdir()):
        kind = KINDS.get(path.suffix)
        if kind is None:
            continue
        exp_path = path.with_name(path.stem + ".expected.json")
        if not exp_path.is_file():
            continue
        exp = json.loads(exp_path.read_text(encoding="utf-8"))
        gold = "\n".join(exp["body"])
        row: dict[str, Any] = {"name": path.name, "kind": kind,
                               "group": group(path.name, kind),
                               "language": exp.get("language") or "unknown",
                               "shape": exp.get("shape")}
        try:
            art = normalise(path.read_bytes(), source=Source(kind="file", location=str(path)))
            pred = "\n".join(art.body)
            row.update(title_ok=art.title == exp.get("title"),
                       dateline_ok=art.dateline == exp.get("dateline"),
                       date_ok=(art.published_at.date().isoformat() if art.published_at
                                else None) == exp.get("published"),
                       title=art.title, dateline=art.dateline,
                       published=art.published_at.isoformat() if art.published_at else None)
        except RejectedInput as exc:
            pred = ""
            row.update(title_ok=False, dateline_ok=False, date_ok=False, error=exc.reason)
        row["p"], row["r"], row["f1"] = prf(pred, gold)
        row["baseline_f1"] = prf(_baseline_text(path, kind), gold)[2]
        docs.append(row)
    return {"docs": docs, "summary": summarise(docs),
            "languages": _scores_by(docs, "language"), "shapes": _scores_by(docs, "shape")}


def summarise(docs: list[dict[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    dev = {"text", "html", "json"}
    for kind in ("all", "text", "html", "json", "text-hard", "html-hard", "fresh", "blind",
                 "c", "d", "e", "g", "k", "m", "n", "p", "q", "r", "s", "u", "v", "w", "x", "y",
                 "z", "za", "zb", "zc", "zd", "ze", "zg", "zh", "zi", "overall"):
        sel = [d for d in docs if kind == "overall" or d["group"] == kind
               or (kind == "all" and d["group"] in dev)]
        if sel:
            out[kind] = _scores(sel)
    return out


def _scores(sel: list[dict[str, Any]]) -> dict[str, Any]:
    n = len(sel)
    p = sum(d["p"] for d in sel) / n
    r = sum(d["r"] for d in sel) / n
    return {
        "n": n, "precision": round(p, 4), "recall": round(r, 4),
        "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0,
        "mean_doc_f1": round(sum(d["f1"] for d in sel) / n, 4),
        "baseline_f1": round(sum(d["baseline_f1"] for d in sel) / n, 4),
        "title_exact": round(sum(d["title_ok"] for d in sel) / n, 4),
        "dateline_exact": round(sum(d["dateline_ok"] for d in sel) / n, 4),
        "date_exact": round(sum(d["date_ok"] for d in sel) / n, 4),
    }


def _scores_by(docs: list[dict[str, Any]], key: str) -> dict[str, Any]:
    """Scores per value of a label field (language, shape); documents without it are left out."""
    values = sorted({d[key] for d in docs if d[key]})
    return {v: _scores([d for d in docs if d[key] == v]) for v in values}


def _print_scores(label: str, s: dict[str, Any], width: int = 9) -> None:
    print(f"{label[:width]:{width}} n={s['n']:3} P={s['precision']:.3f} R={s['recall']:.3f} "
          f"F1={s['f1']:.3f} (mean doc F1 {s['mean_doc_f1']:.3f}, keep-all "
          f"{s['baseline_f1']:.3f})  title={s['title_exact']:.2f} "
          f"dateline={s['dateline_exact']:.2f} date={s['date_exact']:.2f}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--json", action="store_true", help="print a machine-readable summary")
    args = ap.parse_args(argv)
    result = evaluate()
    if args.json:
        print(json.dumps(result, indent=1, ensure_ascii=False))
        return 0
    print(f"{'document':38} {'P':>5} {'R':>5} {'F1':>5} {'base':>5}  T D d")
    for d in result["docs"]:
        flags = " ".join("." if d[k] else "x" for k in ("title_ok", "dateline_ok", "date_ok"))
        print(f"{d['name'][:38]:38} {d['p']:5.2f} {d['r']:5.2f} {d['f1']:5.2f} "
              f"{d['baseline_f1']:5.2f}  {flags}  {d.get('error', '')}")
    print()
    for kind, s in result["summary"].items():
        _print_scores(kind, s)
    print("\nper language")
    for lang, s in result["languages"].items():
        _print_scores(lang, s)
    print("\nper shape")
    for shape, s in result["shapes"].items():
        _print_scores(shape, s, width=40)
    langs = [lang for lang in result["languages"] if lang != "unknown"]
    print(f"\ndev set: {len(result['docs'])} labelled documents, {len(langs)} languages "
          f"({', '.join(langs)})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
