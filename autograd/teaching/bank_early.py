"""The exercises of notebooks 01–06: each right answer computed by the engine, and the classic wrong ones."""

from __future__ import annotations

import math
from collections.abc import Callable

from ..derivatives.gradcheck import GradcheckError, gradcheck
from ..engine.backward import topological_order
from ..engine.value import Value
from ..views.chains import chain
from .questions import CodeQuestion, Question

__all__ = ["EARLY"]


def _sigmoid_dx(x: float, w: float, b: float) -> float:
    """∂f/∂x of the notes' f = 1/(exp(−(w·x + b)) + 1), by the engine."""
    xv, wv, bv = Value(x), Value(w), Value(b)
    (1 / ((-(wv * xv + bv)).exp() + 1)).backward()
    return xv.grad


def _sum_times(x: float, y: float, z: float) -> float:
    xv, yv, zv = Value(x), Value(y), Value(z)
    ((xv + yv) * zv).backward()
    return xv.grad


def _cube_paths() -> list[float]:
    a = Value(2.0, "a")
    q = a * a * a
    q.backward()
    return [len(chain(q, a).paths), a.grad]


def _neuron_w0_sign() -> str:
    w0, x0 = Value(2.0), Value(1.0)
    ((w0 * x0 + Value(-3.0) * Value(-2.0) + Value(-3.0)).sigmoid()).backward()
    return "positive" if w0.grad > 0 else "negative"


def _dsigmoid(z: float) -> float:
    zv = Value(z)
    zv.sigmoid().backward()
    return zv.grad


def judge_local_derivative(
    build: Callable[[Value], Value], points: tuple[float, ...], name: str
) -> Callable[[Callable[..., object]], str | None]:
    """A judge for "write the local derivative of a new primitive": gradcheck with the student's rule.

    build(x) is the primitive written with the engine's operations; at every point the student's
    derivative(x) stands in for the backward pass, and gradcheck compares it with finite differences.
    """

    def judge(derivative: Callable[..., object]) -> str | None:
        for point in points:
            slope = derivative(point)
            if isinstance(slope, bool) or not isinstance(slope, (int, float)):
                return f"at x = {point:g} your function returned {slope!r}, and a number was asked for"

            def student_backward(out: Value) -> None:
                for leaf in topological_order(out):
                    if leaf.is_leaf and not leaf.is_constant:
                        leaf.grad = float(derivative(leaf.data))  # type: ignore[arg-type]

            try:
                gradcheck(build, Value(point), backward=student_backward)
            except GradcheckError:
                return (
                    f"at x = {point:g} your derivative gives {slope:g}, and {name} does not change at "
                    "that rate there (gradcheck compared it with finite differences)"
                )
        return None

    return judge


def _softplus(x: Value) -> Value:
    return (1 + x.exp()).log()


def _cross_entropy_logit(logits: tuple[float, ...], label: int, k: int) -> float:
    """∂L/∂z_k of L = −ln softmax(z)_label, by the engine."""
    z = [Value(v) for v in logits]
    exps = [v.exp() for v in z]
    inverse = 1 / sum(exps)
    (-(exps[label] * inverse).log()).backward()
    return z[k].grad


def _softmax0(logits: tuple[float, ...]) -> float:
    z = [Value(v) for v in logits]
    exps = [v.exp() for v in z]
    return (exps[0] / sum(exps)).data


def _l2_share(w: float, lam: float) -> float:
    wv = Value(w)
    (lam * (wv * wv)).backward()
    return wv.grad


def _three_layer_delta1() -> float:
    x = Value(1.0)
    z1 = 0.5 * x
    z2 = -1.0 * z1.sigmoid()
    z3 = 2.0 * z2.sigmoid()
    (0.5 * (z3.sigmoid() - 0.0) ** 2).backward()
    return z1.grad


_A1, _DELTA2 = (0.2, 0.7, 0.5), (0.1, -0.3)


def _weight_gradients() -> list[list[float]]:
    """∂C/∂W² when δ² = ∂C/∂z² is given: C = Σᵢ δ²ᵢ z²ᵢ has exactly that δ²."""
    W = [[Value(0.3 * (i - j)) for j in range(3)] for i in range(2)]
    a1 = [Value(v) for v in _A1]
    z2 = [sum((W[i][j] * a1[j] for j in range(3)), Value(0.0)) for i in range(2)]
    sum((d * z for d, z in zip(_DELTA2, z2)), Value(0.0)).backward()
    return [[W[i][j].grad for j in range(3)] for i in range(2)]


def _softmax_delta(logits: tuple[float, ...], label: int) -> float:
    return _cross_entropy_logit(logits, label, 0)


_s2 = 1 / (1 + math.exp(-2.0))
_cat = math.exp(2.0) / (math.exp(0.5) + math.exp(2.0) + math.exp(1.0))
_y1 = math.exp(0.2) / (math.exp(0.2) + math.exp(-0.4))

EARLY: tuple[Question | CodeQuestion, ...] = (
    Question(
        "01.1",
        "∂f/∂x of (x + y)·z at (1, 4, 3)",
        lambda: _sum_times(1.0, 4.0, 3.0),
        "an addition hands the gradient it receives to each of its inputs unchanged",
        right=3.0,
        tol=0,
        wrong=(
            (5.0, "∂f/∂z, the other factor"),
            (1.0, "the addition's local derivative only"),
            (15.0, "f itself"),
        ),
    ),
    Question(
        "01.2",
        "∂f/∂x of the notes' sigmoid at x = 1, w = 2, b = 0",
        lambda: _sigmoid_dx(1.0, 2.0, 0.0),
        "follow the path from x to f; every node on it contributes its local derivative, h1 = w × x too",
        right=2 * _s2 * (1 - _s2),
        decimals=3,
        wrong=((_s2 * (1 - _s2), "σ′(2) without ∂h1/∂x"), (0.25, "σ′(0), the table's number"), (_s2, "σ(2)")),
    ),
    Question(
        "01.3",
        "paths and dq/da of q = a·a·a at a = 2",
        _cube_paths,
        "every arrow leaving a starts its own path, and a node used by the next product passes "
        "its gradient back along each of its arrows",
        right=[3, 12.0],
        tol=0,
        wrong=(
            ([2, 12.0], "one path per product"),
            ([3, 8.0], "a² instead of 3a²"),
            ([1, 12.0], "one input"),
        ),
    ),
    Question(
        "02.1",
        "the sign of ∂y/∂w0 at x0 = +1",
        _neuron_w0_sign,
        "which factors make up ∂y/∂w0, and which of them can be negative?",
        right="positive",
        wrong=(("negative", "the sign of the first example, x0 = −1, kept"),),
    ),
    Question(
        "02.2",
        "∂y/∂z of the neuron at z = 3",
        lambda: _dsigmoid(3.0),
        "the sigmoid's slope is written with its own output",
        right=math.exp(-3) / (1 + math.exp(-3)) ** 2,
        decimals=3,
        wrong=(
            (1 / (1 + math.exp(-3)), "σ(3), the value, not the slope"),
            (0.25, "σ′(0)"),
            (math.exp(-3), "e⁻³"),
        ),
    ),
    CodeQuestion(
        "02.3",
        "the local derivative of softplus ln(1 + eˣ), marked by gradcheck",
        judge_local_derivative(_softplus, (-3.0, -0.5, 0.0, 1.0, 4.0), "softplus"),
        "differentiate the outside (the log) and multiply by the derivative of the inside",
        right=lambda x: 1 / (1 + math.exp(-x)),
        wrong=(
            (lambda x: 1 / (1 + math.exp(x)), "the log's derivative 1/(1 + eˣ) only, σ(−x)"),
            (lambda x: math.exp(x), "the inside's derivative eˣ only"),
            (lambda x: math.log(1 + math.exp(x)), "the function itself"),
        ),
    ),
    Question(
        "03.1",
        "the boundary η where descent on (w − 1)² stops converging",
        lambda: 1.0,
        "one step multiplies the distance w − 1 by a factor that depends on η; when does it stop shrinking?",
        right=1.0,
        decimals=3,
        wrong=(
            (0.99656, "a bisection on 2000 steps"),
            (0.5, "the η that lands in one step"),
            (2.0, "|1 − η| < 1"),
        ),
    ),
    Question(
        "03.2",
        "steps until |wⁿ − 1| < 0.01 with η = 0.1",
        lambda: next(n for n in range(100) if 0.8**n < 0.01),
        "each step multiplies the distance to the minimum by the same factor",
        right=21,
        tol=0,
        wrong=((20, "one step short"), (10, "a tenth each step"), (22, "one step too many")),
    ),
    Question(
        "03.3",
        "the MAP estimate with a Beta(2, 2) prior",
        lambda: 4 / 7,
        "the prior counts like a − 1 extra heads and b − 1 extra tails; the top is where d ln P/dp = 0",
        right=4 / 7,
        decimals=3,
        wrong=(
            (0.6, "the maximum-likelihood estimate"),
            (0.5, "the prior's top"),
            (5 / 9, "the posterior mean"),
        ),
    ),
    Question(
        "04.1",
        "∂L/∂z_cat for a cat with logits (0.5, 2.0, 1.0)",
        lambda: _cross_entropy_logit((0.5, 2.0, 1.0), 1, 1),
        "the gradient of softmax cross-entropy with respect to a logit is prediction minus label",
        right=_cat - 1,
        decimals=3,
        wrong=((_cat, "ŷ without the label"), (1 - _cat, "label minus prediction"), (-_cat, "−ŷ")),
    ),
    Question(
        "04.2",
        "the hint's loss if the true class were the third",
        lambda: -math.log(0.4),
        "with a one-hot label only one term of the sum survives",
        right=-math.log(0.4),
        decimals=3,
        wrong=((math.log(2), "the second class's loss"), (0.4, "ŷ itself"), (math.log(0.4), "no minus sign")),
    ),
    Question(
        "04.3",
        "ŷ₀ when every logit is doubled",
        lambda: _softmax0((2.4, 1.8, 0.8)),
        "adding a constant to every logit cancels in the fraction; does multiplying cancel too?",
        right=_softmax0((2.4, 1.8, 0.8)),
        decimals=3,
        wrong=((0.456590, "doubling changes nothing, like shifting"), (0.913180, "the probability doubles")),
    ),
    Question(
        "05.1",
        "parameters of MLP(3, [4, 4, 2])",
        lambda: (3 + 1) * 4 + (4 + 1) * 4 + (4 + 1) * 2,
        "each neuron has one weight per input, and something more",
        right=46,
        tol=0,
        wrong=((36, "no biases"), (10, "neurons, not parameters"), (39, "one bias per layer")),
    ),
    Question(
        "05.2",
        "updates in one epoch of 100 samples in batches of 8",
        lambda: -(-100 // 8),
        "one update per mini-batch, and the last batch may be short",
        right=13,
        tol=0,
        wrong=((12, "the short batch dropped"), (8, "the batch size"), (100, "one per sample")),
    ),
    Question(
        "05.3",
        "the L2 penalty's share of ∂L/∂w at w = −0.4, λ = 0.003",
        lambda: _l2_share(-0.4, 0.003),
        "differentiate the penalty with respect to w, as the engine would",
        right=-0.0024,
        tol=1e-9,
        wrong=(
            (0.003, "the penalty adds λ"),
            (-0.0012, "λw"),
            (0.0024, "the sign of w lost"),
            (0.00048, "λw²"),
        ),
    ),
    Question(
        "06.1",
        "δ¹ of a chain of three sigmoid neurons",
        _three_layer_delta1,
        "start at the output with equation (1), then pass the error back with (2) one layer at a time",
        right=-0.01582455582646607,
        decimals=4,
        wrong=(
            (-0.06733747172849426, "σ′(z¹) left out of the last step"),
            (-0.07133680191515472, "ΔL used as δ³, σ′(z³) dropped"),
            (0.01582455582646607, "the sign of w² = −1 lost"),
        ),
    ),
    Question(
        "06.2",
        "∂C/∂W² from δ² = (0.1, −0.3) and a¹ = (0.2, 0.7, 0.5)",
        _weight_gradients,
        "equation (3): row i belongs to output neuron i, column j to input j",
        right=[[0.02, 0.07, 0.05], [-0.06, -0.21, -0.15]],
        tol=1e-9,
        wrong=(
            ([[0.02, -0.06], [0.07, -0.21], [0.05, -0.15]], "a¹ (δ²)ᵀ, the transpose"),
            ([[0.02, 0.07, 0.05], [0.06, 0.21, 0.15]], "the sign of δ²₂ lost"),
        ),
    ),
    Question(
        "06.3",
        "δᴸ₁ for softmax logits (0.2, −0.4), true class 1",
        lambda: _softmax_delta((0.2, -0.4), 0),
        "with softmax and cross-entropy the output error has no σ′ factor",
        right=_y1 - 1,
        decimals=4,
        wrong=(
            (_y1, "ŷ₁ without the label"),
            (1 - _y1, "y − ŷ"),
            (_y1 * (1 - _y1) * (_y1 - 1), "a sigmoid's σ′ kept"),
        ),
    ),
)
