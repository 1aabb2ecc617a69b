"""The rooms: each file under 400 lines, the engine's room under 800, lower rooms never import higher."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

#: Each room of autograd/, with the rooms it may import from (besides itself). Rooms beyond
#: `engine` are built on the engine's public names, so everything may use common and engine.
BENEATH: dict[str, set[str]] = {
    "common": set(),
    "engine": {"common"},
    "views": {"common", "engine"},
    "derivatives": {"common", "engine", "views"},
    "drawings": {"common", "engine", "views", "derivatives"},
    "static": {"common", "engine", "views", "derivatives"},
    "teaching": {"common", "engine", "views", "derivatives", "drawings", "static"},
    "cli": {"common", "engine", "views", "derivatives", "drawings", "teaching", "static"},
}


def _python_files() -> list[Path]:
    return sorted([*(ROOT / "autograd").rglob("*.py"), *(ROOT / "nn").rglob("*.py")])


def _rooms_imported(path: Path) -> set[str]:
    """The autograd rooms a module imports from (relative or absolute imports)."""
    room = path.relative_to(ROOT / "autograd").parts[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if (node.level == 1 and path.name != "__init__.py") or (node.level == 0 and node.module is None):
                continue  # a sibling in the same room
            if node.level >= 2:
                target = (node.module or "").split(".")[0] or "autograd"
            elif node.module and node.module.startswith("autograd."):
                target = node.module.split(".")[1]
            else:
                continue
            if target != room:
                found.add(target)
    return found


def _every_python_file() -> list[Path]:
    """The package, the tests, the benchmarks and the tools: the 400-line rule holds for all of them."""
    folders = ("autograd", "nn", "tests", "benchmarks", "tools")
    return sorted(p for folder in folders for p in (ROOT / folder).rglob("*.py"))


@pytest.mark.parametrize("path", _every_python_file(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_file_is_over_400_lines(path: Path) -> None:
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= 400, f"{path.relative_to(ROOT)} has {lines} lines"


def test_the_engines_room_reads_in_under_800_lines() -> None:
    files = (ROOT / "autograd" / "engine").glob("*.py")
    total = sum(len(p.read_text(encoding="utf-8").splitlines()) for p in files)
    assert total < 800, total


@pytest.mark.parametrize("room", sorted(BENEATH))
def test_a_room_imports_only_the_rooms_beneath_it(room: str) -> None:
    for path in sorted((ROOT / "autograd" / room).glob("*.py")):
        above = _rooms_imported(path) - BENEATH[room]
        assert not above, f"{path.relative_to(ROOT)} imports from {sorted(above)}"


def test_every_room_is_listed() -> None:
    rooms = {p.name for p in (ROOT / "autograd").iterdir() if (p / "__init__.py").exists()}
    assert rooms == set(BENEATH)
