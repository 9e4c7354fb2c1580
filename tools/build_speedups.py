"""Compile the normaliser (``worker/normalise``) with mypyc, in place (``make speedups``).

Why: the normaliser is ~40 small passes of per-line Python (features, blocks, dates); the
str and regex calls inside them are C already, the interpreter loop around them is not.
mypyc (mypy's compiler, as black and mypy ship) turns the same strictly typed modules into
C extensions. Measured on the bench articles (2-core dev machine): ``normalise_text``
1,209 -> 1,520-1,564 articles/s in back-to-back ``python -m benchmarks --only normalise``
runs, 5.95 M -> 5.13 M instructions an article under callgrind; HTML pages gain ~2% (their
time is lxml's and trafilatura's). All 664 fixture inputs normalised to byte-identical
Articles compiled and not; `make eval` and the test suite run on the compiled build.

The ``.so`` files sit next to the sources and Python prefers them, so an edited ``.py``
would be shadowed by a stale build: the build records each source's hash in
``worker/normalise/speedups.sha256`` and ``stale()`` (used by the test suite's start)
names what changed. ``--clean`` removes the build (pure Python again). Without a C
compiler the build is skipped with a note: the pure-Python modules are the same code.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
import sysconfig
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "worker" / "normalise"
STAMP = PACKAGE / "speedups.sha256"
GROUP = "worker.normalise.speedups"  # the shared runtime: worker/normalise/speedups__mypyc.so


def sources() -> list[Path]:
    return sorted(p for p in PACKAGE.glob("*.py") if p.name != "__init__.py")


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def built() -> list[Path]:
    return sorted(PACKAGE.glob("*" + str(sysconfig.get_config_var("EXT_SUFFIX"))))


def stale() -> list[str]:
    """Sources whose compiled module no longer matches them ([] without a build)."""
    if not built():
        return []
    recorded: dict[str, str] = {}
    if STAMP.exists():
        for line in STAMP.read_text().splitlines():
            h, _, name = line.partition("  ")
            recorded[name] = h
    current = {p.name: digest(p) for p in sources()}
    return sorted(n for n in current.keys() | recorded.keys()
                  if current.get(n) != recorded.get(n))


def clean() -> None:
    for p in built():
        p.unlink()
    STAMP.unlink(missing_ok=True)
    shutil.rmtree(ROOT / "build" / "speedups", ignore_errors=True)


def build() -> int:
    if os.environ.get("NEWSWORKER_PURE_PYTHON"):
        print("speedups: NEWSWORKER_PURE_PYTHON is set; the normaliser stays pure Python")
        clean()
        return 0
    cc = sysconfig.get_config_var("CC") or "cc"
    if shutil.which(cc.split()[0]) is None:
        print(f"speedups: no C compiler ({cc}); the normaliser stays pure Python")
        clean()
        return 0
    headers = Path(sysconfig.get_paths()["include"]) / "Python.h"
    if not headers.exists():
        print(f"speedups: no Python headers ({headers}); the normaliser stays pure Python")
        clean()
        return 0
    clean()
    os.chdir(ROOT)  # mypy reads its settings (strict, plugins) from pyproject.toml here
    names = [str(p.relative_to(ROOT)) for p in sources()]
    try:
        _compile(names)
    except (Exception, SystemExit):
        clean()  # never half a build: the compiled modules need their shared runtime
        raise
    STAMP.write_text("".join(f"{digest(p)}  {p.name}\n" for p in sources()))
    print(f"speedups: {len(names)} modules compiled ({len(built())} extension files)")
    return 0


def _compile(names: list[str]) -> None:
    from mypyc.build import mypycify
    from setuptools import setup

    setup(name="newsworker-speedups",
          ext_modules=mypycify(names, opt_level="3", group_name=GROUP,
                               target_dir="build/speedups"),
          script_args=["--quiet", "build_ext", "--inplace",
                       "--build-temp", "build/speedups"])


def main(argv: list[str]) -> int:
    if "--clean" in argv:
        clean()
        return 0
    if "--check" in argv:
        changed = stale()
        if changed:
            print("speedups are stale for: " + ", ".join(changed)
                  + " (run `make speedups`, or `make clean-speedups` for pure Python)")
            return 1
        return 0
    return build()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
