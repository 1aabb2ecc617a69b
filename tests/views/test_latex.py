"""to_latex() of table, chain and explain: exact for the lecture's example, parsed for every primitive."""

from __future__ import annotations

import pytest
from graphs import lecture_sigmoid
from latex_check import check_latex

from autograd import PRIMITIVES, Value, chain, explain, table
from autograd.views.latex import FORMULAS, latex_name, latex_number


def test_every_primitive_has_a_latex_row() -> None:
    assert set(PRIMITIVES) == set(FORMULAS)
    for name, (_, derivatives) in FORMULAS.items():
        assert len(derivatives) == PRIMITIVES[name].arity


@pytest.mark.parametrize(
    ("name", "latex"),
    [("h1", "h_{1}"), ("w", "w"), ("h12′", "h_{12}'"), ("loss", r"\mathrm{loss}"), ("σ", r"\sigma"),
     ("(−1)", "(-1)"), ("2", "2"), ("my var_1", r"\text{my var\_1}"), ("x&y", r"\text{x\&y}"),
     ("é", r"\text{U+00E9}"), ("1e−7", r"1 \times 10^{-7}"), ("(−∞)", r"(-\infty)"),
     # labels that start like a number are still text, escaped: never passed through verbatim
     ("50%", r"\text{50\%}"), ("(a & b)", r"\text{(a \& b)}"), ("100$", r"\text{100\$}"),
     ("−x", r"\text{-x}"), ("(\\input{/etc/passwd})", r"\text{(/input\{/etc/passwd\})}"),
     ("(2", r"\text{(2}")],
)  # fmt: skip
def test_latex_names(name: str, latex: str) -> None:
    assert latex_name(name) == latex


def test_latex_numbers() -> None:
    assert latex_number(-0.25) == "-0.25"
    assert latex_number(-0.25, operand=True) == "(-0.25)"
    assert latex_number(1.5e-7) == r"1.5 \times 10^{-7}"
    assert latex_number(-0.0) == "0"


def test_table_of_worked_example_1_in_latex() -> None:
    f, *_ = lecture_sigmoid()
    text = table(f).to_latex()
    lines = text.splitlines()
    assert lines[0] == r"\begin{tabular}{lllll}" and lines[-1] == r"\end{tabular}"
    assert lines[3] == (
        r"$h_{1}$ & $w \times x$ & $\frac{\partial h_{1}}{\partial w} = x = 1$, "
        r"$\frac{\partial h_{1}}{\partial x} = w = 0$ & $0$ & $0.25$ \\"
    )
    assert lines[8] == (
        r"$h_{6}$ & $\frac{1}{h_{5}}$ & "
        r"$\frac{\partial h_{6}}{\partial h_{5}} = -\frac{1}{h_{5}^{2}} = -0.25$"
        r" & $0.5$ & $1$ \\"
    )
    assert len(lines) == 3 + 6 + 1
    check_latex(text)


def test_labels_that_look_like_numbers_are_escaped_in_every_latex_output() -> None:
    a, b = Value(2.0, "50%"), Value(3.0, "(a & b)")
    f = a * b + Value(1.0, "100$") * Value(4.0, "(\\input{x})")
    for text in (table(f).to_latex(), chain(f, a).to_latex(), explain(f, b).to_latex()):
        check_latex(text)
        assert "\\input" not in text and "50%" not in text and "a & b" not in text
    assert r"\text{50\%} \times \text{(a \& b)}" in table(f).to_latex()


def test_latex_of_every_primitive_parses() -> None:
    x, y = Value(0.7, "x"), Value(-1.3, "my var_1 & #%")
    h = (x * y + x).exp() - x.tanh() + (x**3).log() + (-y).relu() + 1 / y + x**0.5 + y.sigmoid()
    check_latex(table(h).to_latex())
    for leaf in (x, y):
        check_latex(chain(h, leaf).to_latex())
        check_latex(explain(h, leaf).to_latex())


def test_chain_in_latex_names_the_operand_and_runs_from_the_output() -> None:
    a = Value(3.0, "a")
    q = a * a + a
    q.label = "q"
    text = chain(q, a).to_latex()
    lines = text.splitlines()
    assert len(lines) == 4
    assert lines[0].startswith(r"\[ q \leftarrow h_{1} \overset{\text{1st operand}}{\leftarrow} a: \quad ")
    assert lines[1].startswith(r"\[ q \leftarrow h_{1} \overset{\text{2nd operand}}{\leftarrow} a: \quad ")
    assert lines[-1] == r"\[ \frac{\partial q}{\partial a} = 3 + 3 + 1 = 7 \]"
    check_latex(text)
    f, _, w, _ = lecture_sigmoid()
    single = chain(f, w).to_latex()
    assert r"= 1 \cdot (-0.25) \cdot 1 \cdot 1 \cdot (-1) \cdot 1 \cdot 1 = 0.25" in single
    assert single.endswith(
        r"\text{along } h_{6} \leftarrow h_{5} \leftarrow h_{4} \leftarrow h_{3} \leftarrow h_{2} "
        r"\leftarrow h_{1} \leftarrow w \]"
    )
    check_latex(single)


def test_explain_in_latex() -> None:
    a = Value(3.0, "a")
    text = explain(a * a + a, a).to_latex()
    assert text == (
        r"\[ \frac{\partial f}{\partial a} = \frac{\partial f}{\partial h_{1}} \cdot \frac{\partial h_{1}}"
        r"{\partial a} + \frac{\partial f}{\partial h_{1}} \cdot \frac{\partial h_{1}}{\partial a} + "
        r"\frac{\partial h_{2}}{\partial a} = 1 \cdot 3 + 1 \cdot 3 + 1 = 7 \]"
    )
    check_latex(text)


def test_the_latex_checker_can_fail() -> None:
    with pytest.raises(ValueError):
        check_latex(r"$\frac{1}$")
    with pytest.raises(AssertionError):
        check_latex("\\begin{tabular}{ll}\n$a$ & $b$ & $c$ \\\\\n\\end{tabular}")
    with pytest.raises(AssertionError):
        check_latex(r"$−1$")
