"""The store's Lua scripts (``*.lua`` beside this module), read once per process.

Every script file here is loaded through :func:`source` and registered with the client it
runs on (``client.register_script``), so each is read from disk once, not per call.
"""

from __future__ import annotations

import functools
from pathlib import Path

HERE = Path(__file__).parent


@functools.cache
def source(name: str) -> str:
    """The text of the script ``name`` (e.g. ``"append.lua"``)."""
    return (HERE / name).read_text()
