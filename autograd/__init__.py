"""backproplab's engine: scalar reverse-mode automatic differentiation you can read in an evening."""

from .check import check_answers
from .drawing import GraphvizNotFoundError, draw, render
from .exercises import exercise
from .explain import explain
from .gradcheck import GradcheckError, gradcheck
from .graph import backprop, topological_order, zero_grad
from .modes import AnomalyError, detect_anomaly, enable_grad, is_grad_enabled, no_grad, pause_gc
from .ops import PRIMITIVES, Primitive, power
from .steps import backward_steps, forward_steps
from .tables import chain, table
from .tape import Tape
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
    "Tape",
    "table",
    "topological_order",
    "zero_grad",
]
