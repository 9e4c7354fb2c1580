"""Every refusal of hostile input carries a reason (no Redis; the corpus runs in
tests/integration/test_hostile.py and tests/e2e/test_hostile.py)."""

from __future__ import annotations

from worker.errors import RejectedInput


def test_every_rejection_has_a_reason() -> None:
    # The error type itself insists on a reason string (what operators see)
    exc = RejectedInput("no articles found", location="/x")
    assert str(exc) == "/x: no articles found"
