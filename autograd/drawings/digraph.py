"""The Digraph every drawing is: without Graphviz's `dot`, its pictures say how to install it."""

from __future__ import annotations

from typing import Any

import graphviz

__all__ = ["INSTALL_COMMANDS", "INSTALL_HINT", "Drawing", "GraphvizNotFoundError", "install_lines"]

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


class Drawing(graphviz.Digraph):  # type: ignore[misc]
    """A graphviz.Digraph whose pictures fail well when `dot` is missing.

    `.pipe()` and `.render()` raise GraphvizNotFoundError (the install commands) instead of
    graphviz's bare ExecutableNotFound; shown in Jupyter, a drawing without `dot` displays that
    message as text instead of a traceback. `.source` never needs `dot`.
    """

    def pipe(self, *args: Any, **kwargs: Any) -> Any:
        """graphviz's pipe(); GraphvizNotFoundError when `dot` is missing."""
        try:
            return super().pipe(*args, **kwargs)
        except GraphvizNotFoundError:
            raise
        except graphviz.ExecutableNotFound:
            fmt = kwargs.get("format") or (args[0] if args else None) or self.format
            raise GraphvizNotFoundError(f"cannot make a {fmt} picture: {INSTALL_HINT}") from None

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
