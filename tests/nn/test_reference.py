"""The scalar engine's gradients equal the matrix-form δ-equations of worked-examples §7 (numpy) to 1e-10."""

from __future__ import annotations

import numpy as np
import pytest

import nn
from autograd import Value
from nn import reference

TOL = 1e-10


def _engine_gradients(model: nn.MLP, x: np.ndarray, y: object, loss: str) -> tuple[float, np.ndarray]:
    """Cost and flat gradients from the scalar engine: per-sample outputs, nn's loss, backward()."""
    model.zero_grad()
    batch = x.ndim == 2
    rows = x.tolist() if batch else [x.tolist()]
    outs = [model(r) for r in rows]
    if loss == "mse":
        targets = np.asarray(y, dtype=float).reshape(len(rows), model.nout).tolist()
        cost = nn.mse([o if isinstance(o, list) else [o] for o in outs], targets)
    else:
        labels = y if batch else [y]
        cost = nn.cross_entropy(outs, labels)  # type: ignore[arg-type]
    cost.backward()
    return cost.data, np.array([p.grad for p in model.parameters()])


ACTIVATIONS = ["sigmoid", "tanh", "relu"]


def _with_random_biases(model: nn.MLP, rng: np.random.Generator) -> nn.MLP:
    """Biases start at 0; make them nonzero (and mostly positive, so relu units are alive)."""
    state = {
        k: (float(rng.uniform(-0.2, 0.8)) if k.endswith(".b") else v) for k, v in model.state_dict().items()
    }
    model.load_state_dict(state)
    return model


@pytest.mark.parametrize("activation", ACTIVATIONS)
@pytest.mark.parametrize("m", [1, 7])
def test_mse_gradients_match_matrix_form(activation: str, m: int) -> None:
    """Every layer, the output layer included, uses σ, so δᴸ = ∇ₐC ⊙ σ′(zᴸ) is exercised in full."""
    rng = np.random.default_rng(10)  # a seed where both relu outputs are active for the single sample
    model = nn.MLP(3, [5, 4, 2], activation=activation, output_activation=activation, seed=rng)
    _with_random_biases(model, rng)
    x = rng.normal(size=(m, 3)) if m > 1 else rng.normal(size=3)
    y = rng.uniform(-1, 1, size=(m, 2)) if m > 1 else rng.uniform(-1, 1, size=2)
    cost, grads = _engine_gradients(model, x, y, "mse")
    ref_cost, _ = reference.backward(model, x, y, "mse")
    ref_grads = reference.flat_gradients(model, x, y, "mse")
    assert ref_grads.shape == grads.shape == (len(model.parameters()),)
    assert cost == pytest.approx(ref_cost, abs=TOL)
    assert np.max(np.abs(grads - ref_grads)) < TOL
    assert np.max(np.abs(grads)) > 1e-3  # the comparison is not between two zero vectors


@pytest.mark.parametrize("activation", ACTIVATIONS)
@pytest.mark.parametrize("m", [1, 6])
@pytest.mark.parametrize("onehot", [False, True])
def test_cross_entropy_gradients_match_matrix_form(activation: str, m: int, onehot: bool) -> None:
    """Linear logits, softmax cross-entropy: δᴸ = ŷ − y (§6), then the δ-recursion through σ layers."""
    rng = np.random.default_rng(5)
    model = _with_random_biases(nn.MLP(4, [6, 5, 3], activation=activation, seed=rng), rng)
    x = rng.normal(size=(m, 4))
    labels = rng.integers(0, 3, size=m)
    if onehot:
        y: object = np.eye(3)[labels].tolist()
    else:
        y = labels.tolist()
    if m == 1:
        x = x[0]
        y = y[0]  # type: ignore[index]
    cost, grads = _engine_gradients(model, x, y, "cross_entropy")
    ref_cost, _ = reference.backward(model, x, np.asarray(y), "cross_entropy")
    ref_grads = reference.flat_gradients(model, x, np.asarray(y), "cross_entropy")
    assert cost == pytest.approx(ref_cost, abs=TOL)
    assert np.max(np.abs(grads - ref_grads)) < TOL
    assert np.max(np.abs(grads)) > 1e-3


def test_micrograd_sized_network() -> None:
    rng = np.random.default_rng(2)
    model = _with_random_biases(nn.MLP(2, [16, 16, 1], seed=rng), rng)
    x = rng.normal(size=(10, 2))
    y = rng.normal(size=10)
    _, grads = _engine_gradients(model, x, y, "mse")
    assert np.max(np.abs(grads - reference.flat_gradients(model, x, y, "mse"))) < TOL
    assert np.count_nonzero(grads) > 200


def test_batch_gradient_is_the_mean_of_sample_gradients() -> None:
    """lecture-notes/02: full-batch gradient descent averages the per-sample gradients."""
    rng = np.random.default_rng(8)
    model = nn.MLP(2, [3, 1], activation="tanh", seed=rng)
    x = rng.normal(size=(4, 2))
    y = rng.normal(size=4)
    per_sample = [reference.flat_gradients(model, x[i], y[i : i + 1], "mse") for i in range(4)]
    batch = reference.flat_gradients(model, x, y, "mse")
    assert np.max(np.abs(batch - np.mean(per_sample, axis=0))) < 1e-14


def test_forward_matches_the_model() -> None:
    rng = np.random.default_rng(0)
    model = nn.MLP(3, [4, 2], activation="sigmoid", seed=rng)
    x = rng.normal(size=(5, 3))
    out = reference.predict(model, x)
    assert out.shape == (5, 2)
    for row, expected in zip(x, out):
        values = model(row.tolist())
        assert isinstance(values, list)
        assert [v.data for v in values] == pytest.approx(expected.tolist(), abs=1e-14)


def test_delta_equations_by_hand() -> None:
    """A 1 → 1 → 1 sigmoid chain, C = (a² − y)²: δ² = 2(a² − y)·σ′(z²), δ¹ = σ′(z¹)·w²·δ²."""
    model = nn.MLP(1, [1, 1], activation="sigmoid", output_activation="sigmoid", seed=0)
    model.load_state_dict(
        {
            "layer0.neuron0.w0": 0.5,
            "layer0.neuron0.b": -0.2,
            "layer1.neuron0.w0": 1.5,
            "layer1.neuron0.b": 0.1,
        }
    )
    x, y = 2.0, 0.3
    s = lambda z: 1 / (1 + np.exp(-z))  # noqa: E731
    z1 = 0.5 * x - 0.2
    a1 = s(z1)
    z2 = 1.5 * a1 + 0.1
    a2 = s(z2)
    d2 = 2 * (a2 - y) * a2 * (1 - a2)
    d1 = a1 * (1 - a1) * 1.5 * d2
    expected = [d1 * x, d1, d2 * a1, d2]
    assert reference.flat_gradients(model, [x], [y], "mse") == pytest.approx(expected, abs=1e-15)
    out = model([Value(x)])
    assert isinstance(out, Value)
    nn.mse(out, y).backward()
    assert [p.grad for p in model.parameters()] == pytest.approx(expected, abs=1e-15)


@pytest.mark.parametrize(
    ("activation", "expected"),
    [
        ("relu", [0.0, 0.0, 1.0]),  # §8: 1 for z > 0, 0 for z ≤ 0 (0 at z = 0 too)
        ("sigmoid", [0.19661193324148185, 0.25, 0.10499358540350662]),  # σ(1 − σ): σ(0) = ½ gives ¼
        ("tanh", [0.41997434161402614, 1.0, 0.07065082485316443]),  # 1 − tanh²z
        ("linear", [1.0, 1.0, 1.0]),
    ],
)
def test_activation_derivatives_by_hand(activation: str, expected: list[float]) -> None:
    """σ′ at z = −1, 0, 2 (worked-examples §8), from the formulas in the docstring."""
    z = np.array([-1.0, 0.0, 2.0])
    a = reference.activate(z, activation)
    assert reference.activation_derivative(z, a, activation).tolist() == pytest.approx(expected, abs=1e-15)


def test_bad_arguments() -> None:
    model = nn.MLP(2, [3, 2], seed=0)
    with pytest.raises(ValueError, match=r"x must have shape \(2,\) or \(m, 2\), got \(3,\)"):
        reference.forward(model, [1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="loss must be 'mse' or 'cross_entropy', got 'hinge'"):
        reference.backward(model, [1.0, 2.0], [0.0, 1.0], "hinge")
    with pytest.raises(ValueError, match=r"expected 1 class labels in 0…1, got"):
        reference.backward(model, [1.0, 2.0], [5], "cross_entropy")
    with pytest.raises(ValueError, match="unknown activation 'softplus'"):
        reference.activate(np.zeros(2), "softplus")
