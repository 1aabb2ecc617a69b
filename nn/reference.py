"""The matrix form of backpropagation in numpy, as an independent check on the scalar engine.

For layers l = 1 … L with zˡ = Wˡaˡ⁻¹ + bˡ and aˡ = σ(zˡ) (the lecture notes, part 2, 反向传播算法):

    δᴸ = ∇ₐC ⊙ σ′(zᴸ)
    δˡ = σ′(zˡ) ⊙ (Wˡ⁺¹)ᵀ δˡ⁺¹
    ∂C/∂Wˡ = δˡ (aˡ⁻¹)ᵀ,   ∂C/∂bˡ = δˡ

Samples are the columns of a matrix, so a batch of m samples goes through in one product and
the gradients are averaged over the columns. The weights are read from an `nn.MLP`; nothing
here uses `autograd`.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from .module import ACTIVATIONS, MLP

__all__ = [
    "activation_derivative",
    "activate",
    "backward",
    "flat_gradients",
    "forward",
    "predict",
    "weights",
]

Matrix = NDArray[np.float64]


def weights(model: MLP) -> list[tuple[Matrix, Matrix]]:
    """The MLP's parameters as matrices: [(W¹, b¹), …], Wˡ of shape (nₗ, nₗ₋₁), bˡ of shape (nₗ,).

    Row i of Wˡ holds the weights of neuron i of layer l.
    """
    out = []
    for layer in model.layers:
        w = np.array([[p.data for p in n.w] for n in layer.neurons], dtype=np.float64)
        b = np.array([n.b.data for n in layer.neurons], dtype=np.float64)
        out.append((w, b))
    return out


def _unknown_activation(activation: str) -> ValueError:
    """The error for an activation name that is not one of ACTIVATIONS."""
    return ValueError(f"unknown activation {activation!r}; allowed: {', '.join(ACTIVATIONS)}")


def activate(z: Matrix, activation: str) -> Matrix:
    """σ(z) elementwise for relu, tanh, sigmoid or linear."""
    if activation == "relu":
        return np.maximum(z, 0.0)
    if activation == "tanh":
        return np.tanh(z)
    if activation == "sigmoid":
        return np.exp(-np.logaddexp(0.0, -z))  # 1/(1 + e⁻ᶻ) without overflow
    if activation == "linear":
        return z
    raise _unknown_activation(activation)


def activation_derivative(z: Matrix, a: Matrix, activation: str) -> Matrix:
    """σ′(z), given z and a = σ(z): relu 1 for z > 0 else 0, tanh 1 − a², sigmoid a(1 − a), linear 1."""
    if activation == "relu":
        return (z > 0.0).astype(np.float64)
    if activation == "tanh":
        return 1.0 - a * a
    if activation == "sigmoid":
        return a * (1.0 - a)
    if activation == "linear":
        return np.ones_like(z)
    raise _unknown_activation(activation)


def _columns(model: MLP, x: Any) -> Matrix:
    """Inputs as a matrix with one sample per column, shape (nin, m)."""
    xa = np.asarray(x, dtype=np.float64)
    if xa.ndim == 1:
        xa = xa[None, :]
    if xa.ndim != 2 or xa.shape[1] != model.nin:
        raise ValueError(f"x must have shape ({model.nin},) or (m, {model.nin}), got {np.shape(x)}")
    columns: Matrix = xa.T
    return columns


def _activations(model: MLP) -> list[str]:
    return [layer.activation for layer in model.layers]


def forward(model: MLP, x: Any) -> tuple[list[Matrix], list[Matrix]]:
    """The forward pass: zˡ = Wˡaˡ⁻¹ + bˡ, aˡ = σ(zˡ), with a⁰ = x.

    Args:
        model: The MLP whose weights are used.
        x: One sample (shape (nin,)) or a batch (shape (m, nin)).

    Returns:
        (zs, activations): zs = [z¹, …, zᴸ] and activations = [a⁰, a¹, …, aᴸ], each of shape (nₗ, m).
    """
    a = _columns(model, x)
    zs: list[Matrix] = []
    acts = [a]
    for (w, b), act in zip(weights(model), _activations(model)):
        z = w @ a + b[:, None]
        a = activate(z, act)
        zs.append(z)
        acts.append(a)
    return zs, acts


def predict(model: MLP, x: Any) -> Matrix:
    """The network's outputs aᴸ for a batch, shape (m, nout) — fast, for plotting."""
    outputs: Matrix = forward(model, x)[1][-1].T
    return outputs


def _targets(model: MLP, y: Any, m: int, loss: str) -> Matrix:
    """Targets as a (nout, m) matrix; class labels become one-hot columns for cross-entropy."""
    n = model.nout
    ya = np.asarray(y)
    if loss == "cross_entropy" and ya.ndim <= 1 and np.issubdtype(ya.dtype, np.integer):
        labels = ya.reshape(-1)
        if len(labels) != m or labels.min() < 0 or labels.max() >= n:
            raise ValueError(f"expected {m} class labels in 0…{n - 1}, got {y!r}")
        onehot = np.zeros((n, m))
        onehot[labels, np.arange(m)] = 1.0
        return onehot
    yf = np.asarray(y, dtype=np.float64).reshape(m, n)
    columns: Matrix = yf.T
    return columns


def backward(model: MLP, x: Any, y: Any, loss: str = "mse") -> tuple[float, list[tuple[Matrix, Matrix]]]:
    """Cost and gradients by the δ-equations, averaged over the samples.

    Costs per sample, matching `nn.mse` and `nn.cross_entropy`:
    - "mse": C = (1/nᴸ)·Σⱼ (aᴸⱼ − yⱼ)², so ∇ₐC = 2(aᴸ − y)/nᴸ.
    - "cross_entropy": C = −Σⱼ yⱼ ln softmax(aᴸ)ⱼ, so ∇ₐC = softmax(aᴸ) − y (the notes, part 5, 交叉熵);
      with a linear last layer aᴸ = zᴸ are the logits.
    A batch of m samples costs (1/m)·Σ C and its gradients are the means of the samples' gradients.

    Args:
        model: The MLP.
        x: One sample (nin,) or a batch (m, nin).
        y: Targets: numbers, vectors, or for cross-entropy class labels (ints) or one-hot rows.
        loss: "mse" or "cross_entropy".

    Returns:
        (C, [(∂C/∂W¹, ∂C/∂b¹), …]).
    """
    zs, acts = forward(model, x)
    m = acts[0].shape[1]
    target = _targets(model, y, m, loss)
    out = acts[-1]
    if loss == "mse":
        cost = float(np.mean(np.sum((out - target) ** 2, axis=0) / model.nout))
        grad_a = 2.0 * (out - target) / model.nout
    elif loss == "cross_entropy":
        shifted = out - out.max(axis=0, keepdims=True)
        log_p = shifted - np.log(np.exp(shifted).sum(axis=0, keepdims=True))
        cost = float(np.mean(-np.sum(target * log_p, axis=0)))
        grad_a = np.exp(log_p) - target  # softmax(aᴸ) − y
    else:
        raise ValueError(f"loss must be 'mse' or 'cross_entropy', got {loss!r}")
    params = weights(model)
    kinds = _activations(model)
    delta = grad_a * activation_derivative(zs[-1], acts[-1], kinds[-1])  # δᴸ = ∇ₐC ⊙ σ′(zᴸ)
    grads: list[tuple[Matrix, Matrix]] = []
    for layer in range(len(params) - 1, -1, -1):
        grads.append((delta @ acts[layer].T / m, delta.sum(axis=1) / m))  # δˡ(aˡ⁻¹)ᵀ, δˡ
        if layer > 0:
            w_next = params[layer][0]
            delta = activation_derivative(zs[layer - 1], acts[layer], kinds[layer - 1]) * (w_next.T @ delta)
    grads.reverse()
    return cost, grads


def flat_gradients(model: MLP, x: Any, y: Any, loss: str = "mse") -> Matrix:
    """The gradients of `backward`, flattened in the order of `model.parameters()`.

    That order is, layer by layer and neuron by neuron, the neuron's weights then its bias.
    """
    _, grads = backward(model, x, y, loss)
    return np.concatenate([np.column_stack([dw, db]).ravel() for dw, db in grads])  # row i: wᵢ…, bᵢ
