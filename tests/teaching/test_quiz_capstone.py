"""The exercises of notebooks 14–17 against the libraries they stand for: nn, numpy, PyTorch.

The two predictions whose answer needs a trained network (14.1, the shifted digits; 16.1, the gap with
40 points) are measured by their notebooks' solutions cells, which tests/test_notebooks.py runs.
"""

from __future__ import annotations

import pathlib

import numpy as np
import pytest

import nn
from autograd import Value, backprop
from autograd.teaching import bank_capstone as bank
from autograd.teaching.quiz import question


def test_the_parameters_nn_save_writes_are_the_closed_form(tmp_path: pathlib.Path) -> None:
    model = nn.MLP(64, [64, 10], seed=0)
    nn.save(model.state_dict(), tmp_path / "wide.json")
    assert question("14.2").expected() == len(nn.load(tmp_path / "wide.json")) == len(model.parameters())


def test_the_mean_squared_error_of_14_3_is_nn_mse() -> None:
    rng = np.random.default_rng(3)
    z = [Value(float(v)) for v in rng.normal(size=10)]
    y = np.eye(10)[4].tolist()
    mine = bank.sample_mse_right(z, [Value(v) for v in y])
    mine.backward()
    ours = [v.grad for v in z]
    for v in z:
        v.grad = 0.0
    theirs = nn.mse(z, y)
    theirs.backward()
    assert mine.data == pytest.approx(theirs.data, abs=1e-15)
    assert ours == pytest.approx([v.grad for v in z], abs=1e-15)


def test_the_structural_risk_of_16_3_is_half_nn_mse_plus_half_lambda_l2() -> None:
    rng = np.random.default_rng(4)
    outputs = [Value(float(v)) for v in rng.normal(size=5)]
    weights = [Value(float(v)) for v in rng.normal(size=4)]
    ys = rng.normal(size=5).tolist()
    ours = bank.structural_risk_right(outputs, ys, weights, 0.3)
    theirs = 0.5 * nn.mse(outputs, ys) + 0.5 * 0.3 * nn.l2(weights)
    assert ours.data == pytest.approx(theirs.data, abs=1e-15)


def test_the_expected_risk_of_16_2_is_a_million_draws_mean() -> None:
    rng = np.random.default_rng(0)
    x = rng.uniform(0.0, 1.0, 1_000_000)
    y = x + rng.normal(0.0, 0.1, 1_000_000)
    assert abs(float(np.mean((y - 0.5) ** 2)) - question("16.2").expected()) < 1e-3  # type: ignore[operator]


def _derivative(ys: list[Value], xs: list[Value]) -> tuple[int, int]:
    """The shape of ∂y/∂x in the denominator layout, every entry of it taken from the engine."""
    table = [[backprop(y).get(x, 0.0) for y in ys] for x in xs]
    return len(table), len(table[0])


def test_the_shapes_of_17_1_are_the_engine_s() -> None:
    x = [Value(v) for v in np.linspace(-1.0, 1.0, 5)]
    W = np.random.default_rng(1).normal(size=(2, 5))
    y = [sum((float(w) * v for w, v in zip(row, x)), Value(0.0)) for row in W]
    z = [v.relu() for v in y]
    L = sum((v * v for v in z), Value(0.0))
    shapes = [list(_derivative(o, i)) for o, i in [(y, x), (z, y), (z, x), ([L], x)]]
    assert question("17.1").expected() == shapes


def test_the_softmax_derivative_of_17_3_is_the_notes_formula_entry_by_entry() -> None:
    z = np.array([1.2, 0.9, 0.4])  # worked example §6: ŷ = (0.456590, 0.338250, 0.205159)
    p = np.exp(z) / np.exp(z).sum()
    notes = [[p[i] * (1 - p[i]) if k == i else -p[k] * p[i] for k in range(3)] for i in range(3)]
    assert np.allclose(bank.softmax_derivative_right(z), notes, rtol=0, atol=1e-15)
    assert np.allclose(bank._softmax_by_engine(z), notes, rtol=0, atol=1e-15)


def test_accumulation_and_detach_of_15_1_and_15_2_are_pytorch_s() -> None:
    torch = pytest.importorskip("torch", reason="PyTorch is the oracle here; `make test` installs it")
    w = torch.tensor(0.5, dtype=torch.float64, requires_grad=True)
    for x in (1.0, 2.0, 3.0):
        ((w * x - 1) ** 2).backward()
    assert question("15.1").expected() == w.grad.item()
    w = torch.tensor(3.0, dtype=torch.float64, requires_grad=True)
    y = w * 2.0
    (y.detach() * y + y).backward()
    assert question("15.2").expected() == w.grad.item()


def test_the_vector_jacobian_products_of_15_3_are_pytorch_s() -> None:
    torch = pytest.importorskip("torch", reason="PyTorch is the oracle here; `make test` installs it")
    for _, fn, x, v in bank._vjp_cases():
        ours = bank.vjp_right(fn, x, v)
        xt = torch.tensor(x, dtype=torch.float64, requires_grad=True)
        if len(x) == 2:
            yt = torch.stack([xt[0] * xt[1], xt[0] + xt[1] ** 2, torch.exp(-xt[0])])
        else:
            yt = torch.stack([xt[0] * xt[1] * xt[2], torch.tanh(xt[2]) + xt[0]])
        yt.backward(torch.tensor(v, dtype=torch.float64))
        assert ours == pytest.approx(xt.grad.tolist(), abs=1e-14)
