"""backproplab's engine: scalar reverse-mode automatic differentiation you can read in an evening.

The package is laid out in rooms; read them in this order:

- `engine`: the table of primitives, `Value`, the topological sort and the chain rule's loop, the
  recording flags (`no_grad`, `detect_anomaly`). Everything else is built on it.
- `views`: the same graph written out as steps, tables and LaTeX.
- `drawings`: Graphviz pictures, the HTML player and the notebook stepper.
- `teaching`: explain, exercises, checking a worksheet, marking a notebook's answers.
- `derivatives`: forward mode, higher order, gradcheck, evaluation and adjoint traces.
- `static`: `trace`, the graph recorded once and compiled to a straight-line program.
- `cli`: the `backproplab` command.
"""

from .common.collector import pause_gc
from .derivatives.forward import CostTable, cost_table, forward_mode_steps, jvp, tangent_sweep
from .derivatives.gradcheck import GradcheckError, gradcheck
from .derivatives.higher import grad, hessian
from .derivatives.traces import adjoint_trace, evaluation_trace
from .drawings.graphviz import GraphvizNotFoundError, LayoutTimeoutError, draw, render
from .drawings.player import save_html
from .drawings.widgets import Stepper, stepper
from .engine.backward import backprop, topological_order, zero_grad
from .engine.flags import (
    AnomalyError,
    detect_anomaly,
    enable_grad,
    is_anomaly_enabled,
    is_grad_enabled,
    no_grad,
)
from .engine.primitives import PRIMITIVES, Primitive, power
from .engine.value import Constant, Value
from .static.graph import StaticGraph, TraceError, trace
from .teaching.answers import check_answers
from .teaching.exercises import exercise
from .teaching.explain import explain
from .teaching.marking import Verdict, mark
from .teaching.quiz import check
from .views.chains import chain
from .views.numbers import format_value
from .views.steps import backward_steps, forward_steps, node_names
from .views.tables import table

__all__ = [
    # the engine
    "PRIMITIVES",
    "AnomalyError",
    "Constant",
    "Primitive",
    "Value",
    "backprop",
    "detect_anomaly",
    "enable_grad",
    "is_anomaly_enabled",
    "is_grad_enabled",
    "no_grad",
    "pause_gc",
    "power",
    "topological_order",
    "zero_grad",
    # views and drawings
    "GraphvizNotFoundError",
    "LayoutTimeoutError",
    "Stepper",
    "backward_steps",
    "chain",
    "draw",
    "format_value",
    "forward_steps",
    "node_names",
    "render",
    "save_html",
    "stepper",
    "table",
    # teaching
    "Verdict",
    "check",
    "check_answers",
    "exercise",
    "explain",
    "mark",
    # forward mode, higher order, checking gradients
    "CostTable",
    "GradcheckError",
    "adjoint_trace",
    "cost_table",
    "evaluation_trace",
    "forward_mode_steps",
    "grad",
    "gradcheck",
    "hessian",
    "jvp",
    "tangent_sweep",
    # static graphs
    "StaticGraph",
    "TraceError",
    "trace",
]
