"""The derivative table: one row per operation node, its function, local derivatives, value and ∂f/∂node."""

from __future__ import annotations

import html
from collections.abc import Iterator
from dataclasses import dataclass

from ..engine.value import Value
from .graph_view import GraphView
from .latex import latex_derivative, latex_function, latex_name, latex_number, partial
from .numbers import DEFAULT_PRECISION, check_precision, format_value
from .steps import derivative_equation, derivative_texts, function_text
from .words import display_width

__all__ = ["Derivative", "Row", "Table", "table"]


@dataclass(frozen=True)
class Derivative:
    """One local derivative ∂node/∂input in a table row.

    Attributes:
        node: The node's name ("h1").
        wrt: The input's name ("w").
        formula: The derivative written with names ("x").
        value: Its value.
    """

    node: str
    wrt: str
    formula: str
    value: float

    def text(self, precision: int | None = DEFAULT_PRECISION) -> str:
        """ "∂h1/∂w = x = 1"; the formula is left out when it is the number itself ("∂h2/∂h1 = 1")."""
        return derivative_equation(self.node, self.wrt, self.formula, self.value, precision)


@dataclass(frozen=True)
class Row:
    """One operation node of the table.

    Attributes:
        node: The node.
        name: Its name (h1, h2, … or its label).
        function: What it computes, with its inputs' names ("h1 + b").
        derivatives: ∂node/∂input for each input that is not a constant, in operand order.
        value: The node's value.
        grad: ∂f/∂node.
    """

    node: Value
    name: str
    function: str
    derivatives: tuple[Derivative, ...]
    value: float
    grad: float


class Table:
    """The derivative table of a graph: print it, call `.to_markdown()`, or let Jupyter show it as HTML.

    Attributes:
        rows: One Row per operation node, in topological order.
        output: What the gradient column calls the output ("f" unless it has a label).
        precision: Significant digits shown (None: all).
    """

    def __init__(
        self, rows: list[Row], output: str, precision: int | None, names: dict[Value, str] | None = None
    ) -> None:
        self.rows = rows
        self.output = output
        self.precision = precision
        self.names = names if names is not None else {row.node: row.name for row in rows}

    def header(self) -> list[str]:
        """The column titles."""
        return ["node", "function", "local derivative(s)", "value", f"∂{self.output}/∂node"]

    def cells(self) -> list[list[str]]:
        """Every row as five strings, in the order of header()."""
        p = self.precision
        return [
            [
                row.name,
                row.function,
                ", ".join(d.text(p) for d in row.derivatives),
                format_value(row.value, p),
                format_value(row.grad, p),
            ]
            for row in self.rows
        ]

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Iterator[Row]:
        return iter(self.rows)

    def __str__(self) -> str:
        lines = [self.header(), *self.cells()]
        # columns line up on a terminal: a wide character (权) takes two columns, not one
        widths = [max(map(display_width, column)) for column in zip(*lines)]
        text = [
            "  ".join(cell + " " * (w - display_width(cell)) for cell, w in zip(line, widths)).rstrip()
            for line in lines
        ]
        text.insert(1, "  ".join("─" * w for w in widths))
        return "\n".join(text)

    def __repr__(self) -> str:
        return f"<Table of {len(self.rows)} operation nodes>\n{self}"

    def to_markdown(self) -> str:
        """The table in Markdown (pipe characters in a cell are escaped)."""

        def line(cells: list[str]) -> str:
            return "| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |"

        header = self.header()
        rows = [line(header), "|" + "---|" * len(header)]
        rows += [line(cells) for cells in self.cells()]
        return "\n".join(rows)

    def to_latex(self) -> str:
        """The table as a LaTeX tabular, each cell in math mode (amsmath for relu, odd labels), for slides."""
        p, names = self.precision, self.names
        lines = [
            r"\begin{tabular}{lllll}",
            r"node & function & local derivative(s) & value & $"
            + partial(latex_name(self.output), r"\mathrm{node}")
            + r"$ \\",
            r"\hline",
        ]
        for row in self.rows:
            derivatives = ", ".join(
                "$"
                + latex_equation(partial(latex_name(d.node), latex_name(d.wrt)), formula, d.value, p)
                + "$"
                for d, formula in zip(row.derivatives, _latex_derivatives(row.node, names))
            )
            cells = [
                f"${latex_name(row.name)}$",
                f"${latex_function(row.node, names)}$",
                derivatives,
                f"${latex_number(row.value, p)}$",
                f"${latex_number(row.grad, p)}$",
            ]
            lines.append(" & ".join(cells) + r" \\")
        lines.append(r"\end{tabular}")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        """The table as HTML, for Jupyter."""
        head = "".join(f"<th>{html.escape(c)}</th>" for c in self.header())
        body = "".join(
            "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in cells) + "</tr>" for cells in self.cells()
        )
        return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def table(root: Value, precision: int | None = DEFAULT_PRECISION) -> Table:
    """The derivative table of root's graph, one row per operation node, like the lecture notes.

    Each row: the node's name (h1, h2, … for unlabelled nodes, counting operation nodes in
    topological order), its function, its local derivatives ∂node/∂input as formula and
    number (constant inputs left out), its value and ∂f/∂node.

    The gradients are computed here, exactly as one fresh `backward()` would compute them,
    and `.grad` is never read or changed: the table is right whether or not backward() was
    called, and however often.

    Args:
        root: The output node f.
        precision: Significant digits shown (1–17), or None for every digit.

    Returns:
        A Table: `str(t)` is plain text, `t.to_markdown()` Markdown, and Jupyter shows HTML.
    """
    return table_of(GraphView(root, check_precision(precision)))


def table_of(view: GraphView) -> Table:
    """table() for a graph whose facts are already computed."""
    names = view.names
    rows = [
        Row(
            node,
            names[node],
            function_text(node, names),
            tuple(
                Derivative(names[node], names[parent], formula, local)
                for parent, formula, local in zip(
                    node.parents, derivative_texts(node, names), view.local_grads[node]
                )
                if not parent.is_constant
            ),
            node.data,
            view.grads.get(node, 0.0),
        )
        for node in view.ops
    ]
    return Table(rows, view.output, view.precision, names)


def _latex_derivatives(node: Value, names: dict[Value, str]) -> list[str]:
    """The LaTeX local derivatives of a node for its non-constant inputs, as in a Row."""
    return [latex_derivative(node, slot, names) for slot, p in enumerate(node.parents) if not p.is_constant]


def latex_equation(symbol: str, formula: str, value: float, precision: int | None) -> str:
    """ "∂h1/∂w = x = 1" in LaTeX; a formula that is the number itself is left out, as in text."""
    number = latex_number(value, precision)
    return " = ".join([symbol, number] if formula == number else [symbol, formula, number])
