"""The engine a student reads: the table of primitives, `Value`, the sort and the loop, the recording flags.

Read it top-down: primitives.py (each primitive's f and f′; STOP, the zero a switched-off relu
passes back), value.py (a node: its number, gradient, parents and their local derivatives; how an
operation records one), backward.py (the topological sort and the chain rule's loop), flags.py
(no_grad, enable_grad, detect_anomaly, watch_reads). The argument checks, the exact way of writing
a number and naming a node, and the error messages live beneath it, in autograd/common.
"""

from .backward import backprop, topological_order, zero_grad
from .flags import (
    AnomalyError,
    detect_anomaly,
    enable_grad,
    is_anomaly_enabled,
    is_grad_enabled,
    no_grad,
    watch_reads,
)
from .primitives import PRIMITIVES, STOP, Primitive, power
from .value import Constant, Value

__all__ = [
    "PRIMITIVES",
    "STOP",
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
    "power",
    "topological_order",
    "watch_reads",
    "zero_grad",
]
