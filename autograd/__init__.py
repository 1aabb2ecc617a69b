"""backproplab's engine: scalar reverse-mode automatic differentiation you can read in an evening."""

from .drawing import GraphvizNotFoundError, draw, render
from .gradcheck import GradcheckError, gradcheck
from .ops import PRIMITIVES, Primitive, power
from .static import StaticGraph, TraceError, trace
from .steps import backward_steps, forward_steps
from .tables import chain, table
from .value import (
    AnomalyError,
    Leaf,
    Node,
    Tape,
    Value,
    detect_anomaly,
    is_anomaly_enabled,
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
    "StaticGraph",
    "TraceError",
    "detect_anomaly",
    "draw",
    "forward_steps",
    "gradcheck",
    "pause_gc",
    "power",
    "render",
    "Tape",
    "table",
    "topological_order",
    "trace",
    "is_anomaly_enabled",
    "zero_grad",
]
