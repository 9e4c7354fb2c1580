"""Replay positions: a stream id, a time or 0, turned into the id to rewind to (no Redis)."""

from __future__ import annotations

from worker.consumers.replay import position_before


def test_position_before() -> None:
    assert position_before("0") == "0-0"
    assert position_before("1700000000000-5") == "1700000000000-4"
    assert position_before("2023-11-14T22:13:20Z") == "1699999999999-18446744073709551615"
    assert position_before("2023-11-14T22:13:20") == position_before("2023-11-14T22:13:20+00:00")
