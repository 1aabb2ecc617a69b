"""Models built from Values: `Module`, `Neuron`, `Layer` and `MLP`, with reproducible initialisation."""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from autograd import Value

from ._arguments import check_int, is_int, is_real, shown

__all__ = ["ACTIVATIONS", "Layer", "MLP", "Module", "Neuron", "Seed", "make_rng"]

#: The activations a neuron can apply to its weighted sum z = Σᵢ wᵢxᵢ + b.
ACTIVATIONS = ("relu", "tanh", "sigmoid", "linear")

#: Where initial weights come from: an int seed, a numpy Generator, or None for fresh randomness.
Seed = int | np.random.Generator | None

#: One input to a model: a sequence of numbers or Values (a list, tuple or 1-D numpy array).
Input = Sequence[Value | float] | NDArray[Any]


def make_rng(seed: Seed) -> np.random.Generator:
    """Turn a seed (int, numpy Generator or None) into a numpy Generator.

    A Generator is used as it is (and advanced), so several models made from one Generator
    get different weights; an int always gives the same stream.
    """
    if isinstance(seed, np.random.Generator):
        return seed
    if seed is None:
        return np.random.default_rng()
    if is_int(seed):
        return np.random.default_rng(check_int("seed", seed, 0, "an int ≥ 0, a numpy Generator or None"))
    raise TypeError(f"seed must be an int ≥ 0, a numpy Generator or None, got {type(seed).__name__} {seed!r}")


def _check_activation(activation: object) -> str:
    """Check that activation is one of ACTIVATIONS and return it."""
    if activation not in ACTIVATIONS:
        raise ValueError(f"activation must be one of {', '.join(map(repr, ACTIVATIONS))}; got {activation!r}")
    return str(activation)


def _check_number(name: str, value: object) -> float:
    """A parameter value for load_state_dict: a finite real number (not bool), as a float."""
    if not is_real(value):
        raise ValueError(
            f"the value of {name!r} must be a real number, got {type(value).__name__} {shown(value)}"
        )
    try:
        x = float(value)
    except OverflowError:  # an int beyond the float range, such as 10**400
        raise ValueError(
            f"the value of {name!r} must be finite, got {shown(value)}, too large for a float"
        ) from None
    if not math.isfinite(x):
        raise ValueError(f"the value of {name!r} must be finite, got {x!r}")
    return x


class Module:
    """The base of every model: a callable that owns named parameters (leaf Values).

    A subclass implements `named_parameters()` and `__call__`; everything else — the
    parameter list, zeroing gradients, saving and loading weights — follows from those.
    """

    def named_parameters(self) -> Iterator[tuple[str, Value]]:
        """Yield (name, parameter) pairs in a fixed order, e.g. ("layer0.neuron3.w1", Value(…))."""
        return iter(())

    def parameters(self) -> list[Value]:
        """The parameters in the same fixed order as `named_parameters()`."""
        return [p for _, p in self.named_parameters()]

    def zero_grad(self) -> None:
        """Set every parameter's .grad to 0 (gradients accumulate across backward() calls)."""
        for p in self.parameters():
            p.grad = 0.0

    def __call__(self, x: Input) -> Any:
        raise NotImplementedError(f"{type(self).__name__} does not define a forward pass")

    def state_dict(self) -> dict[str, float]:
        """A copy of the weights as plain floats: {name: value}, in parameter order."""
        return {name: p.data for name, p in self.named_parameters()}

    def load_state_dict(self, state: Mapping[str, object]) -> None:
        """Set the weights from a {name: number} mapping, as returned by `state_dict()`.

        Every name and value is checked before anything is changed: on any error the model
        is left exactly as it was.

        Raises:
            TypeError: if state is not a mapping.
            ValueError: naming the first missing name, bad value or unexpected name.
        """
        if not isinstance(state, Mapping):
            raise TypeError(
                f"load_state_dict needs a mapping {{name: number}} such as model.state_dict(), "
                f"got {type(state).__name__}"
            )
        named = list(self.named_parameters())
        expected = {name for name, _ in named}
        values: list[float] = []
        for name, _ in named:
            if name not in state:
                missing = [n for n, _ in named if n not in state]
                more = f" (and {len(missing) - 1} more)" if len(missing) > 1 else ""
                raise ValueError(
                    f"the state dict has no value for parameter {name!r}{more}; "
                    f"{type(self).__name__} needs exactly the names of its state_dict()"
                )
            values.append(_check_number(name, state[name]))
        for key in state:
            if key not in expected:
                raise ValueError(
                    f"unexpected key {key!r} in the state dict: {type(self).__name__} has no such parameter"
                )
        for (_, p), x in zip(named, values):
            p.data = x


def _activate(z: Value, activation: str) -> Value:
    """Apply a named activation to one Value."""
    if activation == "relu":
        return z.relu()
    if activation == "tanh":
        return z.tanh()
    if activation == "sigmoid":
        return z.sigmoid()
    return z


class Neuron(Module):
    """One neuron: a = φ(Σᵢ wᵢxᵢ + b), with φ one of relu, tanh, sigmoid or linear.

    Weights start uniform in [−1, 1) and the bias at 0 (as in micrograd).

    Args:
        nin: Number of inputs (≥ 1).
        activation: "relu" (default), "tanh", "sigmoid" or "linear".
        seed: An int, a numpy Generator or None (fresh randomness) for the initial weights.
    """

    def __init__(self, nin: int, activation: str = "relu", *, seed: Seed = None) -> None:
        self.nin = check_int("nin", nin)
        self.activation = _check_activation(activation)
        rng = make_rng(seed)
        self.w = [Value(float(x)) for x in rng.uniform(-1.0, 1.0, self.nin)]
        self.b = Value(0.0)
        _label(self)

    def named_parameters(self) -> Iterator[tuple[str, Value]]:
        for i, w in enumerate(self.w):
            yield f"w{i}", w
        yield "b", self.b

    def __call__(self, x: Input) -> Value:
        """φ(Σᵢ wᵢxᵢ + b) for one input vector x of length nin."""
        if len(x) != self.nin:
            raise ValueError(f"this neuron takes {self.nin} inputs, got {len(x)}")
        z = sum((w * xi for w, xi in zip(self.w, x)), self.b)
        return _activate(z, self.activation)

    def __repr__(self) -> str:
        return f"Neuron({self.nin} inputs, {self.activation})"


class Layer(Module):
    """A fully connected layer of `nout` neurons, each reading all `nin` inputs.

    Args:
        nin: Number of inputs (≥ 1).
        nout: Number of neurons (≥ 1).
        activation: The activation of every neuron (default "relu").
        seed: An int, a numpy Generator or None for the initial weights.
    """

    def __init__(self, nin: int, nout: int, activation: str = "relu", *, seed: Seed = None) -> None:
        self.nin = check_int("nin", nin)
        self.nout = check_int("nout", nout)
        self.activation = _check_activation(activation)
        rng = make_rng(seed)
        self.neurons = [Neuron(self.nin, self.activation, seed=rng) for _ in range(self.nout)]
        _label(self)

    def named_parameters(self) -> Iterator[tuple[str, Value]]:
        for i, neuron in enumerate(self.neurons):
            for name, p in neuron.named_parameters():
                yield f"neuron{i}.{name}", p

    def forward(self, x: Input) -> list[Value]:
        """The outputs of all neurons, always as a list."""
        if len(x) != self.nin:
            raise ValueError(f"this layer takes {self.nin} inputs, got {len(x)}")
        return [n(x) for n in self.neurons]

    def __call__(self, x: Input) -> Value | list[Value]:
        """The neurons' outputs: a list, or a single Value when the layer has one neuron."""
        out = self.forward(x)
        return out[0] if self.nout == 1 else out

    def __repr__(self) -> str:
        return f"Layer({self.nin} → {self.nout}, {self.activation})"


class MLP(Module):
    """A multi-layer perceptron: fully connected layers, one after the other.

    `MLP(2, [16, 16, 1])` is micrograd's model: relu hidden layers, a linear output
    neuron, 2·16 + 16 + 16·16 + 16 + 16 + 1 = 337 parameters, and a single Value out.

    Args:
        nin: Number of inputs (≥ 1).
        nouts: The width of each layer, the last one being the output layer.
        activation: The activation of the hidden layers (default "relu").
        output_activation: The activation of the last layer (default "linear").
        seed: An int, a numpy Generator or None for the initial weights.
    """

    def __init__(
        self,
        nin: int,
        nouts: Sequence[int],
        activation: str = "relu",
        output_activation: str = "linear",
        *,
        seed: Seed = None,
    ) -> None:
        self.nin = check_int("nin", nin)
        if isinstance(nouts, (str, bytes)) or not isinstance(nouts, Sequence) or len(nouts) == 0:
            raise ValueError(
                f"nouts must be a non-empty list of layer widths such as [16, 16, 1], got {nouts!r}"
            )
        sizes = [self.nin] + [check_int(f"nouts[{i}]", n) for i, n in enumerate(nouts)]
        self.activation = _check_activation(activation)
        self.output_activation = _check_activation(output_activation)
        rng = make_rng(seed)
        self.layers = [
            Layer(
                sizes[i],
                sizes[i + 1],
                self.activation if i < len(nouts) - 1 else self.output_activation,
                seed=rng,
            )
            for i in range(len(nouts))
        ]
        _label(self)

    @property
    def nout(self) -> int:
        """The number of outputs (the width of the last layer)."""
        return self.layers[-1].nout

    def named_parameters(self) -> Iterator[tuple[str, Value]]:
        for i, layer in enumerate(self.layers):
            for name, p in layer.named_parameters():
                yield f"layer{i}.{name}", p

    def __call__(self, x: Input) -> Value | list[Value]:
        """The network's output for one input: a list, or a single Value when nout = 1."""
        if len(x) != self.nin:
            raise ValueError(f"this MLP takes {self.nin} inputs, got {len(x)}")
        values = self.layers[0].forward(x)
        for layer in self.layers[1:]:
            values = layer.forward(values)
        return values[0] if len(values) == 1 else values

    def __repr__(self) -> str:
        widths = " → ".join(f"{layer.nout} {layer.activation}" for layer in self.layers)
        return f"MLP({self.nin} → {widths}; {len(self.parameters())} parameters)"


def _label(module: Module) -> None:
    """Label each parameter with its name, so drawings and error messages can say which weight it is."""
    for name, p in module.named_parameters():
        p.label = name
