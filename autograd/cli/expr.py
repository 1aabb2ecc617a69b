"""A safe parser for formulas such as "1/(exp(-(w*x+b))+1)": Python's `ast`, a short allow-list, no eval."""

from __future__ import annotations

import ast
import math
import numbers
import warnings
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import cast

from ..engine.value import Value
from .hints import juxtaposed, missing_hint, syntax_message

__all__ = ["FUNCTIONS", "Expression", "ExpressionError", "parse", "variables"]

#: The functions a formula may call, each with one argument.
FUNCTIONS: dict[str, Callable[[Value], Value]] = {
    "exp": Value.exp,
    "log": Value.log,
    "tanh": Value.tanh,
    "relu": Value.relu,
    "sigmoid": Value.sigmoid,
    "sin": Value.sin,
    "cos": Value.cos,
}

#: Longest formula accepted, in characters.
MAX_LENGTH = 1000

#: Deepest nesting accepted (each operator or call is one level).
MAX_DEPTH = 100

ALLOWED = "allowed are numbers, variable names, + - * / **, unary minus and the functions " + ", ".join(
    FUNCTIONS
)

#: What a formula may spell the way the printed output does, and what it means: "−2 × x" reads as "-2 * x".
PASTED = str.maketrans({"−": "-", "×": "*"})

_OPERATORS: dict[type[ast.operator], str] = {
    ast.Add: "+",
    ast.Sub: "-",
    ast.Mult: "*",
    ast.Div: "/",
    ast.Pow: "**",
}

# Operators whose left-leaning chains (a + b + c − d …) count as one level however long: a sum is not deep.
_FLAT = (ast.Add, ast.Sub, ast.Mult, ast.Div)

# How a refused construct is named in the error message.
_REFUSED: dict[type[ast.AST], str] = {
    ast.Attribute: "attribute access",
    ast.Subscript: "indexing",
    ast.Lambda: "lambda",
    ast.ListComp: "a list comprehension",
    ast.SetComp: "a set comprehension",
    ast.DictComp: "a dict comprehension",
    ast.GeneratorExp: "a generator expression",
    ast.Compare: "a comparison",
    ast.BoolOp: "and/or",
    ast.IfExp: "if/else",
    ast.NamedExpr: "the := operator",
    ast.Starred: "* unpacking",
    ast.JoinedStr: "an f-string",
    ast.List: "a list",
    ast.Tuple: "a tuple",
    ast.Set: "a set",
    ast.Dict: "a dict",
    ast.Await: "await",
    ast.Yield: "yield",
    ast.YieldFrom: "yield from",
    ast.Slice: "a slice",
    ast.FloorDiv: "// (floor division)",
    ast.Mod: "% (remainder)",
    ast.MatMult: "@ (matrix product)",
    ast.LShift: "<<",
    ast.RShift: ">>",
    ast.BitOr: "|",
    ast.BitAnd: "&",
    ast.BitXor: "^ (write ** for a power)",
    ast.Invert: "~",
    ast.Not: "not",
}


class ExpressionError(ValueError):
    """A formula that cannot be parsed or computed; the message says what and where."""


@dataclass(frozen=True)
class Expression:
    """A parsed formula, built into a graph.

    Attributes:
        text: The formula as written.
        root: The output node of its graph (a leaf if the formula is one variable or a number).
        inputs: One labelled leaf per variable, in order of first appearance.
    """

    text: str
    root: Value
    inputs: dict[str, Value]


def _tree(text: object) -> ast.expr:
    """Parse text into a Python expression tree, turning every failure into ExpressionError."""
    if not isinstance(text, str):
        raise ExpressionError(f"the formula must be a str, got {type(text).__name__}")
    if len(text) > MAX_LENGTH:
        raise ExpressionError(
            f"the formula is {len(text)} characters long; at most {MAX_LENGTH} are accepted"
        )
    if not text.strip():
        raise ExpressionError("the formula is empty")
    text = text.translate(PASTED).strip()
    try:
        with warnings.catch_warnings():  # e.g. "1if x else 2": one error line, no SyntaxWarning printed
            warnings.simplefilter("ignore", SyntaxWarning)
            return ast.parse(text, mode="eval").body
    except SyntaxError as exc:
        raise ExpressionError(
            f"syntax error at {syntax_message(text, exc.offset, exc.msg, FUNCTIONS)}"
        ) from None
    except (RecursionError, MemoryError):
        raise ExpressionError(f"the formula is nested too deeply (at most {MAX_DEPTH} levels)") from None
    except ValueError as exc:  # e.g. a NUL character
        raise ExpressionError(f"the formula cannot be read: {exc}") from None


def _spine(node: ast.BinOp) -> tuple[ast.expr, list[ast.BinOp]]:
    """A left-leaning chain a + b − c × d … of + − × /: its first operand, and its operations in order."""
    chain: list[ast.BinOp] = []
    current: ast.expr = node
    while isinstance(current, ast.BinOp) and isinstance(current.op, _FLAT):
        chain.append(current)
        current = current.left
    chain.reverse()
    return current, chain


def _shown(x: object) -> str:
    """x for a message, at most 40 characters, even for an int too long to print (10**4300)."""
    try:
        text = repr(x)
    except ValueError:  # Python refuses to print ints of more than 4300 digits
        if isinstance(x, int):
            return f"an int of about {int(x.bit_length() * 0.30103) + 1} digits"
        return type(x).__name__
    return text if len(text) <= 40 else text[:37] + "…"


def _snippet(node: ast.AST, text: str) -> str:
    """The source of a node, shortened, for a message."""
    try:
        segment = ast.get_source_segment(text.strip(), node) or ""
    except (IndexError, ValueError):
        segment = ""
    segment = " ".join(segment.split())
    return segment if len(segment) <= 40 else segment[:37] + "…"


def _refuse(node: ast.AST, text: str, what: str | None = None) -> ExpressionError:
    """The error for a construct outside the allow-list, naming it."""
    if what is None:
        what = _REFUSED.get(type(node), type(node).__name__)
    snippet = _snippet(node, text)
    shown = f" in `{snippet}`" if snippet else ""
    return ExpressionError(f"{what} is not allowed{shown}; {ALLOWED}")


def _check(node: ast.AST, text: str, names: list[str], depth: int = 0) -> None:
    """Check that every part of the tree is allowed, and collect variable names in order."""
    if depth > MAX_DEPTH:
        raise ExpressionError(f"the formula is nested too deeply (at most {MAX_DEPTH} levels)")
    if isinstance(node, ast.Constant):
        if type(node.value) not in (int, float):
            kind = {bool: "True/False", complex: "a complex number", str: "a string"}.get(
                type(node.value), type(node.value).__name__
            )
            raise _refuse(node, text, kind)
    elif isinstance(node, ast.Name):
        if node.id in FUNCTIONS:
            raise ExpressionError(f"{node.id} is a function: call it, as in {node.id}(x)")
        if node.id not in names:
            names.append(node.id)
    elif isinstance(node, ast.BinOp) and isinstance(node.op, _FLAT):
        first, chain = _spine(node)  # checked in a loop: a long sum is one level, not hundreds
        _check(first, text, names, depth + 1)
        for link in chain:
            _check(link.right, text, names, depth + 1)
    elif isinstance(node, ast.BinOp):
        if type(node.op) not in _OPERATORS:
            raise _refuse(node, text, _REFUSED.get(type(node.op), type(node.op).__name__))
        _check(node.left, text, names, depth + 1)
        _check(node.right, text, names, depth + 1)
    elif isinstance(node, ast.UnaryOp):
        if not isinstance(node.op, ast.USub | ast.UAdd):
            raise _refuse(node, text, _REFUSED.get(type(node.op), type(node.op).__name__))
        _check(node.operand, text, names, depth + 1)
    elif isinstance(node, ast.Call):
        func = node.func
        if isinstance(func, ast.Constant | ast.BinOp | ast.UnaryOp | ast.Call):  # 2(x+1), (x+1)(x-1)
            end = len(text.strip().encode("utf-8")[: func.end_col_offset or 0].decode("utf-8", "ignore"))
            raise ExpressionError(juxtaposed(text.strip(), text.strip().find("(", end)))
        if not isinstance(func, ast.Name):
            raise _refuse(func, text, _REFUSED.get(type(func), "calling this"))
        if func.id not in FUNCTIONS:
            raise ExpressionError(
                f"the function {func.id[:40]!r} is not allowed; the functions are {', '.join(FUNCTIONS)}"
            )
        if node.keywords or len(node.args) != 1 or isinstance(node.args[0], ast.Starred):
            raise ExpressionError(f"{func.id} takes exactly one argument, as in {func.id}(x)")
        _check(node.args[0], text, names, depth + 1)
    else:
        raise _refuse(node, text)


def _checked_tree(text: str) -> tuple[ast.expr, list[str], str]:
    """Parse and check text against the allow-list; return the tree, its variable names and the text read.

    The text read has "−" and "×" as "-" and "*" (see PASTED), so positions in the tree match it.
    """
    tree = _tree(text)
    text = text.translate(PASTED)
    names: list[str] = []
    _check(tree, text, names)
    return tree, names, text


def variables(text: str) -> list[str]:
    """The variable names a formula uses, in order of first appearance.

    Raises:
        ExpressionError: When the formula is not valid or uses anything outside the allow-list.
    """
    return _checked_tree(text)[1]


def parse(text: str, values: Mapping[str, object]) -> Expression:
    """Build the graph of a formula at given values of its variables, without eval or exec.

    The formula is parsed with Python's `ast` and only these parts are accepted: numbers,
    variable names, + - * / **, unary minus (and plus), and one-argument calls of exp, log,
    tanh, relu, sigmoid, sin and cos. Parts made of numbers alone are computed on the spot, so
    "x / (2*4)" records x × 0.125. In a ** b, either b is such a number, or a is a number
    c > 0 (then c ** y = exp(y · ln c)). "−" and "×", as the printed output writes them, are
    read as "-" and "*", so output can be pasted back. A long chain such as x + x + … + x counts
    as one level of nesting, not one per term (at most 100 levels are accepted).

    Args:
        text: The formula, e.g. "1/(exp(-(w*x+b))+1)" (at most 1000 characters).
        values: A mapping with a number for every variable, e.g. {"x": 1, "w": 0, "b": 0}; names
            the formula does not use, and names that are not str, are refused.

    Returns:
        An Expression: the graph's output node and one labelled leaf per variable.

    Raises:
        ExpressionError: For a syntax error, a refused construct, a missing or unknown
            variable, a non-finite value, or a value outside a function's domain (log of a
            negative, division by zero, overflow). Nothing else is raised.
    """
    tree, names, read = _checked_tree(text)
    if not isinstance(values, Mapping):
        raise ExpressionError(
            f"the values must be a mapping {{name: number}}, e.g. {{'x': 1}}, got {type(values).__name__}"
        )
    for key in values:
        if not isinstance(key, str):
            raise ExpressionError(f"variable names must be str, got {type(key).__name__} {_shown(key)}")
    missing = [n for n in names if n not in values]
    unknown = [n for n in values if n not in names]
    if missing:
        name = missing[0]
        power = (n for n in ast.walk(tree) if isinstance(n, ast.BinOp) and isinstance(n.op, ast.Pow))
        exponent = next((_snippet(n.right, read) for n in power if getattr(n.left, "id", None) == name), None)
        hint = missing_hint(name, unknown, exponent, FUNCTIONS)
        raise ExpressionError(
            f"no value for the variable {name[:40]!r}; give one, e.g. {name[:40]}=1"
            + (f"; {hint}" if hint else "")
        )
    if unknown:
        uses = f"uses only {', '.join(names)}" if names else "has no variables"
        raise ExpressionError(f"unknown variable {unknown[0][:40]!r}: the formula {uses}")
    inputs: dict[str, Value] = {}
    for name in names:
        x = values[name]
        number = math.nan  # anything but a real number is refused below
        if not isinstance(x, bool) and isinstance(x, numbers.Real):
            try:
                number = float(x)
            except OverflowError:  # an int beyond the float range, e.g. 10**400
                number = math.inf
        if not math.isfinite(number):
            raise ExpressionError(f"the value of {name} must be a finite number, got {_shown(x)}")
        inputs[name] = Value(number, label=name)
    result = _evaluate(tree, read, inputs)
    root = result if isinstance(result, Value) else Value(result, label=_snippet(tree, read) or "f")
    return Expression(text, root, inputs)


def _evaluate(node: ast.AST, text: str, inputs: dict[str, Value]) -> Value | float:
    """Compute a checked tree: a float where only numbers are involved, else a graph node."""
    with _errors_named(node, text):
        result = _compute(node, text, inputs)
    number = result.data if isinstance(result, Value) else result
    if not math.isfinite(number):
        raise ExpressionError(f"`{_snippet(node, text)}` is {number!r}: the number is too large for a float")
    return result


def _compute(node: ast.AST, text: str, inputs: dict[str, Value]) -> Value | float:
    """One step of _evaluate: the parts are evaluated (and checked) first."""
    if isinstance(node, ast.Constant):
        # _check let only int and float through; a huge int raises OverflowError, reported by _evaluate
        return float(cast(float, node.value))
    if isinstance(node, ast.Name):
        return inputs[node.id]
    if isinstance(node, ast.UnaryOp):
        operand = _evaluate(node.operand, text, inputs)
        return -operand if isinstance(node.op, ast.USub) else operand
    if isinstance(node, ast.Call):
        argument = _evaluate(node.args[0], text, inputs)
        f = FUNCTIONS[cast(ast.Name, node.func).id]  # _check let only named functions through
        return f(argument) if isinstance(argument, Value) else f(Value(argument)).data
    node = cast(ast.BinOp, node)  # _check let nothing else through
    if isinstance(node.op, _FLAT):  # a + b − c …: a loop, however long the chain
        first, chain = _spine(node)
        result = _evaluate(first, text, inputs)
        for link in chain:
            result = _arithmetic(link, result, _evaluate(link.right, text, inputs), text)
        return result
    left = _evaluate(node.left, text, inputs)
    right = _evaluate(node.right, text, inputs)
    op = type(node.op)
    if op is ast.Pow:
        if isinstance(right, Value):
            if isinstance(left, Value):
                raise ExpressionError(
                    f"the exponent in `{_snippet(node, text)}` must be a number when the base has "
                    f"variables; for y a variable write exp(y*log(x)) instead of x**y"
                )
            return left**right  # c ** y = exp(y · ln c), for a number c > 0
        if isinstance(left, Value):
            return left**right
        if left == 0.0 and right < 0.0:
            raise ExpressionError(f"division by zero in `{_snippet(node, text)}` (0 to a negative power)")
        try:
            return math.pow(left, right)  # a real number or an error, never a complex number
        except ValueError:
            raise ExpressionError(
                f"`{_snippet(node, text)}` is not a real number (a negative base needs an integer exponent)"
            ) from None
    raise ExpressionError(f"{_OPERATORS.get(op, op.__name__)} is not allowed")  # _check stops it first


def _arithmetic(node: ast.BinOp, left: Value | float, right: Value | float, text: str) -> Value | float:
    """One link of a chain a + b − c × d …: left op right, errors naming this link."""
    op = type(node.op)
    with _errors_named(node, text):
        if op is ast.Add:
            result = left + right
        elif op is ast.Sub:
            result = left - right
        elif op is ast.Mult:
            result = left * right
        elif isinstance(right, float) and right == 0.0:
            raise ExpressionError(f"division by zero in `{_snippet(node, text)}`")
        else:
            result = left / right
    return result


@contextmanager
def _errors_named(node: ast.AST, text: str) -> Iterator[None]:
    """Inside the block an arithmetic error becomes one ExpressionError naming that part of the formula."""
    try:
        yield
    except ExpressionError:
        raise
    except OverflowError:
        raise ExpressionError(
            f"cannot compute `{_snippet(node, text)}`: it is too large for a float (overflow)"
        ) from None
    except (ArithmeticError, ValueError) as exc:
        raise ExpressionError(f"in `{_snippet(node, text)}`: {exc}") from None
