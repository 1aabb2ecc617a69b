"""backproplab's engine: scalar reverse-mode automatic differentiation you can read in an evening."""

from .check import check_answers
from .drawing import GraphvizNotFoundError, draw, render
from .exercises import exercise
from .explain import explain
from .gradcheck import GradcheckError, gradcheck
from .ops import PRIMITIVES, Primitive, power
from .steps import backward_steps, forward_steps
from .tables import chain, table
from .value import (
    AnomalyError,
    Leaf,
    Node,
    Tape,
    Value,
    detect_anomaly,
    pause_gc,
    topological_order,
    zero_grad,
)

__all__ = [
    "PRIMITIVES",
    "AnomalyError",
    "GradcheckError",
    "GraphvizNotFoundError",
    "Leaf",
    "Node",
    "Primitive",
    "Value",
    "backward_steps",
    "chain",
    "check_answers",
    "detect_anomaly",
    "draw",
    "exercise",
    "explain",
    "forward_steps",
    "gradcheck",
    "pause_gc",
    "power",
    "render",
    "Tape",
    "table",
    "topological_order",
    "zero_grad",
]
