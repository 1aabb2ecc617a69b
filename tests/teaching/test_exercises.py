"""exercise(): reproducible by seed, the shape promised per level, tame numbers, a key check_answers takes."""

from __future__ import annotations

import itertools
import random

import pytest
from latex_check import check_latex

from autograd import Value, check_answers, exercise, table, topological_order
from autograd.teaching.exercises import FORMATS

SEEDS = range(40)

EXERCISE_1_LEVEL_1 = """\
# Exercise 1, level 1: one chain: each node feeds the next, inputs join along the way

Inputs: z = −1, x = 1. The output is f = h3.
Fill in every node's value (forward pass), then ∂f/∂node (backward, from ∂f/∂h3 = 1).

| node | function | value | ∂f/∂node |
|---|---|---|---|
| z | input | −1 |  |
| h1 | 1/z |  |  |
| x | input | 1 |  |
| h2 | h1 × x |  |  |
| h3 | h2 + 2 |  |  |

To have it marked, save the lines below as answers.txt, write each value and each ∂f/∂node after its \
`=` (a decimal or a fraction such as -1/8) and run `backproplab check answers.txt`; its first line tells \
`check` the seed and the level.

```text
# exercise 1, level 1
# the forward pass: the value of each node
value of h1 =
value of h2 =
value of h3 =
# the backward pass: the gradient of f for each node, from the output down
h3 =
h2 =
x =
h1 =
z =
```
"""


def test_a_sheet_is_the_same_for_the_same_seed_in_every_run() -> None:
    assert exercise(1, 1).worksheet() == EXERCISE_1_LEVEL_1  # fixed text: the same on every machine
    key = exercise(1, 1).answers()
    # by hand: h1 = 1/z = −1, h2 = h1·x = −1, f = h3 = h2 + 2 = 1; ∂f/∂h1 = x = 1,
    # ∂f/∂x = h1 = −1, ∂f/∂z = ∂f/∂h1 · (−1/z²) = −1
    assert key["h1"] == {"value": -1.0, "grad": 1.0} and key["z"] == {"value": -1.0, "grad": -1.0}
    assert key["x"] == {"value": 1.0, "grad": -1.0} and key["h3"] == {"value": 1.0, "grad": 1.0}


@pytest.mark.parametrize("level", [1, 2, 3])
def test_same_seed_same_sheet_different_seeds_differ(level: int) -> None:
    for fmt in FORMATS:
        assert exercise(5, level).worksheet(fmt) == exercise(5, level).worksheet(fmt)
        assert exercise(5, level).key(fmt) == exercise(5, level).key(fmt)
    assert len({exercise(s, level).worksheet() for s in SEEDS}) >= 35


def test_the_global_random_state_is_left_alone() -> None:
    random.seed(1234)
    expected = random.random()
    random.seed(1234)
    exercise(3, 3)
    assert random.random() == expected


def _uses(root: Value) -> dict[Value, int]:
    """How often each node is an operand."""
    counts: dict[Value, int] = {}
    for node in topological_order(root):
        for p in node.parents:
            counts[p] = counts.get(p, 0) + 1
    return counts


@pytest.mark.parametrize("level", [1, 2, 3])
def test_the_levels_have_their_shape_and_tame_numbers(level: int) -> None:
    for seed in SEEDS:
        root = exercise(seed, level).root
        order = topological_order(root)
        ops = [n for n in order if not n.is_leaf]
        uses = _uses(root)
        assert all(abs(n.data) <= 100 for n in order)
        assert all(uses[n] >= 1 for n in order if n != root)  # every node reaches f
        if level == 1:  # one chain: each operation feeds the next one
            assert all(uses[n] == 1 for n in order if n != root)
            for earlier, later in itertools.pairwise(ops):
                assert any(p == earlier for p in later.parents)
        elif level == 2:  # a tree: every node used once
            assert all(uses[n] == 1 for n in order if n != root)
            assert len([n for n in order if n.is_leaf and not n.is_constant]) == 3
        else:  # a shared sub-expression: some operation node used twice
            assert any(uses[n] >= 2 for n in ops)


@pytest.mark.parametrize("level", [1, 2, 3])
def test_the_key_is_accepted_and_agrees_with_table(level: int) -> None:
    for seed in SEEDS:
        ex = exercise(seed, level)
        answers = ex.answers()
        assert check_answers(ex.root, answers).ok
        rows = {row.name: row for row in table(ex.root, precision=None)}
        for name, row in rows.items():
            assert answers[name] == {"value": row.value, "grad": row.grad}
        wrong = {**answers, next(iter(rows)): {"grad": answers[next(iter(rows))]["grad"] + 1.0}}
        assert not check_answers(ex.root, wrong).ok


def test_the_worksheet_is_blank_and_the_key_filled() -> None:
    ex = exercise(2, 3)
    sheet = ex.worksheet().splitlines()
    rows = [line for line in sheet if line.startswith("| h")]
    assert len(rows) == len([n for n in topological_order(ex.root) if not n.is_leaf])
    assert all(line.endswith("|  |  |") for line in rows)
    key = ex.key()
    assert "answer key" in key and "∂f/∂h1 = " in key
    assert all(not line.endswith("|  |  |") for line in key.splitlines() if line.startswith("| h"))
    html = ex.worksheet("html")
    assert html.count("<tr>") == len(ex.nodes()) + 1 and "<td></td><td></td>" in html
    # how to hand it in, in every format of the sheet, and never in the key
    assert (
        "<pre># exercise 2, level 3\n# the forward pass: the value of each node\nvalue of h1 =" in html
        and "run `backproplab check answers.txt`" in html
    )
    assert "\\begin{verbatim}\n# exercise 2, level 3\n" in ex.worksheet("latex")
    assert all("answers.txt" not in ex.key(fmt) for fmt in FORMATS)


@pytest.mark.parametrize("level", [1, 2, 3])
def test_latex_sheets_parse(level: int) -> None:
    for seed in range(4):
        ex = exercise(seed, level)
        for text in (ex.worksheet("latex"), ex.key("latex")):
            assert text.startswith("\\documentclass{article}") and text.rstrip().endswith("\\end{document}")
            check_latex(text)


def test_bad_arguments() -> None:
    with pytest.raises(ValueError, match="level must be 1, 2 or 3, got 4"):
        exercise(1, 4)
    with pytest.raises(TypeError, match="seed must be an int, got str"):
        exercise("1")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="format must be one of markdown, latex, html, got 'pdf'"):
        exercise(1).worksheet("pdf")


@pytest.mark.parametrize("level", [1, 2, 3])
def test_no_sheet_has_an_input_the_output_does_not_feel(level: int) -> None:
    """A relu switched off upstream of everything would make a key of zeros, which any guess of 0 passes."""
    for seed in range(50):
        ex = exercise(seed, level)
        key = ex.answers()
        inputs = [n.label for n in topological_order(ex.root) if n.is_leaf and not n.is_constant]
        assert inputs and all(key[name]["grad"] != 0.0 for name in inputs), (seed, level)
