"""The README stays a first-hour quickstart (issue 21): at most 8 KiB, the quickstart first and
the depth in docs/ (it had grown to 20 KB, 38% of it a deployment runbook)."""

from __future__ import annotations

import re

from tests.conftest import ROOT

README = ROOT / "README.md"


def test_readme_is_a_quickstart_of_at_most_8_kib() -> None:
    size = len(README.read_bytes())
    assert size <= 8 * 1024, f"README.md is {size} bytes: move the depth to docs/"
    sections = re.findall(r"^## (.+)$", README.read_text(), re.MULTILINE)
    assert sections[:3] == ["Quickstart", "Concepts", "Common tasks"], sections
