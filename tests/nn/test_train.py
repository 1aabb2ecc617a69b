"""Batching regimes, nn.fit (history, early stopping, progress, bad arguments) and a 3-class problem."""

from __future__ import annotations

import sys

import numpy as np
import pytest

import nn
from autograd import Value
from nn import data

# ---- batching ----------------------------------------------------------------------------------------


def test_notes_example_10000_iterations_per_epoch() -> None:
    """worked-examples §7: 2,560,000 samples in batches of 256 give 10,000 updates per epoch."""
    batches = nn.Batches(2_560_000, 256, seed=0)
    assert len(batches) == 10_000
    assert batches.regime == "mini-batch"
    epoch = list(batches)  # index arrays only: no sample data exists
    assert len(epoch) == 10_000 and {len(idx) for idx in epoch} == {256}
    seen = np.sort(np.concatenate(epoch))
    assert np.array_equal(seen, np.arange(2_560_000))  # every sample exactly once


def test_each_epoch_is_a_reshuffled_permutation() -> None:
    batches = nn.Batches(10, 4, seed=1)
    epochs = [list(batches), list(batches)]
    for epoch in epochs:
        assert [len(b) for b in epoch] == [4, 4, 2]
        assert sorted(np.concatenate(epoch).tolist()) == list(range(10))
    assert not np.array_equal(np.concatenate(epochs[0]), np.concatenate(epochs[1]))
    again = nn.Batches(10, 4, seed=1)
    assert [b.tolist() for b in again] == [b.tolist() for b in epochs[0]]


def test_the_three_regimes() -> None:
    full = nn.Batches(5)
    assert full.regime == "full batch" and len(full) == 1
    assert sorted(next(iter(full)).tolist()) == [0, 1, 2, 3, 4]
    stochastic = nn.Batches(5, 1)
    assert stochastic.regime == "stochastic" and len(stochastic) == 5
    assert nn.Batches(5, 2).regime == "mini-batch"
    ordered = nn.Batches(5, 2, shuffle=False)
    assert [b.tolist() for b in ordered] == [[0, 1], [2, 3], [4]]
    assert repr(nn.Batches(10, 3)) == "Batches(n=10, batch_size=3: mini-batch, 4 updates per epoch)"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((0,), "the number of samples must be an int ≥ 1, got 0"),
        ((10, 0), r"batch_size must be None \(full batch\) or an int from 1 to 10, got 0"),
        (
            (10, 11),
            r"batch_size must be None \(full batch\) or an int from 1 to 10 \(the number of samples\)",
        ),
        ((10, 2.5), "got 2.5"),
    ],
)
def test_bad_batches(args: tuple[object, ...], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        nn.Batches(*args)  # type: ignore[arg-type]


# ---- fit ---------------------------------------------------------------------------------------------


def _linear_neuron(w: float = 0.0, b: float = 0.0) -> nn.Neuron:
    neuron = nn.Neuron(1, "linear", seed=0)
    neuron.load_state_dict({"w0": w, "b": b})
    return neuron


def test_fit_full_batch_by_hand() -> None:
    """o = w·x + b, one sample x = 1, y = 2, mse, η = 0.1: ∂L/∂w = ∂L/∂b = 2(o − 2), so o ← o + 0.4(2 − o)."""
    model = _linear_neuron()
    history = nn.fit(
        model, [[1.0]], [2.0], optimizer=nn.SGD(model.parameters(), lr=0.1), epochs=3, progress=False
    )
    # the loss is measured before each update: o = 0, 0.8, 1.28
    assert history.loss == pytest.approx([4.0, 1.44, 0.5184], abs=1e-12)
    assert model.state_dict() == pytest.approx({"w0": 0.784, "b": 0.784}, abs=1e-12)  # o = 1.568
    assert history.accuracy == [] and history.epochs == 3


def test_fit_zeroes_an_optimised_value_outside_the_model() -> None:
    """o = w·1 + b + c with c a Value the optimiser holds besides the model; mse against 2, η = 0.1.

    Each of w, b, c gets ∂L/∂· = 2(o − 2) and moves by 0.2(2 − o), so o ← o + 0.6(2 − o): o = 0, 1.2.
    After two steps c = 0.4 + 0.16 = 0.56 (0.96 if c's gradient were not zeroed between steps).
    """
    model = _linear_neuron()
    c = Value(0.0, "c")
    history = nn.fit(
        model, [[1.0]], [2.0], loss=lambda outs, ys: nn.mse([o + c for o in outs], ys),
        optimizer=nn.SGD([*model.parameters(), c], lr=0.1), epochs=2, progress=False,
    )  # fmt: skip
    assert history.loss == pytest.approx([4.0, 0.64], abs=1e-12)
    assert c.data == pytest.approx(0.56, abs=1e-12)
    assert model.state_dict() == pytest.approx({"w0": 0.56, "b": 0.56}, abs=1e-12)


def test_fit_counts_updates_per_regime() -> None:
    x, y = data.xor(12, seed=0)
    for batch_size, updates in [(None, 1), (1, 12), (5, 3)]:
        model = nn.MLP(2, [4, 1], seed=0)
        opt = nn.SGD(model.parameters(), lr=0.01)
        nn.fit(
            model, x, 2 * y - 1, loss="hinge", optimizer=opt, epochs=2, batch_size=batch_size, progress=False
        )
        assert opt.step_count == 2 * updates


@pytest.mark.parametrize("batch_size", [None, 1, 8])
def test_every_regime_lowers_the_loss(batch_size: int | None) -> None:
    x, y = data.moons(40, noise=0.1, seed=2)
    model = nn.MLP(2, [8, 1], seed=1)
    lr = 0.05 if batch_size == 1 else 0.2
    history = nn.fit(
        model, x, y, loss="bce_with_logits", optimizer=nn.SGD(model.parameters(), lr=lr), epochs=15,
        batch_size=batch_size, progress=False,
    )  # fmt: skip
    assert history.loss[-1] < 0.7 * history.loss[0]
    assert len(history.accuracy) == 15 and all(0.0 <= a <= 1.0 for a in history.accuracy)


def test_fit_l2_penalty_is_part_of_the_objective() -> None:
    """With l2 = λ the first recorded loss is mse + λ·Σw²."""
    model = _linear_neuron(0.5, -1.0)
    history = nn.fit(model, [[2.0]], [1.0], l2=0.1, epochs=1, progress=False)
    assert history.loss[0] == pytest.approx((0.5 * 2 - 1 - 1) ** 2 + 0.1 * (0.25 + 1.0), abs=1e-12)


def test_early_stopping_restores_the_best_weights() -> None:
    """Train towards y = 2 while validating against y = 1: validation loss (o − 1)² is lowest after epoch 0.

    o after each epoch: 0.8, 1.28, 1.568 → validation losses 0.04, 0.0784, 0.322624. With patience 2
    training stops after epoch 2 and the weights of epoch 0, w = b = 0.4, come back.
    """
    model = _linear_neuron()
    history = nn.fit(
        model, [[1.0]], [2.0], optimizer=nn.SGD(model.parameters(), lr=0.1), epochs=50,
        validation=([[1.0]], [1.0]), patience=2, progress=False,
    )  # fmt: skip
    assert history.val_loss == pytest.approx([0.04, 0.0784, 0.322624], abs=1e-12)
    assert history.epochs == 3 and history.stopped_early and history.restored
    assert history.best_epoch == 0
    assert model.state_dict() == pytest.approx({"w0": 0.4, "b": 0.4}, abs=1e-12)


def test_early_stopping_without_restoring() -> None:
    model = _linear_neuron()
    history = nn.fit(
        model, [[1.0]], [2.0], optimizer=nn.SGD(model.parameters(), lr=0.1), epochs=50,
        validation=([[1.0]], [1.0]), patience=2, restore_best=False, progress=False,
    )  # fmt: skip
    assert history.stopped_early and not history.restored
    assert model.state_dict() == pytest.approx({"w0": 0.784, "b": 0.784}, abs=1e-12)


def test_validation_without_early_stopping_runs_every_epoch() -> None:
    model = _linear_neuron()
    history = nn.fit(model, [[1.0]], [2.0], epochs=4, validation=([[1.0]], [2.0]), progress=False)
    assert history.epochs == 4 and len(history.val_loss) == 4 and not history.stopped_early
    assert history.best_epoch == 3


def test_three_class_blobs_reach_95_percent_validation_accuracy() -> None:
    x, y = data.blobs(150, k=3, std=0.6, seed=0)
    xt, yt, xv, yv = data.train_val_split(x, y, 0.25, seed=0)
    model = nn.MLP(2, [8, 3], activation="tanh", seed=0)
    history = nn.fit(
        model, xt, yt, loss="cross_entropy", optimizer=nn.Adam(model.parameters(), lr=0.05), epochs=15,
        batch_size=16, validation=(xv, yv), progress=False,
    )  # fmt: skip
    assert history.val_accuracy[-1] >= 0.95
    assert history.val_loss[-1] < history.val_loss[0]
    assert nn.accuracy([model(r) for r in xv.tolist()], yv.tolist()) == history.val_accuracy[-1]


def test_callback_and_progress_bar(capsys: pytest.CaptureFixture[str]) -> None:
    seen: list[tuple[int, int]] = []
    model = _linear_neuron()
    nn.fit(model, [[1.0]], [2.0], epochs=3, callback=lambda e, h: seen.append((e, h.epochs)), progress=True)
    assert seen == [(0, 1), (1, 2), (2, 3)]
    assert "3/3" in capsys.readouterr().err  # tqdm writes to stderr


def test_fit_works_without_tqdm(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setitem(sys.modules, "tqdm", None)  # makes `import tqdm…` raise ImportError
    monkeypatch.setitem(sys.modules, "tqdm.auto", None)
    model = _linear_neuron()
    history = nn.fit(model, [[1.0]], [2.0], epochs=2, progress=True)
    assert history.epochs == 2
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        (
            {"batch_size": 0},
            ValueError,
            r"batch_size must be None \(full batch\) or an int from 1 to 4, got 0",
        ),
        ({"epochs": 0}, ValueError, "epochs must be an int ≥ 1, got 0"),
        ({"y": [1.0, 2.0]}, ValueError, "x has 4 samples but y has 2; they must match"),
        ({"x": [[1.0, 2.0, 3.0]] * 4}, ValueError, "x has 3 features per sample, but the model takes 2"),
        ({"x": [1.0, 2.0, 3.0, 4.0]}, ValueError, r"x must be a 2-D array of shape \(samples, features\)"),
        ({"x": [[1.0, float("nan")]] * 4}, ValueError, "x contains NaN or infinite values"),
        ({"y": [0.0, 1.0, float("nan"), 0.0]}, ValueError, "y contains NaN or infinite values"),
        ({"validation": ([[0.0, 0.0]], [float("inf")])}, ValueError, "y_val contains NaN or infinite values"),
        ({"loss": "l1"}, ValueError, "loss must be one of 'mse', 'bce', 'bce_with_logits'"),
        ({"loss": 3}, TypeError, "loss must be a loss name or a function, got int"),
        ({"l2": -1.0}, ValueError, r"l2 must lie in \[0, ∞\), got -1.0"),
        ({"patience": 2}, ValueError, "early stopping \\(patience\\) needs a validation set"),
        (
            {"patience": 0, "validation": ([[0.0, 0.0]], [0.0])},
            ValueError,
            "patience must be None or an int ≥ 1",
        ),
        ({"validation": ([[0.0, 0.0, 0.0]], [0.0])}, ValueError, "x_val has 3 features per sample"),
        ({"validation": ([[0.0, 0.0]], [0.0, 1.0])}, ValueError, "x_val has 1 samples but y_val has 2"),
        ({"validation": [[0.0, 0.0]]}, ValueError, r"validation must be a pair \(x_val, y_val\)"),
        (
            {"optimizer": "sgd"},
            TypeError,
            "optimizer must be an nn.SGD, nn.Adam or other nn.Optimizer, got str",
        ),
        ({"model": "mlp"}, TypeError, "model must be an nn.Module"),
        ({"l2": 10**400}, ValueError, "l2 must be a finite real number, got 100000"),
        (
            {"optimizer": nn.SGD(nn.MLP(2, [3, 1], seed=0).parameters(), lr=0.1)},  # same shape, other model
            ValueError,
            r"the optimizer holds none of the model's 13 parameters: it would train nothing; "
            r"make it from this model, e.g. nn.SGD\(model.parameters\(\), lr=0.1\)",
        ),
    ],
)
def test_bad_fit_arguments(kwargs: dict[str, object], error: type[Exception], message: str) -> None:
    model = nn.MLP(2, [3, 1], seed=0)
    before = model.state_dict()
    args: dict[str, object] = {
        "model": model,
        "x": [[0.0, 1.0]] * 4,
        "y": [0.0, 1.0, 1.0, 0.0],
        "progress": False,
    }
    args.update(kwargs)
    with pytest.raises(error, match=message):
        nn.fit(**args)  # type: ignore[arg-type]
    assert model.state_dict() == before


def test_fit_accuracy_threshold_follows_the_loss() -> None:
    """bce reads outputs as probabilities (class 1 above 0.5), bce_with_logits as logits (above 0)."""
    probability_model = nn.Neuron(1, "sigmoid", seed=0)
    probability_model.load_state_dict({"w0": 0.0, "b": 0.2})  # σ(0.2) ≈ 0.55 for every input
    history = nn.fit(probability_model, [[1.0], [2.0]], [1, 1], loss="bce", epochs=1, progress=False)
    assert history.accuracy == [1.0]
    probability_model.load_state_dict({"w0": 0.0, "b": -0.2})  # σ(−0.2) ≈ 0.45: class 0, although > 0
    history = nn.fit(probability_model, [[1.0], [2.0]], [1, 1], loss="bce", epochs=1, progress=False)
    assert history.accuracy == [0.0]
    logit_model = _linear_neuron(0.0, -0.2)  # logit −0.2: class 0
    history = nn.fit(logit_model, [[1.0], [2.0]], [0, 0], loss="bce_with_logits", epochs=1, progress=False)
    assert history.accuracy == [1.0]


def test_divergence_is_reported() -> None:
    """η = 1.5 on o = w·x + b with x = 10 makes every step overshoot further, until the loss overflows."""
    model = _linear_neuron()
    with pytest.raises(
        FloatingPointError, match=r"training diverged in epoch \d+: .*try a smaller learning rate"
    ):
        nn.fit(
            model, [[10.0]], [1.0], optimizer=nn.SGD(model.parameters(), lr=1.5), epochs=1000, progress=False
        )


def test_non_finite_loss_is_reported() -> None:
    """A loss that is NaN without overflowing first (a custom loss here) stops training with a clear error."""
    model = _linear_neuron()
    with pytest.raises(FloatingPointError, match="training diverged in epoch 0: the loss is nan"):
        nn.fit(model, [[1.0]], [1.0], loss=lambda outs, ys: outs[0] * float("nan"), epochs=3, progress=False)
    assert model.state_dict() == {"w0": 0.0, "b": 0.0}
