"""Data sets: toy ones made with numpy from a seed (moons, circles, XOR, blobs), real digits, a split.

Every generator returns (X, y): X a float array of shape (n, 2) and y an int array of shape (n,)
with class labels 0, 1, …; nothing is downloaded. The same seed always gives the same data.
`digits` returns the 1,797 handwritten 8×8 digits that scikit-learn ships (X of shape (1797, 64)).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ._arguments import check_int, check_real
from .module import Seed, make_rng

__all__ = ["blobs", "circles", "digits", "moons", "train_val_split", "xor"]

Floats = NDArray[np.float64]
Ints = NDArray[np.int64]


def _finish(x: Floats, y: Ints, noise: float, rng: np.random.Generator) -> tuple[Floats, Ints]:
    """Add Gaussian noise of standard deviation `noise` and shuffle the samples."""
    if noise > 0.0:
        x = x + rng.normal(0.0, noise, size=x.shape)
    order = rng.permutation(len(y))
    return x[order], y[order]


def moons(n: int = 100, noise: float = 0.1, *, seed: Seed = 0) -> tuple[Floats, Ints]:
    """Two interleaving half circles (the data of micrograd's demo).

    Class 0 lies on the upper half circle of radius 1 around (0, 0), class 1 on the lower half
    circle around (1, 0.5); ⌈n/2⌉ and ⌊n/2⌋ points, evenly spaced in angle, plus N(0, noise²) noise.

    Args:
        n: Number of points (≥ 2).
        noise: Standard deviation of the Gaussian noise added to each coordinate (≥ 0).
        seed: An int or numpy Generator (for the noise and the shuffle).
    """
    n = check_int("n", n, 2)
    noise = check_real("noise", noise, 0.0)
    rng = make_rng(seed)
    n0 = (n + 1) // 2
    n1 = n - n0
    t0 = np.linspace(0.0, math.pi, n0)
    t1 = np.linspace(0.0, math.pi, n1)
    upper = np.column_stack([np.cos(t0), np.sin(t0)])
    lower = np.column_stack([1.0 - np.cos(t1), 0.5 - np.sin(t1)])
    x = np.vstack([upper, lower]).astype(np.float64)
    y = np.concatenate([np.zeros(n0, dtype=np.int64), np.ones(n1, dtype=np.int64)])
    return _finish(x, y, noise, rng)


def circles(n: int = 100, noise: float = 0.05, factor: float = 0.5, *, seed: Seed = 0) -> tuple[Floats, Ints]:
    """Two concentric circles: class 0 of radius 1 outside, class 1 of radius `factor` inside.

    Args:
        n: Number of points (≥ 2).
        noise: Standard deviation of the Gaussian noise (≥ 0).
        factor: The inner radius, in (0, 1).
        seed: An int or numpy Generator.
    """
    n = check_int("n", n, 2)
    noise = check_real("noise", noise, 0.0)
    factor = check_real("factor (the inner radius)", factor, 0.0, 1.0, low_open=True)
    rng = make_rng(seed)
    n0 = (n + 1) // 2
    n1 = n - n0
    t0 = np.linspace(0.0, 2.0 * math.pi, n0, endpoint=False)
    t1 = np.linspace(0.0, 2.0 * math.pi, n1, endpoint=False)
    outer = np.column_stack([np.cos(t0), np.sin(t0)])
    inner = float(factor) * np.column_stack([np.cos(t1), np.sin(t1)])
    x = np.vstack([outer, inner]).astype(np.float64)
    y = np.concatenate([np.zeros(n0, dtype=np.int64), np.ones(n1, dtype=np.int64)])
    return _finish(x, y, noise, rng)


def xor(n: int = 100, noise: float = 0.0, *, seed: Seed = 0) -> tuple[Floats, Ints]:
    """The XOR problem: points uniform in [−1, 1]², class 1 where x₁·x₂ > 0, else class 0.

    Labels come from the clean points; the noise (≥ 0) is added afterwards, so with noise > 0
    points near the axes may land in the other quadrant.

    Args:
        n: Number of points (≥ 1).
        noise: Standard deviation of the Gaussian noise (≥ 0, default 0).
        seed: An int or numpy Generator.
    """
    n = check_int("n", n)
    noise = check_real("noise", noise, 0.0)
    rng = make_rng(seed)
    x = rng.uniform(-1.0, 1.0, size=(n, 2))
    y = (x[:, 0] * x[:, 1] > 0).astype(np.int64)
    return _finish(x, y, noise, rng)


def blobs(
    n: int = 150, k: int = 3, std: float = 0.5, *, radius: float = 3.0, seed: Seed = 0
) -> tuple[Floats, Ints]:
    """k Gaussian clusters, one per class, with centres evenly spaced on a circle.

    Class j has its centre at radius·(cos 2πj/k, sin 2πj/k) and about n/k points drawn from
    N(centre, std²·I).

    Args:
        n: Number of points (≥ k).
        k: Number of classes (≥ 2).
        std: Standard deviation of each cluster (≥ 0).
        radius: Distance of the centres from the origin (> 0).
        seed: An int or numpy Generator.
    """
    k = check_int("k (the number of classes)", k, 2)
    n = check_int("n", n, k)
    std = check_real("std", std, 0.0)
    radius = check_real("radius", radius, 0.0, low_open=True)
    rng = make_rng(seed)
    y = np.arange(n, dtype=np.int64) % k
    angles = 2.0 * math.pi * y / k
    x = float(radius) * np.column_stack([np.cos(angles), np.sin(angles)])
    return _finish(x, y, std, rng)


def digits() -> tuple[Floats, Ints]:
    """The handwritten digits bundled with scikit-learn: 1,797 images of 8×8 pixels, ten classes.

    The images come from the UCI "optical recognition of handwritten digits" set and are installed
    with scikit-learn (nothing is downloaded). Each pixel is a count from 0 to 16; here it is
    divided by 16, so every input lies in [0, 1]. Row i of X is image i read row by row:
    `X[i].reshape(8, 8)` is the picture. The order is scikit-learn's (not shuffled).

    Returns:
        (X, y): X of shape (1797, 64), floats in [0, 1]; y of shape (1797,), the digits 0 … 9.

    Raises:
        ImportError: if scikit-learn is not installed (the message says how to install it).
    """
    try:
        from sklearn.datasets import load_digits
    except ImportError:
        raise ImportError(
            "nn.data.digits needs scikit-learn, which ships the 8×8 digit images (no download): "
            "pip install scikit-learn, or pip install -e '.[notebooks]'"
        ) from None
    bunch = load_digits()
    x = np.asarray(bunch.data, dtype=np.float64) / 16.0
    y = np.asarray(bunch.target, dtype=np.int64)
    return x, y


def train_val_split(
    x: ArrayLike, y: ArrayLike, val_fraction: float = 0.2, *, seed: Seed = 0
) -> tuple[NDArray[Any], NDArray[Any], NDArray[Any], NDArray[Any]]:
    """Shuffle and split a data set into a training part and a validation part.

    Args:
        x: Inputs, an array of n rows.
        y: Targets, an array of n entries.
        val_fraction: The share of samples for validation, in (0, 1); the validation part gets
            round(n·val_fraction) samples, at least 1, and the training part at least 1.
        seed: An int or numpy Generator for the shuffle.

    Returns:
        (x_train, y_train, x_val, y_val).
    """
    xa = np.asarray(x)
    ya = np.asarray(y)
    if len(xa) != len(ya):
        raise ValueError(f"x and y must have the same number of samples, got {len(xa)} and {len(ya)}")
    if len(xa) < 2:
        raise ValueError(f"a split needs at least 2 samples, got {len(xa)}")
    val_fraction = check_real("val_fraction", val_fraction, 0.0, 1.0, low_open=True)
    n_val = min(max(1, round(len(xa) * float(val_fraction))), len(xa) - 1)
    order = make_rng(seed).permutation(len(xa))
    val, train = order[:n_val], order[n_val:]
    return xa[train], ya[train], xa[val], ya[val]
