"""Write docs/schema/*.json from the event models (`make docs`); `--check` exits 1 when a
file is stale."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from worker.events.schema import schema_documents

OUT = Path(__file__).resolve().parent.parent / "docs" / "schema"


def render(doc: dict[str, object]) -> str:
    return json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def main(argv: list[str]) -> int:
    check = "--check" in argv
    stale = []
    OUT.mkdir(parents=True, exist_ok=True)
    for name, doc in schema_documents().items():
        path = OUT / name
        text = render(doc)
        if path.exists() and path.read_text() == text:
            continue
        stale.append(name)
        if not check:
            path.write_text(text)
    if stale:
        print(("stale: " if check else "wrote: ") + ", ".join(stale))
    return 1 if check and stale else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
