"""`make bench`: backproplab against micrograd and PyTorch scalars, each engine in its own process.

Usage:
    python benchmarks/run.py              # the full run (a few minutes), writes benchmarks/results.md
    python benchmarks/run.py --quick      # three rounds, fewer repetitions (a few minutes)
    python benchmarks/run.py --output /tmp/results.md --json /tmp/results.json

Every (workload, engine) pair runs in a fresh process (benchmarks/workloads.py), and the engines
take turns — A B C A B C — so that a slow moment of the machine hits all of them alike; each
figure is the median over the rounds (separate processes). Ratios compare figures from the same
run. PyTorch is included when it can be imported.
"""

from __future__ import annotations

import argparse
import datetime
import importlib.util
import json
import os
import platform
import statistics
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
WORKER = HERE / "workloads.py"
sys.path.insert(0, str(HERE))

from engines import TRACED, versions  # noqa: E402  (sibling modules, found through the line above)
from report import TITLES, Report  # noqa: E402


@dataclass(frozen=True)
class Profile:
    """How big and how often: sizes per (workload, engine), repetitions, rounds."""

    name: str
    rounds: int
    mlp_points: int
    mlp_steps: dict[str, int]
    chain: dict[str, tuple[int, int]]  # engine → (N, repetitions)
    wide: dict[str, tuple[int, int]]  # engine → (number of products, repetitions)
    bytes_n: int
    scaling: dict[str, tuple[int, int]] = field(default_factory=dict)  # engine → (max nodes, node budget)


OURS = ("backproplab", "backproplab-paused")

_TRACED_STEPS = {"backproplab-traced": 50, "backproplab-traced-exact": 10}

FULL = Profile(
    name="full",
    rounds=5,
    mlp_points=100,
    mlp_steps={
        "backproplab": 10,
        "backproplab-paused": 10,
        "backproplab-nn": 10,
        "micrograd": 4,
        "micrograd-gc-off": 4,
        "torch": 4,
        **_TRACED_STEPS,
    },
    chain={
        "backproplab": (10**6, 1),
        "backproplab-paused": (10**6, 1),
        "micrograd": (10**4, 10),
        "torch": (10**5, 1),
    },
    wide={
        "backproplab": (10**5, 5),
        "backproplab-paused": (10**5, 5),
        "micrograd": (10**5, 2),
        "torch": (10**5, 1),
    },
    bytes_n=10**5,
    scaling={
        "backproplab": (10**6, 2 * 10**6),
        "backproplab-paused": (10**6, 2 * 10**6),
        "micrograd": (10**5, 4 * 10**5),
        "torch": (10**5, 2 * 10**5),
    },
)

QUICK = Profile(
    name="quick",
    rounds=3,
    mlp_points=100,
    mlp_steps={
        "backproplab": 4,
        "backproplab-paused": 4,
        "backproplab-nn": 4,
        "micrograd": 2,
        "micrograd-gc-off": 2,
        "torch": 2,
        "backproplab-traced": 20,
        "backproplab-traced-exact": 3,
    },
    chain={
        "backproplab": (10**6, 1),
        "backproplab-paused": (10**6, 1),
        "micrograd": (10**4, 5),
        "torch": (10**4, 2),
    },
    wide={
        "backproplab": (10**5, 2),
        "backproplab-paused": (10**5, 2),
        "micrograd": (10**5, 1),
        "torch": (10**4, 2),
    },
    bytes_n=10**5,
    scaling={
        "backproplab": (10**6, 10**6),
        "backproplab-paused": (10**6, 10**6),
        "micrograd": (10**4, 10**5),
        "torch": (10**4, 10**5),
    },
)

#: For the test suite: every code path, tiny sizes, a few seconds.
TINY = Profile(
    name="tiny",
    rounds=2,
    mlp_points=6,
    mlp_steps={
        "backproplab": 1,
        "backproplab-paused": 1,
        "backproplab-nn": 1,
        "micrograd": 1,
        "micrograd-gc-off": 1,
        "torch": 1,
        "backproplab-traced": 1,
        "backproplab-traced-exact": 1,
    },
    chain={e: (300, 2) for e in ("backproplab", "backproplab-paused", "micrograd", "torch")},
    wide={e: (200, 2) for e in ("backproplab", "backproplab-paused", "micrograd", "torch")},
    bytes_n=500,
    scaling={e: (10**4, 2 * 10**4) for e in ("backproplab", "backproplab-paused", "micrograd", "torch")},
)

PROFILES = {p.name: p for p in (FULL, QUICK, TINY)}


def available_engines() -> list[str]:
    """backproplab (default and with pause_gc), and micrograd and PyTorch when they can be imported."""
    engines = ["backproplab", "backproplab-paused"]
    engines += [name for name in ("micrograd", "torch") if importlib.util.find_spec(name) is not None]
    return engines


def has_nn_mlp() -> bool:
    """True when backproplab's own `nn.MLP` exists (it gets an extra row in workload 1)."""
    try:
        import nn
    except ImportError:
        return False
    return hasattr(nn, "MLP")


def run_worker(spec: dict[str, Any], timeout: float) -> dict[str, Any]:
    """Run one workload for one engine in a fresh interpreter and return its measurements."""
    proc = subprocess.run(
        [sys.executable, str(WORKER), json.dumps(spec)],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if proc.returncode != 0:
        last = proc.stderr.strip().splitlines()[-1:] or ["(no message)"]
        return {**spec, "error": f"exit code {proc.returncode}: {last[0]}"}
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def plan(profile: Profile, engines: Sequence[str], with_nn: bool) -> list[list[dict[str, Any]]]:
    """The runs, grouped per workload; within a group the engines take turns, round after round."""
    groups: list[list[dict[str, Any]]] = []
    mlp_engines = [*engines, "backproplab-nn"] if with_nn else list(engines)
    if "backproplab" in engines:
        mlp_engines += TRACED
    if "micrograd" in engines:  # the collector's share of micrograd's step, measured
        mlp_engines.append("micrograd-gc-off")
    per_workload: list[tuple[str, Sequence[str], Any]] = [
        ("mlp", mlp_engines, lambda e: (profile.mlp_points, profile.mlp_steps[e])),
        ("chain", engines, lambda e: profile.chain[e]),
        ("sum-pairwise", engines, lambda e: profile.wide[e]),
        ("sum-builtin", engines, lambda e: profile.wide[e]),
        ("bytes", [e for e in engines if e != "backproplab-paused"], lambda e: (profile.bytes_n, 1)),
        ("scaling", engines, lambda e: profile.scaling[e]),
    ]
    for workload, names, size_of in per_workload:
        rounds = 1 if workload == "bytes" else profile.rounds
        group = []
        for _ in range(rounds):
            for engine in names:
                size, reps = size_of(engine)
                group.append({"engine": engine, "workload": workload, "size": size, "reps": reps})
        groups.append(group)
    return groups


def median_of(results: Sequence[dict[str, Any]]) -> dict[tuple[str, str], dict[str, Any]]:
    """Merge the rounds: for each (workload, engine) the median of every timing (per size for scaling).

    Each round is a separate process; the rounds of the engines were interleaved (A B C A B C).
    """
    runs: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for r in results:
        runs.setdefault((r["workload"], r["engine"]), []).append(r)
    merged: dict[tuple[str, str], dict[str, Any]] = {}
    for key, rs in runs.items():
        ok = [r for r in rs if "error" not in r]
        if not ok:
            merged[key] = rs[0]
            continue
        m = {**ok[0], "rounds": len(ok)}
        for field_name in (
            "seconds",
            "gc_seconds",
            "wall_seconds",
            "setup_seconds",
            "peak_growth",
            "step_peak_bytes",
            "setup_peak_bytes",
        ):
            if field_name in ok[0]:
                m[field_name] = statistics.median(float(r[field_name]) for r in ok)
        if key[0] == "scaling":  # a new list: the raw results (--json) stay as measured
            m["rows"] = [
                {
                    **rows[0],
                    **{
                        f: statistics.median(float(row[f]) for row in rows)
                        for f in ("seconds", "gc_seconds", "wall_seconds")
                        if f in rows[0]
                    },
                }
                for rows in zip(*(r["rows"] for r in ok))
            ]
        merged[key] = m
    return merged


def machine_info(profile: Profile) -> dict[str, Any]:
    """CPU, cores, operating system, Python and package versions, date, load: the context of the numbers."""
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    return {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "system": f"{platform.system()} {platform.release()}",
        "implementation": platform.python_implementation(),
        "versions": versions(),
        "profile": profile.name,
        "load_at_start": load,
    }


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmarks, print the report and write it to --output."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="three rounds and fewer repetitions")
    parser.add_argument("--profile", choices=sorted(PROFILES), help="full, quick or tiny (tiny is for tests)")
    parser.add_argument("--output", type=Path, default=HERE / "results.md", help="where to write the report")
    parser.add_argument("--json", type=Path, help="also write the raw measurements as JSON")
    parser.add_argument("--engines", nargs="+", help="only these engines (default: all available)")
    parser.add_argument("--timeout", type=float, default=900.0, help="seconds allowed per worker process")
    args = parser.parse_args(argv)

    profile = PROFILES[args.profile] if args.profile else QUICK if args.quick else FULL
    available = available_engines()
    engines = available
    if args.engines:
        unknown = set(args.engines) - set(available)
        if unknown:
            parser.error(f"unknown or unavailable engines {sorted(unknown)}; available: {available}")
        engines = [e for e in available if e in args.engines]
    with_nn = has_nn_mlp() and "backproplab" in engines
    if "micrograd" not in available:
        print("micrograd is not installed: its rows are left out (pip install micrograd==0.1.0 to add them)")
    if "torch" not in available:
        print("PyTorch is not installed: its rows are left out (pip install torch==2.13.0 to add them)")

    info = machine_info(profile)
    info["rounds"] = profile.rounds
    results: list[dict[str, Any]] = []
    for group in plan(profile, engines, with_nn):
        for spec in group:
            print(f"  {spec['workload']:<13} {TITLES[spec['engine']]:<26} size {spec['size']}", flush=True)
            results.append(run_worker(spec, args.timeout))

    report = Report(info=info, best=median_of(results), engines=engines)
    report.compute_targets()
    text = report.markdown()
    print()
    print(text)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text, encoding="utf-8")
    print(f"written to {args.output}")
    if args.json:
        args.json.write_text(json.dumps({"info": info, "results": results}, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
