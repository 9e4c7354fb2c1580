"""Property tests: any input either normalises or is rejected with a reason, deterministically."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from worker.errors import RejectedInput
from worker.events.models import Article, Source
from worker.normalise.article import normalise, normalise_text

# Hypothesis re-runs a hanging example while shrinking, so a SIGALRM timeout cannot end it:
# the thread method kills the run instead, so a hang fails CI fast rather than eating its budget.
pytestmark = pytest.mark.timeout(300 * max(1, settings().max_examples // 150), method="thread")

SRC = Source(kind="file", location="prop")
# The active profile can only raise the count (`make fuzz`).
FAST = settings(max_examples=max(150, settings().max_examples), deadline=None,
                suppress_health_check=[HealthCheck.too_slow])

_words = st.sampled_from(["the", "council", "said", "on", "Friday", "Home", "Share", "By Jane Doe",
                          "LONDON (Reuters) -", "Advertisement", "2024", "—", "“No,”", "he said.",
                          "<p>", "</div>", "{", "\"title\":", "\n", "\n\n", "©", "Read more:"])
_pagey = st.lists(_words, max_size=120).map(" ".join)


def _outcome(fn: object, *args: object, **kw: object) -> Article | str:
    try:
        return fn(*args, **kw)  # type: ignore[operator, no-any-return]
    except RejectedInput as exc:
        assert exc.reason
        return f"{type(exc).__name__}: {exc.reason}"


@FAST
@given(st.binary(max_size=3000))
def test_any_bytes(raw: bytes) -> None:
    a = _outcome(normalise, raw, source=SRC)
    assert a == _outcome(normalise, raw, source=SRC)


@FAST
@given(st.one_of(st.text(max_size=3000), _pagey))
def test_any_text(text: str) -> None:
    for kind in (None, "text", "html", "json"):
        a = _outcome(normalise, text.encode("utf-8", "surrogatepass"), source=SRC, kind=kind)
        assert a == _outcome(normalise, text.encode("utf-8", "surrogatepass"), source=SRC,
                             kind=kind)
    b = _outcome(normalise_text, text, source=SRC)
    assert b == _outcome(normalise_text, text, source=SRC)
    if isinstance(b, Article):
        assert b.body and all(p.strip() for p in b.body)


@FAST
@given(st.text(alphabet=st.sampled_from("ab .\t\n\x0b\x0c\r\x1c\x1f\x85\xa0\u2003\u3000é"),
               max_size=60))
def test_squeeze_is_split_and_join(text: str) -> None:
    from worker.normalise.textfix import squeeze  # (its fast path skips the split)

    assert squeeze(text) == " ".join(text.split())
