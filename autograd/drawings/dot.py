"""Running Graphviz's `dot` under a time limit: a layout that takes too long is stopped, its process ended."""

from __future__ import annotations

import math
import re
import subprocess
from typing import Any

import graphviz

__all__ = ["LAYOUT_TIMEOUT", "Drawing", "LayoutTimeoutError", "check_timeout", "run_dot"]

#: Seconds `dot` may spend on one picture before it is stopped. A graph of a few hundred nodes
#: takes a second or two; one that takes a minute is too dense to read anyway.
LAYOUT_TIMEOUT = 60.0


# a node statement of the DOT source: "\tn3 [", not an edge ("n1 -> n3 [") nor the defaults ("node [")
_NODE = re.compile(r"^\t(?!(?:graph|node|edge) \[)[^\s\[]+ \[", re.MULTILINE)


class LayoutTimeoutError(RuntimeError):
    """Raised when `dot` takes longer than the layout timeout; its process has been ended."""


def check_timeout(timeout: object) -> float:
    """A layout timeout: a number of seconds > 0."""
    if (
        not isinstance(timeout, int | float)
        or isinstance(timeout, bool)
        or not (math.isfinite(timeout) and timeout > 0)
    ):
        raise ValueError(f"layout_timeout must be a number of seconds > 0, got {timeout!r}")
    return float(timeout)


def run_dot(source: str, fmt: str, timeout: float = LAYOUT_TIMEOUT, engine: str = "dot") -> bytes:
    """Lay out DOT source with `dot -K<engine> -T<fmt>` and return the picture; stop `dot` after timeout s.

    engine is the layout `dot -K` runs: "dot", or "neato" for drawings with fixed positions.

    Raises:
        FileNotFoundError: `dot` is not installed (the caller says how to install it).
        LayoutTimeoutError: The layout took longer than timeout; the `dot` process was killed
            and waited for, so none is left running.
        RuntimeError: `dot` failed; the message is its own.
    """
    timeout = check_timeout(timeout)
    try:
        # run() kills the child and reaps it on a timeout (and on Ctrl-C): no `dot` outlives the call
        done = subprocess.run(
            ["dot", f"-K{engine}", f"-T{fmt}"],  # as graphviz.Digraph.pipe runs it
            input=source.encode("utf-8"),
            capture_output=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        nodes = len(_NODE.findall(source))
        raise LayoutTimeoutError(
            f"Graphviz's dot took more than {timeout:g} s to lay out the drawing ({nodes} nodes, "
            f"{source.count(' -> ')} edges) and was stopped: draw a smaller graph (pass an intermediate "
            f"node as root, or group='neuron' for a network), write the DOT source to a .dot file and "
            f"run dot on it yourself, or allow more time (layout_timeout=…; --layout-timeout on the "
            f"command line)"
        ) from None
    if done.returncode != 0:
        reason = done.stderr.decode("utf-8", "replace").strip() or f"exit status {done.returncode}"
        raise RuntimeError(f"Graphviz's dot failed to make a {fmt} picture: {reason}")
    return done.stdout


class Drawing(graphviz.Digraph):  # type: ignore[misc]
    """A graphviz.Digraph whose pictures (`pipe()`, and Jupyter's inline SVG) are made under a time limit.

    Attributes:
        layout_timeout: Seconds `dot` may take (LAYOUT_TIMEOUT unless set).
    """

    layout_timeout: float = LAYOUT_TIMEOUT

    def pipe(self, format: str | None = None, *args: Any, encoding: str | None = None, **kwargs: Any) -> Any:
        """The picture in `format` ("svg", "png", …) as bytes, or as str when an encoding is given."""
        if args or kwargs:  # a renderer, formatter or engine: graphviz's own way, without the limit
            return super().pipe(format, *args, encoding=encoding, **kwargs)
        from .graphviz import pipe  # the room's one way to run dot, with its message when dot is missing

        data = pipe(self, format or self.format or "svg", self.layout_timeout)
        return data if encoding is None else data.decode(encoding)
