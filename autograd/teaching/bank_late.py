"""The exercises of notebooks 07–13: the right answers (engine or closed form) and the classic wrong ones."""

from __future__ import annotations

import math

from ..derivatives.forward import forward_mode_steps, jvp
from ..derivatives.higher import grad, hessian
from ..engine.value import Value
from .bank_code import (
    TableQuestion,
    backward_forwards,
    backward_no_minus,
    backward_right,
    backward_unswapped,
    forward_one_parent,
    forward_reversed,
    forward_right,
    judge_backward,
    judge_table,
    judge_tangents,
    sheet_key,
    which_engines_are_right,
)
from .questions import CodeQuestion, Question

__all__ = ["LATE"]


def _tangents_at_w() -> list[float]:
    x, w, b = Value(2.0, "x"), Value(0.5, "w"), Value(-1.0, "b")
    steps = forward_mode_steps(1 / ((-(w * x + b)).exp() + 1), w)
    return [steps[2].tangent, steps[-1].tangent]


def _second_derivative() -> float:
    x = Value(2.0)
    (d1,) = grad(x * x.log(), [x], create_graph=True)
    return grad(d1, [x])[0]


def _newton_quartic() -> float:
    w = Value(0.0)
    (d1,) = grad((w - 3) ** 4, [w], create_graph=True)
    return w.data - d1.data / grad(d1, [w])[0]


def _hessian_six() -> list[float]:
    xs, ys = [0.0, 1.0, 2.0, 3.0, 4.0, 5.0], [1.0, 2.9, 5.1, 7.0, 9.2, 10.8]

    def mse(w: Value, b: Value) -> Value:
        return sum(((w * x + b - y) ** 2 for x, y in zip(xs, ys)), Value(0.0)) / len(xs)

    H = hessian(mse, [0.0, 0.0])
    return [H[0][1], H[1][1]]


LATE: tuple[Question | CodeQuestion, ...] = (
    Question(
        "07.1",
        "forward and reverse sweeps for all parameters of MLP(3, [4, 4, 1])",
        lambda: [(3 + 1) * 4 + (4 + 1) * 4 + (4 + 1) * 1, 1],
        "a forward sweep follows one input; a reverse sweep follows one output",
        right=[41, 1],
        tol=0,
        wrong=(
            ([1, 41], "the two modes swapped"),
            ([3, 1], "one sweep per input of the network"),
            ([41, 41], ""),
        ),
    ),
    Question(
        "07.2",
        "the tangents ∂h3/∂w and ∂f/∂w at x = 2, w = 0.5, b = −1",
        _tangents_at_w,
        "carry ∂node/∂w forward, one node at a time, in the order the nodes were made",
        right=[-2.0, 0.5],
        tol=1e-9,
        wrong=(
            ([2.0, 0.5], "the negation's −1 lost"),
            ([-2.0, 0.25], "σ′(0) without ∂h1/∂w = x"),
            ([-2.0, -0.5], ""),
        ),
    ),
    Question(
        "07.3",
        "∇f · v for f = x₁x₂ + x₂² at (3, 1), v = (2, −1)",
        lambda: jvp(lambda a, b: a * b + b * b, [3.0, 1.0], [2.0, -1.0])[1],
        "one forward sweep seeded with v gives the directional slope: the gradient dotted with v",
        right=-3.0,
        tol=1e-9,
        wrong=((7.0, "the sign of v₂ lost"), (1.0, "∂f/∂x₁ only"), (-1.0, "x₂² as x₂")),
    ),
    CodeQuestion(
        "07.4",
        "forward mode by hand over topological_order",
        judge_tangents,
        "seed the input with 1 and every other leaf with 0, then visit the nodes in the order they were "
        "made, summing one term per operand",
        right=forward_right,
        wrong=((forward_reversed, "nodes visited output first"), (forward_one_parent, "a·a counted once")),
    ),
    Question(
        "08.1",
        "f″(2) for f(x) = x ln x",
        _second_derivative,
        "differentiate f′ once more, as grad(…, create_graph=True) lets the engine do",
        right=0.5,
        tol=1e-9,
        wrong=((1 + math.log(2), "f′(2)"), (-0.25, "−1/x²"), (1.0, "")),
    ),
    Question(
        "08.2",
        "one Newton step on (w − 3)⁴ from w = 0",
        _newton_quartic,
        "Newton's step is the slope divided by the curvature, taken downhill",
        right=1.0,
        tol=1e-9,
        wrong=((3.0, "Newton lands on the minimum"), (-1.0, "the step taken uphill")),
    ),
    Question(
        "08.3",
        "∂²L/∂w∂b and ∂²L/∂b² for a line fit to six points",
        _hessian_six,
        "differentiate L twice by hand; the 1/n of the mean stays in front",
        right=[5.0, 2.0],
        tol=1e-9,
        wrong=(
            ([7.5, 3.0], "½·[Σx, n], right only for n = 4"),
            ([15.0, 6.0], "the 2/n left out"),
            ([2.5, 1.0], "1/n"),
        ),
    ),
    Question(
        "09.1",
        "nodes of the traces of twice and once",
        lambda: [5, 3],
        "a trace records every operation that ran, in the order it ran",
        right=[5, 3],
        tol=0,
        wrong=(([3, 3], "a trace merges equal sub-expressions"), ([5, 5], ""), ([4, 3], "")),
    ),
    Question(
        "09.2",
        "traces of |w·x| after calls on both sides of the if",
        lambda: 2,
        "a guard that fails makes a new trace, and every trace made is kept",
        right=2,
        tol=0,
        wrong=((1, "the if is traced once"), (7, "every call traces"), (5, "every sign change")),
    ),
    Question(
        "09.3",
        "[f, w.grad] after a replay at w = ln 3 without zeroing",
        lambda: [0.75, 0.25 + 0.1875],
        "a replay reads the leaves' current .data, and a backward pass adds into .grad",
        right=[0.75, 0.4375],
        tol=1e-9,
        wrong=(([0.75, 0.1875], ".grad starts from zero"), ([0.5, 0.25], "the old w"), ([0.5, 0.5], "")),
    ),
    Question(
        "10.1",
        "which wrong engines still get ∂g/∂a of (a·2 + 1)·a",
        which_engines_are_right,
        "a bug shows only on the graphs that need what the engine gets wrong: which does this graph need?",
        right=[True, False, True],
        wrong=(([False, False, False], "every bug always shows"), ([True, True, True], "")),
    ),
    TableQuestion(
        "10.2",
        "the gradient column of practice sheet 4, level 2",
        judge_table,
        "values forward first, then ∂f/∂node backward from the output, one local derivative per arrow",
        right=sheet_key,
        wrong=(
            (lambda: {**sheet_key(), "h2": -sheet_key()["h2"]}, "a sign lost at h2"),
            (lambda: {**sheet_key(), "x": 2 * sheet_key()["x"]}, "x's gradient doubled"),
        ),
    ),
    CodeQuestion(
        "10.3",
        "a backward pass by hand, each local derivative from its rule",
        judge_backward,
        "∂f/∂f = 1, then from the output back: each node passes its rule's local derivative times its own "
        "∂f/∂node to every operand, adding where an operand is used more than once",
        right=backward_right,
        wrong=(
            (backward_unswapped, "∂(a·b)/∂a taken as a"),
            (backward_no_minus, "the minus of −1/x² lost"),
            (backward_forwards, "nodes visited inputs first"),
        ),
    ),
    Question(
        "11.1",
        "the best [w, b] through (1, 3), (2, 5), (3, 7)",
        lambda: [2.0, 1.0],
        "the three points lie on one line; L is 0 on it",
        right=[2.0, 1.0],
        decimals=3,
        wrong=(([1.0, 2.0], "slope and intercept swapped"), ([2.0, 0.0], "no b")),
    ),
    Question(
        "11.2",
        "∂L/∂b at w = b = 0 for the three points",
        lambda: -2.0 * (3 + 5 + 7),
        "differentiate one squared error by b, then add the three",
        right=-30.0,
        tol=1e-9,
        wrong=((30.0, "the minus of the inner derivative lost"), (-15.0, "the 2 lost"), (-68.0, "∂L/∂w")),
    ),
    Question(
        "11.3",
        "the lowest degree whose training error is 0 on ten points",
        lambda: 10 - 1,
        "count the parameters of a degree-d polynomial, and the equations ten points give",
        right=9,
        tol=0,
        wrong=((10, "one degree per point"), (2, "the best test degree"), (8, "")),
    ),
    Question(
        "12.1",
        "[hinge loss, ∂/∂score] at y = +1, score 0.3",
        lambda: [0.7, -1.0],
        "inside the margin the hinge is a straight line in the score",
        right=[0.7, -1.0],
        tol=1e-9,
        wrong=(([0.7, 1.0], "the slope's sign lost"), ([0.7, 0.0], "flat"), ([0.3, -1.0], "max(0, m)")),
    ),
    Question(
        "12.2",
        "∂a₅/∂a₀ through five sigmoids at input 0",
        lambda: 0.25**5,
        "the chain rule multiplies one local derivative per layer",
        right=0.25**5,
        sig=3,
        wrong=(
            (0.25, "one layer"),
            (1.25, "the slopes added"),
            (0.001, "one figure"),
            (0.25**4, "four factors"),
        ),
    ),
    Question(
        "12.3",
        "the L1 penalty's share of ∂L/∂w at w = −0.3, λ = 0.1",
        lambda: -0.1,
        "the derivative of |w| depends only on the sign of w",
        right=-0.1,
        tol=1e-9,
        wrong=((0.1, "the sign of w lost"), (-0.03, "λw"), (-0.06, "2λw, the L2 rule")),
    ),
    Question(
        "13.1",
        "parameters of the autoencoder MLP(6, [3, 6])",
        lambda: (6 + 1) * 3 + (3 + 1) * 6,
        "count the encoder and the decoder layer by layer, each neuron with its weights and something more",
        right=45,
        tol=0,
        wrong=((36, "no biases"), (9, "neurons"), (27, "the decoder forgotten")),
    ),
    Question(
        "13.2",
        "the prior's term in z for N₁ = 30, N₂ = 10",
        lambda: math.log(30 / 10),
        "the prior enters z as a log of a ratio of the two class probabilities",
        right=math.log(3),
        decimals=3,
        wrong=((3.0, "the ratio without the log"), (0.75, "P(C₁)"), (-math.log(3), "the ratio upside down")),
    ),
    Question(
        "13.3",
        "P(C₁ | x) at z = ln 3, exactly",
        lambda: Value(math.log(3)).sigmoid().data,
        "raising e to the power −ln t gives a simple fraction",
        right=0.75,
        tol=1e-9,
        wrong=((0.25, "σ(−z)"), (3.0, "eᶻ"), (math.log(3), "z itself")),
    ),
)
