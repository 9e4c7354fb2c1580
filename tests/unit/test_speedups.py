"""The compiled normaliser (tools/build_speedups.py): used when built, never stale."""

from __future__ import annotations

import importlib
import sysconfig
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import load_tool

EXT = str(sysconfig.get_config_var("EXT_SUFFIX"))


@pytest.fixture
def tool(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    """The build tool pointed at a scratch package with one source."""
    mod = load_tool("build_speedups")
    monkeypatch.setattr(mod, "PACKAGE", tmp_path)
    monkeypatch.setattr(mod, "STAMP", tmp_path / "speedups.sha256")
    (tmp_path / "__init__.py").write_text("")
    (tmp_path / "lines.py").write_text("X = 1\n")
    return mod


def test_no_build_is_never_stale(tool: Any) -> None:
    assert tool.stale() == []


def test_a_source_changed_after_the_build_is_named(tool: Any, tmp_path: Path) -> None:
    (tmp_path / f"lines{EXT}").write_bytes(b"")  # what the build leaves beside the source
    tool.STAMP.write_text(f"{tool.digest(tmp_path / 'lines.py')}  lines.py\n")
    assert tool.stale() == []
    (tmp_path / "lines.py").write_text("X = 2\n")
    assert tool.stale() == ["lines.py"]
    (tmp_path / "lines.py").write_text("X = 1\n")
    (tmp_path / "dates.py").write_text("Y = 1\n")  # a new module the build has not seen
    assert tool.stale() == ["dates.py"]
    tool.STAMP.unlink()  # a build without its record: every source is suspect
    assert tool.stale() == ["dates.py", "lines.py"]


def test_clean_leaves_pure_python(tool: Any, tmp_path: Path) -> None:
    (tmp_path / f"lines{EXT}").write_bytes(b"")
    tool.STAMP.write_text("")
    tool.clean()
    assert not list(tmp_path.glob(f"*{EXT}")) and not tool.STAMP.exists()
    assert (tmp_path / "lines.py").exists()


def test_a_built_normaliser_is_the_one_imported() -> None:
    tool = load_tool("build_speedups")
    if not tool.built():
        pytest.skip("the normaliser is not compiled here (no C compiler, or pure Python asked)")
    assert tool.stale() == []
    for src in tool.sources():
        mod = importlib.import_module(f"worker.normalise.{src.stem}")
        assert str(mod.__file__).endswith(EXT), f"{src.name} runs uncompiled beside its build"
