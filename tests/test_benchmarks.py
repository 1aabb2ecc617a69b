"""The benchmarks run end to end on tiny sizes (no timing is checked); pause_gc() restores the collector."""

from __future__ import annotations

import gc
import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

import autograd
from autograd import Value

ROOT = Path(__file__).resolve().parent.parent
BENCHMARKS = ROOT / "benchmarks"


def load(name: str) -> ModuleType:
    """Import benchmarks/<name>.py (the folder is a set of scripts, not a package)."""
    sys.path.insert(0, str(BENCHMARKS))
    try:
        spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCHMARKS / f"{name}.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module  # dataclasses look their module up there
        spec.loader.exec_module(module)
        return module
    finally:
        sys.path.remove(str(BENCHMARKS))


@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    """`benchmarks/run.py --profile tiny`, as `make bench` would run it, writing to a temporary folder."""
    out = tmp_path_factory.mktemp("bench")
    report, raw = out / "results.md", out / "results.json"
    proc = subprocess.run(
        [
            sys.executable,
            str(BENCHMARKS / "run.py"),
            "--profile",
            "tiny",
            "--output",
            str(report),
            "--json",
            str(raw),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    return report, json.loads(raw.read_text(encoding="utf-8"))


def expected_engines() -> set[str]:
    engines = {"backproplab", "backproplab-paused", "micrograd"}
    if importlib.util.find_spec("torch") is not None:
        engines.add("torch")
    return engines


def test_every_engine_measures_every_workload(tiny_run: tuple[Path, dict[str, Any]]) -> None:
    _, raw = tiny_run
    results = raw["results"]
    assert not [r for r in results if "error" in r]
    for workload in ("mlp", "chain", "sum-pairwise", "sum-builtin", "bytes", "scaling"):
        engines = {r["engine"] for r in results if r["workload"] == workload}
        expected = expected_engines() - ({"backproplab-paused"} if workload == "bytes" else set())
        if workload == "mlp":
            expected |= {"backproplab-traced", "backproplab-traced-exact", "micrograd-gc-off"}
        assert expected <= engines, workload
    mlp = {r["engine"]: r for r in results if r["workload"] == "mlp"}
    for engine in ("backproplab-traced", "backproplab-traced-exact"):  # the same demo, traced
        assert mlp[engine]["setup_seconds"] > 0.0 and mlp[engine]["peak_growth"] >= 0
        assert mlp[engine]["check"] == pytest.approx(mlp["backproplab"]["check"], rel=1e-12)
    assert mlp["backproplab-traced"]["step_peak_bytes"] > 0 and mlp["backproplab"]["step_peak_bytes"] > 0
    assert mlp["backproplab-traced-exact"]["check"] == mlp["backproplab"]["check"]
    for r in results:
        if r["workload"] in ("mlp", "chain", "sum-pairwise", "sum-builtin"):
            assert r["seconds"] > 0.0
        elif r["workload"] == "scaling":
            assert [row["nodes"] for row in r["rows"]] == [1000, 10000]
            assert all(row["seconds"] > 0.0 for row in r["rows"])
        else:
            assert r["traced"] > 0.0 or r["engine"] == "torch"


def test_engines_agree_on_the_numbers(tiny_run: tuple[Path, dict[str, Any]]) -> None:
    """The same model code and weights on every engine: same loss, same gradients."""
    _, raw = tiny_run
    for workload in ("mlp", "chain", "sum-pairwise", "sum-builtin"):
        checks = {r["engine"]: r["check"] for r in raw["results"] if r["workload"] == workload}
        reference = checks["micrograd"]
        for engine, value in checks.items():
            if engine != "backproplab-nn":  # backproplab's own nn.MLP starts from other weights
                assert value == pytest.approx(reference, rel=1e-9), (workload, engine)


def test_report_is_written(tiny_run: tuple[Path, dict[str, Any]]) -> None:
    report, _ = tiny_run
    text = report.read_text(encoding="utf-8")
    assert text.startswith("# Benchmarks")
    for needle in (
        "Python 3.",
        "| target | goal | backproplab |",
        "slowest ÷ fastest",
        "vs micrograd",
        "in GC",
    ):
        assert needle in text
    # the targets are judged, by default and with pause_gc(): a number and a verdict in each column
    target_rows = [
        line for line in text.splitlines() if line.startswith(("| 1. demo", "| 4. bytes", "| 5. ns"))
    ]
    assert len(target_rows) == 3
    for row in target_rows:
        cells = [c.strip() for c in row.strip("|").split("|")]
        assert cells[3] in ("yes", "NO") and cells[5] in ("yes", "NO"), row


def test_the_wide_sum_two_ways_and_the_chain_by_hand() -> None:
    workloads = load("workloads")
    engine = workloads.load_engine("backproplab")
    ws, xs = workloads.wide_leaves(engine, 7)
    expected = [x.data for x in xs]
    workloads.wide_sum(engine, ws, xs, "pairwise")
    assert [w.grad for w in ws] == pytest.approx(expected, rel=1e-12)  # ∂(Σ wᵢxᵢ)/∂wᵢ = xᵢ
    workloads.wide_sum(engine, ws, xs, "builtin")
    assert [w.grad for w in ws] == pytest.approx([2 * x for x in expected], rel=1e-12)
    # y ← 0.9·y + 0.1 from y₀ = 0.5: y₁ = 0.55, y₂ = 0.595; ∂y₂/∂c = y₁ + c·y₀ = 0.55 + 0.45 = 1.0
    assert workloads.deep_chain(engine, 2) == pytest.approx(1.0, rel=1e-12)
    assert workloads.pairwise_sum([1, 2, 3, 4, 5]) == 15


def test_two_moons_is_balanced_and_reproducible() -> None:
    workloads = load("workloads")
    points, labels = workloads.two_moons(10)
    assert (points, labels) == workloads.two_moons(10)
    assert labels.count(1.0) == labels.count(-1.0) == 5 and len(points) == 10


def test_median_of_takes_the_median_round_and_leaves_the_raw_results_alone() -> None:
    run = load("run")

    def scaling(seconds: tuple[float, float]) -> dict[str, Any]:
        rows = [{"nodes": n, "seconds": t} for n, t in zip((1000, 10000), seconds)]
        return {"workload": "scaling", "engine": "backproplab", "rows": rows}

    def chain(seconds: float, setup: float) -> dict[str, Any]:
        return {"workload": "chain", "engine": "backproplab", "seconds": seconds, "setup_seconds": setup}

    results = [scaling((2.0, 3.0)), scaling((1.0, 4.0)), scaling((9.0, 3.5))]
    results += [
        chain(5.0, 1.0),
        chain(60.0, 3.0),
        chain(6.0, 2.0),
        {"workload": "chain", "engine": "x", "error": "e"},
    ]
    raw = json.dumps(results)
    median = run.median_of(results)
    assert [row["seconds"] for row in median["scaling", "backproplab"]["rows"]] == [2.0, 3.5]
    assert median["chain", "backproplab"]["seconds"] == 6.0  # not the best (5.0), not the mean
    assert median["chain", "backproplab"]["setup_seconds"] == 2.0
    assert median["chain", "backproplab"]["rounds"] == 3
    assert "error" in median["chain", "x"]
    assert json.dumps(results) == raw  # what --json writes is what was measured


def test_count_formatting() -> None:
    report = load("report")
    assert [report.fmt_count(n) for n in (337, 1000, 20000, 10**6, 4906)] == [
        "337",
        "10³",
        "2·10⁴",
        "10⁶",
        "4,906",
    ]


# ---- autograd.pause_gc() ---------------------------------------------------------------------


def test_pause_gc_switches_the_collector_off_and_back_on() -> None:
    assert gc.isenabled()
    with autograd.pause_gc():
        assert not gc.isenabled()
        y = Value(2.0) * Value(3.0) + 1
        y.backward()
    assert gc.isenabled()
    assert y.data == 7.0


def test_pause_gc_restores_the_collector_after_an_exception() -> None:
    with pytest.raises(ZeroDivisionError), autograd.pause_gc():
        Value(0.0).reciprocal()
    assert gc.isenabled()


def test_pause_gc_leaves_a_disabled_collector_disabled() -> None:
    gc.disable()
    try:
        with autograd.pause_gc():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_pause_gc_nests() -> None:
    with autograd.pause_gc():
        with autograd.pause_gc():
            pass
        assert not gc.isenabled()
    assert gc.isenabled()
