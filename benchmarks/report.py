"""The report `make bench` writes: the results table, the targets, the static and scaling tables."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from engines import TRACED

#: Names shown in the tables.
TITLES = {
    "backproplab": "backproplab",
    "backproplab-paused": "backproplab + pause_gc()",
    "backproplab-nn": "backproplab nn.MLP",
    "backproplab-traced": "backproplab trace(): one sample's graph across the batch (numpy)",
    "backproplab-traced-exact": "backproplab trace(): the whole batch as straight-line Python",
    "micrograd": "micrograd",
    "micrograd-gc-off": "micrograd, collector off",
    "torch": "PyTorch (0-dim float64)",
}

WORKLOAD_TITLES = {
    "mlp": "1. micrograd's demo step, MLP 2-16-16-1 on two moons",
    "chain": "2. deep chain y = y·c + d",
    "sum-pairwise": "3a. wide sum of products, pairwise",
    "sum-builtin": "3b. wide sum of products, builtin sum()",
}


def ns_per_node(r: dict[str, Any]) -> float | None:
    """Nanoseconds per graph node, when the run succeeded and the node count is known."""
    if "error" in r or not r.get("nodes"):
        return None
    return 1e9 * float(r["seconds"]) / float(r["nodes"])


def verdict(met: bool | None) -> str:
    """ "yes", "NO" or "—" (not measured)."""
    return "—" if met is None else "yes" if met else "NO"


def gc_share(r: dict[str, Any]) -> str:
    """The share of the time spent in Python's cyclic garbage collector, "37%"."""
    if not r.get("seconds") or "gc_seconds" not in r:
        return ""
    return f"{100 * r['gc_seconds'] / r['seconds']:.0f}%"


def fmt_time(seconds: float) -> str:
    """0.0123 → "12.3 ms"."""
    if seconds >= 1.0:
        return f"{seconds:.2f} s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.1f} ms"
    return f"{seconds * 1e6:.0f} µs"


def fmt_ratio(x: float | None) -> str:
    """A speed ratio, "12.3×", or "—" when not measured."""
    return "—" if x is None else f"{x:.1f}×"


def fmt_count(n: int) -> str:
    """1000000 → "10⁶", 20000 → "2·10⁴", 337 → "337"."""
    superscripts = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
    if n < 1000:
        return str(n)
    exponent = len(str(n)) - 1
    mantissa, rest = divmod(n, 10**exponent)
    if rest:
        return f"{n:,}"
    power = f"10{str(exponent).translate(superscripts)}"
    return power if mantissa == 1 else f"{mantissa}·{power}"


@dataclass
class Report:
    """The measured figures, with the ratios and targets computed from them."""

    info: dict[str, Any]
    best: dict[tuple[str, str], dict[str, Any]]
    engines: list[str]
    #: (target, goal, (default measurement, met?), (with pause_gc(), met?))
    targets: list[tuple[str, str, tuple[str, bool | None], tuple[str, bool | None]]] = field(
        default_factory=list
    )

    def get(self, workload: str, engine: str) -> dict[str, Any] | None:
        return self.best.get((workload, engine))

    def speed(self, workload: str, engine: str) -> float | None:
        r = self.get(workload, engine)
        return None if r is None else ns_per_node(r)

    def ratio(self, workload: str, slow: str, fast: str = "backproplab") -> float | None:
        """How many times faster `fast` is than `slow` per node (per step for workload 1)."""
        if workload == "mlp":
            a, b = self.get(workload, slow), self.get(workload, fast)
            if a is None or b is None or "error" in a or "error" in b:
                return None
            return float(a["seconds"]) / float(b["seconds"])
        s, f = self.speed(workload, slow), self.speed(workload, fast)
        return None if s is None or f is None else s / f

    def bytes_per_node(self, engine: str) -> float | None:
        r = self.get("bytes", engine)
        return None if r is None or "error" in r else float(r["traced"])

    def same_size_chain_ratio(self) -> tuple[int, float] | None:
        """(nodes, micrograd's ns/node ÷ backproplab's) at the largest chain length both measured."""
        ours, theirs = self.get("scaling", "backproplab"), self.get("scaling", "micrograd")
        if ours is None or theirs is None or "error" in ours or "error" in theirs:
            return None
        mine = {row["nodes"]: row["seconds"] for row in ours["rows"]}
        common = [row for row in theirs["rows"] if row["nodes"] in mine]
        if not common:
            return None
        row = common[-1]
        return row["nodes"], row["seconds"] / mine[row["nodes"]]

    def flatness(self, engine: str) -> tuple[float, float, float] | None:
        """(slowest ns/node ÷ fastest, fastest, slowest) over the scaling sizes."""
        r = self.get("scaling", engine)
        if r is None or "error" in r:
            return None
        per_node = [1e9 * row["seconds"] / row["nodes"] for row in r["rows"]]
        return max(per_node) / min(per_node), min(per_node), max(per_node)

    def compute_targets(self) -> None:
        """The issue's targets: the goal, and what backproplab measured by default and with pause_gc()."""

        def cell(value: float | None, goal: float, unit: str, at_least: bool) -> tuple[str, bool | None]:
            if value is None:
                return "not measured", None
            met = value >= goal if at_least else value <= goal
            shown = f"{value:.1f}{unit}" if unit == "×" else f"{value:.0f}{unit}"
            return shown, met

        def check(
            name: str, measure: Callable[[str], float | None], goal: float, unit: str, at_least: bool
        ) -> None:
            default = cell(measure("backproplab"), goal, unit, at_least)
            paused = cell(measure("backproplab-paused"), goal, unit, at_least)
            self.targets.append((name, f"{'≥' if at_least else '≤'} {goal:g}{unit}", default, paused))

        check("1. demo step vs micrograd", lambda e: self.ratio("mlp", "micrograd", e), 4, "×", True)
        traced = self.get("mlp", "backproplab-traced")
        dynamic = self.get("mlp", "backproplab")
        traced_ok = traced is not None and "error" not in traced
        speedup = self.ratio("mlp", "micrograd", "backproplab-traced")
        setup = float(traced["setup_seconds"]) if traced_ok and traced else None
        memory = None
        if traced_ok and traced and dynamic is not None and "step_peak_bytes" in dynamic:
            memory = float(traced["step_peak_bytes"]) / float(dynamic["step_peak_bytes"])
        for name, value, goal, unit, at_least in (
            ("1b. traced demo step vs micrograd", speedup, 600, "×", True),
            ("1c. trace + compile of the traced demo", setup, 2, " s", False),
            ("1d. peak memory of a step (tracemalloc), traced ÷ dynamic", memory, 2, "×", False),
        ):
            shown, met = cell(value, goal, unit, at_least)
            if unit == " s" and value is not None:
                shown = f"{value:.3f} s"
            self.targets.append(
                (name, f"{'≥' if at_least else '≤'} {goal:g}{unit}", (shown, met), ("", None))
            )
        for w, label in (("chain", "2"), ("sum-pairwise", "3a"), ("sum-builtin", "3b")):
            check(f"{label}. vs micrograd, per node", partial(self.ratio, w, "micrograd"), 4, "×", True)
            if "torch" in self.engines:
                check(f"{label}. vs PyTorch scalars, per node", partial(self.ratio, w, "torch"), 5, "×", True)
        check(
            "4. bytes per node (tracemalloc)", lambda e: self.bytes_per_node("backproplab"), 200, " B", False
        )

        def flatness(engine: str) -> float | None:
            flat = self.flatness(engine)
            return None if flat is None else flat[0]

        sizes = [row["nodes"] for row in (self.get("scaling", "backproplab") or {}).get("rows", [])]
        span = f"{fmt_count(min(sizes))}…{fmt_count(max(sizes))}" if sizes else "10³…10⁶"
        check(f"5. ns/node, slowest ÷ fastest size, {span} nodes", flatness, 1.5, "×", False)

    def markdown(self) -> str:
        """The whole report: machine, main table, targets, scaling, notes."""
        i = self.info
        v = i["versions"]
        lines = [
            "# Benchmarks: backproplab, micrograd and PyTorch scalars",
            "",
            f"Written by `benchmarks/run.py` ({i['profile']} run) on {i['date']}.",
            "",
            f"- CPU: {i['cpu']}, {i['cores']} logical cores; {i['system']}",
            f"- Python {v['python']} ({i['implementation']}); "
            + ", ".join(f"{k} {val}" for k, val in v.items() if k != "python"),
            f"- load average when the run started: {i['load_at_start']:.2f}"
            if i["load_at_start"] is not None
            else "- load average: unknown",
            "- Default interpreter settings (collector on, default recursion limit) except where a row says"
            " otherwise; micrograd runs with a raised recursion limit in its own process.",
            "",
            "## Results",
            "",
            "Time is per repetition (per training step for workload 1); ns/node divides it by the nodes of"
            " the graph (for workload 1, the nodes of backproplab's graph of the same computation, constants"
            " included). Ratios: how many times faster that row is than micrograd / than PyTorch.",
            "",
            "| workload | engine | size | nodes | time | in GC | ns/node | bytes/node | vs micrograd"
            " | vs PyTorch |",
            "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        mlp_nodes = (self.get("mlp", "backproplab") or {}).get("nodes")
        for workload, title in WORKLOAD_TITLES.items():
            for engine in [*self.engines, "micrograd-gc-off", "backproplab-nn", *TRACED]:
                r = self.get(workload, engine)
                if r is None:
                    continue
                name = TITLES[engine]
                if "error" in r:
                    lines.append(f"| {title} | {name} | | | failed: {r['error']} | | | | | |")
                    continue
                nodes = r.get("nodes") or mlp_nodes
                size = f"N = {fmt_count(r['size'])}" if workload != "mlp" else f"{r['size']} points"
                per_node = 1e9 * r["seconds"] / nodes if nodes else None
                bytes_cell = ""
                if workload == "sum-builtin":
                    b = self.bytes_per_node(engine if engine != "backproplab-paused" else "backproplab")
                    bytes_cell = "" if b is None else f"{b:.0f}"
                    if engine == "torch":
                        res = (self.get("bytes", "torch") or {}).get("resident")
                        bytes_cell = "n/a" if res is None else f"~{res:.0f} (RSS)"
                per_node_cell = "" if per_node is None else f"{per_node:.0f}"
                vs_mg = self.ratio(workload, "micrograd", engine)
                vs_torch = self.ratio(workload, "torch", engine) if "torch" in self.engines else None
                lines.append(
                    f"| {title} | {name} | {size} | {fmt_count(int(nodes)) if nodes else ''} "
                    f"| {fmt_time(r['seconds'])} | {gc_share(r)} | {per_node_cell} "
                    f"| {bytes_cell} | {fmt_ratio(vs_mg)} | {fmt_ratio(vs_torch)} |"
                )
        lines += [
            "",
            "## Targets",
            "",
            "Default interpreter settings are what the targets are about; the opt-in `autograd.pause_gc()`"
            " is shown beside them.",
            "",
            "| target | goal | backproplab | met | with pause_gc() | met |",
            "|---|---:|---:|---|---:|---|",
        ]
        for name, goal, (shown, met), (shown_paused, met_paused) in self.targets:
            lines.append(
                f"| {name} | {goal} | {shown} | {verdict(met)} | {shown_paused} | {verdict(met_paused)} |"
            )
        lines += [
            "",
            "## Static graphs: trace once, replay (workload 1)",
            "",
            "Setup is `autograd.trace` (running the step's function twice, then generating and compiling"
            " its program), timed apart from the steps. Peak memory: tracemalloc's peak over one more"
            " step (and over setting the trace up again), and the growth of the worker's peak resident"
            " memory (ru_maxrss) over setup, warm-up and the timed steps — the only figure for the"
            " whole-batch program, whose 130,000-line function makes tracemalloc too slow.",
            "",
            "| engine | setup | step | vs micrograd | vs dynamic | peak memory, step | peak memory,"
            " setup | peak RSS growth |",
            "|---|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for engine in ("backproplab", *TRACED):
            r = self.get("mlp", engine)
            if r is None or "error" in r:
                continue
            setup_cell = fmt_time(float(r["setup_seconds"])) if "setup_seconds" in r else "—"
            mib = [
                "" if r.get(f) is None else f"{float(r[f]) / 2**20:.1f} MiB"
                for f in ("step_peak_bytes", "setup_peak_bytes", "peak_growth")
            ]
            lines.append(
                f"| {TITLES[engine]} | {setup_cell} | {fmt_time(r['seconds'])} "
                f"| {fmt_ratio(self.ratio('mlp', 'micrograd', engine))} "
                f"| {fmt_ratio(self.ratio('mlp', 'backproplab', engine))} | {' | '.join(mib)} |"
            )
        same_size = self.same_size_chain_ratio()
        if same_size is not None:
            nodes, ratio = same_size
            lines += [
                "",
                f"At equal size ({fmt_count(nodes)} nodes, scaling table) backproplab runs the deep chain"
                f" {ratio:.1f}× faster than micrograd.",
            ]
        both_off = self.ratio("mlp", "micrograd-gc-off", "backproplab-paused")
        if both_off is not None:
            lines += [
                "",
                "With the collector off in both (backproplab + pause_gc(), micrograd with gc.disable())"
                f" the demo step is {both_off:.1f}× micrograd's: most of micrograd's time is its collector.",
            ]
        lines += ["", "## Scaling: deep chain, ns per node", ""]
        scaling = {e: self.get("scaling", e) for e in self.engines}
        sizes = sorted({row["nodes"] for r in scaling.values() if r and "rows" in r for row in r["rows"]})
        lines.append("| nodes | " + " | ".join(TITLES[e] for e in self.engines) + " |")
        lines.append("|---:|" + "---:|" * len(self.engines))
        for nodes in sizes:
            cells = []
            for e in self.engines:
                r = scaling[e]
                row = next((x for x in (r or {}).get("rows", []) if x["nodes"] == nodes), None)
                cells.append(
                    "" if row is None else f"{1e9 * row['seconds'] / nodes:.0f} ({gc_share(row)} GC)"
                )
            lines.append(f"| {fmt_count(nodes)} | " + " | ".join(cells) + " |")
        flat_cells = []
        for e in self.engines:
            f = self.flatness(e)
            flat_cells.append("" if f is None else f"{f[0]:.2f}×")
        lines.append("| slowest ÷ fastest | " + " | ".join(flat_cells) + " |")
        lines += ["", "## Memory: bytes per node of workload 3b's graph", ""]
        lines.append("| engine | tracemalloc | resident memory growth |")
        lines.append("|---|---:|---:|")
        for e in self.engines:
            r = self.get("bytes", e)
            if r is None or "error" in r:
                continue
            res = "n/a" if r.get("resident") is None else f"{r['resident']:.0f}"
            traced = f"{r['traced']:.0f}" if e != "torch" else f"{r['traced']:.0f} (C++ memory not seen)"
            lines.append(f"| {TITLES[e]} | {traced} | {res} |")
        lines += ["", "## Cross-check: every engine computed the same numbers", ""]
        lines.append("| workload | " + " | ".join(TITLES[e] for e in self.engines) + " |")
        lines.append("|---|" + "---|" * len(self.engines))
        for workload in WORKLOAD_TITLES:
            cells = []
            for e in self.engines:
                r = self.get(workload, e)
                cells.append("" if r is None or "check" not in r else f"{r['check']:.12g}")
            lines.append(f"| {workload} | " + " | ".join(cells) + " |")
        lines += [
            "",
            "(workload 1: the loss at the first step; 2: ∂y/∂c; 3: ∂sum/∂w₀ = x₀.)",
            "",
            "## How it was measured",
            "",
            "- Each (workload, engine) pair runs in a fresh process; the engines take turns, round after"
            f" round ({self.info.get('rounds', '?')} rounds), and each figure is the median over the"
            " rounds.",
            "- Times are the worker process's CPU time (user + system): the engines are single-threaded,"
            " so on a quiet machine this equals wall-clock time, and other programs disturb it less"
            ' (`--json` keeps the wall-clock times too). "in GC" is the part of it spent in'
            " Python's cyclic garbage collector, measured through `gc.callbacks`: where a target is"
            " missed by default, that column shows where the time went.",
            "- A timed repetition builds the graph, runs backward and drops the graph. Timing starts after"
            " a `gc.collect()` and also covers one after the last repetition, so garbage left for the cyclic"
            " collector is paid for by the engine that made it.",
            "- Workload 1 runs one untimed warm-up step, then times the steps. The same model code (a"
            " neuron is relu(b + Σ wᵢ·xᵢ)) and the same initial weights drive every engine, which is why"
            " the losses agree; `backproplab nn.MLP` is the library's own model (other initial weights).",
            "- The traced rows replay the same step through `autograd.trace`: the whole batch as one"
            " straight-line program (the same floats as the dynamic step), or one sample's graph run"
            " across the 100 points with numpy (the mean of the per-sample losses, equal up to rounding);"
            " see docs/static.md.",
            "- Workload 2 uses N = 10⁴ for micrograd (its recursive sort needs a raised recursion limit)"
            " and N = 10⁶ for backproplab; the ratio compares time per node. The scaling table shows"
            " both engines at equal sizes.",
            "- PyTorch's inputs are tensors without `requires_grad`; its parameters have it.",
            "- `backproplab + pause_gc()` wraps each repetition in `with autograd.pause_gc():`, the"
            " opt-in switch that keeps Python's cyclic collector off while the graph is built and used.",
        ]
        return "\n".join(lines) + "\n"
