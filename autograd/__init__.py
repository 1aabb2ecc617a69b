"""backproplab's engine: scalar reverse-mode automatic differentiation you can read in an evening."""

from .drawing import GraphvizNotFoundError, draw, render
from .forward import CostTable, cost_table, forward_mode_steps, jvp, tangent_sweep
from .gradcheck import GradcheckError, gradcheck
from .higher import grad, hessian
from .ops import PRIMITIVES, Primitive, power
from .steps import backward_steps, forward_steps
from .tables import chain, table
from .traces import adjoint_trace, evaluation_trace
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
    "Tape",
    "table",
    "topological_order",
    "zero_grad",
    # forward mode and higher-order derivatives (issue 11)
    "CostTable",
    "adjoint_trace",
    "cost_table",
    "evaluation_trace",
    "forward_mode_steps",
    "grad",
    "hessian",
    "jvp",
    "tangent_sweep",
]
