"""table() and chain(): worked example §1 row for row, the chain rule along every path, summed."""

from __future__ import annotations

import math

import pytest
from graphs import lecture_sigmoid
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from autograd import Value, chain, table
from autograd.views.chains import count_paths

# worked-examples.md §1, row for row. The notes write h1 as "x × w" and h3 as "h2 × −1 (neg)";
# the graph records w × x (operand order of w*x) and a neg node, written −h2. The derivatives,
# values and gradients are the table's, character for character.
SECTION_1 = [
    ["h1", "w × x", "∂h1/∂w = x = 1, ∂h1/∂x = w = 0", "0", "0.25"],
    ["h2", "h1 + b", "∂h2/∂h1 = 1, ∂h2/∂b = 1", "0", "0.25"],
    ["h3", "−h2", "∂h3/∂h2 = −1", "0", "−0.25"],
    ["h4", "exp(h3)", "∂h4/∂h3 = exp(h3) = 1", "1", "−0.25"],
    ["h5", "h4 + 1", "∂h5/∂h4 = 1", "2", "−0.25"],
    ["h6", "1/h5", "∂h6/∂h5 = −1/h5² = −0.25", "0.5", "1"],
]


def test_table_reproduces_worked_example_1_row_for_row() -> None:
    f, *_ = lecture_sigmoid()
    t = table(f)
    assert t.header() == ["node", "function", "local derivative(s)", "value", "∂f/∂node"]
    assert t.cells() == SECTION_1
    assert len(t) == 6 and [row.node for row in t][-1] is f
    h1 = t.rows[0]
    assert [(d.wrt, d.formula, d.value) for d in h1.derivatives] == [("w", "x", 1.0), ("x", "w", 0.0)]


def test_table_as_plain_text_markdown_and_html() -> None:
    f, *_ = lecture_sigmoid()
    t = table(f)
    lines = str(t).splitlines()
    assert len(lines) == 8  # header, rule, six rows
    assert lines[0].split() == ["node", "function", "local", "derivative(s)", "value", "∂f/∂node"]
    assert set(lines[1]) <= {"─", " "}
    assert [line.split("  ")[0] for line in lines[2:]] == ["h1", "h2", "h3", "h4", "h5", "h6"]
    assert "∂h6/∂h5 = −1/h5² = −0.25" in lines[7] and lines[7].endswith("0.5    1")
    md = t.to_markdown().splitlines()
    assert md[0] == "| node | function | local derivative(s) | value | ∂f/∂node |"
    assert md[1] == "|---|---|---|---|---|"
    assert md[2:] == ["| " + " | ".join(row) + " |" for row in SECTION_1]
    html = t._repr_html_()
    assert html.startswith("<table>") and html.count("<tr>") == 7
    assert "<td>∂h1/∂w = x = 1, ∂h1/∂x = w = 0</td>" in html and "<th>∂f/∂node</th>" in html


def test_table_neither_needs_nor_changes_grad() -> None:
    """Before backward() the table already shows ∂f/∂node; after two backward() calls (leaves
    accumulate to twice their gradient) it still shows the gradients of one backward."""
    f, _x, w, b = lecture_sigmoid()
    assert table(f).cells() == SECTION_1
    assert (f.grad, w.grad) == (0.0, 0.0)
    f.backward()
    f.backward()
    assert w.grad == 0.5
    assert table(f).cells() == SECTION_1
    assert w.grad == 0.5 and b.grad == 0.5


def test_table_of_worked_example_3() -> None:
    """§3: f = (x + y)·z at x = −2, y = 5, z = −4: h = 3, f = −12, ∂f/∂h = −4."""
    x, y, z = Value(-2.0, "x"), Value(5.0, "y"), Value(-4.0, "z")
    f = (x + y) * z
    f.label = "L"
    assert table(f).cells() == [
        ["h1", "x + y", "∂h1/∂x = 1, ∂h1/∂y = 1", "3", "−4"],
        ["L", "h1 × z", "∂L/∂h1 = z = −4, ∂L/∂z = h1 = 3", "−12", "1"],
    ]
    assert table(f).header()[-1] == "∂L/∂node"


def test_table_of_the_sigmoid_neuron_at_six_digits() -> None:
    """§2: ∂y/∂m2 = −0.534447, ∂y/∂m0 = −0.196612, ∂y/∂z = 0.196612, y = 0.731059."""
    w0, x0, w1, x1, w2 = (Value(v, n) for v, n in [(2, "w0"), (-1, "x0"), (-3, "w1"), (-2, "x1"), (-3, "w2")])
    z = w0 * x0 + w1 * x1 + w2
    m0 = -z
    m1 = m0.exp()
    m2 = m1 + 1
    y = 1 / m2
    for node, name in [(z, "z"), (m0, "m0"), (m1, "m1"), (m2, "m2"), (y, "y")]:
        node.label = name
    cells = {row[0]: row for row in table(y).cells()}
    assert cells["m2"][2:] == ["∂m2/∂m1 = 1", "1.36788", "−0.534447"]
    assert cells["y"][2:] == ["∂y/∂m2 = −1/m2² = −0.534447", "0.731059", "1"]
    assert cells["m0"][4] == "−0.196612" and cells["z"][4] == "0.196612"
    assert cells["h1"][2] == "∂h1/∂w0 = x0 = −1, ∂h1/∂x0 = w0 = 2"


def test_table_precision_and_pipes_in_labels() -> None:
    a = Value(1.0 / 3.0, "a|b")
    f = a * 3.0
    assert table(f, precision=3).cells()[0] == ["h1", "a|b × 3", "∂h1/∂a|b = 3", "1", "1"]
    assert table(f, precision=None).cells()[0][2] == "∂h1/∂a|b = 3"
    assert "| h1 | a\\|b × 3 |" in table(f).to_markdown()
    with pytest.raises(ValueError, match="precision must be"):
        table(f, precision=0)


def test_table_of_a_leaf_is_empty() -> None:
    t = table(Value(2.0, "x"))
    assert len(t) == 0 and str(t).splitlines()[0].startswith("node")


# ---- chain -----------------------------------------------------------------------------------


def test_chain_of_worked_example_1() -> None:
    f, x, w, b = lecture_sigmoid()
    cw = chain(f, w)
    assert str(cw).splitlines() == [
        "∂f/∂w = 1 × (−0.25) × 1 × 1 × (−1) × 1 × 1 = 0.25",
        "  along h6 ← h5 ← h4 ← h3 ← h2 ← h1 ← w",  # the path in the order of its factors
    ]
    assert cw.total == 0.25 and len(cw.paths) == 1
    assert cw.paths[0].factors == (1.0, -0.25, 1.0, 1.0, -1.0, 1.0, 1.0)
    assert str(chain(f, x)).splitlines()[0] == "∂f/∂x = 1 × (−0.25) × 1 × 1 × (−1) × 1 × 0 = 0"  # = 0.25·w
    assert str(chain(f, b)).splitlines()[0] == "∂f/∂b = 1 × (−0.25) × 1 × 1 × (−1) × 1 = 0.25"
    assert w.grad == 0.0  # chain() does not run backward()


def test_chain_sums_over_the_paths_through_a_shared_subexpression() -> None:
    """f = u² + u with u = a·a, at a = 3: f = a⁴ + a², ∂f/∂a = 4a³ + 2a = 114.

    a reaches f along 6 paths: 2 slots of u = a·a, times (2 slots of u·u, then +) or (+ directly):
    each u·u path is 1 × 1 × u × a = 1 × 1 × 9 × 3 = 27, each direct one 1 × 1 × 3 = 3.
    """
    a = Value(3.0, "a")
    u = a * a
    f = u * u + u
    c = chain(f, a)
    assert sorted(p.product for p in c.paths) == [3.0, 3.0, 27.0, 27.0, 27.0, 27.0]
    assert c.total == 114.0
    lines = str(c).splitlines()
    assert lines[0] == "∂f/∂a, summed over 6 paths:"
    assert lines[1] == "  h3 ← h2 ←(1st operand) h1 ←(1st operand) a: 1 × 1 × 9 × 3 = 27"
    assert len(set(lines)) == len(lines), "each path names the operands it goes through"
    assert lines[-1] == "  ∂f/∂a = 27 + 27 + 3 + 27 + 27 + 3 = 114"
    assert chain(f, u).total == 2 * 9.0 + 1  # ∂f/∂u = 2u + 1
    f.backward()
    assert a.grad == c.total


def test_chain_of_a_plus_a_has_two_paths() -> None:
    a = Value(3.0, "a")
    c = chain(a + a, a)
    assert [p.factors for p in c.paths] == [(1.0, 1.0), (1.0, 1.0)] and c.total == 2.0


def test_chain_of_the_output_itself() -> None:
    f, *_ = lecture_sigmoid()
    assert str(chain(f, f)).splitlines()[0] == "∂f/∂h6 = 1"
    assert chain(f, f).total == 1.0


def test_chain_refuses_too_many_paths_with_a_clear_message() -> None:
    y = x = Value(1.0, "x")
    for _ in range(30):
        y = y + y  # each doubling doubles the number of paths: 2³⁰
    assert count_paths(y)[x] == 2**30
    with pytest.raises(
        ValueError, match=r"x reaches the output along 1073741824 paths, more than max_paths=1000"
    ):
        chain(y, x)
    z = x
    for _ in range(4):
        z = z + z
    assert chain(z, x, max_paths=16).total == 16.0
    with pytest.raises(ValueError, match="max_paths=15"):
        chain(z, x, max_paths=15)


def test_chain_argument_errors() -> None:
    f, x, *_ = lecture_sigmoid()
    with pytest.raises(ValueError, match="node 'q' \\(leaf\\) is not part of the graph"):
        chain(f, Value(1.0, "q"))
    with pytest.raises(TypeError, match="node must be a Value"):
        chain(f, 1.0)  # type: ignore[arg-type]
    for bad in (0, -1, 2.0, True):
        with pytest.raises(ValueError, match="max_paths must be an int ≥ 1"):
            chain(f, x, max_paths=bad)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="precision"):
        chain(f, x, precision=18)


@st.composite
def small_graphs(draw: st.DrawFn) -> tuple[Value, list[Value]]:
    """A random graph of add, mul, tanh and sigmoid over a few leaves, with shared nodes."""
    leaves = [Value(draw(st.floats(-2, 2)), f"x{i}") for i in range(draw(st.integers(1, 3)))]
    nodes = list(leaves)
    for _ in range(draw(st.integers(1, 10))):
        a, b = draw(st.sampled_from(nodes)), draw(st.sampled_from(nodes))
        kind = draw(st.sampled_from(["add", "mul", "tanh", "sigmoid", "neg"]))
        if kind == "add":
            nodes.append(a + b)
        elif kind == "mul":
            nodes.append(a * b)
        else:
            nodes.append({"tanh": a.tanh, "sigmoid": a.sigmoid, "neg": a.__neg__}[kind]())
    return nodes[-1], leaves


@settings(max_examples=150)
@given(small_graphs())
def test_chain_total_equals_backward_on_random_graphs(case: tuple[Value, list[Value]]) -> None:
    root, leaves = case
    counts = count_paths(root)
    assume(all(counts.get(leaf, 0) <= 1000 for leaf in leaves))
    assume(math.isfinite(root.data))
    root.backward()
    for leaf in leaves:
        c = chain(root, leaf) if leaf in counts else None
        expected = leaf.grad
        if c is None:  # the leaf is not used
            assert expected == 0.0
            continue
        assert len(c.paths) == counts[leaf]
        assert c.total == pytest.approx(expected, rel=1e-9, abs=1e-12)
