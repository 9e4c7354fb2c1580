"""Payloads that prove code execution if they are ever deserialised."""

from __future__ import annotations

import os
from typing import Any


class MakeDir:
    """Unpickling this calls os.mkdir(path): proof of code execution if it ever happens."""

    def __init__(self, path: str) -> None:
        self.path = path

    def __reduce__(self) -> tuple[Any, ...]:
        return (os.mkdir, (self.path,))
