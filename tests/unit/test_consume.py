"""Stream-id arithmetic used by consumer groups (no Redis)."""

from __future__ import annotations

from worker.store.groups import id_after, id_before


def test_id_arithmetic() -> None:
    assert id_after("5-1") == "5-2"
    assert id_after("5-18446744073709551615") == "6-0"
    assert id_before("5-0") == "4-18446744073709551615"
    assert id_before("5-3") == "5-2" and id_before("0-0") == "0-0"
