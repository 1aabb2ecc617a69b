"""backproplab's engine: scalar reverse-mode automatic differentiation you can read in an evening."""

from .drawing import GraphvizNotFoundError, draw, render
from .gradcheck import GradcheckError, gradcheck
from .ops import PRIMITIVES, Primitive, power
from .steps import backward_steps, forward_steps
from .tables import chain, table
from .value import (
    AnomalyError,
    Constant,
    Value,
    detect_anomaly,
    pause_gc,
    topological_order,
    zero_grad,
)

__all__ = [
    "PRIMITIVES",
    "AnomalyError",
    "Constant",
    "GradcheckError",
    "GraphvizNotFoundError",
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
    "table",
    "topological_order",
    "zero_grad",
]
