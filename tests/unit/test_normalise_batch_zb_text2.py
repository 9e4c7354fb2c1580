"""Rules from blind batch zb (extraction-tool text dumps), second round: wrap widths counted
as the wrapping tool counts them, and the plain-text rules listed with each test."""

from __future__ import annotations

from worker.events.models import Source
from worker.normalise.article import normalise
from worker.normalise.lines import logical_lines
from worker.normalise.wrap import columns, continues, wrap_width

HI = ("राजस्थान की राजधानी जयपुर में पंद्रह अप्रैल से ई-रिक्शा के लिए नए रूट नियम लागू होंगे "
      "और यातायात पुलिस ने शहर को पांच जोन में बांटा है। हर ई-रिक्शा को केवल अपने जोन में ही "
      "चलने की अनुमति होगी और नियम तोड़ने पर जुर्माना लगेगा।")


def _wrap(text: str, width: int) -> list[str]:
    """Greedy wrap by display columns, as pandoc does."""
    out: list[str] = []
    cur = ""
    for w in text.split():
        if cur and columns(cur) + 1 + columns(w) > width:
            out.append(cur)
            cur = w
        else:
            cur = f"{cur} {w}" if cur else w
    return [*out, cur]


def test_display_columns_skip_combining_marks() -> None:
    assert columns("plain ascii") == 11
    assert columns("में") < len("में")  # vowel signs take no column
    assert columns("café") == 4 and columns("cafe\u0301") == 4


def test_a_pandoc_hindi_wrap_is_found_and_joined() -> None:
    paras = [HI.replace("पंद्रह", str(k)) for k in range(6)]
    raw: list[str] = []
    for p in paras:
        raw += [*_wrap(p, 72), ""]
    assert max(len(s) for s in raw) > 80  # code points run past the column
    assert 66 <= wrap_width(raw) <= 72
    lines = logical_lines("\n".join(raw))
    assert [ln.text for ln in lines] == paras


def test_caseless_continuation_but_not_chinese_or_japanese() -> None:
    assert continues("होंगे। यातायात") and continues("했다. 지원") and continues("and so")
    assert not continues("The") and not continues("運転手不足") and not continues("1일부터")


def test_an_ordered_list_under_wrapped_text_is_no_wrap() -> None:
    raw: list[str] = []
    for p in [HI.replace("पंद्रह", str(k)) for k in range(6)]:
        raw += [*_wrap(p, 72), ""]
    heads = [f"{k}. " + HI[:80 + k].strip() for k in range(1, 5)]  # no blank lines between
    lines = logical_lines("\n".join([*raw, *heads]))
    assert [ln.text for ln in lines][-4:] == heads


def test_markdown_link_lines_say_nothing_of_the_width() -> None:
    raw: list[str] = []
    for k in range(5):
        raw += [f"* [खबर {k}](https://example.org/news/{'x' * (70 + k)})"]
    raw.append("")
    for p in [HI.replace("पंद्रह", str(k)) for k in range(3)]:
        raw += [*_wrap(p, 72), ""]
    assert 66 <= wrap_width(raw) <= 72


def _art(text: str):  # type: ignore[no-untyped-def]
    return normalise(text.encode(), source=Source(kind="file", location="a.txt"), kind="text")
