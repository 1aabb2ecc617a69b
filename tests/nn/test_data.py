"""nn.data: the toy data sets are what they claim, reproducible from a seed, and the split is a partition."""

from __future__ import annotations

import sys

import numpy as np
import pytest

from nn import data


@pytest.mark.parametrize("make", [data.moons, data.circles, data.xor, data.blobs])
def test_shapes_types_and_reproducibility(make: object) -> None:
    x, y = make(60, seed=4)  # type: ignore[operator]
    assert x.shape == (60, 2) and x.dtype == np.float64
    assert y.shape == (60,) and y.dtype == np.int64
    x2, y2 = make(60, seed=4)  # type: ignore[operator]
    assert np.array_equal(x, x2) and np.array_equal(y, y2)
    x3, _ = make(60, seed=5)  # type: ignore[operator]
    assert not np.array_equal(x, x3)
    x4, _ = make(60, seed=np.random.default_rng(4))  # type: ignore[operator]
    assert x4.shape == (60, 2)


def test_moons_without_noise_lie_on_the_half_circles() -> None:
    x, y = data.moons(101, noise=0.0)
    upper, lower = x[y == 0], x[y == 1]
    assert len(upper) == 51 and len(lower) == 50
    assert np.allclose(np.hypot(upper[:, 0], upper[:, 1]), 1.0) and np.all(upper[:, 1] >= -1e-12)
    assert np.allclose(np.hypot(lower[:, 0] - 1.0, lower[:, 1] - 0.5), 1.0) and np.all(
        lower[:, 1] <= 0.5 + 1e-12
    )


def test_moons_noise_has_the_requested_spread() -> None:
    """The radial part of N(0, σ²I) noise has standard deviation ≈ σ (for σ small against the radius)."""
    x, y = data.moons(4000, noise=0.1, seed=1)
    upper = x[y == 0]
    r = np.hypot(upper[:, 0], upper[:, 1])
    assert np.std(r - 1.0) == pytest.approx(0.1, rel=0.1)
    assert abs(np.mean(r - 1.0)) < 0.02


def test_circles_radii() -> None:
    x, y = data.circles(80, noise=0.0, factor=0.3)
    r = np.hypot(x[:, 0], x[:, 1])
    assert np.allclose(r[y == 0], 1.0) and np.allclose(r[y == 1], 0.3)


def test_xor_labels() -> None:
    x, y = data.xor(200, seed=2)
    assert np.array_equal(y, (x[:, 0] * x[:, 1] > 0).astype(int))
    assert 0.3 < y.mean() < 0.7
    assert np.all(np.abs(x) <= 1.0)


def test_blobs_classes_and_centres() -> None:
    x, y = data.blobs(300, k=4, std=0.1, radius=3.0, seed=0)
    assert sorted(set(y.tolist())) == [0, 1, 2, 3]
    assert np.bincount(y).tolist() == [75, 75, 75, 75]
    for j in range(4):
        centre = 3.0 * np.array([np.cos(2 * np.pi * j / 4), np.sin(2 * np.pi * j / 4)])
        assert np.allclose(x[y == j].mean(axis=0), centre, atol=0.05)


def test_train_val_split_is_a_partition() -> None:
    x, y = data.moons(50, seed=0)
    xt, yt, xv, yv = data.train_val_split(x, y, 0.2, seed=3)
    assert (len(xt), len(xv)) == (40, 10)
    rows = {tuple(r) for r in np.vstack([xt, xv])}
    assert rows == {tuple(r) for r in x} and len(rows) == 50
    lookup = {tuple(r): label for r, label in zip(x, y)}
    assert all(lookup[tuple(r)] == label for r, label in zip(np.vstack([xt, xv]), np.concatenate([yt, yv])))
    again = data.train_val_split(x, y, 0.2, seed=3)
    assert np.array_equal(again[2], xv)


def test_tiny_split_keeps_one_on_each_side() -> None:
    xt, _, xv, _ = data.train_val_split(np.zeros((2, 2)), np.zeros(2), 0.01)
    assert (len(xt), len(xv)) == (1, 1)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: data.moons(1), "n must be an int ≥ 2, got 1"),
        (lambda: data.moons(10, noise=-0.1), r"noise must lie in \[0, ∞\), got -0.1"),
        (lambda: data.circles(10, factor=1.0), r"factor \(the inner radius\) must lie in \(0, 1\), got 1.0"),
        (lambda: data.xor(0), "n must be an int ≥ 1, got 0"),
        (lambda: data.blobs(10, k=1), r"k \(the number of classes\) must be an int ≥ 2, got 1"),
        (lambda: data.blobs(2, k=3), "n must be an int ≥ 3, got 2"),
        (lambda: data.blobs(10, radius=0), r"radius must lie in \(0, ∞\)"),
        (lambda: data.blobs(10, std=-1.0), r"std must lie in \[0, ∞\), got -1.0"),  # not "noise"
        (lambda: data.train_val_split(np.zeros((3, 2)), np.zeros(4)), "same number of samples, got 3 and 4"),
        (
            lambda: data.train_val_split(np.zeros((3, 2)), np.zeros(3), 1.0),
            r"val_fraction must lie in \(0, 1\)",
        ),
        (lambda: data.train_val_split(np.zeros((1, 2)), np.zeros(1)), "at least 2 samples, got 1"),
    ],
)
def test_bad_arguments(call: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        call()  # type: ignore[operator]


def test_digits_are_scikit_learns_8x8_images_scaled_to_the_unit_interval() -> None:
    pytest.importorskip("sklearn", reason="scikit-learn ships the digits; it is in the dev extra")
    from sklearn.datasets import load_digits

    x, y = data.digits()
    assert x.shape == (1797, 64) and x.dtype == np.float64
    assert y.shape == (1797,) and y.dtype == np.int64
    assert x.min() == 0.0 and x.max() == 1.0
    assert np.array_equal(x * 16.0, load_digits().data)  # pixel counts 0…16, divided by 16
    assert np.bincount(y).tolist() == [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]
    zero = x[0].reshape(8, 8)
    assert y[0] == 0 and zero[3:5, 3:5].max() == 0.0 < zero[3:5, 1:3].max()  # a 0: hollow in the middle


def test_digits_without_scikit_learn_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "sklearn", None)  # makes `import sklearn…` raise ImportError
    monkeypatch.setitem(sys.modules, "sklearn.datasets", None)
    with pytest.raises(ImportError, match=r"needs scikit-learn.*pip install scikit-learn"):
        data.digits()
