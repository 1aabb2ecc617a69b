"""micrograd's demo on backproplab: an MLP learns the two moons, and the decision boundary is drawn.

Run `python -m nn.demo [--out PATH] [--steps N] [--seed S]`: 100 two-moons points (noise 0.1),
MLP(2, [16, 16, 1]), max-margin loss + 1e-4·L2 with labels ±1, full-batch SGD with
lr = 1 − 0.9·k/steps at step k. It prints progress, the final training accuracy, and the path of
the picture it writes (PNG, SVG or PDF).
"""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from autograd import no_grad

from . import data, reference
from ._arguments import check_int
from .losses import accuracy
from .module import MLP
from .optim import SGD
from .train import History, fit

__all__ = ["DEFAULT_OUT", "DEFAULT_SEED", "FORMATS", "DemoResult", "check_out", "main", "run"]

DEFAULT_OUT = Path("demo-output") / "moons.png"
#: The picture formats the demo writes, by extension (matplotlib makes each without extra packages).
FORMATS = ("png", "svg", "pdf")

#: The seed of the data and of the initial weights; with it the 100 steps reach 100% accuracy.
DEFAULT_SEED = 1


@dataclass
class DemoResult:
    """What `run` produced: the trained model, its final training accuracy, the history and the picture."""

    model: MLP
    accuracy: float
    history: History
    path: Path


def check_out(out: str | os.PathLike[str]) -> tuple[Path, str]:
    """Check where the picture goes before any training: its format, and that the file can be written.

    The directory is created if needed. Returns the path and its format ("png", "svg" or "pdf").

    Raises:
        ValueError: For another extension, or a place the picture cannot be written (the OS's reason).
    """
    path = Path(out)
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        shown = repr(path.suffix) if path.suffix else "no extension"
        raise ValueError(
            f"cannot tell the picture format of {str(path)!r} ({shown}): "
            f"the file name must end in {', '.join('.' + f for f in FORMATS)}"
        )
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.is_dir():
            raise IsADirectoryError(21, "it is a directory")
        existed = path.exists()
        with open(path, "ab"):  # can be opened for writing; nothing in it changes yet
            pass
        if not existed:
            path.unlink()
    except OSError as exc:
        raise ValueError(f"cannot write the picture to {str(path)!r}: {exc.strerror or exc}") from None
    return path, fmt


def run(
    out: str | Path = DEFAULT_OUT, steps: int = 100, seed: int = DEFAULT_SEED, *, progress: bool = True
) -> DemoResult:
    """Train the two-moons MLP and write its decision boundary to `out` (.png, .svg or .pdf).

    Args:
        out: The picture to write, its format from its extension; its directory is created if
            needed. Both are checked before training starts.
        steps: Full-batch SGD steps (≥ 1).
        seed: Seeds the data and the initial weights.
        progress: Show a tqdm bar, or print a line per step when tqdm is not installed.

    Returns:
        A DemoResult with the model, its final training accuracy and the path written.

    Raises:
        ValueError: For a bad `steps`, or an `out` of another format or that cannot be written.
    """
    steps = check_int("steps", steps)
    path, fmt = check_out(out)
    try:
        from matplotlib.figure import Figure
    except ImportError:
        raise ImportError("the demo draws with matplotlib: pip install matplotlib") from None
    x, y01 = data.moons(100, noise=0.1, seed=seed)
    y = 2 * y01 - 1  # labels −1 and +1 for the max-margin loss
    model = MLP(2, [16, 16, 1], seed=seed)
    optimizer = SGD(model.parameters(), lr=lambda k: 1.0 - 0.9 * k / steps)

    callback = None
    if progress and not _has_tqdm():

        def callback(epoch: int, history: History) -> None:
            print(f"step {epoch:3d}  loss {history.loss[-1]:.4f}  accuracy {history.accuracy[-1]:.0%}")

    history = fit(
        model,
        x,
        y,
        loss="hinge",
        optimizer=optimizer,
        epochs=steps,
        batch_size=None,
        l2=1e-4,
        progress=progress,
        callback=callback,
    )
    with no_grad():  # scoring only: no graph is recorded
        final = accuracy([model(row) for row in x.tolist()], y.tolist())

    fig = Figure(figsize=(5.5, 4.5))
    ax = fig.add_subplot()
    lo, hi = x.min(axis=0) - 1.0, x.max(axis=0) + 1.0
    gx, gy = np.meshgrid(np.linspace(lo[0], hi[0], 200), np.linspace(lo[1], hi[1], 200))
    scores = reference.predict(model, np.column_stack([gx.ravel(), gy.ravel()])).reshape(gx.shape)
    ax.contourf(gx, gy, scores > 0, levels=[-0.5, 0.5, 1.5], colors=["#bcd3f5", "#f5c4b5"], alpha=0.8)
    ax.contour(gx, gy, scores, levels=[0.0], colors="k", linewidths=1)
    ax.scatter(x[:, 0], x[:, 1], c=y, cmap="coolwarm", edgecolors="k", s=28)
    ax.set_title(f"two moons, MLP(2, [16, 16, 1])\n{steps} SGD steps, training accuracy {final:.0%}")
    ax.set_xlabel("x₁")
    ax.set_ylabel("x₂")
    fig.tight_layout()
    fig.savefig(path, format=fmt, dpi=100)
    return DemoResult(model=model, accuracy=final, history=history, path=path)


def _has_tqdm() -> bool:
    try:
        import tqdm  # noqa: F401
    except ImportError:
        return False
    return True


def main(argv: list[str] | None = None) -> int:
    """The command line: parse the arguments, run the demo, print the result."""
    parser = argparse.ArgumentParser(
        prog="python -m nn.demo", description=__doc__.splitlines()[0] if __doc__ else None
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=DEFAULT_OUT,
        help=f"the picture to write: .png, .svg or .pdf (default {DEFAULT_OUT})",
    )
    parser.add_argument("--steps", type=int, default=100, help="SGD steps (default 100)")
    parser.add_argument(
        "--seed", type=int, default=DEFAULT_SEED, help=f"data and weight seed (default {DEFAULT_SEED})"
    )
    args = parser.parse_args(argv)
    if args.steps < 1:
        parser.error(f"--steps must be ≥ 1, got {args.steps}")
    if args.seed < 0:
        parser.error(f"--seed must be ≥ 0, got {args.seed}")
    try:
        check_out(args.out)  # before training, so a typo costs nothing
    except ValueError as exc:
        parser.error(str(exc))
    print("two moons: 100 points, MLP(2, [16, 16, 1]), max-margin loss + 1e-4·L2, full-batch SGD")
    result = run(args.out, args.steps, args.seed)
    print(f"training accuracy after {args.steps} steps: {result.accuracy:.0%}")
    print(f"decision boundary written to {result.path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
