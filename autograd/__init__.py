"""backproplab's engine: scalar reverse-mode automatic differentiation you can read in an evening."""

from .drawing import GraphvizNotFoundError, draw, render
from .gradcheck import GradcheckError, gradcheck
from .ops import PRIMITIVES, Primitive, power
from .player import save_html
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
    "detect_anomaly",
    "draw",
    "forward_steps",
    "gradcheck",
    "pause_gc",
    "power",
    "render",
    "save_html",
    "Tape",
    "table",
    "topological_order",
    "zero_grad",
]
