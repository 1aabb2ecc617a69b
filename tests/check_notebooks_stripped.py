"""Fail if any notebook in notebooks/ is committed with outputs or execution counts."""

from __future__ import annotations

import json
import pathlib
import sys


def main() -> int:
    """Check every notebooks/*.ipynb; print the offenders and return 1 if there are any."""
    root = pathlib.Path(__file__).resolve().parent.parent / "notebooks"
    bad = []
    for path in sorted(root.glob("*.ipynb")):
        cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
        if any(c.get("outputs") or c.get("execution_count") for c in cells if c.get("cell_type") == "code"):
            bad.append(path.name)
    for name in bad:
        print(f"notebooks/{name} has outputs committed: strip them (nbstripout or 'Clear All Outputs')")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
