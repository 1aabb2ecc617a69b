"""Seeded random programs, traced and replayed, against the dynamic engine as the oracle.

Each program is a random graph over two inputs and three parameters: every primitive, operands
reused (a + a, fan-out), Python `if`s on inputs, on parameters and on computed nodes, parameters
changed between replays. Scalar replays must equal `fn(x).backward()` bit for bit (docs/static.md
promises it); batched replays the dynamic mean to 1e-12; both again with four threads at once.
"""

from __future__ import annotations

import random
import threading
import warnings
from collections.abc import Callable

import pytest

from autograd import Value, trace

Fn = Callable[..., Value]

# Each step reads one or two earlier nodes; the argument of exp, log, 1/x and ** is kept in range.
_UNARY: dict[str, Callable[[Value], Value]] = {
    "neg": lambda a: -a,
    "exp": lambda a: a.tanh().exp(),
    "log": lambda a: (a * a + 1.0).log(),
    "reciprocal": lambda a: (a * a + 1.0).reciprocal(),
    "relu": lambda a: a.relu(),
    "tanh": lambda a: a.tanh(),
    "sin": lambda a: a.sin(),
    "cos": lambda a: a.cos(),
    "pow": lambda a: (a * a + 0.5) ** 1.5,
    "sigmoid": lambda a: a.sigmoid(),
}
_BINARY: dict[str, Callable[[Value, Value], Value]] = {
    "add": lambda a, b: a + b,
    "mul": lambda a, b: a * b,
    "sub": lambda a, b: a - b,
    "div": lambda a, b: a / (b * b + 1.0),
    "const": lambda a, b: 2.5 * a + 1.0,
}


def _program(seed: int, params: list[Value]) -> Fn:
    """A random fn(x) for x a pair of inputs, closing over params (the same seed, the same fn)."""
    rng = random.Random(seed)
    steps: list[tuple[str, ...]] = []
    size = 5  # x₀, x₁ and the three parameters
    for _ in range(rng.randint(4, 14)):
        if rng.random() < 0.2:  # a Python if on an input, a parameter or a computed node
            test = str(rng.randrange(size))
            steps.append(("if", test, rng.choice(list(_BINARY)), rng.choice(list(_UNARY))))
        elif rng.random() < 0.5:
            steps.append((rng.choice(list(_UNARY)),))
        else:
            steps.append((rng.choice(list(_BINARY)),))
        steps[-1] += (str(rng.randrange(size)), str(rng.randrange(size)))
        size += 1
    outputs = rng.sample(range(size), k=min(3, size))
    taken: list[bool] = []  # which way each if went, for the test that both ways are met

    def fn(x: list[Value]) -> Value:
        nodes = [*x, *params]
        for step in steps:
            a, b = nodes[int(step[-2])], nodes[int(step[-1])]
            if step[0] == "if":
                test = nodes[int(step[1])]
                taken.append(test.data > 0.1)
                nodes.append(_BINARY[step[2]](a, b) if taken[-1] else _UNARY[step[3]](a))
            elif step[0] in _UNARY:
                nodes.append(_UNARY[step[0]](a))
            else:
                nodes.append(_BINARY[step[0]](a, b))
        out = nodes[outputs[0]]
        for k in outputs[1:]:
            out = out + nodes[k]
        return out * 1.0  # the output is always a node, never a leaf

    fn.taken = taken  # type: ignore[attr-defined]
    return fn


def _dynamic(fn: Fn, params: list[Value], rows: list[list[float]]) -> tuple[float, list[float]]:
    """The dynamic engine's mean of fn over rows, and ∂mean/∂p: the oracle."""
    for p in params:
        p.grad = 0.0
    terms = [fn([Value(v) for v in row]) for row in rows]
    total = terms[0] if len(terms) == 1 else sum(terms[1:], terms[0]) * (1.0 / len(terms))
    total.backward()
    return total.data, [p.grad for p in params]


def _check_program(seed: int) -> int:
    """Trace program `seed` scalar and batched, replay it under changes, compare: the replays made."""
    rng = random.Random(seed + 10_000)
    params = [Value(rng.uniform(-1.5, 1.5), f"p{k}") for k in range(3)]
    fn = _program(seed, params)
    draw = lambda: [rng.uniform(-2.0, 2.0), rng.uniform(-2.0, 2.0)]  # noqa: E731
    g = trace(fn, draw())
    replays = 0
    for _ in range(4):
        x = draw()
        if rng.random() < 0.5:  # a parameter changed between replays
            rng.choice(params).data = rng.uniform(-1.5, 1.5)
        want, grads = _dynamic(fn, params, [x])
        for p in params:
            p.grad = 0.0
        got = g(x)
        assert (got, [p.grad for p in params]) == (want, grads), f"program {seed}, x = {x}"
        replays += 1
    rows = [draw() for _ in range(rng.randint(1, 12))]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # rows no trace covers run dynamically, with a warning
        gb = trace(fn, rows, batched=True)
        for _ in range(2):
            rng.choice(params).data = rng.uniform(-1.5, 1.5)
            want, grads = _dynamic(fn, params, rows)
            for p in params:
                p.grad = 0.0
            got = gb(rows)
            assert got == pytest.approx(want, rel=1e-12, abs=1e-12), f"batched program {seed}"
            assert [p.grad for p in params] == pytest.approx(grads, rel=1e-12, abs=1e-12), f"batched {seed}"
            replays += 1
    return replays


@pytest.mark.parametrize("block", range(4))
def test_random_programs_replay_as_the_dynamic_engine(block: int) -> None:
    replays = sum(_check_program(seed) for seed in range(block * 150, (block + 1) * 150))
    assert replays == 150 * 6


def test_random_programs_in_four_threads_at_once() -> None:
    errors: list[BaseException] = []

    def work(first: int) -> None:
        try:
            for seed in range(first, first + 60):
                _check_program(seed)
        except BaseException as error:  # reported by the main thread
            errors.append(error)

    threads = [threading.Thread(target=work, args=(1000 + 100 * k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "a replay did not return"
    assert not errors, errors[0]


def test_the_programs_use_every_primitive_and_branch() -> None:
    """The generator is not vacuous: its graphs hold every primitive, and its ifs go both ways."""
    seen: set[str] = set()
    taken: list[bool] = []
    for seed in range(240):
        fn = _program(seed, [Value(0.3), Value(-0.7), Value(1.1)])
        stack, done = [fn([Value(0.5), Value(-1.5)])], set()
        taken += fn.taken  # type: ignore[attr-defined]
        while stack:
            v = stack.pop()
            if id(v) not in done:
                done.add(id(v))
                seen.add(v.op)
                stack.extend(v.parents)
    assert {"add", "mul", "neg", "exp", "reciprocal", "log", "relu", "tanh", "sin", "cos", "pow"} <= seen
    assert 50 < sum(taken) < len(taken) - 50
