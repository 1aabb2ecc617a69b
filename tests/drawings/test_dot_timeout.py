"""Every `dot` run has a time limit: too long a layout is stopped with a clear error, no process left."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from autograd import LayoutTimeoutError, Value, draw, render, save_html
from autograd.cli.main import main


def dense(terms: int) -> Value:
    """x·y + 1 + x·y + 2 + …: every product reads x and y, the layout Graphviz finds slow (minutes at 120)."""
    x, y = Value(1.0, "x"), Value(2.0, "y")
    return sum((x * y + float(i) for i in range(terms)), Value(0.0, "c"))


def dot_children() -> list[int]:
    """The `dot` processes this test process started that are still there (running or unreaped)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        name, rest = stat[stat.index("(") + 1 : stat.rindex(")")], stat[stat.rindex(")") + 2 :].split()
        if name == "dot" and int(rest[1]) == os.getpid():
            found.append(int(entry.name))
    return found


MESSAGE = (
    r"Graphviz's dot took more than 0\.5 s to lay out the drawing \(\d+ nodes, \d+ edges\) and was stopped"
)


def test_the_player_stops_dot_and_says_so(tmp_path: Path) -> None:
    f = dense(120)
    with pytest.raises(LayoutTimeoutError, match=MESSAGE + ".*allow more time"):
        save_html(f, tmp_path / "big.html", layout_timeout=0.5, max_nodes=1000)
    assert dot_children() == []  # killed and reaped: no orphan dot
    assert not (tmp_path / "big.html").exists()


def test_draw_pipe_render_and_jupyters_svg_have_the_limit_too(tmp_path: Path) -> None:
    d = draw(dense(120), max_nodes=1000)
    d.layout_timeout = 0.5
    with pytest.raises(LayoutTimeoutError, match=MESSAGE):
        d.pipe(format="svg")
    with pytest.raises(LayoutTimeoutError, match=MESSAGE):
        d._repr_image_svg_xml()  # what Jupyter calls to show the drawing inline
    with pytest.raises(LayoutTimeoutError, match=MESSAGE):
        render(dense(120), tmp_path / "big.svg", max_nodes=1000, layout_timeout=0.5)
    assert dot_children() == []
    small = draw(Value(2.0, "a") * 3)
    assert small.pipe(format="svg").startswith(b"<?xml")  # within the limit: the picture
    assert small.pipe(format="svg", encoding="utf-8").startswith("<?xml")
    with pytest.raises(ValueError, match="layout_timeout must be a number of seconds > 0, got 0"):
        render(Value(1.0, "a") * 2, tmp_path / "a.svg", layout_timeout=0)
    with pytest.raises(ValueError, match="layout_timeout must be a number of seconds > 0, got True"):
        save_html(Value(1.0, "a") * 2, tmp_path / "a.html", layout_timeout=True)


def test_cli_html_obeys_layout_timeout(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    formula = " + ".join(f"x*y*{i}" for i in range(1, 71))
    out = tmp_path / "big.html"
    args = [formula, "x=1", "y=2", "-o", str(tmp_path / "g.dot"), "--html", str(out), "--max-nodes", "1000"]
    assert main([*args, "--layout-timeout", "0.5"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "--html: " + "Graphviz's dot took more than 0.5 s" in err[0]
    assert "--layout-timeout" in err[0] and not out.exists()
    assert dot_children() == []
