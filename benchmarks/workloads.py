"""The benchmark workloads, written once for every engine, and the worker that runs one of them.

Each engine (backproplab, micrograd, PyTorch on 0-dimensional float64 tensors) is wrapped in a
small adapter with the same few methods, and every workload is written against that adapter, so
the arithmetic is identical for all engines. `benchmarks/run.py` starts this file once per
(workload, engine, round) in a fresh process:

    python benchmarks/workloads.py '{"engine": "micrograd", "workload": "chain", "size": 10000, "reps": 5}'

and reads one line of JSON from its standard output.
"""

from __future__ import annotations

import gc
import importlib
import json
import math
import os
import random
import sys
import time
import tracemalloc
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from engines import TRACED, Backproplab, Engine, load_engine

# ---- workload 1: micrograd's demo step ------------------------------------------------------


def two_moons(n: int, noise: float = 0.1, seed: int = 0) -> tuple[list[list[float]], list[float]]:
    """n points on two interleaved half circles, labelled +1 (upper moon) and −1 (lower moon)."""
    rng = random.Random(seed)
    points: list[list[float]] = []
    labels: list[float] = []
    for i in range(n):
        t = math.pi * rng.random()
        if i % 2 == 0:
            x, y, label = math.cos(t), math.sin(t), 1.0
        else:
            x, y, label = 1.0 - math.cos(t), 0.5 - math.sin(t), -1.0
        points.append([x + rng.gauss(0.0, noise), y + rng.gauss(0.0, noise)])
        labels.append(label)
    return points, labels


class Neuron:
    """relu(b + Σ wᵢ·xᵢ), or the bare sum for the output neuron — micrograd's neuron, per engine."""

    def __init__(self, engine: Engine, nin: int, nonlinear: bool, rng: random.Random) -> None:
        self.w = [engine.param(rng.uniform(-1.0, 1.0)) for _ in range(nin)]
        self.b = engine.param(0.0)
        self.nonlinear = nonlinear

    def __call__(self, x: Sequence[Any]) -> Any:
        act = sum((wi * xi for wi, xi in zip(self.w, x)), self.b)
        return act.relu() if self.nonlinear else act


class MLP:
    """Fully connected layers of Neurons; relu everywhere except the last layer."""

    def __init__(self, engine: Engine, nin: int, nouts: Sequence[int], seed: int = 1) -> None:
        rng = random.Random(seed)
        sizes = [nin, *nouts]
        self.layers = [
            [Neuron(engine, sizes[i], i < len(nouts) - 1, rng) for _ in range(sizes[i + 1])]
            for i in range(len(nouts))
        ]

    def __call__(self, x: Sequence[Any]) -> Any:
        for layer in self.layers:
            x = [neuron(x) for neuron in layer]
        return x[0] if len(x) == 1 else x

    def parameters(self) -> list[Any]:
        return [p for layer in self.layers for n in layer for p in [*n.w, n.b]]


class NNModel:
    """backproplab's own `nn.MLP`, behind the same three calls as MLP above."""

    def __init__(self, nin: int, nouts: Sequence[int], seed: int = 1) -> None:
        self.model = importlib.import_module("nn").MLP(nin, list(nouts), seed=seed)

    def __call__(self, x: Sequence[Any]) -> Any:
        return self.model(x)

    def parameters(self) -> list[Any]:
        params: list[Any] = self.model.parameters()
        return params


def demo_loss(engine: Engine, model: Any, points: Sequence[Sequence[float]], labels: Sequence[float]) -> Any:
    """micrograd's demo loss: mean max-margin loss max(0, 1 − yᵢ·scoreᵢ) plus 1e-4·Σp²."""
    inputs = [[engine.leaf(v) for v in point] for point in points]
    scores = [model(x) for x in inputs]
    losses = [(1 + -yi * si).relu() for yi, si in zip(labels, scores)]
    data_loss = sum(losses) * (1.0 / len(losses))
    reg_loss = 1e-4 * sum(p * p for p in model.parameters())
    return data_loss + reg_loss


def demo_step(
    engine: Engine, model: Any, points: Sequence[Sequence[float]], labels: Sequence[float], k: int
) -> float:
    """Step k of micrograd's demo: forward, zero_grad, backward, SGD (decaying rate); returns the loss."""
    total = demo_loss(engine, model, points, labels)
    params = model.parameters()
    engine.zero_grad(params)
    engine.backward(total)
    engine.sgd(params, 1.0 - 0.9 * k / 100)
    return engine.item(total)


def traced_demo(
    engine: Engine, model: Any, points: Sequence[Sequence[float]], labels: Sequence[float], exact: bool
) -> Any:
    """The demo loss traced once with `autograd.trace`: the same arithmetic as demo_loss.

    exact: the whole batch's graph as one program (the same floats as demo_loss, bit for bit);
    otherwise one sample's loss, max(0, 1 − y·score) + 1e-4·Σp², replayed across the batch with
    numpy (its mean is demo_loss, up to rounding).
    """
    trace = engine.autograd.trace  # type: ignore[attr-defined]
    params = model.parameters()

    def whole_batch(xs: Sequence[Sequence[Any]]) -> Any:
        scores = [model(x) for x in xs]
        losses = [(1 + -yi * si).relu() for yi, si in zip(labels, scores)]
        return sum(losses) * (1.0 / len(losses)) + 1e-4 * sum(p * p for p in params)

    def one_sample(x: Sequence[Any], y: Any) -> Any:
        return (1 + -y * model(x)).relu() + 1e-4 * sum(p * p for p in params)

    if exact:
        return trace(whole_batch, points)
    return trace(one_sample, points, labels, batched=True)


def traced_step(
    engine: Engine, g: Any, model: Any, points: Sequence[Sequence[float]], labels: Sequence[float], k: int
) -> float:
    """Step k of the demo through a trace: zero_grad, replay (forward and backward), SGD."""
    params = model.parameters()
    engine.zero_grad(params)
    loss = float(g(points) if not g.batched else g(points, labels))
    engine.sgd(params, 1.0 - 0.9 * k / 100)
    return loss


def traced_peaks(
    engine: Engine, engine_name: str, model: Any, points: Sequence[Sequence[float]], labels: Sequence[float]
) -> dict[str, int]:
    """tracemalloc's peak of one more (untimed) demo step, and for a trace of setting it up again.

    Not for the whole-batch trace: tracemalloc looks up the line of every allocation, which is slow
    in a function of 130,000 lines (its peak_growth, from the resident memory, stands instead).
    """
    peaks: dict[str, int] = {}
    gc.collect()
    tracemalloc.start()
    try:
        g = None
        if engine_name in TRACED:
            g = traced_demo(engine, model, points, labels, exact=False)
            peaks["setup_peak_bytes"] = tracemalloc.get_traced_memory()[1]
            tracemalloc.reset_peak()
        base = tracemalloc.get_traced_memory()[0]
        if g is not None:
            traced_step(engine, g, model, points, labels, 99)
        else:
            demo_step(engine, model, points, labels, 99)
        peaks["step_peak_bytes"] = tracemalloc.get_traced_memory()[1] - base
    finally:
        tracemalloc.stop()
    return peaks


def peak_resident() -> int:
    """The largest resident memory this process has had, in bytes (Linux's ru_maxrss is in KiB)."""
    import resource

    return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss) * 1024


# ---- workloads 2 and 3: a deep chain, a wide sum --------------------------------------------


def deep_chain(engine: Engine, n: int) -> float:
    """y ← y·c + d, n times (2n nodes, each depending on the one before), then backward; returns ∂y/∂c."""
    c = engine.param(0.9)
    d = engine.param(0.1)
    y = engine.param(0.5)
    for _ in range(n):
        y = y * c + d
    engine.backward(y)
    return engine.grad(c)


def chain_body(engine: Engine, n: int) -> Callable[[int], float]:
    """One timed repetition of the deep chain of length n."""
    return lambda k: deep_chain(engine, n)


def pairwise_sum(terms: Sequence[Any]) -> Any:
    """Add neighbours level by level, a balanced tree of depth log₂ n."""
    level = list(terms)
    while len(level) > 1:
        paired = [level[i] + level[i + 1] for i in range(0, len(level) - 1, 2)]
        if len(level) % 2:
            paired.append(level[-1])
        level = paired
    return level[0]


def wide_sum(engine: Engine, ws: Sequence[Any], xs: Sequence[Any], how: str) -> float:
    """Σ wᵢ·xᵢ with builtin sum() (a chain from 0) or pairwise (a tree), then backward; returns ∂sum/∂w₀."""
    before = engine.grad(ws[0])
    products = [w * x for w, x in zip(ws, xs)]
    total = sum(products) if how == "builtin" else pairwise_sum(products)
    engine.backward(total)
    return engine.grad(ws[0]) - before


def wide_leaves(engine: Engine, n: int) -> tuple[list[Any], list[Any]]:
    """The 2n leaves of the wide sum: weights wᵢ (trainable) and inputs xᵢ."""
    rng = random.Random(2)
    ws = [engine.param(rng.uniform(-1.0, 1.0)) for _ in range(n)]
    xs = [engine.leaf(rng.uniform(-1.0, 1.0)) for _ in range(n)]
    return ws, xs


# ---- timing and memory ----------------------------------------------------------------------


#: The benchmark clock: this process's CPU time (user + system). The engines are single-threaded,
#: so on a quiet machine it equals the wall-clock time, and other programs running at the same
#: time disturb it far less.
CLOCK = time.process_time


class CollectorClock:
    """Adds up the time Python's cyclic garbage collector runs, through `gc.callbacks`."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.collections = 0
        self._started = 0.0

    def __call__(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._started = CLOCK()
        else:
            self.seconds += CLOCK() - self._started
            self.collections += 1


def time_reps(engine: Engine, body: Callable[[int], float], reps: int) -> dict[str, float]:
    """Run body(0), …, body(reps − 1), each inside engine.context(); return the timings per repetition.

    The clock covers every repetition and one final `gc.collect()` when the collector is on, so
    garbage an engine leaves for the cyclic collector is paid for here and not by whoever runs
    next. Returns seconds, gc_seconds (the part spent in the collector), wall_seconds, and check,
    the last repetition's result.
    """
    result = math.nan
    gc.collect()  # start clean: garbage from setting up (or from a warm-up step) is not timed
    collector = CollectorClock()
    gc.callbacks.append(collector)
    try:
        wall, start = time.perf_counter(), CLOCK()
        for k in range(reps):
            with engine.context():
                result = body(k)
        if gc.isenabled():
            gc.collect()
        seconds, wall = CLOCK() - start, time.perf_counter() - wall
    finally:
        gc.callbacks.remove(collector)
    return {
        "seconds": seconds / reps,
        "gc_seconds": collector.seconds / reps,
        "wall_seconds": wall / reps,
        "check": result,
    }


def resident_bytes() -> int | None:
    """This process's resident memory from /proc (Linux); None elsewhere."""
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None


def graph_bytes(engine: Engine, n: int) -> dict[str, float | None]:
    """Bytes per node of the wide builtin sum(): what building its 2n op nodes takes and keeps.

    `traced` is tracemalloc's count of memory taken from Python's allocators and still held after
    the forward pass (PyTorch allocates its tensors in C++, out of tracemalloc's sight, so its
    figure is only the Python-side part); `resident` is the growth of the process's resident
    memory over the same forward pass, measured first and without tracemalloc (it includes
    allocator slack, so read it as an upper bound).
    """
    ws, xs = wide_leaves(engine, n)
    nodes = 2 * n  # n products and n additions (the first one adds the start value 0)

    def forward() -> Any:
        return sum([w * x for w, x in zip(ws, xs)])  # the graph keeps every product alive

    gc.collect()
    rss_before = resident_bytes()
    total = forward()
    rss_after = resident_bytes()
    del total
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    total = forward()
    traced = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    del total
    resident = None if rss_before is None or rss_after is None else (rss_after - rss_before) / nodes
    return {"traced": traced / nodes, "resident": resident}


def scaling_sizes(max_nodes: int) -> Iterator[int]:
    """10³, 10⁴, … nodes up to max_nodes."""
    nodes = 1000
    while nodes <= max_nodes:
        yield nodes
        nodes *= 10


def run(spec: dict[str, Any]) -> dict[str, Any]:
    """Run one workload for one engine as spec says; return what was measured."""
    engine_name = spec["engine"]
    workload = spec["workload"]
    size = int(spec["size"])
    reps = int(spec.get("reps", 1))
    engine = load_engine(engine_name)
    out: dict[str, Any] = {"engine": engine_name, "workload": workload, "size": size, "reps": reps}

    if workload == "mlp":
        points, labels = two_moons(size)
        nn_model = engine_name == "backproplab-nn"
        model: Any = NNModel(2, [16, 16, 1]) if nn_model else MLP(engine, 2, [16, 16, 1])
        gc.collect()
        resident_before = peak_resident()
        if engine_name in TRACED:  # trace + compile, timed on its own, then replayed
            start = CLOCK()
            g = traced_demo(engine, model, points, labels, exact=engine_name.endswith("exact"))
            out["setup_seconds"] = CLOCK() - start
            out["check"] = traced_step(engine, g, model, points, labels, 0)  # warm-up step, not timed
            timing = time_reps(engine, lambda k: traced_step(engine, g, model, points, labels, k + 1), reps)
        else:
            out["check"] = demo_step(engine, model, points, labels, 0)  # warm-up step, not timed
            timing = time_reps(engine, lambda k: demo_step(engine, model, points, labels, k + 1), reps)
        out.update(timing, check=out["check"])
        out["peak_growth"] = peak_resident() - resident_before
        if isinstance(engine, Backproplab) and engine_name != "backproplab-traced-exact":
            out.update(traced_peaks(engine, engine_name, model, points, labels))
        if isinstance(engine, Backproplab):  # the graph's size, counted once by backproplab itself
            root = demo_loss(engine, model, points, labels)
            out["nodes"] = len(engine.autograd.topological_order(root))
    elif workload == "chain":
        out.update(time_reps(engine, chain_body(engine, size), reps))
        out["nodes"] = 2 * size
    elif workload in ("sum-builtin", "sum-pairwise"):
        ws, xs = wide_leaves(engine, size)
        how = workload.removeprefix("sum-")
        out.update(time_reps(engine, lambda k: wide_sum(engine, ws, xs, how), reps))
        out["nodes"] = 2 * size - (how == "pairwise")
    elif workload == "bytes":
        with engine.context():
            out.update(graph_bytes(engine, size))
        out["nodes"] = 2 * size
    elif workload == "scaling":
        rows = []
        for nodes in scaling_sizes(size):
            n_reps = max(1, reps // nodes)  # about `reps` nodes processed at every size
            timing = time_reps(engine, chain_body(engine, nodes // 2), n_reps)
            rows.append({"nodes": nodes, "reps": n_reps, **timing})
        out["rows"] = rows
    else:
        workloads = "mlp, chain, sum-pairwise, sum-builtin, bytes, scaling"
        raise ValueError(f"unknown workload {workload!r}; the workloads are {workloads}")
    return out


if __name__ == "__main__":
    print(json.dumps(run(json.loads(sys.argv[1]))))
