"""Every notebook in notebooks/ runs top to bottom in a real Jupyter kernel, and is committed clean.

The notebooks assert the lecture notes' numbers in their own code cells, so executing one is a test
of the engine as well as of the notebook. Each runs in a fresh temporary directory, so anything a
notebook writes lands there and never in the repository.
"""

from __future__ import annotations

import importlib.util
import json
import pathlib
import re
from types import ModuleType

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

ROOT = pathlib.Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"

#: Each notebook the README promises, with its number of code cells. A notebook that lost cells (a bad
#: merge, an accidental "delete all") fails here rather than passing with less in it; when you add or
#: remove a cell on purpose, update its count.
EXPECTED = {
    "01_computational_graph": 24,
    "02_sigmoid_neuron": 13,
    "03_gradient_descent_and_likelihood": 15,
    "04_softmax_cross_entropy": 14,
    "05_mlp_from_scratch": 18,
    "06_backprop_matrix_form": 15,
    "07_forward_and_reverse_mode": 17,
    "08_second_derivatives": 12,
    "09_static_and_dynamic_graphs": 14,
    "10_checking_your_work": 15,
    "11_linear_regression": 11,
    "12_losses_activations_regularisation": 11,
    "13_autoencoder": 10,
    "14_handwritten_digits": 17,
    "15_pytorch_bridge": 11,
    "16_generalisation": 13,
    "17_matrix_calculus": 11,
}

#: The notebooks whose exercises the reader answers in a cell, checked by `autograd.check("NN.k", …)`:
#: two to four each, run unanswered by the tests (each must say so), and a solutions cell that feeds
#: the right answers to the same checks. Every notebook has them.
QUIZZES = sorted(EXPECTED)

#: Per-cell limit: far above what any cell needs (each notebook takes well under a minute in all),
#: so it only stops a hung kernel.
CELL_TIMEOUT = 300


def _read(name: str) -> nbformat.NotebookNode:
    return nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)


def _html_tool() -> ModuleType:
    """tools/notebooks_html.py, the script behind `make notebooks-html`."""
    spec = importlib.util.spec_from_file_location("notebooks_html", ROOT / "tools" / "notebooks_html.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _code_cells(nb: nbformat.NotebookNode) -> list[nbformat.NotebookNode]:
    return [cell for cell in nb.cells if cell.cell_type == "code"]


def test_the_notebooks_are_exactly_the_expected_ones() -> None:
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
    if name not in QUIZZES:
        return
    exercises = [cell for cell in code if re.search(r"^answer_\d+ = \.\.\.", cell.source, re.MULTILINE)]
    assert 2 <= len(exercises) <= 4, f"{name}: {len(exercises)} exercises, two to four expected"
    number = name[:2]
    for k, cell in enumerate(exercises, start=1):
        assert re.search(rf'^check\("{number}\.{k}", answer_{k}\)$', cell.source, re.MULTILINE), (
            f'{name}: exercise {k} is not checked by check("{number}.{k}", answer_{k})'
        )


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_notebook_executes_without_error(name: str, tmp_path: pathlib.Path) -> None:
    """Run every cell in a python3 kernel in a temporary directory; an error or a failed assert fails.

    The exercises are run as committed, unanswered: each must say so rather than fail, and the
    solutions cell (the right answers fed to the same checks) must have passed.
    """
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
    # the executed notebook, exported as `make notebooks-html` does (a cheap test of that build)
    page = _html_tool().export(nb, tmp_path / "html" / f"{name}.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert nb.cells[0].source.splitlines()[0].removeprefix("# ").split()[0] in page
    if name == "01_computational_graph":
        assert "<svg" in page and "∂f/∂w = 0.25" in page  # the graphs, drawn, are in the page

    if name == "14_handwritten_digits":  # the capstone's promise: at least 95% of the test digits read right
        found = re.search(r"test accuracy: (\d+\.\d)%", "".join(_texts(cell) for cell in ran))
        assert found is not None and float(found.group(1)) >= 95.0, "no test accuracy ≥ 95% printed"

    if name not in QUIZZES:
        return
    # left unanswered, each exercise says so without failing; the solutions cell's checks all passed
    for cell in ran:
        if re.search(r"check\(\"\d\d\.\d\", answer_", cell.source):
            assert "Not answered yet: replace ... with your" in _texts(cell), cell.source
    assert any("solutions check out" in _texts(cell) for cell in ran), f"{name}: no solutions cell ran"
    # no answer is printed before its question
    from autograd.teaching.quiz import QUESTIONS

    for key, i, _ in _exercise_cells(nb):
        q = QUESTIONS[key]
        shown = "".join(_texts(cell) for cell in nb.cells[:i] if cell.cell_type == "code")
        for text in _written(getattr(q, "right", None), q):
            assert text not in shown, f"{name}: the answer to {key} ({text}) is printed before the question"


def _exercise_cells(nb: nbformat.NotebookNode) -> list[tuple[str, int, str]]:
    """(key, index of the cell in nb.cells, the question's markdown) for every exercise cell."""
    found = []
    for i, cell in enumerate(nb.cells):
        hit = re.search(r'^check\("(\d\d\.\d)", answer_\d\)$', cell.source, re.MULTILINE)
        if cell.cell_type == "code" and hit:
            j = i - 1
            while nb.cells[j].cell_type != "markdown" or "**Exercise" not in nb.cells[j].source:
                j -= 1
            found.append((hit.group(1), i, nb.cells[j].source))
    return found


def test_every_exercise_of_the_bank_is_asked_once_in_its_notebook_and_computes_nothing() -> None:
    """The answer is not on screen: an exercise cell holds the answer line and the check, no engine work;
    the question says the precision the check asks for; the solutions come after every exercise."""
    from autograd.teaching.questions import Question
    from autograd.teaching.quiz import QUESTIONS

    asked = []
    for name in sorted(EXPECTED):
        nb = _read(name)
        cells = _exercise_cells(nb)
        asked += [key for key, _, _ in cells]
        for key, i, question in cells:
            assert key.startswith(name[:2]), (name, key)
            source = re.sub(r"#.*", "", nb.cells[i].source)  # the comments may name what is asked
            assert not re.search(r"\.backward\(|\.grad\b|\.data\b|\bmark\(|\bnn\.", source), (name, source)
            q = QUESTIONS[key]
            if isinstance(q, Question) and (q.decimals or q.sig):
                words = f"{q.decimals} decimals" if q.decimals else f"{q.sig} significant figures"
                assert words in question, f"{name}, exercise {key}: the question does not say '{words}'"
        solutions = [i for i, cell in enumerate(nb.cells) if "solutions check out" in cell.source]
        assert len(solutions) == 1 and all(i < solutions[0] for _, i, _ in cells), name
    assert sorted(asked) == sorted(QUESTIONS) and len(asked) == len(set(asked))


def _written(x: object, q: object) -> list[str]:
    """How a right answer would show in an output, written to the precision asked for (≥ 3 digits only)."""
    if isinstance(x, (list, tuple)):
        return [text for v in x for text in _written(v, q)]
    if not isinstance(x, float) or x.is_integer():
        return []
    decimals = getattr(q, "decimals", None) or 4
    texts = {f"{x:.{decimals}f}", f"{x:.6f}"}
    return [t for t in texts if len(t.lstrip("-0.").replace(".", "")) >= 3]


def _run_without(name: str, module: str, tmp_path: pathlib.Path) -> nbformat.NotebookNode:
    """Execute notebook `name` with `module` blocked, as if it were not installed; fail on an error."""
    nb = _read(name)
    blocker = nbformat.v4.new_code_cell(f"import sys\nsys.modules[{module!r}] = None  # as if not installed")
    nb.cells.insert(0, blocker)
    client = NotebookClient(
        nb, kernel_name="python3", timeout=CELL_TIMEOUT, resources={"metadata": {"path": str(tmp_path)}}
    )
    try:
        client.execute()
    except CellExecutionError as exc:
        plain = re.sub(r"\x1b\[[0-9;]*m", "", str(exc))
        pytest.fail(f"notebooks/{name}.ipynb without {module} failed:\n{plain}", pytrace=False)
    return nb


def test_notebook_01_runs_without_ipywidgets(tmp_path: pathlib.Path) -> None:
    """With only the runtime dependencies and a kernel (no widgets extra) the stepper shows static steps."""
    nb = _run_without("01_computational_graph", "ipywidgets", tmp_path)
    stepper_cell = next(cell for cell in nb.cells if "stepper(f)" in cell.source)
    shown = [out for out in stepper_cell.outputs if out.output_type in ("execute_result", "display_data")]
    html = "".join(out.data.get("text/html", "") for out in shown)
    assert "ipywidgets is not installed" in html and html.count("<svg") == 13


def test_notebook_15_runs_without_pytorch(tmp_path: pathlib.Path) -> None:
    """Without PyTorch every cell runs, each PyTorch half says it was skipped, and the exercises check out."""
    nb = _run_without("15_pytorch_bridge", "torch", tmp_path)
    ran = _code_cells(nb)
    torch_cells = [cell for cell in ran if "if torch is None:" in cell.source]
    assert len(torch_cells) >= 5
    assert all("the PyTorch half of this cell was skipped" in _texts(cell) for cell in torch_cells)
    assert "PyTorch not installed" in _texts(ran[1])
    assert any("solutions check out" in _texts(cell) for cell in ran)


def _texts(cell: nbformat.NotebookNode) -> str:
    """Everything a code cell printed or displayed as plain text."""
    return "".join(out.get("text", "") + out.get("data", {}).get("text/plain", "") for out in cell.outputs)


def test_the_published_html_copies_are_those_of_the_notebooks_now() -> None:
    """docs/notebooks/ holds an executed copy of every notebook, built from its current text.

    A reader on the web sees these pages; after changing a notebook, run `make notebooks-html`.
    """
    tool = _html_tool()
    pages = ROOT / "docs" / "notebooks"
    assert sorted(p.stem for p in pages.glob("*.html")) == sorted(EXPECTED)
    for name in EXPECTED:
        source = NOTEBOOKS / f"{name}.ipynb"
        head = (pages / f"{name}.html").read_text(encoding="utf-8")[:300]
        mark = tool.BUILT_FROM.format(name=name, digest=tool.digest(source))
        assert mark in head, f"docs/notebooks/{name}.html is out of date: run `make notebooks-html`"
