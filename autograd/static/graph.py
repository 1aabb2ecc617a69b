"""`trace(fn)`: record fn's graph once, then replay it as compiled straight-line Python (a static graph).

The lecture notes (part 3, 静态计算图和动态计算图) contrast static graphs (built once, then run;
Theano, TensorFlow) with dynamic ones (built as the program runs; PyTorch, backproplab's `Value`).
A trace turns the second into the first: fn runs once on Values, and the graph it records becomes a program
(see `autograd.static.codegen`) that `g()` runs again on the leaves' current values. The program is only
valid while fn would record the same graph, so every value fn reads while it is traced becomes a
guard, checked at each replay; a failed guard re-traces (see docs/static.md).
"""

from __future__ import annotations

import inspect
import time
import warnings
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from ..engine.backward import topological_order
from ..engine.flags import is_anomaly_enabled
from ..engine.value import Value
from .arguments import (
    TraceError,
    as_values,
    fill_back,
    flatten_values,
    freeze,
    leaves_for,
    shape_of,
    split_output,
)
from .codegen import Program, generate
from .guards import watching

__all__ = ["StaticGraph", "TraceError", "trace"]

_MAX_VARIANTS = 8  # traces kept per shape of the inputs (each with other guard outcomes)
_MAX_RETRACES = 8  # traces one batched call may make; rows still uncovered go to the dynamic engine


class _Variant:
    """One trace: its program, the leaves it reads and writes, the shape of its outputs."""

    def __init__(self, program: Program, params: list[Value], root: Value, aux: object, guards: int) -> None:
        self.program, self.params, self.root, self.aux, self.guards = program, params, root, aux, guards


class StaticGraph:
    """fn's graph, traced and compiled: call it to replay. Made by `autograd.trace`."""

    def __init__(
        self,
        fn: Callable[..., Any],
        args: Sequence[object],
        *,
        has_aux: bool,
        static_argnums: Sequence[int],
        batched: bool,
    ) -> None:
        if not callable(fn):
            raise TypeError(f"trace needs a function, got {type(fn).__name__}")
        self.fn, self.has_aux, self.batched = fn, bool(has_aux), bool(batched)
        if self.has_aux and self.batched:
            raise ValueError("has_aux is not supported with batched=True")
        self.nargs = len(args)
        self.static = frozenset(i if i >= 0 else i + self.nargs for i in static_argnums)
        if any(not 0 <= i < self.nargs for i in self.static):
            raise ValueError(
                f"static_argnums must name arguments 0…{self.nargs - 1}, got {tuple(static_argnums)}"
            )
        try:
            params = list(inspect.signature(fn).parameters)
        except (TypeError, ValueError):
            params = []
        self.arg_names = [params[i] if i < len(params) else f"arg{i}" for i in range(self.nargs)]
        self.name = fn.__name__ if getattr(fn, "__name__", "").isidentifier() else "replay"
        self.variants: dict[object, list[_Variant]] = {}
        self.traces = self.calls = self.guard_misses = 0
        self.setup_seconds = 0.0
        self._latest: _Variant | None = None
        self._warned = False
        if self.batched:  # trace the first sample now, so that a problem shows at once
            arrays = self._arrays(args)
            self._trace(
                [args[i] if i in self.static else arrays[i][0] for i in range(self.nargs)],
                self._batch_key(args, arrays),
            )
        else:
            self._trace(args, self._key(args)[0])

    # ---- the public face ---------------------------------------------------------------

    @property
    def retraces(self) -> int:
        """How many times fn was traced again after the first trace."""
        return self.traces - 1

    @property
    def output(self) -> Value:
        """The output node of the latest trace (values as traced): `autograd.draw(g.output)`."""
        return self._last().root

    def source(self) -> str:
        """The program of the latest trace: the forward pass, then the backward pass."""
        return self._last().program.source

    @property
    def stats(self) -> dict[str, int]:
        """Of the latest trace: nodes, constants, folded nodes, dead nodes, lines of code, guards."""
        return {**(v := self._last()).program.stats, "lines": v.program.lines, "guards": v.guards}

    def __repr__(self) -> str:
        kind = "batched " if self.batched else ""
        return f"<StaticGraph {self.name}: {kind}{self.traces} trace(s), {self.calls} call(s)>"

    def __call__(self, *args: object) -> Any:
        """Replay: recompute every node from the leaves' current .data and add ∂f/∂leaf to each .grad.

        Returns the output value (a batched graph: the mean over the samples), and with has_aux
        the auxiliary outputs, numbers in place of Values.
        """
        if len(args) != self.nargs:
            raise TypeError(f"{self.name} was traced with {self.nargs} argument(s), got {len(args)}")
        self.calls += 1
        if is_anomaly_enabled():  # anomaly mode checks every node: run the graph dynamically
            return self._dynamic(args)
        if self.batched:
            return self._call_batched(args)
        key, flat = self._key(args)
        for variant in self.variants.get(key, ()):
            result = self._run(variant, flat)
            if result is not None:
                return result
        variant = self._trace(args, key)
        result = self._run(variant, flat)
        if result is None:
            raise TraceError(
                f"{self.name}: the guards of a trace fail right after tracing: "
                "fn does not record the same graph twice"
            )
        return result

    # ---- replay --------------------------------------------------------------------------

    def _key(self, args: Sequence[object]) -> tuple[object, list[float]]:
        """Which traces fit these arguments (inputs' shapes, static arguments), and the inputs' numbers."""
        shapes = tuple(shape_of(self.arg_names[i], a) for i, a in enumerate(args) if i not in self.static)
        key = (shapes, tuple(freeze(args[i]) for i in sorted(self.static)))
        flat = [
            x
            for i, a in enumerate(args)
            if i not in self.static
            for x in np.ravel(np.asarray(a, dtype=np.float64)).tolist()
        ]
        return key, flat

    def _arrays(self, args: Sequence[object]) -> dict[int, Any]:
        arrays = {i: np.asarray(a, dtype=np.float64) for i, a in enumerate(args) if i not in self.static}
        sizes = {a.shape[0] if a.ndim else -1 for a in arrays.values()}
        if len(sizes) != 1 or -1 in sizes or 0 in sizes:
            raise ValueError(
                f"{self.name}: batched inputs must be arrays with the same number (≥ 1) of rows, "
                f"got shapes {[a.shape for a in arrays.values()]}: pass the whole batch, one row per "
                "sample in every argument (a label per row too), even when tracing"
            )
        return arrays

    def _batch_key(self, args: Sequence[object], arrays: dict[int, Any]) -> object:
        return (
            tuple(a.shape[1:] for a in arrays.values()),
            tuple(freeze(args[i]) for i in sorted(self.static)),
        )

    def _last(self) -> _Variant:
        if self._latest is None:
            raise TraceError("nothing was traced yet")
        return self._latest

    def _run(self, variant: _Variant, flat: list[float]) -> Any:
        params = variant.params
        try:
            out = variant.program.function(*flat, *[p.data for p in params], *([0.0] * len(params)))
        except (
            ArithmeticError,
            ValueError,
        ):  # re-trace: the engine names the node (or a new branch avoids it)
            return None
        if out is None:
            return None
        k = len(params)
        for p, g in zip(params, out[1 : 1 + k]):
            p.grad += g  # as backward() adds each leaf's ∂f/∂leaf, summed first, to its .grad
        if not self.has_aux:
            return out[0]
        return out[0], fill_back(variant.aux, list(out[1 + k :]))

    def _call_batched(self, args: Sequence[object]) -> float:
        arrays = self._arrays(args)
        n = len(next(iter(arrays.values())))
        columns = [col for i in sorted(arrays) for col in np.ascontiguousarray(arrays[i].reshape(n, -1).T)]
        key = self._batch_key(args, arrays)
        rows = np.arange(n)
        total = 0.0
        parts: list[tuple[list[Value], Any]] = []  # each group of rows: its trace's leaves and gradients
        retraces = 0
        dynamic: list[int] = []  # rows no trace accepts: the dynamic engine runs them
        try:
            while len(rows):
                for variant in self.variants.get(key, ()):
                    out = self._run_rows(variant, columns, rows, n)
                    part, rest = rows, rows[:0]
                    if out[0] is None:  # some samples take another branch: those go to another trace
                        ok = out[1]
                        if not ok.any():
                            continue
                        part, rest = rows[ok], rows[~ok]
                        out = self._run_rows(variant, columns, part, n)
                        if out[0] is None:
                            raise TraceError(f"{self.name}: a guard changed its mind on the same samples")
                    parts.append((variant.params, out[1 : 1 + len(variant.params)]))
                    total += float(np.sum(np.broadcast_to(out[0], (len(part),))))
                    rows = rest
                    break
                else:  # no trace fits the first remaining sample: trace it (a bounded number of times)
                    if retraces == _MAX_RETRACES:
                        dynamic += rows.tolist()
                        break
                    retraces += 1
                    sample = [args[i] if i in self.static else arrays[i][rows[0]] for i in range(self.nargs)]
                    variant = self._trace(sample, key)
                    if self._run_rows(variant, columns, rows[:1], n)[0] is None:
                        dynamic.append(int(rows[0]))  # its own trace refuses it: numpy and math disagree
                        rows = rows[1:]
        except FloatingPointError:  # an overflow, a division by zero, …: let the engine say where
            return float(self._dynamic(args))
        if dynamic:
            warnings.warn(
                f"{self.name}: no trace covers {len(dynamic)} of the {n} rows (the values fn reads "
                f"differ from row to row, and {_MAX_RETRACES} traces per call is the limit); the "
                "dynamic engine ran those rows",
                stacklevel=3,
            )
            total += self._dynamic_rows(args, arrays, dynamic, n)
        self._add(parts)
        return float(total / n)

    def _run_rows(self, variant: _Variant, columns: list[Any], rows: Any, n: int) -> Any:
        params = variant.params
        cols = columns if len(rows) == n else [c[rows] for c in columns]
        with np.errstate(over="raise", divide="raise", invalid="raise"):
            return variant.program.function(
                len(rows), 1.0 / n, *cols, *[p.data for p in params], *([0.0] * len(params))
            )

    @staticmethod
    def _add(parts: list[tuple[list[Value], Any]]) -> None:
        """Add each leaf's gradient, summed over the groups of rows first, to its .grad."""
        if len(parts) == 1:  # every row through one trace: nothing to sum
            for p, g in zip(*parts[0]):
                p.grad += float(g)
            return
        sums: dict[int, tuple[Value, float]] = {}
        for params, gs in parts:
            for p, g in zip(params, gs):
                sums[id(p)] = (p, float(g) + sums.get(id(p), (p, 0.0))[1])
        for p, g in sums.values():
            p.grad += g

    # ---- tracing -------------------------------------------------------------------------

    def _inputs(self, args: Sequence[object]) -> tuple[list[object], list[Value], list[str]]:
        return leaves_for(self.arg_names, self.static, args)

    def _split(self, out: object) -> tuple[Value, object]:
        return split_output(self.name, self.has_aux, out)

    def _trace(self, args: Sequence[object], key: object) -> _Variant:
        start = time.perf_counter()
        structured, inputs, names = self._inputs(args)
        root1, _ = self._split(self.fn(*structured))
        order1 = topological_order(root1)
        inputs_set = set(map(id, inputs))
        leaves1 = [v for v in order1 if v.is_leaf and not v.is_constant and id(v) not in inputs_set]
        with watching() as rec:
            root, aux = self._split(self.fn(*structured))
        order = topological_order(root)
        params = [v for v in order if v.is_leaf and not v.is_constant and id(v) not in inputs_set]
        if [id(v) for v in params] != [id(v) for v in leaves1]:
            new = [v for v in params if all(v is not w for w in leaves1)]
            what = f"the leaf {new[0]!r}" if new else "a different set of leaves"
            raise TraceError(
                f"{self.name} creates {what} each time it runs: a static graph replays the leaves it was "
                "traced with. Create parameters outside fn, and write constants as plain numbers."
            )
        if [v.op for v in order] != [v.op for v in order1]:
            raise TraceError(f"{self.name} records a different graph each time it runs (is it random?)")
        made_before = {v for v in order1 if not v.is_leaf}.intersection(order)
        if made_before:
            raise TraceError(
                f"{self.name} uses {next(iter(made_before))!r}, a node made before it was called: "
                "a replay recomputes every node from the leaves, so compute it inside fn"
            )
        extra = rec.read + flatten_values(aux)  # every Value fn read, a parameter outside the graph too
        full = list(order)
        seen = set(full)
        for r in extra:
            for v in topological_order(r):
                if v not in seen:
                    if v.is_leaf and not v.is_constant and id(v) not in inputs_set:
                        params.append(v)  # read only where fn branches: its gradient stays as it is
                    seen.add(v)
                    full.append(v)
        program = generate(
            full,
            root,
            inputs,
            names,
            params,
            flatten_values(aux),
            rec.guards,
            order,
            self.batched,
            self.name,
        )
        variant = _Variant(program, params, root, aux, len(rec.guards))
        if key in self.variants:
            self.guard_misses += 1
        kept = self.variants.setdefault(key, [])
        kept.append(variant)
        del kept[:-_MAX_VARIANTS]
        self._latest = variant
        self.traces += 1
        self.setup_seconds += time.perf_counter() - start
        if not self._warned and self.traces > 10 and self.traces * 2 > self.calls:
            self._warned = True
            warnings.warn(
                f"{self.name} was re-traced {self.retraces} times in {self.calls} calls "
                f"({self.guard_misses} times because a guard failed: its graph depends on the values it "
                f"reads; {self.retraces - self.guard_misses} times for new input shapes or static "
                "arguments), so the dynamic engine is faster here",
                stacklevel=3,
            )
        return variant

    def _dynamic_rows(self, args: Sequence[object], arrays: dict[int, Any], rows: list[int], n: int) -> float:
        """Σ fn(row) over these rows by the dynamic engine, adding ∂(Σ fn(row)/n)/∂leaf to each .grad."""
        terms = []
        for r in rows:
            sample = [args[i] if i in self.static else arrays[i][r] for i in range(self.nargs)]
            terms.append(self._split(self.fn(*as_values(self.static, sample)))[0])
        part = sum(terms[1:], terms[0])
        (part * (1.0 / n)).backward()
        return part.data

    def _dynamic(self, args: Sequence[object]) -> Any:
        """fn run by the dynamic engine, as without a trace (anomaly mode, or an error to report)."""
        if not self.batched:
            root, aux = self._split(self.fn(*as_values(self.static, args)))
            root.backward()
            if not self.has_aux:
                return root.data
            return root.data, fill_back(aux, [v.data for v in flatten_values(aux)])
        arrays = self._arrays(args)
        n = len(next(iter(arrays.values())))
        return self._dynamic_rows(args, arrays, list(range(n)), n) / n


def trace(
    fn: Callable[..., Any],
    *example_args: object,
    has_aux: bool = False,
    static_argnums: Sequence[int] = (),
    batched: bool = False,
) -> StaticGraph:
    """Trace fn into a static graph g; `g(*args)` replays it like `fn(*args).backward()`.

    fn builds a graph from the leaves it closes over (the parameters) and its arguments (the
    inputs: numbers or arrays of numbers, which fn receives as Values or nested lists of Values)
    and returns the output Value. g(*args) recomputes every node from the leaves' current .data
    and the new inputs, adds ∂f/∂leaf to each leaf's .grad exactly as fn(*args).backward() would
    (the same floats, added in the same order), and returns f's value.

    Args:
        fn: The function to trace.
        *example_args: Inputs to trace with; g takes inputs of the same shapes (other shapes trace again).
        has_aux: fn returns (output, aux); aux (Values in lists or tuples) comes back as numbers.
        static_argnums: Arguments passed to fn as they are (not as Values): a new value traces again.
        batched: fn computes one sample's output from one row of each (batched) argument; g(*arrays)
            runs that graph over all rows at once with numpy and returns the mean over the rows,
            adding the gradient of the mean (equal to the dynamic result up to rounding, ≈ 1e-15).

    Returns:
        A StaticGraph: call it, print `g.source()`, draw `g.output`.

    Raises:
        TraceError: fn creates a leaf each time it runs, or records different graphs.
    """
    return StaticGraph(fn, example_args, has_aux=has_aux, static_argnums=static_argnums, batched=batched)
