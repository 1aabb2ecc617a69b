"""Optimisers that update parameters from their .grad: `SGD` (momentum, weight decay) and `Adam`."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable

from autograd import Value

from ._arguments import check_real, is_real

__all__ = ["Adam", "LearningRate", "Optimizer", "SGD"]

#: A learning rate: a number, or a schedule η(k) of the step index k = 0, 1, 2, …
LearningRate = float | Callable[[int], float]


class Optimizer:
    """The base of the optimisers: holds the parameters, the learning rate and the step count.

    Args:
        params: The Values to update, e.g. `model.parameters()` (at least one, each once).
        lr: The learning rate η > 0, or a function η(k) of the step index k = 0, 1, 2, …
    """

    def __init__(self, params: Iterable[Value], lr: LearningRate) -> None:
        self.params = list(params)
        if not self.params:
            raise ValueError("an optimiser needs at least one parameter; got an empty list")
        seen: set[int] = set()
        for p in self.params:
            if not isinstance(p, Value):
                raise TypeError(f"parameters must be Values, got {type(p).__name__} {p!r}")
            if id(p) in seen:
                raise ValueError(f"parameter {p!r} appears twice; each parameter must be listed once")
            seen.add(id(p))
        if not callable(lr):
            check_real("lr", lr, 0.0, low_open=True)
        self.lr = lr
        #: How many steps have been taken; the schedule is called with this index.
        self.step_count = 0

    def current_lr(self) -> float:
        """The learning rate of the next step: η, or η(k) for a schedule at k = step_count."""
        if callable(self.lr):
            lr: object = self.lr(self.step_count)
            if not is_real(lr) or not 0.0 <= float(lr) < math.inf:
                raise ValueError(
                    f"the learning-rate schedule returned {lr!r} at step {self.step_count}; "
                    "it must return a finite number ≥ 0"
                )
            return float(lr)
        return float(self.lr)

    def zero_grad(self) -> None:
        """Set every parameter's .grad to 0 before the next backward()."""
        for p in self.params:
            p.grad = 0.0

    def step(self) -> None:
        """Update every parameter from its .grad, then count the step."""
        self._update(self.current_lr())
        self.step_count += 1

    def _update(self, lr: float) -> None:
        raise NotImplementedError


class SGD(Optimizer):
    """Stochastic gradient descent: w ← w − η·v, with v = μ·v + g and g = ∂L/∂w + λ·w.

    With momentum μ = 0 and weight decay λ = 0 this is plain gradient descent, w ← w − η·∂L/∂w.
    With `maximize=True` it climbs instead: w ← w + η·v (gradient ascent, e.g. on a log-likelihood).

    Args:
        params: The Values to update.
        lr: The learning rate η > 0, or a schedule η(k) of the step index.
        momentum: μ ∈ [0, 1); the velocity starts at the first gradient.
        weight_decay: λ ≥ 0, adds λ·w to every gradient (the gradient of the penalty ½λ‖w‖²).
        maximize: Ascend the objective instead of descending it.
    """

    def __init__(
        self,
        params: Iterable[Value],
        lr: LearningRate,
        momentum: float = 0.0,
        weight_decay: float = 0.0,
        *,
        maximize: bool = False,
    ) -> None:
        super().__init__(params, lr)
        self.momentum = check_real("momentum", momentum, 0.0, 1.0)
        self.weight_decay = check_real("weight_decay", weight_decay, 0.0)
        self.maximize = bool(maximize)
        self._velocity: list[float] | None = None

    def _update(self, lr: float) -> None:
        step = lr if self.maximize else -lr  # w ← w ± η·v
        mu, wd = self.momentum, self.weight_decay
        if mu == 0.0:
            if wd:
                for p in self.params:
                    p.data += step * (p.grad + wd * p.data)
            else:
                for p in self.params:
                    p.data += step * p.grad
            return
        if self._velocity is None:
            self._velocity = [p.grad + wd * p.data for p in self.params]
        else:
            self._velocity = [mu * v + p.grad + wd * p.data for v, p in zip(self._velocity, self.params)]
        for p, v in zip(self.params, self._velocity):
            p.data += step * v

    def __repr__(self) -> str:
        lr = "schedule" if callable(self.lr) else f"{self.lr:g}"
        return (
            f"SGD({len(self.params)} parameters, lr={lr}, momentum={self.momentum:g}, "
            f"weight_decay={self.weight_decay:g})"
        )


class Adam(Optimizer):
    """Adam: gradient steps scaled by running estimates of the gradient's mean and square.

    For each parameter, with g = ∂L/∂w + λ·w at step t = 1, 2, …:
    m ← β₁m + (1 − β₁)g,  v ← β₂v + (1 − β₂)g²,  m̂ = m/(1 − β₁ᵗ),  v̂ = v/(1 − β₂ᵗ),
    w ← w − η·m̂/(√v̂ + ε).

    Args:
        params: The Values to update.
        lr: The learning rate η > 0 (default 0.001), or a schedule η(k) of the step index.
        betas: (β₁, β₂), each in [0, 1).
        eps: ε > 0, keeps the division finite.
        weight_decay: λ ≥ 0, adds λ·w to every gradient.
        maximize: Ascend the objective instead of descending it.
    """

    def __init__(
        self,
        params: Iterable[Value],
        lr: LearningRate = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0.0,
        *,
        maximize: bool = False,
    ) -> None:
        super().__init__(params, lr)
        if not isinstance(betas, tuple) or len(betas) != 2:
            raise ValueError(f"betas must be a tuple (β₁, β₂) of two numbers in [0, 1), got {betas!r}")
        self.beta1 = check_real("betas[0]", betas[0], 0.0, 1.0)
        self.beta2 = check_real("betas[1]", betas[1], 0.0, 1.0)
        self.eps = check_real("eps", eps, 0.0, low_open=True)
        self.weight_decay = check_real("weight_decay", weight_decay, 0.0)
        self.maximize = bool(maximize)
        self._m = [0.0] * len(self.params)
        self._v = [0.0] * len(self.params)

    def _update(self, lr: float) -> None:
        t = self.step_count + 1
        b1, b2, wd = self.beta1, self.beta2, self.weight_decay
        c1 = 1.0 - b1**t
        c2 = 1.0 - b2**t
        step = lr if self.maximize else -lr
        for i, p in enumerate(self.params):
            g = p.grad + wd * p.data
            m = self._m[i] = b1 * self._m[i] + (1.0 - b1) * g
            v = self._v[i] = b2 * self._v[i] + (1.0 - b2) * g * g
            p.data += step * (m / c1) / (math.sqrt(v / c2) + self.eps)

    def __repr__(self) -> str:
        lr = "schedule" if callable(self.lr) else f"{self.lr:g}"
        return f"Adam({len(self.params)} parameters, lr={lr}, betas=({self.beta1:g}, {self.beta2:g}))"
