"""The exercises of notebooks 14–17: the digits, the bridge to PyTorch, generalisation, matrix calculus."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from ..derivatives.forward import tangent_sweep
from ..engine.value import Value
from ..static.graph import trace
from .questions import CodeQuestion, Question

__all__ = ["CAPSTONE"]

Vector = Callable[[list[Value]], list[Value]]


def _close(a: object, b: float) -> bool:
    return isinstance(a, (int, float)) and abs(a - b) <= 1e-9 * (1 + abs(b))


# ---- 14.3: one sample's mean squared error, replayed by a batched trace ---------------------------


def _small_net() -> tuple[list[Value], Callable[[list[Value]], list[Value]]]:
    """A 3 → 4 tanh layer (the hidden network of 14.3 and 16.3) and its parameters."""
    rng = np.random.default_rng(14)
    w = [[Value(float(v)) for v in row] for row in rng.normal(size=(4, 3))]
    b = [Value(float(v)) for v in rng.normal(size=4)]

    def net(x: list[Value]) -> list[Value]:
        return [sum((wi * xi for wi, xi in zip(row, x)), bj).tanh() for row, bj in zip(w, b)]

    return [p for row in w for p in row] + b, net


def judge_sample_mse(sample_mse: Callable[..., object]) -> str | None:
    params, net = _small_net()
    x = np.random.default_rng(15).normal(size=(6, 3))
    y = np.eye(4)[[0, 3, 1, 1, 2, 0]]
    g = trace(lambda xi, yi: sample_mse(net(xi), yi), x[:1], y[:1], batched=True)
    for p in params:
        p.grad = 0.0
    value = g(x, y)
    given = [p.grad for p in params]
    for p in params:
        p.grad = 0.0
    terms = []
    for xi, yi in zip(x.tolist(), y.tolist()):
        z = net([Value(v) for v in xi])
        terms.append(sum(((zj - t) ** 2 for zj, t in zip(z, yi)), Value(0.0)) * (1 / len(z)))
    total = sum(terms[1:], terms[0]) * (1 / len(terms))
    total.backward()
    if not _close(value, total.data):
        return "on a hidden batch of six samples your function's mean loss is not their mean squared error"
    if not all(_close(a, p.grad) for a, p in zip(given, params)):
        return "on a hidden batch of six samples your function's gradient is not the mean squared error's"
    return None


def sample_mse_right(z: Sequence[Value], y: Sequence[Value]) -> Value:
    squares = [(zj - yj) ** 2 for zj, yj in zip(z, y)]
    return sum(squares[1:], squares[0]) * (1 / len(squares))  # no Value(0.0): a trace refuses new leaves


def sample_mse_summed(z: Sequence[Value], y: Sequence[Value]) -> Value:
    squares = [(zj - yj) ** 2 for zj, yj in zip(z, y)]
    return sum(squares[1:], squares[0])


def sample_mse_unsquared(z: Sequence[Value], y: Sequence[Value]) -> Value:
    differences = [zj - yj for zj, yj in zip(z, y)]
    return sum(differences[1:], differences[0]) * (1 / len(differences))


# ---- 15.1, 15.2: gradients that add up, and a detached factor ----------------------------------


def _accumulated() -> float:
    w = Value(0.5, "w")
    for x in (1.0, 2.0, 3.0):
        ((w * x - 1) ** 2).backward()
    return w.grad


def _detached() -> float:
    w, x = Value(3.0, "w"), Value(2.0, "x")
    y = w * x
    (Value(y.data) * y + y).backward()  # Value(y.data) is stop(y): y's number, outside the graph
    return w.grad


# ---- 15.3: a vector–Jacobian product ------------------------------------------------------------


def _vjp_cases() -> list[tuple[str, Vector, list[float], list[float]]]:
    return [
        (
            "F(x) = (x₁x₂, x₁ + x₂², exp(−x₁)) at (1.5, −2)",
            lambda x: [x[0] * x[1], x[0] + x[1] * x[1], (x[0] * -1).exp()],
            [1.5, -2.0],
            [2.0, -1.0, 0.5],
        ),
        (
            "F(x) = (x₁x₂x₃, tanh x₃ + x₁) at (0.5, 2, −1)",
            lambda x: [x[0] * x[1] * x[2], x[2].tanh() + x[0]],
            [0.5, 2.0, -1.0],
            [-3.0, 0.25],
        ),
    ]


def judge_vjp(vjp: Callable[..., object]) -> str | None:
    for text, fn, x, v in _vjp_cases():
        given = vjp(fn, list(x), list(v))
        if not isinstance(given, (list, tuple)) or len(given) != len(x):
            return f"on {text} your function returned {given!r}, and a list of {len(x)} numbers was asked for"
        for j, got in enumerate(given):
            xs = [Value(a) for a in x]
            ys = fn(xs)
            tangents = tangent_sweep(ys, {xs[j]: 1.0})  # column j of J, by forward mode
            right = sum(vi * tangents[yi] for vi, yi in zip(v, ys))
            if not _close(got, right):
                return f"on {text} entry {j + 1} of your vᵀJ is not right"
    return None


def vjp_right(fn: Vector, x: list[float], v: list[float]) -> list[float]:
    xs = [Value(a) for a in x]
    s = sum((vi * yi for vi, yi in zip(v, fn(xs))), Value(0.0))
    s.backward()
    return [xi.grad for xi in xs]


def vjp_v_forgotten(fn: Vector, x: list[float], v: list[float]) -> list[float]:
    return vjp_right(fn, x, [1.0] * len(v))


def vjp_first_output(fn: Vector, x: list[float], v: list[float]) -> list[float]:
    return vjp_right(fn, x, [v[0]] + [0.0] * (len(v) - 1))


# ---- 16.3: the structural risk ------------------------------------------------------------------


def judge_structural_risk(structural_risk: Callable[..., object]) -> str | None:
    params, net = _small_net()
    weights, biases = params[:12], params[12:]
    xs = np.random.default_rng(16).normal(size=(5, 3)).tolist()
    ys = [0.3, -0.2, 0.9, 0.0, -0.7]
    lam = 0.3

    def run(fn: Callable[..., object]) -> list[float]:
        for p in params:
            p.grad = 0.0
        outputs = [net([Value(v) for v in x])[0] for x in xs]  # the layer's first neuron as the model
        total = fn(outputs, list(ys), list(weights), lam)
        if not isinstance(total, Value):
            raise TypeError(f"it returned {type(total).__name__}, and a Value was asked for")
        total.backward()
        return [total.data] + [p.grad for p in params]

    given, right = run(structural_risk), run(structural_risk_right)
    if not _close(given[0], right[0]):
        return "on a hidden network and five samples your structural risk has the wrong value"
    for p, a, b in zip(weights + biases, given[1:], right[1:]):
        if not _close(a, b):
            kind = "a bias" if any(p is q for q in biases) else "a weight"
            return f"on a hidden network and five samples your gradient with respect to {kind} is not right"
    return None


def structural_risk_right(outputs: list[Value], ys: list[float], weights: list[Value], lam: float) -> Value:
    halves = [0.5 * (y - o) ** 2 for o, y in zip(outputs, ys)]
    penalty = sum((w * w for w in weights), Value(0.0))
    return sum(halves[1:], halves[0]) * (1 / len(halves)) + 0.5 * lam * penalty


def structural_risk_no_halves(
    outputs: list[Value], ys: list[float], weights: list[Value], lam: float
) -> Value:
    squares = [(y - o) ** 2 for o, y in zip(outputs, ys)]
    return sum(squares[1:], squares[0]) * (1 / len(squares)) + lam * sum((w * w for w in weights), Value(0.0))


def structural_risk_summed(outputs: list[Value], ys: list[float], weights: list[Value], lam: float) -> Value:
    halves = [0.5 * (y - o) ** 2 for o, y in zip(outputs, ys)]
    return sum(halves[1:], halves[0]) + 0.5 * lam * sum((w * w for w in weights), Value(0.0))


# ---- 17.2, 17.3: one step of the δ recurrence, and the softmax derivative -------------------------


def _delta_by_hand() -> list[float]:
    z = [Value(v) for v in (0.0, 1.0, -2.0)]
    z_next = sum((w * v.relu() for w, v in zip((1.0, 2.0, -1.0), z)), Value(0.0))
    (0.5 * z_next).backward()  # so that ∂L/∂z⁽ˡ⁺¹⁾ = 0.5
    return [v.grad for v in z]


def _softmax_by_engine(z: np.ndarray) -> np.ndarray:
    """∂ŷ/∂z in the denominator layout, by one backward pass per ŷₖ."""
    out = np.zeros((len(z), len(z)))
    for k in range(len(z)):
        zs = [Value(float(v)) for v in z]
        exps = [v.exp() for v in zs]
        total = sum(exps[1:], exps[0])
        (exps[k] / total).backward()
        out[:, k] = [v.grad for v in zs]
    return out


def judge_softmax_derivative(softmax_derivative: Callable[..., object]) -> str | None:
    for z in (np.array([1.2, 0.9, 0.4]), np.array([2.0, -1.0, 0.5, 0.0])):
        given = np.asarray(softmax_derivative(z.copy()), dtype=float)
        if given.shape != (len(z), len(z)):
            n = len(z)
            return f"for {n} logits your function returned shape {given.shape}, and {n} × {n} was asked for"
        right = _softmax_by_engine(z)
        wrong = np.argwhere(np.abs(given - right) > 1e-9)
        if len(wrong):
            i, k = wrong[0]
            return f"for hidden logits the entry in row {i + 1}, column {k + 1} is not ∂ŷ{k + 1}/∂z{i + 1}"
    return None


def _softmax(z: np.ndarray) -> np.ndarray:
    p = np.exp(z - z.max())
    return np.asarray(p / p.sum())


def softmax_derivative_right(z: np.ndarray) -> np.ndarray:
    p = _softmax(z)
    return np.asarray(np.diag(p) - np.outer(p, p))


def softmax_derivative_diagonal(z: np.ndarray) -> np.ndarray:
    p = _softmax(z)
    return np.asarray(np.diag(p * (1 - p)))


def softmax_derivative_sign(z: np.ndarray) -> np.ndarray:
    p = _softmax(z)
    return np.asarray(np.outer(p, p) - np.diag(p))


SHAPES = [[5, 2], [2, 2], [5, 2], [5, 1]]

CAPSTONE: tuple[Question | CodeQuestion, ...] = (
    Question(
        "14.1",
        "predict: the accuracy on test digits shifted one pixel right, above or below 90 %",
        lambda: "below",  # notebook 14's solutions cell measures it
        "the network has one weight for each pixel position, and it has only ever seen centred digits",
        right="below",
        wrong=(("above", "a digit one pixel over is the same digit to the network"),),
    ),
    Question(
        "14.2",
        "the numbers nn.save writes for nn.MLP(64, [64, 10])",
        lambda: (64 + 1) * 64 + (64 + 1) * 10,
        "the file holds every parameter of every neuron, and a neuron has more than its weights",
        right=4810,
        tol=0,
        wrong=(
            (4736, "the biases forgotten"),
            (74, "the neurons counted"),
            (4160, "the last layer forgotten"),
        ),
    ),
    CodeQuestion(
        "14.3",
        "code: one sample's mean squared error from its ten outputs, for a batched trace",
        judge_sample_mse,
        "a mean squared error averages over the outputs as well as over the samples",
        right=sample_mse_right,
        wrong=(
            (sample_mse_summed, "the squared differences summed, not averaged"),
            (sample_mse_unsquared, "the differences not squared"),
        ),
    ),
    Question(
        "15.1",
        "predict: w.grad after backward passes of (wx − 1)² at x = 1, 2, 3, w = 0.5, never zeroed",
        _accumulated,
        "each backward pass adds its gradient to what the leaf's .grad already holds",
        right=2.0,
        tol=1e-9,
        wrong=((3.0, "the last pass only, as if .grad were overwritten"), (2 / 3, "the mean of the three")),
    ),
    Question(
        "15.2",
        "∂z/∂w for z = stop(y)·y + y, y = wx, at w = 3, x = 2",
        _detached,
        "a stopped factor counts as a fixed number; the gradient still flows through every other use of y",
        right=14.0,
        tol=1e-9,
        wrong=((26.0, "the detach ignored"), (2.0, "detach cuts y everywhere"), (12.0, "the + y forgotten")),
    ),
    CodeQuestion(
        "15.3",
        "code: the vector–Jacobian product vᵀJ, what y.backward(v) leaves in x.grad",
        judge_vjp,
        "vᵀJ is the gradient of one scalar built from the outputs and v, so it takes one backward pass",
        right=vjp_right,
        wrong=(
            (vjp_v_forgotten, "v left out: the sum of J's rows"),
            (vjp_first_output, "the first output only"),
        ),
    ),
    Question(
        "16.1",
        "predict: the generalisation gap of the m = 32 network with 40 training points, smaller or larger",
        lambda: "smaller",  # notebook 16's solutions cell measures it
        "the empirical risk is an average over the training set: what do more samples do to an average?",
        right="smaller",
        wrong=(("larger", "more data leaves more to overfit"),),
    ),
    Question(
        "16.2",
        "the expected risk of f(x) = 0.5 under y = x + ε, x ~ U[0, 1], ε ~ N(0, 0.1²)",
        lambda: 1 / 12 + 0.1**2,  # E[(x − 0.5)²] + E[ε²]
        "y − 0.5 is the sum of two independent parts: how far x lies from 0.5, and the noise",
        right=1 / 12 + 0.01,
        decimals=3,
        wrong=(
            (1 / 12, "the noise forgotten"),
            (0.01, "only the noise"),
            (1 / 12 + 0.1, "σ for σ²"),
            (0.25, "(1 − 0.5)², the farthest point"),
        ),
    ),
    CodeQuestion(
        "16.3",
        "code: the structural risk (1/N)Σ ½(y − f(x))² + ½λ‖W‖², as a Value",
        judge_structural_risk,
        "two halves: one on each squared error, one on the penalty; and a mean, not a sum, of the losses",
        right=structural_risk_right,
        wrong=(
            (structural_risk_no_halves, "no halves: the mean squared error plus λ‖W‖²"),
            (structural_risk_summed, "the losses summed, not averaged"),
        ),
    ),
    Question(
        "17.1",
        "the shapes of ∂y/∂x, ∂z/∂y, ∂z/∂x, ∂L/∂x in the denominator layout, x ∈ R⁵, W 2 × 5",
        lambda: SHAPES,
        "in the denominator layout every row belongs to a component of the variable you differentiate by",
        right=SHAPES,
        tol=0,
        wrong=(
            ([[2, 5], [2, 2], [2, 5], [1, 5]], "the Jacobian's layout"),
            ([[5, 2], [2, 2], [5, 2], [1, 5]], "the gradient written as a row"),
        ),
    ),
    Question(
        "17.2",
        "δ⁽ˡ⁾ for a relu layer at z = (0, 1, −2), W⁽ˡ⁺¹⁾ = [1 2 −1], δ⁽ˡ⁺¹⁾ = 0.5",
        _delta_by_hand,
        "first carry δ back through the weights, then through the activation's own slope at each z",
        right=[0.0, 1.0, 0.0],
        tol=1e-9,
        wrong=(
            ([0.5, 1.0, -0.5], "the activation's slope forgotten"),
            ([0.5, 1.0, 0.0], "relu′(0) taken as 1"),
            ([0.0, 2.0, 0.0], "δ⁽ˡ⁺¹⁾ left out"),
        ),
    ),
    CodeQuestion(
        "17.3",
        "code: the softmax derivative ∂ŷ/∂z as a matrix",
        judge_softmax_derivative,
        "every ŷₖ depends on every zᵢ through the shared sum, so not only the diagonal is filled",
        right=softmax_derivative_right,
        wrong=(
            (softmax_derivative_diagonal, "only the diagonal"),
            (softmax_derivative_sign, "the signs reversed"),
        ),
    ),
)
