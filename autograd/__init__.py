"""backproplab's engine: scalar reverse-mode automatic differentiation you can read in an evening."""

from .check import check_answers
from .drawing import GraphvizNotFoundError, draw, render
from .exercises import exercise
from .explain import explain
from .forward import CostTable, cost_table, forward_mode_steps, jvp, tangent_sweep
from .gradcheck import GradcheckError, gradcheck
from .graph import backprop, topological_order, zero_grad
from .higher import grad, hessian
from .modes import (
    AnomalyError,
    detect_anomaly,
    enable_grad,
    is_anomaly_enabled,
    is_grad_enabled,
    no_grad,
    pause_gc,
)
from .ops import PRIMITIVES, Primitive, power
from .player import save_html
from .static import StaticGraph, TraceError, trace
from .steps import backward_steps, forward_steps
from .tables import chain, table
from .tape import Tape
from .traces import adjoint_trace, evaluation_trace
from .value import Leaf, Node, Value

__all__ = [
    "PRIMITIVES",
    "AnomalyError",
    "GradcheckError",
    "GraphvizNotFoundError",
    "Leaf",
    "Node",
    "Primitive",
    "Value",
    "backprop",
    "backward_steps",
    "chain",
    "check_answers",
    "StaticGraph",
    "TraceError",
    "detect_anomaly",
    "draw",
    "enable_grad",
    "exercise",
    "explain",
    "forward_steps",
    "gradcheck",
    "is_grad_enabled",
    "no_grad",
    "pause_gc",
    "power",
    "render",
    "save_html",
    "Tape",
    "table",
    "topological_order",
    "trace",
    "is_anomaly_enabled",
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
