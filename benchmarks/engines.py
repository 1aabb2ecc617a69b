"""The engines the benchmarks compare, behind one small adapter each, so every workload is written once."""

from __future__ import annotations

import gc
import importlib
import sys
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext, suppress
from typing import Any

#: The engines a worker can load. "backproplab-paused" is backproplab inside `autograd.pause_gc()`.
ENGINES = (
    "backproplab",
    "backproplab-paused",
    "backproplab-nn",
    "backproplab-traced",
    "backproplab-traced-exact",
    "micrograd",
    "micrograd-gc-off",
    "torch",
)
#: backproplab through `autograd.trace` (workload 1 only): one sample's graph replayed across the
#: batch with numpy, and the whole batch's graph as one straight-line program (bit for bit).
TRACED = ("backproplab-traced", "backproplab-traced-exact")

#: micrograd sorts its graph recursively: its worker (and only its worker) raises Python's limit.
MICROGRAD_RECURSION_LIMIT = 1_000_000


class Engine:
    """The handful of operations a workload needs, for one engine.

    Values of every engine support `+`, `*`, unary `-`, reflected operators with plain floats
    and `.relu()`; this adapter supplies what differs: making leaves, backward, reading a
    value, clearing gradients and the SGD update.
    """

    name = "abstract"

    def param(self, x: float) -> Any:
        """A trainable leaf (its gradient is wanted)."""
        raise NotImplementedError

    def leaf(self, x: float) -> Any:
        """An input leaf (the engine may skip its gradient)."""
        return self.param(x)

    def backward(self, root: Any) -> None:
        """Fill in ∂root/∂leaf for every leaf of root's graph."""
        root.backward()

    def item(self, v: Any) -> float:
        """The plain float inside a value."""
        return float(v.data)

    def grad(self, v: Any) -> float:
        """The gradient stored on a leaf."""
        return float(v.grad)

    def zero_grad(self, params: Sequence[Any]) -> None:
        """Clear the gradients of the parameters."""
        for p in params:
            p.grad = 0.0

    def sgd(self, params: Sequence[Any], lr: float) -> None:
        """One plain gradient-descent update: p ← p − lr·∂loss/∂p."""
        for p in params:
            p.data -= lr * p.grad

    def context(self) -> AbstractContextManager[Any]:
        """What each timed repetition runs inside (nothing, unless the engine opts into something)."""
        return nullcontext()


class Backproplab(Engine):
    """backproplab's `autograd.Value`, default interpreter settings."""

    name = "backproplab"

    def __init__(self) -> None:
        self.autograd = importlib.import_module("autograd")
        self.Value = self.autograd.Value

    def param(self, x: float) -> Any:
        return self.Value(x)


class BackproplabPaused(Backproplab):
    """backproplab with every repetition inside `autograd.pause_gc()` (opt-in)."""

    name = "backproplab-paused"

    def context(self) -> AbstractContextManager[Any]:
        manager: AbstractContextManager[Any] = self.autograd.pause_gc()
        return manager


class Micrograd(Engine):
    """micrograd's `micrograd.engine.Value` (its recursive sort needs a raised recursion limit)."""

    name = "micrograd"

    def __init__(self) -> None:
        sys.setrecursionlimit(max(sys.getrecursionlimit(), MICROGRAD_RECURSION_LIMIT))
        self.Value = importlib.import_module("micrograd.engine").Value

    def param(self, x: float) -> Any:
        return self.Value(x)

    def zero_grad(self, params: Sequence[Any]) -> None:
        for p in params:
            p.grad = 0


class MicrogradGcOff(Micrograd):
    """micrograd with Python's cyclic collector off during each repetition (workload 1 only).

    Its closures make a reference cycle per node, so with the collector on most of its time is
    the collector's; this row shows what remains, beside backproplab + pause_gc().
    """

    name = "micrograd-gc-off"

    def context(self) -> AbstractContextManager[Any]:
        return _collector_off()


@contextmanager
def _collector_off() -> Iterator[None]:
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


class Torch(Engine):
    """PyTorch with 0-dimensional float64 tensors: one tensor per scalar, as a scalar engine would."""

    name = "torch"

    def __init__(self) -> None:
        self.torch = importlib.import_module("torch")
        self.torch.set_num_threads(1)  # scalars never use the thread pool; keep it out of the way

    def param(self, x: float) -> Any:
        return self.torch.tensor(x, dtype=self.torch.float64, requires_grad=True)

    def leaf(self, x: float) -> Any:
        return self.torch.tensor(x, dtype=self.torch.float64)

    def item(self, v: Any) -> float:
        return float(v.item())

    def grad(self, v: Any) -> float:
        return 0.0 if v.grad is None else float(v.grad.item())

    def zero_grad(self, params: Sequence[Any]) -> None:
        for p in params:
            p.grad = None

    def sgd(self, params: Sequence[Any], lr: float) -> None:
        with self.torch.no_grad():
            for p in params:
                p -= lr * p.grad


def load_engine(name: str) -> Engine:
    """The adapter for an engine name from ENGINES ("backproplab-nn" uses the backproplab adapter)."""
    if name in ("backproplab", "backproplab-nn", *TRACED):
        return Backproplab()
    if name == "backproplab-paused":
        return BackproplabPaused()
    if name == "micrograd":
        return Micrograd()
    if name == "micrograd-gc-off":
        return MicrogradGcOff()
    if name == "torch":
        return Torch()
    raise ValueError(f"unknown engine {name!r}; the engines are {', '.join(ENGINES)}")


def versions() -> dict[str, str]:
    """Python's version and each installed engine's version (absent engines are left out)."""
    from importlib import metadata

    found = {"python": sys.version.split()[0]}
    for dist in ("backproplab", "micrograd", "torch"):
        with suppress(metadata.PackageNotFoundError):
            found[dist] = metadata.version(dist)
    return found
