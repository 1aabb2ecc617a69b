"""backproplab's engine: scalar reverse-mode automatic differentiation you can read in an evening."""

from .gradcheck import GradcheckError, gradcheck
from .ops import PRIMITIVES, Primitive, power
from .value import (
    AnomalyError,
    Constant,
    Value,
    detect_anomaly,
    topological_order,
    zero_grad,
)

__all__ = [
    "PRIMITIVES",
    "AnomalyError",
    "Constant",
    "GradcheckError",
    "Primitive",
    "Value",
    "detect_anomaly",
    "gradcheck",
    "power",
    "topological_order",
    "zero_grad",
]
