"""backproplab's neural-network layer: neurons, layers, MLPs, losses and optimisers on `autograd`."""

from . import data, reference
from .losses import (
    accuracy,
    bce,
    bce_with_logits,
    count_correct,
    cross_entropy,
    hinge,
    l1,
    l2,
    log_softmax,
    mse,
    softmax,
)
from .module import ACTIVATIONS, MLP, Layer, Module, Neuron
from .optim import SGD, Adam, Optimizer
from .serialize import load, save
from .train import Batches, History, fit

__all__ = [
    "ACTIVATIONS",
    "MLP",
    "SGD",
    "Adam",
    "Batches",
    "History",
    "Layer",
    "Module",
    "Neuron",
    "Optimizer",
    "accuracy",
    "bce",
    "bce_with_logits",
    "count_correct",
    "cross_entropy",
    "data",
    "fit",
    "hinge",
    "l1",
    "l2",
    "load",
    "log_softmax",
    "mse",
    "reference",
    "save",
    "softmax",
]
