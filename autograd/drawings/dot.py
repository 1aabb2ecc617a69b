"""Running Graphviz's `dot` for every picture: under a time limit, and saying how to install it if missing."""

from __future__ import annotations

import math
import re
import subprocess
from typing import Any

import graphviz

__all__ = [
    "INSTALL_COMMANDS",
    "INSTALL_HINT",
    "LAYOUT_TIMEOUT",
    "Drawing",
    "GraphvizNotFoundError",
    "LayoutTimeoutError",
    "check_timeout",
    "install_lines",
    "picture",
    "run_dot",
]

#: The commands that install `dot`, and where each applies.
INSTALL_COMMANDS = (
    ("sudo apt-get install -y graphviz", "Debian/Ubuntu"),
    ("brew install graphviz", "macOS"),
    ("winget install graphviz", "Windows; then open a new terminal"),
    ("conda install -c conda-forge graphviz", "conda"),
)

_MISSING = "Graphviz's `dot` program is not installed (or not on PATH)"
_INSTEAD = "write the DOT source instead: draw(root).source, or a .dot file name"

#: How to get `dot`, in one line (the command line prints it after "cannot write …:").
INSTALL_HINT = (
    f"{_MISSING}; install it with "
    + ", ".join(f"`{command}` ({where})" for command, where in INSTALL_COMMANDS)
    + f", or {_INSTEAD}"
)


def install_lines() -> str:
    """The install commands one per line, as a notebook shows them."""
    commands = "\n".join(f"  {command:40} {where}" for command, where in INSTALL_COMMANDS)
    return f"{_MISSING}. Install it with one of\n{commands}\nand draw again; or {_INSTEAD}."


class GraphvizNotFoundError(graphviz.ExecutableNotFound):  # type: ignore[misc]  # graphviz has no types
    """Raised when a picture is asked for but Graphviz's `dot` program cannot be found.

    A graphviz.ExecutableNotFound (and so a RuntimeError) whose message says how to install `dot`.
    """

    def __init__(self, message: str) -> None:
        RuntimeError.__init__(self, message)


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


def picture(source: str, fmt: str, timeout: float = LAYOUT_TIMEOUT, engine: str = "dot") -> bytes:
    """run_dot, with GraphvizNotFoundError (how to install `dot`) when `dot` is missing."""
    try:
        return run_dot(source, fmt, timeout, engine)
    except FileNotFoundError:
        raise GraphvizNotFoundError(f"cannot make a {fmt} picture: {INSTALL_HINT}") from None


class Drawing(graphviz.Digraph):  # type: ignore[misc]
    """A graphviz.Digraph whose pictures are made under a time limit and fail well without `dot`.

    `.pipe()` (and so Jupyter's inline SVG) runs `dot` for at most `layout_timeout` seconds;
    `.pipe()` and `.render()` raise GraphvizNotFoundError (the install commands) instead of
    graphviz's bare ExecutableNotFound, and shown in Jupyter without `dot` a drawing displays
    that message as text instead of a traceback. `.source` never needs `dot`.

    Attributes:
        layout_timeout: Seconds `dot` may take (LAYOUT_TIMEOUT unless set).
    """

    layout_timeout: float = LAYOUT_TIMEOUT

    def pipe(self, format: str | None = None, *args: Any, encoding: str | None = None, **kwargs: Any) -> Any:
        """The picture in `format` ("svg", "png", …) as bytes, or as str when an encoding is given."""
        fmt = format or self.format or "svg"
        if args or kwargs:  # a renderer, formatter or engine: graphviz's own way, without the limit
            try:
                return super().pipe(format, *args, encoding=encoding, **kwargs)
            except graphviz.ExecutableNotFound:
                raise GraphvizNotFoundError(f"cannot make a {fmt} picture: {INSTALL_HINT}") from None
        data = picture(self.source, fmt, self.layout_timeout, self.engine)
        return data if encoding is None else data.decode(encoding)

    def render(self, *args: Any, **kwargs: Any) -> Any:
        """graphviz's render(); GraphvizNotFoundError when `dot` is missing."""
        try:
            return super().render(*args, **kwargs)
        except GraphvizNotFoundError:
            raise
        except graphviz.ExecutableNotFound:
            raise GraphvizNotFoundError(f"cannot render the drawing: {INSTALL_HINT}") from None

    def _repr_mimebundle_(
        self, include: Any = None, exclude: Any = None, **kwargs: Any
    ) -> dict[str, bytes | str]:
        """The picture for Jupyter; without `dot`, the message saying how to install it, as text."""
        try:
            bundle: dict[str, bytes | str] = super()._repr_mimebundle_(include, exclude, **kwargs)
        except GraphvizNotFoundError:
            return {"text/plain": f"The drawing cannot be shown: {install_lines()}"}
        return bundle
