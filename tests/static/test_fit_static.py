"""nn.fit(static=True): training through a trace gives the dynamic history, bit for bit."""

from __future__ import annotations

import math
import warnings

import pytest
from graphs import bits

import nn


@pytest.mark.parametrize(("loss", "batch_size"), [("hinge", None), ("mse", None), ("mse", 8)])
def test_fit_static_has_the_same_history(loss: str, batch_size: int | None) -> None:
    x, y01 = nn.data.moons(24, noise=0.1, seed=1)
    y = 2 * y01 - 1
    runs = []
    for static in (False, True):
        model = nn.MLP(2, [6, 1], seed=1)
        h = nn.fit(
            model,
            x,
            y,
            loss=loss,
            epochs=6,
            batch_size=batch_size,
            l2=1e-4,
            shuffle=False,
            progress=False,
            static=static,
        )
        runs.append((h.loss, h.accuracy, [bits(p.data) for p in model.parameters()]))
    assert runs[0] == runs[1]
    assert all(math.isfinite(v) for v in runs[0][0])


def test_fit_static_with_cross_entropy_traces_once() -> None:
    """Softmax reads its logits only to compare them with ±300: every step replays the first trace."""
    x, y = nn.data.blobs(30, k=3, seed=4)
    runs = []
    for static in (False, True):
        model = nn.MLP(2, [6, 3], seed=2)
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # shifting by max z re-traced every step, and warned at the 11th
            h = nn.fit(
                model, x, y, loss="cross_entropy", epochs=14, shuffle=False, progress=False, static=static
            )
        runs.append((h.loss, [bits(p.data) for p in model.parameters()]))
    assert runs[0] == runs[1]
