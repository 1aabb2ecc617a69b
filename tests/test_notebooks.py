"""Every notebook in notebooks/ runs top to bottom in a real Jupyter kernel, and is committed clean.

The notebooks assert the lecture notes' numbers in their own code cells, so executing one is a test
of the engine as well as of the notebook. Each runs in a fresh temporary directory, so anything a
notebook writes lands there and never in the repository.
"""

from __future__ import annotations

import json
import pathlib
import re

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

NOTEBOOKS = pathlib.Path(__file__).resolve().parent.parent / "notebooks"

#: Each notebook the README promises, with its number of code cells. A notebook that lost cells (a bad
#: merge, an accidental "delete all") fails here rather than passing with less in it; when you add or
#: remove a cell on purpose, update its count.
EXPECTED = {
    "01_computational_graph": 17,
    "02_sigmoid_neuron": 8,
    "03_gradient_descent_and_likelihood": 10,
    "04_softmax_cross_entropy": 10,
    "05_mlp_from_scratch": 14,
    "06_backprop_matrix_form": 10,
    "09_static_and_dynamic_graphs": 10,
}

#: Per-cell limit: far above what any cell needs (each notebook takes well under a minute in all),
#: so it only stops a hung kernel.
CELL_TIMEOUT = 300


def _read(name: str) -> nbformat.NotebookNode:
    return nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)


def _code_cells(nb: nbformat.NotebookNode) -> list[nbformat.NotebookNode]:
    return [cell for cell in nb.cells if cell.cell_type == "code"]


def test_the_notebooks_are_exactly_the_expected_six() -> None:
    """No notebook is missing, and none is lying around untested."""
    assert sorted(p.stem for p in NOTEBOOKS.glob("*.ipynb")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_notebook_is_valid_and_stripped(name: str) -> None:
    """Valid nbformat 4 with the python3 kernel, no outputs or execution counts, and real content."""
    raw = json.loads((NOTEBOOKS / f"{name}.ipynb").read_text(encoding="utf-8"))
    assert raw["nbformat"] == 4
    nb = _read(name)
    nbformat.validate(nb)
    assert nb.metadata.kernelspec.name == "python3"
    code = _code_cells(nb)
    assert len(code) == EXPECTED[name] > 0
    for i, cell in enumerate(code):
        assert cell.outputs == [], f"{name}: code cell {i} has outputs committed"
        assert cell.execution_count is None, f"{name}: code cell {i} has an execution count committed"
    assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# ")
    assert any("assert " in cell.source for cell in code), f"{name} checks no numbers"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_notebook_executes_without_error(name: str, tmp_path: pathlib.Path) -> None:
    """Run every cell in a python3 kernel in a temporary directory; an error or a failed assert fails."""
    nb = _read(name)
    client = NotebookClient(
        nb,
        kernel_name="python3",
        timeout=CELL_TIMEOUT,
        resources={"metadata": {"path": str(tmp_path)}},
    )
    try:
        client.execute()
    except CellExecutionError as exc:
        plain = re.sub(r"\x1b\[[0-9;]*m", "", str(exc))  # the kernel's traceback comes with colour codes
        pytest.fail(f"notebooks/{name}.ipynb failed:\n{plain}", pytrace=False)
    ran = _code_cells(nb)
    assert all(cell.execution_count is not None for cell in ran)
    errors = [out for cell in ran for out in cell.outputs if out.output_type == "error"]
    assert errors == []
