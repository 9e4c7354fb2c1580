"""``normalise_text`` and ``normalise_html``: one core, in-process, blocks of the measured
thing and its baseline interleaved so machine noise lands on both.
"""

from __future__ import annotations

import sysconfig
import time
from collections.abc import Callable

from benchmarks.data import html_page, text_article
from benchmarks.harness import Bench, Row, row
from worker.events.models import Source

BLOCKS = 10  # even: each function first in half of them


def _interleaved(items: list[bytes], measured: Callable[[bytes], object],
                 baseline: Callable[[bytes], object]) -> tuple[float, float]:
    """Rates of both over ``items``, in blocks, the order flipped each block (ABBA): on the
    dev machine the same function timed first in a block ran 8-14% slower than timed second
    (trafilatura against itself, 200 pages, blocks of 20), so a fixed order biased the ratio."""
    for it in items[:3]:  # warm caches, lazy imports
        measured(it)
        baseline(it)
    spent = {measured: 0.0, baseline: 0.0}
    size = max(1, len(items) // BLOCKS)
    for n, k in enumerate(range(0, len(items), size)):
        block = items[k:k + size]
        for fn in ((measured, baseline) if n % 2 == 0 else (baseline, measured)):
            t = time.perf_counter()
            for it in block:
                fn(it)
            spent[fn] += time.perf_counter() - t
    return len(items) / spent[measured], len(items) / spent[baseline]


def bench_normalise(b: Bench) -> list[Row]:
    import trafilatura

    from worker.normalise import article
    from worker.normalise.article import normalise

    # mypyc's build (tools/build_speedups.py) or the plain modules
    compiled = str(article.__file__).endswith(str(sysconfig.get_config_var("EXT_SUFFIX")))

    texts = [text_article(i) for i in range(b.n(3000, minimum=10))]
    src = Source(kind="file", location="/bench/article.txt")

    def norm_text(raw: bytes) -> object:
        return normalise(raw, source=src, kind="text")

    def trivial(raw: bytes) -> object:
        return [p.split() for p in raw.decode().split("\n\n")]

    text_rate, trivial_rate = _interleaved(texts, norm_text, trivial)

    pages = [html_page(i) for i in range(b.n(400, minimum=5))]
    hsrc = Source(kind="file", location="/bench/page.html")

    def norm_html(raw: bytes) -> object:
        return normalise(raw, source=hsrc, kind="html")

    def bare(raw: bytes) -> object:
        return trafilatura.extract(raw.decode("utf-8"))

    html_rate, bare_rate = _interleaved(pages, norm_html, bare)
    avg_text = sum(map(len, texts)) // len(texts)
    avg_html = sum(map(len, pages)) // len(pages)
    return [
        # The trivial decode+split pass is a floor, not a target: its ratio is context only.
        row("normalise_text", text_rate, "articles/s", trivial_rate, ">= 2000/s (one core)",
            articles=len(texts), avg_bytes=avg_text, baseline_is="bytes.decode + split",
            compiled=compiled),
        row("normalise_html", html_rate, "pages/s", bare_rate, "ratio >= 0.9",
            pages=len(pages), avg_bytes=avg_html, baseline_is="trafilatura.extract",
            compiled=compiled),
    ]
